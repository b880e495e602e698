import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { AwsClients } from '../../src/cli/aws';
import { repoRoot } from '../support/synth';
import { cli, noCredentials, notInstalled, recordingRunner, type RecordedCall } from './support/cli';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'backplane-tf-'));
const withCredentials: AwsClients = { ...noCredentials, credentials: async () => ({ accessKeyId: 'AKIAEXAMPLEKEY123456' }) };
const ev = (type: string, body: object) => JSON.stringify({ '@level': 'info', '@message': type, type, ...body });
const res = (addr: string) => ({ addr, resource_type: addr.split('.')[0] });

const PLAN = [
  ev('version', { terraform: '1.11.4', ui: '1.2' }),
  ev('planned_change', { change: { resource: res('aws_vpc.network_vpc'), action: 'create' } }),
  ev('planned_change', { change: { resource: res('aws_ecs_service.service_service'), action: 'create' } }),
  ev('change_summary', { changes: { add: 2, change: 0, import: 0, remove: 0, operation: 'plan' } }),
].join('\n');
const READ_DATA = [
  ev('apply_start', { hook: { resource: res('data.aws_region.current'), action: 'read' } }),
  ev('apply_complete', { hook: { resource: res('data.aws_region.current'), action: 'read', elapsed_seconds: 0 } }),
];
// `terraform apply -json <plan>` lists the saved plan's changes again before applying them.
const APPLY = [
  ev('planned_change', { change: { resource: res('aws_vpc.network_vpc'), action: 'create' } }),
  ev('planned_change', { change: { resource: res('aws_ecs_service.service_service'), action: 'create' } }),
  ...READ_DATA,
  ev('apply_start', { hook: { resource: res('aws_vpc.network_vpc'), action: 'create' } }),
  ev('apply_complete', { hook: { resource: res('aws_vpc.network_vpc'), action: 'create', elapsed_seconds: 3 } }),
  ev('apply_start', { hook: { resource: res('aws_ecs_service.service_service'), action: 'create' } }),
  ev('apply_progress', { hook: { resource: res('aws_ecs_service.service_service'), action: 'create', elapsed_seconds: 10 } }),
  ev('apply_complete', { hook: { resource: res('aws_ecs_service.service_service'), action: 'create', elapsed_seconds: 75 } }),
  ev('change_summary', { changes: { add: 2, change: 0, import: 0, remove: 0, operation: 'apply' } }),
].join('\n');
const NO_CHANGES = ev('change_summary', { changes: { add: 0, change: 0, import: 0, remove: 0, operation: 'plan' } });

/** A fake terraform answering like the real one's -json UI. */
function fakeTerraform(
  overrides: Partial<Record<string, (c: RecordedCall) => { exitCode?: number; stdout?: string; stderr?: string }>> = {},
) {
  return recordingRunner((c) => {
    const sub = c.args[0] === 'state' ? `state ${c.args[1]}` : c.args[0];
    const o = overrides[sub];
    if (o) return o(c);
    if (sub === 'plan') return { stdout: PLAN };
    if (sub === 'apply') return { stdout: APPLY };
    // A plan with no certificate validation to wait for: the two-step manual-DNS deploy runs for real in
    // test/e2e/manual-dns.e2e.test.ts.
    if (sub === 'show') return { stdout: '{}' };
    if (sub === 'output')
      return {
        stdout: JSON.stringify({
          alb_dns_name: { value: 'internal-shop.elb.amazonaws.com' },
          secret: { value: 'x', sensitive: true },
          dns_records_table: { value: 'CNAME  a.example.com  ->  b\nCNAME  c.example.com  ->  d' },
        }),
      };
    return {};
  });
}
const subcommands = (calls: RecordedCall[]) => calls.map((c) => `${c.command} ${c.args.join(' ')}`);

/** A config file in a temp dir (with the frontend snapshot next to it, for attach mode). */
function configDir(config: object): { dir: string; file: string } {
  const dir = tmp();
  fs.copyFileSync(path.join(repoRoot, 'test', 'fixtures', 'frontend-distribution.json'), path.join(dir, 'frontend-distribution.json'));
  const file = path.join(dir, 'backplane.config.json');
  fs.writeFileSync(file, JSON.stringify(config));
  return { dir, file };
}
const FIXTURE_ID: string = JSON.parse(fs.readFileSync(path.join(repoRoot, 'test', 'fixtures', 'frontend-distribution.json'), 'utf8')).Id;
const ATTACHED = {
  name: 'shop',
  domain: 'example.com',
  service: { imageTag: 'v1' },
  edge: { mode: 'attach', distributionId: FIXTURE_ID, snapshotFile: 'frontend-distribution.json' },
};

describe("plan and deploy check the DNS provider's credentials before terraform runs", () => {
  const CLOUDFLARE = {
    name: 'shop',
    domain: 'example.com',
    service: { imageTag: 'v1' },
    edge: { mode: 'subdomain' },
    dns: { provider: 'cloudflare', zoneId: '0123456789abcdef0123456789abcdef', apiTokenEnv: 'SHOP_CF_TOKEN' },
  };

  it.each(['plan', 'deploy', 'destroy'])(
    '%s without the token named by dns.apiTokenEnv: one line naming it, terraform never runs',
    async (command) => {
      const runner = fakeTerraform();
      const { dir, file } = configDir(CLOUDFLARE);
      const r = await cli([command, '--config', file, ...(command === 'plan' ? [] : ['--yes'])], {
        cwd: dir,
        env: {},
        deps: { runner, aws: withCredentials },
      });
      expect(r.code).toBe(1);
      expect(r.stderr.trimEnd()).toBe(
        `backplane ${command}: ${command} needs the DNS provider's credentials: dns.apiTokenEnv = "SHOP_CF_TOKEN": the environment variable SHOP_CF_TOKEN is not set. Export a Cloudflare API token with the "Zone / DNS / Edit" permission for the zone, e.g. export SHOP_CF_TOKEN=...`,
      );
      expect(runner.calls).toHaveLength(0);
    },
  );

  it('passes the token to terraform as CLOUDFLARE_API_TOKEN, what the Cloudflare provider reads', async () => {
    const runner = fakeTerraform();
    const { dir, file } = configDir(CLOUDFLARE);
    const r = await cli(['plan', '--config', file], {
      cwd: dir,
      env: { SHOP_CF_TOKEN: 'cf-token-value' },
      deps: { runner, aws: withCredentials },
    });
    expect(r.code).toBe(0);
    expect(runner.calls.length).toBeGreaterThan(0);
    for (const c of runner.calls) expect(c.options.env?.CLOUDFLARE_API_TOKEN).toBe('cf-token-value');
    expect(r.stderr + r.stdout).not.toContain('cf-token-value');
  });
});

describe('plan', () => {
  it('without AWS credentials: one line, and terraform never runs', async () => {
    const runner = fakeTerraform();
    const r = await cli(['plan', '--example', '--outdir', tmp()], { cwd: repoRoot, deps: { runner } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^backplane plan: plan needs AWS credentials and none were found: set AWS_PROFILE/);
    expect(r.stderr.split('\n')).toHaveLength(1);
    expect(runner.calls).toHaveLength(0);
  });

  it('runs init and plan in the synthesized stack directory, a line per planned change, then the summary', async () => {
    const runner = fakeTerraform();
    const out = tmp();
    const r = await cli(['plan', '--example', '--outdir', out], {
      cwd: repoRoot,
      env: { BACKPLANE_TF_PLUGIN_DIR: '/opt/tf-plugins', TF_CLI_CONFIG_FILE: '/nonexistent/.terraformrc' },
      deps: { runner, aws: withCredentials },
    });
    expect(r.code).toBe(0);
    expect(subcommands(runner.calls)).toEqual([
      'terraform init -input=false -no-color -plugin-dir=/opt/tf-plugins',
      'terraform plan -json -input=false -out=backplane.tfplan',
    ]);
    for (const c of runner.calls) {
      expect(c.options.cwd).toBe(path.join(out, 'stacks', 'shop-dev'));
      expect(c.options.env?.TF_IN_AUTOMATION).toBe('1');
      expect(c.options.env?.TF_CLI_CONFIG_FILE).toBeUndefined(); // it pointed at nothing
    }
    expect(r.stderr).toContain('  + aws_vpc.network_vpc');
    expect(r.stdout).toMatch(/^Plan for shop-dev: 2 to add, 0 to change, 0 to destroy \(\d+s\)/);
  });

  it('--json prints the counts and the planned changes', async () => {
    const r = await cli(['plan', '--example', '--outdir', tmp(), '--json'], {
      cwd: repoRoot,
      deps: { runner: fakeTerraform(), aws: withCredentials },
    });
    const j = JSON.parse(r.stdout);
    expect(j.changes).toMatchObject({ add: 2, change: 0, remove: 0 });
    expect(j.planned.map((p: { address: string }) => p.address)).toEqual(['aws_vpc.network_vpc', 'aws_ecs_service.service_service']);
  });

  it('terraform missing: one line with how to install it; TERRAFORM_BINARY_NAME=tofu runs tofu', async () => {
    const missing = recordingRunner(() => {
      throw notInstalled('terraform');
    });
    const r = await cli(['plan', '--example', '--outdir', tmp()], { cwd: repoRoot, deps: { runner: missing, aws: withCredentials } });
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n').pop()).toBe(
      'backplane plan: terraform not found on PATH: install Terraform >= 1.11 (https://developer.hashicorp.com/terraform/install), or set TERRAFORM_BINARY_NAME=tofu',
    );
    const runner = fakeTerraform();
    await cli(['plan', '--example', '--outdir', tmp()], {
      cwd: repoRoot,
      env: { TERRAFORM_BINARY_NAME: 'tofu' },
      deps: { runner, aws: withCredentials },
    });
    expect(runner.calls.map((c) => c.command)).toEqual(['tofu', 'tofu']);
  });

  it("a failed init or plan is one line naming terraform's first error", async () => {
    const init = fakeTerraform({
      init: () => ({
        exitCode: 1,
        stderr:
          '╷\n│ Error: Failed to query available provider packages\n│\n│ Could not retrieve the list of available versions for provider hashicorp/aws: could not connect to registry.terraform.io: failed to request discovery document: dial tcp: lookup registry.terraform.io: no such host\n╵',
      }),
    });
    const r = await cli(['plan', '--example', '--outdir', tmp()], { cwd: repoRoot, deps: { runner: init, aws: withCredentials } });
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n').pop()).toBe(
      'backplane plan: terraform init failed: Failed to query available provider packages: Could not retrieve the list of available versions for provider hashicorp/aws: could not connect to registry.terraform.io: failed to request discovery document: dial tcp: lookup registry.terraform.io: no such host — the provider registry cannot be reached: give terraform a provider mirror (BACKPLANE_TF_PLUGIN_DIR=<dir> runs init -plugin-dir=<dir>, or a CLI config with a filesystem_mirror in TF_CLI_CONFIG_FILE)',
    );
  });

  it('state.backend "cloud" needs an HCP Terraform token, not AWS credentials', async () => {
    const { dir, file } = configDir({
      ...ATTACHED,
      edge: { mode: 'subdomain' },
      state: { backend: 'cloud', organization: 'acme', workspace: 'shop-dev' },
    });
    const runner = fakeTerraform();
    const r = await cli(['plan', '--config', file], { cwd: dir, env: { HOME: dir }, deps: { runner } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no token was found: run `terraform login` or set TF_TOKEN_app_terraform_io/);
    expect(runner.calls).toHaveLength(0);
    const ok = await cli(['plan', '--config', file], { cwd: dir, env: { HOME: dir, TF_TOKEN_app_terraform_io: 'x' }, deps: { runner } });
    expect(ok.code).toBe(0);
    // `terraform login` writes the token to ~/.terraform.d/credentials.tfrc.json: that counts too.
    fs.mkdirSync(path.join(dir, '.terraform.d'));
    fs.writeFileSync(
      path.join(dir, '.terraform.d', 'credentials.tfrc.json'),
      JSON.stringify({ credentials: { 'app.terraform.io': { token: 't' } } }),
    );
    expect((await cli(['plan', '--config', file], { cwd: dir, env: { HOME: dir }, deps: { runner } })).code).toBe(0);
  });
});

describe('deploy', () => {
  it('lists each planned change once (the apply of the saved plan repeats them), then one line per applied resource', async () => {
    const r = await cli(['deploy', '--example', '--outdir', tmp(), '--yes'], {
      cwd: repoRoot,
      deps: { runner: fakeTerraform(), aws: withCredentials },
    });
    expect(r.code).toBe(0);
    expect(r.stderr.match(/^ {2}\+ aws_ecs_service\.service_service$/gm)).toHaveLength(1);
    expect(r.stderr).toMatch(/✓ aws_ecs_service\.service_service created \(1m15s\)/);
  });

  it.each([0, 1])('deletes the saved plan (it holds sensitive values) after the apply, which exited %i', async (applyExit) => {
    const seen: boolean[] = [];
    const runner = fakeTerraform({
      plan: (c) => (fs.writeFileSync(path.join(c.options.cwd!, 'backplane.tfplan'), 'plan with secrets'), { stdout: PLAN }),
      apply: (c) => (seen.push(fs.existsSync(path.join(c.options.cwd!, 'backplane.tfplan'))), { exitCode: applyExit, stdout: APPLY }),
    });
    const out = tmp();
    const r = await cli(['deploy', '--example', '--outdir', out, '--yes'], { cwd: repoRoot, deps: { runner, aws: withCredentials } });
    expect(r.code).toBe(applyExit);
    expect(seen).toEqual([true]);
    expect(fs.existsSync(path.join(out, 'stacks', 'shop-dev', 'backplane.tfplan'))).toBe(false);
  });

  it('without a terminal and without --yes: refuses before applying', async () => {
    const runner = fakeTerraform();
    const r = await cli(['deploy', '--example', '--outdir', tmp()], { cwd: repoRoot, deps: { runner, aws: withCredentials } });
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n').pop()).toMatch(
      /^backplane deploy: deploy changes real infrastructure: review `backplane plan`, then run with --yes/,
    );
    expect(subcommands(runner.calls).some((c) => c.includes(' apply '))).toBe(false);
  });

  it('asks, and "no" changes nothing', async () => {
    const runner = fakeTerraform();
    const r = await cli(['deploy', '--example', '--outdir', tmp()], {
      cwd: repoRoot,
      answers: ['n'],
      deps: { runner, aws: withCredentials },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('cancelled: nothing was changed');
    expect(subcommands(runner.calls).some((c) => c.includes(' apply '))).toBe(false);
  });

  it('--yes applies the saved plan with progress per resource, then prints the summary and outputs', async () => {
    const runner = fakeTerraform();
    const r = await cli(['deploy', '--example', '--outdir', tmp(), '--yes'], { cwd: repoRoot, deps: { runner, aws: withCredentials } });
    expect(r.code).toBe(0);
    expect(subcommands(runner.calls)).toEqual([
      'terraform init -input=false -no-color',
      'terraform plan -json -input=false -out=backplane.tfplan',
      // Whether the deploy must run in two steps (manual DNS, a certificate still to validate): here not.
      'terraform show -json -no-color backplane.tfplan',
      'terraform apply -json -input=false -auto-approve backplane.tfplan',
      'terraform output -json',
    ]);
    expect(r.stderr).toContain('  ✓ aws_vpc.network_vpc created (3s)');
    expect(r.stderr).toContain('  still creating aws_ecs_service.service_service (10s)');
    expect(r.stderr).toContain('  ✓ aws_ecs_service.service_service created (1m15s)');
    expect(r.stdout).toMatch(/^Deployed shop-dev: 2 added, 0 changed, 0 destroyed in \d+s\./);
    expect(r.stdout).toContain('alb_dns_name = internal-shop.elb.amazonaws.com');
    expect(r.stdout).toContain('secret = (sensitive)');
    expect(r.stdout).toContain('  dns_records_table =\n    CNAME  a.example.com  ->  b\n    CNAME  c.example.com  ->  d');
    expect(r.stderr).not.toContain('data.aws_region.current'); // data source reads are not progress
  });

  it('nothing to change: no apply', async () => {
    const runner = fakeTerraform({ plan: () => ({ stdout: NO_CHANGES }) });
    const r = await cli(['deploy', '--example', '--outdir', tmp(), '--yes'], { cwd: repoRoot, deps: { runner, aws: withCredentials } });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('No changes: shop-dev is up to date.');
    expect(runner.calls).toHaveLength(2);
  });

  it('a failed apply prints the errors and exits 1 with the first one', async () => {
    const failing = [
      ev('apply_errored', { hook: { resource: res('aws_ecs_service.service_service'), action: 'create', elapsed_seconds: 600 } }),
      ev('diagnostic', {
        '@level': 'error',
        diagnostic: {
          severity: 'error',
          summary: 'ECS deployment rolled back',
          detail: 'the circuit breaker rolled back',
          address: 'aws_ecs_service.service_service',
        },
      }),
    ].join('\n');
    const runner = fakeTerraform({ apply: () => ({ exitCode: 1, stdout: failing }) });
    const r = await cli(['deploy', '--example', '--outdir', tmp(), '--yes'], { cwd: repoRoot, deps: { runner, aws: withCredentials } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('  ✗ aws_ecs_service.service_service failed (10m00s)');
    expect(r.stderr).toContain('Error: ECS deployment rolled back (aws_ecs_service.service_service)');
    expect(r.stderr.split('\n').pop()).toBe(
      'backplane deploy: terraform apply failed: ECS deployment rolled back (aws_ecs_service.service_service)',
    );
  });
});

describe('destroy', () => {
  it('refuses while the config still attaches to the distribution, and says how to detach', async () => {
    const { dir, file } = configDir(ATTACHED);
    const runner = fakeTerraform();
    const r = await cli(['destroy', '--config', file, '--yes'], { cwd: dir, deps: { runner, aws: withCredentials } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      new RegExp(`^backplane destroy: destroy refused: the API is still attached to CloudFront distribution ${FIXTURE_ID}`),
    );
    expect(r.stderr).toContain('set edge.detach: true in backplane.config.json and run `backplane deploy`');
    expect(r.stderr).toContain('`backplane destroy --detached`');
    expect(r.stderr.split('\n')).toHaveLength(1);
    expect(runner.calls).toHaveLength(0);
  });

  it('a preview stage of an attached config destroys without detaching: it never attached to the distribution', async () => {
    const { dir, file } = configDir({ ...ATTACHED, preview: { parent: 'dev' } });
    const runner = fakeTerraform({
      plan: () => ({ stdout: ev('change_summary', { changes: { add: 0, change: 0, import: 0, remove: 3, operation: 'destroy' } }) }),
      apply: () => ({ stdout: ev('change_summary', { changes: { add: 0, change: 0, import: 0, remove: 3, operation: 'destroy' } }) }),
    });
    const r = await cli(['destroy', '--config', file, '--stage', 'pr-12', '--yes'], { cwd: dir, deps: { runner, aws: withCredentials } });
    expect(r.stderr).not.toContain('destroy refused');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Destroyed shop-pr-12: 3 resources');
    // The parent itself still has to detach first.
    const parent = await cli(['destroy', '--config', file, '--yes'], { cwd: dir, deps: { runner: fakeTerraform(), aws: withCredentials } });
    expect(parent.stderr).toContain('destroy refused');
  });

  it('--detached: forgets the distribution (state rm, never deleted), then destroys the rest', async () => {
    const { dir, file } = configDir(ATTACHED);
    const runner = fakeTerraform({
      'state list': () => ({ stdout: 'aws_cloudfront_distribution.frontend\naws_ecs_service.service_service\naws_vpc.network_vpc\n' }),
      plan: () => ({ stdout: ev('change_summary', { changes: { add: 0, change: 0, import: 0, remove: 2, operation: 'destroy' } }) }),
      apply: () => ({ stdout: ev('change_summary', { changes: { add: 0, change: 0, import: 0, remove: 2, operation: 'destroy' } }) }),
    });
    const r = await cli(['destroy', '--config', file, '--detached', '--yes'], { cwd: dir, deps: { runner, aws: withCredentials } });
    expect(r.code).toBe(0);
    expect(subcommands(runner.calls)).toEqual([
      'terraform init -input=false -no-color',
      'terraform state list',
      'terraform state rm aws_cloudfront_distribution.frontend',
      'terraform plan -json -input=false -out=backplane.tfplan -destroy',
      'terraform apply -json -input=false -auto-approve backplane.tfplan',
    ]);
    expect(r.stderr).toContain('forgetting aws_cloudfront_distribution.frontend: the distribution stays as it is');
    expect(r.stdout).toMatch(
      /^Destroyed shop-dev: 2 resources in \d+s; kept aws_cloudfront_distribution.frontend \(forgotten, not deleted\)\./,
    );
  });

  it('runs without --detached once the config says edge.detach: true', async () => {
    const { dir, file } = configDir({ ...ATTACHED, edge: { ...ATTACHED.edge, detach: true } });
    const runner = fakeTerraform({ plan: () => ({ stdout: NO_CHANGES }) });
    const r = await cli(['destroy', '--config', file, '--yes'], { cwd: dir, deps: { runner, aws: withCredentials } });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('Nothing to destroy in shop-dev.');
  });
});

describe('terraform diagnostics', () => {
  it('name the block of a configuration error that has no address', async () => {
    const diag = ev('diagnostic', {
      '@level': 'error',
      diagnostic: {
        severity: 'error',
        summary: 'Invalid count argument',
        snippet: { context: 'resource.aws_appautoscaling_policy.service_scale_on_requests' },
      },
    });
    const runner = fakeTerraform({ plan: () => ({ exitCode: 1, stdout: diag }) });
    const r = await cli(['plan', '--example', '--outdir', tmp()], { cwd: repoRoot, deps: { runner, aws: withCredentials } });
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n').pop()).toBe(
      'backplane plan: terraform plan failed: Invalid count argument (aws_appautoscaling_policy.service_scale_on_requests)',
    );
  });
});
