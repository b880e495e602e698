import { Construct } from 'constructs';
import type { IamRole } from '@cdktn/provider-aws/lib/iam-role';
import { SchedulerSchedule } from '@cdktn/provider-aws/lib/scheduler-schedule';
import { SqsQueue } from '@cdktn/provider-aws/lib/sqs-queue';
import { Fn, Token } from 'cdktn';
import { isTimeZone, scheduleProblem, SCHEDULE_RULE } from '../config/cron';
import { ConfigError, isToken } from '../modules/module';
import { rolePolicy, serviceRole, type AwsContext, type PolicyStatement } from './iam';
import { withSuffix } from './tokens';

/** Run a command in the app image as a Fargate task (RunTask). */
export interface CronEcsTarget {
  readonly clusterArn: string;
  /** The task definition to run (an exact revision: each deploy updates the schedule). */
  readonly taskDefinitionArn: string;
  /** Its family: RunTask is allowed on `task-definition/<family>:*` only. */
  readonly taskDefinitionFamily: string;
  /** The container to override the command of. */
  readonly containerName: string;
  readonly command: string[];
  readonly subnetIds: string[];
  readonly securityGroupIds: string[];
  readonly assignPublicIp: boolean;
  /** The roles the task definition names: the scheduler may pass exactly these to ECS. */
  readonly taskRoleArn: string;
  readonly executionRoleArn: string;
}

/** Invoke a Lambda function with a small JSON event. */
export interface CronLambdaTarget {
  readonly functionArn: string;
  /** @default {"source":"backplane.cron","job":"<name>"} */
  readonly input?: string;
}

export interface CronProps {
  /** Schedule name (also the prefix of its role and DLQ): letters, digits, hyphens, up to 54 characters. */
  readonly name: string;
  /** rate(...), cron(...) with 6 fields, or at(...). */
  readonly schedule: string;
  /** IANA time zone of cron/at expressions. @default 'UTC' */
  readonly timezone?: string;
  /** @default none */
  readonly description?: string;
  /** @default true */
  readonly enabled?: boolean;
  /** Retries when the target cannot be invoked (0-185). @default 2 */
  readonly retries?: number;
  /** Drop an invocation this long after its scheduled time (60-86400 s). @default 3600 */
  readonly maxEventAgeSeconds?: number;
  /** Exactly one of `ecs` and `lambda`. */
  readonly ecs?: CronEcsTarget;
  readonly lambda?: CronLambdaTarget;
  readonly ctx: AwsContext;
  /** @default {} */
  readonly tags?: Record<string, string>;
}

/**
 * One scheduled job on EventBridge Scheduler: the schedule (flexible time window off), a dead-letter queue for
 * invocations that could not be delivered (SSE, 14 days), and a scheduler role that only EventBridge Scheduler
 * acting for this account may assume, allowed to do exactly one thing: run this job's task definition family on
 * this cluster (passing exactly its two roles to ECS) or invoke this function, and send to its DLQ.
 *
 * Escape hatch: `schedule`, `role` and `dlq` are the generated resources; `addOverride` sets anything else.
 */
export class Cron extends Construct {
  readonly schedule: SchedulerSchedule;
  readonly role: IamRole;
  readonly dlq: SqsQueue;
  readonly name: string;

  constructor(scope: Construct, id: string, p: CronProps) {
    super(scope, id);
    check(id, p);
    const { ctx } = p;
    this.name = p.name;
    const tags = p.tags ?? {};

    this.dlq = new SqsQueue(this, 'dlq', {
      name: withSuffix(p.name, '-cron-dlq'),
      messageRetentionSeconds: 14 * 24 * 3600,
      sqsManagedSseEnabled: true,
      tags,
    });

    // Scheduler's confused-deputy guard: the trust policy names this account and the schedule group
    // (EventBridge Scheduler user guide, "Set up the execution role").
    this.role = serviceRole(this, 'role', {
      name: withSuffix(p.name, '-scheduler'),
      service: 'scheduler.amazonaws.com',
      ctx,
      sourceArn: `arn:${ctx.partition}:scheduler:${ctx.region}:${ctx.accountId}:schedule-group/default`,
      tags,
    });
    const statements: PolicyStatement[] = [{ Sid: 'DeadLetters', Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: [this.dlq.arn] }];
    if (p.ecs) statements.push(...ecsStatements(p.ecs, ctx));
    if (p.lambda) {
      statements.push({
        Sid: 'InvokeFunction',
        Effect: 'Allow',
        Action: ['lambda:InvokeFunction'],
        Resource: [p.lambda.functionArn, withSuffix(p.lambda.functionArn, ':*')],
      });
    }
    const policy = rolePolicy(this, 'policy', this.role, 'run-job', statements);

    const ecs = p.ecs;
    this.schedule = new SchedulerSchedule(this, 'schedule', {
      name: p.name,
      groupName: 'default',
      description: p.description,
      state: p.enabled === false ? 'DISABLED' : 'ENABLED',
      scheduleExpression: p.schedule,
      scheduleExpressionTimezone: p.timezone ?? 'UTC',
      flexibleTimeWindow: { mode: 'OFF' },
      target: {
        arn: ecs ? ecs.clusterArn : (p.lambda as CronLambdaTarget).functionArn,
        roleArn: this.role.arn,
        input: ecs
          ? // RunTask's `overrides`: only the command changes.
            Token.asString(Fn.jsonencode({ containerOverrides: [{ name: ecs.containerName, command: ecs.command }] }))
          : (p.lambda?.input ?? Token.asString(Fn.jsonencode({ source: 'backplane.cron', job: p.name }))),
        deadLetterConfig: { arn: this.dlq.arn },
        retryPolicy: { maximumRetryAttempts: p.retries ?? 2, maximumEventAgeInSeconds: p.maxEventAgeSeconds ?? 3600 },
        ecsParameters: ecs
          ? {
              taskDefinitionArn: ecs.taskDefinitionArn,
              launchType: 'FARGATE',
              platformVersion: 'LATEST',
              taskCount: 1,
              enableEcsManagedTags: true,
              propagateTags: 'TASK_DEFINITION',
              networkConfiguration: { subnets: ecs.subnetIds, securityGroups: ecs.securityGroupIds, assignPublicIp: ecs.assignPublicIp },
            }
          : undefined,
      },
      dependsOn: [policy],
    });
  }
}

/** RunTask on the family (any revision) on this cluster only; PassRole of exactly its roles, to ECS tasks only. */
function ecsStatements(ecs: CronEcsTarget, ctx: AwsContext): PolicyStatement[] {
  const family = `arn:${ctx.partition}:ecs:${ctx.region}:${ctx.accountId}:task-definition/${ecs.taskDefinitionFamily}:*`;
  return [
    {
      Sid: 'RunJobTask',
      Effect: 'Allow',
      Action: ['ecs:RunTask'],
      Resource: [family],
      Condition: { ArnEquals: { 'ecs:cluster': ecs.clusterArn } },
    },
    // Managed tags and propagated tags are applied at launch (AmazonEC2ContainerServiceEventsRole has the same statement).
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
      Resource: [ecs.taskRoleArn, ecs.executionRoleArn],
      Condition: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
    },
  ];
}

/** Synth-time checks of concrete values; the messages name the field, the value and what is allowed. */
function check(id: string, p: CronProps): void {
  const at = (field: string) => `${id}.${field}`;
  if ((p.ecs === undefined) === (p.lambda === undefined)) {
    throw new ConfigError(`${id}: set exactly one of ecs (run a task) and lambda (invoke a function)`);
  }
  if (!isToken(p.name) && !/^[A-Za-z0-9-]{1,54}$/.test(p.name)) {
    throw new ConfigError(
      `${at('name')} = ${JSON.stringify(p.name)} must be 1 to 54 letters, digits or hyphens (room for "-scheduler" in the role name)`,
    );
  }
  if (!isToken(p.schedule)) {
    const problem = scheduleProblem(p.schedule);
    if (problem)
      throw new ConfigError(
        `${at('schedule')} = ${JSON.stringify(p.schedule)}: ${problem.startsWith('must') ? problem : `${problem}; allowed: ${SCHEDULE_RULE}`}`,
      );
  }
  if (p.timezone !== undefined && !isToken(p.timezone) && !isTimeZone(p.timezone)) {
    throw new ConfigError(`${at('timezone')} = ${JSON.stringify(p.timezone)} must be an IANA time zone such as "Europe/Berlin" or "UTC"`);
  }
  const range = (field: 'retries' | 'maxEventAgeSeconds', min: number, max: number) => {
    const v = p[field];
    if (v !== undefined && !isToken(v) && !(Number.isInteger(v) && v >= min && v <= max)) {
      throw new ConfigError(`${at(field)} = ${v} must be a whole number from ${min} to ${max}`);
    }
  };
  range('retries', 0, 185);
  range('maxEventAgeSeconds', 60, 86400);
  if (p.ecs && !isToken(p.ecs.command) && p.ecs.command.length === 0) {
    throw new ConfigError(`${at('ecs.command')} = [] must be a non-empty command, e.g. ["bun", "run", "src/nightly.ts"]`);
  }
}
