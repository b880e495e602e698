import { resolveConfig } from '../../src/config';
import { compareWithAnchors, computeLevers, costReport, estimateCost, formatCostReport, formatLever, type Lever } from '../../src/cost';
import { WITHOUT_TIERS, defaultProfile as withDataTier, example } from './profiles';
const lever = (levers: Lever[], setting: string, to: string): Lever => {
  const l = levers.find((x) => x.setting === setting && x.to === to);
  if (!l) throw new Error(`no lever ${setting} -> ${to}; have ${levers.map(formatLever).join(' | ')}`);
  return l;
};

describe('cost levers (each re-prices the config with one setting changed)', () => {
  const config = withDataTier();
  const levers = computeLevers(config);

  it('network.nat: none -> instance adds the t4g.nano and its IPv4 but drops the task IPv4 (+3.07)', () => {
    expect(lever(levers, 'network.nat', 'instance').delta).toBe(3.07);
    expect(formatLever(lever(levers, 'network.nat', 'instance'))).toBe('network.nat: none → instance costs $3.07/month');
  });

  it('network.nat: none -> gateway (+32.85 gateway, +0.05 data, Elastic IP replaces the task IPv4)', () => {
    expect(lever(levers, 'network.nat', 'gateway').delta).toBe(32.9);
  });

  it('service.architecture arm64 -> x86_64 (+1.80), service.spot (-5.05), one more task (+10.86)', () => {
    expect(lever(levers, 'service.architecture', 'x86_64').delta).toBe(1.8);
    expect(lever(levers, 'service.spot', 'true').delta).toBe(-5.05);
    expect(formatLever(lever(levers, 'service.spot', 'true'))).toBe('service.spot: false → true saves $5.05/month');
    expect(lever(levers, 'service.scaling.min', '2').delta).toBe(10.86);
  });

  it('edge.albAccess vpc-origin -> public: 2 public IPv4s and the origin-verify secret (+7.70)', () => {
    expect(lever(levers, 'edge.albAccess', 'public').delta).toBe(7.7);
  });

  it('database: Multi-AZ (+13.98), Aurora Serverless v2 at 0.5 ACU (+29.82), RDS Proxy (+21.90)', () => {
    expect(lever(levers, 'database.multiAz', 'true').delta).toBe(13.98);
    expect(lever(levers, 'database.engine', 'aurora-serverless').delta).toBe(29.82);
    expect(lever(levers, 'database.proxy', 'true').delta).toBe(21.9);
  });

  it('cache: Redis OSS (+2.34), Multi-AZ replica (+9.35)', () => {
    expect(lever(levers, 'cache.engine', 'redis').delta).toBe(2.34);
    expect(lever(levers, 'cache.multiAz', 'true').delta).toBe(9.35); // 2 x 9.344 = 18.69 vs 9.34
  });

  it('every delta is the difference of two estimates', () => {
    for (const l of levers) expect(Number.isFinite(l.delta)).toBe(true);
    const gatewayConfig = { ...config, network: { ...config.network, nat: 'gateway' as const } };
    expect(lever(levers, 'network.nat', 'gateway').delta).toBe(
      Math.round((estimateCost(gatewayConfig).total - estimateCost(config).total) * 100) / 100,
    );
  });

  it('from a NAT Gateway, the levers save: gateway -> none and gateway -> instance, and per-AZ gateways cost', () => {
    const gw = computeLevers(withDataTier({ network: { nat: 'gateway' } }));
    expect(lever(gw, 'network.nat', 'none').delta).toBe(-32.9);
    expect(lever(gw, 'network.nat', 'instance').delta).toBe(-29.83);
    expect(lever(gw, 'network.natGatewayPerAz', 'true').delta).toBe(36.5);
  });

  it('offers no database or cache levers when the config has neither', () => {
    const none = computeLevers(resolveConfig(example(WITHOUT_TIERS)));
    expect(none.some((l) => l.setting.startsWith('database.') || l.setting.startsWith('cache.'))).toBe(false);
  });
});

describe('the report', () => {
  it('compares the total with the field anchors', () => {
    const rows = compareWithAnchors(53.32);
    expect(rows[0].difference).toBe(-37.55);
    expect(rows[0].text).toContain('$90.87');
    expect(rows[1].text).toContain('$55-65');
  });

  it('prints lines, total, levers and anchors; JSON carries the same figures', () => {
    const report = costReport(withDataTier());
    const text = formatCostReport(report);
    expect(text).toMatch(/Total per month\s+\$53\.32/);
    expect(text).toContain('network.nat: none → instance costs $3.07/month');
    expect(text).toContain('$90.87');
    expect(report.total).toBe(53.32);
    expect(JSON.parse(JSON.stringify(report)).lines.length).toBe(report.lines.length);
  });
});
