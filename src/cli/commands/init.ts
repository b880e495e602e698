import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { ParsedArgs } from '../args';
import { writeCdktfJson } from '../cdktf-json';
import { flag, type Command, type Context } from '../command';
import { CREDENTIALS_HINT, UserError, isCredentialsError } from '../errors';
import { configFromAnswers, renderConfig, type InitAnswers } from '../init-template';
import { loadConfigFile } from '../load-config';
import { heavy } from '../heavy-loader';
import { ciRepository, writeGithubCi } from '../ci/write';

const sanitizeName = (s: string): string => {
  const n = s
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .replace(/-+$/, '')
    .slice(0, 22);
  return n.length >= 3 ? n : 'app';
};

type Asker = (question: string, fallback?: string) => Promise<string | undefined>;

async function gather(args: ParsedArgs, ctx: Context): Promise<InitAnswers> {
  const interactive = ctx.io.interactive && !flag.bool(args, 'yes');
  const ask: Asker = async (question, fallback) => (interactive ? ctx.io.ask(question, fallback) : fallback);
  const name =
    flag.string(args, 'name') ?? (await ask('App name (lower-case, used in every resource name)', sanitizeName(path.basename(ctx.io.cwd))));
  const domain = flag.string(args, 'domain') ?? (await ask('Domain of the site (e.g. example.com)'));
  if (!domain) throw new UserError("--domain is required (the site's domain, e.g. --domain example.com)");
  const region = flag.string(args, 'region') ?? (await ask('AWS region', 'us-east-1')) ?? 'us-east-1';
  let distributionId = flag.string(args, 'distribution-id');
  const edge = flag.string(args, 'edge');
  if (edge === 'attach' && !distributionId && !interactive)
    throw new UserError('--edge attach needs --distribution-id <ID> (the CloudFront distribution of your frontend)');
  if (!distributionId && edge !== 'subdomain') {
    distributionId =
      (await ask(`CloudFront distribution id of your frontend, to add /api/* to (empty: serve the API at api.${domain})`, '')) || undefined;
  }
  const backend = (flag.string(args, 'backend') ?? (await ask('Terraform state: local, s3 or cloud', 'local')) ?? 'local') as
    'local' | 's3' | 'cloud';
  if (!['local', 's3', 'cloud'].includes(backend)) throw new UserError(`state backend "${backend}" must be local, s3 or cloud`);
  let state: InitAnswers['state'] = { backend: 'local' };
  const stage = (flag.string(args, 'stage') ?? 'dev') as InitAnswers['stage'];
  const safeName = name ?? 'app';
  if (backend === 's3') {
    const bucket =
      flag.string(args, 'bucket') ??
      (await ask('State bucket name (created now)', `${safeName}-tfstate-${randomBytes(4).toString('hex')}`)) ??
      `${safeName}-tfstate-${randomBytes(4).toString('hex')}`;
    state = { backend: 's3', bucket, region: flag.string(args, 'state-region') ?? region, key: `${safeName}/${stage}/terraform.tfstate` };
  } else if (backend === 'cloud') {
    const organization = flag.string(args, 'organization') ?? (await ask('HCP Terraform organization'));
    const workspace = flag.string(args, 'workspace') ?? (await ask('HCP Terraform workspace', `${safeName}-${stage}`));
    if (!organization || !workspace) throw new UserError('state backend "cloud" needs --organization and --workspace');
    state = { backend: 'cloud', organization, workspace };
  }
  return {
    name: safeName,
    domain,
    region,
    stage,
    distributionId,
    subdomain: flag.string(args, 'subdomain') ?? 'api',
    nat: flag.string(args, 'nat') as InitAnswers['nat'],
    database: (flag.string(args, 'database') ?? 'postgres') as InitAnswers['database'],
    cache: (flag.string(args, 'cache') ?? 'valkey') as InitAnswers['cache'],
    state,
  };
}

/** The caller's account id (STS GetCallerIdentity), for ExpectedBucketOwner. */
async function callerAccount(ctx: Context, region: string): Promise<string> {
  const sts = ctx.deps.aws.sts(region);
  try {
    const { GetCallerIdentityCommand } = await import('@aws-sdk/client-sts');
    const { Account } = await sts.send(new GetCallerIdentityCommand({}));
    if (!Account) throw new Error('STS GetCallerIdentity returned no account id');
    return Account;
  } finally {
    sts.destroy();
  }
}

async function createBucket(ctx: Context, args: ParsedArgs, bucket: string, region: string): Promise<void> {
  ctx.io.err(`creating the state bucket s3://${bucket} in ${region}...`);
  try {
    const r = await heavy()
      .stateBucket()
      .ensureStateBucket(ctx.deps.aws.s3(region), {
        bucket,
        region,
        sse: flag.string(args, 'sse') as 'aws:kms' | 'AES256' | undefined,
        kmsKeyId: flag.string(args, 'kms-key-id'),
        expectedBucketOwner: await callerAccount(ctx, region),
      });
    ctx.io.out(`${r.created ? 'created' : 'updated'} s3://${r.bucket}: ${r.settings.join(', ')}`);
  } catch (err) {
    if (isCredentialsError(err))
      throw new UserError(`creating the state bucket needs AWS credentials and none were found: ${CREDENTIALS_HINT}`);
    throw err;
  }
}

export const initCommand: Command = {
  name: 'init',
  summary: 'write a starter backplane.config.ts (asks a few questions, or takes flags); --backend s3 creates the state bucket',
  usage: 'init [--name <app>] [--domain <domain>] [--distribution-id <id> | --edge subdomain] [--backend local|s3|cloud] [--yes]',
  description:
    'Asks for what it cannot guess (or reads flags; --yes takes the defaults without asking) and writes a config that\n' +
    'validates. With --backend s3 it first creates the state bucket: versioned, encrypted (SSE-KMS by default), public\n' +
    'access blocked, TLS-only policy; Terraform locks with a lockfile in the bucket (no DynamoDB). On an existing\n' +
    'config, `init --backend s3` creates the bucket the config names, or adds what it lacks: its policy statements,\n' +
    'lifecycle rules and KMS key are kept (a request that would weaken the encryption is refused).',
  flags: [
    { name: 'name', type: 'string', value: '<app>', description: 'app name (default: the directory name)' },
    { name: 'domain', type: 'string', value: '<domain>', description: "the site's domain, e.g. example.com" },
    { name: 'region', type: 'string', value: '<region>', description: 'AWS region (default: us-east-1)' },
    {
      name: 'stage',
      type: 'string',
      value: '<stage>',
      description: 'stage: dev, staging, prod or a short name such as pr-123 (default: dev)',
    },
    {
      name: 'edge',
      type: 'string',
      value: '<mode>',
      choices: ['attach', 'subdomain'],
      description: 'attach /api/* to a distribution, or serve api.<domain>',
    },
    { name: 'distribution-id', type: 'string', value: '<id>', description: 'the CloudFront distribution to attach to' },
    { name: 'subdomain', type: 'string', value: '<label>', description: 'with --edge subdomain (default: api)' },
    {
      name: 'nat',
      type: 'string',
      value: '<mode>',
      choices: ['none', 'instance', 'gateway'],
      description: "egress for the tasks (default: the stage's, a t4g.nano NAT instance, a NAT Gateway per AZ on prod; none is cheapest)",
    },
    {
      name: 'database',
      type: 'string',
      value: '<engine>',
      choices: ['postgres', 'aurora-serverless', 'none'],
      description: 'default: postgres',
    },
    { name: 'cache', type: 'string', value: '<engine>', choices: ['valkey', 'redis', 'none'], description: 'default: valkey' },
    {
      name: 'backend',
      type: 'string',
      value: '<backend>',
      choices: ['local', 's3', 'cloud'],
      description: 'where Terraform keeps state (default: local)',
    },
    { name: 'bucket', type: 'string', value: '<name>', description: 'state bucket (--backend s3; default: <name>-tfstate-<random>)' },
    { name: 'state-region', type: 'string', value: '<region>', description: 'state bucket region (default: --region)' },
    {
      name: 'sse',
      type: 'string',
      value: '<algo>',
      choices: ['aws:kms', 'AES256'],
      description: 'state bucket encryption (default: aws:kms)',
    },
    { name: 'kms-key-id', type: 'string', value: '<key>', description: 'a customer-managed KMS key for the state bucket' },
    { name: 'organization', type: 'string', value: '<org>', description: 'HCP Terraform organization (--backend cloud)' },
    { name: 'workspace', type: 'string', value: '<ws>', description: 'HCP Terraform workspace (--backend cloud)' },
    { name: 'out', alias: 'o', type: 'string', value: '<file>', description: 'where to write the config (default: backplane.config.ts)' },
    { name: 'force', type: 'boolean', description: 'overwrite an existing config' },
    { name: 'yes', alias: 'y', type: 'boolean', description: 'do not ask: take the defaults for what the flags leave out' },
    {
      name: 'ci',
      type: 'string',
      value: '<provider>',
      choices: ['github'],
      description: 'also write a CI workflow + its OIDC roles (docs/ci.md)',
    },
    { name: 'repo', type: 'string', value: '<owner/repo>', description: 'with --ci github: the repository allowed to deploy' },
    { name: 'branch', type: 'string', value: '<branch>', description: 'with --ci github: the branch whose pushes deploy (default: main)' },
  ],
  async run(args, ctx) {
    const file = path.resolve(ctx.io.cwd, flag.string(args, 'out') ?? 'backplane.config.ts');
    const shown = path.relative(ctx.io.cwd, file) || file;
    if (flag.string(args, 'ci')) ciRepository(args);
    if (fs.existsSync(file) && flag.string(args, 'ci')) {
      // An existing project: only the CI files, the config is left as it is.
      writeGithubCi(args, ctx, heavy().config.resolveConfig(loadConfigFile(file, shown), shown), path.dirname(file));
      return 0;
    }
    if (fs.existsSync(file) && !flag.bool(args, 'force')) {
      if (flag.string(args, 'backend') !== 's3')
        throw new UserError(`${shown} already exists: pass --force to overwrite it (or --backend s3 to create the state bucket it names)`);
      const existing = heavy().config.resolveConfig(loadConfigFile(file, shown), shown);
      const bucket = flag.string(args, 'bucket') ?? (existing.state.backend === 's3' ? existing.state.bucket : undefined);
      if (!bucket)
        throw new UserError(
          `${shown} does not use state.backend "s3": pass --bucket <name>, then set state: { backend: 's3', bucket, region } in it`,
        );
      const region = flag.string(args, 'state-region') ?? (existing.state.backend === 's3' ? existing.state.region : existing.region);
      await createBucket(ctx, args, bucket, region);
      if (existing.state.backend !== 's3')
        ctx.io.out(
          `now set in ${shown}: state: { backend: 's3', bucket: '${bucket}', region: '${region}', key: '${existing.name}/${existing.stage}/terraform.tfstate' }`,
        );
      return 0;
    }
    const answers = { ...(await gather(args, ctx)), build: fs.existsSync(path.join(path.dirname(file), 'Dockerfile')) };
    const resolved = heavy().config.resolveConfig(configFromAnswers(answers), shown); // a bad answer fails here, naming the field, before anything is created
    if (flag.string(args, 'ci') && resolved.state.backend === 'local')
      throw new UserError('a CI runner loses a local state file: add --backend s3 (or cloud) to --ci github');
    if (answers.state.backend === 's3') await createBucket(ctx, args, answers.state.bucket, answers.state.region);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, renderConfig(answers));
    ctx.io.out(`wrote ${shown}`);
    if (writeCdktfJson(path.dirname(file), `${answers.name}-backplane`))
      ctx.io.out(
        `wrote ${path.relative(ctx.io.cwd, path.join(path.dirname(file), 'cdktf.json')) || 'cdktf.json'} (cdktn/cdktf synth and deploy run the same config)`,
      );
    if (flag.string(args, 'ci')) writeGithubCi(args, ctx, resolved, path.dirname(file));
    ctx.io.out('next:');
    if (answers.distributionId)
      ctx.io.out('  npx backplane cloudfront snapshot   # saves the distribution your API attaches to (commit the file)');
    ctx.io.out('  npx backplane doctor                # checks terraform, credentials, Docker, DNS token');
    ctx.io.out('  npx backplane cost                  # the monthly baseline');
    if (answers.build)
      ctx.io.out('  npx backplane deploy                # creates the image repository, builds and pushes ./Dockerfile, deploys');
    else {
      ctx.io.out("  add a Dockerfile next to the config and set service: { build: { context: '.' } } in place of imageTag");
      ctx.io.out('  npx backplane deploy                # creates the image repository, builds and pushes the image, deploys');
    }
    return 0;
  },
};
