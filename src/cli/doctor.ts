/**
 * The checks `backplane doctor` runs: each says what it found and, when something is wrong, how to fix it.
 */
import * as fs from 'fs';
import * as path from 'path';
import { GetDistributionConfigCommand } from '@aws-sdk/client-cloudfront';
import { GetBucketEncryptionCommand, GetBucketVersioningCommand, HeadBucketCommand } from '@aws-sdk/client-s3';
import type { BackplaneConfig } from '../config';
import { parseSnapshot } from '../edge/distribution-snapshot';
import { maskKey } from './aws';
import type { Context } from './command';
import { isConfigError, isCredentialsError } from './errors';
import { isNotFound } from './runner';
import { hasTerraformCloudToken, terraformBinary, terraformEnv } from './terraform';

export type CheckStatus = 'ok' | 'warn' | 'fail' | 'skip';

export interface CheckResult {
  readonly check: string;
  readonly status: CheckStatus;
  readonly detail: string;
  /** How to fix it (warn/fail). */
  readonly fix?: string;
}

export const MIN_NODE = '20.19.0';
/** Write-only attributes and ephemeral resources (generated secrets that never reach state) need Terraform 1.11. */
export const MIN_TERRAFORM = '1.11.0';
/** A snapshot older than this is worth refreshing. */
export const SNAPSHOT_STALE_DAYS = 30;

export function versionAtLeast(actual: string, minimum: string): boolean {
  const a = actual
    .replace(/^v/, '')
    .split(/[.-]/)
    .map((x) => Number.parseInt(x, 10) || 0);
  const m = minimum.split('.').map(Number);
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== m[i]) return (a[i] ?? 0) > m[i];
  return true;
}

/** The AWS SDK for JavaScript v3 requires Node 22 in releases after the first week of January 2027 (its own notice). */
export const SDK_NODE_MAJOR = 22;

export function checkNode(version = process.versions.node): CheckResult {
  if (versionAtLeast(version, MIN_NODE) && !versionAtLeast(version, `${SDK_NODE_MAJOR}.0.0`)) {
    return {
      check: 'Node.js',
      status: 'warn',
      detail: `${version} works; AWS SDK releases after January 2027 need Node ${SDK_NODE_MAJOR}+`,
      fix: `install Node.js ${SDK_NODE_MAJOR} or newer before then (nvm install ${SDK_NODE_MAJOR})`,
    };
  }
  return versionAtLeast(version, MIN_NODE)
    ? { check: 'Node.js', status: 'ok', detail: `${version} (>= ${MIN_NODE})` }
    : {
        check: 'Node.js',
        status: 'fail',
        detail: `${version} is older than ${MIN_NODE}`,
        fix: `install Node.js ${MIN_NODE} or newer (https://nodejs.org, or nvm install 22)`,
      };
}

export async function checkTerraform(ctx: Context): Promise<CheckResult[]> {
  const bin = terraformBinary(ctx.io.env);
  const out: CheckResult[] = [];
  const cfg = ctx.io.env.TF_CLI_CONFIG_FILE;
  if (cfg && !fs.existsSync(cfg)) {
    out.push({
      check: 'TF_CLI_CONFIG_FILE',
      status: 'warn',
      detail: `points at ${cfg}, which does not exist (terraform warns on every command; backplane ignores it)`,
      fix: 'unset TF_CLI_CONFIG_FILE, or create the file',
    });
  }
  try {
    const r = await ctx.deps.runner(bin, ['version', '-json'], { env: terraformEnv(ctx.io.env) });
    let version: string | undefined;
    try {
      version = JSON.parse(r.stdout).terraform_version;
    } catch {
      version = /v(\d+\.\d+\.\d+)/.exec(r.stdout)?.[1];
    }
    if (r.exitCode !== 0 || !version)
      out.push({ check: bin, status: 'fail', detail: `\`${bin} version\` failed`, fix: `reinstall ${bin}` });
    else if (bin === 'terraform' && !versionAtLeast(version, MIN_TERRAFORM))
      out.push({
        check: bin,
        status: 'fail',
        detail: `${version} is older than ${MIN_TERRAFORM} (write-only secrets need it)`,
        fix: `install Terraform ${MIN_TERRAFORM}+ (https://developer.hashicorp.com/terraform/install)`,
      });
    else out.push({ check: bin, status: 'ok', detail: version });
  } catch (err) {
    if (!isNotFound(err)) throw err;
    out.push({
      check: bin,
      status: 'fail',
      detail: 'not found on PATH',
      fix:
        bin === 'tofu'
          ? 'install OpenTofu (https://opentofu.org/docs/intro/install/)'
          : `install Terraform ${MIN_TERRAFORM}+ (https://developer.hashicorp.com/terraform/install) or set TERRAFORM_BINARY_NAME=tofu`,
    });
  }
  return out;
}

export async function checkCredentials(ctx: Context, region: string): Promise<CheckResult> {
  try {
    const c = await ctx.deps.aws.credentials(region);
    return {
      check: 'AWS credentials',
      status: 'ok',
      detail: `access key ${maskKey(c.accessKeyId)}${ctx.io.env.AWS_PROFILE ? ` (profile ${ctx.io.env.AWS_PROFILE})` : ''}`,
    };
  } catch (err) {
    return {
      check: 'AWS credentials',
      status: 'fail',
      detail: isCredentialsError(err) ? 'none found' : (err as Error).message.split('\n')[0],
      fix: 'set AWS_PROFILE (after `aws sso login`) or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY',
    };
  }
}

export async function checkDocker(ctx: Context): Promise<CheckResult[]> {
  const fix = 'install Docker (https://docs.docker.com/get-docker/); only `backplane image push` needs it';
  try {
    const v = await ctx.deps.runner('docker', ['version', '--format', '{{.Server.Version}}'], { env: ctx.io.env });
    if (v.exitCode !== 0)
      return [
        {
          check: 'Docker',
          status: 'warn',
          detail: 'the CLI is installed but the daemon is not reachable',
          fix: 'start Docker Desktop or the docker service',
        },
      ];
    const b = await ctx.deps.runner('docker', ['buildx', 'version'], { env: ctx.io.env });
    if (b.exitCode !== 0)
      return [
        {
          check: 'Docker',
          status: 'warn',
          detail: `engine ${v.stdout.trim()}, but no buildx plugin`,
          fix: 'install the docker buildx plugin (multi-platform builds)',
        },
      ];
    return [{ check: 'Docker', status: 'ok', detail: `engine ${v.stdout.trim()}, ${b.stdout.trim().split('\n')[0]}` }];
  } catch (err) {
    if (!isNotFound(err)) throw err;
    return [{ check: 'Docker', status: 'warn', detail: 'not found on PATH', fix }];
  }
}

export function checkDnsToken(ctx: Context, config: BackplaneConfig): CheckResult {
  const dns = config.dns;
  if (dns.provider === 'cloudflare') {
    return ctx.io.env[dns.apiTokenEnv]
      ? {
          check: 'DNS provider',
          status: 'ok',
          detail:
            dns.apiTokenEnv === 'CLOUDFLARE_API_TOKEN'
              ? 'cloudflare, token in CLOUDFLARE_API_TOKEN (what the Cloudflare provider reads)'
              : `cloudflare, token in ${dns.apiTokenEnv}, passed to the Cloudflare provider as CLOUDFLARE_API_TOKEN by plan/deploy/destroy`,
        }
      : {
          check: 'DNS provider',
          status: 'fail',
          detail: `cloudflare: ${dns.apiTokenEnv} is not set`,
          fix: `export ${dns.apiTokenEnv}=<a Cloudflare API token with Zone:DNS:Edit on the zone>`,
        };
  }
  if (dns.provider === 'route53')
    return { check: 'DNS provider', status: 'ok', detail: `route53 zone ${dns.zoneId} (uses the AWS credentials)` };
  return { check: 'DNS provider', status: 'ok', detail: 'manual: deploy prints the records to create at your DNS host' };
}

export async function checkSnapshot(ctx: Context, config: BackplaneConfig, dir: string, credentialsOk: boolean): Promise<CheckResult> {
  if (config.edge.mode !== 'attach')
    return { check: 'CloudFront snapshot', status: 'skip', detail: 'edge.mode "subdomain": no distribution to attach to' };
  const file = path.resolve(dir, config.edge.snapshotFile);
  const shown = path.relative(ctx.io.cwd, file) || file;
  const fix = `backplane cloudfront snapshot --id ${config.edge.distributionId} --out ${shown}`;
  if (!fs.existsSync(file)) return { check: 'CloudFront snapshot', status: 'fail', detail: `${shown} does not exist`, fix };
  let snapshot;
  try {
    snapshot = parseSnapshot(fs.readFileSync(file, 'utf8'), shown);
  } catch (err) {
    return { check: 'CloudFront snapshot', status: 'fail', detail: (err as Error).message.split(';')[0], fix };
  }
  const age = snapshot.snapshotAt ? Math.floor((ctx.deps.now().getTime() - Date.parse(snapshot.snapshotAt)) / 86_400_000) : undefined;
  const ageText = age === undefined ? 'no snapshot date' : `${age} day${age === 1 ? '' : 's'} old`;
  if (credentialsOk) {
    try {
      const live = await ctx.deps.aws.cloudfront().send(new GetDistributionConfigCommand({ Id: config.edge.distributionId }));
      if (live.ETag !== snapshot.ETag) {
        return {
          check: 'CloudFront snapshot',
          status: 'warn',
          detail: `${shown} (${ageText}): the live distribution's ETag ${live.ETag} differs from the snapshot's ${snapshot.ETag}; expected after a Backplane deploy, otherwise someone changed it`,
          fix: `if Backplane has not deployed since the snapshot: ${fix}`,
        };
      }
      return {
        check: 'CloudFront snapshot',
        status: 'ok',
        detail: `${shown} matches the live distribution (ETag ${snapshot.ETag}, ${ageText})`,
      };
    } catch (err) {
      const e = err as Error;
      return {
        check: 'CloudFront snapshot',
        status: 'warn',
        detail: `${shown} (${ageText}); could not read distribution ${config.edge.distributionId}: ${e.name === 'NoSuchDistribution' ? 'it does not exist in this account' : e.message.split('\n')[0]}`,
        fix: 'check edge.distributionId and the credentials (cloudfront:GetDistributionConfig)',
      };
    }
  }
  if (age !== undefined && age > SNAPSHOT_STALE_DAYS)
    return { check: 'CloudFront snapshot', status: 'warn', detail: `${shown} is ${ageText}`, fix };
  return {
    check: 'CloudFront snapshot',
    status: 'ok',
    detail: `${shown} (${ageText}; not compared with the live distribution: no credentials)`,
  };
}

export async function checkState(ctx: Context, config: BackplaneConfig, credentialsOk: boolean): Promise<CheckResult> {
  const st = config.state;
  if (st.backend === 'local') {
    return {
      check: 'Terraform state',
      status: 'warn',
      detail: 'local file: fine for experiments, lost with the machine',
      fix: 'for real deployments: backplane init --backend s3 (or state.backend "cloud"); see docs/state.md',
    };
  }
  if (st.backend === 'cloud') {
    return hasTerraformCloudToken(ctx.io.env)
      ? { check: 'Terraform state', status: 'ok', detail: `HCP Terraform ${st.organization}/${st.workspace}` }
      : {
          check: 'Terraform state',
          status: 'fail',
          detail: `HCP Terraform ${st.organization}/${st.workspace}: no token`,
          fix: 'terraform login (or set TF_TOKEN_app_terraform_io)',
        };
  }
  if (!credentialsOk) return { check: 'Terraform state', status: 'skip', detail: `s3://${st.bucket} (not checked: no AWS credentials)` };
  const s3 = ctx.deps.aws.s3(st.region);
  try {
    await s3.send(new HeadBucketCommand({ Bucket: st.bucket }));
    const v = await s3.send(new GetBucketVersioningCommand({ Bucket: st.bucket }));
    const e = await s3.send(new GetBucketEncryptionCommand({ Bucket: st.bucket })).catch(() => undefined);
    const sse = e?.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm;
    if (v.Status !== 'Enabled')
      return {
        check: 'Terraform state',
        status: 'fail',
        detail: `s3://${st.bucket}: versioning is ${v.Status ?? 'off'} (a bad apply could overwrite the only copy)`,
        fix: `backplane init --backend s3 --bucket ${st.bucket} (applies the settings to an existing bucket)`,
      };
    return {
      check: 'Terraform state',
      status: 'ok',
      detail: `s3://${st.bucket}/${st.key ?? `${config.name}/${config.stage}/terraform.tfstate`}: versioned, ${sse ?? 'default'} encryption, lockfile locking`,
    };
  } catch (err) {
    const e = err as Error & { $metadata?: { httpStatusCode?: number } };
    const missing = e.name === 'NotFound' || e.$metadata?.httpStatusCode === 404;
    return {
      check: 'Terraform state',
      status: 'fail',
      detail: `s3://${st.bucket}: ${missing ? 'bucket not found' : e.message.split('\n')[0] || e.name}`,
      fix: `backplane init --backend s3 --bucket ${st.bucket}`,
    };
  } finally {
    s3.destroy();
  }
}

export { isConfigError };
