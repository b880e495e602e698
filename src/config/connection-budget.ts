/**
 * The PostgreSQL connection budget: how many connections the database allows (max_connections, from the instance
 * class memory or the Aurora maximum ACUs) against how many the configuration can open (every task's pool at full
 * scale, every Lambda that connects directly). A configuration that can exhaust it is refused at synth time with
 * the numbers and the fixes. Sources:
 *
 * - RDS for PostgreSQL: max_connections defaults to LEAST({DBInstanceClassMemory/9531392}, 5000) ("Maximum number
 *   of database connections", RDS user guide, CHAP_Limits.html#RDS_Limits.MaxConnections; also AWS Prescriptive
 *   Guidance "Tuning PostgreSQL parameters: max_connections"). DBInstanceClassMemory is the class memory minus
 *   what the OS and RDS processes reserve, which AWS does not publish per class: we subtract 230 MiB + 3 %, which
 *   stays below the values measured on db.t2.small (198), db.t2.medium (413), db.t2.large (856) and db.r4.large
 *   (1660), so the estimate errs on the safe side.
 * - Aurora PostgreSQL Serverless v2: max_connections follows the maximum ACUs, per the table "Maximum connections
 *   for Aurora Serverless v2" (1 ACU: 189, 4: 823, 8: 1,669, 16: 3,360, 32 and more: 5,000), capped at 2,000 when
 *   the minimum capacity is 0 or 0.5 ACU (Aurora user guide, aurora-serverless-v2.setting-capacity.html). Between
 *   the table's rows the value is linear in memory, so we interpolate.
 * - superuser_reserved_connections = 3 on RDS: those slots are never available to the app.
 */
import type { BackplaneConfig } from './schema';
import type { ResolvedDatabaseConfig } from './database';
import { ConfigError } from './errors';

const GiB = 1024 ** 3;
const BURSTABLE = { micro: 1, small: 2, medium: 4, large: 8, xlarge: 16, '2xlarge': 32 };
const GENERAL = { large: 8, xlarge: 16, '2xlarge': 32, '4xlarge': 64, '8xlarge': 128, '12xlarge': 192, '16xlarge': 256, '24xlarge': 384 };
const MEMORY = { large: 16, xlarge: 32, '2xlarge': 64, '4xlarge': 128, '8xlarge': 256, '12xlarge': 384, '16xlarge': 512, '24xlarge': 768 };
/** Memory (GiB) per size, by family (RDS user guide, "Hardware specifications for DB instance classes"). */
const FAMILIES: Record<string, Record<string, number>> = {
  t3: BURSTABLE,
  t4g: BURSTABLE,
  m5: GENERAL,
  m6g: GENERAL,
  m6i: GENERAL,
  m7g: GENERAL,
  m7i: GENERAL,
  m8g: GENERAL,
  r5: MEMORY,
  r6g: MEMORY,
  r6i: MEMORY,
  r7g: MEMORY,
  r7i: MEMORY,
  r8g: MEMORY,
};
export const KNOWN_INSTANCE_CLASSES =
  'db.t3/t4g.micro to .2xlarge, db.m5/m6g/m6i/m7g/m7i/m8g and db.r5/r6g/r6i/r7g/r7i/r8g .large to .24xlarge';

/** Connections no app can use: superuser_reserved_connections. */
export const SUPERUSER_RESERVED = 3;
/** Kept free for migrations, a psql session and monitoring. */
export const MAINTENANCE_HEADROOM = 5;
/** A Lambda function instance holds one connection (a pool of 1). */
export const LAMBDA_CONNECTIONS = 1;
/** Concurrency of a Lambda without a cap: the default account limit. */
export const UNBOUNDED_LAMBDA_CONCURRENCY = 1000;
/** The proxy needs at least this many connections to be useful. */
export const MIN_PROXY_CONNECTIONS = 10;

export function instanceClassMemoryGiB(instanceClass: string): number | undefined {
  const m = /^db\.([a-z0-9]+)\.([a-z0-9]+)$/.exec(instanceClass);
  return m ? FAMILIES[m[1]]?.[m[2]] : undefined;
}

/** Estimated DBInstanceClassMemory (bytes) for a class of `gib` GiB. */
export const dbInstanceClassMemory = (gib: number) => Math.floor(gib * GiB - 230 * 1024 ** 2 - 0.03 * gib * GiB);

const AURORA_TABLE: [number, number][] = [
  [1, 189],
  [4, 823],
  [8, 1669],
  [16, 3360],
  [32, 5000],
];

export interface MaxConnections {
  readonly value: number;
  /** How it was derived, for messages. */
  readonly basis: string;
}

export function postgresMaxConnections(db: ResolvedDatabaseConfig): MaxConnections {
  if (db.engine === 'aurora-serverless') {
    const acu = db.maxCapacity;
    let value = 5000;
    for (let i = 0; i < AURORA_TABLE.length - 1; i++) {
      const [a, va] = AURORA_TABLE[i];
      const [b, vb] = AURORA_TABLE[i + 1];
      if (acu >= a && acu <= b) value = Math.floor(va + ((vb - va) * (acu - a)) / (b - a));
    }
    const capped = db.minCapacity <= 0.5 && value > 2000;
    value = capped ? 2000 : value;
    return {
      value,
      basis: `Aurora Serverless v2 with maxCapacity ${acu} ACU (AWS's table of max_connections by maximum ACUs${capped ? ', capped at 2000 because minCapacity is 0.5 or less' : ''})`,
    };
  }
  const gib = instanceClassMemoryGiB(db.instanceClass) ?? 0;
  const memory = dbInstanceClassMemory(gib);
  const value = Math.min(Math.floor(memory / 9531392), 5000);
  return {
    value,
    basis: `${db.instanceClass} (${gib} GiB): LEAST(DBInstanceClassMemory/9531392, 5000) with DBInstanceClassMemory ≈ ${(memory / GiB).toFixed(2)} GiB`,
  };
}

export interface ConnectionDemand {
  /** Who connects, e.g. `api` or `queue "jobs" worker service`. */
  readonly label: string;
  /** Tasks or concurrent Lambda instances at full scale. */
  readonly instances: number;
  /** The config field that sets `instances`. */
  readonly instancesFrom: string;
  readonly poolSize: number;
  /** ECS tasks connect directly; Lambdas go through the proxy when there is one. */
  readonly kind: 'task' | 'lambda';
  readonly via: 'direct' | 'proxy';
  readonly connections: number;
}

export interface ConnectionBudget {
  readonly maxConnections: MaxConnections;
  readonly reserved: number;
  /** What the app may use: max_connections minus the reserved slots and the maintenance headroom. */
  readonly available: number;
  readonly demands: ConnectionDemand[];
  /** Connections opened directly against the database (tasks, and Lambdas without a proxy). */
  readonly direct: number;
  /** With a proxy: the share of max_connections it may open so that direct + proxy fit in `available`. */
  readonly proxyMaxConnectionsPercent?: number;
  readonly proxyConnections?: number;
  /** During a rolling deploy ECS runs up to twice the tasks (maximum percent 200): the direct peak then. */
  readonly deployPeak: number;
  readonly warnings: string[];
}

type Loose = Record<string, any>;

/** Every compute consumer that may open database connections, from the (validated) config. */
export function connectionDemands(config: BackplaneConfig, db: ResolvedDatabaseConfig): ConnectionDemand[] {
  const out: ConnectionDemand[] = [];
  const task = (label: string, instances: number, instancesFrom: string) =>
    out.push({ label, instances, instancesFrom, poolSize: db.poolSize, kind: 'task', via: 'direct', connections: instances * db.poolSize });
  const lambda = (label: string, instances: number, instancesFrom: string) => {
    const via = db.proxy ? 'proxy' : 'direct';
    out.push({
      label,
      instances,
      instancesFrom,
      poolSize: LAMBDA_CONNECTIONS,
      kind: 'lambda',
      via,
      connections: instances * LAMBDA_CONNECTIONS,
    });
  };
  task('api', config.service.scaling.max, 'service.scaling.max');
  for (const [key, q] of Object.entries((config.queues ?? {}) as Record<string, Loose>)) {
    if (q.worker === 'service') task(`queue "${key}" worker service`, q.service?.maxCount ?? 4, `queues.${key}.service.maxCount`);
    if (q.worker === 'lambda') {
      const cap = q.lambda?.maxConcurrency as number | undefined;
      lambda(
        `queue "${key}" worker Lambda`,
        cap ?? UNBOUNDED_LAMBDA_CONCURRENCY,
        cap === undefined
          ? `queues.${key}.lambda.maxConcurrency (unset: up to the account limit, ${UNBOUNDED_LAMBDA_CONCURRENCY})`
          : `queues.${key}.lambda.maxConcurrency`,
      );
    }
  }
  for (const [key, job] of Object.entries((config.cron ?? {}) as Record<string, Loose>)) {
    if (job.enabled === false) continue;
    if (job.lambda) lambda(`cron "${key}" Lambda`, 1, `cron.${key}`);
    else task(`cron "${key}" task`, 1, `cron.${key}`);
  }
  return out;
}

/** The budget for a config with a database, or undefined without one. Does not throw: see checkConnectionBudget. */
export function connectionBudget(config: BackplaneConfig): ConnectionBudget | undefined {
  const db = config.database;
  if (!db) return undefined;
  const maxConnections = postgresMaxConnections(db);
  const reserved = SUPERUSER_RESERVED + MAINTENANCE_HEADROOM;
  const available = maxConnections.value - reserved;
  const demands = connectionDemands(config, db);
  const direct = demands.filter((d) => d.via === 'direct').reduce((n, d) => n + d.connections, 0);
  const deployPeak = direct + demands.filter((d) => d.via === 'direct' && d.kind === 'task').reduce((n, d) => n + d.connections, 0);
  const warnings: string[] = [];
  if (deployPeak > maxConnections.value - SUPERUSER_RESERVED) {
    warnings.push(
      `database: during a rolling deploy at full scale ECS may run old and new tasks together (up to ${deployPeak} connections against max_connections ≈ ${maxConnections.value}); new tasks may then fail to connect until the old ones stop. Lower database.poolSize or service.scaling.max, or choose a bigger class.`,
    );
  }
  let proxyMaxConnectionsPercent: number | undefined;
  let proxyConnections: number | undefined;
  if (db.proxy) {
    proxyMaxConnectionsPercent = Math.min(100, Math.floor((100 * (available - direct)) / maxConnections.value));
    proxyConnections = Math.floor((maxConnections.value * Math.max(0, proxyMaxConnectionsPercent)) / 100);
  }
  return { maxConnections, reserved, available, demands, direct, proxyMaxConnectionsPercent, proxyConnections, deployPeak, warnings };
}

function fixes(db: ResolvedDatabaseConfig, b: ConnectionBudget): string[] {
  const out: string[] = [];
  const tasks = b.demands.filter((d) => d.via === 'direct' && d.kind === 'task');
  const lambdaDirect = b.demands.filter((d) => d.via === 'direct' && d.kind === 'lambda').reduce((n, d) => n + d.connections, 0);
  const taskCount = tasks.reduce((n, d) => n + d.instances, 0);
  const room = b.available - lambdaDirect - (db.proxy ? MIN_PROXY_CONNECTIONS : 0);
  const pool = taskCount > 0 ? Math.floor(room / taskCount) : 0;
  if (pool >= 1 && pool < db.poolSize) out.push(`a smaller pool: database.poolSize: ${pool} (or less)`);
  if (lambdaDirect > 0) out.push('RDS Proxy for the Lambda consumers: database.proxy: true (or cap their maxConcurrency)');
  const need = b.direct + (db.proxy ? MIN_PROXY_CONNECTIONS : 0) + b.reserved;
  if (db.engine === 'postgres') {
    const family = /^db\.([a-z0-9]+)\./.exec(db.instanceClass)?.[1] ?? 't4g';
    const bigger = Object.entries(FAMILIES[family] ?? {})
      .map(([size, gib]) => ({
        cls: `db.${family}.${size}`,
        value: postgresMaxConnections({ ...db, instanceClass: `db.${family}.${size}` }).value,
        gib,
      }))
      .sort((x, y) => x.gib - y.gib)
      .find((c) => c.value >= need);
    if (bigger) out.push(`a bigger class: database.instanceClass: "${bigger.cls}" (max_connections ≈ ${bigger.value})`);
  } else {
    for (let acu = Math.ceil(db.maxCapacity); acu <= 256; acu++) {
      const value = postgresMaxConnections({ ...db, maxCapacity: acu }).value;
      if (value >= need) {
        out.push(`more capacity: database.maxCapacity: ${acu} (max_connections ≈ ${value})`);
        break;
      }
    }
  }
  return out;
}

/**
 * The budget, or a ConfigError when the configuration can open more connections than the database allows, with
 * every consumer's share and the fixes (smaller pool, proxy, bigger class).
 */
export function checkConnectionBudget(config: BackplaneConfig): ConnectionBudget | undefined {
  const b = connectionBudget(config);
  const db = config.database;
  if (!b || !db) return b;
  const proxyShort = db.proxy && (b.proxyConnections ?? 0) < MIN_PROXY_CONNECTIONS;
  if (b.direct <= b.available && !proxyShort) return b;
  const lines = b.demands.map(
    (d) =>
      `${d.label}: ${d.instances} ${d.kind === 'task' ? 'tasks' : 'concurrent instances'} (${d.instancesFrom}) x ${d.poolSize} (${d.kind === 'task' ? 'database.poolSize' : 'one connection each'}) = ${d.connections}${d.via === 'proxy' ? ', through RDS Proxy' : ''}`,
  );
  const head = proxyShort
    ? `database.proxy = true leaves RDS Proxy ${Math.max(0, b.proxyConnections ?? 0)} connections (it needs at least ${MIN_PROXY_CONNECTIONS}) after the ${b.direct} that tasks open directly`
    : `database.poolSize = ${db.poolSize}: at full scale the app can open ${b.direct} connections, more than the ${b.available} the database allows it`;
  throw new ConfigError(
    [
      `${head}: max_connections ≈ ${b.maxConnections.value} for ${b.maxConnections.basis}, minus ${SUPERUSER_RESERVED} reserved for superusers and ${MAINTENANCE_HEADROOM} kept for migrations and maintenance = ${b.available} for the app.`,
      ...lines.map((l) => `  - ${l}`),
      `Fix one of: ${fixes(db, b).join('; ')}.`,
    ].join('\n'),
  );
}
