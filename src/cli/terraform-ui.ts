/**
 * Reads Terraform's machine-readable UI (`-json`: one JSON object per line; developer.hashicorp.com/terraform/internals/machine-readable-ui)
 * and turns it into one progress line per resource plus a summary: what was planned, what happened, how long it took.
 */

export interface ChangeCounts {
  add: number;
  change: number;
  remove: number;
  import: number;
}

export interface Diagnostic {
  readonly severity: 'error' | 'warning';
  readonly summary: string;
  readonly detail?: string;
  readonly address?: string;
}

export interface PlannedChange {
  readonly address: string;
  readonly action: string;
  readonly importing: boolean;
}

const ANSI = /\x1b\[[0-9;]*m/g;

/** Accumulates one run's events; `line()` returns the progress text for an event, or undefined. */
export class TerraformProgress {
  readonly planned: PlannedChange[] = [];
  readonly diagnostics: Diagnostic[] = [];
  readonly completed: { address: string; action: string; seconds: number }[] = [];
  readonly errored: string[] = [];
  summary?: ChangeCounts & { operation: string };
  /** Lines that were not JSON (terraform printed plain text, e.g. an early failure). */
  readonly plain: string[] = [];

  /**
   * @param listPlanned print a line per planned change. `apply` of a saved plan repeats every planned_change the
   *   plan already printed: it lists them only once, as the plan.
   */
  constructor(private readonly listPlanned = true) {}

  /** Feeds one output line; returns what to print for it (or undefined). */
  line(raw: string): string | undefined {
    const text = raw.replace(ANSI, '').trim();
    if (!text) return undefined;
    let msg: Record<string, any>;
    try {
      msg = JSON.parse(text);
    } catch {
      this.plain.push(text);
      return undefined;
    }
    switch (msg.type) {
      case 'planned_change': {
        const c = msg.change ?? {};
        const address = c.resource?.addr ?? '?';
        const importing = c.importing !== undefined;
        this.planned.push({ address, action: c.action, importing });
        if (!this.listPlanned) return undefined;
        return `  ${SYMBOL[importing && c.action === 'noop' ? 'import' : c.action] ?? ' '} ${address}${importing ? ' (import)' : ''}`;
      }
      case 'change_summary': {
        const s = msg.changes ?? {};
        this.summary = {
          add: s.add ?? 0,
          change: s.change ?? 0,
          remove: s.remove ?? 0,
          import: s.import ?? 0,
          operation: s.operation ?? 'plan',
        };
        return undefined;
      }
      case 'apply_start':
      case 'apply_progress':
      case 'apply_complete':
        if (msg.hook?.action === 'read') return undefined; // data sources: instant and many, not progress worth a line
        return this.event(msg);
      default:
        return this.event(msg);
    }
  }

  /** Apply hooks and diagnostics. */
  private event(msg: Record<string, any>): string | undefined {
    switch (msg.type) {
      case 'apply_start':
        return `  ${VERB[msg.hook?.action]?.[0] ?? 'changing'} ${msg.hook?.resource?.addr}...`;
      case 'apply_progress':
        return `  still ${VERB[msg.hook?.action]?.[0] ?? 'changing'} ${msg.hook?.resource?.addr} (${duration(msg.hook?.elapsed_seconds ?? 0)})`;
      case 'apply_complete': {
        const address = msg.hook?.resource?.addr;
        const seconds = msg.hook?.elapsed_seconds ?? 0;
        this.completed.push({ address, action: msg.hook?.action, seconds });
        return `  ✓ ${address} ${VERB[msg.hook?.action]?.[1] ?? 'done'} (${duration(seconds)})`;
      }
      case 'apply_errored':
        this.errored.push(msg.hook?.resource?.addr);
        return `  ✗ ${msg.hook?.resource?.addr} failed (${duration(msg.hook?.elapsed_seconds ?? 0)})`;
      case 'diagnostic': {
        const d = msg.diagnostic ?? {};
        // Configuration errors carry no address, but their snippet names the block ("resource.aws_x.name").
        const context = typeof d.snippet?.context === 'string' ? d.snippet.context.replace(/^resource\./, '') : undefined;
        this.diagnostics.push({
          severity: d.severity === 'error' ? 'error' : 'warning',
          summary: d.summary ?? msg['@message'],
          detail: d.detail,
          address: d.address ?? context,
        });
        return undefined;
      }
      default:
        return undefined;
    }
  }

  errors(): Diagnostic[] {
    return this.diagnostics.filter((d) => d.severity === 'error');
  }

  /** The first thing that went wrong, as one line. */
  firstError(): string | undefined {
    const e = this.errors()[0];
    if (e) return `${e.summary}${e.address ? ` (${e.address})` : ''}`;
    return this.plain.find((l) => /error/i.test(l))?.replace(/^[│╷╵\s]*(Error:\s*)?/, '');
  }
}

const SYMBOL: Record<string, string> = {
  create: '+',
  update: '~',
  delete: '-',
  replace: '-/+',
  read: '<=',
  import: '<-',
  move: '->',
  remove: '-',
};
const VERB: Record<string, [string, string]> = {
  create: ['creating', 'created'],
  update: ['updating', 'updated'],
  delete: ['destroying', 'destroyed'],
  replace: ['replacing', 'replaced'],
  read: ['reading', 'read'],
  noop: ['importing', 'imported'],
};

export function duration(seconds: number): string {
  const s = Math.round(seconds);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

/** "3 to add, 1 to change, 0 to destroy, 1 to import". */
export function describeCounts(c: ChangeCounts, tense: 'plan' | 'done'): string {
  const parts =
    tense === 'plan'
      ? [`${c.add} to add`, `${c.change} to change`, `${c.remove} to destroy`]
      : [`${c.add} added`, `${c.change} changed`, `${c.remove} destroyed`];
  if (c.import > 0) parts.push(tense === 'plan' ? `${c.import} to import` : `${c.import} imported`);
  return parts.join(', ');
}
