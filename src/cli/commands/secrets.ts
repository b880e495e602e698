/**
 * `backplane secrets set|list|rm`: the values of the config's app secrets (`secrets` in the config; each is the
 * Secrets Manager secret `<name>-<stage>/<NAME>` the stack creates WITHOUT a value, src/constructs/app-secrets.ts).
 * A value comes from stdin or a hidden prompt, never from argv, and is never printed.
 */
import type { ParsedArgs } from '../args';
import { CONFIG_FLAGS, JSON_FLAG, json, loadResolved, type Command, type Context, type Loaded } from '../command';
import { UsageError, UserError } from '../errors';
import { heavy } from '../heavy-loader';

type Sm = typeof import('@aws-sdk/client-secrets-manager');

interface Target {
  readonly loaded: Loaded;
  readonly sm: Sm;
  readonly client: InstanceType<Sm['SecretsManagerClient']>;
  /** `<name>-<stage>` */
  readonly prefix: string;
}

async function target(args: ParsedArgs, ctx: Context): Promise<Target> {
  const loaded = loadResolved(args, ctx);
  const sm: Sm = await import('@aws-sdk/client-secrets-manager');
  const client = new sm.SecretsManagerClient(ctx.deps.aws.clientConfig(loaded.config.region));
  return { loaded, sm, client, prefix: `${loaded.config.name}-${loaded.config.stage}` };
}

/** The one NAME the command names, which must be one of the config's secrets. */
function secretName(args: ParsedArgs, t: Target, verb: string): string {
  const configured = Object.keys(t.loaded.config.secrets ?? {});
  const [name, extra] = args.positionals;
  if (!name || extra !== undefined) throw new UsageError(`give one secret name: backplane secrets ${verb} NAME`);
  if (!configured.includes(name)) {
    const known = configured.length ? `the config has ${configured.join(', ')}` : 'the config has none';
    throw new UserError(`"${name}" is not one of the config's secrets (${known}): add it under secrets in the config and deploy first`);
  }
  return name;
}

const notFound = (err: unknown) => (err as { name?: string }).name === 'ResourceNotFoundException';

export const secretsSetCommand: Command = {
  name: 'secrets set',
  summary: "set an app secret's value (from stdin or a hidden prompt, never from the command line)",
  usage: 'secrets set NAME [--redeploy] [--config <file>] [--stage <name>]   (value on stdin, or typed at the prompt)',
  description:
    'PutSecretValue on <name>-<stage>/NAME. Pipe the value (`backplane secrets set STRIPE_KEY < key.txt`) or type it\n' +
    'at the prompt, which echoes nothing. Running tasks read secrets when they start: --redeploy rolls the service.',
  flags: [...CONFIG_FLAGS, { name: 'redeploy', type: 'boolean', description: 'roll the service so its tasks read the new value' }],
  positionals: true,
  async run(args, ctx) {
    const t = await target(args, ctx);
    const name = secretName(args, t, 'set');
    const value = await ctx.io.readSecret(`value of ${name} (not echoed)`);
    if (!value) throw new UserError(`no value for ${name}: pipe it on stdin or type it at the prompt`);
    const id = `${t.prefix}/${name}`;
    try {
      const put = await t.client.send(new t.sm.PutSecretValueCommand({ SecretId: id, SecretString: value }));
      ctx.io.err(`set ${id} (version ${put.VersionId})`);
    } catch (err) {
      if (notFound(err)) throw new UserError(`secret ${id} does not exist: run \`backplane deploy\` first`);
      throw err;
    }
    if (args.flags.redeploy === true) await redeploy(ctx, t);
    else ctx.io.err('running tasks keep the old value until they restart: add --redeploy to roll the service now');
    return 0;
  },
};

async function redeploy(ctx: Context, t: Target): Promise<void> {
  const ecs = await import('@aws-sdk/client-ecs');
  const client = new ecs.ECSClient(ctx.deps.aws.clientConfig(t.loaded.config.region));
  await client.send(new ecs.UpdateServiceCommand({ cluster: t.prefix, service: t.prefix, forceNewDeployment: true }));
  ctx.io.err(`rolling service ${t.prefix}: new tasks read the new value (watch it with \`backplane status\`)`);
}

interface SecretState {
  readonly name: string;
  readonly secretId: string;
  readonly exists: boolean;
  readonly hasValue: boolean;
  readonly lastChanged?: string;
}

async function describe(t: Target, name: string): Promise<SecretState> {
  const secretId = `${t.prefix}/${name}`;
  try {
    const d = await t.client.send(new t.sm.DescribeSecretCommand({ SecretId: secretId }));
    const hasValue = Object.values(d.VersionIdsToStages ?? {}).some((stages) => stages.includes('AWSCURRENT'));
    return { name, secretId, exists: !d.DeletedDate, hasValue: hasValue && !d.DeletedDate, lastChanged: d.LastChangedDate?.toISOString() };
  } catch (err) {
    if (notFound(err)) return { name, secretId, exists: false, hasValue: false };
    throw err;
  }
}

export const secretsListCommand: Command = {
  name: 'secrets list',
  summary: "list the config's app secrets and whether each has a value (never the values)",
  usage: 'secrets list [--json] [--config <file>] [--stage <name>]',
  flags: [...CONFIG_FLAGS, JSON_FLAG],
  async run(args, ctx) {
    const t = await target(args, ctx);
    const states = await Promise.all(Object.keys(t.loaded.config.secrets ?? {}).map((n) => describe(t, n)));
    if (args.flags.json === true) {
      ctx.io.out(json(states));
      return 0;
    }
    if (!states.length) ctx.io.out('the config has no secrets (add them under `secrets`)');
    const width = Math.max(0, ...states.map((s) => s.name.length));
    for (const s of states) {
      const status = !s.exists ? 'not deployed' : s.hasValue ? `set (${s.lastChanged ?? 'date unknown'})` : 'NO VALUE: tasks fail to start';
      ctx.io.out(`${s.name.padEnd(width)}  ${status}`);
    }
    const missing = states.filter((s) => s.exists && !s.hasValue);
    if (missing.length) ctx.io.err(`set ${missing.length === 1 ? 'it' : 'them'} with: backplane secrets set ${missing[0].name}`);
    return 0;
  },
};

export const secretsRmCommand: Command = {
  name: 'secrets rm',
  summary: "delete an app secret's value (unprotected stages; the next deploy re-creates the secret empty)",
  usage: 'secrets rm NAME [--yes] [--config <file>] [--stage <name>]',
  description:
    'Secrets Manager cannot remove the current value of a secret and keep the secret, so rm deletes the secret at once\n' +
    '(ForceDeleteWithoutRecovery; a deletion with a recovery window would block the next deploy, which must create\n' +
    'the same name) and the next `backplane deploy` re-creates it without a value. Refused on a protected stage: there\n' +
    'a value is replaced with `secrets set`, never deleted without recovery.',
  flags: [...CONFIG_FLAGS, { name: 'yes', alias: 'y', type: 'boolean', description: 'do not ask for confirmation' }],
  positionals: true,
  async run(args, ctx) {
    const t = await target(args, ctx);
    const name = secretName(args, t, 'rm');
    if (heavy().config.isProtected(t.loaded.config))
      throw new UserError(`stage ${t.loaded.config.stage} is protected: replace the value with \`backplane secrets set ${name}\` instead`);
    const secretId = `${t.prefix}/${name}`;
    if (args.flags.yes !== true) {
      if (!ctx.io.interactive) throw new UsageError(`secrets rm deletes ${secretId} without recovery: confirm with --yes`);
      const answer = await ctx.io.ask(`Delete ${secretId} and its value without recovery? Type the name to confirm`);
      if (answer !== name) throw new UserError('not confirmed: nothing deleted');
    }
    try {
      await t.client.send(new t.sm.DeleteSecretCommand({ SecretId: secretId, ForceDeleteWithoutRecovery: true }));
    } catch (err) {
      if (notFound(err)) throw new UserError(`secret ${secretId} does not exist: nothing to delete`);
      throw err;
    }
    ctx.io.err(`deleted ${secretId}: \`backplane deploy\` re-creates it empty; tasks that inject it fail to start until it has a value`);
    return 0;
  },
};
