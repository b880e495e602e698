/**
 * A queue with its dead-letter queue, consumed by the worker in ./handler.ts as a Bun Lambda.
 * `npm run build && node dist/examples/lambda-worker/stack.js` synthesizes it into cdktf.out/stacks/lambda-worker.
 * Applying it creates billable resources: the Lambda costs nothing at rest (pay per request and GB-second; arm64,
 * 256 MB: ~$0.0000033 per second of work); SQS is free up to 1M requests per month; logs are kept 14 days.
 */
import { AwsProvider } from '@cdktn/provider-aws/lib/provider';
import { SecretsmanagerSecret } from '@cdktn/provider-aws/lib/secretsmanager-secret';
import { SqsQueue } from '@cdktn/provider-aws/lib/sqs-queue';
import { App, Fn, TerraformStack } from 'cdktn';
import * as fs from 'fs';
import * as path from 'path';
import { BunLambda } from '../../src/constructs/bun-lambda';

/** The TypeScript source when run from the repo, next to this file (src or dist). */
function handlerPath(): string {
  const candidates = [path.join(__dirname, 'handler.ts'), path.resolve(__dirname, '../../../examples/lambda-worker/handler.ts')];
  const found = candidates.find((p) => fs.existsSync(p));
  if (!found) throw new Error(`handler.ts not found (looked in ${candidates.join(', ')})`);
  return found;
}

export function workerStack(app: App): TerraformStack {
  const stack = new TerraformStack(app, 'lambda-worker');
  new AwsProvider(stack, 'aws', { region: 'us-east-1' });
  stack.addOverride('terraform.required_providers.aws.version', '>= 5.100, < 7');

  const timeout = 60;
  const dlq = new SqsQueue(stack, 'jobs_dlq', {
    name: 'shop-jobs-dlq',
    messageRetentionSeconds: 14 * 24 * 3600,
    sqsManagedSseEnabled: true,
  });
  const queue = new SqsQueue(stack, 'jobs', {
    name: 'shop-jobs',
    sqsManagedSseEnabled: true,
    // At least 6 times the function timeout, so a message is not redelivered while a batch is still running.
    visibilityTimeoutSeconds: 6 * timeout,
    redrivePolicy: Fn.jsonencode({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 3 }),
  });
  const db = new SecretsmanagerSecret(stack, 'database', { name: 'shop-database-url' });

  new BunLambda(stack, 'worker', {
    functionName: 'shop-worker',
    handler: handlerPath(),
    timeout,
    queue: { queueArn: queue.arn, batchSize: 10, maximumConcurrency: 5 },
    secrets: { DATABASE: db.arn },
    environment: { STAGE: 'dev' },
  });
  return stack;
}

if (require.main === module) {
  const app = new App();
  workerStack(app);
  app.synth();
}
