/**
 * The generated modules on the real engine: every module passes `terraform init` + `validate` with the real
 * aws provider, and a wrong input fails `terraform plan` with the module's own validation message. The
 * plain-Terraform example that composes them all is hcl-fullstack.e2e.test.ts.
 */
import * as fs from 'fs';
import * as path from 'path';
import { catalog } from '../../src/modules/catalog';
import { describeWithEngine, E2E_WORK_ROOT, REPO_ROOT, startMoto, TerraformWorkspace, type MotoServer } from './lib';

const RUN = `modules-${process.pid}`;

/** A root module (in `<work>/<RUN>-src/<scenario>`) that calls `modules/<name>` with the given inputs. */
function rootFor(scenario: string, name: string, inputs: Record<string, unknown>): string {
  const dir = path.join(E2E_WORK_ROOT, `${RUN}-src`, scenario);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const body = Object.entries(inputs)
    .map(([k, v]) => `  ${k} = ${JSON.stringify(v)}`)
    .join('\n');
  fs.writeFileSync(
    path.join(dir, 'main.tf'),
    `provider "aws" {\n  region = "us-east-1"\n}\n\nmodule "m" {\n  source = "${path.join(REPO_ROOT, 'modules', name)}"\n${body}\n}\n`,
  );
  return dir;
}

describeWithEngine('the generated modules on the real engine', () => {
  let moto: MotoServer;
  beforeAll(async () => {
    moto = await startMoto();
  });
  afterAll(async () => {
    await moto?.stop();
  });

  // Modules that require a provider other than hashicorp/aws cannot be initialized offline (only the aws
  // provider is mirrored here): they are checked by synth assertions instead (test/dns).
  const offline = catalog.filter((e) => !e.definition.extraProviders);

  it.each(offline.map((e) => e.definition.name))('modules/%s passes terraform init + validate with the real aws provider', async (name) => {
    const dir = path.join(REPO_ROOT, 'modules', name);
    expect(fs.existsSync(path.join(dir, 'main.tf'))).toBe(true);
    const ws = TerraformWorkspace.create({ name: `${RUN}-${name}`, sourceDir: dir, moto });
    await ws.init();
    await ws.validate();
  });

  /** The stderr of a plan of modules/ecs-service with `inputs`, which must fail; whitespace collapsed (terraform wraps lines). */
  async function ecsServicePlanError(scenario: string, inputs: Record<string, number>): Promise<string> {
    const dir = rootFor(scenario, 'ecs-service', {
      name: 'shop-dev',
      image: 'public.ecr.aws/docker/library/nginx:1.27',
      vpc_id: 'vpc-0123456789abcdef0',
      subnet_ids: ['subnet-0123456789abcdef0'],
      ...inputs,
    });
    const ws = TerraformWorkspace.create({ name: `${RUN}-${scenario}`, sourceDir: dir, moto });
    await ws.init();
    return (await ws.planFailure()).replace(/\s+/g, ' ');
  }

  // One wrong input per plan: memory's rules read var.cpu, so terraform skips them once cpu itself is invalid.
  it("refuses a Fargate cpu that does not exist (300) and a memory below 512 (100) at plan time with the module's messages", async () => {
    expect(await ecsServicePlanError('bad-cpu', { cpu: 300, memory: 512 })).toMatch(
      /cpu must be one of 256, 512, 1024, 2048, 4096, 8192, 16384/,
    );
    expect(await ecsServicePlanError('bad-memory', { cpu: 256, memory: 100 })).toMatch(/memory must be a whole number from 512 to 122880/);
  });

  it('refuses min_count above max_count (5 > 2), the rule the TypeScript config has as service.scaling.min <= max', async () => {
    expect(await ecsServicePlanError('bad-counts', { cpu: 256, memory: 512, min_count: 5, max_count: 2 })).toMatch(
      /min_count must not exceed max_count \(autoscaling cannot keep more tasks than it may run\)/,
    );
  });

  it('refuses a memory size that does not fit the cpu (cpu 256, memory 4096) with the pair rule', async () => {
    expect(await ecsServicePlanError('bad-pair', { cpu: 256, memory: 4096 })).toMatch(
      /memory must be a valid Fargate size for the given cpu: 256 -> 512, 1024, 2048/,
    );
  });
});
