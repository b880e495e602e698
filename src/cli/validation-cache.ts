/**
 * Remembers which configs passed synth's checks, so a command that validates without deploying (`backplane cost`)
 * does not synthesize the same config again: a full synth is ~60% of a `cost` run (loading cdktn and the provider
 * classes, building and resolving the construct tree).
 *
 * A stamp's key covers everything synthesis reads: the code of the checks (the Backplane version and the identity of the
 * installed bundle; from source, where the checks are spread over many files, the cache is off unless
 * BACKPLANE_VALIDATION_CACHE=1), the config file's path, the resolved config (the `--stage` override applied), the
 * content of the CloudFront snapshot it names and, with `service.build`, of backplane.images.json.
 * Anything else makes the config uncacheable: a Lambda worker or Lambda cron job (synthesis bundles its handler and
 * checks the package sizes, which depend on every file the handler imports) and a config that is not plain data.
 * Only successes are stamped, so a refused config is synthesized, and refused, every time.
 * BACKPLANE_VALIDATION_CACHE=0 turns it off.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { BackplaneConfig } from '../config';
import { imageLockPath } from '../config/image-lock';
import { cacheKey, userCacheDir, writeCacheEntry } from './user-cache';

/** Stamps kept at most; the oldest go first. */
export const MAX_STAMPS = 64;

export interface Validatable {
  /** The config file as loaded (relative to the working directory) and its directory. */
  readonly file: string;
  readonly dir: string;
  readonly input: unknown;
  readonly config: BackplaneConfig;
}

/** Whether synthesis reads anything the key cannot cover: a Lambda handler is bundled from the user's source tree. */
export function bundlesLambdaCode(config: BackplaneConfig): boolean {
  return (
    Object.values(config.queues ?? {}).some((q) => q.worker === 'lambda') ||
    Object.values(config.cron ?? {}).some((job) => job.lambda !== undefined)
  );
}

function plainJson(value: unknown): string | undefined {
  try {
    return JSON.stringify(value, (_key, v: unknown) => {
      if (typeof v === 'function' || typeof v === 'symbol' || typeof v === 'bigint') throw new Error('not plain data');
      return v;
    });
  } catch {
    return undefined;
  }
}

const contentOf = (file: string): string => {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '\0missing';
  }
};

/** The files synthesis reads besides the config: the CloudFront snapshot, and the built images (service.build). */
function filesRead(loaded: Validatable): string[] {
  const { edge, service } = loaded.config;
  return [
    edge.mode === 'attach' ? contentOf(path.resolve(loaded.dir, edge.snapshotFile)) : '',
    service.build ? contentOf(imageLockPath(loaded.dir)) : '',
  ];
}

/**
 * The stamp's key, or undefined when this config is always synthesized. `build` identifies the code of the checks
 * (heavyBuildId(): undefined from source).
 */
export function validationKey(
  loaded: Validatable,
  version: string,
  build: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  const setting = env.BACKPLANE_VALIDATION_CACHE;
  if (setting === '0' || (build === undefined && setting !== '1') || bundlesLambdaCode(loaded.config)) return undefined;
  const input = plainJson(loaded.input);
  if (input === undefined) return undefined;
  const file = path.resolve(loaded.dir, path.basename(loaded.file));
  return cacheKey([version, build ?? 'source', file, input, ...filesRead(loaded)]);
}

const stampFile = (key: string) => path.join(userCacheDir('validated'), key);

export function wasValidated(key: string): boolean {
  return fs.existsSync(stampFile(key));
}

export function recordValidated(key: string): void {
  writeCacheEntry(stampFile(key), '');
  pruneStamps(path.dirname(stampFile(key)));
}

function pruneStamps(dir: string): void {
  try {
    const stamps = fs.readdirSync(dir).map((name) => ({ name, mtime: fs.statSync(path.join(dir, name)).mtimeMs }));
    stamps.sort((a, b) => b.mtime - a.mtime);
    for (const old of stamps.slice(MAX_STAMPS)) fs.rmSync(path.join(dir, old.name), { force: true });
  } catch {
    // pruning is housekeeping: a failure costs disk space only
  }
}
