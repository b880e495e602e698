/**
 * `backplane init`: the starter config (from flags or answers), validated by the real schema; `--backend s3`
 * creates the state bucket, checked setting by setting against a private moto_server.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  CreateBucketCommand,
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  PutBucketEncryptionCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketPolicyCommand,
  PutBucketVersioningCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import * as ts from 'typescript';
import { configFromAnswers, renderConfig, type InitAnswers } from '../../src/cli/init-template';
import { ensureStateBucket } from '../../src/cli/state-bucket';
import { resolveConfig } from '../../src/config';
import { cli, motoClients } from './support/cli';
import { MOTO_ACCOUNT, MOTO_CREDENTIALS, startMoto, type Moto } from './support/moto';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'backplane-init-'));

/** Evaluates the written TypeScript with `backplane`'s defineConfig (the identity) and returns its default export. */
function evaluate(file: string): unknown {
  const js = ts.transpileModule(fs.readFileSync(file, 'utf8'), {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  }).outputText;
  const mod = { exports: {} as Record<string, unknown> };
  new Function('require', 'module', 'exports', js)(
    (id: string) => (id === 'backplane' ? { defineConfig: (c: unknown) => c } : require(id)),
    mod,
    mod.exports,
  );
  return mod.exports.default;
}

describe('init: the starter config', () => {
  it('with a Dockerfile next to it: service.build, and next steps that build, push and deploy; without: how to get there', async () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'Dockerfile'), 'FROM oven/bun:1\n');
    const r = await cli(['init', '--name', 'shop', '--domain', 'example.com', '--edge', 'subdomain', '--yes'], { cwd: dir });
    expect(r.code).toBe(0);
    const config = evaluate(path.join(dir, 'backplane.config.ts')) as Record<string, any>;
    expect(config.service.build).toEqual({ context: '.' });
    expect(config.service.imageTag).toBeUndefined();
    expect(resolveConfig(config).service.build).toEqual({ context: '.' });
    expect(r.stdout).toContain(
      'npx backplane deploy                # creates the image repository, builds and pushes ./Dockerfile, deploys',
    );
    expect(r.stdout).not.toContain('image push');

    const bare = tmp();
    const r2 = await cli(['init', '--name', 'shop', '--domain', 'example.com', '--edge', 'subdomain', '--yes'], { cwd: bare });
    expect((evaluate(path.join(bare, 'backplane.config.ts')) as Record<string, any>).service.imageTag).toBe('v1');
    expect(r2.stdout).toContain("add a Dockerfile next to the config and set service: { build: { context: '.' } } in place of imageTag");
  });

  it('from flags: writes a config that the schema accepts, equal to the answers', async () => {
    const dir = tmp();
    const r = await cli(['init', '--name', 'shop', '--domain', 'example.com', '--distribution-id', 'E2QWRUHAPOMQZL', '--yes'], {
      cwd: dir,
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('wrote backplane.config.ts');
    expect(r.stdout).toContain('npx backplane cloudfront snapshot');
    const config = evaluate(path.join(dir, 'backplane.config.ts')) as Record<string, any>;
    const resolved = resolveConfig(config);
    expect(resolved.edge).toMatchObject({
      mode: 'attach',
      distributionId: 'E2QWRUHAPOMQZL',
      snapshotFile: 'frontend-distribution.json',
      albAccess: 'vpc-origin',
    });
    // The schema's default (README: NAT instance), not a cheaper shape the user did not ask for.
    expect(resolved.network.nat).toBe('instance');
    // Not pinned in the file, so a prod stage gets its own default (a NAT Gateway per AZ) and 2 tasks.
    const text = fs.readFileSync(path.join(dir, 'backplane.config.ts'), 'utf8');
    expect(text).not.toContain('network:');
    expect(text).toContain('scaling: { max: 4 }');
    const asProd = resolveConfig({
      ...config,
      stage: 'prod',
      service: { ...config.service, imageTag: undefined, imageDigest: `sha256:${'a'.repeat(64)}` },
      state: { backend: 's3', bucket: 'shop-tfstate' },
    });
    expect(asProd.network).toMatchObject({ nat: 'gateway', natGatewayPerAz: true });
    expect(asProd.service.scaling.min).toBe(2);
    expect(resolved.database?.engine).toBe('postgres');
    expect(resolved.cache?.engine).toBe('valkey');
    expect(resolved.state).toEqual({ backend: 'local' });
  });

  it('asks what the flags leave out when there is a terminal', async () => {
    const dir = path.join(tmp(), 'My Cool_App');
    fs.mkdirSync(dir);
    // name (default from the directory), domain, region, distribution id (empty: subdomain), backend
    const r = await cli(['init', '--database', 'none'], { cwd: dir, answers: ['', 'shop.example.org', 'eu-west-1', '', 'local'] });
    expect(r.code).toBe(0);
    const config = resolveConfig(evaluate(path.join(dir, 'backplane.config.ts')));
    expect(config.name).toBe('my-cool-app');
    expect(config.domain).toBe('shop.example.org');
    expect(config.region).toBe('eu-west-1');
    // The WAF and the access logs stay off (opt-in extras with a monthly cost).
    expect(config.edge).toEqual({
      mode: 'subdomain',
      subdomain: 'api',
      waf: false,
      wafRateLimit: 2000,
      accessLogs: false,
      accessLogRetentionDays: 90,
    });
    expect(config.database).toBeUndefined();
  });

  it('the text it writes evaluates to exactly configFromAnswers (no drift between the two)', () => {
    const answers: InitAnswers = {
      name: 'shop',
      domain: 'example.com',
      region: 'us-east-1',
      stage: 'prod',
      distributionId: 'E2QWRUHAPOMQZL',
      subdomain: 'api',
      nat: 'gateway',
      database: 'aurora-serverless',
      cache: 'redis',
      state: { backend: 'cloud', organization: "o'rg", workspace: 'ws' },
    };
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'c.ts'), renderConfig(answers));
    expect(evaluate(path.join(dir, 'c.ts'))).toEqual(configFromAnswers(answers));
    // A protected stage deploys images pinned by digest only: the starter config says so until the first push.
    expect(() => resolveConfig(configFromAnswers(answers))).toThrow(
      /service\.imageTag = "v1": stage "prod" is protected, so .* pin the image by digest/,
    );
    expect(() => resolveConfig(configFromAnswers({ ...answers, stage: 'dev' }))).not.toThrow();
  });

  it.each([
    [['init', '--yes'], /^backplane init: --domain is required/],
    [['init', '--domain', 'Example.COM', '--yes'], /domain = "Example.COM": must be a lower-case domain name/],
    [['init', '--domain', 'example.com', '--edge', 'attach', '--yes'], /^backplane init: --edge attach needs --distribution-id/],
    [
      ['init', '--domain', 'example.com', '--backend', 'cloud', '--yes'],
      /^backplane init: state backend "cloud" needs --organization and --workspace/,
    ],
  ])('%j: refused in one line (or the config problem), nothing written', async (argv, message) => {
    const dir = tmp();
    const r = await cli(argv as string[], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(fs.existsSync(path.join(dir, 'backplane.config.ts'))).toBe(false);
  });

  it('never overwrites a config without --force', async () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'backplane.config.ts'), '// mine\n');
    const r = await cli(['init', '--domain', 'example.com', '--yes'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'backplane init: backplane.config.ts already exists: pass --force to overwrite it (or --backend s3 to create the state bucket it names)',
    );
    expect(fs.readFileSync(path.join(dir, 'backplane.config.ts'), 'utf8')).toBe('// mine\n');
    expect((await cli(['init', '--domain', 'example.com', '--yes', '--force'], { cwd: dir })).code).toBe(0);
  });

  it('--backend s3 without credentials: one line, and no config written', async () => {
    const dir = tmp();
    const r = await cli(['init', '--domain', 'example.com', '--backend', 's3', '--yes'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n').pop()).toMatch(/^backplane init: creating the state bucket needs AWS credentials and none were found/);
    expect(fs.existsSync(path.join(dir, 'backplane.config.ts'))).toBe(false);
  });
});

describe('init --backend s3: the state bucket (against moto)', () => {
  let moto: Moto;
  let s3: S3Client;
  beforeAll(async () => {
    moto = await startMoto();
    s3 = new S3Client({ endpoint: moto.endpoint, region: 'us-east-1', credentials: MOTO_CREDENTIALS, forcePathStyle: true });
  });
  afterAll(async () => {
    s3?.destroy();
    await moto?.stop();
  });

  async function assertStateBucket(bucket: string, sse: 'aws:kms' | 'AES256', kmsKeyId?: string) {
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: bucket }))).Status).toBe('Enabled');
    const rule = (await s3.send(new GetBucketEncryptionCommand({ Bucket: bucket }))).ServerSideEncryptionConfiguration?.Rules?.[0];
    expect(rule?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm).toBe(sse);
    if (kmsKeyId) expect(rule?.ApplyServerSideEncryptionByDefault?.KMSMasterKeyID).toBe(kmsKeyId);
    expect((await s3.send(new GetPublicAccessBlockCommand({ Bucket: bucket }))).PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    });
    const policy = JSON.parse((await s3.send(new GetBucketPolicyCommand({ Bucket: bucket }))).Policy ?? '{}');
    expect(policy.Statement).toEqual([
      {
        Sid: 'DenyInsecureTransport',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
    ]);
    expect((await s3.send(new GetBucketOwnershipControlsCommand({ Bucket: bucket }))).OwnershipControls?.Rules?.[0]?.ObjectOwnership).toBe(
      'BucketOwnerEnforced',
    );
    const lifecycle = (await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }))).Rules?.[0];
    expect(lifecycle?.NoncurrentVersionExpiration?.NoncurrentDays).toBe(90);
  }

  it('creates the bucket versioned, SSE-KMS, public access blocked, TLS-only, and writes the s3 state config', async () => {
    const dir = tmp();
    const r = await cli(
      ['init', '--name', 'shop', '--domain', 'example.com', '--backend', 's3', '--bucket', 'shop-tfstate-test1', '--yes'],
      { cwd: dir, deps: { aws: motoClients(moto.endpoint) } },
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      'created s3://shop-tfstate-test1: versioning on, SSE-KMS (aws/s3) with a bucket key, public access blocked, ACLs disabled, TLS-only bucket policy',
    );
    await assertStateBucket('shop-tfstate-test1', 'aws:kms');
    const config = resolveConfig(evaluate(path.join(dir, 'backplane.config.ts')));
    expect(config.state).toEqual({ backend: 's3', bucket: 'shop-tfstate-test1', region: 'us-east-1', key: 'shop/dev/terraform.tfstate' });
  });

  it('on an existing config, creates (or repairs) the bucket it names: SSE-S3 on request', async () => {
    const dir = tmp();
    fs.writeFileSync(
      path.join(dir, 'backplane.config.json'),
      JSON.stringify({
        name: 'shop',
        domain: 'example.com',
        service: { imageTag: 'v1' },
        edge: { mode: 'subdomain' },
        state: { backend: 's3', bucket: 'shop-tfstate-test2', region: 'us-east-1' },
      }),
    );
    const r = await cli(['init', '--backend', 's3', '--sse', 'AES256', '--out', 'backplane.config.json'], {
      cwd: dir,
      deps: { aws: motoClients(moto.endpoint) },
    });
    expect(r.code).toBe(0);
    await assertStateBucket('shop-tfstate-test2', 'AES256');
    const again = await cli(['init', '--backend', 's3', '--out', 'backplane.config.json'], {
      cwd: dir,
      deps: { aws: motoClients(moto.endpoint) },
    });
    expect(again.stdout).toMatch(/^updated s3:\/\/shop-tfstate-test2/);
    await assertStateBucket('shop-tfstate-test2', 'aws:kms');
  });

  /** A config naming `bucket` in a fresh directory, for `init --backend s3` on an existing config. */
  function configNaming(bucket: string): string {
    const dir = tmp();
    const config = { name: 'shop', domain: 'example.com', service: { imageTag: 'v1' }, edge: { mode: 'subdomain' } };
    fs.writeFileSync(
      path.join(dir, 'backplane.config.json'),
      JSON.stringify({ ...config, state: { backend: 's3', bucket, region: 'us-east-1' } }),
    );
    return dir;
  }
  const initOn = (dir: string, ...flags: string[]) =>
    cli(['init', '--backend', 's3', '--out', 'backplane.config.json', ...flags], { cwd: dir, deps: { aws: motoClients(moto.endpoint) } });
  const statements = async (bucket: string) =>
    JSON.parse((await s3.send(new GetBucketPolicyCommand({ Bucket: bucket }))).Policy ?? '{}').Statement;
  const encryption = async (bucket: string) =>
    (await s3.send(new GetBucketEncryptionCommand({ Bucket: bucket }))).ServerSideEncryptionConfiguration?.Rules;

  it("an existing bucket keeps the owner's policy statements and lifecycle rules; ours are added once, versioning turned on", async () => {
    const Bucket = 'shop-tfstate-owned1';
    const ownerStatement = {
      Sid: 'OwnerReadsState',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${MOTO_ACCOUNT}:role/reader` },
      Action: 's3:GetObject',
      Resource: `arn:aws:s3:::${Bucket}/*`,
    };
    const ownerRule = { ID: 'expire-logs', Status: 'Enabled' as const, Filter: { Prefix: 'logs/' }, Expiration: { Days: 30 } };
    await s3.send(new CreateBucketCommand({ Bucket }));
    await s3.send(new PutBucketPolicyCommand({ Bucket, Policy: JSON.stringify({ Version: '2012-10-17', Statement: [ownerStatement] }) }));
    await s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket, LifecycleConfiguration: { Rules: [ownerRule] } }));
    await s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Suspended' } }));
    const dir = configNaming(Bucket);

    const r = await initOn(dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      `updated s3://${Bucket}: versioning turned on (was suspended), SSE-KMS (aws/s3) with a bucket key, public access blocked, ACLs disabled, ` +
        'kept 1 policy statement, added TLS-only, kept 1 lifecycle rule, old state versions kept 90 days',
    );
    expect((await statements(Bucket)).map((st: { Sid: string }) => st.Sid)).toEqual(['OwnerReadsState', 'DenyInsecureTransport']);
    expect((await statements(Bucket))[0]).toEqual(ownerStatement);
    const rules = (await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket }))).Rules ?? [];
    expect(rules.map((rule) => rule.ID)).toEqual(['expire-logs', 'backplane-state-history']);
    expect(rules[0]).toMatchObject({ Filter: { Prefix: 'logs/' }, Expiration: { Days: 30 } });
    expect(rules[1].NoncurrentVersionExpiration?.NoncurrentDays).toBe(90);
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket }))).Status).toBe('Enabled');

    // Again: nothing duplicated, the owner's statement and rule still there.
    const again = await initOn(dir);
    expect(again.stdout).toContain('versioning on, kept SSE-KMS (aws/s3) with a bucket key');
    expect(again.stdout).toContain('kept 2 policy statements (TLS-only among them), kept 1 lifecycle rule');
    expect((await statements(Bucket)).map((st: { Sid: string }) => st.Sid)).toEqual(['OwnerReadsState', 'DenyInsecureTransport']);
    const after = (await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket }))).Rules ?? [];
    expect(after.map((rule) => rule.ID)).toEqual(['expire-logs', 'backplane-state-history']);
  });

  it('an existing bucket on a customer KMS key: anything else is refused and nothing changes; the same key is kept', async () => {
    const Bucket = 'shop-tfstate-owned2';
    const key = `arn:aws:kms:us-east-1:${MOTO_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
    await s3.send(new CreateBucketCommand({ Bucket }));
    await s3.send(
      new PutBucketEncryptionCommand({
        Bucket,
        ServerSideEncryptionConfiguration: {
          Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: key } }],
        },
      }),
    );
    const before = await encryption(Bucket);
    const dir = configNaming(Bucket);
    for (const flags of [['--sse', 'AES256'], [], ['--kms-key-id', 'alias/other']]) {
      const r = await initOn(dir, ...flags);
      expect(r.code).toBe(1);
      const last = r.stderr.split('\n').pop();
      expect(last).toMatch(new RegExp(`^backplane init: bucket ${Bucket} is encrypted with SSE-KMS key ${key}: init does not replace it`));
      expect(last).toContain(`rerun with --kms-key-id ${key} to keep it`);
    }
    expect(await encryption(Bucket)).toEqual(before);
    // Refused before any write: no policy, versioning never turned on.
    await expect(s3.send(new GetBucketPolicyCommand({ Bucket }))).rejects.toMatchObject({ name: 'NoSuchBucketPolicy' });
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket }))).Status).toBeUndefined();

    const same = await initOn(dir, '--kms-key-id', key);
    expect(same.code).toBe(0);
    expect(same.stdout).toContain(`kept SSE-KMS key ${key} with a bucket key`);
    await assertStateBucket(Bucket, 'aws:kms', key);
    expect((await encryption(Bucket))?.[0]?.BucketKeyEnabled).toBe(true);
  });

  it('sends ExpectedBucketOwner (the STS account) on every call after CreateBucket', async () => {
    const seen: { command: string; input: Record<string, unknown> }[] = [];
    const recorded = (region: string) => {
      const client = motoClients(moto.endpoint).s3(region);
      client.middlewareStack.add(
        (next, context) => async (args) => {
          seen.push({ command: context.commandName ?? '', input: args.input as Record<string, unknown> });
          return next(args);
        },
        { step: 'initialize' },
      );
      return client;
    };
    const dir = configNaming('shop-tfstate-owner3');
    for (let run = 0; run < 2; run++) {
      const r = await cli(['init', '--backend', 's3', '--out', 'backplane.config.json'], {
        cwd: dir,
        deps: { aws: { ...motoClients(moto.endpoint), s3: recorded } },
      });
      expect(r.code).toBe(0);
    }
    const commands = seen.map((c) => c.command);
    expect(commands.filter((c) => c === 'CreateBucketCommand')).toHaveLength(1);
    expect(commands).toEqual(
      expect.arrayContaining([
        'HeadBucketCommand',
        'GetBucketEncryptionCommand',
        'PutBucketPolicyCommand',
        'PutBucketLifecycleConfigurationCommand',
      ]),
    );
    for (const { command, input } of seen.filter((c) => c.command !== 'CreateBucketCommand'))
      expect([command, input.ExpectedBucketOwner]).toEqual([command, MOTO_ACCOUNT]);
  });

  it('a customer-managed key, a bad bucket name', async () => {
    await ensureStateBucket(s3, { bucket: 'shop-tfstate-test3', region: 'us-east-1', kmsKeyId: 'alias/state' });
    await assertStateBucket('shop-tfstate-test3', 'aws:kms', 'alias/state');
    await expect(ensureStateBucket(s3, { bucket: 'Bad_Bucket', region: 'us-east-1' })).rejects.toThrow(
      '--bucket "Bad_Bucket" is not an S3 bucket name',
    );
  });
});
