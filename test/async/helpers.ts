/** Synthesizes the async tier around a real API Service and Network, as the fullstack preset composes them. */
import { AwsProvider } from '@cdktn/provider-aws/lib/provider';
import { App, TerraformOutput } from 'cdktn';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { resolveConfig, type BackplaneConfig } from '../../src/config';
import { Service } from '../../src/constructs/ecs-service';
import { AwsContext } from '../../src/constructs/iam';
import { NamedStack } from '../../src/constructs/naming';
import { Network } from '../../src/constructs/network';
import { asyncTier, type AsyncTier } from '../../src/presets/async-tier';
import type { Consumer, SharedServiceSettings } from '../../src/presets/tier';

export const FIXTURES = path.join(__dirname, 'fixtures');
/** Compiled Bun Lambdas are cached here across test runs (content-addressed). */
export const PACKAGE_CACHE = path.join(os.tmpdir(), 'backplane-async-test-bun-lambda');

export type Json = {
  resource: Record<string, Record<string, any>>;
  data?: Record<string, Record<string, any>>;
  output?: Record<string, any>;
};

export interface Synthesized {
  readonly json: Json;
  /** The synthesized stack directory (cdk.tf.json and assets); removed unless `keep` was set. */
  readonly stackDir: string;
  readonly config: BackplaneConfig;
  readonly tier: AsyncTier;
  readonly consumers: Consumer[];
}

/** A minimal valid config plus `extra` sections. */
export function configWith(extra: Record<string, unknown> = {}): Record<string, unknown> {
  // Protected stages take images pinned by digest only (src/config/policy.ts).
  const service = extra.stage === 'prod' ? { imageDigest: `sha256:${'0123456789abcdef'.repeat(4)}` } : { imageTag: 'v1' };
  const state = extra.stage === 'prod' ? { state: { backend: 's3', bucket: 'shop-tfstate' } } : {};
  return { name: 'shop', domain: 'example.com', edge: { mode: 'subdomain' }, service, ...state, ...extra };
}

/** Builds network + tier + API service + attach + allow into a NamedStack, synthesizes, and parses cdk.tf.json. */
export interface SynthTierOptions {
  /** Keep the synthesized directory (for applying it). @default false */
  readonly keep?: boolean;
  /** Where handler paths resolve from. @default test/async/fixtures */
  readonly configDir?: string;
  /** Bun Lambda build cache. @default a cache under the OS temp dir */
  readonly packageOutDir?: string;
}

export function synthTier(input: Record<string, unknown>, options: SynthTierOptions = {}): Synthesized {
  const config = resolveConfig(input);
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'async-tier-'));
  const app = new App({ outdir, skipValidation: true });
  const stack = new NamedStack(app, 'test');
  new AwsProvider(stack, 'aws', { region: 'us-east-1' });
  stack.addOverride('terraform.required_providers.aws.version', '>= 5.100, < 7');
  const prefix = `${config.name}-${config.stage}`;
  const protect = config.stage === 'prod';
  const network = new Network(stack, 'network', { name: prefix, natMode: config.network.nat, tags: {} });
  const aws = new AwsContext(stack, 'context');
  const tier = asyncTier(
    { scope: stack, config, prefix, tags: { app: 'shop' }, protect, network, aws },
    { configDir: options.configDir ?? FIXTURES, packageOutDir: options.packageOutDir ?? PACKAGE_CACHE },
  );

  const environment = { APP_STAGE: config.stage, ...config.service.environment, ...tier.environment };
  const secrets = { ...config.service.secrets, ...tier.secrets };
  const image = '123456789012.dkr.ecr.us-east-1.amazonaws.com/shop:v1';
  const shared: SharedServiceSettings = {
    image,
    ecrRepositoryArn: null,
    environment,
    secrets,
    migrationEnvironment: environment,
    migrationSecrets: secrets,
    vpcId: network.vpc.id,
    subnetIds: network.appSubnetIds,
    assignPublicIp: network.assignPublicIp,
  };
  const api = new Service(stack, 'service', {
    name: prefix,
    image,
    environment,
    secrets,
    migrateCommand: config.service.migrateCommand ?? [],
    vpcId: shared.vpcId,
    subnetIds: shared.subnetIds,
    assignPublicIp: shared.assignPublicIp,
  });
  const consumers: Consumer[] = [
    { label: 'api', securityGroupId: api.securityGroup.id, role: api.taskRole },
    ...(tier.attach?.(api, shared) ?? []),
  ];
  for (const c of consumers) tier.allow?.(c);
  // What the preset outputs and the e2e assertions read.
  new TerraformOutput(stack, 'output_task_definition_arn', { value: api.taskDefinition.arn }).overrideLogicalId('task_definition_arn');
  app.synth();
  const stackDir = path.join(outdir, 'stacks', 'test');
  const json = JSON.parse(fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8')) as Json;
  if (!options.keep) fs.rmSync(outdir, { recursive: true, force: true });
  return { json, stackDir, config, tier, consumers };
}

export function named(json: Json, type: string, name: string): any {
  const r = json.resource[type]?.[name];
  if (!r) throw new Error(`no ${type}.${name}; have: ${Object.keys(json.resource[type] ?? {}).join(', ')}`);
  return r;
}

export const names = (json: Json, type: string) => Object.keys(json.resource[type] ?? {});

/**
 * `${jsonencode({...})}` as cdktn writes it (HCL object syntax, bare references) read back as an object, with
 * each bare reference turned into a `${...}` string.
 */
export function decode(expr: unknown): any {
  const m = /^\$\{jsonencode\(([\s\S]*)\)\}$/.exec(String(expr));
  if (!m) throw new Error(`not a jsonencode expression: ${String(expr)}`);
  const json = m[1]
    .replace(/([=[,:] ?)((?:data\.)?aws_[\w.-]+(?:\[\d+\])?(?:\.[\w-]+)*)(?=[,}\]\s])/g, '$1"${$2}"')
    .replace(/" = /g, '": ');
  return JSON.parse(json);
}
