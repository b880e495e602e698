/**
 * Runs one terraform command for the harness: a clean environment (own CLI config, fake
 * credentials, no AWS_* or TF_* leaking in from the machine), output streamed to a log file per
 * phase, timed, and on failure an error that shows the last lines.
 */
import * as fs from 'fs';
import execa from 'execa';
import { E2E_REGION, FAKE_CREDENTIALS } from './aws-client';
import { onProcessExit } from './cleanup';
import { TERRAFORM_BIN, TF_PLUGIN_DIR } from './paths';

/** Lines of output an error message shows. */
export const ERROR_TAIL_LINES = 60;

/** The CLI config every harness run uses: providers from the offline mirror only. */
export function cliConfig(pluginDir: string = TF_PLUGIN_DIR): string {
  return `provider_installation {
  filesystem_mirror {
    path    = ${JSON.stringify(pluginDir)}
    include = ["registry.terraform.io/hashicorp/*"]
  }
  direct {
    exclude = ["registry.terraform.io/hashicorp/*"]
  }
}
`;
}

/**
 * The child environment: the machine's, minus every AWS_* and TF_* variable (no AWS_PROFILE, no
 * preset TF_CLI_CONFIG_FILE), plus the harness's own. E2E_TF_LOG=DEBUG turns on TF_LOG into
 * `tfLogPath`.
 */
export function terraformEnv(cliConfigFile: string, tfLogPath?: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!k.startsWith('AWS_') && !k.startsWith('TF_') && k !== 'CHECKPOINT_DISABLE') env[k] = v;
  }
  Object.assign(env, {
    TF_CLI_CONFIG_FILE: cliConfigFile,
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
    CHECKPOINT_DISABLE: '1',
    AWS_ACCESS_KEY_ID: FAKE_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: FAKE_CREDENTIALS.secretAccessKey,
    AWS_REGION: E2E_REGION,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  });
  if (process.env.E2E_TF_LOG && tfLogPath) Object.assign(env, { TF_LOG: process.env.E2E_TF_LOG, TF_LOG_PATH: tfLogPath });
  return env;
}

/** Outcome of one terraform command. */
export interface TerraformRun {
  readonly args: readonly string[];
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout and stderr interleaved, as in the log file. */
  readonly output: string;
  readonly seconds: number;
  readonly logFile: string;
}

/** Options of {@link runTerraform}. */
export interface RunTerraformOptions {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly logFile: string;
  /** Exit codes that count as success. @default [0] */
  readonly okExitCodes?: readonly number[];
  /** Return instead of throwing when the exit code is not OK. @default false */
  readonly allowFailure?: boolean;
  /** Kill terraform after this long. @default 1_200_000 (20 min) */
  readonly timeoutMs?: number;
  /** Extra text for the error message (e.g. moto's state). */
  readonly context?: () => string;
}

/** Thrown when a terraform command fails; its message ends with the last lines of output. */
export class TerraformError extends Error {
  constructor(
    message: string,
    readonly run: TerraformRun,
  ) {
    super(message);
    this.name = 'TerraformError';
  }
}

/** The last `n` lines of `text`. */
export function lastLines(text: string, n: number = ERROR_TAIL_LINES): string {
  return text.trimEnd().split('\n').slice(-n).join('\n');
}

/** Run `terraform <args>`, streaming its output to `logFile`. */
export async function runTerraform(args: readonly string[], options: RunTerraformOptions): Promise<TerraformRun> {
  const started = Date.now();
  const log = fs.createWriteStream(options.logFile, { flags: 'w' });
  log.write(`$ ${TERRAFORM_BIN} ${args.join(' ')}\n# cwd: ${options.cwd}\n\n`);
  const child = execa(TERRAFORM_BIN, [...args], {
    cwd: options.cwd,
    env: options.env,
    extendEnv: false,
    all: true,
    reject: false,
    stdin: 'ignore',
    timeout: options.timeoutMs ?? 20 * 60 * 1000,
    killSignal: 'SIGINT',
  });
  const unregister = onProcessExit(() => {
    child.kill('SIGKILL');
  });
  child.all?.pipe(log, { end: false });
  const result = await child;
  unregister();
  const seconds = (Date.now() - started) / 1000;
  const exitCode = result.exitCode ?? -1;
  await new Promise<void>((resolve) =>
    log.end(`\n# exit ${exitCode} after ${seconds.toFixed(1)} s${result.timedOut ? ' (TIMED OUT)' : ''}\n`, resolve),
  );
  const run: TerraformRun = {
    args,
    exitCode,
    stdout: result.stdout,
    stderr: result.stderr,
    output: result.all ?? `${result.stdout}\n${result.stderr}`,
    seconds,
    logFile: options.logFile,
  };
  const ok = (options.okExitCodes ?? [0]).includes(exitCode);
  if (!ok && !options.allowFailure) {
    const why = result.timedOut ? `timed out after ${seconds.toFixed(0)} s` : `exit ${exitCode} after ${seconds.toFixed(1)} s`;
    const context = options.context ? `\n${options.context()}` : '';
    throw new TerraformError(
      `terraform ${args[0]} failed (${why}); full log: ${options.logFile}${context}\n` +
        `--- last ${ERROR_TAIL_LINES} lines ---\n${lastLines(run.output)}`,
      run,
    );
  }
  return run;
}
