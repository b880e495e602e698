import builtInExample from '../../examples/fullstack/backplane.config';
import { resolveConfig, type BackplaneConfigInput } from '../../src/config';
import { cents, estimateCost, fargateTaskMonth, invocationsPerMonth, type CostEstimate } from '../../src/cost';
import * as P from '../../src/cost/prices';
import { WITHOUT_TIERS, defaultProfile as withDataTier, example as exampleConfig } from './profiles';

const resolve = (input: BackplaneConfigInput) => resolveConfig(input);
const line = (e: CostEstimate, prefix: string) => {
  const found = e.lines.filter((l) => l.item.startsWith(prefix));
  if (found.length !== 1)
    throw new Error(`expected one line starting "${prefix}", found ${found.length}: ${e.lines.map((l) => l.item).join(' | ')}`);
  return found[0];
};

describe('the price table', () => {
  it('holds the PRICES.md figures, each with a source and the month read', () => {
    const prices = Object.entries(P).filter(([, v]) => typeof v === 'object' && v !== null && 'usd' in v) as [string, P.Price][];
    expect(prices.length).toBeGreaterThan(40);
    for (const [name, p] of prices) {
      expect({ name, hasSource: p.source.length > 3, read: p.read }).toEqual({ name, hasSource: true, read: '2026-11' });
    }
    expect(P.HOURS_PER_MONTH).toBe(730);
    expect(P.FARGATE_ARM_VCPU_HOUR.usd).toBe(0.03238);
    expect(P.PUBLIC_IPV4_HOUR.usd).toBe(0.005);
    expect(P.NAT_GATEWAY_HOUR.usd).toBe(0.045);
  });

  it('rounds half-cents up even when the binary fraction is just below (16.425 -> 16.43)', () => {
    expect(cents(730 * 0.0225)).toBe(16.43);
    expect(cents(730 * 0.0042)).toBe(3.07);
    expect(cents(0.004999)).toBe(0);
  });
});

describe('the default profile', () => {
  it('the built-in example comes in at or below $55/month', () => {
    const e = estimateCost(resolve(builtInExample));
    expect(e.total).toBeLessThanOrEqual(55);
    expect(e.total).toBe(Math.round(e.lines.reduce((s, l) => s + l.monthly * 100, 0)) / 100);
  });

  it('with the default database and cache it is the $53 floor, each line reproducible from the table', () => {
    const e = estimateCost(withDataTier());
    expect(line(e, 'Fargate: api').monthly).toBe(7.21); // 0.25 x 0.03238 x 730 + 0.5 x 0.00356 x 730
    expect(line(e, 'Application Load Balancer').monthly).toBe(16.43);
    expect(line(e, 'ALB LCUs').monthly).toBe(0);
    expect(line(e, 'Public IPv4: one per task').monthly).toBe(3.65);
    expect(line(e, 'RDS PostgreSQL db.t4g.micro').monthly).toBe(11.68);
    expect(line(e, 'RDS gp3 storage (20 GB)').monthly).toBe(2.3);
    expect(line(e, 'ElastiCache valkey cache.t4g.micro (1 node)').monthly).toBe(9.34);
    expect(line(e, 'Secrets Manager (2 secrets').monthly).toBe(0.8);
    expect(line(e, 'CloudWatch Logs').monthly).toBe(0.51);
    expect(line(e, 'ECR storage').monthly).toBe(0.1);
    // 6 service alarms, database CPU, storage, connections, cache memory, evictions; the 5xx rates watch 2 metrics each.
    expect(line(e, 'CloudWatch alarms (11 alarms, 13 metrics)').monthly).toBe(1.3);
    expect(e.total).toBe(53.32);
    expect(e.total).toBeLessThanOrEqual(55);
    // No public IPv4 for the internal ALB behind the VPC origin, no NAT.
    expect(e.lines.some((l) => /ALB \(|NAT/.test(l.item))).toBe(false);
  });

  it('shows its arithmetic on every line', () => {
    const e = estimateCost(withDataTier());
    expect(line(e, 'Fargate: api').detail).toBe('1 x (0.25 vCPU x $0.03238 + 0.5 GB x $0.00356) x 730 h');
    expect(line(e, 'RDS PostgreSQL').detail).toBe('730 h x $0.016');
    for (const l of e.lines) expect(l.detail).toMatch(/\$/);
  });
});

describe('each component priced from the config', () => {
  it('Fargate: x86, Spot and more tasks', () => {
    expect(cents(fargateTaskMonth(256, 512, 'arm64', false))).toBe(7.21);
    expect(cents(fargateTaskMonth(256, 512, 'x86_64', false))).toBe(9.01);
    expect(cents(fargateTaskMonth(256, 512, 'arm64', true))).toBe(2.16);
    const e = estimateCost(
      resolve(exampleConfig({ service: { ...builtInExample.service, cpu: 1024, memory: 2048, scaling: { min: 2, max: 4 } } })),
    );
    expect(line(e, 'Fargate: api (2 tasks, 1 vCPU / 2 GB').monthly).toBe(cents(2 * (0.03238 + 2 * 0.00356) * 730));
    expect(line(e, 'Public IPv4: one per task (nat "none", 2 tasks').monthly).toBe(7.3);
  });

  it('NAT: instance (t4g.nano + its IPv4), gateway (per gateway + data + Elastic IP), none (an IPv4 per task)', () => {
    const instance = estimateCost(withDataTier({ network: { nat: 'instance' } }));
    expect(line(instance, 'NAT instance').monthly).toBe(3.07);
    expect(line(instance, 'Public IPv4: NAT instance').monthly).toBe(3.65);
    expect(instance.lines.some((l) => l.item.startsWith('Public IPv4: one per task'))).toBe(false);
    const gateway = estimateCost(withDataTier({ network: { nat: 'gateway', natGatewayPerAz: true } }));
    expect(line(gateway, 'NAT Gateway (2)').monthly).toBe(65.7);
    expect(line(gateway, 'NAT Gateway data').monthly).toBe(0.05);
    expect(line(gateway, 'Public IPv4: NAT Gateway Elastic IPs (2)').monthly).toBe(7.3);
  });

  it('ALB: public IPv4 per AZ when internet-facing, LCUs from the configured traffic', () => {
    const sub = estimateCost(resolve({ ...builtInExample, edge: { mode: 'subdomain' } }));
    expect(line(sub, 'Public IPv4: internet-facing ALB (2 AZs)').monthly).toBe(7.3);
    const three = estimateCost(resolve({ ...builtInExample, edge: { mode: 'subdomain' }, network: { nat: 'none', azCount: 3 } }));
    expect(line(three, 'Public IPv4: internet-facing ALB (3 AZs)').monthly).toBe(10.95);
    const busy = estimateCost(resolve(builtInExample), { requestsPerMonth: 10_000_000 });
    // 10 M requests/month = 3.805 new connections/s = 0.1522 LCU (above 0.137 GB/h of 10 KB requests)
    expect(line(busy, 'ALB LCUs').monthly).toBe(cents((10_000_000 / (730 * 3600) / 25) * 730 * 0.008));
    expect(line(busy, 'ALB LCUs').monthly).toBe(0.89);
  });

  it('RDS: Multi-AZ doubles instance and storage; Aurora bills min ACU and storage; proxy by vCPU or ACU', () => {
    const multi = estimateCost(withDataTier({ database: { engine: 'postgres', multiAz: true, allocatedStorage: 50 } }));
    expect(line(multi, 'RDS PostgreSQL db.t4g.micro Multi-AZ').monthly).toBe(23.36);
    expect(line(multi, 'RDS gp3 storage (50 GB)').monthly).toBe(11.5);
    const aurora = estimateCost(withDataTier({ database: { engine: 'aurora-serverless', proxy: true } }));
    expect(line(aurora, 'Aurora Serverless v2 (writer, min 0.5 ACU each)').monthly).toBe(43.8);
    const withReader = estimateCost(withDataTier({ database: { engine: 'aurora-serverless', readers: 1 } }));
    expect(line(withReader, 'Aurora Serverless v2 (writer + 1 reader, min 0.5 ACU each)').monthly).toBe(87.6);
    expect(line(aurora, 'Aurora storage').monthly).toBe(0.1);
    expect(line(aurora, 'RDS Proxy (min 8 ACU)').monthly).toBe(87.6);
    const paused = estimateCost(withDataTier({ database: { engine: 'aurora-serverless', minCapacity: 0 } }));
    expect(line(paused, 'Aurora Serverless v2 (writer, min 0 ACU each)').monthly).toBe(0);
    const proxied = estimateCost(withDataTier({ database: { engine: 'postgres', proxy: true } }));
    expect(line(proxied, 'RDS Proxy (2 vCPU billed)').monthly).toBe(21.9);
  });

  it('ElastiCache: node price x nodes; Redis OSS priced apart from Valkey', () => {
    const two = estimateCost(withDataTier({ cache: { engine: 'valkey', multiAz: true } }));
    expect(line(two, 'ElastiCache valkey cache.t4g.micro (2 nodes)').monthly).toBe(18.69);
    const redis = estimateCost(withDataTier({ cache: { engine: 'redis' } }));
    expect(line(redis, 'ElastiCache redis cache.t4g.micro').monthly).toBe(11.68);
  });

  it('names what the table cannot price instead of pricing it as zero', () => {
    const e = estimateCost(withDataTier({ database: { engine: 'postgres', instanceClass: 'db.t4g.medium' } }));
    expect(e.unpriced.some((u) => u.includes('db.t4g.medium'))).toBe(true);
    expect(e.lines.some((l) => l.item.startsWith('RDS PostgreSQL'))).toBe(false);
  });

  it('prices a missing section as zero', () => {
    const e = estimateCost(resolve(exampleConfig(WITHOUT_TIERS)));
    expect(e.lines.some((l) => /RDS|Aurora|ElastiCache|SQS|SES|Scheduler/.test(l.item))).toBe(false);
    expect(e.total).toBe(28.7);
  });

  it('counts the secrets the stack creates and the ones the service references', () => {
    const arn = (n: string) => `arn:aws:secretsmanager:us-east-1:123456789012:secret:${n}-AbCdEf`;
    const e = estimateCost(
      resolve(
        exampleConfig({
          database: { engine: 'postgres' },
          cache: { engine: 'valkey' },
          edge: { mode: 'attach', distributionId: 'E2QWRUHAPOMQZL', snapshotFile: 'x.json', albAccess: 'public' },
          secrets: { STRIPE_KEY: { description: 'Stripe' } },
          service: { ...builtInExample.service, secrets: { A: arn('shared'), B: `${arn('shared')}:password::`, C: arn('other') } },
        }),
      ),
    );
    // master, auth token, origin-verify, STRIPE_KEY, and 2 distinct referenced secrets
    expect(line(e, 'Secrets Manager (6 secrets').monthly).toBe(2.4);
  });

  it('SQS long polling stays in the free tier; worker services add Fargate and (nat none) IPv4 per task', () => {
    const e = estimateCost(
      resolve(
        exampleConfig({
          queues: {
            jobs: { worker: 'in-process' },
            mail: { worker: 'service', service: { command: ['bun', 'run', 'w.ts'], minCount: 1 } },
          },
        }),
      ),
    );
    expect(line(e, 'SQS (2 queues').monthly).toBe(0);
    expect(line(e, 'SQS (2 queues').detail).toContain('262,800 long-poll requests/month');
    expect(line(e, 'Fargate: worker mail (1 task').monthly).toBe(7.21);
    expect(line(e, 'Public IPv4: one per task (nat "none", 2 tasks').monthly).toBe(7.3);
  });

  it('counts schedule invocations per month', () => {
    expect(invocationsPerMonth('rate(5 minutes)')).toBe(8760);
    expect(invocationsPerMonth('rate(1 hour)')).toBe(730);
    expect(invocationsPerMonth('cron(0 3 * * ? *)')).toBe(31);
    expect(invocationsPerMonth('cron(0/15 * * * ? *)')).toBe(2919);
    expect(invocationsPerMonth('at(2026-12-01T00:00:00)')).toBe(1);
  });
});
