/**
 * `backplane.images.json`, next to the config: the image each stage runs when the config says `service.build`.
 * `backplane deploy` (and `backplane image push`) build, push and record the digest here; every tool's synth
 * (`backplane`, `cdktn`, `cdktf`, `npm run synth`) reads it, so they all deploy the same image. Commit it, as a
 * lockfile: a deploy from a checkout with an older entry deploys that older image.
 *
 *   { "dev": { "digest": "sha256:...", "tag": "build-20261204061500", "repository": "shop-dev", "pushedAt": "..." } }
 *
 * Schema-free (no zod) and cdktn-free: the light CLI and the stack both read it.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ConfigError } from '../modules/module';

export const IMAGE_LOCK_FILE = 'backplane.images.json';

/**
 * What the synth renders while a stage has no image yet, only for the deploy step that creates the repository
 * (applied with -target, so no task definition ever gets it); a plan on a fresh account shows it too.
 */
export const PENDING_DIGEST = `sha256:${'0'.repeat(64)}`;

export interface LockedImage {
  readonly digest: string;
  readonly tag: string;
  /** The ECR repository it was pushed to (a preview stage pushes to its parent's). */
  readonly repository: string;
  readonly pushedAt: string;
}

const DIGEST = /^sha256:[a-f0-9]{64}$/;

export const imageLockPath = (configDir: string): string => path.join(configDir, IMAGE_LOCK_FILE);

/** Every stage's entry; {} when the file does not exist; a ConfigError naming the file when it is not valid. */
export function readImageLock(configDir: string): Record<string, LockedImage> {
  const file = imageLockPath(configDir);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return {};
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`${file} is not valid JSON (${(err as Error).message}): fix it, or delete it and run \`backplane deploy\``);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new ConfigError(`${file} must be an object of stages, e.g. { "dev": { "digest": "sha256:..." } }`);
  for (const [stage, entry] of Object.entries(parsed as Record<string, unknown>)) {
    const digest = (entry as { digest?: unknown } | null)?.digest;
    if (typeof digest !== 'string' || !DIGEST.test(digest))
      throw new ConfigError(`${file}: "${stage}".digest must be "sha256:" followed by 64 hex digits (got ${JSON.stringify(digest)})`);
  }
  return parsed as Record<string, LockedImage>;
}

export function lockedImage(configDir: string, stage: string): LockedImage | undefined {
  return readImageLock(configDir)[stage];
}

/** Records a stage's image (stages sorted, one file per config directory); returns the file. */
export function recordImage(configDir: string, stage: string, image: LockedImage): string {
  const all = { ...readImageLock(configDir), [stage]: image };
  const sorted = Object.fromEntries(
    Object.keys(all)
      .sort()
      .map((k) => [k, all[k]]),
  );
  const file = imageLockPath(configDir);
  fs.writeFileSync(`${file}.${process.pid}`, `${JSON.stringify(sorted, null, 2)}\n`);
  fs.renameSync(`${file}.${process.pid}`, file);
  return file;
}

/**
 * The digest a `service.build` stage runs: its entry in backplane.images.json; PENDING_DIGEST when `pending` (the
 * deploy's repository step); otherwise a ConfigError saying how to get one. Undefined without `service.build`.
 */
export function builtImageDigest(
  service: { readonly build?: unknown },
  stage: string,
  configDir: string,
  pending = false,
): string | undefined {
  if (service.build === undefined) return undefined;
  const locked = lockedImage(configDir, stage);
  if (locked) return locked.digest;
  if (pending) return PENDING_DIGEST;
  throw new ConfigError(
    `service.build: stage "${stage}" has no image yet (no entry in ${imageLockPath(configDir)}): \`backplane deploy\` creates the repository, builds and pushes the image and records its digest there (or run \`backplane image push\`)`,
  );
}
