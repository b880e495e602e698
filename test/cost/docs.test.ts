/** docs/cost.md quotes the estimator: its totals and lever figures must be what the estimator prints today. */
import * as fs from 'fs';
import * as path from 'path';
import { resolveConfig } from '../../src/config';
import { computeLevers, estimateCost } from '../../src/cost';
import { repoRoot } from '../support/synth';
import { WITHOUT_TIERS, defaultProfile, example, productionProfile } from './profiles';

const doc = fs.readFileSync(path.join(repoRoot, 'docs', 'cost.md'), 'utf8');
const money = (n: number) => n.toFixed(2);

describe('docs/cost.md', () => {
  const def = defaultProfile();
  const prod = productionProfile();

  it('quotes the default and production-shaped totals the estimator computes', () => {
    const d = estimateCost(def).total;
    const p = estimateCost(prod, { requestsPerMonth: 10_000_000, logsGbPerMonth: 5 }).total;
    expect(doc).toContain(`## The default profile: $${money(d)}/month`);
    expect(doc).toContain(`| **Total** | **${money(d)}** | |`);
    expect(doc).toContain(`## A production-shaped profile: $${money(p)}/month`);
    expect(doc).toContain(`| **Total** | **${money(p)}** | |`);
    const bare = resolveConfig(example(WITHOUT_TIERS));
    expect(doc).toContain(`Without a database and cache, the same stack is $${money(estimateCost(bare).total)}.`);
  });

  it('quotes every lever of the default profile with its current figure', () => {
    for (const l of computeLevers(def)) {
      const sign = l.delta < 0 ? '−' : '+';
      expect(doc).toContain(`| \`${l.setting}\`: ${l.from} → ${l.to} | ${sign}${money(Math.abs(l.delta))} |`);
    }
  });
});
