/**
 * The cost report `backplane cost` prints: the estimate, the levers and the field anchors, as text or as JSON.
 */
import { resolveAsStage, type BackplaneConfig } from '../config';
import { previewOf } from '../config/preview-plan';
import { compareWithAnchors } from './anchors';
import { estimateCost, type CostAssumptions, type CostEstimate } from './estimate';
import { computeLevers, formatLever, type Lever } from './levers';
import { HOURS_PER_MONTH } from './prices';

export interface CostReport extends CostEstimate {
  readonly stack: string;
  readonly hoursPerMonth: number;
  readonly levers: readonly (Lever & { readonly text: string })[];
  readonly anchors: readonly {
    readonly name: string;
    readonly monthly: number | readonly [number, number];
    readonly difference: number;
    readonly source: string;
  }[];
  /** The same config priced as each stage would resolve it (dev and prod side by side, and the config's own). */
  readonly stages: readonly StageTotal[];
}

export interface StageTotal {
  readonly stage: string;
  readonly total: number;
  /** What the stage changes where the config is silent (its defaults), in words. */
  readonly shape: string;
  readonly adjusted: readonly string[];
}

/** Dev and prod (and the config's own stage) from the same raw config; empty without the raw input. */
export function stageTotals(input: unknown, config: BackplaneConfig, assumptions: Partial<CostAssumptions>): StageTotal[] {
  if (input === undefined) return [];
  const stages = [...new Set(['dev', config.stage, 'prod'])];
  return stages.map((stage) => {
    const { config: c, adjusted } = resolveAsStage(input, stage);
    const preview = previewOf(c);
    if (preview) {
      const tasks = `${c.service.scaling.min} task${c.service.scaling.min === 1 ? '' : 's'}`;
      return { stage, total: estimateCost(c, assumptions).total, shape: `${tasks}, preview sharing ${preview.parent}`, adjusted };
    }
    const nat = c.network.nat === 'gateway' ? `NAT Gateway${c.network.natGatewayPerAz ? ' per AZ' : ''}` : `NAT ${c.network.nat}`;
    const parts = [
      `${c.service.scaling.min} task${c.service.scaling.min === 1 ? '' : 's'}`,
      c.database ? (c.database.engine === 'postgres' && c.database.multiAz ? 'Multi-AZ database' : 'single-AZ database') : undefined,
      c.cache ? (c.cache.multiAz ? 'cache with a replica' : 'one cache node') : undefined,
      nat,
    ].filter((p): p is string => p !== undefined);
    return { stage, total: estimateCost(c, assumptions).total, shape: parts.join(', '), adjusted };
  });
}

/** `input`: the raw config (before validation), to price the other stages with their own defaults. */
export function costReport(config: BackplaneConfig, assumptions: Partial<CostAssumptions> = {}, input?: unknown): CostReport {
  const estimate = estimateCost(config, assumptions);
  return {
    stack: `${config.name}-${config.stage}`,
    hoursPerMonth: HOURS_PER_MONTH,
    ...estimate,
    // A preview's network, database and cache are its parent's: only its own service settings move its cost.
    levers: computeLevers(config, assumptions)
      .filter((l) => !previewOf(config) || l.setting.startsWith('service.') || l.setting.startsWith('queues.'))
      .map((l) => ({ ...l, text: formatLever(l) })),
    anchors: compareWithAnchors(estimate.total).map(({ anchor, difference }) => ({
      name: anchor.name,
      monthly: anchor.monthly,
      difference,
      source: anchor.source,
    })),
    stages: stageTotals(input, config, assumptions),
  };
}

const money = (usd: number): string => `$${usd.toFixed(2)}`;

export function formatCostReport(r: CostReport, options: { details?: boolean } = {}): string {
  const width = Math.max(...r.lines.map((l) => l.item.length), 5);
  const out: string[] = [];
  out.push(
    `Monthly baseline of ${r.stack} (${r.region} on-demand prices read ${r.pricesRead}, ${r.hoursPerMonth} h/month, ${r.assumptions.requestsPerMonth === 0 ? 'idle traffic' : `${r.assumptions.requestsPerMonth.toLocaleString('en-US')} requests/month`})`,
  );
  out.push('');
  for (const l of r.lines) {
    out.push(`  ${l.item.padEnd(width)}  ${money(l.monthly).padStart(8)}${options.details === false ? '' : `   ${l.detail}`}`);
  }
  out.push(`  ${'-'.repeat(width)}  --------`);
  out.push(`  ${'Total per month'.padEnd(width)}  ${money(r.total).padStart(8)}`);
  if (r.unpriced.length > 0) {
    out.push('', 'Not in the price table (not included):');
    for (const u of r.unpriced) out.push(`  - ${u}`);
  }
  if (r.notes.length > 0) {
    out.push('', 'Notes:');
    for (const n of r.notes) out.push(`  - ${n}`);
  }
  if (r.stages.length > 0) {
    out.push('', "By stage (the same config with each stage's defaults):");
    const w = Math.max(...r.stages.map((s) => s.stage.length));
    for (const s of r.stages)
      out.push(
        `  ${s.stage.padEnd(w)}  ${money(s.total).padStart(9)}   ${s.shape}${s.adjusted.length ? ` (${s.adjusted.join('; ')})` : ''}`,
      );
  }
  if (r.levers.length > 0) {
    out.push('', 'Levers (each re-prices the config with one setting changed):');
    for (const l of r.levers) out.push(`  ${l.text}  (${l.tradeOff})`);
  }
  out.push('', 'Compared with the field:');
  for (const c of compareWithAnchors(r.total)) out.push(`  ${c.text}`);
  out.push('', 'Prices and sources: src/cost/prices.ts (docs/cost.md explains the levers).');
  return out.join('\n');
}
