import type { z } from 'zod';
import { ConfigError } from '../modules/module';

/** The heading anchor of a top-level section of docs/configuration.md (GitHub's rule: lower-case). */
export const sectionAnchor = (section: string) => `docs/configuration.md#${section.toLowerCase()}`;

export { ConfigError };

function valueAt(input: unknown, path: PropertyKey[]): unknown {
  let v: unknown = input;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

/** A value that may be a secret is never printed (a config's problem list ends up in terminals and CI logs). */
export function mayBeSecret(path: readonly PropertyKey[], value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const names = path.map(String);
  const last = names[names.length - 1] ?? '';
  // service.secrets.NAME must be an ARN: what was given instead may well be the secret itself.
  if (names[0] === 'service' && names[1] === 'secrets') return true;
  return /SECRET|PASSWORD|PASSWD|TOKEN|_KEY$|^KEY$|PRIVATE|CREDENTIAL/.test(last) || looksLikeSecretValue(value);
}

/** Well-known credential formats (Stripe, AWS access keys, GitHub, Slack, Google, SendGrid, PEM private keys). */
export const SECRET_VALUE_PATTERNS: readonly RegExp[] = [
  /^(sk|rk)_(live|test)_[A-Za-z0-9]{8,}/,
  /^(AKIA|ASIA)[A-Z0-9]{16}$/,
  /^gh[pousr]_[A-Za-z0-9]{20,}/,
  /^github_pat_[A-Za-z0-9_]{20,}/,
  /^xox[abprs]-[A-Za-z0-9-]{10,}/,
  /^AIza[0-9A-Za-z_-]{30,}/,
  /^SG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}/,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
];
export const looksLikeSecretValue = (v: string) => SECRET_VALUE_PATTERNS.some((p) => p.test(v));

const TYPE_NAMES: Record<string, string> = {
  number: 'a number',
  string: 'a string',
  boolean: 'true or false',
  object: 'an object',
  array: 'a list',
};
const typeOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'a list' : (TYPE_NAMES[typeof v] ?? typeof v));

/** zod's generic "Invalid input: expected X, received Y" in the config's words. */
function message(issue: z.core.$ZodIssue, value: unknown): string {
  if (issue.code === 'invalid_type' && /^Invalid input/.test(issue.message)) {
    const expected = TYPE_NAMES[issue.expected] ?? issue.expected;
    return value === undefined ? `required (${expected})` : `must be ${expected}, not ${typeOf(value)}`;
  }
  return issue.message;
}

const show = (v: unknown) => {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 60 ? `${s.slice(0, 57)}...` : s;
};

/** One line per problem: the field, the value given, and what is allowed. */
export function formatIssues(issues: readonly z.core.$ZodIssue[], input: unknown, file = 'backplane.config.ts'): string {
  const lines = issues.map((issue) => {
    const path = issue.path.map(String).join('.') || '(root)';
    if (issue.code === 'unrecognized_keys') {
      const section = issue.path.length > 0 ? String(issue.path[0]) : undefined;
      const where = section ? sectionAnchor(section) : 'docs/configuration.md';
      return `${path === '(root)' ? '' : `${path}.`}${issue.keys.join(', ')}: unknown setting (check the spelling; the settings that exist are in ${where})`;
    }
    const value = valueAt(input, issue.path);
    const given = value === undefined ? 'is missing' : mayBeSecret(issue.path, value) ? '= (value hidden)' : `= ${show(value)}`;
    return `${path} ${given}: ${message(issue, value)}`;
  });
  return formatProblems(lines, file);
}

/** The problem list every config refusal prints: the file, then one line per problem. */
export function formatProblems(lines: readonly string[], file = 'backplane.config.ts'): string {
  return `${file} has ${lines.length} problem${lines.length === 1 ? '' : 's'}:\n  - ${lines.join('\n  - ')}`;
}

export function parseOrThrow<T>(schema: z.ZodType<T>, input: unknown, file?: string): T {
  const r = schema.safeParse(input);
  if (!r.success) throw new ConfigError(formatIssues(r.error.issues, input, file));
  return r.data;
}
