/**
 * `service.build`: `backplane deploy` builds the image before it plans (issue 14). On an empty account the image
 * repository belongs to the stack and does not exist yet, so there is nothing to push to and the service would start
 * with no image. The deploy therefore:
 *   1. checks Docker (missing: one line saying what to do instead, before anything changes);
 *   2. creates the repository alone (a targeted apply) when the state does not have it yet;
 *   3. builds for the service's platform and pushes (docker buildx, src/cli/image.ts), and records the digest in
 *      backplane.images.json (src/config/image-lock.ts), which every tool's synth reads;
 *   4. synthesizes again with that digest: the plan and apply that follow deploy exactly the image just pushed.
 * Until an image is recorded, step 2 synthesizes a placeholder digest (PENDING_DIGEST) that is never applied: the
 * targeted apply creates only the repository, and a failure before step 4 removes that synthesized stack.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { ParsedArgs } from './args';
import { synthFromArgs, type Context, type Loaded, type Synthesized } from './command';
import { imageLockPath, lockedImage, recordImage } from '../config/image-lock';
import { dataOwnerPrefix } from '../config/preview-plan';
import { UserError } from './errors';
import { heavy } from './heavy-loader';
import type { TerraformRunner } from './terraform';

/** What to do without Docker: one line. */
export const NO_DOCKER =
  'service.build needs Docker to build the image, and no docker CLI was found: install Docker with buildx (https://docs.docker.com/get-docker/); ' +
  'or build elsewhere (`backplane image push` in CI records the digest in backplane.images.json) and run `backplane deploy --no-build`; ' +
  'or set service.imageDigest to an image you pushed yourself';

export interface BuildPlan {
  readonly context: string;
  readonly dockerfile: string;
  /** The ECR repository: the stage's own, a preview's parent's. */
  readonly repository: string;
  readonly platform: string;
}

const pad = (n: number) => String(n).padStart(2, '0');
/**
 * `<prefix>-20261204061500`: tags are immutable, so every push gets a new one. A `service.build` stage tags with its
 * own name (`dev-…`): its repository's lifecycle policy keeps those apart from other builds (src/presets/fullstack.ts),
 * so previews pushing into their parent's repository never expire the image the parent runs.
 */
export const timestampTag = (d: Date, prefix = 'build'): string =>
  `${prefix}-${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`;

/** Where the build comes from and goes to; a UserError when the Dockerfile is missing. */
export function buildPlan(loaded: Loaded, cwd: string, overrides: { context?: string; dockerfile?: string } = {}): BuildPlan {
  const { config, dir } = loaded;
  const build = config.service.build;
  const context = path.resolve(overrides.context ? cwd : dir, overrides.context ?? build?.context ?? '.');
  const named = overrides.dockerfile ?? build?.dockerfile;
  const dockerfile = named ? path.resolve(overrides.dockerfile ? cwd : dir, named) : path.join(context, 'Dockerfile');
  if (!fs.existsSync(dockerfile))
    throw new UserError(
      `no Dockerfile at ${path.relative(cwd, dockerfile) || dockerfile}: ${build ? 'set service.build.context or service.build.dockerfile' : 'pass --context <dir> or --dockerfile <file>'}`,
    );
  return {
    context,
    dockerfile,
    repository: dataOwnerPrefix(config),
    platform: config.service.architecture === 'arm64' ? 'linux/arm64' : 'linux/amd64',
  };
}

export interface Pushed {
  readonly image: string;
  readonly digest: string;
  readonly tag: string;
  /** backplane.images.json, when the config says service.build (nothing is recorded otherwise). */
  readonly lockFile?: string;
}

/** Logs in to ECR, builds and pushes; with `service.build`, records the digest for the stage. */
export async function pushAndRecord(ctx: Context, loaded: Loaded, plan: BuildPlan, tag: string, dockerChecked = false): Promise<Pushed> {
  const { buildAndPush, ecrLogin } = heavy().image();
  const login = await ecrLogin(ctx.deps.aws.ecr(loaded.config.region));
  ctx.io.err(`building ${plan.repository}:${tag} for ${plan.platform} from ${path.relative(ctx.io.cwd, plan.context) || '.'}`);
  const pushed = await buildAndPush({
    runner: ctx.deps.runner,
    login,
    repository: plan.repository,
    tag,
    context: plan.context,
    dockerfile: plan.dockerfile,
    platform: plan.platform,
    env: ctx.io.env,
    onLine: (l) => l.trim() && ctx.io.err(`  ${l}`),
    dockerChecked,
  });
  if (!loaded.config.service.build) return { image: pushed.image, digest: pushed.digest, tag };
  const lockFile = recordImage(loaded.dir, loaded.config.stage, {
    digest: pushed.digest,
    tag,
    repository: plan.repository,
    pushedAt: ctx.deps.now().toISOString(),
  });
  ctx.io.err(`pushed ${pushed.image} (${pushed.digest}), recorded in ${path.relative(ctx.io.cwd, lockFile) || lockFile}`);
  return { image: pushed.image, digest: pushed.digest, tag, lockFile };
}

/** The stack's own repository's address, when the stack has one (a preview uses its parent's). */
export function repositoryAddress(stackDir: string): string | undefined {
  const json = JSON.parse(fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8')) as {
    resource?: Record<string, Record<string, unknown>>;
  };
  const name = Object.keys(json.resource?.aws_ecr_repository ?? {})[0];
  return name ? `aws_ecr_repository.${name}` : undefined;
}

/** Step 2: the repository alone, when the state does not have it yet. */
async function ensureRepository(ctx: Context, tf: TerraformRunner, stackDir: string): Promise<void> {
  const address = repositoryAddress(stackDir);
  if (!address || (await tf.stateList()).includes(address)) return;
  ctx.io.err(`Creating the image repository first (${address}): an empty account has nowhere to push the image to`);
  await tf.applyTargets([address]);
}

export interface BuildFirstOptions<P extends { readonly tf: TerraformRunner }> {
  readonly loaded: Loaded;
  /** Credentials check and `terraform init` in the synthesized stack (terraform.ts prepare), done once. */
  readonly prepare: (synthesized: Synthesized) => Promise<P>;
}

/**
 * Steps 1-4; returns the stack synthesized with the new digest and the runner prepared in step 2 (the same stack
 * directory: no second credentials check or `terraform init`), for the deploy to plan and apply. Asking for
 * confirmation is the caller's, before this runs.
 */
export async function buildImageFirst<P extends { readonly tf: TerraformRunner }>(
  args: ParsedArgs,
  ctx: Context,
  options: BuildFirstOptions<P>,
): Promise<P & Synthesized> {
  const { loaded } = options;
  const plan = buildPlan(loaded, ctx.io.cwd);
  const { checkDocker } = heavy().image();
  await checkDocker({ runner: ctx.deps.runner, env: ctx.io.env }, NO_DOCKER);
  const hadImage = lockedImage(loaded.dir, loaded.config.stage) !== undefined;
  const pending = synthFromArgs(args, ctx, { pendingImage: true });
  let prepared: P;
  try {
    prepared = await options.prepare(pending);
    await ensureRepository(ctx, prepared.tf, pending.result.stackDir);
    await pushAndRecord(ctx, loaded, plan, timestampTag(ctx.deps.now(), loaded.config.stage), true);
  } catch (err) {
    // The placeholder digest must never reach an apply that is not targeted.
    if (!hadImage) fs.rmSync(path.join(pending.result.stackDir, 'cdk.tf.json'), { force: true });
    throw err;
  }
  return { ...prepared, ...synthFromArgs(args, ctx) };
}

/** For `plan` on a stage with no image yet: what the placeholder in the plan means. */
export function pendingImageNote(loaded: Loaded): string | undefined {
  if (!loaded.config.service.build || lockedImage(loaded.dir, loaded.config.stage)) return undefined;
  return `service.build: stage "${loaded.config.stage}" has no image yet (${path.basename(imageLockPath(loaded.dir))}): this plan shows a placeholder digest; \`backplane deploy\` builds and pushes the image first, then plans with its digest`;
}
