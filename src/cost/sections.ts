/**
 * What the estimator needs from the resolved config, read in one place. The data-tier and async sections
 * (database, cache, queues, cron, email, secrets) are optional: an absent section prices as zero.
 */
import type { BackplaneConfig } from '../config';

/** The database the config turns on, or undefined. */
export interface DatabaseView {
  readonly engine: 'postgres' | 'aurora-serverless';
  /** RDS instance class (postgres). */
  readonly instanceClass: string;
  /** Provisioned gp3 storage (postgres), GB. */
  readonly storageGb: number;
  readonly multiAz: boolean;
  /** Aurora Serverless v2 minimum capacity (ACU); 0 = auto-pause. */
  readonly minAcu: number;
  /** Aurora readers beside the writer. */
  readonly auroraReaders: number;
  readonly proxy: boolean;
}

/** The cache the config turns on, or undefined. */
export interface CacheView {
  readonly engine: 'valkey' | 'redis';
  readonly nodeType: string;
  /** Nodes billed: the primary plus replicas. */
  readonly nodes: number;
  /** ElastiCache Serverless instead of nodes. */
  readonly serverless: boolean;
}

export interface QueueView {
  readonly key: string;
  readonly fifo: boolean;
  readonly worker: 'in-process' | 'service' | 'lambda';
  /** Worker service (worker 'service'): its size and tasks at idle. */
  readonly service?: { readonly cpu: number; readonly memory: number; readonly minCount: number; readonly spot: boolean };
}

export interface ScheduleView {
  readonly key: string;
  readonly schedule: string;
}

type Loose = Record<string, unknown>;

export function databaseOf(config: BackplaneConfig): DatabaseView | undefined {
  const db = config.database;
  if (!db) return undefined;
  return {
    engine: db.engine === 'aurora-serverless' ? 'aurora-serverless' : 'postgres',
    instanceClass: db.instanceClass,
    storageGb: db.allocatedStorage,
    multiAz: db.multiAz,
    minAcu: db.minCapacity,
    auroraReaders: db.readers,
    proxy: db.proxy,
  };
}

export function cacheOf(config: BackplaneConfig): CacheView | undefined {
  const c = config.cache;
  if (!c) return undefined;
  const serverless = (c as Loose).serverless === true;
  return { engine: c.engine === 'redis' ? 'redis' : 'valkey', nodeType: c.nodeType, nodes: c.nodes, serverless };
}

export function queuesOf(config: BackplaneConfig): QueueView[] {
  return Object.entries(config.queues ?? {}).map(([key, q]) => ({
    key,
    fifo: q.fifo,
    worker: q.worker,
    service:
      q.service && q.worker === 'service'
        ? { cpu: q.service.cpu, memory: q.service.memory, minCount: q.service.minCount, spot: q.service.spot }
        : undefined,
  }));
}

export function schedulesOf(config: BackplaneConfig): ScheduleView[] {
  return Object.entries(config.cron ?? {}).map(([key, job]) => ({ key, schedule: job.schedule }));
}

/** `email: {}` turns SES on (every field has a default); absent turns it off. */
export function emailEnabled(config: BackplaneConfig): boolean {
  return config.email !== undefined;
}

/** Secrets the stack creates for the app (`secrets: { NAME: {...} }`). */
export function appSecretNames(config: BackplaneConfig): string[] {
  return Object.keys(config.secrets ?? {});
}

/**
 * Monthly invocations of a schedule expression (EventBridge Scheduler syntax): exact for rate(), an upper-bound
 * count for cron() (minute x hour x day values), 1 for at().
 */
export function invocationsPerMonth(expression: string): number {
  const rate = /^rate\((\d+)\s+(minute|minutes|hour|hours|day|days)\)$/.exec(expression.trim());
  if (rate) {
    const minutes = Number(rate[1]) * (rate[2].startsWith('minute') ? 1 : rate[2].startsWith('hour') ? 60 : 1440);
    return Math.ceil((730 * 60) / minutes);
  }
  if (/^at\(/.test(expression.trim())) return 1;
  const cron = /^cron\((.+)\)$/.exec(expression.trim());
  if (!cron) return 0;
  const [minute, hour, dom, , dow] = cron[1].trim().split(/\s+/);
  const count = (field: string | undefined, size: number): number => {
    if (!field || field === '*' || field === '?') return size;
    let n = 0;
    for (const part of field.split(',')) {
      const step = /\/(\d+)$/.exec(part);
      if (step) n += Math.ceil(size / Number(step[1]));
      else if (/^(\d+)-(\d+)$/.test(part)) {
        const [a, b] = part.split('-').map(Number);
        n += b - a + 1;
      } else n += 1;
    }
    return n;
  };
  const days =
    (dom === '*' || dom === '?') && (dow === '*' || dow === '?')
      ? 30.4
      : dom !== '?' && dom !== '*'
        ? count(dom, 31)
        : (count(dow, 7) * 30.4) / 7;
  return Math.ceil(count(minute, 60) * count(hour, 24) * days);
}
