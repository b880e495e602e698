import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdktn';
import { ConfigError, type BackplaneConfig, type BackplaneConfigInput } from './config';
import { parseSnapshot } from './edge/distribution-snapshot';
import { distributionFindings, stackLimitFindings, type StackJson } from './limits';
import type { FullstackBackend } from './presets/fullstack';
import type { PreviewBackend } from './presets/preview';
import { BackplaneStack } from './stack/backplane-stack';

export { stateKey } from './stack/backplane-stack';

export interface SynthOptions {
  /** Output directory (cdktn's convention: cdktf.out). */
  readonly outdir?: string;
  /** Directory of the config file, for relative paths in it. */
  readonly configDir?: string;
  /** Config file name, for error messages. */
  readonly configFile?: string;
  /** Skip cdktn's check for a terraform binary (tests, offline synth). @default true */
  readonly skipValidation?: boolean;
  /** With `service.build` and no image recorded yet, a placeholder digest (BackplaneStackOptions.pendingImage). */
  readonly pendingImage?: boolean;
}

export interface BackplaneApp {
  readonly app: App;
  readonly stack: BackplaneStack;
  readonly backend: FullstackBackend | PreviewBackend;
  readonly config: BackplaneConfig;
  readonly stackName: string;
}

/** Builds the cdktn app for a config (validated first: a bad config throws a ConfigError before any synthesis). */
export function buildApp(input: BackplaneConfigInput, options: SynthOptions = {}): BackplaneApp {
  const outdir = options.outdir ?? 'cdktf.out';
  const app = new App({ outdir, skipValidation: options.skipValidation ?? true });
  const stack = new BackplaneStack(app, input, {
    configDir: options.configDir,
    configFile: options.configFile,
    pendingImage: options.pendingImage,
  });
  return { app, stack, backend: stack.backend, config: stack.config, stackName: stack.stackName };
}

export interface SynthResult {
  readonly stackName: string;
  /** The synthesized stack directory (cdk.tf.json inside). */
  readonly stackDir: string;
  readonly resources: Record<string, number>;
  readonly config: BackplaneConfig;
}

/** Counts the resource instances by type in a synthesized `cdk.tf.json`. */
export function countResources(stackJson: { resource?: Record<string, Record<string, unknown>> }): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const [type, byName] of Object.entries(stackJson.resource ?? {}))
    counts[type] = Object.values(byName).reduce<number>((n, block) => n + instancesOf(block), 0);
  return counts;
}

/**
 * The instances a resource block plans: its `count` or the size of a literal `for_each` (so the summary matches the
 * plan's "N to add"); a count or for_each only known at plan time counts as one.
 */
function instancesOf(block: unknown): number {
  const { count, for_each: forEach } = (block ?? {}) as { count?: unknown; for_each?: unknown };
  if (typeof count === 'number') return count;
  if (Array.isArray(forEach)) return forEach.length;
  if (forEach && typeof forEach === 'object') return Object.keys(forEach).length;
  if (typeof forEach === 'string' && /^\$\{toset\(\[\]\)\}$/.test(forEach)) return 0;
  return 1;
}

/** Where a config's stack is synthesized, from the raw input (known even when the config is invalid). */
function stackDirOf(input: BackplaneConfigInput, outdir: string): string | undefined {
  const raw = input as { name?: unknown; stage?: unknown } | undefined;
  const stage = raw?.stage ?? 'dev';
  if (typeof raw?.name !== 'string' || typeof stage !== 'string' || !/^[a-z0-9-]+$/.test(`${raw.name}${stage}`)) return undefined;
  return path.join(outdir, 'stacks', `${raw.name}-${stage}`);
}

/**
 * Synthesizes the config's stack. A synth that fails for any reason removes that stack's directory, so a
 * `terraform apply` run after it can never pick up an older stack the user believes replaced.
 */
export function synthesize(input: BackplaneConfigInput, options: SynthOptions = {}): SynthResult {
  const outdir = options.outdir ?? 'cdktf.out';
  try {
    return synthesizeStack(input, options);
  } catch (err) {
    const stale = stackDirOf(input, outdir);
    if (stale) fs.rmSync(stale, { recursive: true, force: true });
    throw err;
  }
}

function synthesizeStack(input: BackplaneConfigInput, options: SynthOptions): SynthResult {
  const built = buildApp(input, options);
  built.app.synth();
  const stackDir = path.join(options.outdir ?? 'cdktf.out', 'stacks', built.stackName);
  const json = JSON.parse(fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8')) as StackJson;
  assertWithinLimits(json, stackDir, built.config, options);
  return { stackName: built.stackName, stackDir, resources: countResources(json), config: built.config };
}

/**
 * The AWS limits the emulator does not enforce (src/limits), before any cloud call (synthesize() then removes the
 * refused stack).
 */
function assertWithinLimits(json: StackJson, stackDir: string, config: BackplaneConfig, options: SynthOptions): void {
  const findings = stackLimitFindings(json, stackDir);
  const edge = config.edge;
  if (edge.mode === 'attach' && !edge.detach && !edge.release) {
    const file = path.resolve(options.configDir ?? process.cwd(), edge.snapshotFile);
    findings.push(...distributionFindings(parseSnapshot(fs.readFileSync(file, 'utf8'), `edge.snapshotFile (${file})`), edge.snapshotFile));
  }
  if (findings.length === 0) return;
  const where = options.configFile ?? 'backplane.config.ts';
  throw new ConfigError(
    `${where}: the stack would break ${findings.length} AWS limit${findings.length === 1 ? '' : 's'} (nothing was written or deployed):\n  - ${findings.join('\n  - ')}`,
  );
}
