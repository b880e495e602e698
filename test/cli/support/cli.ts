/** Runs the CLI in-process with a recording Io and injectable dependencies. */
import { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { ECRClient } from '@aws-sdk/client-ecr';
import { S3Client } from '@aws-sdk/client-s3';
import { STSClient } from '@aws-sdk/client-sts';
import type { AwsClients } from '../../../src/cli/aws';
import type { Deps } from '../../../src/cli/command';
import { main } from '../../../src/cli/index';
import { memoryIo } from '../../../src/cli/io';
import type { CommandRunner, RunOptions } from '../../../src/cli/runner';
import { MOTO_CREDENTIALS } from './moto';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function cli(
  argv: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; answers?: string[]; stdin?: string; deps?: Partial<Deps> },
): Promise<CliRun> {
  const io = memoryIo({ cwd: options.cwd, env: options.env ?? {}, answers: options.answers, stdin: options.stdin });
  const code = await main(argv, { io, deps: { aws: noCredentials, ...options.deps } });
  return { code, stdout: io.stdout.join('\n'), stderr: io.stderr.join('\n') };
}

const credentialsError = () =>
  Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' });

/** AWS clients that fail like a machine without credentials. */
export const noCredentials: AwsClients = {
  clientConfig: (region) => ({
    region,
    credentials: async () => {
      throw credentialsError();
    },
  }),
  s3: () => {
    throw credentialsError();
  },
  sts: () => {
    throw credentialsError();
  },
  ecr: () => {
    throw credentialsError();
  },
  cloudfront: () => {
    throw credentialsError();
  },
  credentials: async () => {
    throw credentialsError();
  },
};

/** AWS clients pointed at a moto_server. */
export function motoClients(endpoint: string): AwsClients {
  const common = { endpoint, credentials: MOTO_CREDENTIALS };
  return {
    clientConfig: (region) => ({ ...common, region }),
    s3: (region) => new S3Client({ ...common, region, forcePathStyle: true }),
    sts: (region) => new STSClient({ ...common, region }),
    ecr: (region) => new ECRClient({ ...common, region }),
    cloudfront: () => new CloudFrontClient({ ...common, region: 'us-east-1' }),
    credentials: async () => MOTO_CREDENTIALS,
  };
}

export interface RecordedCall {
  readonly command: string;
  readonly args: readonly string[];
  readonly options: RunOptions;
}

/** A runner that records calls and answers from `respond` (default: exit 0, no output). */
export function recordingRunner(
  respond?: (
    call: RecordedCall,
  ) => { exitCode?: number; stdout?: string; stderr?: string } | Promise<{ exitCode?: number; stdout?: string; stderr?: string }>,
): CommandRunner & { calls: RecordedCall[] } {
  const calls: RecordedCall[] = [];
  const runner = (async (command, args, options = {}) => {
    const call = { command, args: [...args], options };
    calls.push(call);
    const r = (await respond?.(call)) ?? {};
    const stdout = r.stdout ?? '';
    if (options.onLine) for (const line of stdout.split('\n')) if (line) options.onLine(line, 'stdout');
    return { exitCode: r.exitCode ?? 0, stdout, stderr: r.stderr ?? '' };
  }) as CommandRunner & { calls: RecordedCall[] };
  runner.calls = calls;
  return runner;
}

export const notInstalled = (command: string) => Object.assign(new Error(`spawn ${command} ENOENT`), { code: 'ENOENT' });

/**
 * The environment of a CLI run that drives the real terraform against a moto_server: the provider reaches moto through
 * AWS_ENDPOINT_URL, init reads the offline plugin mirror, and no CLI config file is inherited.
 */
export function motoTerraformEnv(dir: string, endpoint: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: dir,
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_REGION: 'us-east-1',
    BACKPLANE_TF_PLUGIN_DIR: process.env.BACKPLANE_TF_PLUGIN_DIR ?? '/opt/tf-plugins',
    TF_CLI_CONFIG_FILE: `${dir}/missing.tfrc`,
  };
}
