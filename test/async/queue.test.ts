/** The Queue construct (module `sqs`): encryption, the DLQ wiring, scoped grants, backlog scaling, validation. */
import { AppautoscalingTarget } from '@cdktn/provider-aws/lib/appautoscaling-target';
import { IamRole } from '@cdktn/provider-aws/lib/iam-role';
import { AwsProvider } from '@cdktn/provider-aws/lib/provider';
import { App, Testing } from 'cdktn';
import { NamedStack } from '../../src/constructs/naming';
import { Queue, type QueueProps } from '../../src/constructs/queue';
import { decode, named, type Json } from './helpers';

const KEY = 'arn:aws:kms:us-east-1:123456789012:key/0a1b2c3d-0000-1111-2222-333344445555';

function synth(build: (stack: NamedStack) => void): Json {
  const app = new App({ outdir: '/tmp/async-queue-test', skipValidation: true });
  const stack = new NamedStack(app, 'test');
  new AwsProvider(stack, 'aws', { region: 'us-east-1' });
  build(stack);
  return JSON.parse(Testing.synth(stack)) as Json;
}

const role = (stack: NamedStack, id = 'worker') => new IamRole(stack, id, { name: id, assumeRolePolicy: '{}' });
const queue =
  (props: Partial<QueueProps> = {}) =>
  (stack: NamedStack) =>
    new Queue(stack, 'jobs', { name: 'shop-dev-jobs', ...props });

describe('Queue', () => {
  it('creates the queue with SSE-SQS, long polling, and a redrive policy to its DLQ after 3 receives', () => {
    const json = synth(queue({ visibilityTimeoutSeconds: 180 }));
    const q = named(json, 'aws_sqs_queue', 'jobs');
    expect(q).toMatchObject({
      name: 'shop-dev-jobs',
      fifo_queue: false,
      sqs_managed_sse_enabled: true,
      visibility_timeout_seconds: 180,
      receive_wait_time_seconds: 20,
      message_retention_seconds: 345600,
    });
    expect(q.kms_master_key_id).toBeUndefined();
    expect(decode(q.redrive_policy)).toEqual({ deadLetterTargetArn: '${aws_sqs_queue.jobs_dlq.arn}', maxReceiveCount: 3 });
  });

  it('keeps dead letters 14 days, encrypted, and lets only this queue redrive into the DLQ', () => {
    const json = synth(queue());
    expect(named(json, 'aws_sqs_queue', 'jobs_dlq')).toMatchObject({
      name: 'shop-dev-jobs-dlq',
      message_retention_seconds: 1209600,
      sqs_managed_sse_enabled: true,
    });
    const allow = named(json, 'aws_sqs_queue_redrive_allow_policy', 'jobs_dlq_redrive_allow');
    expect(allow.queue_url).toBe('${aws_sqs_queue.jobs_dlq.url}');
    expect(decode(allow.redrive_allow_policy)).toEqual({ redrivePermission: 'byQueue', sourceQueueArns: ['${aws_sqs_queue.jobs.arn}'] });
  });

  it('uses SSE-KMS with a given key on both queues, without sqs_managed_sse_enabled (the provider rejects both)', () => {
    const json = synth(queue({ kmsKeyArn: KEY }));
    for (const name of ['jobs', 'jobs_dlq']) {
      const q = named(json, 'aws_sqs_queue', name);
      expect(q).toMatchObject({ kms_master_key_id: KEY, kms_data_key_reuse_period_seconds: 300 });
      expect(q.sqs_managed_sse_enabled).toBeUndefined();
    }
  });

  it('names FIFO queues and their DLQ with .fifo', () => {
    const json = synth(queue({ fifo: true, contentBasedDeduplication: true }));
    expect(named(json, 'aws_sqs_queue', 'jobs')).toMatchObject({
      name: 'shop-dev-jobs.fifo',
      fifo_queue: true,
      content_based_deduplication: true,
    });
    expect(named(json, 'aws_sqs_queue', 'jobs_dlq')).toMatchObject({ name: 'shop-dev-jobs-dlq.fifo', fifo_queue: true });
  });

  it('sets prevent_destroy on the DLQ only when asked (prod), never on the main queue', () => {
    const off = synth(queue());
    expect(named(off, 'aws_sqs_queue', 'jobs_dlq').lifecycle).toBeUndefined();
    const on = synth(queue({ preventDestroy: true }));
    expect(named(on, 'aws_sqs_queue', 'jobs_dlq').lifecycle).toEqual({ prevent_destroy: true });
    expect(named(on, 'aws_sqs_queue', 'jobs').lifecycle).toBeUndefined();
  });

  it('grants consume (receive, delete, change visibility, attributes) and send on this queue ARN only', () => {
    const json = synth((stack) => {
      const q = queue()(stack);
      q.grantConsume(role(stack), 'worker');
      q.grantSend(role(stack, 'api'), 'api');
    });
    const consume = named(json, 'aws_iam_role_policy', 'jobs_consume_worker');
    expect(consume).toMatchObject({ name: 'worker-consume', role: '${aws_iam_role.worker.name}' });
    expect(decode(consume.policy).Statement).toEqual([
      {
        Sid: 'ConsumeQueue',
        Effect: 'Allow',
        Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueAttributes'],
        Resource: ['${aws_sqs_queue.jobs.arn}'],
      },
    ]);
    const send = named(json, 'aws_iam_role_policy', 'jobs_send_api');
    expect(send.role).toBe('${aws_iam_role.api.name}');
    expect(decode(send.policy).Statement).toEqual([
      {
        Sid: 'SendToQueue',
        Effect: 'Allow',
        Action: ['sqs:SendMessage', 'sqs:GetQueueAttributes'],
        Resource: ['${aws_sqs_queue.jobs.arn}'],
      },
    ]);
  });

  it('adds kms:Decrypt for consumers and kms:GenerateDataKey for senders on exactly the queue key', () => {
    const json = synth((stack) => {
      const q = queue({ kmsKeyArn: KEY })(stack);
      q.grantConsume(role(stack), 'worker');
      q.grantSend(role(stack, 'api'), 'api');
    });
    expect(decode(named(json, 'aws_iam_role_policy', 'jobs_consume_worker').policy).Statement[1]).toEqual({
      Sid: 'DecryptMessages',
      Effect: 'Allow',
      Action: ['kms:Decrypt'],
      Resource: [KEY],
    });
    expect(decode(named(json, 'aws_iam_role_policy', 'jobs_send_api').policy).Statement[1]).toEqual({
      Sid: 'EncryptMessages',
      Effect: 'Allow',
      Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
      Resource: [KEY],
    });
  });

  it('scales a worker 0..N on the backlog: adds 1/2/4 tasks while messages wait, drops to the minimum when idle', () => {
    const json = synth((stack) => {
      const target = new AppautoscalingTarget(stack, 'target', {
        serviceNamespace: 'ecs',
        scalableDimension: 'ecs:service:DesiredCount',
        resourceId: 'service/c/s',
        minCapacity: 0,
        maxCapacity: 5,
      });
      queue()(stack).scaleWorker({ name: 'shop-dev-jobs', target, messagesPerTask: 50 });
    });
    const out = named(json, 'aws_appautoscaling_policy', 'jobs_scale_out');
    expect(out).toMatchObject({
      name: 'shop-dev-jobs-scale-out',
      policy_type: 'StepScaling',
      resource_id: '${aws_appautoscaling_target.target.resource_id}',
      depends_on: ['aws_appautoscaling_target.target'],
    });
    expect(out.step_scaling_policy_configuration).toEqual({
      adjustment_type: 'ChangeInCapacity',
      cooldown: 60,
      metric_aggregation_type: 'Maximum',
      step_adjustment: [
        { metric_interval_lower_bound: '0', metric_interval_upper_bound: '50', scaling_adjustment: 1 },
        { metric_interval_lower_bound: '50', metric_interval_upper_bound: '250', scaling_adjustment: 2 },
        { metric_interval_lower_bound: '250', scaling_adjustment: 4 },
      ],
    });
    const scaleIn = named(json, 'aws_appautoscaling_policy', 'jobs_scale_in');
    expect(scaleIn.step_scaling_policy_configuration).toMatchObject({
      adjustment_type: 'ExactCapacity',
      step_adjustment: [{ metric_interval_upper_bound: '0', scaling_adjustment: 0 }],
    });

    const backlog = named(json, 'aws_cloudwatch_metric_alarm', 'jobs_backlog_alarm');
    expect(backlog).toMatchObject({
      alarm_name: 'shop-dev-jobs-backlog',
      namespace: 'AWS/SQS',
      metric_name: 'ApproximateNumberOfMessagesVisible',
      dimensions: { QueueName: '${aws_sqs_queue.jobs.name}' },
      threshold: 1,
      comparison_operator: 'GreaterThanOrEqualToThreshold',
      alarm_actions: ['${aws_appautoscaling_policy.jobs_scale_out.arn}'],
    });
    const idle = named(json, 'aws_cloudwatch_metric_alarm', 'jobs_idle_alarm');
    expect(idle).toMatchObject({
      threshold: 0,
      comparison_operator: 'LessThanOrEqualToThreshold',
      evaluation_periods: 5,
      alarm_actions: ['${aws_appautoscaling_policy.jobs_scale_in.arn}'],
    });
    // In-flight messages count: a task is never scaled away in the middle of a job.
    expect(idle.metric_query.map((m: any) => m.metric?.metric_name ?? m.expression)).toEqual([
      'ApproximateNumberOfMessagesVisible',
      'ApproximateNumberOfMessagesNotVisible',
      'visible + inflight',
    ]);
  });

  it.each<[Partial<QueueProps>, string]>([
    [{ name: 'shop.dev' }, 'jobs.name = "shop.dev" must be 1 to 71 letters, digits, hyphens or underscores'],
    [{ contentBasedDeduplication: true }, 'content_based_deduplication = true only applies to FIFO queues'],
    [
      { messageRetentionSeconds: 1209600, dlqMessageRetentionSeconds: 86400 },
      'dlq_message_retention_seconds = 86400 is shorter than message_retention_seconds = 1209600',
    ],
    [{ visibilityTimeoutSeconds: 50000 }, 'jobs.visibilityTimeoutSeconds = 50000 must be a whole number from 0 to 43200'],
    [{ maxReceiveCount: 0 }, 'jobs.maxReceiveCount = 0 must be a whole number from 1 to 1000'],
    [{ kmsKeyArn: 'alias/mine' }, 'jobs.kmsKeyArn = "alias/mine" must be a KMS key ARN'],
  ])('rejects %j at synth with a message naming the field', (props, message) => {
    expect(() => synth(queue(props))).toThrow(message);
  });
});
