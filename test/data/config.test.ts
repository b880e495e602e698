import { resolveConfig } from '../../src/config';
import { baseConfig } from './helpers';

const problems = (extra: Record<string, unknown>): string => {
  try {
    resolveConfig(baseConfig(extra));
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('the configuration was accepted');
};

describe('database and cache sections', () => {
  it('are optional: absent means neither is deployed', () => {
    const c = resolveConfig(baseConfig());
    expect(c.database).toBeUndefined();
    expect(c.cache).toBeUndefined();
  });

  it('default to RDS PostgreSQL 17 on db.t4g.micro, gp3 20 GB growing to 100, 7-day backups, pools of 10', () => {
    expect(resolveConfig(baseConfig({ database: {} })).database).toEqual({
      engine: 'postgres',
      engineVersion: '17',
      instanceClass: 'db.t4g.micro',
      allocatedStorage: 20,
      maxAllocatedStorage: 100,
      multiAz: false,
      minCapacity: 0.5,
      maxCapacity: 2,
      autoPauseSeconds: 300,
      readers: 0,
      databaseName: 'app',
      username: 'app',
      poolSize: 10,
      proxy: false,
      backupRetentionDays: 7,
      performanceInsights: false,
    });
  });

  it('default to one Valkey cache.t4g.micro node, and two nodes with multiAz', () => {
    expect(resolveConfig(baseConfig({ cache: {} })).cache).toEqual({
      engine: 'valkey',
      nodeType: 'cache.t4g.micro',
      multiAz: false,
      nodes: 1,
      authTokenVersion: 1,
      revokeOldAuthToken: false,
    });
    expect(resolveConfig(baseConfig({ cache: { multiAz: true } })).cache?.nodes).toBe(2);
    expect(resolveConfig(baseConfig({ cache: { engine: 'redis' } })).cache?.engine).toBe('redis');
  });

  it('accept Aurora Serverless v2 with min 0 (auto-pause) and half-ACU steps', () => {
    const d = resolveConfig(
      baseConfig({ database: { engine: 'aurora-serverless', minCapacity: 0, maxCapacity: 2.5, autoPauseSeconds: 600 } }),
    ).database;
    expect(d).toMatchObject({ engine: 'aurora-serverless', minCapacity: 0, maxCapacity: 2.5, autoPauseSeconds: 600 });
  });
});

describe('bad data-tier configs are refused with the field, the value and what is allowed', () => {
  it('an unknown engine', () => {
    expect(problems({ database: { engine: 'mysql' } })).toContain(
      'database.engine = "mysql": must be one of "postgres", "aurora-serverless"',
    );
    expect(problems({ cache: { engine: 'memcached' } })).toContain('cache.engine = "memcached": must be one of "valkey", "redis"');
  });

  it('an instance class Backplane cannot size connections for', () => {
    expect(problems({ database: { instanceClass: 'db.x9.huge' } })).toMatch(
      /database\.instanceClass = "db\.x9\.huge": must be an RDS instance class Backplane can size connections for: db\.t3\/t4g\.micro/,
    );
  });

  it('settings of the other engine', () => {
    expect(problems({ database: { engine: 'aurora-serverless', instanceClass: 'db.t4g.small' } })).toContain(
      'database.instanceClass = "db.t4g.small": only applies to engine "postgres" (engine is "aurora-serverless")',
    );
    expect(problems({ database: { minCapacity: 1 } })).toContain(
      'database.minCapacity = 1: only applies to engine "aurora-serverless" (engine is "postgres")',
    );
  });

  it('ACUs off the 0.5 grid, a minimum above the maximum, and auto-pause behind a proxy', () => {
    expect(problems({ database: { engine: 'aurora-serverless', maxCapacity: 2.3 } })).toContain(
      'database.maxCapacity = 2.3: must be from 1 to 256 ACUs in steps of 0.5',
    );
    expect(problems({ database: { engine: 'aurora-serverless', minCapacity: 4, maxCapacity: 2 } })).toContain(
      'database.minCapacity = 4: must not exceed maxCapacity (2)',
    );
    expect(problems({ database: { engine: 'aurora-serverless', minCapacity: 0, proxy: true } })).toContain(
      'database.minCapacity = 0: cannot be 0 with proxy: true: Aurora does not pause automatically behind RDS Proxy',
    );
    expect(problems({ database: { engine: 'aurora-serverless', autoPauseSeconds: 600 } })).toContain(
      'database.autoPauseSeconds = 600: only applies with minCapacity: 0',
    );
  });

  it('storage autoscaling below the allocated storage, reserved user names, and pools of 0', () => {
    expect(problems({ database: { allocatedStorage: 50, maxAllocatedStorage: 40 } })).toContain(
      'database.maxAllocatedStorage = 40: must be 0 (no storage autoscaling) or at least allocatedStorage (50)',
    );
    expect(problems({ database: { username: 'rdsadmin' } })).toContain(
      'database.username = "rdsadmin": must not be rdsadmin (reserved by RDS)',
    );
    expect(problems({ database: { poolSize: 0 } })).toContain('database.poolSize = 0: must be at least 1');
  });

  it('a Multi-AZ cache with a single node, and a bad node type', () => {
    expect(problems({ cache: { multiAz: true, nodes: 1 } })).toContain('cache.nodes = 1: must be at least 2 with multiAz: true');
    expect(problems({ cache: { nodeType: 't4g.micro' } })).toContain(
      'cache.nodeType = "t4g.micro": must be a cache node type such as "cache.t4g.micro"',
    );
  });

  it('a password or token in the config: there is no such setting', () => {
    expect(problems({ database: { password: 'hunter2' } })).toContain('database.password: unknown setting');
    expect(problems({ cache: { authToken: 'hunter2hunter2hunter2' } })).toContain('cache.authToken: unknown setting');
  });
});
