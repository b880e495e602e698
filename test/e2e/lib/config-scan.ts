/**
 * Reads what the harness must know about a Terraform configuration directory, from `*.tf` (HCL)
 * and `*.tf.json` files alike: the `provider "aws"` configurations (default and aliases, with a
 * literal region), local module sources, and the backend.
 *
 * HCL is scanned, not fully parsed: the scanner understands blocks, strings (with `${...}`),
 * heredocs and comments, which is what finding top-level blocks and literal attributes needs.
 */
import * as fs from 'fs';
import * as path from 'path';

/** One `provider "aws"` configuration of the root module. */
export interface AwsProviderConfig {
  /** `alias`, or undefined for the default configuration. */
  readonly alias?: string;
  /** `region` when it is a literal string; undefined when absent or an expression. */
  readonly region?: string;
}

/** What {@link scanConfigDir} found in one directory. */
export interface ConfigScan {
  readonly awsProviders: readonly AwsProviderConfig[];
  /** `source` of every `module` block that is a local path (starts with ./ or ../). */
  readonly localModuleSources: readonly string[];
  /** Backend type, e.g. "local" or "s3", if a `terraform { backend "..." {} }` is declared. */
  readonly backend?: string;
  /** The configuration files read. */
  readonly files: readonly string[];
}

interface Block {
  readonly type: string;
  readonly labels: readonly string[];
  readonly body: string;
}

/** Index just past the string starting at `i` (text[i] === '"'), honouring escapes and `${...}`. */
function skipString(text: string, i: number): number {
  let j = i + 1;
  while (j < text.length) {
    const c = text[j];
    if (c === '\\') j += 2;
    else if (c === '"') return j + 1;
    else if ((c === '$' || c === '%') && text[j + 1] === '{') j = skipBraces(text, j + 1);
    else j++;
  }
  return j;
}

/** Index just past the bracketed group starting at `i` (text[i] is `{`, `[` or `(`). */
function skipBraces(text: string, i: number): number {
  let depth = 0;
  let j = i;
  while (j < text.length) {
    const skipped = skipTrivia(text, j);
    if (skipped !== j) {
      j = skipped;
      continue;
    }
    const c = text[j];
    if (c === '{' || c === '[' || c === '(') depth++;
    else if ((c === '}' || c === ']' || c === ')') && --depth === 0) return j + 1;
    j++;
  }
  return j;
}

/** If a comment, string or heredoc starts at `i`, the index past it; otherwise `i`. */
function skipTrivia(text: string, i: number): number {
  const c = text[i];
  if (c === '#' || (c === '/' && text[i + 1] === '/')) {
    const nl = text.indexOf('\n', i);
    return nl < 0 ? text.length : nl + 1;
  }
  if (c === '/' && text[i + 1] === '*') {
    const end = text.indexOf('*/', i + 2);
    return end < 0 ? text.length : end + 2;
  }
  if (c === '"') return skipString(text, i);
  if (c === '<' && text[i + 1] === '<') {
    const m = /^<<-?([A-Za-z_][A-Za-z0-9_]*)\r?\n/.exec(text.slice(i, i + 200));
    if (m) {
      const end = new RegExp(`\\n[ \\t]*${m[1]}[ \\t]*(\\r?\\n|$)`).exec(text.slice(i + m[0].length - 1));
      return end ? i + m[0].length - 1 + end.index + end[0].length : text.length;
    }
  }
  return i;
}

/** The blocks at depth 0 of `text` (a file, or a block body). */
export function hclBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  const header = /([A-Za-z_][A-Za-z0-9_-]*)((?:\s+(?:"[^"\n]*"|[A-Za-z_][A-Za-z0-9_-]*))*)\s*\{$/;
  let i = 0;
  let lineStart = 0;
  while (i < text.length) {
    const skipped = skipTrivia(text, i);
    if (skipped !== i) {
      if (text[i] === '#' || text[i] === '/') lineStart = skipped;
      i = skipped;
      continue;
    }
    const c = text[i];
    if (c === '\n') lineStart = i + 1;
    if (c === '{') {
      const end = skipBraces(text, i);
      const m = header.exec(text.slice(lineStart, i + 1).trim());
      if (m && !/=\s*$/.test(text.slice(lineStart, i))) {
        const labels = [...m[2].matchAll(/"([^"\n]*)"|([A-Za-z_][A-Za-z0-9_-]*)/g)].map((x) => x[1] ?? x[2]);
        blocks.push({ type: m[1], labels, body: text.slice(i + 1, end - 1) });
      }
      i = end;
      lineStart = end;
      continue;
    }
    i++;
  }
  return blocks;
}

/** The literal string value of a depth-0 attribute of a block body, if it is one. */
export function hclLiteralAttribute(body: string, name: string): string | undefined {
  // Keep depth-0 text only: nested blocks/lists/objects become a space, comments and heredocs a newline.
  let flat = '';
  let i = 0;
  while (i < body.length) {
    const c = body[i];
    if (c === '"') {
      const end = skipString(body, i);
      flat += body.slice(i, end);
      i = end;
    } else if (c === '{' || c === '[' || c === '(') {
      i = skipBraces(body, i);
      flat += ' ';
    } else {
      const end = skipTrivia(body, i);
      if (end !== i) {
        flat += '\n';
        i = end;
      } else {
        flat += c;
        i++;
      }
    }
  }
  const m = new RegExp(`^\\s*${name}\\s*=\\s*"([^"$%\\\\]*)"\\s*$`, 'm').exec(flat);
  return m ? m[1] : undefined;
}

function asArray<T>(v: T | T[] | undefined): T[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}

const isLocal = (source: unknown): source is string => typeof source === 'string' && /^\.\.?\//.test(source);

type Json = Record<string, unknown>;

function scanJson(doc: Json, providers: AwsProviderConfig[], modules: string[], backends: string[]): void {
  for (const p of asArray((doc.provider as Json | undefined)?.aws as Json | Json[] | undefined)) {
    providers.push({
      alias: typeof p.alias === 'string' ? p.alias : undefined,
      region: typeof p.region === 'string' && !p.region.includes('${') ? p.region : undefined,
    });
  }
  for (const m of Object.values((doc.module as Json | undefined) ?? {})) {
    for (const one of asArray(m as Json | Json[])) if (isLocal(one.source)) modules.push(one.source);
  }
  for (const t of asArray(doc.terraform as Json | Json[] | undefined)) {
    for (const b of asArray(t.backend as Json | Json[] | undefined)) backends.push(...Object.keys(b));
  }
}

function scanHcl(text: string, providers: AwsProviderConfig[], modules: string[], backends: string[]): void {
  for (const block of hclBlocks(text)) {
    if (block.type === 'provider' && block.labels[0] === 'aws') {
      providers.push({ alias: hclLiteralAttribute(block.body, 'alias'), region: hclLiteralAttribute(block.body, 'region') });
    } else if (block.type === 'module') {
      const source = hclLiteralAttribute(block.body, 'source');
      if (isLocal(source)) modules.push(source);
    } else if (block.type === 'terraform') {
      for (const inner of hclBlocks(block.body)) if (inner.type === 'backend' && inner.labels[0]) backends.push(inner.labels[0]);
    }
  }
}

/** Files the harness writes itself; never scanned as part of the user's configuration. */
export const HARNESS_FILE_PREFIX = 'zz_moto_';

/** Scan the `.tf` / `.tf.json` files directly in `dir` (not subdirectories). */
export function scanConfigDir(dir: string): ConfigScan {
  const files = fs
    .readdirSync(dir)
    .filter((f) => (f.endsWith('.tf') || f.endsWith('.tf.json')) && !f.startsWith(HARNESS_FILE_PREFIX))
    .sort();
  const providers: AwsProviderConfig[] = [];
  const modules: string[] = [];
  const backends: string[] = [];
  for (const file of files) {
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    if (file.endsWith('.json')) scanJson(JSON.parse(text) as Json, providers, modules, backends);
    else scanHcl(text, providers, modules, backends);
  }
  return { awsProviders: providers, localModuleSources: [...new Set(modules)], backend: backends[0], files };
}
