/**
 * The real flow, for a production frontend: the site already runs on S3 + CloudFront (distribution
 * E2QWRUHAPOMQZL here: use yours), DNS lives outside Route53, state lives in S3. Backplane adds ONE origin
 * (an internal ALB, through a CloudFront VPC origin) and ONE behavior (/api/*) to that distribution and
 * changes nothing else. Walk through README.md next to this file before the first deploy.
 */
import { defineConfig } from '../../src/config';

export default defineConfig({
  name: 'shop',
  stage: 'prod', // deletion protection and prevent_destroy on the database, the cache snapshots and the ALB
  region: 'eu-west-1',
  domain: 'example.com',
  state: { backend: 's3', bucket: 'shop-terraform-state-123456789012', region: 'eu-west-1' },
  network: { nat: 'instance' }, // tasks in private subnets; ~$6.72/month for the NAT instance
  service: {
    // Pin the digest `npx backplane image push` prints: a deploy then runs exactly the image you tested.
    imageDigest: 'sha256:4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945',
    migrateCommand: ['bun', 'run', 'src/migrate.ts'],
    scaling: { min: 2, max: 6 },
  },
  edge: {
    mode: 'attach',
    distributionId: 'E2QWRUHAPOMQZL',
    // Written by `npx backplane cloudfront snapshot --id E2QWRUHAPOMQZL --out frontend-distribution.json`
    // and committed: the apply refuses to run if the live distribution changed since.
    snapshotFile: 'frontend-distribution.json',
    pathPattern: '/api/*',
  },
  dns: { provider: 'manual' },
  database: { engine: 'postgres', instanceClass: 'db.t4g.small', multiAz: true, poolSize: 8 },
  cache: { engine: 'valkey', nodeType: 'cache.t4g.micro' },
  queues: { jobs: { worker: 'in-process' } },
  email: { from: 'no-reply', mailFromSubdomain: 'mail' },
});
