/**
 * `backplane doctor` and `backplane cloudfront snapshot`: each check's verdict and fix, with the machine
 * (terraform, docker) answered by an injected runner and AWS by a private moto_server.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CloudFrontClient, CreateDistributionCommand, GetDistributionConfigCommand } from '@aws-sdk/client-cloudfront';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { checkNode, versionAtLeast } from '../../src/cli/doctor';
import { cli, motoClients, noCredentials, notInstalled, recordingRunner } from './support/cli';
import { MOTO_CREDENTIALS, startMoto, type Moto } from './support/moto';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'backplane-doctor-'));
const machine = (o: { terraform?: string | null; docker?: 'ok' | 'down' | null } = {}) =>
  recordingRunner((c) => {
    if (c.command === 'terraform') {
      if (o.terraform === null) throw notInstalled('terraform');
      return { stdout: JSON.stringify({ terraform_version: o.terraform ?? '1.11.4', platform: 'linux_amd64' }) };
    }
    if (c.command === 'docker') {
      if (o.docker === null) throw notInstalled('docker');
      if (o.docker === 'down') return c.args[0] === 'version' ? { exitCode: 1, stderr: 'Cannot connect to the Docker daemon' } : {};
      return { stdout: c.args[0] === 'version' ? '27.3.1' : 'github.com/docker/buildx v0.17.1' };
    }
    return { exitCode: 127 };
  });
const lineOf = (stdout: string, check: string) => stdout.split('\n').find((l) => l.slice(2).startsWith(check)) ?? '';

describe('doctor (no AWS needed)', () => {
  const config = (extra: object = {}) => {
    const dir = tmp();
    fs.writeFileSync(
      path.join(dir, 'backplane.config.json'),
      JSON.stringify({ name: 'shop', domain: 'example.com', service: { imageTag: 'v1' }, edge: { mode: 'subdomain' }, ...extra }),
    );
    return dir;
  };

  it('compares versions', () => {
    expect(versionAtLeast('1.11.4', '1.11.0')).toBe(true);
    expect(versionAtLeast('v1.9.8', '1.11.0')).toBe(false);
    expect(versionAtLeast('20.19.0', '20.19.0')).toBe(true);
    expect(checkNode('18.20.1').status).toBe('fail');
    expect(checkNode('20.19.2')).toMatchObject({
      status: 'warn',
      detail: '20.19.2 works; AWS SDK releases after January 2027 need Node 22+',
    });
    expect(checkNode('22.1.0').status).toBe('ok');
  });

  it('says what is missing and how to fix each, and exits 1 when a check fails', async () => {
    const dir = config({ dns: { provider: 'cloudflare', zoneId: 'a'.repeat(32) } });
    const r = await cli(['doctor'], {
      cwd: dir,
      env: { TF_CLI_CONFIG_FILE: '/nope/.terraformrc' },
      deps: { runner: machine({ terraform: '1.9.8', docker: null }), aws: noCredentials },
    });
    expect(r.code).toBe(1);
    expect(lineOf(r.stdout, 'terraform')).toMatch(/^✗ terraform\s+1\.9\.8 is older than 1\.11\.0/);
    expect(lineOf(r.stdout, 'TF_CLI_CONFIG_FILE')).toMatch(/^! TF_CLI_CONFIG_FILE\s+points at \/nope\/\.terraformrc/);
    expect(lineOf(r.stdout, 'AWS credentials')).toMatch(/^✗ AWS credentials\s+none found/);
    expect(r.stdout).toContain('fix: set AWS_PROFILE (after `aws sso login`) or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY');
    expect(lineOf(r.stdout, 'Docker')).toMatch(/^! Docker\s+not found on PATH/);
    expect(lineOf(r.stdout, 'DNS provider')).toMatch(/^✗ DNS provider\s+cloudflare: CLOUDFLARE_API_TOKEN is not set/);
    expect(r.stdout).toContain('fix: export CLOUDFLARE_API_TOKEN=');
    expect(lineOf(r.stdout, 'Config')).toMatch(/^✓ Config\s+backplane\.config\.json is valid \(shop-dev, us-east-1\)/);
    expect(lineOf(r.stdout, 'Terraform state')).toMatch(/^! Terraform state\s+local file/);
    const nodeWarns = checkNode().status === 'warn' ? 1 : 0; // Node < 22 is a warning (the AWS SDK's 2027 floor)
    expect(r.stdout.trimEnd().split('\n').pop()).toBe(`3 problems to fix, ${3 + nodeWarns} warnings.`);
  });

  it('all good: exit 0, and --json lists every check', async () => {
    const dir = config({ dns: { provider: 'cloudflare', zoneId: 'a'.repeat(32) } });
    const aws = { ...noCredentials, credentials: async () => ({ accessKeyId: 'AKIAIOSFODNN7EXAMPLE' }) };
    const r = await cli(['doctor', '--json'], { cwd: dir, env: { CLOUDFLARE_API_TOKEN: 't' }, deps: { runner: machine(), aws } });
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.ok).toBe(true);
    const byName = Object.fromEntries(j.checks.map((c: { check: string; status: string; detail: string }) => [c.check, c]));
    expect(byName['AWS credentials'].detail).toBe('access key AKIA****MPLE');
    expect(byName.terraform).toMatchObject({ status: 'ok', detail: '1.11.4' });
    expect(byName.Docker.status).toBe('ok');
    expect(byName['CloudFront snapshot'].status).toBe('skip');
  });

  it('a Docker daemon that is down is a warning, terraform missing a failure; a broken config is reported, not thrown', async () => {
    const dir = config({ network: { nat: 'sometimes' } });
    const r = await cli(['doctor'], { cwd: dir, deps: { runner: machine({ terraform: null, docker: 'down' }) } });
    expect(r.code).toBe(1);
    expect(lineOf(r.stdout, 'terraform')).toMatch(/^✗ terraform\s+not found on PATH/);
    expect(lineOf(r.stdout, 'Docker')).toMatch(/^! Docker\s+the CLI is installed but the daemon is not reachable/);
    expect(lineOf(r.stdout, 'Config')).toMatch(/^✗ Config\s+backplane\.config\.json has 1 problem: network\.nat = "sometimes"/);
  });
});

describe('cloudfront snapshot and the snapshot checks (against moto)', () => {
  let moto: Moto;
  let cf: CloudFrontClient;
  let distributionId: string | undefined;
  beforeAll(async () => {
    moto = await startMoto();
    cf = new CloudFrontClient({ endpoint: moto.endpoint, region: 'us-east-1', credentials: MOTO_CREDENTIALS });
    // Real distribution ids start with "E" (the config schema checks it); moto draws any capital first letter.
    for (let i = 0; i < 500 && !distributionId?.startsWith('E'); i++) {
      const created = await cf.send(
        new CreateDistributionCommand({
          DistributionConfig: {
            CallerReference: `frontend-${i}`,
            Comment: 'frontend',
            Enabled: true,
            Origins: {
              Quantity: 1,
              Items: [{ Id: 'site', DomainName: 'site.s3.us-east-1.amazonaws.com', S3OriginConfig: { OriginAccessIdentity: '' } }],
            },
            DefaultCacheBehavior: {
              TargetOriginId: 'site',
              ViewerProtocolPolicy: 'redirect-to-https',
              CachePolicyId: '658327ea-f89d-4fab-a63d-7e88639e58f6',
            },
          },
        }),
      );
      distributionId = created.Distribution!.Id!;
    }
    expect(distributionId).toMatch(/^E/);
  });
  afterAll(async () => {
    cf?.destroy();
    await moto?.stop();
  });

  function attachedProject(): string {
    const dir = tmp();
    fs.writeFileSync(
      path.join(dir, 'backplane.config.json'),
      JSON.stringify({
        name: 'shop',
        domain: 'example.com',
        service: { imageTag: 'v1' },
        edge: { mode: 'attach', distributionId, snapshotFile: 'snapshots/frontend.json' },
      }),
    );
    return dir;
  }

  it('without --id, snapshots the distribution the config names into edge.snapshotFile', async () => {
    const dir = attachedProject();
    const r = await cli(['cloudfront', 'snapshot'], { cwd: dir, deps: { aws: motoClients(moto.endpoint) } });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^wrote snapshots/frontend\\.json: distribution ${distributionId} \\(ETag `));
    const snap = JSON.parse(fs.readFileSync(path.join(dir, 'snapshots', 'frontend.json'), 'utf8'));
    expect(snap.Id).toBe(distributionId);
    expect(snap.DistributionConfig.Origins.Items[0].Id).toBe('site');
  });

  it('--id alone prints the JSON; an unknown id is one line', async () => {
    const dir = tmp();
    const r = await cli(['cloudfront', 'snapshot', '--id', distributionId as string], {
      cwd: dir,
      deps: { aws: motoClients(moto.endpoint) },
    });
    expect(JSON.parse(r.stdout).Id).toBe(distributionId);
    const bad = await cli(['cloudfront', 'snapshot', '--id', 'E0000000000000'], { cwd: dir, deps: { aws: motoClients(moto.endpoint) } });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^backplane cloudfront snapshot: .*\(no distribution E0000000000000 in this account\)$/);
    const none = await cli(['cloudfront', 'snapshot'], { cwd: dir });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/--id <DISTRIBUTION_ID> is required/);
  });

  it('doctor: a missing snapshot fails with the command that makes it; a fresh one matches the live ETag; a changed distribution warns', async () => {
    const dir = attachedProject();
    const deps = { runner: machine(), aws: motoClients(moto.endpoint) };
    const missing = await cli(['doctor'], { cwd: dir, deps });
    expect(lineOf(missing.stdout, 'CloudFront snapshot')).toMatch(/^✗ CloudFront snapshot\s+snapshots\/frontend\.json does not exist/);
    expect(missing.stdout).toContain(`fix: backplane cloudfront snapshot --id ${distributionId} --out snapshots/frontend.json`);
    await cli(['cloudfront', 'snapshot'], { cwd: dir, deps });
    const fresh = await cli(['doctor'], { cwd: dir, deps });
    expect(lineOf(fresh.stdout, 'CloudFront snapshot')).toMatch(
      /^✓ CloudFront snapshot\s+snapshots\/frontend\.json matches the live distribution \(ETag .+, 0 days old\)/,
    );
    // Someone changed the distribution after the snapshot: its ETag moved on. (moto 5.2.1 keeps the ETag on
    // UpdateDistribution, so the snapshot's ETag is aged instead, which is the same comparison.)
    const file = path.join(dir, 'snapshots', 'frontend.json');
    const live = await cf.send(new GetDistributionConfigCommand({ Id: distributionId }));
    fs.writeFileSync(file, JSON.stringify({ ...JSON.parse(fs.readFileSync(file, 'utf8')), ETag: `OLD${live.ETag}` }));
    const changed = await cli(['doctor'], { cwd: dir, deps });
    expect(lineOf(changed.stdout, 'CloudFront snapshot')).toMatch(/^! CloudFront snapshot\s+.*differs from the snapshot's/);
  });

  it('doctor: an s3 state bucket without versioning fails; one made by init passes', async () => {
    const s3 = new S3Client({ endpoint: moto.endpoint, region: 'us-east-1', credentials: MOTO_CREDENTIALS, forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: 'plain-state' }));
    s3.destroy();
    const dir = tmp();
    const write = (bucket: string) =>
      fs.writeFileSync(
        path.join(dir, 'backplane.config.json'),
        JSON.stringify({
          name: 'shop',
          domain: 'example.com',
          service: { imageTag: 'v1' },
          edge: { mode: 'subdomain' },
          state: { backend: 's3', bucket },
        }),
      );
    const deps = { runner: machine(), aws: motoClients(moto.endpoint) };
    write('plain-state');
    expect(lineOf((await cli(['doctor'], { cwd: dir, deps })).stdout, 'Terraform state')).toMatch(
      /^✗ Terraform state\s+s3:\/\/plain-state: versioning is off/,
    );
    write('no-such-bucket-xyz');
    expect(lineOf((await cli(['doctor'], { cwd: dir, deps })).stdout, 'Terraform state')).toMatch(
      /^✗ Terraform state\s+s3:\/\/no-such-bucket-xyz: bucket not found/,
    );
    await cli(['init', '--backend', 's3', '--bucket', 'plain-state', '--out', 'backplane.config.json'], { cwd: dir, deps });
    write('plain-state');
    expect(lineOf((await cli(['doctor'], { cwd: dir, deps })).stdout, 'Terraform state')).toMatch(
      /^✓ Terraform state\s+s3:\/\/plain-state\/shop\/dev\/terraform\.tfstate: versioned, aws:kms encryption/,
    );
  });
});

describe('doctor reports what plan/deploy will hand the DNS provider', () => {
  const { checkDnsToken } = require('../../src/cli/doctor') as typeof import('../../src/cli/doctor');
  const { resolveConfig } = require('../../src/config') as typeof import('../../src/config');
  const config = (apiTokenEnv: string) =>
    resolveConfig({
      name: 'shop',
      domain: 'example.com',
      service: { imageTag: 'v1' },
      edge: { mode: 'subdomain' },
      dns: { provider: 'cloudflare', zoneId: '0123456789abcdef0123456789abcdef', apiTokenEnv },
    });
  const ctx = (env: Record<string, string>) => ({ io: { env } }) as any;

  it('a custom variable: named, and mapped to CLOUDFLARE_API_TOKEN', () => {
    expect(checkDnsToken(ctx({ SHOP_CF_TOKEN: 't' }), config('SHOP_CF_TOKEN'))).toEqual({
      check: 'DNS provider',
      status: 'ok',
      detail: 'cloudflare, token in SHOP_CF_TOKEN, passed to the Cloudflare provider as CLOUDFLARE_API_TOKEN by plan/deploy/destroy',
    });
  });

  it('missing: a failure with the export to run', () => {
    expect(checkDnsToken(ctx({}), config('SHOP_CF_TOKEN'))).toMatchObject({
      status: 'fail',
      detail: 'cloudflare: SHOP_CF_TOKEN is not set',
    });
  });
});
