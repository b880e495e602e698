/**
 * An SQS worker for the `lambda` worker mode: bundled by Backplane into `handler.js` (with a `bootstrap` script)
 * and run by the stack's Bun runtime layer on Lambda's provided.al2023 runtime, arm64.
 *
 * Contract: export `handler(event, context)`. Return `{ batchItemFailures: [{ itemIdentifier }] }` (built here by
 * processSqsBatch) so only failed messages go back to the queue; throwing fails the whole batch.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { LambdaContext } from '../../src/lambda/runtime';
import { processSqsBatch, type SqsEvent, type SqsRecord } from '../../src/lambda/sqs';

interface Job {
  readonly type: 'email.welcome' | 'report.build';
  readonly id: string;
  readonly to?: string;
}

// Init code runs once per execution environment, before the first event. Lambda has no `secrets` injection:
// BunLambda sets DATABASE_SECRET_ARN (from its `secrets: { DATABASE: <arn> }`) and allows GetSecretValue on
// exactly that ARN; the value is fetched here, once, and reused by every invocation of this environment.
const config = (async () => {
  const arn = process.env.DATABASE_SECRET_ARN;
  if (!arn) return { databaseUrl: undefined };
  const secret = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: arn }));
  return { databaseUrl: secret.SecretString };
})();

const log = (level: 'info' | 'error', msg: string, fields: Record<string, unknown> = {}) =>
  (level === 'error' ? console.error : console.log)(JSON.stringify({ level, msg, ...fields }));

async function run(job: Job, databaseUrl: string | undefined): Promise<void> {
  switch (job.type) {
    case 'email.welcome':
      if (!job.to) throw new Error(`job ${job.id}: email.welcome needs "to"`);
      // send through SES here
      return;
    case 'report.build':
      if (!databaseUrl) throw new Error(`job ${job.id}: report.build needs the database`);
      // query the database here
      return;
    default:
      throw new Error(`unknown job type ${JSON.stringify((job as { type: unknown }).type)}`);
  }
}

export async function handler(event: SqsEvent, context: LambdaContext) {
  const { databaseUrl } = await config;
  const result = await processSqsBatch(
    event,
    async (record: SqsRecord) => {
      const job = JSON.parse(record.body) as Job;
      await run(job, databaseUrl);
      log('info', 'job done', { job: job.id, type: job.type, requestId: context.awsRequestId });
    },
    {
      onError: (record, error) =>
        log('error', 'job failed', { messageId: record.messageId, error: error instanceof Error ? error.message : String(error) }),
    },
  );
  log('info', 'batch done', { records: event.Records.length, failed: result.batchItemFailures.length });
  return result;
}
