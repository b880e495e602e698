/**
 * Prices the data tier: RDS PostgreSQL (instance-hours, gp3 storage, Multi-AZ x2, RDS Proxy by vCPU) or Aurora
 * Serverless v2 (minimum ACU-hours, storage, RDS Proxy by ACU), and ElastiCache (node-hours x nodes, or Serverless).
 */
import type { CostAssumptions } from './estimate';
import { plural, shown, type LineSink } from './lines';
import * as P from './prices';
import type { CacheView, DatabaseView } from './sections';

const H = P.HOURS_PER_MONTH;

export function priceDatabase(db: DatabaseView | undefined, a: CostAssumptions, sink: LineSink): void {
  if (db?.engine === 'postgres') {
    const hour = P.RDS_INSTANCE_HOUR[db.instanceClass];
    const factor = db.multiAz ? P.RDS_MULTI_AZ_FACTOR.usd : 1;
    const az = db.multiAz ? ` x ${factor} Multi-AZ` : '';
    if (hour)
      sink.add(
        'database',
        `RDS PostgreSQL ${db.instanceClass}${db.multiAz ? ' Multi-AZ' : ''}`,
        hour.usd * H * factor,
        `${H} h x ${shown(hour)}${az}`,
      );
    else sink.unpriced.push(`RDS instance class ${db.instanceClass}: not in the price table (src/cost/prices.ts RDS_INSTANCE_HOUR)`);
    sink.add(
      'database',
      `RDS gp3 storage (${db.storageGb} GB)`,
      db.storageGb * P.RDS_GP3_GB_MONTH.usd * factor,
      `${db.storageGb} GB x ${shown(P.RDS_GP3_GB_MONTH)}${az}`,
    );
    sink.notes.push('RDS backups: free up to 100 % of provisioned storage (7-day retention stays within it at this size).');
    if (db.proxy) {
      const vcpus = Math.max(P.RDS_PROXY_MIN_VCPU, P.RDS_INSTANCE_VCPUS[db.instanceClass] ?? P.RDS_PROXY_MIN_VCPU);
      sink.add(
        'database',
        `RDS Proxy (${vcpus} vCPU billed)`,
        vcpus * P.RDS_PROXY_VCPU_HOUR.usd * H,
        `${vcpus} vCPU x ${H} h x ${shown(P.RDS_PROXY_VCPU_HOUR)}`,
      );
    }
  } else if (db?.engine === 'aurora-serverless') {
    const pause = db.minAcu === 0 ? ' (auto-pause)' : '';
    const instances = 1 + db.auroraReaders;
    const readers = db.auroraReaders > 0 ? ` + ${db.auroraReaders} reader${db.auroraReaders === 1 ? '' : 's'}` : '';
    sink.add(
      'database',
      `Aurora Serverless v2 (writer${readers}, min ${db.minAcu} ACU each)`,
      instances * db.minAcu * P.AURORA_SERVERLESS_V2_ACU_HOUR.usd * H,
      `${instances > 1 ? `${instances} x ` : ''}${db.minAcu} ACU x ${H} h x ${shown(P.AURORA_SERVERLESS_V2_ACU_HOUR)}${pause}`,
    );
    sink.add(
      'database',
      `Aurora storage (${a.auroraStorageGb} GB used)`,
      a.auroraStorageGb * P.AURORA_STORAGE_GB_MONTH.usd,
      `${a.auroraStorageGb} GB x ${shown(P.AURORA_STORAGE_GB_MONTH)}`,
    );
    sink.unpriced.push('Aurora I/O requests: not in the price table');
    if (db.proxy) {
      const acu = P.RDS_PROXY_MIN_ACU;
      sink.add(
        'database',
        `RDS Proxy (min ${acu} ACU)`,
        acu * P.RDS_PROXY_ACU_HOUR.usd * H,
        `${acu} ACU x ${H} h x ${shown(P.RDS_PROXY_ACU_HOUR)}`,
      );
    }
  }
}

export function priceCache(cache: CacheView | undefined, sink: LineSink): void {
  if (!cache) return;
  if (cache.serverless) {
    const [p, min] =
      cache.engine === 'valkey'
        ? [P.ELASTICACHE_SERVERLESS_VALKEY_GB_HOUR, P.ELASTICACHE_SERVERLESS_VALKEY_MIN_GB]
        : [P.ELASTICACHE_SERVERLESS_REDIS_GB_HOUR, P.ELASTICACHE_SERVERLESS_REDIS_MIN_GB];
    sink.add('cache', `ElastiCache Serverless ${cache.engine} (${min} GB minimum)`, min * p.usd * H, `${min} GB x ${H} h x ${shown(p)}`);
    return;
  }
  const p = P.ELASTICACHE_NODE_HOUR[cache.engine][cache.nodeType];
  if (!p) {
    sink.unpriced.push(
      `ElastiCache ${cache.engine} node type ${cache.nodeType}: not in the price table (src/cost/prices.ts ELASTICACHE_NODE_HOUR)`,
    );
    return;
  }
  sink.add(
    'cache',
    `ElastiCache ${cache.engine} ${cache.nodeType} (${plural(cache.nodes, 'node')})`,
    cache.nodes * p.usd * H,
    `${cache.nodes} x ${H} h x ${shown(p)}`,
  );
}
