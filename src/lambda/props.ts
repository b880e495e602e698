/** BunLambda's props and their synth-time validation (kept apart so the construct file stays readable). */
import {
  checkEnvNames,
  checkOneOf,
  checkPattern,
  checkRange,
  FUNCTION_NAME,
  isToken,
  LOG_RETENTION_DAYS,
  SECRET_ARN,
  SQS_ARN,
} from './validate';

/** The SQS queue that triggers the function. */
export interface BunLambdaQueueSource {
  /** ARN of the queue (e.g. the Queue construct's `arn`). */
  readonly queueArn: string;
  /**
   * Records per invocation: 1-10000 for standard queues, 1-10 for FIFO queues. Above 10 needs
   * `maximumBatchingWindowSeconds` of at least 1.
   * @default 10
   */
  readonly batchSize?: number;
  /**
   * Seconds Lambda waits to fill a batch, 0-300 (not for FIFO queues).
   * @default 0 (Lambda's default)
   */
  readonly maximumBatchingWindowSeconds?: number;
  /**
   * Cap on concurrent invocations from this queue, 2-1000 (protects the database from a burst).
   * @default no cap (up to the account's unreserved concurrency)
   */
  readonly maximumConcurrency?: number;
  /**
   * Whether the mapping polls the queue.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * The queue's customer managed KMS key, if it uses one: the role gets kms:Decrypt on it.
   * @default none (SSE-SQS needs no key permission)
   */
  readonly kmsKeyArn?: string;
}

export interface BunLambdaProps {
  /** Function name: 1-64 letters, digits, hyphens or underscores. The log group is /aws/lambda/<name>. */
  readonly functionName: string;
  /**
   * Path to the handler module (exports `handler(event, context)`), bundled at synth with packageBunLambda;
   * relative paths are resolved against the working directory. Exactly one of `handler` and `bootstrapDir`.
   * @default none
   */
  readonly handler?: string;
  /**
   * A directory that already holds an executable `bootstrap`: a handler package built in CI by packageBunLambda
   * (`bootstrap` + `handler.js`, run on the Bun runtime layer) or a single compiled binary.
   * @default none
   */
  readonly bootstrapDir?: string;
  /**
   * Where `handler` builds are cached.
   * @default node_modules/.cache/backplane/bun-lambda under the working directory
   */
  readonly packageOutDir?: string;
  /**
   * CPU architecture; the Bun runtime layer is built for it.
   * @default 'arm64' (Graviton: about 20 % cheaper per GB-second than x86_64)
   */
  readonly architecture?: 'arm64' | 'x86_64';
  /**
   * Memory in MB, 128-10240 (CPU scales with it).
   * @default 256
   */
  readonly memorySize?: number;
  /**
   * Timeout in seconds, 1-900. The queue's visibility timeout should be at least 6 times this.
   * @default 30
   */
  readonly timeout?: number;
  /**
   * Reserved concurrency (0 stops the function).
   * @default none (shares the account's unreserved pool)
   */
  readonly reservedConcurrency?: number;
  /**
   * Plain environment variables (never secrets: they are visible in the console and in state).
   * @default {}
   */
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * Secrets the handler may read: environment variable name -> Secrets Manager secret ARN. The function gets
   * `<NAME>_SECRET_ARN` = the ARN and GetSecretValue on exactly these ARNs; it reads the values at init.
   * @default {}
   */
  readonly secrets?: Readonly<Record<string, string>>;
  /**
   * Log retention in days (a CloudWatch Logs value: 1, 3, 5, 7, 14, 30, 60, 90, ...).
   * @default 14
   */
  readonly logRetentionDays?: number;
  /**
   * SQS trigger with partial batch responses (ReportBatchItemFailures).
   * @default none (the function is invoked by other means, e.g. EventBridge Scheduler)
   */
  readonly queue?: BunLambdaQueueSource;
  /**
   * Run inside a VPC (to reach RDS/ElastiCache in private subnets).
   * @default none (no VPC; the function reaches only public endpoints)
   */
  readonly vpc?: { readonly subnetIds: readonly string[]; readonly securityGroupIds: readonly string[] };
  /**
   * Upload the zip to this S3 bucket instead of sending it in the CreateFunction request. A Bun binary zips to
   * 51,608,431 bytes, just under Lambda's 50 MiB (52,428,800-byte) direct-upload quota; a bigger one is refused
   * at synth (src/limits/lambda.ts) and needs this bucket.
   * @default none (direct upload)
   */
  readonly codeBucket?: string;
  /** @default none */
  readonly description?: string;
  /** @default none */
  readonly tags?: Readonly<Record<string, string>>;
}

const show = (v: unknown) => JSON.stringify(v);

/** Throws on the first invalid prop; the message names the field, the value and what is allowed. */
export function checkBunLambdaProps(p: BunLambdaProps): void {
  checkPattern('functionName', p.functionName, FUNCTION_NAME, '1-64 letters, digits, hyphens or underscores');
  if ((p.handler === undefined) === (p.bootstrapDir === undefined)) {
    throw new Error(
      `BunLambda: handler is ${show(p.handler)} and bootstrapDir is ${show(p.bootstrapDir)}; allowed: exactly one of them ` +
        '(a handler module to compile, or a directory that holds a compiled bootstrap)',
    );
  }
  checkOneOf('architecture', p.architecture, ['arm64', 'x86_64']);
  checkRange('memorySize', p.memorySize, 128, 10240, ' (MB)');
  checkRange('timeout', p.timeout, 1, 900, ' (seconds)');
  checkRange('reservedConcurrency', p.reservedConcurrency, 0, 1_000_000, ' (0 stops the function)');
  if (
    p.logRetentionDays !== undefined &&
    !isToken(p.logRetentionDays) &&
    !(LOG_RETENTION_DAYS as readonly number[]).includes(p.logRetentionDays)
  ) {
    throw new Error(`BunLambda: logRetentionDays is ${show(p.logRetentionDays)}; allowed: ${LOG_RETENTION_DAYS.join(', ')}`);
  }

  const env = p.environment ?? {};
  const secrets = p.secrets ?? {};
  checkEnvNames('environment', Object.keys(env));
  checkEnvNames('secrets', Object.keys(secrets));
  for (const [name, arn] of Object.entries(secrets)) {
    checkPattern(
      `secrets.${name}`,
      arn,
      SECRET_ARN,
      'a Secrets Manager secret ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>-<suffix>)',
    );
    if (!isToken(name) && `${name}_SECRET_ARN` in env) {
      throw new Error(`BunLambda: environment has ${name}_SECRET_ARN, which secrets.${name} also sets; allowed: one of the two`);
    }
  }
  const envBytes = Object.entries({ ...env, ...secrets }).reduce((n, [k, v]) => n + k.length + (isToken(v) ? 0 : v.length), 0);
  if (envBytes > 4096) {
    throw new Error(`BunLambda: environment and secrets take ${envBytes} bytes; allowed: at most 4096 bytes in total (Lambda's limit)`);
  }

  if (p.queue) checkQueue(p.queue);
  if (p.vpc) {
    for (const field of ['subnetIds', 'securityGroupIds'] as const) {
      const list = p.vpc[field];
      if (!isToken(list) && list.length === 0) throw new Error(`BunLambda: vpc.${field} is []; allowed: at least one id`);
    }
  }
}

/**
 * Limits from the Lambda API reference (CreateEventSourceMapping): SQS BatchSize default 10, max 10,000 for
 * standard and 10 for FIFO queues; MaximumBatchingWindowInSeconds 0-300, and "when you set BatchSize to a value
 * greater than 10, you must set MaximumBatchingWindowInSeconds to at least 1"; ScalingConfig.MaximumConcurrency
 * 2-1000 (AWS::Lambda::EventSourceMapping ScalingConfig).
 */
function checkQueue(q: BunLambdaQueueSource): void {
  checkPattern('queue.queueArn', q.queueArn, SQS_ARN, 'an SQS queue ARN (arn:aws:sqs:<region>:<account>:<name>)');
  const fifo = !isToken(q.queueArn) && q.queueArn.endsWith('.fifo');
  checkRange('queue.batchSize', q.batchSize, 1, fifo ? 10 : 10000, fifo ? ' for a FIFO queue' : ' for a standard queue');
  checkRange('queue.maximumBatchingWindowSeconds', q.maximumBatchingWindowSeconds, 0, 300);
  if (
    fifo &&
    q.maximumBatchingWindowSeconds !== undefined &&
    !isToken(q.maximumBatchingWindowSeconds) &&
    q.maximumBatchingWindowSeconds > 0
  ) {
    throw new Error(
      `BunLambda: queue.maximumBatchingWindowSeconds is ${q.maximumBatchingWindowSeconds} for a FIFO queue; allowed: 0 or unset`,
    );
  }
  const batch = q.batchSize ?? 10;
  const window = q.maximumBatchingWindowSeconds ?? 0;
  if (!isToken(batch) && !isToken(window) && batch > 10 && window < 1) {
    throw new Error(
      `BunLambda: queue.batchSize is ${batch} with maximumBatchingWindowSeconds ${window}; allowed: a batch size above 10 ` +
        'needs maximumBatchingWindowSeconds of at least 1',
    );
  }
  checkRange('queue.maximumConcurrency', q.maximumConcurrency, 2, 1000);
  if (q.kmsKeyArn !== undefined)
    checkPattern('queue.kmsKeyArn', q.kmsKeyArn, /^arn:aws[a-zA-Z-]*:kms:[a-z0-9-]+:[0-9]{12}:key\/.+$/, 'a KMS key ARN');
}
