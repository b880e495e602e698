import { input, must, patterns } from '../modules/inputs';
import { defineModule } from '../modules/module';
import { tagsInput } from './common';

/** SQS limits (CreateQueue API reference): retention 60 s-14 d, visibility 0-12 h, long polling 0-20 s. */
export const FOURTEEN_DAYS = 14 * 24 * 3600;

export const sqsDefinition = defineModule({
  name: 'sqs',
  propsName: 'SqsInputs',
  description:
    'An SQS queue (standard or FIFO) with server-side encryption (SSE-SQS, or SSE-KMS with your key), a dead-letter queue that keeps failed messages 14 days, a redrive policy (after 3 receives by default) and a redrive allow policy that lets only this queue use the DLQ. Set the visibility timeout to at least 6 times the worker timeout. Terraform only accepts a literal `prevent_destroy`, so this module cannot switch it with a variable: the TypeScript construct sets it on the DLQ for protected (prod) stages. With the module, a plan that destroys `aws_sqs_queue.dlq` deletes the dead letters with it: review such plans, or vendor the module and add `lifecycle { prevent_destroy = true }` to the DLQ.',
  inputs: {
    name: input.string({
      description: 'Queue name without suffix, e.g. "shop-dev-jobs"; the DLQ is "<name>-dlq" and a FIFO queue adds ".fifo".',
      constraints: [
        must.pattern('^[A-Za-z0-9_-]{1,71}$', '1 to 71 letters, digits, hyphens or underscores (room for "-dlq.fifo" within SQS\'s 80)'),
      ],
    }),
    fifo: input.bool({
      description: 'A FIFO queue (exactly-once, ordered per message group) instead of a standard queue; its DLQ is FIFO too.',
      default: false,
    }),
    content_based_deduplication: input.bool({
      description: 'FIFO only: deduplicate by a SHA-256 of the body instead of an explicit deduplication id.',
      default: false,
    }),
    visibility_timeout_seconds: input.number({
      description: 'How long a received message stays hidden from other consumers; at least 6 x the worker (or Lambda) timeout.',
      default: 180,
      constraints: [must.range(0, 43200)],
    }),
    message_retention_seconds: input.number({
      description: 'How long an unprocessed message is kept (60 s to 14 days).',
      default: 4 * 24 * 3600,
      constraints: [must.range(60, FOURTEEN_DAYS)],
    }),
    receive_wait_time_seconds: input.number({
      description: 'Long polling: how long a ReceiveMessage call waits for messages (0-20 s; 20 saves empty receives).',
      default: 20,
      constraints: [must.range(0, 20)],
    }),
    max_receive_count: input.number({
      description: 'Receives before a message is moved to the dead-letter queue.',
      default: 3,
      constraints: [must.range(1, 1000)],
    }),
    dlq_message_retention_seconds: input.number({
      description:
        'How long the dead-letter queue keeps messages; at least message_retention_seconds (a standard queue keeps the original enqueue time).',
      default: FOURTEEN_DAYS,
      constraints: [must.range(60, FOURTEEN_DAYS)],
    }),
    kms_key_arn: input.optionalString({
      description:
        'A customer-managed KMS key for SSE-KMS; null uses SSE-SQS (SQS-owned keys, no key cost). With a key, senders need kms:GenerateDataKey and consumers kms:Decrypt on it.',
      constraints: [must.optionalPattern(patterns.arn, 'a KMS key ARN')],
    }),
    kms_data_key_reuse_period_seconds: input.number({
      description: 'SSE-KMS only: how long SQS reuses a data key before calling KMS again (60-86400 s).',
      default: 300,
      constraints: [must.range(60, 86400)],
    }),
    tags: tagsInput(),
  },
  checks: [
    {
      on: 'content_based_deduplication',
      involves: ['content_based_deduplication', 'fifo'],
      test: (p) => !p.contentBasedDeduplication || p.fifo === true,
      hcl: '!var.content_based_deduplication || var.fifo',
      message: () =>
        'content_based_deduplication = true only applies to FIFO queues: set fifo = true or content_based_deduplication = false',
      hclMessage: 'content_based_deduplication only applies to FIFO queues: set fifo = true or content_based_deduplication = false.',
    },
    {
      on: 'dlq_message_retention_seconds',
      involves: ['dlq_message_retention_seconds', 'message_retention_seconds'],
      test: (p) => (p.dlqMessageRetentionSeconds as number) >= (p.messageRetentionSeconds as number),
      hcl: 'var.dlq_message_retention_seconds >= var.message_retention_seconds',
      message: (p) =>
        `dlq_message_retention_seconds = ${String(p.dlqMessageRetentionSeconds)} is shorter than message_retention_seconds = ${String(p.messageRetentionSeconds)}; the DLQ must keep messages at least as long (up to ${FOURTEEN_DAYS})`,
      hclMessage:
        'dlq_message_retention_seconds must be at least message_retention_seconds: a moved message keeps its original enqueue time.',
    },
  ],
  outputs: {
    url: { description: 'Queue URL (what the app sends to and receives from; QUEUE_URL_<NAME>).' },
    arn: { description: 'Queue ARN (scope IAM grants and event source mappings to it).' },
    name: { description: 'Queue name (with .fifo for a FIFO queue); the CloudWatch QueueName dimension.' },
    dlq_url: { description: 'Dead-letter queue URL.' },
    dlq_arn: { description: 'Dead-letter queue ARN.' },
    dlq_name: { description: 'Dead-letter queue name (alarm on its ApproximateNumberOfMessagesVisible).' },
  },
});
