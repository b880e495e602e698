/**
 * Turns cdktn's HCL output into readable module files: every `"${expr}"` that is a whole interpolation
 * becomes the bare `expr`, top-level blocks are sorted into main.tf / outputs.tf, and variables.tf is
 * rendered from the module definition (cdktn drops `nullable` and `sensitive` there).
 */
import { format } from '@cdktn/hcl-tools';
import type { CrossCheck, InputSpec } from './inputs';
import type { ModuleDefinition } from './module';
import { AWS_PROVIDER_CONSTRAINT, TERRAFORM_CONSTRAINT } from './versions';

export { AWS_PROVIDER_CONSTRAINT, TERRAFORM_CONSTRAINT };

/** Index just past the string literal that starts at `start` (a `"`), honouring escapes and `${...}` nesting. */
function endOfString(src: string, start: number): number {
  let i = start + 1;
  while (i < src.length) {
    const c = src[i];
    if (c === '\\') i += 2;
    else if (c === '"') return i + 1;
    else if (c === '$' && src[i + 1] === '$' && src[i + 2] === '{') i += 3;
    else if (c === '$' && src[i + 1] === '{') i = endOfExpression(src, i + 2);
    else i++;
  }
  throw new Error(`unterminated string at ${start}`);
}

/** Index just past the `}` that closes an interpolation whose body starts at `start`. */
function endOfExpression(src: string, start: number): number {
  let depth = 0;
  let i = start;
  while (i < src.length) {
    const c = src[i];
    if (c === '"') i = endOfString(src, i);
    else if (c === '{') {
      depth++;
      i++;
    }
    else if (c === '}') {
      if (depth === 0) return i + 1;
      depth--;
      i++;
    } else i++;
  }
  throw new Error(`unterminated interpolation at ${start}`);
}

/** Replaces each string literal that is exactly one interpolation by its (recursively unwrapped) expression. */
export function unwrapInterpolations(src: string): string {
  let out = '';
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === '#' || (c === '/' && src[i + 1] === '/')) {
      const nl = src.indexOf('\n', i);
      const end = nl === -1 ? src.length : nl;
      out += src.slice(i, end);
      i = end;
    } else if (c === '<' && src.startsWith('<<', i)) {
      const m = /^<<-?([A-Z_]+)\n/.exec(src.slice(i));
      if (!m) {
        out += c;
        i++;
      } else {
        const end = src.indexOf(`\n${m[1]}`, i) + m[1].length + 1;
        out += src.slice(i, end);
        i = end;
      }
    } else if (c === '"') {
      const end = endOfString(src, i);
      const literal = src.slice(i, end);
      if (literal.startsWith('"${') && endOfExpression(src, i + 3) === end - 1) {
        // A whole-value interpolation stands where an operand or argument stands: no parentheses needed.
        out += unwrapInterpolations(literal.slice(3, -2));
      } else {
        out += literal;
      }
      i = end;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

export interface HclBlock {
  readonly type: string;
  readonly labels: string[];
  readonly text: string;
}

/** Splits an HCL document into its top-level blocks (`resource "a" "b" { ... }`). */
export function topLevelBlocks(src: string): HclBlock[] {
  const blocks: HclBlock[] = [];
  let i = 0;
  while (i < src.length) {
    const m = /^\s*([a-z_]+)((?:\s+"[^"]*")*)\s*\{/.exec(src.slice(i));
    if (!m) {
      if (src.slice(i).trim() === '') break;
      throw new Error(`cannot parse HCL near: ${src.slice(i, i + 80)}`);
    }
    const bodyStart = i + m[0].length;
    const end = endOfExpression(src, bodyStart);
    const labels = [...m[2].matchAll(/"([^"]*)"/g)].map((x) => x[1]);
    blocks.push({ type: m[1], labels, text: src.slice(i, end).trim() });
    i = end;
  }
  return blocks;
}

function hclValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `[${value.map(hclValue).join(', ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as object);
    if (entries.length === 0) return '{}';
    return `{\n${entries.map(([k, v]) => `${/^[a-zA-Z_][\w-]*$/.test(k) ? k : JSON.stringify(k)} = ${hclValue(v)}`).join('\n')}\n}`;
  }
  return JSON.stringify(value);
}

/** The `variable` block for one input: description, precise type, default, nullable, sensitive, validation. */
export function renderVariable(name: string, spec: InputSpec<unknown>, checks: readonly CrossCheck[] = []): string {
  const lines = [`variable "${name}" {`, `description = ${JSON.stringify(spec.description)}`, `type = ${spec.tfType}`];
  if (spec.hasDefault) lines.push(`default = ${hclValue(spec.default)}`);
  lines.push(`nullable = ${spec.nullable}`);
  if (spec.sensitive) lines.push('sensitive = true');
  for (const c of spec.constraints) {
    const ref = `var.${name}`;
    const condition = spec.nullable && !c.hcl(ref).includes(`${ref} == null`) ? `${ref} == null || (${c.hcl(ref)})` : c.hcl(ref);
    lines.push('validation {', `condition = ${condition}`, `error_message = ${JSON.stringify(`${name} ${c.message}.`)}`, '}');
  }
  for (const c of checks.filter((x) => x.on === name)) {
    lines.push('validation {', `condition = ${c.hcl}`, `error_message = ${JSON.stringify(c.hclMessage)}`, '}');
  }
  lines.push('}');
  return lines.join('\n');
}


export function renderVersions(def: ModuleDefinition): string {
  const providers: Record<string, { source: string; version: string }> = {
    aws: { source: 'hashicorp/aws', version: AWS_PROVIDER_CONSTRAINT },
    ...(def.extraProviders ?? {}),
  };
  const body = Object.entries(providers)
    .map(([k, p]) => `${k} = {\nsource = ${JSON.stringify(p.source)}\nversion = ${JSON.stringify(p.version)}\n}`)
    .join('\n');
  return `terraform {\nrequired_version = "${TERRAFORM_CONSTRAINT}"\nrequired_providers {\n${body}\n}\n}\n`;
}

export interface ModuleFiles {
  'main.tf': string;
  'variables.tf': string;
  'outputs.tf': string;
  'versions.tf': string;
}

/** `depends_on = ["aws_x.y"]` and `ignore_changes = ["ami"]` take bare references in Terraform >= 0.12. */
export function unquoteReferences(src: string): string {
  return src.replace(/\b(depends_on|ignore_changes)(\s*=\s*)\[([^\]]*)\]/g, (_, key: string, eq: string, items: string) =>
    `${key}${eq}[${items.replace(/"([\w.[\]-]+)"/g, '$1')}]`,
  );
}

/**
 * cdktn 0.24 renders `lifecycle { postcondition = [{...}] }` as a list attribute with every line twice;
 * Terraform wants one `postcondition { condition = ..., error_message = ... }` block per rule.
 */
export function fixConditionBlocks(src: string): string {
  return src.replace(/\b(precondition|postcondition) = \[\s*\n([\s\S]*?)\n\s*\]\s*\n(\s*\]\s*\n)?/g, (_, kind: string, body: string) => {
    const conditions: string[] = [];
    const messages: string[] = [];
    for (const line of body.split('\n').map((l) => l.trim())) {
      const m = /^(condition|error_message)\s*=\s*(.*)$/.exec(line);
      if (!m) continue;
      const list = m[1] === 'condition' ? conditions : messages;
      if (list[list.length - 1] !== m[2] || list.length < conditions.length) list.push(m[2]);
    }
    const dedupe = (xs: string[]) => xs.filter((x, i) => i === 0 || x !== xs[i - 1]);
    const cs = dedupe(conditions);
    const ms = dedupe(messages);
    return cs.map((c, i) => `${kind} {\ncondition = ${c}\nerror_message = ${ms[i]}\n}\n`).join('');
  });
}

/** Sorts cdktn's HCL for one module stack into the standard module files, formatted. */
export async function moduleFiles(def: ModuleDefinition, synthesizedHcl: string): Promise<ModuleFiles> {
  const blocks = topLevelBlocks(fixConditionBlocks(unquoteReferences(unwrapInterpolations(synthesizedHcl))));
  const of = (...types: string[]) => blocks.filter((b) => types.includes(b.type)).map((b) => b.text);
  const unknown = blocks.filter((b) => !['terraform', 'provider', 'variable', 'output', 'resource', 'data', 'locals', 'ephemeral', 'check'].includes(b.type));
  if (unknown.length) throw new Error(`${def.name}: unexpected top-level blocks ${unknown.map((b) => b.type).join(', ')}`);
  const header = `# Generated by \`npm run modules:build\` from src/definitions/${def.name}.ts and its construct. Do not edit.\n`;
  const variables = Object.entries(def.inputs).map(([n, s]) => renderVariable(n, s as InputSpec<unknown>, def.checks));
  const fmt = async (s: string) => format(s.endsWith('\n') ? s : `${s}\n`);
  return {
    'main.tf': await fmt(header + of('locals', 'data', 'ephemeral', 'resource', 'check').join('\n\n')),
    'variables.tf': await fmt(header + variables.join('\n\n')),
    'outputs.tf': await fmt(header + of('output').join('\n\n')),
    'versions.tf': await fmt(header + renderVersions(def)),
  };
}
