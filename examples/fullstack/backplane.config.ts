/**
 * The built-in example: a shop whose static frontend already runs on S3 + CloudFront (distribution
 * E1FRONTEND0001, snapshot committed next to this file). Backplane adds the API at /api/*.
 * `npm run synth` synthesizes it offline; `npx backplane cost` prices it (about $52/month).
 */
import { defineConfig } from '../../src/config';

export default defineConfig({
  name: 'shop',
  stage: 'dev',
  region: 'us-east-1',
  domain: 'example.com',
  network: {
    // The cheapest secure shape: tasks in public subnets with public IPs, reachable only from the load
    // balancer's security group; the data tier stays in private subnets. "instance" adds ~$6.72/month.
    nat: 'none',
  },
  service: {
    imageTag: 'v1',
    cpu: 256,
    memory: 512,
    migrateCommand: ['bun', 'run', 'src/migrate.ts'],
    // At least 1 task here; a prod stage defaults to 2 (spread over AZs) where min is not set.
    scaling: { max: 4 },
  },
  edge: {
    mode: 'attach',
    distributionId: 'E1FRONTEND0001',
    snapshotFile: 'frontend-distribution.json',
    pathPattern: '/api/*',
  },
  // DNS lives outside Route53 here: Backplane prints the records to create and waits for the certificate.
  dns: { provider: 'manual' },
  // 4 tasks x 8 connections, doubled during a rolling deploy (64), fits db.t4g.micro's ~83 (checked at synth).
  database: { engine: 'postgres', instanceClass: 'db.t4g.micro', poolSize: 8 },
  cache: { engine: 'valkey', nodeType: 'cache.t4g.micro' },
  queues: {
    // Consumed by the API process itself (no extra compute): the default and cheapest worker.
    jobs: { worker: 'in-process', workerTimeoutSeconds: 30 },
  },
  cron: {
    nightly: { schedule: 'cron(0 3 * * ? *)', timezone: 'Europe/Berlin', command: ['bun', 'run', 'src/jobs/nightly.ts'] },
  },
  email: { from: 'no-reply', mailFromSubdomain: 'mail' },
});
