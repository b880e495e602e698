/**
 * Points EVERY aws provider configuration of a root module at moto, by writing
 * `zz_moto_override.tf.json` (Terraform merges `*_override.tf.json` into the blocks it names:
 * https://developer.hashicorp.com/terraform/language/files/override), and redirects a declared
 * backend to a state file in the work dir.
 */
import * as fs from 'fs';
import * as path from 'path';
import { E2E_REGION, FAKE_CREDENTIALS } from './aws-client';
import type { AwsProviderConfig, ConfigScan } from './config-scan';

/**
 * Endpoint names (the provider's `endpoints` block) redirected to moto: every service the stack may
 * use. Canonical names only: setting a name and its alias (e.g. elbv2 and elasticloadbalancingv2)
 * makes the provider warn "Only one of the following attributes should be set". Names checked
 * against `terraform providers schema -json` of hashicorp/aws 5.100.0 (303 endpoint attributes).
 */
export const MOTO_ENDPOINT_SERVICES: readonly string[] = [
  'acm',
  'apigateway',
  'apigatewayv2',
  'appautoscaling',
  'autoscaling',
  'cloudformation',
  'cloudfront',
  'cloudwatch',
  'dynamodb',
  'ec2',
  'ecr',
  'ecs',
  'efs',
  'elasticache',
  'elb',
  'elbv2',
  'events',
  'firehose',
  'iam',
  'kinesis',
  'kms',
  'lambda',
  'logs',
  'rds',
  'resourcegroupstaggingapi',
  'route53',
  's3',
  'scheduler',
  'secretsmanager',
  'servicediscovery',
  'ses',
  'sesv2',
  'sfn',
  'sns',
  'sqs',
  'ssm',
  'sts',
  'wafv2',
  'xray',
];

/**
 * HTTPS proxy given to the provider: a closed local port. moto is plain http, so it is not
 * affected; a call to a service missing from the list above would otherwise go to the real
 * `https://<service>.<region>.amazonaws.com`: it fails at once instead ("proxyconnect ... refused").
 */
export const BLACKHOLE_HTTPS_PROXY = 'http://127.0.0.1:9';

/** Options of {@link providerSettings}. */
export interface ProviderSettingsOptions {
  readonly endpoint: string;
  /**
   * Ask moto's STS for the account id. With `skip_requesting_account_id = true` the provider
   * does not know its account, builds ARNs with an empty account, and reads
   * `referenced_security_group_id` back as `<account>/sg-...` (it prefixes the owner whenever it
   * differs from its own account: internal/service/ec2 flattenReferencedSecurityGroup).
   * @default true
   */
  readonly requestAccountId?: boolean;
  /**
   * Provider retries per call: low, so an unimplemented call fails fast instead of hanging.
   * @default 2
   */
  readonly maxRetries?: number;
}

/** The provider arguments the harness sets on one aws provider configuration. */
export function providerSettings(config: AwsProviderConfig, options: ProviderSettingsOptions): Record<string, unknown> {
  const endpoints = Object.fromEntries(MOTO_ENDPOINT_SERVICES.map((s) => [s, options.endpoint]));
  return {
    ...(config.alias ? { alias: config.alias } : {}),
    // The default configuration goes to us-east-1; an alias keeps its own literal region.
    region: config.alias && config.region ? config.region : E2E_REGION,
    access_key: FAKE_CREDENTIALS.accessKeyId,
    secret_key: FAKE_CREDENTIALS.secretAccessKey,
    token: null,
    profile: null,
    shared_config_files: null,
    shared_credentials_files: null,
    skip_credentials_validation: true,
    skip_metadata_api_check: true,
    skip_region_validation: true,
    skip_requesting_account_id: !(options.requestAccountId ?? true),
    s3_use_path_style: true,
    max_retries: options.maxRetries ?? 2,
    https_proxy: BLACKHOLE_HTTPS_PROXY,
    endpoints: [endpoints],
  };
}

/** The files {@link writeMotoOverride} wrote. */
export interface MotoOverrideFiles {
  /** `zz_moto_override.tf.json`, if the config declares any provider "aws" block or a backend. */
  readonly overrideFile?: string;
  /** `zz_moto_provider.tf.json`: the default configuration, when the config declares none. */
  readonly defaultProviderFile?: string;
  /** The aws provider configurations redirected: "aws" and "aws.<alias>". */
  readonly redirected: readonly string[];
}

/** Write the override (and, if needed, a default provider) into `configDir`. */
export function writeMotoOverride(
  configDir: string,
  scan: ConfigScan,
  options: ProviderSettingsOptions & { readonly statePath: string },
): MotoOverrideFiles {
  const aliases = new Map<string, AwsProviderConfig>();
  let hasDefault = false;
  for (const p of scan.awsProviders) {
    if (p.alias) aliases.set(p.alias, p);
    else hasDefault = true;
  }
  const overrides: Record<string, unknown>[] = [];
  if (hasDefault) overrides.push(providerSettings({}, options));
  for (const p of aliases.values()) overrides.push(providerSettings(p, options));

  const doc: Record<string, unknown> = {};
  if (overrides.length > 0) doc.provider = { aws: overrides };
  // An override's backend replaces the declared one: state stays in the work dir, never remote.
  if (scan.backend) doc.terraform = { backend: { local: { path: options.statePath } } };

  const result: { overrideFile?: string; defaultProviderFile?: string; redirected: string[] } = {
    redirected: [...(hasDefault ? ['aws'] : []), ...[...aliases.keys()].map((a) => `aws.${a}`)],
  };
  if (Object.keys(doc).length > 0) {
    result.overrideFile = path.join(configDir, 'zz_moto_override.tf.json');
    fs.writeFileSync(result.overrideFile, `${JSON.stringify(doc, null, 2)}\n`);
  }
  if (!hasDefault) {
    // An implicit default configuration cannot be overridden (there is no block to merge into).
    result.defaultProviderFile = path.join(configDir, 'zz_moto_provider.tf.json');
    fs.writeFileSync(result.defaultProviderFile, `${JSON.stringify({ provider: { aws: [providerSettings({}, options)] } }, null, 2)}\n`);
    result.redirected.unshift('aws');
  }
  return result;
}
