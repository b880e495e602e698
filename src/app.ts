import * as fs from 'fs';
import * as path from 'path';
import { App, CloudBackend, LocalBackend, NamedCloudWorkspace, S3Backend, type TerraformStack } from 'cdktn';
import { AwsProvider } from '@cdktn/provider-aws/lib/provider';
import { ConfigError, resolveConfig, type BackplaneConfig, type BackplaneConfigInput } from './config';
import { parseSnapshot } from './edge/distribution-snapshot';
import { distributionFindings, stackLimitFindings, type StackJson } from './limits';
import { NamedStack } from './constructs/naming';
import { AWS_PROVIDER_CONSTRAINT } from './modules/versions';
import { FullstackBackend } from './presets/fullstack';

export interface SynthOptions {
  /** Output directory (cdktn's convention: cdktf.out). */
  readonly outdir?: string;
  /** Directory of the config file, for relative paths in it. */
  readonly configDir?: string;
  /** Config file name, for error messages. */
  readonly configFile?: string;
  /** Skip cdktn's check for a terraform binary (tests, offline synth). @default true */
  readonly skipValidation?: boolean;
}

export interface BackplaneApp {
  readonly app: App;
  readonly stack: TerraformStack;
  readonly backend: FullstackBackend;
  readonly config: BackplaneConfig;
  readonly stackName: string;
}

/** The S3 state key: the configured one, else one per app and stage (two stacks in one bucket never collide). */
export function stateKey(config: BackplaneConfig): string {
  return config.state.backend === 's3' && config.state.key ? config.state.key : `${config.name}/${config.stage}/terraform.tfstate`;
}

function configureState(stack: TerraformStack, config: BackplaneConfig, stackName: string, outdir: string): void {
  const st = config.state;
  if (st.backend === 's3') {
    // Native S3 locking (Terraform >= 1.10): no DynamoDB table.
    new S3Backend(stack, { bucket: st.bucket, key: stateKey(config), region: st.region, encrypt: true });
    stack.addOverride('terraform.backend.s3.use_lockfile', true);
  } else if (st.backend === 'cloud') {
    new CloudBackend(stack, { organization: st.organization, workspaces: new NamedCloudWorkspace(st.workspace) });
  } else {
    new LocalBackend(stack, { path: path.resolve(outdir, '..', `terraform.${stackName}.tfstate`) });
  }
}

/** Builds the cdktn app for a config (validated first: a bad config throws a ConfigError before any synthesis). */
export function buildApp(input: BackplaneConfigInput, options: SynthOptions = {}): BackplaneApp {
  const config = resolveConfig(input, options.configFile);
  const outdir = options.outdir ?? 'cdktf.out';
  const app = new App({ outdir, skipValidation: options.skipValidation ?? true });
  const stackName = `${config.name}-${config.stage}`;
  const stack = new NamedStack(app, stackName);
  new AwsProvider(stack, 'aws', {
    region: config.region,
    defaultTags: [{ tags: { 'backplane:app': config.name, 'backplane:stage': config.stage, ...config.tags } }],
  });
  // The bindings pin the provider version they were generated from; accept both provider majors.
  stack.addOverride('terraform.required_providers.aws.version', AWS_PROVIDER_CONSTRAINT);
  configureState(stack, config, stackName, outdir);
  const backend = new FullstackBackend(stack, 'backplane', config, { configDir: options.configDir ?? process.cwd() });
  return { app, stack, backend, config, stackName };
}

export interface SynthResult {
  readonly stackName: string;
  /** The synthesized stack directory (cdk.tf.json inside). */
  readonly stackDir: string;
  readonly resources: Record<string, number>;
  readonly config: BackplaneConfig;
}

/** Counts resources by type in a synthesized `cdk.tf.json`. */
export function countResources(stackJson: { resource?: Record<string, Record<string, unknown>> }): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const [type, byName] of Object.entries(stackJson.resource ?? {})) counts[type] = Object.keys(byName).length;
  return counts;
}

/** Where a config's stack is synthesized, from the raw input (known even when the config is invalid). */
function stackDirOf(input: BackplaneConfigInput, outdir: string): string | undefined {
  const raw = input as { name?: unknown; stage?: unknown } | undefined;
  const stage = raw?.stage ?? 'dev';
  if (typeof raw?.name !== 'string' || typeof stage !== 'string' || !/^[a-z0-9-]+$/.test(`${raw.name}${stage}`)) return undefined;
  return path.join(outdir, 'stacks', `${raw.name}-${stage}`);
}

/**
 * Synthesizes the config's stack. A synth that fails for any reason removes that stack's directory, so a
 * `terraform apply` run after it can never pick up an older stack the user believes replaced.
 */
export function synthesize(input: BackplaneConfigInput, options: SynthOptions = {}): SynthResult {
  const outdir = options.outdir ?? 'cdktf.out';
  try {
    return synthesizeStack(input, options);
  } catch (err) {
    const stale = stackDirOf(input, outdir);
    if (stale) fs.rmSync(stale, { recursive: true, force: true });
    throw err;
  }
}

function synthesizeStack(input: BackplaneConfigInput, options: SynthOptions): SynthResult {
  const built = buildApp(input, options);
  built.app.synth();
  const stackDir = path.join(options.outdir ?? 'cdktf.out', 'stacks', built.stackName);
  const json = JSON.parse(fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8')) as StackJson;
  assertWithinLimits(json, built.config, options);
  return { stackName: built.stackName, stackDir, resources: countResources(json), config: built.config };
}

/**
 * The AWS limits the emulator does not enforce (src/limits), before any cloud call (synthesize() then removes the
 * refused stack).
 */
function assertWithinLimits(json: StackJson, config: BackplaneConfig, options: SynthOptions): void {
  const findings = stackLimitFindings(json);
  const edge = config.edge;
  if (edge.mode === 'attach' && !edge.detach && !edge.release) {
    const file = path.resolve(options.configDir ?? process.cwd(), edge.snapshotFile);
    findings.push(...distributionFindings(parseSnapshot(fs.readFileSync(file, 'utf8'), `edge.snapshotFile (${file})`), edge.snapshotFile));
  }
  if (findings.length === 0) return;
  const where = options.configFile ?? 'backplane.config.ts';
  throw new ConfigError(
    `${where}: the stack would break ${findings.length} AWS limit${findings.length === 1 ? '' : 's'} (nothing was written or deployed):\n  - ${findings.join('\n  - ')}`,
  );
}
