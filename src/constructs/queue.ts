import { Construct } from 'constructs';
import { AppautoscalingPolicy } from '@cdktn/provider-aws/lib/appautoscaling-policy';
import type { AppautoscalingTarget } from '@cdktn/provider-aws/lib/appautoscaling-target';
import { CloudwatchMetricAlarm } from '@cdktn/provider-aws/lib/cloudwatch-metric-alarm';
import type { IamRole } from '@cdktn/provider-aws/lib/iam-role';
import type { IamRolePolicy } from '@cdktn/provider-aws/lib/iam-role-policy';
import { SqsQueue } from '@cdktn/provider-aws/lib/sqs-queue';
import { SqsQueueRedriveAllowPolicy } from '@cdktn/provider-aws/lib/sqs-queue-redrive-allow-policy';
import { Fn } from 'cdktn';
import { sqsDefinition } from '../definitions/sqs';
import { isToken, resolveInputs, type ModuleOutputs } from '../modules/module';
import type { SqsInputs } from './generated/sqs';
import { rolePolicy, type PolicyStatement } from './iam';
import { choose, concat, isSet, listIf, withSuffix } from './tokens';

const bound = (n: number | undefined) => (n === undefined ? undefined : String(n));

export interface QueueProps extends SqsInputs {
  /**
   * `lifecycle.prevent_destroy` on the dead-letter queue (TypeScript only: Terraform accepts only a literal there,
   * so the generated module cannot switch it with a variable).
   * @default false
   */
  readonly preventDestroy?: boolean;
}

/** How a worker service scales on the queue's backlog (see {@link Queue.scaleWorker}). */
export interface BacklogScaling {
  /** Name prefix of the alarms and policies, e.g. "shop-dev-jobs". */
  readonly name: string;
  /** The worker service's scalable target (its min/max bound every adjustment). */
  readonly target: AppautoscalingTarget;
  /**
   * Visible messages one task is expected to work through: a backlog above this adds 2 tasks at once, above 5x
   * this 4, otherwise 1.
   * @default 100
   */
  readonly messagesPerTask?: number;
  /**
   * Minutes the queue must be empty (nothing visible, nothing in flight) before the worker scales to its minimum.
   * @default 5
   */
  readonly idleMinutes?: number;
}

/**
 * An SQS queue with server-side encryption, a dead-letter queue (14 days), a redrive policy and a redrive allow
 * policy (module `sqs`). `grantSend` / `grantConsume` attach least-privilege policies scoped to this queue's ARN.
 */
export class Queue extends Construct {
  readonly queue: SqsQueue;
  readonly dlq: SqsQueue;
  readonly url: string;
  readonly arn: string;
  readonly name: string;
  readonly dlqUrl: string;
  readonly dlqArn: string;
  readonly outputs: ModuleOutputs<typeof sqsDefinition>;
  private readonly kmsKeyArn: string | null;

  constructor(scope: Construct, id: string, props: QueueProps) {
    super(scope, id);
    const { preventDestroy, ...inputs } = props;
    const p: Required<SqsInputs> = resolveInputs(sqsDefinition, inputs, id);
    const tags = p.tags;
    this.kmsKeyArn = p.kmsKeyArn;

    // SSE-SQS unless a key is given; the provider rejects sqs_managed_sse_enabled together with kms_master_key_id.
    const kms = isSet(p.kmsKeyArn);
    const encryption = {
      sqsManagedSseEnabled: choose(kms, undefined as unknown as boolean, true),
      kmsMasterKeyId: p.kmsKeyArn ?? undefined,
      kmsDataKeyReusePeriodSeconds: choose(kms, p.kmsDataKeyReusePeriodSeconds, undefined as unknown as number),
    };

    // ---- dead-letter queue ---------------------------------------------------------------------
    this.dlq = new SqsQueue(this, 'dlq', {
      name: choose(p.fifo, withSuffix(p.name, '-dlq.fifo'), withSuffix(p.name, '-dlq')),
      fifoQueue: p.fifo,
      messageRetentionSeconds: p.dlqMessageRetentionSeconds,
      receiveWaitTimeSeconds: p.receiveWaitTimeSeconds,
      ...encryption,
      tags,
      lifecycle: preventDestroy === true ? { preventDestroy: true } : undefined,
    });

    // ---- queue ---------------------------------------------------------------------------------
    this.queue = new SqsQueue(this, 'this', {
      name: choose(p.fifo, withSuffix(p.name, '.fifo'), p.name),
      fifoQueue: p.fifo,
      contentBasedDeduplication: p.contentBasedDeduplication,
      visibilityTimeoutSeconds: p.visibilityTimeoutSeconds,
      messageRetentionSeconds: p.messageRetentionSeconds,
      receiveWaitTimeSeconds: p.receiveWaitTimeSeconds,
      ...encryption,
      redrivePolicy: Fn.jsonencode({ deadLetterTargetArn: this.dlq.arn, maxReceiveCount: p.maxReceiveCount }),
      tags,
    });

    // Only this queue may use the DLQ as its dead-letter queue (a separate resource: the DLQ exists first).
    new SqsQueueRedriveAllowPolicy(this, 'dlq_redrive_allow', {
      queueUrl: this.dlq.url,
      redriveAllowPolicy: Fn.jsonencode({ redrivePermission: 'byQueue', sourceQueueArns: [this.queue.arn] }),
    });

    this.url = this.queue.url;
    this.arn = this.queue.arn;
    this.name = this.queue.name;
    this.dlqUrl = this.dlq.url;
    this.dlqArn = this.dlq.arn;
    this.outputs = {
      url: this.queue.url,
      arn: this.queue.arn,
      name: this.queue.name,
      dlq_url: this.dlq.url,
      dlq_arn: this.dlq.arn,
      dlq_name: this.dlq.name,
    };
  }

  /**
   * Receive, delete, extend visibility, read attributes: on this queue's ARN only (plus kms:Decrypt on its key).
   * @param sid appended to the statement ids (they must be unique within a policy)
   */
  consumeStatements(sid = ''): PolicyStatement[] {
    return this.withKey(
      {
        Sid: `ConsumeQueue${sid}`,
        Effect: 'Allow',
        Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueAttributes'],
        Resource: [this.arn],
      },
      { Sid: `DecryptMessages${sid}`, Effect: 'Allow', Action: ['kms:Decrypt'], Resource: [this.kmsKeyArn as string] },
    );
  }

  /** Send (SendMessageBatch needs the same permission) and read attributes, on this queue's ARN only. */
  sendStatements(sid = ''): PolicyStatement[] {
    return this.withKey(
      { Sid: `SendToQueue${sid}`, Effect: 'Allow', Action: ['sqs:SendMessage', 'sqs:GetQueueAttributes'], Resource: [this.arn] },
      // SSE-KMS: the sender encrypts with a data key (SQS developer guide, "Key management").
      {
        Sid: `EncryptMessages${sid}`,
        Effect: 'Allow',
        Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
        Resource: [this.kmsKeyArn as string],
      },
    );
  }

  /** `[statement]`, plus `keyStatement` when the queue has a KMS key: a plain list unless the key is a token. */
  private withKey(statement: PolicyStatement, keyStatement: PolicyStatement): PolicyStatement[] {
    if (isToken(this.kmsKeyArn)) return concat<PolicyStatement>([statement], listIf(isSet(this.kmsKeyArn), keyStatement));
    return this.kmsKeyArn === null ? [statement] : [statement, keyStatement];
  }

  /** Lets `role` consume this queue (an inline policy named `<label>-consume`). */
  grantConsume(role: IamRole, label: string): IamRolePolicy {
    return rolePolicy(this, `consume_${label}`, role, `${label}-consume`, this.consumeStatements());
  }

  /** Lets `role` send to this queue (an inline policy named `<label>-send`). */
  grantSend(role: IamRole, label: string): IamRolePolicy {
    return rolePolicy(this, `send_${label}`, role, `${label}-send`, this.sendStatements());
  }

  /**
   * Scales a worker service between its min and max on this queue's backlog, zero-to-N: step scaling on two
   * CloudWatch alarms over the queue's 1-minute SQS metrics.
   * - `backlog`: ApproximateNumberOfMessagesVisible >= 1 adds tasks (1, 2 or 4 by backlog size) every minute while
   *   it lasts (alarms keep invoking Auto Scaling actions while in ALARM).
   * - `idle`: visible + in flight (ApproximateNumberOfMessagesNotVisible) = 0 for `idleMinutes` sets the count to
   *   the minimum; in-flight messages count, so a task is never stopped in the middle of a job.
   * Missing data (SQS publishes nothing for a queue inactive for 6 hours) is "not breaching": nothing changes.
   */
  scaleWorker(s: BacklogScaling): { backlogAlarm: CloudwatchMetricAlarm; idleAlarm: CloudwatchMetricAlarm } {
    const perTask = s.messagesPerTask ?? 100;
    const idle = s.idleMinutes ?? 5;
    const sqsMetric = (metricName: string) => ({
      namespace: 'AWS/SQS',
      metricName,
      dimensions: { QueueName: this.name },
      period: 60,
      stat: 'Maximum',
    });
    const policy = (id: string, adjustmentType: string, steps: { lower?: number; upper?: number; adjust: number }[]) =>
      new AppautoscalingPolicy(this, id, {
        name: `${s.name}-${id.replace(/_/g, '-')}`,
        policyType: 'StepScaling',
        serviceNamespace: s.target.serviceNamespace,
        scalableDimension: s.target.scalableDimension,
        resourceId: s.target.resourceId,
        stepScalingPolicyConfiguration: {
          adjustmentType,
          cooldown: 60,
          metricAggregationType: 'Maximum',
          // The bindings type the bounds as strings (the provider parses them as floats).
          stepAdjustment: steps.map((x) => ({
            metricIntervalLowerBound: bound(x.lower),
            metricIntervalUpperBound: bound(x.upper),
            scalingAdjustment: x.adjust,
          })),
        },
        dependsOn: [s.target],
      });

    // Bounds are relative to the threshold (1 visible message).
    const scaleOut = policy('scale_out', 'ChangeInCapacity', [
      { lower: 0, upper: perTask, adjust: 1 },
      { lower: perTask, upper: 5 * perTask, adjust: 2 },
      { lower: 5 * perTask, adjust: 4 },
    ]);
    const scaleIn = policy('scale_in', 'ExactCapacity', [{ upper: 0, adjust: 0 }]);

    const backlogAlarm = new CloudwatchMetricAlarm(this, 'backlog_alarm', {
      alarmName: `${s.name}-backlog`,
      alarmDescription: 'Messages are waiting: add worker tasks.',
      namespace: 'AWS/SQS',
      metricName: 'ApproximateNumberOfMessagesVisible',
      dimensions: { QueueName: this.name },
      statistic: 'Maximum',
      period: 60,
      evaluationPeriods: 1,
      threshold: 1,
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
      treatMissingData: 'notBreaching',
      alarmActions: [scaleOut.arn],
    });
    const idleAlarm = new CloudwatchMetricAlarm(this, 'idle_alarm', {
      alarmName: `${s.name}-idle`,
      alarmDescription: `Nothing visible or in flight for ${idle} minutes: scale the worker to its minimum.`,
      evaluationPeriods: idle,
      datapointsToAlarm: idle,
      threshold: 0,
      comparisonOperator: 'LessThanOrEqualToThreshold',
      treatMissingData: 'notBreaching',
      metricQuery: [
        { id: 'visible', metric: sqsMetric('ApproximateNumberOfMessagesVisible'), returnData: false },
        { id: 'inflight', metric: sqsMetric('ApproximateNumberOfMessagesNotVisible'), returnData: false },
        { id: 'total', expression: 'visible + inflight', label: 'Messages visible or in flight', returnData: true },
      ],
      alarmActions: [scaleIn.arn],
    });
    return { backlogAlarm, idleAlarm };
  }
}
