/**
 * `backplane plan` with the real Terraform and aws provider against a private moto_server (the provider honours
 * AWS_ENDPOINT_URL): synthesis, init from the offline plugin mirror, a real plan, and the summary.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { countResources } from '../../src/app';
import { cli, motoClients, motoTerraformEnv } from './support/cli';
import { startMoto, type Moto } from './support/moto';

describe('plan with the real terraform against moto', () => {
  let moto: Moto;
  beforeAll(async () => {
    moto = await startMoto();
  });
  afterAll(async () => {
    await moto?.stop();
  });

  it('plans every resource of a subdomain-mode stack and prints the counts', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'backplane-plan-'));
    const file = path.join(dir, 'backplane.config.json');
    fs.writeFileSync(
      file,
      JSON.stringify({ name: 'shop', domain: 'example.com', service: { imageTag: 'v1' }, edge: { mode: 'subdomain' } }),
    );
    const env = motoTerraformEnv(dir, moto.endpoint);
    const r = await cli(['plan', '--config', file, '--json'], { cwd: dir, env, deps: { aws: motoClients(moto.endpoint) } });
    if (r.code !== 0) throw new Error(r.stderr);
    const plan = JSON.parse(r.stdout);
    const synthesized = JSON.parse(fs.readFileSync(path.join(dir, 'cdktf.out', 'stacks', 'shop-dev', 'cdk.tf.json'), 'utf8'));
    const resources = Object.values(countResources(synthesized)).reduce((a, b) => a + b, 0);
    expect(plan.changes.add).toBe(resources); // the synth summary counts what the plan creates
    expect(plan.changes.change + plan.changes.remove).toBe(0);
    expect(plan.planned.map((p: { address: string }) => p.address)).toContain('aws_ecs_service.service_service');
    expect(fs.existsSync(path.join(dir, 'cdktf.out', 'stacks', 'shop-dev', 'backplane.tfplan'))).toBe(true);
    expect(r.stderr).toContain('+ aws_lb.load_balancer_load_balancer');
  }, 300_000);
});
