/**
 * The `backplane` binary as users run it: bin/backplane.js in a fresh process, on a copy of the package laid out as
 * `npm run build` lays it out (the bundles of scripts/bundle.mjs, built from src/ into <tmp>/dist). Covers what only
 * a real process shows: exit codes, the .ts config loader, `import ... from 'backplane'`, and a missing dist/.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { repoRoot } from '../support/synth';

describe('bin/backplane.js', () => {
  const pkg = fs.mkdtempSync(path.join(os.tmpdir(), 'backplane-pkg-'));
  const bin = path.join(pkg, 'bin', 'backplane.js');
  const run = (args: string[], cwd: string) => {
    const r = spawnSync(process.execPath, [bin, ...args], {
      cwd,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, HOME: os.tmpdir() },
      timeout: 120_000,
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  beforeAll(() => {
    execFileSync(process.execPath, [path.join(repoRoot, 'scripts', 'bundle.mjs'), '--outdir', path.join(pkg, 'dist')]);
    fs.cpSync(path.join(repoRoot, 'examples', 'fullstack'), path.join(pkg, 'examples', 'fullstack'), { recursive: true });
    fs.mkdirSync(path.join(pkg, 'bin'));
    fs.copyFileSync(path.join(repoRoot, 'bin', 'backplane.js'), bin);
    fs.copyFileSync(path.join(repoRoot, 'package.json'), path.join(pkg, 'package.json'));
    fs.symlinkSync(path.join(repoRoot, 'node_modules'), path.join(pkg, 'node_modules'));
  }, 120_000);

  it('cost --json prints the built-in example at or below $55', () => {
    const r = run(['cost', '--json', '--example'], os.tmpdir());
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).total).toBeLessThanOrEqual(55);
  });

  it('inside the package without a config, diagram prints Mermaid for the built-in example', () => {
    const r = run(['diagram', '--outdir', path.join(pkg, 'out')], pkg);
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('flowchart LR\n')).toBe(true);
    expect(r.stderr).toContain('using the built-in example');
  });

  it("loads a TypeScript config that imports 'backplane' and its own .ts modules", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'backplane-user-'));
    fs.writeFileSync(path.join(dir, 'sizes.ts'), 'export const memory: number = 1024;\n');
    fs.writeFileSync(
      path.join(dir, 'backplane.config.ts'),
      [
        "import { defineConfig } from 'backplane';",
        "import { memory } from './sizes';",
        "export default defineConfig({ name: 'tsuser', domain: 'example.com', service: { imageTag: 'v1', cpu: 512, memory }, edge: { mode: 'subdomain' } });",
      ].join('\n'),
    );
    const r = run(['cost', '--json'], dir);
    expect(r.stderr).toBe('');
    const report = JSON.parse(r.stdout);
    expect(report.stack).toBe('tsuser-dev');
    expect(report.lines[0].item).toContain('0.5 vCPU / 1 GB');
  });

  it('exit codes: 2 for usage, 1 for a failure, each one line on stderr', () => {
    const usage = run(['deploi'], os.tmpdir());
    expect(usage.code).toBe(2);
    expect(usage.stderr.trim().split('\n')).toHaveLength(1);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'backplane-user-'));
    fs.writeFileSync(path.join(dir, 'backplane.config.ts'), 'export default { name: "x" ;');
    const broken = run(['synth'], dir);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/^backplane synth: could not load backplane\.config\.ts/);
    expect(broken.stderr.trim().split('\n')).toHaveLength(1);
  });

  it.each([['status'], ['logs'], ['secrets', 'list'], ['migrate', '--no-wait'], ['run', '--no-wait', '--', 'true'], ['db', 'tunnel']])(
    'the bundled `%s` builds its lazily loaded AWS SDK client and reaches the network',
    (...argv) => {
      const config = path.join(pkg, 'day-two.config.json');
      fs.writeFileSync(
        config,
        JSON.stringify({
          name: 'shop',
          domain: 'example.com',
          service: { imageTag: 'v1', migrateCommand: ['m'] },
          edge: { mode: 'subdomain' },
          database: {},
          secrets: { API_KEY: { description: 'key' } },
        }),
      );
      const r = spawnSync(process.execPath, [bin, ...argv, '--config', config], {
        cwd: pkg,
        encoding: 'utf8',
        // A closed port: the first request fails to connect, after the client was built.
        env: {
          PATH: process.env.PATH,
          HOME: os.tmpdir(),
          AWS_ACCESS_KEY_ID: 'x',
          AWS_SECRET_ACCESS_KEY: 'y',
          AWS_REGION: 'us-east-1',
          AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
          AWS_MAX_ATTEMPTS: '1',
        },
        timeout: 60_000,
      });
      expect(r.status).toBe(1);
      expect(r.stderr).not.toMatch(/is not a constructor|is not a function/);
      expect(r.stderr).toMatch(/ECONNREFUSED|connect|network/i);
    },
  );

  it('without dist/ says to build', () => {
    const bare = fs.mkdtempSync(path.join(os.tmpdir(), 'backplane-bare-'));
    fs.mkdirSync(path.join(bare, 'bin'));
    fs.copyFileSync(bin, path.join(bare, 'bin', 'backplane.js'));
    const r = spawnSync(process.execPath, [path.join(bare, 'bin', 'backplane.js'), 'cost'], { cwd: bare, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('backplane: the compiled CLI is missing (dist/cli.js): run npm run build\n');
  });
});
