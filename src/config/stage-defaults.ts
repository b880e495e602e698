/**
 * Redundancy by default on a protected stage (`protect`, default true on prod): where the config is silent, it runs at least
 * two tasks, a Multi-AZ database (an Aurora reader with Aurora), a cache replica with automatic failover and a NAT
 * Gateway in every AZ. Each is
 * a default, not a rule: a setting the user writes wins (and `backplane cost` prices what they chose).
 *
 * Egress without a single point of failure, priced (docs/production.md): a NAT Gateway per AZ costs 2 x $32.85
 * + 2 public IPv4 x $3.65 = $73.00/month in 2 AZs; the interface endpoints tasks need instead (ECR API, ECR
 * Docker, CloudWatch Logs, Secrets Manager, SQS, SES; S3 is a free gateway endpoint) cost 6 x 2 AZ x $7.30 =
 * $87.60/month and still leave the app without the internet. The NAT Gateways are the cheaper that works.
 */

/** The values a protected stage gets where the config does not say, by setting path (the reference docs list them). */
export const PROTECTED_STAGE_DEFAULTS = {
  'service.scaling.min': 2,
  'database.multiAz': true,
  'database.readers': 1,
  'cache.multiAz': true,
  'network.nat': 'gateway',
  'network.natGatewayPerAz': true,
} as const;

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A copy of `section` with `key` set to `value` when it is unset; a non-object section is left for the schema to refuse. */
function fill(parent: Obj, section: string, defaults: Obj): void {
  const current = parent[section];
  if (current !== undefined && !isObject(current)) return;
  const next: Obj = { ...(current ?? {}) };
  for (const [key, value] of Object.entries(defaults)) if (next[key] === undefined) next[key] = value;
  parent[section] = next;
}

/**
 * The raw config with a protected stage's redundancy defaults filled in where it is silent (before validation, so
 * the schema checks the result like anything the user wrote). Other stages come back unchanged.
 */
export function withStageDefaults(input: unknown, isProtectedInput: (input: Obj) => boolean): unknown {
  if (!isObject(input) || !isProtectedInput(input)) return input;
  const config: Obj = { ...input };
  const d = PROTECTED_STAGE_DEFAULTS;

  if (isObject(config.service)) {
    const service: Obj = { ...config.service };
    const scaling = isObject(service.scaling) ? service.scaling : {};
    // An explicit max below 2 is the user's choice: min follows it rather than failing min <= max.
    const max = typeof scaling.max === 'number' ? scaling.max : Infinity;
    if (service.scaling === undefined || isObject(service.scaling))
      fill(service, 'scaling', { min: Math.min(d['service.scaling.min'], max) });
    config.service = service;
  }
  if (isObject(config.database))
    fill(
      config,
      'database',
      (config.database.engine ?? 'postgres') === 'postgres' ? { multiAz: d['database.multiAz'] } : { readers: d['database.readers'] },
    );
  if (isObject(config.cache) && (config.cache.nodes === undefined || (typeof config.cache.nodes === 'number' && config.cache.nodes >= 2)))
    fill(config, 'cache', { multiAz: d['cache.multiAz'] });
  const network = config.network;
  if (network === undefined || (isObject(network) && network.nat === undefined))
    fill(config, 'network', { nat: d['network.nat'], natGatewayPerAz: d['network.natGatewayPerAz'] });
  return config;
}
