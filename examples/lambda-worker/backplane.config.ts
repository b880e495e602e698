/**
 * The `lambda` worker mode in a Backplane config: the `jobs` queue is consumed by ./handler.ts, bundled at synth
 * (`bun build --target=bun`) and run by the stack's Bun runtime layer (linux arm64) on provided.al2023, triggered by an SQS
 * event source mapping with partial batch responses. The API service only sends to the queue.
 *
 * What the async tier makes of it: the queue `shop-dev-jobs` with SSE and a dead-letter queue (3 receives, 14 days),
 * a visibility timeout of 6 x 60 s = 360 s, QUEUE_URL_JOBS on the API and the function, the function
 * `shop-dev-jobs-worker` in the app subnets, and the app secret DATABASE: a Secrets Manager secret without a value
 * (set it with `aws secretsmanager put-secret-value --secret-id shop-dev/DATABASE --secret-string file://db.txt`),
 * injected into the API as DATABASE and given to the function as DATABASE_SECRET_ARN, which handler.ts reads at init.
 *
 * Applying it creates billable resources: on top of the base stack, the Lambda is pay-per-use (arm64, 256 MB: about
 * $0.0000033 per second of work), SQS is free up to 1M requests a month, the secret is $0.40 a month, and the NAT
 * instance a VPC Lambda needs to reach AWS APIs is about $6.72 a month.
 */
import { defineConfig } from '../../src/config';

export default defineConfig({
  name: 'shop',
  stage: 'dev',
  region: 'us-east-1',
  domain: 'example.com',
  // A Lambda in the VPC gets no public IP: it reaches Secrets Manager, SES and SQS only through NAT.
  network: { nat: 'instance' },
  service: { imageTag: 'v1' },
  edge: { mode: 'subdomain', subdomain: 'api' },
  queues: {
    jobs: {
      worker: 'lambda',
      lambda: { handler: './handler.ts', timeout: 60, batchSize: 10, maxConcurrency: 5 },
    },
  },
  secrets: {
    DATABASE: { description: 'Connection string the report jobs use (read by the worker at init)' },
  },
});
