/** The readable end-of-scenario summary. */
import type { MotoServer } from './moto';
import type { JudgedChange } from './plan-diff';

/** One timed terraform phase. */
export interface PhaseTiming {
  readonly phase: string;
  readonly seconds: number;
  readonly ok: boolean;
  /** The phase was expected to fail (and `ok` means it did). */
  readonly expectedFailure?: boolean;
}

/** Everything the summary shows. */
export interface SummaryInput {
  readonly name: string;
  readonly workDir: string;
  readonly moto: Pick<MotoServer, 'endpoint' | 'motoVersion' | 'patches'>;
  readonly redirected: readonly string[];
  readonly phases: readonly PhaseTiming[];
  readonly appliedResources: readonly string[];
  readonly replan?: {
    readonly empty: boolean;
    readonly tolerated: readonly JudgedChange[];
    readonly unexpected: readonly JudgedChange[];
  };
  readonly destroyedCount?: number;
}

function byType(addresses: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const a of addresses) {
    const type = a.replace(/^(module\.[^.]+(\[[^\]]*\])?\.)*/, '').split('.')[0];
    counts.set(type, (counts.get(type) ?? 0) + 1);
  }
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([t, n]) => `${t} ×${n}`)
    .join(', ');
}

export function formatSummary(s: SummaryInput): string {
  const rule = '─'.repeat(78);
  const phases = s.phases
    .map(
      (p) =>
        `${p.phase} ${p.seconds.toFixed(1)}s${p.expectedFailure ? (p.ok ? ' (failed, as expected)' : ' (SUCCEEDED, expected to fail)') : p.ok ? '' : ' (failed)'}`,
    )
    .join(' · ');
  const total = s.phases.reduce((t, p) => t + p.seconds, 0);
  let replan = 'not run';
  if (s.replan) {
    if (s.replan.empty) replan = 'empty (no changes)';
    else {
      const lines = [...s.replan.tolerated, ...s.replan.unexpected].map(
        (c) =>
          `      ${c.problem ? 'UNEXPECTED' : 'tolerated '} ${c.address} [${c.actions.join('+')}] ${c.paths.join(', ')}` +
          (c.problem ? ` — ${c.problem}` : ` (${c.matchedBy.join(', ')})`),
      );
      replan = `${s.replan.tolerated.length} tolerated, ${s.replan.unexpected.length} unexpected change(s)\n${lines.join('\n')}`;
    }
  }
  const destroyed = s.destroyedCount === undefined ? 'not run' : `${s.destroyedCount} (state empty afterwards)`;
  return [
    rule,
    ` e2e summary: ${s.name}`,
    rule,
    ` engine              : moto ${s.moto.motoVersion} at ${s.moto.endpoint}; patches: ${s.moto.patches.join(', ') || 'none'}`,
    ` providers redirected: ${s.redirected.join(', ')}`,
    ` resources applied   : ${s.appliedResources.length}${s.appliedResources.length ? ` (${byType(s.appliedResources)})` : ''}`,
    ` phases (seconds)    : ${phases} · total ${total.toFixed(1)}s`,
    ` second plan         : ${replan}`,
    ` resources destroyed : ${destroyed}`,
    ` work dir / logs     : ${s.workDir}`,
    rule,
  ].join('\n');
}
