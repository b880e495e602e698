/**
 * `backplane image push`: ECR login through the AWS SDK against a private moto_server (GetAuthorizationToken),
 * and the exact docker commands it runs, recorded by an injected runner.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ECRClient } from '@aws-sdk/client-ecr';
import { ecrLogin } from '../../src/cli/image';
import { cli, motoClients, notInstalled, recordingRunner, type RecordedCall } from './support/cli';
import { MOTO_ACCOUNT, MOTO_CREDENTIALS, startMoto, type Moto } from './support/moto';

/** Where an internal error tells the user to report it: package.json's `bugs`. */
const BUGS = (JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as { bugs: { url: string } }).bugs.url;

const DIGEST = `sha256:${'ab12'.repeat(16)}`;
const REGISTRY = `${MOTO_ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com`;

function project(config: object = {}): { dir: string; file: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'backplane-image-'));
  fs.writeFileSync(path.join(dir, 'Dockerfile'), 'FROM scratch\n');
  const file = path.join(dir, 'backplane.config.json');
  fs.writeFileSync(
    file,
    JSON.stringify({ name: 'shop', domain: 'example.com', service: { imageTag: 'v7' }, edge: { mode: 'subdomain' }, ...config }),
  );
  return { dir, file };
}

/** Docker as it answers a successful push: buildx writes the metadata file with the digest. */
const docker = (options: { metadata?: boolean } = {}) =>
  recordingRunner((c: RecordedCall) => {
    if (c.args[0] === 'version') return { stdout: '27.3.1\n' };
    if (c.args[0] === 'buildx' && c.args[1] === 'build') {
      const file = c.args[c.args.indexOf('--metadata-file') + 1];
      if (options.metadata !== false) fs.writeFileSync(file, JSON.stringify({ 'containerimage.digest': DIGEST }));
      return { stdout: '#1 pushing layers done\n' };
    }
    if (c.args[1] === 'imagetools')
      return { stdout: JSON.stringify({ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: DIGEST, size: 1234 }) };
    return {};
  });

describe('image push', () => {
  let moto: Moto;
  beforeAll(async () => {
    moto = await startMoto();
  });
  afterAll(async () => {
    await moto?.stop();
  });

  it('decodes the ECR token from GetAuthorizationToken (moto) into registry, user and password', async () => {
    const login = await ecrLogin(new ECRClient({ endpoint: moto.endpoint, region: 'us-east-1', credentials: MOTO_CREDENTIALS }));
    expect(login.registry).toBe(REGISTRY);
    expect(login.username).toBe('AWS');
    expect(login.password).toBe(`${MOTO_ACCOUNT}-auth-token`);
  });

  it('logs in with the token on stdin, builds for linux/arm64 and pushes, then prints the digest to pin', async () => {
    const { dir, file } = project();
    const runner = docker();
    const r = await cli(['image', 'push', '--config', file], { cwd: dir, deps: { runner, aws: motoClients(moto.endpoint) } });
    expect(r.code).toBe(0);
    const meta = runner.calls[2].args[runner.calls[2].args.indexOf('--metadata-file') + 1];
    expect(runner.calls.map((c) => [c.command, ...c.args])).toEqual([
      ['docker', 'version', '--format', '{{.Server.Version}}'],
      ['docker', 'login', '--username', 'AWS', '--password-stdin', REGISTRY],
      [
        'docker',
        'buildx',
        'build',
        '--platform',
        'linux/arm64',
        '--tag',
        `${REGISTRY}/shop-dev:v7`,
        '--file',
        path.join(dir, 'Dockerfile'),
        '--metadata-file',
        meta,
        '--provenance=false',
        '--push',
        dir,
      ],
    ]);
    expect(runner.calls[1].options.input).toBe(`${MOTO_ACCOUNT}-auth-token`); // never on the command line
    expect(runner.calls.some((c) => c.args.includes(`${MOTO_ACCOUNT}-auth-token`))).toBe(false);
    expect(r.stdout.split('\n')).toEqual([
      `pushed ${REGISTRY}/shop-dev:v7`,
      `digest ${DIGEST}`,
      `pin it in the config: service: { imageDigest: '${DIGEST}' }, then \`backplane deploy\``,
    ]);
  });

  it('with service.build: tags <stage>-<UTC time>, builds from build.context and records the digest for the stage', async () => {
    const { dir, file } = project({ service: { build: { context: '.' } } });
    const runner = docker();
    const now = () => new Date(Date.UTC(2026, 11, 4, 6, 15, 0));
    const r = await cli(['image', 'push', '--config', file], { cwd: dir, deps: { runner, aws: motoClients(moto.endpoint), now } });
    expect(r.code).toBe(0);
    expect(runner.calls[2].args.slice(4, 6)).toEqual(['--tag', `${REGISTRY}/shop-dev:dev-20261204061500`]);
    expect(runner.calls[2].args[runner.calls[2].args.length - 1]).toBe(dir);
    const lock = JSON.parse(fs.readFileSync(path.join(dir, 'backplane.images.json'), 'utf8'));
    expect(lock).toEqual({
      dev: { digest: DIGEST, tag: 'dev-20261204061500', repository: 'shop-dev', pushedAt: '2026-12-04T06:15:00.000Z' },
    });
    expect(r.stdout).toContain('recorded for stage dev in backplane.images.json (service.build): `backplane deploy --no-build` deploys it');
  });

  it('reads the digest with imagetools inspect when buildx wrote no metadata; x86_64 builds linux/amd64; --json', async () => {
    const { dir, file } = project({ service: { imageTag: 'v7', architecture: 'x86_64' } });
    const runner = docker({ metadata: false });
    const r = await cli(['image', 'push', '--config', file, '--tag', 'v8', '--json'], {
      cwd: dir,
      deps: { runner, aws: motoClients(moto.endpoint) },
    });
    expect(r.code).toBe(0);
    expect(runner.calls[2].args.slice(0, 6)).toEqual(['buildx', 'build', '--platform', 'linux/amd64', '--tag', `${REGISTRY}/shop-dev:v8`]);
    expect([runner.calls[3].command, ...runner.calls[3].args]).toEqual([
      'docker',
      'buildx',
      'imagetools',
      'inspect',
      `${REGISTRY}/shop-dev:v8`,
      '--format',
      '{{json .Manifest}}',
    ]);
    expect(JSON.parse(r.stdout)).toMatchObject({
      digest: DIGEST,
      pinned: `${REGISTRY}/shop-dev@${DIGEST}`,
      platform: 'linux/amd64',
      tag: 'v8',
    });
  });

  it('without docker: one line that says to install it', async () => {
    const { dir, file } = project();
    const runner = recordingRunner(() => {
      throw notInstalled('docker');
    });
    const r = await cli(['image', 'push', '--config', file], { cwd: dir, deps: { runner, aws: motoClients(moto.endpoint) } });
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n').pop()).toBe(
      'backplane image push: docker not found on PATH: image push builds with the local Docker CLI: install Docker (https://docs.docker.com/get-docker/) or build and push in CI',
    );
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });

  it('an immutable tag that exists, a daemon that is down, a missing Dockerfile: one line each', async () => {
    const { dir, file } = project();
    const immutable = recordingRunner((c) =>
      c.args[1] === 'build'
        ? {
            exitCode: 1,
            stderr:
              "ERROR: failed to push: tag invalid: The image tag 'v7' already exists in the 'shop-dev' repository and cannot be overwritten because the repository is immutable.",
          }
        : {},
    );
    const r1 = await cli(['image', 'push', '--config', file], { cwd: dir, deps: { runner: immutable, aws: motoClients(moto.endpoint) } });
    expect(r1.stderr.split('\n').pop()).toBe(
      'backplane image push: tag v7 already exists in shop-dev and tags are immutable: push with a new --tag',
    );
    const down = recordingRunner((c) =>
      c.args[0] === 'version'
        ? { exitCode: 1, stderr: 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?' }
        : {},
    );
    const r2 = await cli(['image', 'push', '--config', file], { cwd: dir, deps: { runner: down, aws: motoClients(moto.endpoint) } });
    expect(r2.code).toBe(1);
    expect(r2.stderr.split('\n').pop()).toMatch(/^backplane image push: the Docker daemon is not reachable \(Cannot connect/);
    const r3 = await cli(['image', 'push', '--config', file, '--context', 'elsewhere'], {
      cwd: dir,
      deps: { runner: docker(), aws: motoClients(moto.endpoint) },
    });
    expect(r3.stderr).toBe('backplane image push: no Dockerfile at elsewhere/Dockerfile: pass --context <dir> or --dockerfile <file>');
  });

  it('an unexpected failure is one line that points at --debug; --debug shows the stack', async () => {
    const { dir, file } = project();
    const broken = {
      ...motoClients(moto.endpoint),
      ecr: () => ({ send: async () => Promise.reject(new TypeError('socket hang up')) }) as unknown as ECRClient,
    };
    const r = await cli(['image', 'push', '--config', file], { cwd: dir, deps: { runner: docker(), aws: broken } });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `backplane image push: internal error — a bug in Backplane, not in your config: socket hang up. Run it again with BACKPLANE_DEBUG=1 (or backplane image push --debug) to print the stack trace, and report it at ${BUGS}.`,
    );
    const d = await cli(['image', 'push', '--config', file, '--debug'], { cwd: dir, deps: { runner: docker(), aws: broken } });
    expect(d.stderr).toMatch(/TypeError: socket hang up\n\s+at /);
  });
});
