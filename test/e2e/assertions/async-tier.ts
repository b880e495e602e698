/**
 * SDK assertions for the async tier after an apply to moto: queues and their DLQ wiring (redrive policy AND a
 * message actually moved to the DLQ after maxReceiveCount receives), QUEUE_URL_<NAME> on the API task, worker
 * services and Lambdas, schedules (target, DLQ, retry policy, the scheduler role's scoped policy), app secrets
 * without a value, and the one-off migration task definition.
 *
 * Needs the outputs the async tier writes (`queues`, `queue_workers`, `cron_jobs`, `app_secrets`,
 * `migrate_task_definition_arn`; each only when configured) plus the preset's `task_definition_arn`.
 *
 * moto 5.2.1 gaps (checked in moto/sqs/models.py, moto/scheduler/models.py):
 * - SQS keeps RedriveAllowPolicy but GetQueueAttributes never returns it (not in Queue.BASE_ATTRIBUTES; asking
 *   for it by name is an InvalidAttributeName error), so `aws_sqs_queue_redrive_allow_policy` waits forever in
 *   apply; test/e2e/moto/patches/sqs.py fills the gap (and compacts RedrivePolicy), and these assertions read the
 *   policy back.
 * - Scheduler stores schedules but never fires them, so RunTask/Invoke by a schedule cannot be observed.
 * - SQS delivers each message sent to a queue with a Lambda event source mapping to the function at once, so the
 *   receive-until-redrive exercise runs only on queues without a Lambda worker.
 */
import { expect } from '@jest/globals';
import { LambdaClient, GetFunctionConfigurationCommand, ListEventSourceMappingsCommand } from '@aws-sdk/client-lambda';
import { ApplicationAutoScalingClient, DescribeScalingPoliciesCommand } from '@aws-sdk/client-application-auto-scaling';
import { DescribeServicesCommand, DescribeTaskDefinitionCommand, ECSClient, type ContainerDefinition } from '@aws-sdk/client-ecs';
import { GetRoleCommand, GetRolePolicyCommand, IAMClient } from '@aws-sdk/client-iam';
import { GetScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { DescribeSecretCommand, ListSecretVersionIdsCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import {
  GetQueueAttributesCommand,
  ListDeadLetterSourceQueuesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';

export interface AwsTarget {
  readonly endpoint: string;
  readonly region: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

interface QueueOutput {
  url: string;
  arn: string;
  name: string;
  dlq_url: string;
  dlq_arn: string;
  dlq_name: string;
  worker: 'in-process' | 'service' | 'lambda';
  env: string;
  visibility_timeout_seconds: number;
  max_receive_count: number;
}
type WorkerOutput =
  | { mode: 'service'; cluster_name: string; service_name: string; task_role_arn: string }
  | { mode: 'lambda'; function_name: string; role_arn: string };
interface CronOutput {
  schedule_name: string;
  group_name: string;
  role_arn: string;
  dlq_url: string;
  dlq_arn: string;
  target: 'ecs' | 'lambda';
}

const FOURTEEN_DAYS = 1209600;

/** IAM returns policy documents URL-encoded (moto returns them as they were put). */
function policyDocument(doc: string | undefined): any {
  if (!doc) throw new Error('empty policy document');
  return JSON.parse(doc.trim().startsWith('{') ? doc : decodeURIComponent(doc));
}

const envOf = (c: ContainerDefinition | undefined) => Object.fromEntries((c?.environment ?? []).map((e) => [e.name, e.value]));

export async function assertAsyncTier(aws: AwsTarget, outputs: Record<string, any>): Promise<void> {
  const cfg = { region: aws.region, endpoint: aws.endpoint, credentials: { ...aws.credentials }, maxAttempts: 2 };
  const sqs = new SQSClient(cfg);
  const ecs = new ECSClient(cfg);
  const iam = new IAMClient(cfg);
  const scheduler = new SchedulerClient(cfg);
  const secrets = new SecretsManagerClient(cfg);
  const scaling = new ApplicationAutoScalingClient(cfg);
  const lambda = new LambdaClient(cfg);
  try {
    const queues = (outputs.queues ?? {}) as Record<string, QueueOutput>;
    if (!outputs.task_definition_arn) throw new Error('assertAsyncTier needs the output task_definition_arn (the API task definition)');
    const api = (await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: outputs.task_definition_arn }))).taskDefinition!;
    const apiApp = api.containerDefinitions?.find((c) => c.name === 'app');

    for (const [key, q] of Object.entries(queues)) await assertQueue(sqs, key, q);

    for (const [key, w] of Object.entries((outputs.queue_workers ?? {}) as Record<string, WorkerOutput>)) {
      const q = queues[key];
      if (w.mode === 'service') {
        const svc = (await ecs.send(new DescribeServicesCommand({ cluster: w.cluster_name, services: [w.service_name] }))).services?.[0];
        expect(svc?.status).toBe('ACTIVE');
        expect(svc?.loadBalancers ?? []).toEqual([]);
        const td = (await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: svc!.taskDefinition! }))).taskDefinition!;
        const app = td.containerDefinitions?.find((c) => c.name === 'app');
        expect(app?.command?.length).toBeGreaterThan(0);
        expect(app?.image).toBe(apiApp?.image);
        expect(envOf(app)[q.env]).toBe(q.url);
        const { ScalingPolicies = [] } = await scaling.send(
          new DescribeScalingPoliciesCommand({ ServiceNamespace: 'ecs', ResourceId: `service/${w.cluster_name}/${w.service_name}` }),
        );
        const steps = ScalingPolicies.filter((p) => p.PolicyType === 'StepScaling');
        expect(steps.map((p) => p.StepScalingPolicyConfiguration?.AdjustmentType).sort()).toEqual(['ChangeInCapacity', 'ExactCapacity']);
        const scaleIn = steps.find((p) => p.StepScalingPolicyConfiguration?.AdjustmentType === 'ExactCapacity');
        expect(scaleIn?.StepScalingPolicyConfiguration?.StepAdjustments?.[0]?.ScalingAdjustment).toBe(0);
      } else {
        const fn = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: w.function_name }));
        expect({ runtime: fn.Runtime, handler: fn.Handler, arch: fn.Architectures }).toEqual({
          runtime: 'provided.al2023',
          handler: 'bootstrap',
          arch: ['arm64'],
        });
        expect(fn.Environment?.Variables?.[q.env]).toBe(q.url);
        // By queue: moto filters FunctionName literally, and the mapping was created with the function ARN.
        const { EventSourceMappings = [] } = await lambda.send(new ListEventSourceMappingsCommand({ EventSourceArn: q.arn }));
        expect(EventSourceMappings.map((m) => m.FunctionArn)).toEqual([fn.FunctionArn]);
        expect(EventSourceMappings[0].FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
      }
    }

    for (const [key, c] of Object.entries((outputs.cron_jobs ?? {}) as Record<string, CronOutput>)) {
      await assertSchedule(scheduler, iam, sqs, key, c, api);
    }

    for (const [name, arn] of Object.entries((outputs.app_secrets ?? {}) as Record<string, string>)) {
      const secret = await secrets.send(new DescribeSecretCommand({ SecretId: arn }));
      expect(secret.Name?.endsWith(`/${name}`)).toBe(true);
      // Created without a value: no version exists until someone runs put-secret-value.
      const { Versions = [] } = await secrets.send(new ListSecretVersionIdsCommand({ SecretId: arn }));
      expect({ name, versions: Versions.length }).toEqual({ name, versions: 0 });
      expect(apiApp?.secrets?.find((s) => s.name === name)?.valueFrom).toBe(arn);
    }

    if (outputs.migrate_task_definition_arn) {
      const td = (await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: outputs.migrate_task_definition_arn })))
        .taskDefinition!;
      expect(td.containerDefinitions?.map((c) => c.name)).toEqual(['migrate']);
      const migrate = td.containerDefinitions![0];
      expect(migrate.command?.length).toBeGreaterThan(0);
      expect({ image: migrate.image, role: td.taskRoleArn, execution: td.executionRoleArn }).toEqual({
        image: apiApp?.image,
        role: api.taskRoleArn,
        execution: api.executionRoleArn,
      });
      // The one-off task runs exactly as the deploy-time init container: its env (the app's, with the database
      // owner over the app role where there is a database) and its secrets.
      const init = api.containerDefinitions?.find((c) => c.name === 'migrate');
      const withoutPort = (e: Record<string, string | undefined>) => Object.fromEntries(Object.entries(e).filter(([k]) => k !== 'PORT'));
      expect(envOf(migrate)).toEqual(withoutPort(envOf(init)));
      expect(new Set(migrate.secrets?.map((s) => `${s.name}=${s.valueFrom}`))).toEqual(
        new Set(init?.secrets?.map((s) => `${s.name}=${s.valueFrom}`)),
      );
      expect(init?.command).toEqual(migrate.command);
      expect(apiApp?.dependsOn).toEqual([{ containerName: 'migrate', condition: 'SUCCESS' }]);
      expect(outputs.migrate_command).toContain(`--task-definition ${outputs.migrate_task_definition_arn} `);
    }

    // Last, so the checks above report first: every service built from the app image gets QUEUE_URL_<NAME> as the
    // real URL (a quoted reference would reach ECS as the literal text "aws_sqs_queue.<name>.url").
    for (const [key, q] of Object.entries(queues)) expect({ key, url: envOf(apiApp)[q.env] }).toEqual({ key, url: q.url });
  } finally {
    for (const c of [sqs, ecs, iam, scheduler, secrets, scaling, lambda]) c.destroy();
  }
}

/** Attributes, SSE, the redrive policy, and a message that really moves to the DLQ after maxReceiveCount receives. */
async function assertQueue(sqs: SQSClient, key: string, q: QueueOutput): Promise<void> {
  const { Attributes: a = {} } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: q.url, AttributeNames: ['All'] }));
  expect({ key, arn: a.QueueArn, visibility: Number(a.VisibilityTimeout), sse: a.SqsManagedSseEnabled }).toEqual({
    key,
    arn: q.arn,
    visibility: q.visibility_timeout_seconds,
    sse: 'true',
  });
  expect(JSON.parse(a.RedrivePolicy ?? '{}')).toEqual({ deadLetterTargetArn: q.dlq_arn, maxReceiveCount: q.max_receive_count });
  const { Attributes: d = {} } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: q.dlq_url, AttributeNames: ['All'] }));
  expect({ key, retention: Number(d.MessageRetentionPeriod), sse: d.SqsManagedSseEnabled }).toEqual({
    key,
    retention: FOURTEEN_DAYS,
    sse: 'true',
  });
  // Needs the harness's SQS patch (test/e2e/moto/patches/sqs.py): moto 5.2.1 never returns RedriveAllowPolicy.
  expect(JSON.parse(d.RedriveAllowPolicy ?? '{}')).toEqual({ redrivePermission: 'byQueue', sourceQueueArns: [q.arn] });
  const sources = await sqs.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: q.dlq_url }));
  expect(sources.queueUrls).toEqual([q.url]);

  // Receive without deleting, maxReceiveCount times; the next receive moves the message to the DLQ. Not for a
  // Lambda-consumed queue: moto hands each sent message straight to the event source mapping (its
  // SQS send_message invokes the mapped function), so nothing is left to receive.
  if (q.worker === 'lambda') return;
  const fifo = q.name.endsWith('.fifo');
  const body = `e2e-redrive-${key}-${Date.now()}`;
  await sqs.send(
    new SendMessageCommand({
      QueueUrl: q.url,
      MessageBody: body,
      ...(fifo ? { MessageGroupId: 'e2e', MessageDeduplicationId: body } : {}),
    }),
  );
  for (let i = 0; i < q.max_receive_count; i++) {
    const got = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: q.url, VisibilityTimeout: 0, WaitTimeSeconds: 1, MaxNumberOfMessages: 10 }),
    );
    expect((got.Messages ?? []).map((m) => m.Body)).toContain(body);
  }
  const after = await sqs.send(
    new ReceiveMessageCommand({ QueueUrl: q.url, VisibilityTimeout: 0, WaitTimeSeconds: 1, MaxNumberOfMessages: 10 }),
  );
  expect((after.Messages ?? []).map((m) => m.Body)).not.toContain(body);
  const dead = await sqs.send(new ReceiveMessageCommand({ QueueUrl: q.dlq_url, WaitTimeSeconds: 1, MaxNumberOfMessages: 10 }));
  expect((dead.Messages ?? []).map((m) => m.Body)).toContain(body);
}

/** The schedule's target, DLQ and retry policy, and a scheduler role scoped to exactly this job. */
async function assertSchedule(
  scheduler: SchedulerClient,
  iam: IAMClient,
  sqs: SQSClient,
  key: string,
  c: CronOutput,
  api: { taskRoleArn?: string; executionRoleArn?: string },
) {
  const s = await scheduler.send(new GetScheduleCommand({ Name: c.schedule_name, GroupName: c.group_name }));
  expect({ key, window: s.FlexibleTimeWindow?.Mode, dlq: s.Target?.DeadLetterConfig?.Arn, role: s.Target?.RoleArn }).toEqual({
    key,
    window: 'OFF',
    dlq: c.dlq_arn,
    role: c.role_arn,
  });
  expect(s.Target?.RetryPolicy?.MaximumRetryAttempts).toBeGreaterThanOrEqual(0);
  const { Attributes: dlq = {} } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: c.dlq_url, AttributeNames: ['All'] }));
  expect(dlq.QueueArn).toBe(c.dlq_arn);

  const roleName = c.role_arn.split('/').pop()!;
  const role = await iam.send(new GetRoleCommand({ RoleName: roleName }));
  const trust = policyDocument(role.Role?.AssumeRolePolicyDocument);
  expect(trust.Statement[0].Principal).toEqual({ Service: 'scheduler.amazonaws.com' });
  expect(Object.keys(trust.Statement[0].Condition.StringEquals)).toEqual(['aws:SourceAccount']);
  const policy = policyDocument((await iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: 'run-job' }))).PolicyDocument);
  const bySid = Object.fromEntries(policy.Statement.map((st: any) => [st.Sid, st]));
  expect(bySid.DeadLetters.Resource).toEqual([c.dlq_arn]);

  if (c.target === 'ecs') {
    const ecs = s.Target!.EcsParameters!;
    expect(s.Target?.Arn).toMatch(/:cluster\//);
    expect({ launch: ecs.LaunchType, count: ecs.TaskCount }).toEqual({ launch: 'FARGATE', count: 1 });
    expect(ecs.NetworkConfiguration?.awsvpcConfiguration?.Subnets?.length).toBeGreaterThan(0);
    const input = JSON.parse(s.Target?.Input ?? '{}');
    expect(input.containerOverrides[0].command.length).toBeGreaterThan(0);
    const family = ecs.TaskDefinitionArn!.split('/').pop()!.split(':')[0];
    expect(bySid.RunJobTask.Resource).toEqual([expect.stringMatching(new RegExp(`:task-definition/${family}:\\*$`))]);
    expect(bySid.RunJobTask.Condition).toEqual({ ArnEquals: { 'ecs:cluster': s.Target?.Arn } });
    expect([...bySid.PassJobRoles.Resource].sort()).toEqual([api.taskRoleArn, api.executionRoleArn].sort());
    expect(bySid.PassJobRoles.Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } });
  } else {
    expect(s.Target?.Arn).toMatch(/:function:/);
    expect(bySid.InvokeFunction.Resource).toEqual([s.Target?.Arn, `${s.Target?.Arn}:*`]);
  }
}
