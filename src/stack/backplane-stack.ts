/**
 * `BackplaneStack`: the whole backend of one config as a cdktn stack, for your own cdktn app (`new App()`), next to
 * your own resources. It does what `backplane synth` does with no hidden context: readable resource names
 * (NamedStack), the aws provider in the config's region with its tags on every resource, the provider constraint
 * every module uses (>= 5.100, < 7, not the exact version the bindings were generated from), the Terraform versions
 * the stack needs (ephemeral resources and write-only arguments: Terraform >= 1.11), and the config's state backend.
 */
import * as path from 'path';
import { CloudBackend, LocalBackend, NamedCloudWorkspace, S3Backend } from 'cdktn';
import type { Construct } from 'constructs';
import { AwsProvider } from '@cdktn/provider-aws/lib/provider';
import { resolveConfig, type BackplaneConfig, type BackplaneConfigInput } from '../config';
import { NamedStack, assertCdktnTree } from '../constructs/naming';

export { assertCdktnTree };
import { AWS_PROVIDER_CONSTRAINT } from '../modules/versions';
import { builtImageDigest } from '../config/image-lock';
import { previewOf } from '../config/preview-plan';
import { FullstackBackend } from '../presets/fullstack';
import { PreviewBackend } from '../presets/preview';

export interface BackplaneStackOptions {
  /** Directory of the config file: relative paths in it (snapshot, handlers) and the local state resolve from here. @default process.cwd() */
  readonly configDir?: string;
  /** The config file's name, for error messages. @default "backplane.config.ts" */
  readonly configFile?: string;
  /**
   * With `service.build` and no image recorded for the stage yet, render a placeholder digest instead of refusing:
   * only for `backplane deploy`'s step that creates the image repository (applied with -target) and `backplane plan`.
   * @default false
   */
  readonly pendingImage?: boolean;
}

/** What cdktn checks generated bindings against (cdktf.json `targetVersions`): Terraform 1.11 (ephemeral, write-only). */
export const TARGET_VERSIONS = { terraform: '>=1.11.0' } as const;

/** The S3 state key: the configured one, else one per app and stage (two stacks in one bucket never collide). */
export function stateKey(config: BackplaneConfig): string {
  return config.state.backend === 's3' && config.state.key ? config.state.key : `${config.name}/${config.stage}/terraform.tfstate`;
}

/** The local state file: next to the config, whichever tool synthesizes it (backplane, cdktn, cdktf). */
export const localStatePath = (configDir: string, stackName: string) => path.resolve(configDir, `terraform.${stackName}.tfstate`);

/** With `service.build`: the config with the stage's built image pinned by digest (backplane.images.json). */
function withBuiltImage(config: BackplaneConfig, configDir: string, pending = false): BackplaneConfig {
  const imageDigest = builtImageDigest(config.service, config.stage, configDir, pending);
  return imageDigest ? { ...config, service: { ...config.service, imageDigest } } : config;
}

export class BackplaneStack extends NamedStack {
  readonly config: BackplaneConfig;
  /** The whole backend, or a preview stage sharing its parent's (config `preview`, e.g. --stage pr-123). */
  readonly backend: FullstackBackend | PreviewBackend;
  /** `<name>-<stage>`: the stack's id and the prefix of every resource name. */
  readonly stackName: string;

  constructor(scope: Construct, input: BackplaneConfigInput, options: BackplaneStackOptions = {}) {
    assertCdktnTree(scope, 'BackplaneStack');
    // Validated before anything is created: a bad config throws a ConfigError listing every problem.
    const configDir = options.configDir ?? process.cwd();
    const config = withBuiltImage(resolveConfig(input, options.configFile), configDir, options.pendingImage);
    const stackName = `${config.name}-${config.stage}`;
    super(scope, stackName);
    this.config = config;
    this.stackName = stackName;
    if (this.node.tryGetContext('targetVersions') === undefined) this.node.setContext('targetVersions', TARGET_VERSIONS);
    new AwsProvider(this, 'aws', {
      region: config.region,
      defaultTags: [{ tags: { 'backplane:app': config.name, 'backplane:stage': config.stage, ...config.tags } }],
    });
    // The bindings pin the provider version they were generated from; accept both provider majors.
    this.addOverride('terraform.required_providers.aws.version', AWS_PROVIDER_CONSTRAINT);
    this.configureState(configDir);
    this.backend = previewOf(config)
      ? new PreviewBackend(this, 'backplane', config, { configDir })
      : new FullstackBackend(this, 'backplane', config, { configDir });
  }

  private configureState(configDir: string): void {
    const st = this.config.state;
    if (st.backend === 's3') {
      // Native S3 locking (Terraform >= 1.10): no DynamoDB table.
      new S3Backend(this, { bucket: st.bucket, key: stateKey(this.config), region: st.region, encrypt: true });
      this.addOverride('terraform.backend.s3.use_lockfile', true);
    } else if (st.backend === 'cloud') {
      new CloudBackend(this, { organization: st.organization, workspaces: new NamedCloudWorkspace(st.workspace) });
    } else {
      new LocalBackend(this, { path: localStatePath(configDir, this.stackName) });
    }
  }
}
