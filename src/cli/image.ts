/**
 * Build and push the app image: the local Docker CLI builds for the service's platform (linux/arm64 by default),
 * ECR authenticates with the AWS SDK (GetAuthorizationToken; no AWS CLI), and the digest is what the deploy pins.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { GetAuthorizationTokenCommand, type ECRClient } from '@aws-sdk/client-ecr';
import { CommandNotFoundError, UserError } from './errors';
import { isNotFound, type CommandRunner, type RunResult } from './runner';

export interface EcrLogin {
  /** e.g. 123456789012.dkr.ecr.us-east-1.amazonaws.com */
  readonly registry: string;
  readonly username: string;
  readonly password: string;
  readonly expiresAt?: Date;
}

/** GetAuthorizationToken: a base64 "AWS:<password>" token valid for 12 hours, and the registry endpoint. */
export async function ecrLogin(client: Pick<ECRClient, 'send'>): Promise<EcrLogin> {
  const answer = await client.send(new GetAuthorizationTokenCommand({}));
  const data = answer.authorizationData?.[0];
  if (!data?.authorizationToken || !data.proxyEndpoint)
    throw new UserError('ECR returned no authorization token (check ecr:GetAuthorizationToken permission)');
  const decoded = Buffer.from(data.authorizationToken, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw new UserError('ECR returned a malformed authorization token');
  return {
    registry: data.proxyEndpoint.replace(/^https?:\/\//, '').replace(/\/$/, ''),
    username: decoded.slice(0, colon),
    password: decoded.slice(colon + 1),
    expiresAt: data.expiresAt,
  };
}

export interface PushOptions {
  readonly runner: CommandRunner;
  readonly login: EcrLogin;
  /** ECR repository name, e.g. "shop-dev". */
  readonly repository: string;
  readonly tag: string;
  /** Build context directory. */
  readonly context: string;
  /** Dockerfile path. @default <context>/Dockerfile */
  readonly dockerfile?: string;
  /** @default "linux/arm64" */
  readonly platform?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Progress lines (docker's output). */
  readonly onLine?: (line: string) => void;
  /** The caller ran {@link checkDocker} already. @default false */
  readonly dockerChecked?: boolean;
}

export interface PushResult {
  readonly image: string;
  readonly digest: string;
  /** `<registry>/<repository>@sha256:...`: the reference the deploy pins. */
  readonly pinned: string;
}

const DOCKER_HINT =
  'image push builds with the local Docker CLI: install Docker (https://docs.docker.com/get-docker/) or build and push in CI';

type DockerRun = Pick<PushOptions, 'runner' | 'env' | 'onLine'>;

async function docker(o: DockerRun, args: string[], input?: string, hint = DOCKER_HINT): Promise<RunResult> {
  try {
    return await o.runner('docker', args, { env: o.env, input, onLine: o.onLine && ((l) => o.onLine?.(l)) });
  } catch (err) {
    if (isNotFound(err)) throw new CommandNotFoundError('docker', hint);
    throw err;
  }
}

export const DOCKER_VERSION = ['version', '--format', '{{.Server.Version}}'];

/** Fails with one line when the docker CLI is missing (`hint` says what to do instead) or its daemon is not reachable. */
export async function checkDocker(o: DockerRun, hint = DOCKER_HINT): Promise<void> {
  const v = await docker(o, DOCKER_VERSION, undefined, hint);
  if (v.exitCode !== 0)
    throw new UserError(`the Docker daemon is not reachable (${firstLine(v)}): start Docker Desktop or the docker service`);
}

const firstLine = (r: RunResult): string =>
  (r.stderr.trim() || r.stdout.trim()).split('\n').filter(Boolean).pop() ?? `exit code ${r.exitCode}`;

/** The exact docker commands, in order (also what the tests assert). */
export function dockerCommands(o: Omit<PushOptions, 'runner' | 'onLine' | 'env'>, metadataFile: string): string[][] {
  const image = `${o.login.registry}/${o.repository}:${o.tag}`;
  return [
    DOCKER_VERSION,
    ['login', '--username', o.login.username, '--password-stdin', o.login.registry],
    [
      'buildx',
      'build',
      '--platform',
      o.platform ?? 'linux/arm64',
      '--tag',
      image,
      '--file',
      o.dockerfile ?? path.join(o.context, 'Dockerfile'),
      '--metadata-file',
      metadataFile,
      '--provenance=false',
      '--push',
      o.context,
    ],
    ['buildx', 'imagetools', 'inspect', image, '--format', '{{json .Manifest}}'],
  ];
}

export async function buildAndPush(o: PushOptions): Promise<PushResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'backplane-image-'));
  const metadataFile = path.join(dir, 'metadata.json');
  const [, login, build, inspect] = dockerCommands(o, metadataFile);
  const image = `${o.login.registry}/${o.repository}:${o.tag}`;
  try {
    if (!o.dockerChecked) await checkDocker(o);
    const l = await docker(o, login, o.login.password);
    if (l.exitCode !== 0) throw new UserError(`docker login to ${o.login.registry} failed: ${firstLine(l)}`);
    const b = await docker(o, build);
    if (b.exitCode !== 0) {
      const out = `${b.stderr}\n${b.stdout}`;
      if (/tag invalid|already exists.*immutable|immutable/i.test(out))
        throw new UserError(`tag ${o.tag} already exists in ${o.repository} and tags are immutable: push with a new --tag`);
      if (/RepositoryNotFound|repository .* does not exist|name unknown/i.test(out))
        throw new UserError(
          `ECR repository ${o.repository} does not exist yet: run \`backplane deploy\` once (it creates the repository), then push`,
        );
      if (/unknown command.*buildx|'buildx' is not a docker command/i.test(out))
        throw new UserError('docker buildx is not installed: install the buildx plugin (bundled with Docker Desktop and docker-ce)');
      throw new UserError(`docker build failed: ${firstLine(b)}`);
    }
    let digest: string | undefined;
    try {
      digest = JSON.parse(fs.readFileSync(metadataFile, 'utf8'))['containerimage.digest'];
    } catch {
      digest = undefined;
    }
    if (!digest) {
      const i = await docker(o, inspect);
      if (i.exitCode === 0) digest = /"digest"\s*:\s*"(sha256:[a-f0-9]{64})"/.exec(i.stdout)?.[1];
    }
    if (!digest || !/^sha256:[a-f0-9]{64}$/.test(digest))
      throw new UserError(`pushed ${image} but could not read its digest (docker buildx imagetools inspect ${image})`);
    return { image, digest, pinned: `${o.login.registry}/${o.repository}@${digest}` };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
