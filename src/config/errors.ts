import type { z } from 'zod';
import { ConfigError } from '../modules/module';

export { ConfigError };

function valueAt(input: unknown, path: PropertyKey[]): unknown {
  let v: unknown = input;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
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
      return `${path === '(root)' ? '' : `${path}.`}${issue.keys.join(', ')}: unknown setting (check the spelling; see docs/configuration.md)`;
    }
    const value = valueAt(input, issue.path);
    const given = value === undefined ? 'is missing' : `= ${show(value)}`;
    return `${path} ${given}: ${issue.message}`;
  });
  return `${file} has ${lines.length} problem${lines.length === 1 ? '' : 's'}:\n  - ${lines.join('\n  - ')}`;
}

export function parseOrThrow<T>(schema: z.ZodType<T>, input: unknown, file?: string): T {
  const r = schema.safeParse(input);
  if (!r.success) throw new ConfigError(formatIssues(r.error.issues, input, file));
  return r.data;
}
