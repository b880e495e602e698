/**
 * docs/configuration.md, generated from the config schema itself (`npm run modules:build` writes it,
 * `modules:check` fails in CI when it is stale): every setting with its type, default, allowed values and what it
 * is for (the schema's own `.describe()` text). "unknown setting" refusals link to a section of it.
 */
import * as fs from 'fs';
import * as path from 'path';
import { z } from 'zod';
import { configSchema } from './schema';

type Json = Record<string, any>;

const code = (v: unknown) => `\`${JSON.stringify(v)}\``;

function typeOf(s: Json): string {
  if (s.const !== undefined) return code(s.const);
  if (s.enum) return 'string';
  if (s.anyOf || s.oneOf) return [...new Set((s.anyOf ?? s.oneOf).map(typeOf))].join(' or ');
  if (s.type === 'array') return `list of ${typeOf(s.items ?? {})}`;
  if (s.type === 'object' && s.additionalProperties && typeof s.additionalProperties === 'object')
    return `map of ${typeOf(s.additionalProperties)}`;
  if (s.type === 'integer') return 'whole number';
  return s.type ?? 'any';
}

function allowed(s: Json): string {
  const parts: string[] = [];
  if (s.enum) parts.push(s.enum.map(code).join(', '));
  if (s.minimum !== undefined && s.minimum > -1e15) parts.push(`≥ ${s.minimum}`);
  if (s.maximum !== undefined && s.maximum < 1e15) parts.push(`≤ ${s.maximum}`);
  if (s.minLength !== undefined) parts.push(`at least ${s.minLength} characters`);
  if (s.maxLength !== undefined) parts.push(`at most ${s.maxLength} characters`);
  if (s.pattern) parts.push(`matches \`${String(s.pattern).replace(/\|/g, '\\|')}\``);
  if (s.minItems !== undefined) parts.push(`at least ${s.minItems} item${s.minItems === 1 ? '' : 's'}`);
  return parts.join('; ') || '—';
}

const defaultOf = (s: Json, required: boolean) =>
  s.default !== undefined
    ? typeof s.default === 'object'
      ? 'see below'
      : code(s.default)
    : required
      ? '**required**'
      : 'optional (unset)';

/**
 * What each setting is for: the JSDoc comment written above it in src/config/*.ts (the schema's source), keyed by
 * the setting's name within its file's section. The comments stay where a reader of the schema sees them.
 */
function sourceComments(): Map<string, string> {
  const dir = path.resolve(__dirname, '..', '..', '..', 'src', 'config');
  const found = new Map<string, string>();
  const src = fs.existsSync(dir) ? dir : path.resolve(__dirname);
  for (const file of fs.readdirSync(src).filter((f) => f.endsWith('.ts'))) {
    const text = fs.readFileSync(path.join(src, file), 'utf8');
    const section = file === 'schema.ts' ? '' : file.replace(/\.ts$/, '');
    for (const m of text.matchAll(/\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*\n\s*([A-Za-z0-9_]+)(\??:|,)/g)) {
      const comment = m[1]
        .replace(/^\s*\* ?/gm, '')
        .replace(/\s+/g, ' ')
        .trim();
      const key = section ? `${section}:${m[2]}` : m[2];
      if (!found.has(key)) found.set(key, comment);
    }
  }
  return found;
}

/** A setting's comment: `service.scaling.min` is looked up as service:min (src/config/service.ts), then in schema.ts. */
function describe(comments: Map<string, string>, settingPath: string, schema: Json): string {
  if (schema.description) return schema.description;
  const parts = settingPath.split('.');
  const leaf = parts[parts.length - 1];
  const file = SECTION_FILES[parts[0]] ?? parts[0];
  return comments.get(`${file}:${leaf}`) ?? comments.get(leaf) ?? '—';
}

/** The source file (src/config/<file>.ts) that defines each top-level section, where it differs from the name. */
const SECTION_FILES: Record<string, string> = { edge: 'edge', dns: 'edge', queues: 'queues', cron: 'cron' };

interface Row {
  readonly path: string;
  readonly schema: Json;
  readonly required: boolean;
}

/** Leaf settings of an object schema (objects recurse; a union of objects lists each variant's settings once). */
function rows(schema: Json, prefix: string): Row[] {
  const variants: Json[] = schema.anyOf ?? schema.oneOf ?? [schema];
  const out: Row[] = [];
  const seen = new Set<string>();
  for (const v of variants) {
    const required = new Set<string>(v.required ?? []);
    for (const [key, child] of Object.entries<Json>(v.properties ?? {})) {
      const p = `${prefix}.${key}`;
      const self: Row = { path: p, schema: child, required: required.has(key) };
      const nested = (child.type === 'object' && child.properties) || (child.anyOf ?? child.oneOf)?.some((x: Json) => x.properties);
      const row: Row[] = nested ? [self, ...rows(child, p)] : [self];
      for (const r of row) {
        const key2 = `${r.path}|${JSON.stringify(r.schema.const ?? r.schema.enum ?? '')}`;
        if (seen.has(key2)) continue;
        seen.add(key2);
        out.push(r);
      }
    }
  }
  return out;
}

const cell = (text: string) => text.replace(/\n/g, ' ').replace(/\|/g, '\\|');

/** The whole reference page. */
export function configurationReference(): string {
  const root = z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' }) as Json;
  const comments = sourceComments();
  const topRequired = new Set<string>(root.required ?? []);
  const lines = [
    '<!-- Generated from src/config/schema.ts by `npm run modules:build`; CI fails when it is stale. Do not edit. -->',
    '# Configuration reference',
    '',
    'Every setting of `backplane.config.ts` (`export default defineConfig({ ... })`): its type, default, allowed values',
    'and what it is for. A setting marked *required* has no default. Validation runs before anything reaches the cloud',
    '(`backplane synth`, `cost`, `plan`, `deploy` and `npm run synth` refuse the same mistakes, one line each).',
    '',
  ];
  for (const [section, schema] of Object.entries<Json>(root.properties ?? {})) {
    lines.push(`## ${section}`, '');
    const what = describe(comments, section, schema);
    if (what !== '—') lines.push(cell(what), '');
    lines.push(`Type: ${typeOf(schema)}. Default: ${defaultOf(schema, topRequired.has(section))}. Allowed: ${allowed(schema)}.`, '');
    const children = rows(schema, section);
    if (children.length === 0) continue;
    lines.push('| setting | type | default | allowed | what it is for |', '|---|---|---|---|---|');
    for (const r of children) {
      const s = r.schema;
      lines.push(
        `| \`${r.path}\` | ${cell(typeOf(s))} | ${cell(defaultOf(s, r.required))} | ${cell(allowed(s))} | ${cell(describe(comments, r.path, s))} |`,
      );
    }
    lines.push('');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
