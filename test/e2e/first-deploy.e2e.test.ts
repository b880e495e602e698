/**
 * The first deploy from an empty account, on the real engine (Terraform + aws provider + shimmed moto), through
 * `backplane deploy` (issue 14):
 * - `service.build` with no image anywhere: the deploy creates the repository alone first, builds and pushes
 *   (a stand-in for the docker binary, test/e2e/fixtures/docker-standin/docker, that pushes through the emulator's
 *   ECR API; the real docker arguments are asserted), records the digest and deploys exactly that digest; without
 *   Docker it stops before anything changes, with one line saying what to do instead.
 * - A first deploy whose tasks cannot start fails as soon as ECS marks the deployment FAILED (the shim's
 *   `e2e-unhealthy` image), with the stopped task's reason read from ECS, instead of waiting out the provider's
 *   20-minute steady-state timeout.
 * - A deployment ECS rolls back without a new task definition (a network change; the shim's
 *   E2E_ECS_FAIL_REDEPLOYS=1) fails the deploy, though Terraform's apply and the task-definition postcondition pass.
 */
import * as fs from 'fs';
import * as path from 'path';
import { DescribeImagesCommand, DescribeRepositoriesCommand, ECRClient, GetLifecyclePolicyCommand } from '@aws-sdk/client-ecr';
import { DescribeServicesCommand, DescribeTaskDefinitionCommand, ECSClient } from '@aws-sdk/client-ecs';
import { cli, motoClients, motoTerraformEnv } from '../cli/support/cli';
import { awsClientConfig, describeWithEngine, E2E_WORK_ROOT, startMoto, type MotoServer } from './lib';

const STANDIN = path.join(__dirname, 'fixtures', 'docker-standin');
const REGISTRY = '123456789012.dkr.ecr.us-east-1.amazonaws.com';

/** A PATH with terraform and node only: no docker on it, whatever the machine has. */
function toolsOnlyPath(dir: string): string {
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin, { recursive: true });
  const terraform = (process.env.PATH ?? '')
    .split(path.delimiter)
    .map((d) => path.join(d, 'terraform'))
    .find((f) => fs.existsSync(f));
  if (!terraform) throw new Error('terraform is not on PATH');
  for (const [name, target] of [
    ['terraform', terraform],
    ['node', process.execPath],
  ])
    if (!fs.existsSync(path.join(bin, name))) fs.symlinkSync(target, path.join(bin, name));
  return bin;
}

const dockerCalls = (log: string): { args: string[]; passwordOnStdin: boolean }[] =>
  fs.existsSync(log)
    ? fs
        .readFileSync(log, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l))
    : [];

describeWithEngine('the first deploy from an empty account (Terraform + aws provider + moto, `backplane deploy`)', () => {
  let moto: MotoServer;
  let ecr: ECRClient;
  let ecs: ECSClient;
  const projects: { dir: string; config: string; env: NodeJS.ProcessEnv }[] = [];

  function project(name: string, service: object, extra: object = {}) {
    const dir = path.join(E2E_WORK_ROOT, `first-deploy-${name}-${process.pid}`);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    const config = path.join(dir, 'backplane.config.json');
    const write = (more: object = {}) =>
      fs.writeFileSync(
        config,
        JSON.stringify({
          name,
          domain: 'example.com',
          network: { nat: 'none' },
          service,
          edge: { mode: 'subdomain' },
          alarms: { enabled: false },
          ...extra,
          ...more,
        }),
      );
    write();
    const tools = toolsOnlyPath(dir);
    const env = {
      ...motoTerraformEnv(dir, moto.endpoint),
      PATH: tools,
      DOCKER_STANDIN_LOG: path.join(dir, 'docker.log'),
      BACKPLANE_ECS_POLL_MS: '1000',
      BACKPLANE_DNS_POLL_MS: '1000',
    };
    const p = { dir, config, env, write };
    projects.push(p);
    return p;
  }
  const backplane = (p: { dir: string; config: string; env: NodeJS.ProcessEnv }, argv: string[], env: NodeJS.ProcessEnv = {}) =>
    cli([...argv, '--config', p.config], { cwd: p.dir, env: { ...p.env, ...env }, deps: { aws: motoClients(moto.endpoint) } });

  beforeAll(async () => {
    moto = await startMoto({ env: { E2E_ECS_FAIL_REDEPLOYS: '1' } });
    ecr = new ECRClient(awsClientConfig(moto));
    ecs = new ECSClient(awsClientConfig(moto));
  });

  afterAll(async () => {
    try {
      for (const p of projects) {
        const state = fs.readdirSync(p.dir).find((f) => f.endsWith('.tfstate'));
        if (state) await backplane(p, ['destroy', '--yes']).catch(() => undefined);
      }
    } finally {
      await moto?.stop();
    }
  });

  describe('service.build on an empty account', () => {
    let boot: ReturnType<typeof project>;
    beforeAll(() => {
      boot = project('boot', { build: { context: '.' } });
      fs.writeFileSync(path.join(boot.dir, 'Dockerfile'), 'FROM oven/bun:1\nCOPY . .\nCMD ["bun", "run", "src/server.ts"]\n');
    });

    it('without Docker: one line saying what to do instead, before anything is created', async () => {
      const r = await backplane(boot, ['deploy', '--yes']);
      expect(r.code).toBe(1);
      expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1);
      expect(r.stderr).toMatch(
        /service\.build needs Docker to build the image, and no docker CLI was found: install Docker with buildx .*`backplane deploy --no-build`/,
      );
      await expect(ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ['boot-dev'] }))).rejects.toThrow(/does not exist/);
      expect(fs.readdirSync(boot.dir).filter((f) => f.endsWith('.tfstate'))).toEqual([]);
    });

    it('`plan` before any image: a placeholder digest, and it says deploy builds the image first', async () => {
      const r = await backplane(boot, ['plan']);
      if (r.code !== 0) throw new Error(r.stderr.slice(-3000));
      expect(r.stderr).toContain('service.build: stage "dev" has no image yet');
    });

    let firstDigest = '';
    it('creates the repository alone, builds linux/arm64 and pushes (the real docker arguments), records and deploys the digest', async () => {
      const env = { PATH: `${STANDIN}${path.delimiter}${boot.env.PATH}` };
      const r = await backplane(boot, ['deploy', '--yes', '--json'], env);
      if (r.code !== 0) throw new Error(r.stderr.slice(-4000));
      const err = r.stderr;
      const at = (text: string) => err.indexOf(text);
      expect(at('Creating the image repository first (aws_ecr_repository.')).toBeGreaterThanOrEqual(0);
      expect(at('building boot-dev:dev-')).toBeGreaterThan(at('Creating the image repository first'));
      expect(at('pushed ')).toBeGreaterThan(at('building boot-dev:dev-'));
      // One credentials check and one `terraform init` for the repository step and the deploy (the same stack directory).
      expect(err.match(/terraform init in /g)).toHaveLength(1);

      const calls = dockerCalls(boot.env.DOCKER_STANDIN_LOG as string);
      const build = calls[2]?.args ?? [];
      const tag = build[build.indexOf('--tag') + 1];
      expect(tag).toMatch(new RegExp(`^${REGISTRY}/boot-dev:dev-\\d{14}$`));
      expect(calls).toEqual([
        { args: ['version', '--format', '{{.Server.Version}}'], passwordOnStdin: false },
        { args: ['login', '--username', 'AWS', '--password-stdin', REGISTRY], passwordOnStdin: true },
        {
          args: [
            'buildx',
            'build',
            '--platform',
            'linux/arm64',
            '--tag',
            tag,
            '--file',
            path.join(boot.dir, 'Dockerfile'),
            '--metadata-file',
            build[build.indexOf('--metadata-file') + 1],
            '--provenance=false',
            '--push',
            boot.dir,
          ],
          passwordOnStdin: false,
        },
      ]);

      const lock = JSON.parse(fs.readFileSync(path.join(boot.dir, 'backplane.images.json'), 'utf8'));
      firstDigest = lock.dev.digest;
      expect(lock.dev).toMatchObject({ repository: 'boot-dev', tag: tag.split(':').pop() });
      const pushed = await ecr.send(new DescribeImagesCommand({ repositoryName: 'boot-dev', imageIds: [{ imageTag: lock.dev.tag }] }));
      expect(pushed.imageDetails?.[0]?.imageDigest).toBe(firstDigest);

      const out = JSON.parse(r.stdout);
      expect(out.applied).toBe(true);
      // The stage's own builds are counted with the releases: previews' pushes never expire the image it runs.
      const lifecycle = await ecr.send(new GetLifecyclePolicyCommand({ repositoryName: 'boot-dev' }));
      const rules = JSON.parse(lifecycle.lifecyclePolicyText ?? '{}').rules as { selection: { tagPrefixList?: string[] } }[];
      expect(rules.some((rule) => rule.selection.tagPrefixList?.includes('dev-'))).toBe(true);
      const service = (await ecs.send(new DescribeServicesCommand({ cluster: 'boot-dev', services: ['boot-dev'] }))).services?.[0];
      const td = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: service?.taskDefinition }));
      const app = td.taskDefinition?.containerDefinitions?.find((c) => c.name === 'app');
      expect(app?.image).toBe(`${REGISTRY}/boot-dev@${firstDigest}`);
    });

    it('a code change: no repository step, a new tag and digest, the task definition moves to it', async () => {
      fs.appendFileSync(path.join(boot.dir, 'Dockerfile'), 'ENV RELEASE=2\n');
      const r = await backplane(boot, ['deploy', '--yes'], { PATH: `${STANDIN}${path.delimiter}${boot.env.PATH}` });
      if (r.code !== 0) throw new Error(r.stderr.slice(-4000));
      expect(r.stderr).not.toContain('Creating the image repository first');
      const lock = JSON.parse(fs.readFileSync(path.join(boot.dir, 'backplane.images.json'), 'utf8'));
      expect(lock.dev.digest).toMatch(/^sha256:[a-f0-9]{64}$/);
      expect(lock.dev.digest).not.toBe(firstDigest);
      const service = (await ecs.send(new DescribeServicesCommand({ cluster: 'boot-dev', services: ['boot-dev'] }))).services?.[0];
      const td = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: service?.taskDefinition }));
      expect(td.taskDefinition?.containerDefinitions?.find((c) => c.name === 'app')?.image).toBe(`${REGISTRY}/boot-dev@${lock.dev.digest}`);
    });

    it('a rollback without a new task definition (a network change ECS rolls back) fails the deploy with the reason', async () => {
      const before = (await ecs.send(new DescribeServicesCommand({ cluster: 'boot-dev', services: ['boot-dev'] }))).services?.[0];
      boot.write({ network: { nat: 'none', azCount: 3 } });
      const r = await backplane(boot, ['deploy', '--yes', '--no-build']);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(
        /deploy failed: ECS rolled back the deployment of service boot-dev: \(service boot-dev\) deployment ecs-svc\/\d+ deployment failed: tasks failed to start\.; the last stopped task: task \w+: Essential container in task exited \(app: exit 1, exit status 1: .*\)/,
      );
      // Terraform's apply itself passed: same task definition, steady again on it.
      const after = (await ecs.send(new DescribeServicesCommand({ cluster: 'boot-dev', services: ['boot-dev'] }))).services?.[0];
      expect(after?.taskDefinition).toBe(before?.taskDefinition);
      expect(r.stderr).not.toMatch(/terraform apply failed/);
    });
  });

  describe('a first deploy whose tasks cannot start', () => {
    it('fails once ECS marks the deployment FAILED, with the stopped task reason, not after the 20-minute wait', async () => {
      const crash = project('crash', { image: 'public.ecr.aws/docker/library/nginx:e2e-unhealthy' });
      const started = Date.now();
      const r = await backplane(crash, ['deploy', '--yes']);
      const seconds = Math.round((Date.now() - started) / 1000);
      process.stderr.write(`first deploy of an image that cannot start: failed after ${seconds}s\n`);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('stopping terraform (it saves its state');
      expect(r.stderr).toMatch(
        /deploy failed: ECS could not start service crash-dev: ECS deployment circuit breaker: tasks failed to start \(e2e-unhealthy\)\. \(1 failed task\(s\), nothing to roll back to\); the last stopped task: task \w+: Essential container in task exited \(app: exit 1, exit status 1: the image e2e-unhealthy exits at start\)/,
      );
      // Terraform stopped cleanly: the state knows the service, so the next deploy (or destroy) picks it up.
      const state = JSON.parse(fs.readFileSync(path.join(crash.dir, 'terraform.crash-dev.tfstate'), 'utf8'));
      expect(state.resources.some((res: { type: string }) => res.type === 'aws_ecs_service')).toBe(true);
    });
  });

  it('both stacks destroy cleanly, the failed first deploy included', async () => {
    for (const p of [...projects]) {
      const r = await backplane(p, ['destroy', '--yes']);
      if (r.code !== 0) throw new Error(r.stderr.slice(-3000));
      expect(r.stdout).toMatch(/^Destroyed \w+-dev: \d+ resources/);
      projects.splice(projects.indexOf(p), 1);
    }
  });
});
