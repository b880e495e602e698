import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { COMMANDS } from '../../src/cli/index';
import { repoRoot } from '../support/synth';
import { cli } from './support/cli';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'backplane-cli-'));
/** A user error is one line on stderr: no stack trace, no "at file:line". */
const oneLine = (stderr: string) => {
  expect(stderr.split('\n').filter(Boolean)).toHaveLength(1);
  expect(stderr).not.toMatch(/^\s+at /m);
};
const jsonConfig = (dir: string, config: object, name = 'backplane.config.json') => {
  fs.writeFileSync(path.join(dir, name), JSON.stringify(config));
  return path.join(dir, name);
};
const VALID = { name: 'shop', domain: 'example.com', service: { imageTag: 'v1' }, edge: { mode: 'subdomain' } };

describe('help and usage', () => {
  it('lists every command', async () => {
    const r = await cli(['--help'], { cwd: repoRoot });
    expect(r.code).toBe(0);
    for (const c of COMMANDS) expect(r.stdout).toContain(`  ${c.name}`);
    for (const name of ['init', 'synth', 'plan', 'deploy', 'destroy', 'cost', 'diagram', 'cloudfront snapshot', 'image push', 'doctor']) {
      expect(COMMANDS.map((c) => c.name)).toContain(name);
    }
  });

  it.each(COMMANDS.map((c) => c.name))('`%s --help` prints its usage and options', async (name) => {
    const r = await cli([...name.split(' '), '--help'], { cwd: repoRoot });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Usage: backplane ${name}`);
    expect(r.stdout).toContain('--help');
    expect(r.stderr).toBe('');
  });

  it.each([
    [['frobnicate'], /unknown command "frobnicate"/],
    [['cost', '--jsn'], /unknown option "--jsn" for `backplane cost`/],
    [['cost', 'extra'], /unexpected argument "extra"/],
    [['diagram', '--out'], /--out needs a value/],
    [['diagram', '--direction', 'UP'], /--direction must be one of LR, TB/],
    [['cost', '--requests', 'lots'], /--requests must be a number/],
    [['cloudfront'], /`backplane cloudfront` needs a subcommand: snapshot/],
    [['image', 'pull'], /`backplane image` has no subcommand "pull": push/],
    [['--json'], /put options after the command/],
  ])('usage error %j: one line, exit 2', async (argv, message) => {
    const r = await cli(argv as string[], { cwd: repoRoot });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    oneLine(r.stderr);
  });
});

describe('cost', () => {
  it('--json prints the built-in example at or below $55 (inside the repo, no config: the built-in example)', async () => {
    const r = await cli(['cost', '--json'], { cwd: repoRoot });
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.total).toBeLessThanOrEqual(55);
    expect(report.stack).toBe('shop-dev');
    expect(report.lines.length).toBeGreaterThan(3);
    expect(report.levers.map((l: { text: string }) => l.text)).toContain('network.nat: none → instance costs $3.07/month');
    expect(r.stderr).toContain('using the built-in example');
  });

  it('prints a table with the total, the levers and the field anchors', async () => {
    const r = await cli(['cost', '--example', '--requests', '1000000'], { cwd: repoRoot });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Total per month\s+\$\d+\.\d\d/);
    expect(r.stdout).toContain('1,000,000 requests/month');
    expect(r.stdout).toContain('Levers');
    expect(r.stdout).toContain('$90.87');
  });

  it('reports a bad config as its problem list, exit 1, no stack trace', async () => {
    const dir = tmp();
    const file = jsonConfig(dir, { ...VALID, network: { nat: 'sometimes' }, service: { imageTag: 'v1', cpu: 300 } });
    const r = await cli(['cost', '--config', file], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('backplane.config.json has 2 problems');
    expect(r.stderr).toMatch(/network\.nat = "sometimes": must be one of "instance", "gateway", "none"/);
    expect(r.stderr).toMatch(/service\.cpu = 300/);
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });

  it('refuses negative usage', async () => {
    const r = await cli(['cost', '--example', '--emails', '-5'], { cwd: repoRoot });
    expect(r.code).toBe(2);
    oneLine(r.stderr);
  });
});

describe('config loading', () => {
  it('outside the repo without a config: one line that says what to do', async () => {
    const r = await cli(['cost'], { cwd: tmp() });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no backplane\.config\.ts in .*: run `backplane init`/);
    oneLine(r.stderr);
  });

  it('--config naming a missing file', async () => {
    const r = await cli(['synth', '--config', 'nope.ts'], { cwd: tmp() });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('backplane synth: config file nope.ts not found (run `backplane init` to create one)');
  });

  it('loads ./backplane.config.json, .js and .ts by default', async () => {
    const dir = tmp();
    jsonConfig(dir, VALID);
    expect(JSON.parse((await cli(['cost', '--json'], { cwd: dir })).stdout).stack).toBe('shop-dev');
    const js = tmp();
    fs.writeFileSync(path.join(js, 'backplane.config.js'), `module.exports = ${JSON.stringify({ ...VALID, name: 'jsapp' })};`);
    expect(JSON.parse((await cli(['cost', '--json'], { cwd: js })).stdout).stack).toBe('jsapp-dev');
    const ts = tmp();
    fs.writeFileSync(
      path.join(ts, 'backplane.config.ts'),
      `const config: Record<string, unknown> = ${JSON.stringify({ ...VALID, name: 'tsapp' })};\nexport default config;\n`,
    );
    expect(JSON.parse((await cli(['cost', '--json'], { cwd: ts })).stdout).stack).toBe('tsapp-dev');
  });

  it('a config that throws or exports nothing is one line', async () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'backplane.config.js'), 'throw new Error("boom in config");');
    const r = await cli(['cost'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('backplane cost: could not load backplane.config.js: boom in config');
    const other = tmp();
    fs.writeFileSync(path.join(other, 'backplane.config.js'), 'module.exports = 42;');
    const r2 = await cli(['cost'], { cwd: other });
    expect(r2.stderr).toMatch(/must export the config as its default export: export default defineConfig\(\{/);
    oneLine(r2.stderr);
  });
});

describe('synth and diagram', () => {
  it('synth --json writes cdk.tf.json and counts the resources', async () => {
    const out = tmp();
    const r = await cli(['synth', '--example', '--outdir', out, '--json'], { cwd: repoRoot });
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.stack).toBe('shop-dev');
    const json = JSON.parse(fs.readFileSync(s.file, 'utf8'));
    expect(Object.keys(json.resource).length).toBe(Object.keys(s.resources).length);
    // Instances, as the plan counts them: two public and two private subnets are two blocks with count = 2.
    expect(Object.keys(json.resource.aws_subnet)).toHaveLength(2);
    expect(s.resources.aws_subnet).toBe(4);
    expect(s.resourceCount).toBe(Object.values(s.resources as Record<string, number>).reduce((a, b) => a + b, 0));
  });

  it('diagram prints Mermaid for the built-in example', async () => {
    const r = await cli(['diagram', '--example', '--outdir', tmp()], { cwd: repoRoot });
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('flowchart LR');
    expect(r.stdout).toMatch(/subgraph compute\["Compute"\]/);
    expect(r.stdout).toMatch(/ --> /);
  });

  it('diagram --out writes Markdown with a mermaid block', async () => {
    const dir = tmp();
    const r = await cli(['diagram', '--example', '--outdir', path.join(dir, 'out'), '--out', 'docs/arch.md'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^wrote docs\/arch\.md: \d+ components, \d+ connections/);
    const md = fs.readFileSync(path.join(dir, 'docs', 'arch.md'), 'utf8');
    expect(md).toContain('```mermaid\nflowchart LR');
  });
});
