/**
 * Runs Terraform (or OpenTofu with TERRAFORM_BINARY_NAME=tofu) in a synthesized stack directory, streaming one
 * progress line per resource. Preflight checks say what is missing (binary, credentials) before anything runs.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { BackplaneConfig } from '../config';
import type { Context } from './command';
import { CREDENTIALS_HINT, CommandNotFoundError, UserError, isCredentialsError } from './errors';
import { heavy } from './heavy-loader';
import { isNotFound, type RunResult } from './runner';
import { TerraformProgress } from './terraform-ui';

export const PLAN_FILE = 'backplane.tfplan';

/** The parts of `terraform show -json` (a plan or the state) the CLI reads. */
export interface ShowJson {
  readonly resource_changes?: readonly { address: string; type: string; mode: string; change: { actions: string[] } }[];
  readonly output_changes?: Record<string, { after?: unknown; after_unknown?: unknown }>;
  readonly values?: { root_module?: { resources?: readonly { address: string; type: string; values: Record<string, unknown> }[] } };
}

export function terraformBinary(env: NodeJS.ProcessEnv): string {
  return env.TERRAFORM_BINARY_NAME || 'terraform';
}

/** The child's environment: no prompts, no phone-home, and no TF_CLI_CONFIG_FILE that points at nothing. */
export function terraformEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...env, TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1' };
  if (out.TF_CLI_CONFIG_FILE && !fs.existsSync(out.TF_CLI_CONFIG_FILE)) delete out.TF_CLI_CONFIG_FILE;
  return out;
}

/** HCP Terraform / Terraform Cloud credentials: TF_TOKEN_app_terraform_io or `terraform login`'s file. */
export function hasTerraformCloudToken(env: NodeJS.ProcessEnv, home = env.HOME || os.homedir()): boolean {
  if (env.TF_TOKEN_app_terraform_io) return true;
  const file = path.join(home, '.terraform.d', 'credentials.tfrc.json');
  try {
    return Boolean(JSON.parse(fs.readFileSync(file, 'utf8')).credentials?.['app.terraform.io']?.token);
  } catch {
    return false;
  }
}

/**
 * What the DNS provider's Terraform provider reads from the environment (the Cloudflare token, from the variable
 * `dns.apiTokenEnv` names, as CLOUDFLARE_API_TOKEN); one line naming the variable when it is not set.
 */
export function dnsCredentials(ctx: Context, config: BackplaneConfig, command: string): Record<string, string> {
  try {
    return heavy().dnsPreset().dnsProviderEnvironment(config.dns, ctx.io.env);
  } catch (err) {
    throw new UserError(`${command} needs the DNS provider's credentials: ${(err as Error).message}`);
  }
}

/**
 * Fails with one line when the run cannot authenticate: the DNS provider's token, AWS credentials, or the HCP
 * Terraform token for `cloud` state.
 */
export async function checkCredentials(ctx: Context, config: BackplaneConfig, command: string): Promise<void> {
  dnsCredentials(ctx, config, command);
  if (config.state.backend === 'cloud') {
    if (!hasTerraformCloudToken(ctx.io.env)) {
      throw new UserError(
        `${command} runs in HCP Terraform (state.backend "cloud") and no token was found: run \`terraform login\` or set TF_TOKEN_app_terraform_io`,
      );
    }
    return;
  }
  try {
    await ctx.deps.aws.credentials(config.region);
  } catch (err) {
    if (isCredentialsError(err)) throw new UserError(`${command} needs AWS credentials and none were found: ${CREDENTIALS_HINT}`);
    throw new UserError(`${command} could not resolve AWS credentials: ${(err as Error).message.split('\n')[0]}`);
  }
}

/**
 * Terraform's init error in one line: the diagnostic's summary and its first detail line, which names the provider
 * and the cause ("Could not retrieve the list of available versions for provider hashicorp/aws: could not connect
 * to registry.terraform.io ..."), plus what to do when the registry cannot be reached.
 */
export function initFailure(lines: readonly string[], exitCode: number): string {
  const at = lines.findIndex((l) => l.startsWith('Error:'));
  if (at < 0) return lines[lines.length - 1] ?? `exit code ${exitCode}`;
  const summary = lines[at].replace(/^Error:\s*/, '');
  const detail = lines.slice(at + 1).find((l) => !l.startsWith('Error:') && !l.startsWith('Warning:'));
  const offline = /registry\.terraform\.io|registry\.opentofu\.org|no such host|dial tcp|could not connect/i.test(detail ?? '');
  const hint = offline
    ? ' — the provider registry cannot be reached: give terraform a provider mirror (BACKPLANE_TF_PLUGIN_DIR=<dir> runs init -plugin-dir=<dir>, or a CLI config with a filesystem_mirror in TF_CLI_CONFIG_FILE)'
    : '';
  return `${summary}${detail ? `: ${detail}` : ''}${hint}`;
}

export class TerraformRunner {
  readonly bin: string;
  private readonly env: NodeJS.ProcessEnv;

  constructor(
    private readonly ctx: Context,
    readonly dir: string,
    /** Extra environment for terraform (the DNS provider's credentials, from {@link dnsCredentials}). */
    extraEnv: Record<string, string> = {},
  ) {
    this.bin = terraformBinary(ctx.io.env);
    this.env = { ...terraformEnv(ctx.io.env), ...extraEnv };
  }

  private async run(args: string[], onLine?: (line: string) => void, signal?: AbortSignal): Promise<RunResult> {
    try {
      return await this.ctx.deps.runner(this.bin, args, {
        cwd: this.dir,
        env: this.env,
        onLine: onLine && ((l, stream) => stream === 'stdout' && onLine(l)),
        signal,
      });
    } catch (err) {
      if (isNotFound(err)) {
        throw new CommandNotFoundError(
          this.bin,
          this.bin === 'tofu'
            ? 'install OpenTofu (https://opentofu.org/docs/intro/install/)'
            : 'install Terraform >= 1.11 (https://developer.hashicorp.com/terraform/install), or set TERRAFORM_BINARY_NAME=tofu',
        );
      }
      throw err;
    }
  }

  async init(): Promise<void> {
    const pluginDir = this.ctx.io.env.BACKPLANE_TF_PLUGIN_DIR;
    const r = await this.run(['init', '-input=false', '-no-color', ...(pluginDir ? [`-plugin-dir=${pluginDir}`] : [])]);
    if (r.exitCode !== 0) {
      const lines = `${r.stderr}\n${r.stdout}`
        .split('\n')
        .map((l) => l.replace(/^[│╷╵\s]+/, '').trim())
        .filter(Boolean);
      throw new UserError(`${this.bin} init failed: ${initFailure(lines, r.exitCode)}`);
    }
  }

  /** Runs a `-json` command, printing a progress line per event to stderr. */
  async stream(args: string[], quiet = false, signal?: AbortSignal): Promise<{ result: RunResult; progress: TerraformProgress }> {
    const progress = new TerraformProgress(args[0] !== 'apply');
    // Options go before positional arguments (`apply -json backplane.tfplan`): terraform rejects them after.
    const result = await this.run(
      [args[0], '-json', ...args.slice(1)],
      (line) => {
        const text = progress.line(line);
        if (text && !quiet) this.ctx.io.err(text);
      },
      signal,
    );
    // Diagnostics and plain errors may arrive on stderr (e.g. before the JSON UI starts).
    for (const line of result.stderr.split('\n')) progress.line(line);
    return { result, progress };
  }

  async plan(destroy: boolean, quiet = false): Promise<TerraformProgress> {
    const { result, progress } = await this.stream(['plan', '-input=false', `-out=${PLAN_FILE}`, ...(destroy ? ['-destroy'] : [])], quiet);
    if (result.exitCode !== 0) throw this.failure('plan', progress, result);
    return progress;
  }

  /**
   * Applies the saved plan, then deletes it whatever the outcome: a plan file holds the values of sensitive
   * attributes in plain form, and once applied (or failed) it is stale anyway. Aborting `signal` interrupts Terraform
   * (SIGINT) and fails with `interrupted()`'s reason.
   */
  async apply(options: { signal?: AbortSignal; interrupted?: () => string | undefined } = {}): Promise<TerraformProgress> {
    try {
      const { result, progress } = await this.stream(['apply', '-input=false', '-auto-approve', PLAN_FILE], false, options.signal);
      // Interrupted on purpose (src/cli/deployment-watch.ts): the reason is the caller's, not Terraform's "context canceled".
      const why = options.signal?.aborted ? options.interrupted?.() : undefined;
      if (why) throw new UserError(why);
      if (result.exitCode !== 0) throw this.failure('apply', progress, result);
      return progress;
    } finally {
      fs.rmSync(path.join(this.dir, PLAN_FILE), { force: true });
    }
  }

  /**
   * Plans and applies only `targets` (and what they depend on) in one run: the first step of a deploy that must
   * create the certificate before its DNS records can be shown (src/cli/dns-first-deploy.ts).
   */
  async applyTargets(targets: readonly string[]): Promise<TerraformProgress> {
    const { result, progress } = await this.stream(['apply', '-input=false', '-auto-approve', ...targets.map((t) => `-target=${t}`)]);
    if (result.exitCode !== 0) throw this.failure('apply', progress, result);
    return progress;
  }

  /** `show -json` of the saved plan (PLAN_FILE), or of the state when `plan` is false. */
  async show(plan: boolean): Promise<ShowJson> {
    const r = await this.run(['show', '-json', '-no-color', ...(plan ? [PLAN_FILE] : [])]);
    if (r.exitCode !== 0) throw new UserError(`${this.bin} show failed: ${(r.stderr || r.stdout).trim().split('\n')[0]}`);
    return JSON.parse(r.stdout) as ShowJson;
  }

  async stateList(): Promise<string[]> {
    const r = await this.run(['state', 'list']);
    if (r.exitCode !== 0) return [];
    return r.stdout
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
  }

  async stateRm(address: string): Promise<void> {
    const r = await this.run(['state', 'rm', address]);
    if (r.exitCode !== 0) throw new UserError(`${this.bin} state rm ${address} failed: ${(r.stderr || r.stdout).trim().split('\n')[0]}`);
  }

  async outputs(): Promise<Record<string, { value: unknown; sensitive?: boolean }>> {
    const r = await this.run(['output', '-json']);
    if (r.exitCode !== 0) return {};
    try {
      return JSON.parse(r.stdout);
    } catch {
      return {};
    }
  }

  private failure(step: string, progress: TerraformProgress, result: RunResult): UserError {
    for (const d of progress.errors())
      this.ctx.io.err(
        `Error: ${d.summary}${d.address ? ` (${d.address})` : ''}${d.detail ? `\n  ${d.detail.split('\n').join('\n  ')}` : ''}`,
      );
    return new UserError(`${this.bin} ${step} failed: ${progress.firstError() ?? `exit code ${result.exitCode}`}`);
  }
}
