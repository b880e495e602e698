/**
 * The generated modules on the real engine: every module passes `terraform init` + `validate` with the real
 * aws provider; a wrong input fails `terraform plan` with the module's own validation message; and the
 * plain-Terraform example (examples/hcl-fullstack) applies to moto, re-plans clean and destroys.
 */
import * as fs from 'fs';
import * as path from 'path';
import { DescribeServicesCommand, ECSClient } from '@aws-sdk/client-ecs';
import { catalog } from '../../src/modules/catalog';
import { awsClientConfig, describeWithEngine, E2E_WORK_ROOT, REPO_ROOT, startMoto, TerraformWorkspace, type MotoServer } from './lib';

const RUN = `modules-${process.pid}`;

/** A root module that calls `modules/<name>` with the given inputs. */
function rootFor(name: string, inputs: Record<string, unknown>): string {
  const dir = path.join(E2E_WORK_ROOT, `${RUN}-src`, name);
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

  it("refuses a Fargate size that does not exist (cpu 300, memory 100) at plan time with the module's message", async () => {
    const dir = rootFor('ecs-service-bad-size', {
      name: 'shop-dev',
      image: 'public.ecr.aws/docker/library/nginx:1.27',
      vpc_id: 'vpc-0123456789abcdef0',
      subnet_ids: ['subnet-0123456789abcdef0'],
      cpu: 300,
      memory: 100,
    });
    const ws = TerraformWorkspace.create({ name: `${RUN}-bad-size`, sourceDir: dir, moto });
    await ws.init();
    const stderr = await ws.planFailure();
    expect(stderr).toMatch(/cpu must be one of 256, 512, 1024, 2048, 4096, 8192, 16384/);
    expect(stderr).toMatch(/memory must be a whole number from 512 to 122880/);
  });

  it('refuses a memory size that does not fit the cpu (cpu 256, memory 4096) with the pair rule', async () => {
    const dir = rootFor('ecs-service-bad-pair', {
      name: 'shop-dev',
      image: 'public.ecr.aws/docker/library/nginx:1.27',
      vpc_id: 'vpc-0123456789abcdef0',
      subnet_ids: ['subnet-0123456789abcdef0'],
      cpu: 256,
      memory: 4096,
    });
    const ws = TerraformWorkspace.create({ name: `${RUN}-bad-pair`, sourceDir: dir, moto });
    await ws.init();
    expect(await ws.planFailure()).toMatch(/memory must be a valid Fargate size for the given cpu: 256 -> 512, 1024, 2048/);
  });

  it('applies examples/hcl-fullstack (plain Terraform over the modules), re-plans clean and destroys', async () => {
    const ws = TerraformWorkspace.create({
      name: `${RUN}-hcl-fullstack`,
      sourceDir: path.join(REPO_ROOT, 'examples', 'hcl-fullstack'),
      moto,
    });
    try {
      await ws.up();
      const out = await ws.output<Record<string, string>>();
      const ecs = new ECSClient(awsClientConfig(moto));
      const { services } = await ecs.send(new DescribeServicesCommand({ cluster: out.ecs_cluster_name, services: [out.ecs_service_name] }));
      expect(services?.[0]).toMatchObject({
        status: 'ACTIVE',
        desiredCount: 1,
        deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } },
      });
      ecs.destroy();
      const replan = await ws.replan();
      expect(replan.unexpected).toEqual([]);
      await ws.destroy();
    } finally {
      ws.printSummary();
    }
  });
});
