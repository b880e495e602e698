/** The Cron construct: EventBridge Scheduler schedule, its DLQ, and a scheduler role scoped to one job. */
import { AwsProvider } from '@cdktn/provider-aws/lib/provider';
import { App, Testing } from 'cdktn';
import { Cron, type CronProps } from '../../src/constructs/cron';
import { AwsContext } from '../../src/constructs/iam';
import { NamedStack } from '../../src/constructs/naming';
import { decode, named, type Json } from './helpers';

const ECS = {
  clusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/shop-dev',
  taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/shop-dev-jobs:7',
  taskDefinitionFamily: 'shop-dev-jobs',
  containerName: 'job',
  command: ['bun', 'run', 'src/nightly.ts'],
  subnetIds: ['subnet-0a', 'subnet-0b'],
  securityGroupIds: ['sg-0123'],
  assignPublicIp: false,
  taskRoleArn: 'arn:aws:iam::123456789012:role/shop-dev-task',
  executionRoleArn: 'arn:aws:iam::123456789012:role/shop-dev-execution',
};
const FN = 'arn:aws:lambda:us-east-1:123456789012:function:shop-dev-report-cron';

function synth(props: Partial<CronProps>): Json {
  const app = new App({ outdir: '/tmp/async-cron-test', skipValidation: true });
  const stack = new NamedStack(app, 'test');
  new AwsProvider(stack, 'aws', { region: 'us-east-1' });
  const ctx = new AwsContext(stack, 'context');
  new Cron(stack, 'nightly', { name: 'shop-dev-nightly', schedule: 'cron(0 3 * * ? *)', ctx, ...props } as CronProps);
  return JSON.parse(Testing.synth(stack)) as Json;
}

describe('Cron with an ECS task', () => {
  const json = synth({ timezone: 'Europe/Berlin', ecs: ECS });
  const schedule = named(json, 'aws_scheduler_schedule', 'nightly_schedule');

  it('runs the task definition on the cluster at the schedule, in the time zone, without a flexible window', () => {
    expect(schedule).toMatchObject({
      name: 'shop-dev-nightly',
      group_name: 'default',
      state: 'ENABLED',
      schedule_expression: 'cron(0 3 * * ? *)',
      schedule_expression_timezone: 'Europe/Berlin',
      flexible_time_window: { mode: 'OFF' },
    });
    expect(schedule.target).toMatchObject({
      arn: ECS.clusterArn,
      role_arn: '${aws_iam_role.nightly_role.arn}',
      retry_policy: { maximum_retry_attempts: 2, maximum_event_age_in_seconds: 3600 },
      ecs_parameters: {
        task_definition_arn: ECS.taskDefinitionArn,
        launch_type: 'FARGATE',
        task_count: 1,
        network_configuration: { subnets: ECS.subnetIds, security_groups: ECS.securityGroupIds, assign_public_ip: false },
      },
    });
  });

  it('overrides only the command of the job container', () => {
    expect(decode(schedule.target.input)).toEqual({ containerOverrides: [{ name: 'job', command: ['bun', 'run', 'src/nightly.ts'] }] });
  });

  it('sends failed invocations to its own encrypted DLQ, kept 14 days', () => {
    expect(schedule.target.dead_letter_config).toEqual({ arn: '${aws_sqs_queue.nightly_dlq.arn}' });
    expect(named(json, 'aws_sqs_queue', 'nightly_dlq')).toMatchObject({
      name: 'shop-dev-nightly-cron-dlq',
      message_retention_seconds: 1209600,
      sqs_managed_sse_enabled: true,
    });
  });

  it('lets only EventBridge Scheduler acting for this account, from the default group, assume the role', () => {
    const role = named(json, 'aws_iam_role', 'nightly_role');
    expect(role.name).toBe('shop-dev-nightly-scheduler');
    const [statement] = decode(role.assume_role_policy).Statement;
    expect(statement).toEqual({
      Effect: 'Allow',
      Principal: { Service: 'scheduler.amazonaws.com' },
      Action: 'sts:AssumeRole',
      Condition: {
        StringEquals: { 'aws:SourceAccount': '${data.aws_caller_identity.context_account.account_id}' },
        ArnLike: {
          'aws:SourceArn': expect.stringMatching(
            /^arn:\$\{data\.aws_partition\.[\w.]+\}:scheduler:\$\{[^}]+\}:\$\{[^}]+\}:schedule-group\/default$/,
          ),
        },
      },
    });
  });

  it('allows RunTask on the family only, on this cluster only, PassRole of exactly the two task roles to ECS, and the DLQ', () => {
    const policy = decode(named(json, 'aws_iam_role_policy', 'nightly_policy').policy);
    expect(policy.Statement).toEqual([
      { Sid: 'DeadLetters', Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: ['${aws_sqs_queue.nightly_dlq.arn}'] },
      {
        Sid: 'RunJobTask',
        Effect: 'Allow',
        Action: ['ecs:RunTask'],
        Resource: [expect.stringMatching(/:ecs:\$\{[^}]+\}:\$\{[^}]+\}:task-definition\/shop-dev-jobs:\*$/)],
        Condition: { ArnEquals: { 'ecs:cluster': ECS.clusterArn } },
      },
      {
        Sid: 'TagJobTask',
        Effect: 'Allow',
        Action: ['ecs:TagResource'],
        Resource: ['*'],
        Condition: { StringEquals: { 'ecs:CreateAction': 'RunTask' } },
      },
      {
        Sid: 'PassJobRoles',
        Effect: 'Allow',
        Action: ['iam:PassRole'],
        Resource: [ECS.taskRoleArn, ECS.executionRoleArn],
        Condition: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
      },
    ]);
    // The schedule is created only once the role may do its job.
    expect(schedule.depends_on).toEqual(['aws_iam_role_policy.nightly_policy']);
  });
});

describe('Cron with a Lambda function', () => {
  const json = synth({ schedule: 'rate(15 minutes)', lambda: { functionArn: FN }, enabled: false, retries: 0 });

  it('invokes the function (and its versions) and nothing else', () => {
    const schedule = named(json, 'aws_scheduler_schedule', 'nightly_schedule');
    expect(schedule).toMatchObject({ state: 'DISABLED', schedule_expression: 'rate(15 minutes)', schedule_expression_timezone: 'UTC' });
    expect(schedule.target.arn).toBe(FN);
    expect(schedule.target.ecs_parameters).toBeUndefined();
    expect(decode(schedule.target.input)).toEqual({ source: 'backplane.cron', job: 'shop-dev-nightly' });
    const statements = decode(named(json, 'aws_iam_role_policy', 'nightly_policy').policy).Statement;
    expect(statements.map((s: any) => s.Action).flat()).toEqual(['sqs:SendMessage', 'lambda:InvokeFunction']);
    expect(statements[1].Resource).toEqual([FN, `${FN}:*`]);
  });
});

describe('Cron validation', () => {
  it.each<[string, Partial<CronProps>, string]>([
    [
      'both targets',
      { ecs: ECS, lambda: { functionArn: FN } },
      'nightly: set exactly one of ecs (run a task) and lambda (invoke a function)',
    ],
    ['no target', {}, 'nightly: set exactly one of ecs'],
    ['a 5-field cron', { ecs: ECS, schedule: 'cron(0 3 * * *)' }, 'nightly.schedule = "cron(0 3 * * *)": cron(...) has 5 fields'],
    [
      'prose',
      { ecs: ECS, schedule: 'every day' },
      'nightly.schedule = "every day": must be rate(<n> minutes|hours|days), cron(<6 fields>) or at(',
    ],
    ['a city for a zone', { ecs: ECS, timezone: 'Berlin' }, 'nightly.timezone = "Berlin" must be an IANA time zone'],
    ['200 retries', { ecs: ECS, retries: 200 }, 'nightly.retries = 200 must be a whole number from 0 to 185'],
    ['a 30 s event age', { ecs: ECS, maxEventAgeSeconds: 30 }, 'nightly.maxEventAgeSeconds = 30 must be a whole number from 60 to 86400'],
    ['an empty command', { ecs: { ...ECS, command: [] } }, 'nightly.ecs.command = [] must be a non-empty command'],
    [
      'a 56-character name',
      { ecs: ECS, name: 'a-name-that-is-far-too-long-for-a-scheduler-role-name-x' },
      'must be 1 to 54 letters, digits or hyphens',
    ],
  ])('rejects %s', (_label, props, message) => {
    expect(() => synth(props)).toThrow(message);
  });
});
