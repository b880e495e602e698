/**
 * Cost levers: what changing one setting does to the monthly baseline. Each lever re-runs the estimator on a copy
 * of the resolved config with that one setting changed, so a lever's delta is always the estimator's own answer.
 */
import { isProtected, type BackplaneConfig } from '../config';
import { estimateCost, type CostAssumptions } from './estimate';

export interface Lever {
  /** The setting, e.g. "network.nat". */
  readonly setting: string;
  readonly from: string;
  readonly to: string;
  /** Monthly change in USD: negative saves, positive costs. */
  readonly delta: number;
  /** The trade-off, in a few words. */
  readonly tradeOff: string;
}

interface Candidate {
  readonly setting: string;
  readonly from: string;
  readonly to: string;
  readonly tradeOff: string;
  readonly apply: (c: BackplaneConfig) => BackplaneConfig;
}

const NAT_TRADE_OFFS: Record<string, string> = {
  none: 'tasks in public subnets with public IPs (SG-locked); no NAT to fail',
  instance: 'private tasks; one t4g.nano is a single point of failure for egress',
  gateway: 'managed, highly available egress; the most expensive',
};

function candidates(config: BackplaneConfig): Candidate[] {
  const out: Candidate[] = [];
  const set =
    <K extends keyof BackplaneConfig>(key: K, value: BackplaneConfig[K]) =>
    (c: BackplaneConfig): BackplaneConfig => ({ ...c, [key]: value });
  for (const nat of ['none', 'instance', 'gateway'] as const) {
    if (nat === config.network.nat) continue;
    // A protected stage refuses tasks with public IPs (src/config/policy.ts): not a lever there.
    if (nat === 'none' && isProtected(config)) continue;
    out.push({
      setting: 'network.nat',
      from: config.network.nat,
      to: nat,
      tradeOff: NAT_TRADE_OFFS[nat],
      apply: set('network', { ...config.network, nat }),
    });
  }
  if (config.network.nat === 'gateway' && !config.network.natGatewayPerAz) {
    out.push({
      setting: 'network.natGatewayPerAz',
      from: 'false',
      to: 'true',
      tradeOff: 'egress survives the loss of an AZ',
      apply: set('network', { ...config.network, natGatewayPerAz: true }),
    });
  }
  const s = config.service;
  const arch = s.architecture === 'arm64' ? 'x86_64' : 'arm64';
  out.push({
    setting: 'service.architecture',
    from: s.architecture,
    to: arch,
    tradeOff: arch === 'arm64' ? 'build the image for linux/arm64' : 'x86-only native dependencies work',
    apply: set('service', { ...s, architecture: arch }),
  });
  out.push({
    setting: 'service.spot',
    from: String(s.spot),
    to: String(!s.spot),
    tradeOff: s.spot ? 'no 2-minute interruptions' : 'tasks can be interrupted with 2 minutes notice',
    apply: set('service', { ...s, spot: !s.spot }),
  });
  out.push({
    setting: 'service.scaling.min',
    from: String(s.scaling.min),
    to: String(s.scaling.min + 1),
    tradeOff: 'one more always-on task: survives a task or AZ failure',
    apply: set('service', { ...s, scaling: { ...s.scaling, min: s.scaling.min + 1, max: Math.max(s.scaling.max, s.scaling.min + 1) } }),
  });
  const edge = config.edge;
  if (edge.mode === 'attach') {
    const to = edge.albAccess === 'public' ? 'vpc-origin' : 'public';
    out.push({
      setting: 'edge.albAccess',
      from: edge.albAccess,
      to,
      tradeOff:
        to === 'public' ? 'internet-facing ALB locked by prefix list + secret header' : 'internal ALB reachable only through CloudFront',
      apply: set('edge', { ...edge, albAccess: to }),
    });
  }
  const db = config.database;
  if (db) {
    const withDb =
      (patch: Partial<typeof db>) =>
      (c: BackplaneConfig): BackplaneConfig => ({ ...c, database: { ...db, ...patch } });
    if (db.engine === 'postgres') {
      out.push({
        setting: 'database.multiAz',
        from: String(db.multiAz),
        to: String(!db.multiAz),
        tradeOff: db.multiAz ? 'no standby: a failover becomes a restore' : 'a standby in a second AZ, automatic failover',
        apply: withDb({ multiAz: !db.multiAz }),
      });
    }
    const engine = db.engine === 'postgres' ? 'aurora-serverless' : 'postgres';
    out.push({
      setting: 'database.engine',
      from: db.engine,
      to: engine,
      tradeOff:
        engine === 'postgres'
          ? 'a fixed instance, cheaper at steady low load'
          : `scales in ACUs from ${db.minCapacity}; min 0 pauses when idle`,
      apply: withDb({ engine }),
    });
    out.push({
      setting: 'database.proxy',
      from: String(db.proxy),
      to: String(!db.proxy),
      tradeOff: db.proxy ? 'Lambda consumers connect directly' : 'pools connections for Lambda consumers',
      apply: withDb({ proxy: !db.proxy }),
    });
  }
  const cache = config.cache;
  if (cache) {
    const engine = cache.engine === 'valkey' ? 'redis' : 'valkey';
    out.push({
      setting: 'cache.engine',
      from: cache.engine,
      to: engine,
      tradeOff: engine === 'valkey' ? 'the open-source fork, wire-compatible' : 'Redis OSS, priced higher',
      apply: (c) => ({ ...c, cache: { ...cache, engine } }),
    });
    out.push({
      setting: 'cache.multiAz',
      from: String(cache.multiAz),
      to: String(!cache.multiAz),
      tradeOff: cache.multiAz ? 'one node: a failure empties the cache' : 'a replica in another AZ, automatic failover',
      apply: (c) => ({ ...c, cache: { ...cache, multiAz: !cache.multiAz, nodes: cache.multiAz ? 1 : Math.max(2, cache.nodes) } }),
    });
  }
  return out;
}

/** Every lever that applies to this config, with its monthly delta. */
export function computeLevers(config: BackplaneConfig, assumptions: Partial<CostAssumptions> = {}): Lever[] {
  const base = estimateCost(config, assumptions).total;
  return candidates(config).map((c) => ({
    setting: c.setting,
    from: c.from,
    to: c.to,
    tradeOff: c.tradeOff,
    delta: Math.round((estimateCost(c.apply(config), assumptions).total - base) * 100) / 100,
  }));
}

/** "network.nat: none → instance costs $6.72/month". */
export function formatLever(l: Lever): string {
  const verb = l.delta < 0 ? 'saves' : l.delta > 0 ? 'costs' : 'changes nothing';
  const amount = l.delta === 0 ? '' : ` $${Math.abs(l.delta).toFixed(2)}/month`;
  return `${l.setting}: ${l.from} → ${l.to} ${verb}${amount}`;
}
