/**
 * `backplane cost` prices the same config as dev and as prod side by side: prod with its redundancy defaults where
 * the config is silent, each total equal to a full estimate of that stage's resolved config.
 */
import builtInExample from '../../examples/fullstack/backplane.config';
import { resolveAsStage } from '../../src/config';
import { costReport, estimateCost, formatCostReport, stageTotals } from '../../src/cost';
import { defaultProfile, example } from './profiles';

describe('cost by stage', () => {
  const input = builtInExample;
  const dev = defaultProfile();

  it('prices dev and prod from the same raw config; dev stays within $55', () => {
    const stages = stageTotals(input, dev, {});
    expect(stages.map((s) => s.stage)).toEqual(['dev', 'prod']);
    const [d, p] = stages;
    expect(d.total).toBeLessThanOrEqual(55);
    expect(d.total).toBe(estimateCost(resolveAsStage(input, 'dev').config).total);
    expect(p.total).toBe(estimateCost(resolveAsStage(input, 'prod').config).total);
    expect(p.total).toBeGreaterThan(d.total);
    expect(d.shape).toBe('1 task, single-AZ database, one cache node, NAT none');
    expect(p.shape).toBe('2 tasks, Multi-AZ database, cache with a replica, NAT Gateway per AZ');
    expect(p.adjusted).toEqual(['network.nat "none" is refused on prod: priced with its default']);
  });

  it('prod adds exactly its defaults: a second task, the standby, the replica, two NAT Gateways and their IPs', () => {
    const lines = (stage: string) => estimateCost(resolveAsStage(input, stage).config).lines.map((l) => l.item);
    const prod = lines('prod');
    expect(prod).toEqual(expect.arrayContaining(['NAT Gateway (2)', 'Public IPv4: NAT Gateway Elastic IPs (2)']));
    expect(prod.some((l) => l.startsWith('Fargate: api (2 tasks'))).toBe(true);
    expect(lines('dev').some((l) => l.startsWith('NAT Gateway'))).toBe(false);
  });

  it("keeps the user's explicit choices on prod", () => {
    const raw = example({ network: { nat: 'instance' }, service: { imageTag: 'v1', scaling: { min: 1, max: 2 } } });
    const [, p] = stageTotals(raw, dev, {});
    expect(p.shape).toMatch(/^1 task, .*NAT instance$/);
    expect(p.adjusted).toEqual([]);
  });

  it("adds the config's own stage between them and prints the section", () => {
    const staging = { ...builtInExample, stage: 'staging' };
    const report = costReport(resolveAsStage(staging, 'staging').config, {}, staging);
    expect(report.stages.map((s) => s.stage)).toEqual(['dev', 'staging', 'prod']);
    const text = formatCostReport(report);
    expect(text).toMatch(/By stage \(the same config with each stage's defaults\):\n {2}dev +\$\d+\.\d\d {3}1 task/);
    expect(text).toMatch(/\n {2}prod +\$\d+\.\d\d {3}2 tasks, Multi-AZ database/);
  });

  it('has no stage section without the raw config (library callers that pass a resolved config only)', () => {
    expect(costReport(dev).stages).toEqual([]);
  });
});
