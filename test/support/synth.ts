import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import builtInExample from '../../examples/fullstack/backplane.config';
import { synthesize } from '../../src/app';
import type { BackplaneConfigInput } from '../../src/config';

export const repoRoot = path.resolve(__dirname, '..', '..');
export const exampleDir = path.join(repoRoot, 'examples', 'fullstack');

export type TfJson = {
  resource: Record<string, Record<string, any>>;
  data?: Record<string, Record<string, any>>;
  output?: Record<string, any>;
  terraform: any;
  provider: any;
  import?: any[];
};

/** The built-in example's config with parts replaced (a shallow merge per top-level section). */
export function exampleConfig(overrides: Partial<Record<keyof BackplaneConfigInput, unknown>> = {}): BackplaneConfigInput {
  const base = builtInExample as Record<string, unknown>;
  const merged: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(overrides)) {
    merged[k] =
      v && typeof v === 'object' && !Array.isArray(v) && base[k] && typeof base[k] === 'object'
        ? { ...(base[k] as object), ...(v as object) }
        : v;
  }
  return merged as BackplaneConfigInput;
}

/** Synthesizes a config into a temp dir and returns the parsed cdk.tf.json. */
export function synth(config: BackplaneConfigInput = builtInExample): TfJson & { dir: string } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'backplane-synth-'));
  const result = synthesize(config, { outdir, configDir: exampleDir });
  const json = JSON.parse(fs.readFileSync(path.join(result.stackDir, 'cdk.tf.json'), 'utf8'));
  return { ...json, dir: result.stackDir };
}

/** The single resource of a type (fails when there is not exactly one). */
export function only(json: TfJson, type: string): any {
  const all = Object.values(json.resource[type] ?? {});
  if (all.length !== 1) throw new Error(`expected exactly one ${type}, found ${all.length}`);
  return all[0];
}

export function all(json: TfJson, type: string): any[] {
  return Object.values(json.resource[type] ?? {});
}

export function named(json: TfJson, type: string, name: string): any {
  const r = json.resource[type]?.[name];
  if (!r) throw new Error(`no ${type}.${name}; have: ${Object.keys(json.resource[type] ?? {}).join(', ')}`);
  return r;
}

/** Parses a `${jsonencode(...)}` free policy: cdktn renders jsonencode as HCL, so read it as text. */
export function text(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
