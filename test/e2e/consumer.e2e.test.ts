/**
 * Backplane as a user gets it: `npm pack` of this tree (built: the e2e stage runs after `npm run build`), the
 * tarball installed into an empty project with no overrides of its own (dependencies from the npm registry), then
 * init -> synth (Cloudflare DNS included) -> deploy to a private moto_server -> `cdktn diff` of the same state (no
 * changes) -> day two (status, logs, secrets, run) -> a deploy ECS rolls back (status says why) -> destroy, the same config through the
 * archived `cdktf synth` (one state location), Backplane as a library in a cdktn app of the user's, HashiCorp's
 * cdktf mixed in (one clear line), and the config's types under the user's TypeScript.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CloudWatchLogsClient, CreateLogStreamCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeTasksCommand, ECSClient, ListTasksCommand, StopTaskCommand } from '@aws-sdk/client-ecs';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import execa from 'execa';
import { describeWithEngine, REPO_ROOT, startMoto, type MotoServer } from './lib';
import { cliToolBin, ensureCliTools, NODE22_BIN_DIR } from './lib/cli-tools';
import { TF_PLUGIN_DIR } from './lib/paths';
import { cliConfig } from './lib/terraform-cli';

const MB = 1e6;

function treeBytes(dir: string): number {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) total += treeBytes(p);
    else if (entry.isFile()) total += fs.statSync(p).size;
  }
  return total;
}

describeWithEngine('the packed tarball in an empty project', () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'backplane-consumer-'));
  const project = path.join(work, 'project');
  let install: execa.ExecaReturnValue;
  let moto: MotoServer;
  const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
    PATH: process.env.PATH,
    HOME: work,
    CHECKPOINT_DISABLE: '1',
    TF_CLI_CONFIG_FILE: path.join(work, 'missing.tfrc'),
    ...extra,
  });
  const backplane = (args: string[], extra: NodeJS.ProcessEnv = {}) =>
    execa('node', [path.join(project, 'node_modules', 'backplane', 'bin', 'backplane.js'), ...args], {
      cwd: project,
      env: env(extra),
      extendEnv: false,
      reject: false,
      all: true,
      timeout: 15 * 60_000,
    });
  const stackJson = (dir = project) =>
    JSON.parse(fs.readFileSync(path.join(dir, 'cdktf.out', 'stacks', 'shop-dev', 'cdk.tf.json'), 'utf8'));

  beforeAll(async () => {
    const packed = await execa('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: REPO_ROOT });
    const tarball = path.join(work, JSON.parse(packed.stdout)[0].filename);
    fs.mkdirSync(project);
    fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'shop-api', version: '1.0.0', private: true }));
    install = await execa('npm', ['install', '--no-audit', '--no-fund', tarball], { cwd: project, all: true, timeout: 10 * 60_000 });
    await ensureCliTools();
    moto = await startMoto();
  }, 20 * 60_000);
  afterAll(async () => {
    await moto?.stop();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('installs in under 100 MB, with no engine warning and none of the provider packages', () => {
    expect(install.all).not.toMatch(/EBADENGINE/);
    const nm = path.join(project, 'node_modules');
    expect(treeBytes(nm) / MB).toBeLessThan(100);
    for (const heavy of ['@cdktn/provider-aws', '@cdktf/provider-cloudflare', 'cdktf', '@aws-sdk/client-s3', 'typescript'])
      expect(fs.existsSync(path.join(nm, heavy))).toBe(false);
  });

  it('init writes a config and a cdktf.json; synth works with nothing else installed', async () => {
    const init = await backplane([
      'init',
      '--yes',
      '--name',
      'shop',
      '--domain',
      'example.com',
      '--edge',
      'subdomain',
      '--database',
      'none',
      '--cache',
      'none',
    ]);
    expect(init.exitCode).toBe(0);
    expect(JSON.parse(fs.readFileSync(path.join(project, 'cdktf.json'), 'utf8')).app).toBe('node node_modules/backplane/dist/app.js');
    const synth = await backplane(['synth']);
    expect(synth.all).toMatch(/Synthesized shop-dev from backplane.config.ts/);
    expect(stackJson().resource.aws_ecs_service.service_service).toBeDefined();
  });

  it('Cloudflare DNS synthesizes with the bundled bindings (no overrides in the project)', async () => {
    const config = path.join(project, 'cloudflare.config.ts');
    fs.writeFileSync(
      config,
      `import { defineConfig } from 'backplane';\nexport default defineConfig({ name: 'cfshop', domain: 'example.com', service: { imageTag: 'v1' }, ` +
        `edge: { mode: 'subdomain' }, dns: { provider: 'cloudflare', zoneId: '0123456789abcdef0123456789abcdef' } });\n`,
    );
    const r = await backplane(['synth', '--config', config, '--json']);
    expect(r.exitCode).toBe(0);
    const stack = JSON.parse(fs.readFileSync(path.join(project, 'cdktf.out', 'stacks', 'cfshop-dev', 'cdk.tf.json'), 'utf8'));
    expect(Object.keys(stack.resource.cloudflare_dns_record).length).toBeGreaterThan(0);
    expect(stack.terraform.required_providers.cloudflare.source).toBe('cloudflare/cloudflare');
  });

  it('the archived `cdktf synth` runs the same config into the same stack and the same state file', async () => {
    const before = stackJson();
    const r = await execa(cliToolBin('cdktf'), ['synth'], {
      cwd: project,
      env: env({ CI: '1' }),
      extendEnv: false,
      reject: false,
      all: true,
    });
    expect(r.all).toMatch(/Generated Terraform code for the stacks: shop-dev/);
    const after = stackJson();
    expect(after.terraform.backend).toEqual(before.terraform.backend);
    expect(after.terraform.backend.local.path).toBe(path.join(project, 'terraform.shop-dev.tfstate'));
    expect(Object.keys(after.resource)).toEqual(Object.keys(before.resource));
  });

  it(
    'deploys to the emulator and destroys, from the installed package',
    async () => {
      const aws = {
        AWS_ENDPOINT_URL: moto.endpoint,
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        AWS_REGION: 'us-east-1',
        BACKPLANE_TF_PLUGIN_DIR: TF_PLUGIN_DIR,
      };
      // An app secret in the user's config: created empty by the deploy, its value set by `backplane secrets set`.
      const configFile = path.join(project, 'backplane.config.ts');
      const written = fs.readFileSync(configFile, 'utf8');
      fs.writeFileSync(
        configFile,
        written.replace("  domain: 'example.com',\n", "  domain: 'example.com',\n  secrets: { API_KEY: { description: 'e2e' } },\n"),
      );
      const deploy = await backplane(['deploy', '--yes', '--json'], aws);
      if (deploy.exitCode !== 0) throw new Error(`deploy failed:\n${deploy.all?.slice(-4000)}`);
      expect(JSON.parse(deploy.stdout).applied).toBe(true);
      expect(fs.existsSync(path.join(project, 'terraform.shop-dev.tfstate'))).toBe(true);
      // The same project under cdktn-cli (Node 22): its diff reads the state backplane wrote and plans nothing.
      const tfrc = path.join(work, 'mirror.tfrc');
      fs.writeFileSync(tfrc, cliConfig(TF_PLUGIN_DIR));
      const diff = await execa(cliToolBin('cdktn'), ['diff'], {
        cwd: project,
        env: env({ ...aws, CI: '1', TF_CLI_CONFIG_FILE: tfrc, PATH: `${NODE22_BIN_DIR}:${process.env.PATH}` }),
        extendEnv: false,
        reject: false,
        all: true,
        timeout: 10 * 60_000,
      });
      if (diff.exitCode !== 0) throw new Error(`cdktn diff failed:\n${diff.all?.slice(-4000)}`);
      const plain = (diff.all ?? '').replace(/\u001b\[[0-9;]*m/g, ''); // terraform's colours, kept by cdktn
      expect(plain).toMatch(/No changes\. Your infrastructure matches the configuration\./);
      await dayTwo(moto.endpoint, aws);
      // A deploy ECS rolls back (the shim fails an image tagged e2e-unhealthy and the circuit breaker rolls back):
      // the apply fails, and `status` says so with the reason.
      fs.writeFileSync(configFile, fs.readFileSync(configFile, 'utf8').replace("imageTag: 'v1'", "imageTag: 'e2e-unhealthy'"));
      const bad = await backplane(['deploy', '--yes'], aws);
      expect(bad.exitCode).toBe(1);
      const rolledBack = await backplane(['status', '--json'], aws);
      expect(rolledBack.exitCode).toBe(1);
      expect(JSON.parse(rolledBack.stdout).service.rolledBack).toMatch(/deployment failed|rolling back/);
      const destroy = await backplane(['destroy', '--yes', '--json'], aws);
      if (destroy.exitCode !== 0) throw new Error(`destroy failed:\n${destroy.all?.slice(-4000)}`);
      expect(JSON.parse(destroy.stdout).applied).toBe(true);
    },
    15 * 60_000,
  );

  /** logs, status, secrets and run against the deployed stack, through the installed CLI. */
  async function dayTwo(endpoint: string, aws: NodeJS.ProcessEnv): Promise<void> {
    const sdk = { region: 'us-east-1', endpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
    const ok = (r: execa.ExecaReturnValue, what: string) => {
      if (r.exitCode !== 0) throw new Error(`${what} failed (exit ${r.exitCode}):\n${r.all?.slice(-3000)}`);
      return r;
    };
    const status = ok(await backplane(['status', '--json'], aws), 'status');
    const service = JSON.parse(status.stdout).service;
    expect(service.deployments).toEqual([expect.objectContaining({ status: 'PRIMARY', rolloutState: 'COMPLETED' })]);
    expect(service.running).toBe(service.desired);

    const logs = new CloudWatchLogsClient(sdk);
    const logStreamName = 'app/app/e2e-task';
    await logs.send(new CreateLogStreamCommand({ logGroupName: '/ecs/shop-dev', logStreamName }));
    await logs.send(
      new PutLogEventsCommand({
        logGroupName: '/ecs/shop-dev',
        logStreamName,
        logEvents: [{ timestamp: Date.now(), message: 'GET /api/health 200' }],
      }),
    );
    const read = ok(await backplane(['logs', '--json', '--source', 'api'], aws), 'logs');
    expect(read.stdout.split('\n').map((l) => JSON.parse(l).message)).toEqual(['GET /api/health 200']);

    const set = await execa('node', [path.join(project, 'node_modules', 'backplane', 'bin', 'backplane.js'), 'secrets', 'set', 'API_KEY'], {
      cwd: project,
      env: env(aws),
      extendEnv: false,
      reject: false,
      all: true,
      input: 'e2e-secret-value\n',
    });
    if (set.exitCode !== 0) throw new Error(`secrets set failed:\n${set.all}`);
    expect(set.all).not.toContain('e2e-secret-value');
    const stored = await new SecretsManagerClient(sdk).send(new GetSecretValueCommand({ SecretId: 'shop-dev/API_KEY' }));
    expect(stored.SecretString).toBe('e2e-secret-value');
    expect(JSON.parse((await backplane(['secrets', 'list', '--json'], aws)).stdout)).toEqual([
      expect.objectContaining({ name: 'API_KEY', exists: true, hasValue: true }),
    ]);
    ok(await backplane(['secrets', 'rm', 'API_KEY', '--yes'], aws), 'secrets rm');
    expect(JSON.parse((await backplane(['secrets', 'list', '--json'], aws)).stdout)[0].exists).toBe(false);

    // A one-off task with overrides, waited for; its exit code is the command's.
    const ecs = new ECSClient(sdk);
    const running = backplane(['run', '--cpu', '512', '--memory', '1024', '--', 'bun', 'run', 'seed'], {
      ...aws,
      BACKPLANE_RUN_POLL_MS: '300',
    });
    let settled: execa.ExecaReturnValue | undefined;
    void running.then((r) => (settled = r));
    let arn: string | undefined;
    for (let i = 0; !arn && !settled && i < 200; i++) {
      await new Promise((r) => setTimeout(r, 200));
      arn = (await ecs.send(new ListTasksCommand({ cluster: 'shop-dev', startedBy: 'backplane-run' }))).taskArns?.[0];
    }
    if (!arn) throw new Error(`backplane run started no task:\n${(settled ?? (await running)).all?.slice(-3000)}`);
    const task = (await ecs.send(new DescribeTasksCommand({ cluster: 'shop-dev', tasks: [arn as string] }))).tasks?.[0];
    expect(task?.overrides).toMatchObject({
      cpu: '512',
      memory: '1024',
      containerOverrides: [{ name: 'app', command: ['bun', 'run', 'seed'] }],
    });
    await ecs.send(new StopTaskCommand({ cluster: 'shop-dev', task: arn, reason: 'e2e' }));
    const ran = await running;
    const stopped = (await ecs.send(new DescribeTasksCommand({ cluster: 'shop-dev', tasks: [arn as string] }))).tasks?.[0];
    expect(ran.exitCode).toBe(stopped?.containers?.find((c) => c.name === 'app')?.exitCode);
  }

  it('as a library: a cdktn app of the user composes BackplaneStack with its own resources', async () => {
    fs.writeFileSync(
      path.join(project, 'app.js'),
      [
        "const { App, TerraformOutput } = require('cdktn');",
        "const { BackplaneStack } = require('backplane');",
        'const app = new App();',
        "const stack = new BackplaneStack(app, { name: 'lib', domain: 'example.com', region: 'eu-west-1', service: { imageTag: 'v1' }, edge: { mode: 'subdomain' }, tags: { team: 'x' } });",
        "new TerraformOutput(stack, 'cluster', { value: stack.backend.service.cluster.name });",
        'app.synth();',
      ].join('\n'),
    );
    const r = await execa('node', ['app.js'], {
      cwd: project,
      env: env({ CDKTF_OUTDIR: path.join(project, 'lib.out') }),
      extendEnv: false,
      reject: false,
      all: true,
    });
    if (r.exitCode !== 0) throw new Error(r.all);
    const stack = JSON.parse(fs.readFileSync(path.join(project, 'lib.out', 'stacks', 'lib-dev', 'cdk.tf.json'), 'utf8'));
    expect(stack.provider.aws[0].region).toBe('eu-west-1');
    expect(stack.terraform.required_providers.aws.version).toBe('>= 5.100, < 7');
    expect(Object.keys(stack.resource.aws_ecs_service)).toEqual(['service_service']);
    expect(stack.output.cluster.value).toBe('${aws_ecs_cluster.service_cluster.name}');
  });

  it(
    "mixing in HashiCorp's cdktf fails with one line saying how to alias it",
    async () => {
      const other = path.join(work, 'hashicorp');
      fs.mkdirSync(other);
      await execa('npm', ['install', '--no-audit', '--no-fund', '--prefix', other, 'cdktf@0.21.0', 'constructs@10'], {
        timeout: 5 * 60_000,
      });
      const script = `const { App } = require(${JSON.stringify(path.join(other, 'node_modules', 'cdktf'))});
const { BackplaneStack } = require('backplane');
try { new BackplaneStack(new App(), { name: 'mix', domain: 'example.com', service: { imageTag: 'v1' }, edge: { mode: 'subdomain' } }); }
catch (e) { console.error(e.message); process.exit(3); }`;
      const r = await execa('node', ['-e', script], { cwd: project, env: env(), extendEnv: false, reject: false, all: true });
      expect(r.exitCode).toBe(3);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/alias it in package.json: "dependencies": \{ "cdktf": "npm:cdktn@0\.24\.0" \}/);
    },
    6 * 60_000,
  );

  it(
    "the config's types reach the user's TypeScript: a typo in a literal setting fails the type check",
    async () => {
      await execa('npm', ['install', '--no-audit', '--no-fund', '--no-save', 'typescript@5'], { cwd: project, timeout: 5 * 60_000 });
      const tsconfig = {
        compilerOptions: { strict: true, module: 'commonjs', moduleResolution: 'node', noEmit: true, skipLibCheck: true, types: [] },
      };
      fs.writeFileSync(path.join(project, 'tsconfig.json'), JSON.stringify({ ...tsconfig, files: ['backplane.config.ts'] }));
      const good = await execa('npx', ['tsc', '-p', '.'], { cwd: project, reject: false, all: true });
      expect(good.all).toBe('');
      fs.writeFileSync(
        path.join(project, 'typo.config.ts'),
        fs.readFileSync(path.join(project, 'backplane.config.ts'), 'utf8').replace(/edge: \{/, "network: { nat: 'gatewy' },\n  edge: {"),
      );
      fs.writeFileSync(path.join(project, 'tsconfig.json'), JSON.stringify({ ...tsconfig, files: ['typo.config.ts'] }));
      const bad = await execa('npx', ['tsc', '-p', '.'], { cwd: project, reject: false, all: true });
      expect(bad.exitCode).not.toBe(0);
      expect(bad.all).toMatch(/"gatewy"' is not assignable to type '"instance" \| "gateway" \| "none"/);
    },
    6 * 60_000,
  );
});
