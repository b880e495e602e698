/**
 * Reads a saved plan (`terraform show -json <plan>`) and sorts every planned change into
 * "tolerated" (matches an entry of the ONE list, test/e2e/tolerated-differences.ts) or
 * "unexpected".
 */

/** One known emulator difference a second plan may show. */
export interface ToleratedDifference {
  /** Short stable name, shown in summaries. */
  readonly id: string;
  /** Resource type, e.g. `aws_ecs_service`. */
  readonly resourceType: string;
  /** Optional: only addresses matching this pattern (e.g. /^module\.cache\./). */
  readonly address?: RegExp;
  /**
   * Attribute paths that may change, dot-separated, `*` for one segment (a list index or map
   * key); a path covers everything below it (`tags_all` covers `tags_all.Name`).
   */
  readonly attributes: readonly string[];
  /**
   * Whether the difference may force a replacement. A replacement is never tolerated unless
   * said here.
   * @default false
   */
  readonly mayReplace?: boolean;
  /** What moto does that causes it. */
  readonly motoBehaviour: string;
  /** Why it is tolerated rather than fixed in the moto shim (test/e2e/moto). */
  readonly reason: string;
}

/** A resource change in a plan, reduced to what the harness judges. */
export interface PlannedChange {
  readonly address: string;
  readonly type: string;
  /** Terraform actions, e.g. ["update"] or ["delete", "create"]. */
  readonly actions: readonly string[];
  /** Attribute paths whose value changes (or becomes unknown). */
  readonly paths: readonly string[];
  /** Paths that force the replacement, when it is one. */
  readonly replacePaths: readonly string[];
}

/** A change and the entries that explain it. */
export interface JudgedChange extends PlannedChange {
  /** Entries that matched (for tolerated changes: cover every path). */
  readonly matchedBy: readonly string[];
  /** Paths no entry covers (empty for tolerated changes). */
  readonly unexplainedPaths: readonly string[];
  /** Why it is unexpected, when it is. */
  readonly problem?: string;
}

/** The verdict on a plan. */
export interface PlanVerdict {
  readonly tolerated: readonly JudgedChange[];
  readonly unexpected: readonly JudgedChange[];
  /** Resources changed outside Terraform between apply and the refresh (informational). */
  readonly drift: readonly PlannedChange[];
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

interface PlanJsonChange {
  readonly address: string;
  readonly type: string;
  readonly mode?: string;
  readonly change: {
    readonly actions: string[];
    readonly before?: Json;
    readonly after?: Json;
    readonly after_unknown?: Json;
    readonly replace_paths?: Array<Array<string | number>>;
  };
}

/** The part of `terraform show -json <plan>` the harness reads. */
export interface PlanJson {
  readonly resource_changes?: PlanJsonChange[];
  readonly resource_drift?: PlanJsonChange[];
}

const isContainer = (v: unknown): v is Json[] | Record<string, Json> => typeof v === 'object' && v !== null;

/** Collect the dot paths where `before` and `after` differ; `unknown` marks values known only after apply. */
function changedPaths(before: Json | undefined, after: Json | undefined, unknown: Json | undefined, prefix: string[], out: string[]): void {
  if (unknown === true) {
    out.push(prefix.join('.'));
    return;
  }
  if (isContainer(before) && isContainer(after) && Array.isArray(before) === Array.isArray(after)) {
    const keys = new Set([...Object.keys(before), ...Object.keys(after), ...Object.keys(isContainer(unknown) ? unknown : {})]);
    const at = (v: Json | undefined, k: string): Json | undefined => (isContainer(v) ? (v as Record<string, Json>)[k] : undefined);
    for (const key of keys) changedPaths(at(before, key), at(after, key), at(unknown, key), [...prefix, key], out);
    return;
  }
  if (JSON.stringify(before ?? null) !== JSON.stringify(after ?? null)) out.push(prefix.join('.'));
}

function toPlannedChange(rc: PlanJsonChange): PlannedChange {
  const paths: string[] = [];
  changedPaths(rc.change.before, rc.change.after, rc.change.after_unknown, [], paths);
  return {
    address: rc.address,
    type: rc.type,
    actions: rc.change.actions,
    paths: paths.filter((p) => p !== ''),
    replacePaths: (rc.change.replace_paths ?? []).map((p) => p.join('.')),
  };
}

/** The resource changes of a plan, no-ops and data-source reads left out. */
export function plannedChanges(plan: PlanJson): PlannedChange[] {
  return (plan.resource_changes ?? [])
    .filter((rc) => rc.mode !== 'data' && !rc.change.actions.every((a) => a === 'no-op' || a === 'read'))
    .map(toPlannedChange);
}

/** Does `pattern` (dot path, `*` = one segment) cover `path`? */
export function pathCovered(pattern: string, path: string): boolean {
  const p = pattern.split('.');
  const s = path.split('.');
  if (s.length < p.length) return false;
  return p.every((seg, i) => seg === '*' || seg === s[i]);
}

/** Sort a plan's changes into tolerated and unexpected. */
export function judgePlan(plan: PlanJson, tolerated: readonly ToleratedDifference[]): PlanVerdict {
  const ok: JudgedChange[] = [];
  const bad: JudgedChange[] = [];
  for (const change of plannedChanges(plan)) {
    const isReplace = change.actions.includes('delete') && change.actions.includes('create');
    const isUpdate = change.actions.length === 1 && change.actions[0] === 'update';
    const entries = tolerated.filter((t) => t.resourceType === change.type && (!t.address || t.address.test(change.address)));
    const covering = (path: string): ToleratedDifference[] => entries.filter((t) => t.attributes.some((a) => pathCovered(a, path)));
    const unexplained = change.paths.filter((p) => covering(p).length === 0);
    const matchedBy = [...new Set(change.paths.flatMap((p) => covering(p).map((t) => t.id)))];
    let problem: string | undefined;
    if (!isUpdate && !isReplace)
      problem = `planned to ${change.actions.join('+')} (only in-place updates or listed replacements are tolerated)`;
    else if (unexplained.length > 0) problem = `changes no tolerated entry covers: ${unexplained.join(', ')}`;
    else if (isReplace) {
      const replacing = change.replacePaths.length > 0 ? change.replacePaths : change.paths;
      const unallowed = replacing.filter((p) => !covering(p).some((t) => t.mayReplace));
      if (unallowed.length > 0) problem = `replacement forced by ${unallowed.join(', ')} (no entry allows a replacement)`;
    }
    const judged: JudgedChange = { ...change, matchedBy, unexplainedPaths: unexplained, problem };
    (problem ? bad : ok).push(judged);
  }
  return { tolerated: ok, unexpected: bad, drift: (plan.resource_drift ?? []).map(toPlannedChange) };
}

/** A readable, one-change-per-line list. */
export function formatChanges(changes: readonly JudgedChange[]): string {
  return changes
    .map(
      (c) =>
        `  - ${c.address} [${c.actions.join('+')}] ${c.problem ?? `tolerated by ${c.matchedBy.join(', ')}`}` +
        (c.paths.length > 0 ? `\n      paths: ${c.paths.join(', ')}` : ''),
    )
    .join('\n');
}
