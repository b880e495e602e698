/**
 * `queues`: SQS queues and who consumes them. Each key becomes a queue `<name>-<stage>-<key>` with a dead-letter
 * queue and the environment variable `QUEUE_URL_<KEY>` on every service built from the app image.
 *
 * The visibility timeout is derived here, where values are concrete: 6 x the worker's timeout (AWS: "set the
 * source queue's visibility timeout to at least six times the timeout that you configure on your function",
 * Lambda developer guide, services-sqs-configure), so a message is not handed to a second worker while the first
 * one may still be working on it.
 */
import { z } from 'zod';
import { FARGATE_CPUS, FARGATE_MEMORY_BY_CPU } from '../definitions/fargate';
import { ConfigError } from '../modules/module';
import { commandList, intIn, oneOf } from './common';
import type { BackplaneConfig } from './schema';

export const WORKER_MODES = ['in-process', 'service', 'lambda'] as const;
export type WorkerMode = (typeof WORKER_MODES)[number];

/** Queue and cron keys: short, because they end up in ECS, IAM and Lambda names with 32/64-character limits. */
export const RESOURCE_KEY = /^[a-z]([a-z0-9-]{0,18}[a-z0-9])?$/;
export const RESOURCE_KEY_RULE = '1 to 20 lower-case letters, digits or hyphens, starting with a letter (e.g. "jobs")';

/** The visibility timeout is this many times the worker timeout. */
export const VISIBILITY_FACTOR = 6;
/** Default worker timeout (seconds) when none is given. */
export const DEFAULT_WORKER_TIMEOUT = 30;

/** `jobs` -> `QUEUE_URL_JOBS`, `email-out` -> `QUEUE_URL_EMAIL_OUT`. */
export const queueEnvName = (key: string) => `QUEUE_URL_${key.toUpperCase().replace(/-/g, '_')}`;

export const handlerPath = z
  .string()
  .regex(
    /^[^\0]+\.(ts|tsx|mts|js|mjs|cjs)$/,
    'must be the path of a .ts or .js module that exports `handler`, relative to the config file, e.g. "./workers/jobs.ts"',
  );

const workerServiceSchema = z
  .object({
    /** The worker's command in the app image, e.g. ["bun", "run", "src/worker.ts"]. */
    command: commandList,
    cpu: z
      .number()
      .refine((v) => FARGATE_CPUS.includes(v), `must be one of the Fargate CPU sizes ${FARGATE_CPUS.join(', ')}`)
      .default(256),
    memory: z.number().int('must be a whole number of MiB').default(512),
    /** 0 lets the worker scale to zero when the queue is empty. */
    minCount: intIn(0, 100).default(0),
    maxCount: intIn(1, 100).default(4),
    /** Backlog one task is expected to work through; more visible messages add tasks faster. */
    messagesPerTask: intIn(1, 100000).default(100),
    spot: z.boolean().default(false),
  })
  .strict();

const workerLambdaSchema = z
  .object({
    handler: handlerPath,
    /** Records per invocation: up to 10,000 (standard) or 10 (FIFO). */
    batchSize: intIn(1, 10000).default(10),
    maxBatchingWindowSeconds: intIn(0, 300).optional(),
    memory: intIn(128, 10240).default(256),
    /** The function timeout; the queue's visibility timeout becomes 6 x this. Same as `workerTimeoutSeconds`. */
    timeout: intIn(1, 900).optional(),
    /** Cap on concurrent invocations from this queue (protects the database). */
    maxConcurrency: intIn(2, 1000).optional(),
  })
  .strict();

const queueSchema = z
  .object({
    /** Who consumes the queue: the API process itself, a separate Fargate service, or a Bun Lambda. */
    worker: oneOf(WORKER_MODES).default('in-process'),
    /** How long one message may take to process; the visibility timeout is 6 x this. */
    workerTimeoutSeconds: intIn(1, 7200).optional(),
    fifo: z.boolean().default(false),
    contentBasedDeduplication: z.boolean().default(false),
    /** How long an unprocessed message stays in the queue. */
    retentionDays: intIn(1, 14).default(4),
    /** Receives before a message moves to the dead-letter queue. */
    maxReceiveCount: intIn(1, 1000).default(3),
    service: workerServiceSchema.optional(),
    lambda: workerLambdaSchema.optional(),
  })
  .strict()
  .superRefine((q, ctx) => {
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    for (const mode of ['service', 'lambda'] as const) {
      if (q.worker === mode && q[mode] === undefined) {
        issue(
          [mode],
          mode === 'service'
            ? 'is required with worker "service": give at least service.command, e.g. { command: ["bun", "run", "src/worker.ts"] }'
            : 'is required with worker "lambda": give at least lambda.handler, e.g. { handler: "./workers/jobs.ts" }',
        );
      }
      if (q.worker !== mode && q[mode] !== undefined) {
        issue([mode], `only applies with worker "${mode}" (worker is "${q.worker}"): remove it or set worker: "${mode}"`);
      }
    }
    if (q.contentBasedDeduplication && !q.fifo) {
      issue(['contentBasedDeduplication'], 'only applies to FIFO queues: set fifo: true or remove it');
    }
    if (q.service) {
      const valid = FARGATE_MEMORY_BY_CPU[q.service.cpu];
      if (valid && !valid.includes(q.service.memory)) {
        const allowed =
          valid.length <= 3 ? valid.join(', ') : `${valid[0]} to ${valid[valid.length - 1]} in steps of ${valid[1] - valid[0]}`;
        issue(['service', 'memory'], `is not valid with cpu ${q.service.cpu} on Fargate; allowed: ${allowed}`);
      }
      if (q.service.minCount > q.service.maxCount) {
        issue(['service', 'minCount'], `must not exceed service.maxCount (${q.service.maxCount})`);
      }
    }
    if (q.lambda) {
      const l = q.lambda;
      if (l.timeout !== undefined && q.workerTimeoutSeconds !== undefined && l.timeout !== q.workerTimeoutSeconds) {
        issue(
          ['lambda', 'timeout'],
          `differs from workerTimeoutSeconds (${q.workerTimeoutSeconds}); they are the same setting in lambda mode: set one of them`,
        );
      }
      if (l.timeout === undefined && q.workerTimeoutSeconds !== undefined && q.workerTimeoutSeconds > 900) {
        issue(['workerTimeoutSeconds'], 'must be at most 900 with worker "lambda" (the Lambda timeout limit)');
      }
      if (q.fifo && l.batchSize > 10) issue(['lambda', 'batchSize'], 'must be at most 10 for a FIFO queue');
      if (q.fifo && (l.maxBatchingWindowSeconds ?? 0) > 0)
        issue(['lambda', 'maxBatchingWindowSeconds'], 'must be 0 or unset for a FIFO queue');
      if (!q.fifo && l.batchSize > 10 && (l.maxBatchingWindowSeconds ?? 0) < 1) {
        issue(
          ['lambda', 'maxBatchingWindowSeconds'],
          `must be at least 1 when lambda.batchSize is above 10 (it is ${l.batchSize}): Lambda's rule`,
        );
      }
    }
  })
  .transform((q) => {
    const workerTimeoutSeconds = q.lambda?.timeout ?? q.workerTimeoutSeconds ?? DEFAULT_WORKER_TIMEOUT;
    return { ...q, workerTimeoutSeconds, visibilityTimeoutSeconds: VISIBILITY_FACTOR * workerTimeoutSeconds };
  });

/** Checks record keys with a message that names the key (zod's own key error says only "Invalid key in record"). */
export function checkKeys(what: string) {
  return (record: Record<string, unknown>, ctx: z.RefinementCtx) => {
    for (const key of Object.keys(record)) {
      if (!RESOURCE_KEY.test(key))
        ctx.addIssue({ code: 'custom', path: [key], message: `the ${what} name "${key}" must be ${RESOURCE_KEY_RULE}` });
    }
  };
}

export const queuesSchema = z.record(z.string(), queueSchema).superRefine(checkKeys('queue')).optional();

export type QueuesConfig = z.output<typeof queuesSchema>;
/** One validated queue, with `workerTimeoutSeconds` and `visibilityTimeoutSeconds` resolved. */
export type QueueConfig = z.output<typeof queueSchema>;

/** ECS service names (and so worker names) are at most 32 characters (the ecs-service module's name rule). */
const SERVICE_NAME_MAX = 32;

/**
 * Rules across sections that the section schemas cannot see (the async tier runs them on the validated config):
 * names that collide with the service's own variables or grow past AWS limits, Lambdas that need NAT.
 * @param prefix `<name>-<stage>`
 */
export function checkAsyncComposition(config: BackplaneConfig, prefix: string): void {
  const env = config.service.environment;
  for (const key of Object.keys(config.queues ?? {})) {
    const name = queueEnvName(key);
    if (name in env)
      throw new ConfigError(
        `service.environment.${name} collides with the URL of queue "${key}" (set by Backplane): rename the variable or the queue`,
      );
  }
  for (const name of Object.keys(config.secrets ?? {})) {
    if (name in env || name in config.service.secrets) {
      throw new ConfigError(
        `secrets.${name} is also set in service.${name in env ? 'environment' : 'secrets'}: a variable has one source, remove one of them`,
      );
    }
  }
  for (const [key, q] of Object.entries(config.queues ?? {})) {
    const name = `${prefix}-${key}`;
    if (q.worker === 'service' && name.length > SERVICE_NAME_MAX) {
      throw new ConfigError(
        `queues.${key}: the worker service would be named "${name}" (${name.length} characters); allowed: at most ${SERVICE_NAME_MAX} (ECS/IAM name limits), so use a queue name of at most ${Math.max(1, SERVICE_NAME_MAX - prefix.length - 1)} characters`,
      );
    }
  }
  const lambdas = [
    ...Object.entries(config.queues ?? {})
      .filter(([, q]) => q.worker === 'lambda')
      .map(([k]) => `queues.${k}.worker = "lambda"`),
    ...Object.entries(config.cron ?? {})
      .filter(([, j]) => j.lambda)
      .map(([k]) => `cron.${k}.lambda`),
  ];
  if (lambdas.length > 0 && config.network.nat === 'none') {
    throw new ConfigError(
      `${lambdas[0]} needs network.nat "instance" or "gateway" (network.nat is "none"): a Lambda in the VPC gets no public IP, so without NAT it reaches neither AWS APIs (Secrets Manager, SES) nor the internet`,
    );
  }
}
