/**
 * The apps under the real CDK CLIs (lib/cli-tools.ts): `cdktn synth` (cdktn-cli on Node 22) and the archived
 * `cdktf synth` (cdktf-cli 0.21 on Node 20) both drive a `cdktf.json` and write the stack: the built-in example's,
 * and examples/library's (a cdktn app of the user's that composes BackplaneStack with its own resource).
 */
import * as fs from 'fs';
import * as path from 'path';
import execa from 'execa';
import { describeWithEngine, REPO_ROOT } from './lib';
import { cliToolBin as bin, ensureCliTools as ensureTools, NODE22_BIN_DIR } from './lib/cli-tools';

async function synthWith(cli: string, nodeBinDir?: string, cwd = REPO_ROOT): Promise<string> {
  const out = path.join(cwd, 'cdktf.out');
  fs.rmSync(out, { recursive: true, force: true });
  const env = {
    ...process.env,
    CHECKPOINT_DISABLE: '1',
    CI: '1',
    PATH: nodeBinDir ? `${nodeBinDir}:${process.env.PATH}` : process.env.PATH,
  };
  const r = await execa(cli, ['synth'], { cwd, env, all: true, reject: false, timeout: 10 * 60_000 });
  if (r.exitCode !== 0) throw new Error(`${path.basename(cli)} synth failed (exit ${r.exitCode}):\n${r.all?.slice(-3000)}`);
  return r.all ?? '';
}

describeWithEngine('the app under the CDK CLIs', () => {
  beforeAll(ensureTools, 15 * 60_000);

  it('`cdktn synth` (cdktn-cli 0.24 on Node 22 from npm) synthesizes the built-in example', async () => {
    const node22 = NODE22_BIN_DIR;
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

  const LIBRARY = path.join(REPO_ROOT, 'examples', 'library');
  /** What the library example must synthesize to, whichever CLI runs it. */
  function expectLibraryStack(): void {
    const stack = JSON.parse(fs.readFileSync(path.join(LIBRARY, 'cdktf.out', 'stacks', 'ledger-dev', 'cdk.tf.json'), 'utf8'));
    // The config's region and tags, the provider constraint, the local state next to the config: no hidden context.
    expect(stack.provider.aws[0].region).toBe('eu-west-1');
    expect(stack.provider.aws[0].default_tags[0].tags).toMatchObject({ 'backplane:app': 'ledger', team: 'payments' });
    expect(stack.terraform.required_providers.aws.version).toBe('>= 5.100, < 7');
    expect(stack.terraform.backend.local.path).toBe(path.join(LIBRARY, 'terraform.ledger-dev.tfstate'));
    // Readable names, the user's own queue beside Backplane's resources, and the escape-hatch override.
    expect(Object.keys(stack.resource.aws_ecs_service)).toEqual(['service_service']);
    expect(stack.resource.aws_sqs_queue.audit_events.name).toBe('ledger-dev-audit-events');
    expect(stack.resource.aws_ecs_service.service_service.health_check_grace_period_seconds).toBe(120);
  }

  it('`cdktn synth` runs examples/library (BackplaneStack + a resource of its own + an override)', async () => {
    const log = await synthWith(bin('cdktn'), NODE22_BIN_DIR, LIBRARY);
    expect(log).toMatch(/Generated Terraform code for the stacks: ledger-dev/);
    expectLibraryStack();
  });

  it('the archived `cdktf synth` runs examples/library unchanged', async () => {
    const log = await synthWith(bin('cdktf'), undefined, LIBRARY);
    expect(log).toMatch(/Generated Terraform code for the stacks: ledger-dev/);
    expectLibraryStack();
  });
});
