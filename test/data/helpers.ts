/**
 * Synthesis helpers for the data-tier tests: a stack wired the way the preset wires a tier (network, the tier,
 * the API service taking the tier's environment and secrets, then `allow()` for each consumer), and a stack with
 * one construct alone.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Construct } from 'constructs';
import { AwsProvider } from '@cdktn/provider-aws/lib/provider';
import { App, LocalBackend, TerraformOutput, Testing } from 'cdktn';
import { isProtected, resolveConfig, type BackplaneConfigInput } from '../../src/config';
import { Service } from '../../src/constructs/ecs-service';
import { AwsContext } from '../../src/constructs/iam';
import { NamedStack } from '../../src/constructs/naming';
import { Network } from '../../src/constructs/network';
import { AWS_PROVIDER_CONSTRAINT } from '../../src/modules/hcl';
import { dataTier, dataTierOutputs, type DataTier } from '../../src/presets/data-tier';

export type TfJson = {
  resource: Record<string, Record<string, any>>;
  data?: Record<string, Record<string, any>>;
  ephemeral?: Record<string, Record<string, any>>;
  output?: Record<string, any>;
  terraform: any;
};

/** A minimal valid config; `extra` sections are merged over it. */
export function baseConfig(extra: Record<string, unknown> = {}): BackplaneConfigInput {
  return {
    name: 'shop',
    stage: 'dev',
    domain: 'example.com',
    // Protected stages take images pinned by digest only (src/config/policy.ts).
    service: {
      image: `public.ecr.aws/acme/api${extra.stage === 'prod' ? `@sha256:${'0123456789abcdef'.repeat(4)}` : ':1.0.0'}`,
      scaling: { min: 1, max: 4 },
    },
    edge: { mode: 'subdomain', subdomain: 'api' },
    // Protected stages keep their state in S3 (src/config/policy.ts).
    ...(extra.stage === 'prod' ? { state: { backend: 's3', bucket: 'shop-tfstate' } } : {}),
    ...extra,
  } as BackplaneConfigInput;
}

/** Every synthesis of a test file goes under one temp dir, removed after the file's tests (helpers.ts is imported at
 * the top of each test file, so the hook belongs to that file). */
const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'data-tier-'));
afterAll(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));
const tempDir = () => fs.mkdtempSync(path.join(tmpRoot, 'stack-'));

function newStack(name: string): { app: App; stack: NamedStack; outdir: string } {
  const outdir = tempDir();
  const app = new App({ outdir, skipValidation: true });
  const stack = new NamedStack(app, name);
  new AwsProvider(stack, 'aws', { region: 'us-east-1' });
  stack.addOverride('terraform.required_providers.aws.version', AWS_PROVIDER_CONSTRAINT);
  // As src/app.ts does, the preset's construct is `backplane`.
  new LocalBackend(stack, { path: path.join(outdir, `${name}.tfstate`) });
  return { app, stack, outdir };
}

function read(app: App, outdir: string, name: string): TfJson & { dir: string } {
  app.synth();
  const dir = path.join(outdir, 'stacks', name);
  return { ...JSON.parse(fs.readFileSync(path.join(dir, 'cdk.tf.json'), 'utf8')), dir };
}

export interface TierStack {
  readonly json: TfJson & { dir: string };
  readonly tier: DataTier;
  readonly service: Service;
}

/** Resolves the config, builds network + data tier + API service as the preset does, and synthesizes. */
export function synthTier(input: BackplaneConfigInput, consumers: { label: string }[] = []): TierStack {
  const config = resolveConfig(input);
  const name = `${config.name}-${config.stage}`;
  const { app, stack, outdir } = newStack(name);
  const root = new Construct(stack, 'backplane');
  const network = new Network(root, 'network', {
    name,
    cidr: config.network.cidr,
    azCount: config.network.azCount,
    natMode: config.network.nat,
    tags: {},
  });
  const aws = new AwsContext(root, 'aws');
  const tier = dataTier({ scope: root, config, prefix: name, tags: { ...config.tags }, protect: isProtected(config), network, aws });
  const service = new Service(root, 'service', {
    name,
    image: config.service.image ?? 'public.ecr.aws/acme/api:1.0.0',
    environment: { APP_STAGE: config.stage, ...(tier.environment ?? {}) },
    secrets: { ...(tier.secrets ?? {}) },
    migrateCommand: ['bun', 'run', 'src/migrate.ts'],
    migrateEnvironment: tier.migrationEnvironment ?? {},
    migrateSecrets: tier.migrationSecrets ?? {},
    vpcId: network.vpc.id,
    subnetIds: network.appSubnetIds,
    assignPublicIp: network.assignPublicIp,
    maxCount: config.service.scaling.max,
    tags: {},
  });
  tier.allow?.({ label: 'api', securityGroupId: service.securityGroup.id, role: service.taskRole });
  for (const c of consumers) {
    const slug = c.label.toLowerCase().replace(/[^a-z0-9]+/g, '-');
    const worker = new Service(root, `worker_${slug.replace(/-/g, '_')}`, {
      name: `${name}-${slug}`.slice(0, 32),
      image: 'public.ecr.aws/acme/api:1.0.0',
      vpcId: network.vpc.id,
      subnetIds: network.appSubnetIds,
      tags: {},
    });
    tier.allow?.({ label: c.label, securityGroupId: worker.securityGroup.id, role: worker.taskRole });
  }
  for (const [key, o] of Object.entries(dataTierOutputs(tier)))
    new TerraformOutput(stack, key, { value: o.value, description: o.description }).overrideLogicalId(key);
  // The tier's contract with the app, resolved, for assertions.
  new TerraformOutput(stack, 'tier_environment', { value: tier.environment ?? {} }).overrideLogicalId('tier_environment');
  new TerraformOutput(stack, 'tier_secrets', { value: tier.secrets ?? {} }).overrideLogicalId('tier_secrets');
  new TerraformOutput(stack, 'tier_lambda_environment', { value: tier.lambdaEnvironment }).overrideLogicalId('tier_lambda_environment');
  return { json: read(app, outdir, name), tier, service };
}

/** Synthesizes a stack holding whatever `build` adds. */
export function synthWith(build: (scope: Construct) => void): TfJson & { dir: string } {
  const { app, stack, outdir } = newStack('unit');
  build(stack);
  return read(app, outdir, 'unit');
}

export function only(json: TfJson, type: string): any {
  const all = Object.values(json.resource[type] ?? {});
  if (all.length !== 1) throw new Error(`expected exactly one ${type}, found ${all.length}`);
  return all[0];
}

export function all(json: TfJson, type: string): any[] {
  return Object.values(json.resource[type] ?? {});
}

/** The API task definition's container definitions as text (cdktn renders jsonencode as HCL). */
export const containerText = (json: TfJson) =>
  JSON.stringify(json.resource.aws_ecs_task_definition.service_task_definition.container_definitions);

/** The whole synthesized document as text, for "never appears anywhere" assertions. */
export const everything = (json: TfJson) => JSON.stringify(json);

export { Testing };
