/**
 * What every command gets and shares: the context (io, injectable dependencies), the common flags, config
 * loading and synthesis.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { SynthResult } from '../app';
import type { BackplaneConfig } from '../config';
import type { FlagSpec, ParsedArgs } from './args';
import type { AwsClients } from './aws';
import { heavy, heavyBuildId } from './heavy-loader';
import type { Io } from './io';
import { backplaneVersion, loadConfig, type LoadedConfig } from './load-config';
import { withStage } from './stage-override';
import type { CommandRunner } from './runner';
import { recordValidated, validationKey, wasValidated } from './validation-cache';

export interface Deps {
  readonly runner: CommandRunner;
  readonly aws: AwsClients;
  readonly now: () => Date;
}

export interface Context {
  readonly io: Io;
  readonly deps: Deps;
}

export interface Command {
  /** "cost", or "cloudfront snapshot" for a subcommand. */
  readonly name: string;
  readonly summary: string;
  /** Synopsis after "backplane ", e.g. "cost [--json]". */
  readonly usage: string;
  /** Paragraphs for --help. */
  readonly description?: string;
  readonly flags: readonly FlagSpec[];
  /** Accepts positional arguments (default: none). */
  readonly positionals?: boolean;
  run(args: ParsedArgs, ctx: Context): Promise<number>;
}

export const CONFIG_FLAGS: readonly FlagSpec[] = [
  { name: 'config', alias: 'c', type: 'string', value: '<file>', description: 'the config file (default: ./backplane.config.ts)' },
  { name: 'example', type: 'boolean', description: 'use the built-in example (examples/fullstack/backplane.config.ts)' },
  { name: 'stage', type: 'string', value: '<name>', description: "the stage, e.g. pr-123 (default: BACKPLANE_STAGE, then the config's)" },
];
export const JSON_FLAG: FlagSpec = { name: 'json', type: 'boolean', description: 'print JSON (for scripts)' };
export const OUTDIR_FLAG: FlagSpec = {
  name: 'outdir',
  type: 'string',
  value: '<dir>',
  description: 'synthesis output directory (default: cdktf.out next to the config)',
};

export interface Loaded extends LoadedConfig {
  readonly config: BackplaneConfig;
}

/** Loads and validates the config the flags name (a ConfigError propagates: the dispatcher prints its problem list). */
export function loadResolved(args: ParsedArgs, ctx: Context): Loaded {
  const loaded = loadConfig({
    // The cdktn app reads BACKPLANE_CONFIG too: both tools synthesize (and keep the state of) the same config.
    config: (args.flags.config as string | undefined) ?? (ctx.io.env.BACKPLANE_CONFIG || undefined),
    example: args.flags.example === true,
    cwd: ctx.io.cwd,
    notice: (t) => ctx.io.err(t),
  });
  // `--stage` / BACKPLANE_STAGE replace the config's stage (a preview stage per pull request from one config file).
  const stage = (args.flags.stage as string | undefined) ?? (ctx.io.env.BACKPLANE_STAGE || undefined);
  const input = withStage(loaded.input, stage);
  return { ...loaded, input, config: heavy().config.resolveConfig(input, loaded.file) };
}

export function outdirFor(args: ParsedArgs, ctx: Context, loaded: LoadedConfig): string {
  if (typeof args.flags.outdir === 'string') return path.resolve(ctx.io.cwd, args.flags.outdir);
  return path.join(loaded.builtIn ? ctx.io.cwd : loaded.dir, 'cdktf.out');
}

export interface Synthesized {
  readonly loaded: Loaded;
  readonly result: SynthResult;
  readonly ms: number;
}

export interface SynthFlags {
  /**
   * With `service.build` and no image recorded for the stage yet, synthesize a placeholder digest instead of refusing
   * (commands that never deploy the task definition as synthesized: plan, destroy, diagram, dns, cost).
   */
  readonly pendingImage?: boolean;
}

/** Synthesizes the config's stack (validation first: a bad config throws a ConfigError before any output). */
export function synthFromArgs(args: ParsedArgs, ctx: Context, flags: SynthFlags = {}): Synthesized {
  const loaded = loadResolved(args, ctx);
  const started = process.hrtime.bigint();
  const result = heavy()
    .app()
    .synthesize(loaded.input, {
      outdir: outdirFor(args, ctx, loaded),
      configDir: loaded.dir,
      configFile: loaded.file,
      pendingImage: flags.pendingImage,
    });
  return { loaded, result, ms: Number(process.hrtime.bigint() - started) / 1e6 };
}

/**
 * Loads the config and runs every check synth runs (schema, policy, the constructs' own refusals, AWS limits) by
 * synthesizing into a throwaway directory: commands that do not deploy (cost) refuse exactly what synth refuses.
 * A pass is remembered (validation-cache.ts).
 */
export function loadValidated(args: ParsedArgs, ctx: Context): Loaded {
  const loaded = loadResolved(args, ctx);
  // A config that passed before, unchanged with everything synthesis reads, is not synthesized again.
  const key = validationKey(loaded, backplaneVersion(), heavyBuildId(), ctx.io.env);
  if (key && wasValidated(key)) return loaded;
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'backplane-check-'));
  try {
    // The image does not change a price or a limit: a stage not built yet is checked with a placeholder digest.
    heavy().app().synthesize(loaded.input, { outdir, configDir: loaded.dir, configFile: loaded.file, pendingImage: true });
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
  if (key) recordValidated(key);
  return loaded;
}

export const flag = {
  string: (args: ParsedArgs, name: string): string | undefined =>
    typeof args.flags[name] === 'string' ? (args.flags[name] as string) : undefined,
  bool: (args: ParsedArgs, name: string): boolean => args.flags[name] === true,
  number: (args: ParsedArgs, name: string): number | undefined =>
    typeof args.flags[name] === 'number' ? (args.flags[name] as number) : undefined,
};

export const json = (value: unknown): string => JSON.stringify(value, null, 2);
