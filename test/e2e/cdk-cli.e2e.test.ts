/**
 * The app under the real CDK CLIs: `cdktn synth` (CDK Terrain's CLI, which needs Node >= 22: a Node 22 is
 * provisioned from the npm registry) and the archived `cdktf synth` (cdktf-cli 0.21, on this machine's
 * Node 20) both drive `cdktf.json` and write the stack. The tools are installed once into a cache outside
 * the repo (~/.cache/backplane/cli-tools, or BACKPLANE_CLI_TOOLS).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import execa from 'execa';
import { describeWithEngine, REPO_ROOT } from './lib';

const TOOLS = process.env.BACKPLANE_CLI_TOOLS ?? path.join(os.homedir(), '.cache', 'backplane', 'cli-tools');
const VERSIONS = { node: '22', 'cdktn-cli': '0.24.0', 'cdktf-cli': '0.21.0' };
const bin = (name: string) => path.join(TOOLS, 'node_modules', '.bin', name);

async function ensureTools(): Promise<void> {
  const stamp = path.join(TOOLS, 'versions.json');
  if (fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === JSON.stringify(VERSIONS) && fs.existsSync(bin('cdktn'))) return;
  fs.mkdirSync(TOOLS, { recursive: true });
  const specs = Object.entries(VERSIONS).map(([pkg, v]) => `${pkg}@${v}`);
  await execa('npm', ['install', '--no-audit', '--no-fund', '--prefix', TOOLS, ...specs], { stdio: 'inherit', timeout: 10 * 60_000 });
  fs.writeFileSync(stamp, JSON.stringify(VERSIONS));
}

async function synthWith(cli: string, nodeBinDir?: string): Promise<string> {
  const out = path.join(REPO_ROOT, 'cdktf.out');
  fs.rmSync(out, { recursive: true, force: true });
  const env = {
    ...process.env,
    CHECKPOINT_DISABLE: '1',
    CI: '1',
    PATH: nodeBinDir ? `${nodeBinDir}:${process.env.PATH}` : process.env.PATH,
  };
  const r = await execa(cli, ['synth'], { cwd: REPO_ROOT, env, all: true, reject: false, timeout: 10 * 60_000 });
  if (r.exitCode !== 0) throw new Error(`${path.basename(cli)} synth failed (exit ${r.exitCode}):\n${r.all?.slice(-3000)}`);
  return r.all ?? '';
}

describeWithEngine('the app under the CDK CLIs', () => {
  beforeAll(ensureTools, 15 * 60_000);

  it('`cdktn synth` (cdktn-cli 0.24 on Node 22 from npm) synthesizes the built-in example', async () => {
    const node22 = path.join(TOOLS, 'node_modules', 'node', 'bin');
    const { stdout } = await execa(path.join(node22, 'node'), ['--version']);
    expect(stdout).toMatch(/^v22\./);
    const log = await synthWith(bin('cdktn'), node22);
    expect(log).toMatch(/Generated Terraform code for the stacks: shop-dev/);
    const stack = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'cdktf.out', 'stacks', 'shop-dev', 'cdk.tf.json'), 'utf8'));
    expect(stack.resource.aws_ecs_service).toBeDefined();
    expect(stack.terraform.required_providers.aws.version).toBe('>= 5.100, < 7');
  });

  it('the archived `cdktf synth` (cdktf-cli 0.21 on Node 20) drives the same app unchanged', async () => {
    const log = await synthWith(bin('cdktf'));
    expect(log).toMatch(/Generated Terraform code for the stacks: shop-dev/);
    expect(fs.existsSync(path.join(REPO_ROOT, 'cdktf.out', 'stacks', 'shop-dev', 'cdk.tf.json'))).toBe(true);
  });
});
