/**
 * The built-in example as a production stage: the same shop, `stage: 'prod'`. Where this file is silent, prod
 * brings its own defaults (src/config/stage-defaults.ts): 2 tasks spread over the AZs, a Multi-AZ database, a cache
 * replica with automatic failover and a NAT Gateway per AZ (no public IPs on tasks). Every stateful resource is
 * protected; the image is pinned by digest; the state lives in S3. docs/production.md lists each control.
 *
 *   npx backplane cost --config examples/production/backplane.config.ts   # dev and prod side by side
 */
import { defineConfig } from '../../src/config';

export default defineConfig({
  name: 'shop',
  stage: 'prod',
  region: 'us-east-1',
  domain: 'example.com',
  service: {
    // What `backplane image push` printed: a tag could be moved to other code after review.
    imageDigest: 'sha256:4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945',
    cpu: 256,
    memory: 512,
    migrateCommand: ['bun', 'run', 'src/migrate.ts'],
    // 2 to 4 tasks x 8 connections, doubled during a rolling deploy (64), fits db.t4g.micro's ~83 (checked at synth).
    scaling: { max: 4 },
  },
  edge: {
    mode: 'attach',
    distributionId: 'E1FRONTEND0001',
    snapshotFile: '../fullstack/frontend-distribution.json',
    pathPattern: '/api/*',
  },
  dns: { provider: 'manual' },
  database: { engine: 'postgres', instanceClass: 'db.t4g.micro', poolSize: 8 },
  cache: { engine: 'valkey', nodeType: 'cache.t4g.micro' },
  queues: { jobs: { worker: 'in-process', workerTimeoutSeconds: 30 } },
  cron: {
    nightly: { schedule: 'cron(0 3 * * ? *)', timezone: 'Europe/Berlin', command: ['bun', 'run', 'src/jobs/nightly.ts'] },
  },
  email: { from: 'no-reply', mailFromSubdomain: 'mail' },
  alarms: { email: 'oncall@example.com' },
  // `backplane init --backend s3` creates (or safely updates) the bucket; the key defaults to shop/prod/terraform.tfstate.
  state: { backend: 's3', bucket: 'shop-terraform-state', region: 'us-east-1' },
});
