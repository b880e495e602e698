/**
 * A small argv parser (no dependencies): `--flag value`, `--flag=value`, `-f value`, boolean `--flag` and
 * `--no-flag`, `--` ends the options. Unknown options and missing values are usage errors that name the option.
 */
import { UsageError } from './errors';

export interface FlagSpec {
  /** Long name without dashes, e.g. "config". */
  readonly name: string;
  /** One-letter alias without the dash. */
  readonly alias?: string;
  readonly type: 'boolean' | 'string' | 'number';
  readonly description: string;
  /** Placeholder in help, e.g. "<file>". */
  readonly value?: string;
  /** Allowed values (string flags). */
  readonly choices?: readonly string[];
}

export interface ParsedArgs {
  readonly flags: Readonly<Record<string, string | number | boolean | undefined>>;
  readonly positionals: readonly string[];
}

export function parseArgs(argv: readonly string[], specs: readonly FlagSpec[], command: string): ParsedArgs {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const byAlias = new Map(specs.filter((s) => s.alias).map((s) => [s.alias as string, s]));
  const flags: Record<string, string | number | boolean | undefined> = {};
  const positionals: string[] = [];
  const help = ` (see \`backplane ${command} --help\`)`;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const rawName = arg.startsWith('--') ? arg.slice(2, eq > 0 ? eq : undefined) : arg.slice(1, eq > 0 ? eq : undefined);
    const inline = eq > 0 ? arg.slice(eq + 1) : undefined;
    let spec = arg.startsWith('--') ? byName.get(rawName) : byAlias.get(rawName);
    let negated = false;
    if (!spec && arg.startsWith('--no-')) {
      const positive = byName.get(rawName.slice(3));
      if (positive?.type === 'boolean') [spec, negated] = [positive, true];
    }
    if (!spec) throw new UsageError(`unknown option "${arg.slice(0, eq > 0 ? eq : undefined)}" for \`backplane ${command}\`${help}`);
    if (spec.type === 'boolean') {
      if (inline !== undefined && !['true', 'false'].includes(inline))
        throw new UsageError(`--${spec.name} takes no value (got "${inline}")${help}`);
      flags[spec.name] = negated ? false : inline === undefined ? true : inline === 'true';
      continue;
    }
    const value = inline ?? argv[i + 1];
    if (inline === undefined) i++;
    if (value === undefined || (inline === undefined && value.startsWith('--')))
      throw new UsageError(`--${spec.name} needs a value${spec.value ? ` ${spec.value}` : ''}${help}`);
    if (spec.choices && !spec.choices.includes(value))
      throw new UsageError(`--${spec.name} must be one of ${spec.choices.join(', ')} (got "${value}")`);
    if (spec.type === 'number') {
      const n = Number(value);
      if (!Number.isFinite(n)) throw new UsageError(`--${spec.name} must be a number (got "${value}")`);
      flags[spec.name] = n;
    } else flags[spec.name] = value;
  }
  return { flags, positionals };
}

/** The options section of a command's help. */
export function formatFlags(specs: readonly FlagSpec[]): string {
  const rows = specs.map((s) => {
    const names = `${s.alias ? `-${s.alias}, ` : '    '}--${s.name}${s.type === 'boolean' ? '' : ` ${s.value ?? (s.type === 'number' ? '<n>' : '<value>')}`}`;
    const choices = s.choices ? ` (${s.choices.join(' | ')})` : '';
    return [names, `${s.description}${choices}`];
  });
  const width = Math.max(...rows.map(([n]) => n.length));
  return rows.map(([n, d]) => `  ${n.padEnd(width)}  ${d}`).join('\n');
}
