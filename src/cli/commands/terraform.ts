/**
 * `plan`, `deploy` and `destroy`: synthesize, then run Terraform in the stack directory with a progress line per
 * resource and a summary (what changed, how long it took).
 */
import * as path from 'path';
import type { FlagSpec, ParsedArgs } from '../args';
import {
  CONFIG_FLAGS,
  JSON_FLAG,
  OUTDIR_FLAG,
  flag,
  json,
  loadResolved,
  synthFromArgs,
  type Command,
  type Context,
  type Synthesized,
} from '../command';
import { UserError } from '../errors';
import { previewOf } from '../../config/preview-plan';
import { firstStep, runFirstStep, type DnsRow } from '../dns-first-deploy';
import { buildImageFirst, pendingImageNote } from '../image-first-deploy';
import { TerraformRunner, checkCredentials, dnsCredentials } from '../terraform';
import { describeCounts, duration, type ChangeCounts, type TerraformProgress } from '../terraform-ui';
import { DeploymentWatch, stackServices } from '../deployment-watch';

const YES: FlagSpec = {
  name: 'yes',
  alias: 'y',
  type: 'boolean',
  description: 'apply without asking (required when there is no terminal)',
};

export interface Prepared extends Synthesized {
  readonly tf: TerraformRunner;
  readonly started: number;
}

export async function prepare(args: ParsedArgs, ctx: Context, command: string, already?: Synthesized): Promise<Prepared> {
  const started = Date.now();
  const synthesized = already ?? synthFromArgs(args, ctx);
  await checkCredentials(ctx, synthesized.loaded.config, command);
  const tf = new TerraformRunner(ctx, path.resolve(synthesized.result.stackDir), dnsCredentials(ctx, synthesized.loaded.config, command));
  ctx.io.err(`${tf.bin} init in ${path.relative(ctx.io.cwd, tf.dir) || tf.dir}`);
  await tf.init();
  return { ...synthesized, tf, started };
}

const DNS_WAIT: FlagSpec = {
  name: 'dns-wait',
  type: 'string',
  value: '<duration>',
  description: 'with dns.provider "manual": how long the first deploy waits for the certificate validation, e.g. 45m, 2h (default 45m)',
};

/** "45m", "90s", "2h" -> milliseconds. */
export function parseDuration(text: string, what: string): number {
  const m = /^(\d+(?:\.\d+)?)(s|m|h)$/.exec(text.trim());
  if (!m) throw new UserError(`${what} = "${text}": must be a duration such as 90s, 45m or 2h`);
  return Number(m[1]) * { s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 's' | 'm' | 'h'];
}

/** Both steps of a two-step deploy in one count. */
const addCounts = <T extends ChangeCounts>(a: T, b?: ChangeCounts): T =>
  b ? { ...a, add: a.add + b.add, change: a.change + b.change, remove: a.remove + b.remove, import: a.import + b.import } : a;

const counts = (p: TerraformProgress): ChangeCounts => p.summary ?? { add: 0, change: 0, remove: 0, import: 0 };
const seconds = (started: number) => Math.round((Date.now() - started) / 1000);
const hasChanges = (c: ChangeCounts) => c.add + c.change + c.remove + c.import > 0;

async function confirm(ctx: Context, args: ParsedArgs, question: string, command: string): Promise<void> {
  if (flag.bool(args, 'yes')) return;
  if (!ctx.io.interactive)
    throw new UserError(`${command} changes real infrastructure: review \`backplane plan\`, then run with --yes (no terminal to ask)`);
  const answer = (await ctx.io.ask(`${question} [y/N]`, 'n')).toLowerCase();
  if (answer !== 'y' && answer !== 'yes') throw new UserError('cancelled: nothing was changed');
}

export const planCommand: Command = {
  name: 'plan',
  summary: 'show what deploy would change (terraform plan on the synthesized stack)',
  usage: 'plan [--config <file>] [--json]',
  description:
    'Needs AWS credentials (or a TF_TOKEN for state.backend "cloud"). Writes the plan to backplane.tfplan in the stack directory.',
  flags: [...CONFIG_FLAGS, OUTDIR_FLAG, JSON_FLAG],
  async run(args, ctx) {
    const { tf, result, started, loaded } = await prepare(args, ctx, 'plan', synthFromArgs(args, ctx, { pendingImage: true }));
    const note = pendingImageNote(loaded);
    if (note) ctx.io.err(note);
    const progress = await tf.plan(false);
    const c = counts(progress);
    if (args.flags.json) {
      ctx.io.out(
        json({
          stack: result.stackName,
          changes: c,
          planned: progress.planned.filter((p) => p.action !== 'noop' || p.importing),
          seconds: seconds(started),
        }),
      );
    } else {
      ctx.io.out(
        hasChanges(c)
          ? `Plan for ${result.stackName}: ${describeCounts(c, 'plan')} (${duration(seconds(started))}). Apply it with \`backplane deploy\`.`
          : `No changes: ${result.stackName} matches the config (${duration(seconds(started))}).`,
      );
    }
    return 0;
  },
};

const NO_BUILD: FlagSpec = {
  name: 'no-build',
  type: 'boolean',
  description: 'with service.build: deploy the image already recorded in backplane.images.json (built elsewhere)',
};

/**
 * With `service.build` (and no --no-build): confirm, then build, push and record the image (image-first-deploy.ts);
 * returns the stack synthesized with its digest, prepared for Terraform.
 */
async function imageFirst(args: ParsedArgs, ctx: Context): Promise<Prepared | undefined> {
  const loaded = loadResolved(args, ctx);
  if (!loaded.config.service.build || flag.bool(args, 'no-build')) return undefined;
  await confirm(
    ctx,
    args,
    `Build the image of ${loaded.config.name}-${loaded.config.stage} and push it (its repository is created first if it does not exist yet), then plan the deploy?`,
    'deploy',
  );
  return buildImageFirst(args, ctx, { loaded, prepare: (s) => prepare(args, ctx, 'deploy', s) });
}

/**
 * The apply, with the stack's ECS deployments watched (deployment-watch.ts): a first deploy ECS cannot start stops
 * Terraform within a poll of the circuit breaker tripping, and a rollback fails the deploy even when the apply passed.
 */
async function applyWatched(ctx: Context, tf: TerraformRunner, stackDir: string, region: string): Promise<TerraformProgress> {
  const watch = new DeploymentWatch(ctx, stackServices(stackDir), { region, pollMs: Number(ctx.io.env.BACKPLANE_ECS_POLL_MS ?? 15_000) });
  try {
    await watch.baseline();
  } catch (err) {
    // e.g. HCP Terraform runs (state.backend "cloud") with no AWS credentials here: Terraform's own checks remain.
    ctx.io.err(`not watching the ECS deployment (${(err as Error).message.split('\n')[0]}): the apply's own checks remain`);
    return tf.apply();
  }
  const abort = new AbortController();
  let failure: string | undefined;
  watch.start((reason) => {
    failure = reason;
    ctx.io.err(`  ${reason}\n  stopping ${tf.bin} (it saves its state; the next deploy replaces the failed service)`);
    abort.abort();
  });
  let applied: TerraformProgress;
  try {
    applied = await tf.apply({ signal: abort.signal, interrupted: () => failure && `deploy failed: ${failure}` });
  } finally {
    await watch.stop();
  }
  const rolledBack = await watch.rollback();
  if (rolledBack) throw new UserError(`deploy failed: ${rolledBack}`);
  return applied;
}

export const deployCommand: Command = {
  name: 'deploy',
  summary: 'create or update the stack (plan, confirm, apply) with progress per resource',
  usage: 'deploy [--config <file>] [--yes] [--no-build] [--json]',
  description:
    'Plans, asks for confirmation (or --yes), applies the saved plan and prints the stack outputs. Long steps\n' +
    '(RDS, ElastiCache, CloudFront) print "still creating ..." every few seconds; the apply fails if ECS rolled back.\n' +
    "With service.build it first builds the image (docker buildx, the service's platform), pushes it to the stack's\n" +
    'repository (created first on an empty account) and records its digest in backplane.images.json.',
  flags: [...CONFIG_FLAGS, OUTDIR_FLAG, YES, DNS_WAIT, NO_BUILD, JSON_FLAG],
  async run(args, ctx) {
    const limitMs = parseDuration(flag.string(args, 'dns-wait') ?? '45m', '--dns-wait');
    const { tf, result, started, loaded } = (await imageFirst(args, ctx)) ?? (await prepare(args, ctx, 'deploy'));
    const plan = counts(await tf.plan(false));
    if (!hasChanges(plan)) {
      ctx.io.out(
        args.flags.json
          ? json({ stack: result.stackName, changes: plan, applied: false, seconds: seconds(started) })
          : `No changes: ${result.stackName} is up to date.`,
      );
      return 0;
    }
    ctx.io.err(`Plan: ${describeCounts(plan, 'plan')}`);
    const twoSteps = firstStep(await tf.show(true));
    if (twoSteps)
      ctx.io.err(
        'dns.provider is "manual": the certificate can be validated only once you have created its DNS record, so this deploy runs in two steps: ' +
          'the certificate, email identity and load balancer first, then the records to create are printed and the deploy waits for ACM, then the rest.',
      );
    await confirm(ctx, args, `Deploy ${result.stackName} (${describeCounts(plan, 'plan')})?`, 'deploy');
    let dnsRecords: readonly DnsRow[] | undefined;
    let first: ChangeCounts | undefined;
    if (twoSteps) {
      const pollMs = Number(ctx.io.env.BACKPLANE_DNS_POLL_MS ?? 30_000);
      ({ rows: dnsRecords, changed: first } = await runFirstStep(ctx, tf, twoSteps, { region: loaded.config.region, limitMs, pollMs }));
    }
    const applied = await applyWatched(ctx, tf, result.stackDir, loaded.config.region);
    const done = addCounts(applied.summary ?? { ...plan, operation: 'apply' }, first);
    const outputs = await tf.outputs();
    const visible = Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, v.sensitive ? '(sensitive)' : v.value]));
    if (args.flags.json) {
      ctx.io.out(json({ stack: result.stackName, changes: done, applied: true, seconds: seconds(started), outputs: visible, dnsRecords }));
      return 0;
    }
    ctx.io.out(`Deployed ${result.stackName}: ${describeCounts(done, 'done')} in ${duration(seconds(started))}.`);
    for (const [k, v] of Object.entries(visible)) {
      const text = typeof v === 'string' ? v : JSON.stringify(v);
      ctx.io.out(text.includes('\n') ? `  ${k} =\n${text.replace(/^/gm, '    ')}` : `  ${k} = ${text}`);
    }
    return 0;
  },
};

/** Why destroy refuses while the API is still attached, and the steps that make it safe. */
export function detachInstructions(file: string, distributionId: string): string {
  return (
    `the API is still attached to CloudFront distribution ${distributionId}, your frontend. Destroying now would leave /api/* ` +
    `pointing at a deleted origin. First set edge.detach: true in ${file} and run \`backplane deploy\` (the distribution goes back ` +
    `to exactly the snapshot), then \`backplane destroy --detached\` (Backplane forgets the distribution, never deletes it, and destroys the rest)`
  );
}

export const destroyCommand: Command = {
  name: 'destroy',
  summary: 'delete the stack (never your CloudFront distribution: detach first, see --help)',
  usage: 'destroy [--config <file>] [--detached] [--yes] [--json]',
  description:
    'With edge.mode "attach", removal is two steps so the frontend is never touched:\n' +
    '  1. set edge.detach: true in the config and run `backplane deploy`: the distribution is rendered exactly as\n' +
    '     the snapshot again (the /api/* behavior and the API origin are removed);\n' +
    '  2. run `backplane destroy --detached`: Backplane removes the distribution from the Terraform state\n' +
    '     (`terraform state rm`: it stays, untouched) and destroys everything else.\n' +
    'destroy refuses to run while the config still attaches (edge.detach false) unless --detached says step 1 is done.\n' +
    'On a protected stage (protect: true, the default on prod), deletion protection on the database and load balancer\n' +
    'must be turned off first (protect: false, then deploy).',
  flags: [
    ...CONFIG_FLAGS,
    OUTDIR_FLAG,
    { name: 'detached', type: 'boolean', description: 'the API has been detached from the distribution (step 1 done)' },
    YES,
    JSON_FLAG,
  ],
  async run(args, ctx) {
    const pre = synthFromArgs(args, ctx, { pendingImage: true });
    const { config, file } = pre.loaded;
    // A preview stage never attaches to the distribution (src/presets/preview.ts): nothing to detach first.
    if (config.edge.mode === 'attach' && !config.edge.detach && !flag.bool(args, 'detached') && !previewOf(config)) {
      throw new UserError(`destroy refused: ${detachInstructions(file, config.edge.distributionId)}`);
    }
    const { tf, result, started } = await prepare(args, ctx, 'destroy', pre);
    const forgotten: string[] = [];
    for (const address of await tf.stateList()) {
      if (!/^(module\.[^.]+\.)*aws_cloudfront_distribution\./.test(address)) continue;
      ctx.io.err(`  forgetting ${address}: the distribution stays as it is (terraform state rm)`);
      await tf.stateRm(address);
      forgotten.push(address);
    }
    const plan = counts(await tf.plan(true));
    if (!hasChanges(plan)) {
      ctx.io.out(
        args.flags.json
          ? json({ stack: result.stackName, changes: plan, forgotten, applied: false })
          : `Nothing to destroy in ${result.stackName}.`,
      );
      return 0;
    }
    await confirm(ctx, args, `Destroy ${result.stackName} (${plan.remove} resources)?`, 'destroy');
    const applied = await tf.apply();
    const done = applied.summary ?? { ...plan, operation: 'destroy' };
    if (args.flags.json) ctx.io.out(json({ stack: result.stackName, changes: done, forgotten, applied: true, seconds: seconds(started) }));
    else
      ctx.io.out(
        `Destroyed ${result.stackName}: ${done.remove} resources in ${duration(seconds(started))}${forgotten.length ? `; kept ${forgotten.join(', ')} (forgotten, not deleted)` : ''}.`,
      );
    return 0;
  },
};
