import { resolveConfig } from '../../src/config';
import {
  MAINTENANCE_HEADROOM,
  SUPERUSER_RESERVED,
  UNBOUNDED_LAMBDA_CONCURRENCY,
  checkConnectionBudget,
  connectionBudget,
  dbInstanceClassMemory,
  postgresMaxConnections,
} from '../../src/config/connection-budget';
import { baseConfig } from './helpers';

const db = (database: Record<string, unknown>) => resolveConfig(baseConfig({ database })).database!;
const budgetOf = (extra: Record<string, unknown>) => connectionBudget(resolveConfig(baseConfig(extra)))!;
const refusal = (extra: Record<string, unknown>): string => {
  try {
    checkConnectionBudget(resolveConfig(baseConfig(extra)));
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('the configuration was accepted');
};

describe('max_connections', () => {
  it("follows RDS's LEAST(DBInstanceClassMemory/9531392, 5000) with the OS/RDS reservation subtracted", () => {
    // 1 GiB minus 230 MiB and 3 %: 800,357,089 bytes / 9,531,392 = 83.97.
    expect(dbInstanceClassMemory(1)).toBe(800357089);
    expect(postgresMaxConnections(db({})).value).toBe(83);
    expect(postgresMaxConnections(db({ instanceClass: 'db.t4g.small' })).value).toBe(193);
    expect(postgresMaxConnections(db({ instanceClass: 'db.t4g.medium' })).value).toBe(411);
    expect(postgresMaxConnections(db({ instanceClass: 'db.r6g.4xlarge' })).value).toBe(5000);
    expect(postgresMaxConnections(db({})).basis).toMatch(/LEAST\(DBInstanceClassMemory\/9531392, 5000\)/);
  });

  it('stays at or below the values measured on real instances (db.t2.small 198, t2.medium 413, t2.large 856, r4.large 1660)', () => {
    const estimate = (gib: number) => Math.floor(dbInstanceClassMemory(gib) / 9531392);
    expect(estimate(2)).toBeLessThanOrEqual(198);
    expect(estimate(4)).toBeLessThanOrEqual(413);
    expect(estimate(8)).toBeLessThanOrEqual(856);
    expect(estimate(15.25)).toBeLessThanOrEqual(1660);
    expect(estimate(8)).toBeGreaterThan(856 * 0.95);
  });

  it("uses AWS's Aurora Serverless v2 table by maximum ACUs, capped at 2000 when the minimum is 0.5 or less", () => {
    const aurora = (minCapacity: number, maxCapacity: number) =>
      postgresMaxConnections(db({ engine: 'aurora-serverless', minCapacity, maxCapacity })).value;
    expect(aurora(1, 1)).toBe(189);
    expect(aurora(1, 4)).toBe(823);
    expect(aurora(1, 8)).toBe(1669);
    expect(aurora(1, 16)).toBe(3360);
    expect(aurora(1, 64)).toBe(5000);
    expect(aurora(0.5, 16)).toBe(2000);
    expect(aurora(0, 64)).toBe(2000);
    // Between rows: linear in memory, so 2 ACUs sits between 189 and 823.
    expect(aurora(0.5, 2)).toBe(400);
  });
});

describe('the connection budget', () => {
  it('keeps the superuser slots and a maintenance headroom out of what the app may use', () => {
    const b = budgetOf({ database: {} });
    expect(b.available).toBe(b.maxConnections.value - SUPERUSER_RESERVED - MAINTENANCE_HEADROOM);
    expect(b.direct).toBe(4 * 10); // service.scaling.max x database.poolSize
  });

  it('accepts the largest pool that fits and refuses one more connection per task', () => {
    const { available } = budgetOf({ database: {} });
    const fits = Math.floor(available / 4);
    expect(() => checkConnectionBudget(resolveConfig(baseConfig({ database: { poolSize: fits } })))).not.toThrow();
    const message = refusal({ database: { poolSize: fits + 1 } });
    expect(message).toContain(
      `database.poolSize = ${fits + 1}: at full scale the app can open ${4 * (fits + 1)} connections, more than the ${available} the database allows it`,
    );
    expect(message).toContain(`max_connections ≈ 83 for db.t4g.micro`);
    expect(message).toContain(`= ${available} for the app`);
    expect(message).toContain(`api: 4 tasks (service.scaling.max) x ${fits + 1} (database.poolSize) = ${4 * (fits + 1)}`);
    expect(message).toContain(`database.poolSize: ${fits} (or less)`);
    expect(message).toContain('database.instanceClass: "db.t4g.small"');
  });

  it('counts worker services at their maxCount and scheduled tasks, and names each share', () => {
    const extra = {
      service: { image: 'public.ecr.aws/acme/api:1.0.0', scaling: { min: 1, max: 4 } },
      queues: { jobs: { worker: 'service', service: { command: ['bun', 'run', 'src/worker.ts'], maxCount: 3 } } },
      cron: { nightly: { schedule: 'cron(0 3 * * ? *)', command: ['bun', 'run', 'src/nightly.ts'] } },
      database: { poolSize: 10 },
    };
    const b = budgetOf(extra);
    expect(b.demands.map((d) => [d.label, d.connections])).toEqual([
      ['api', 40],
      ['queue "jobs" worker service', 30],
      ['cron "nightly" task', 10],
    ]);
    expect(b.direct).toBe(80);
    const message = refusal(extra);
    expect(message).toContain('queue "jobs" worker service: 3 tasks (queues.jobs.service.maxCount) x 10 (database.poolSize) = 30');
    expect(message).toContain('cron "nightly" task: 1 tasks (cron.nightly) x 10 (database.poolSize) = 10');
  });

  it('counts a Lambda consumer without a proxy at its concurrency, and suggests the proxy', () => {
    const lambdaQueue = (maxConcurrency?: number) => ({
      jobs: { worker: 'lambda', lambda: { handler: './workers/jobs.ts', ...(maxConcurrency ? { maxConcurrency } : {}) } },
    });
    const uncapped = budgetOf({ queues: lambdaQueue(), database: {} });
    expect(uncapped.demands[1]).toMatchObject({
      kind: 'lambda',
      via: 'direct',
      instances: UNBOUNDED_LAMBDA_CONCURRENCY,
      connections: UNBOUNDED_LAMBDA_CONCURRENCY,
    });
    const message = refusal({ queues: lambdaQueue(), database: {} });
    expect(message).toContain('queue "jobs" worker Lambda: 1000 concurrent instances');
    expect(message).toContain('database.proxy: true');
    // A cap that fits is accepted.
    expect(() => checkConnectionBudget(resolveConfig(baseConfig({ queues: lambdaQueue(20), database: {} })))).not.toThrow();
  });

  it('with RDS Proxy, Lambdas count only through the proxy, whose share is what the tasks leave', () => {
    const b = budgetOf({ queues: { jobs: { worker: 'lambda', lambda: { handler: './workers/jobs.ts' } } }, database: { proxy: true } });
    expect(b.demands[1]).toMatchObject({ via: 'proxy' });
    expect(b.direct).toBe(40);
    expect(b.proxyMaxConnectionsPercent).toBe(Math.floor((100 * (b.available - 40)) / b.maxConnections.value));
    expect(b.direct + b.proxyConnections!).toBeLessThanOrEqual(b.available);
    expect(() => checkConnectionBudget(resolveConfig(baseConfig({ database: { proxy: true } })))).not.toThrow();
  });

  it('refuses a proxy that the tasks leave no room for', () => {
    const { available } = budgetOf({ database: {} });
    const pool = Math.floor(available / 4) - 1; // tasks fit, but fewer than 10 connections remain
    const message = refusal({ database: { proxy: true, poolSize: pool } });
    expect(message).toMatch(/^database\.proxy = true leaves RDS Proxy \d+ connections \(it needs at least 10\)/);
  });

  it('refuses an Aurora range that cannot hold the pools and suggests more capacity', () => {
    const message = refusal({
      service: { image: 'public.ecr.aws/acme/api:1.0.0', scaling: { min: 1, max: 20 } },
      database: { engine: 'aurora-serverless', maxCapacity: 1, minCapacity: 0.5 },
    });
    expect(message).toContain('max_connections ≈ 189 for Aurora Serverless v2 with maxCapacity 1 ACU');
    expect(message).toContain('api: 20 tasks (service.scaling.max) x 10 (database.poolSize) = 200');
    expect(message).toMatch(/database\.maxCapacity: 2 \(max_connections ≈ 400\)/);
  });

  it('warns, without refusing, when a rolling deploy at full scale would need twice the task connections', () => {
    const { available } = budgetOf({ database: {} });
    const b = budgetOf({ database: { poolSize: Math.floor(available / 4) } });
    expect(b.deployPeak).toBe(2 * b.direct);
    expect(b.warnings.join('\n')).toMatch(/rolling deploy/);
    expect(budgetOf({ database: { poolSize: 5 } }).warnings).toEqual([]);
  });

  it('is not computed without a database', () => {
    expect(connectionBudget(resolveConfig(baseConfig()))).toBeUndefined();
    expect(checkConnectionBudget(resolveConfig(baseConfig({ cache: {} })))).toBeUndefined();
  });
});
