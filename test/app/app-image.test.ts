/**
 * The sample app's image and package, checked without a Docker engine: the Dockerfile is parsed and
 * its final stage is rebuilt as a directory (what its COPY lines put in the image), where `bun build`
 * must resolve every entry and the CMD must start. The README must document every variable the app
 * reads.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { APP_DIR, BUN, ROOT, run } from './local-env';

interface Instruction {
  readonly keyword: string;
  readonly args: string;
  readonly stage: number;
}

/** Dockerfile -> instructions (continuations joined, comments dropped), numbered by stage. */
function parseDockerfile(text: string): Instruction[] {
  const logical: string[] = [];
  let current = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!current && (line === '' || line.startsWith('#'))) continue;
    if (line.startsWith('#')) continue; // a comment inside a continuation
    if (line.endsWith('\\')) {
      current += `${line.slice(0, -1)} `;
      continue;
    }
    logical.push(current + line);
    current = '';
  }
  let stage = -1;
  return logical.map((line) => {
    const [keyword = '', ...rest] = line.split(/\s+/);
    const upper = keyword.toUpperCase();
    if (upper === 'FROM') stage++;
    return { keyword: upper, args: rest.join(' '), stage };
  });
}

const dockerfile = parseDockerfile(readFileSync(path.join(APP_DIR, 'Dockerfile'), 'utf8'));
const stages = Math.max(...dockerfile.map((i) => i.stage)) + 1;
const final = dockerfile.filter((i) => i.stage === stages - 1);
const globalArgs = Object.fromEntries(
  dockerfile.filter((i) => i.stage === -1 && i.keyword === 'ARG').map((i) => i.args.split('=') as [string, string]),
);
const substitute = (s: string) => s.replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a: string, b: string) => globalArgs[a ?? b] ?? `$${a ?? b}`);
const pkg = JSON.parse(readFileSync(path.join(APP_DIR, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
const bunVersion = (JSON.parse(readFileSync(path.join(ROOT, 'node_modules', 'bun', 'package.json'), 'utf8')) as { version: string })
  .version;

describe('examples/app Dockerfile', () => {
  test('is multi-stage on oven/bun, pinned to the Bun version the repo tests with', () => {
    const froms = dockerfile.filter((i) => i.keyword === 'FROM');
    expect(froms.length).toBeGreaterThanOrEqual(2);
    for (const from of froms) {
      const image = substitute(from.args.replace(/--platform=\S+\s+/, '')).split(/\s+/)[0]!;
      expect(image).toMatch(/^oven\/bun:/);
      expect(image.split(':')[1]!.startsWith(bunVersion)).toBe(true);
    }
  });

  test('trusts the RDS CA bundle, so DATABASE_SSL=verify-full verifies the database certificate', () => {
    const add = final.find((i) => i.keyword === 'ADD' && i.args.includes('truststore.pki.rds.amazonaws.com/global/global-bundle.pem'));
    expect(add).toBeDefined();
    const dest = add!.args.split(/\s+/).pop()!;
    const env = final
      .filter((i) => i.keyword === 'ENV')
      .map((i) => i.args)
      .join(' ');
    expect(env).toContain(`NODE_EXTRA_CA_CERTS=${dest}`);
  });

  test('runs the final stage as a non-root user', () => {
    const users = final.filter((i) => i.keyword === 'USER').map((i) => i.args.split(':')[0]);
    expect(users.length).toBeGreaterThan(0);
    expect(['root', '0']).not.toContain(users[users.length - 1]);
  });

  test('CMD is the exec form of the start script; migrate and healthcheck scripts name files that exist', () => {
    const cmd = final.filter((i) => i.keyword === 'CMD').pop();
    expect(JSON.parse(cmd!.args)).toEqual(['bun', 'run', 'src/index.ts']);
    expect(pkg.scripts.start).toBe('bun run src/index.ts');
    expect(pkg.scripts.migrate).toBe('bun run src/migrate.ts');
    expect(pkg.scripts.healthcheck).toBe('bun run src/healthcheck.ts');
    for (const file of ['src/index.ts', 'src/migrate.ts', 'src/healthcheck.ts']) expect(existsSync(path.join(APP_DIR, file))).toBe(true);
  });

  test('installs production dependencies from the lockfile, and needs no curl', () => {
    const install = dockerfile.find((i) => i.keyword === 'RUN' && i.args.includes('bun install'));
    expect(install?.args).toContain('--frozen-lockfile');
    expect(install?.args).toContain('--production');
    expect(dockerfile.some((i) => i.keyword === 'COPY' && i.args.includes('package-lock.json'))).toBe(true);
    expect(dockerfile.some((i) => i.keyword === 'HEALTHCHECK' || /\bcurl\b/.test(i.args))).toBe(false);
    const ignore = readFileSync(path.join(APP_DIR, '.dockerignore'), 'utf8').split('\n');
    expect(ignore).toEqual(expect.arrayContaining(['node_modules', '.env*']));
  });

  describe('the final stage, rebuilt as a directory from its COPY lines', () => {
    let layout = '';

    beforeAll(() => {
      if (!existsSync(BUN)) throw new Error(`bun is missing at ${BUN}: run npm ci at the repo root`);
      if (!existsSync(path.join(APP_DIR, 'node_modules')))
        throw new Error('examples/app/node_modules is missing: npm ci --prefix examples/app');
      layout = mkdtempSync(path.join(os.tmpdir(), 'app-image-'));
      for (const copy of final.filter((i) => i.keyword === 'COPY')) {
        const parts = copy.args.split(/\s+/).filter((p) => !p.startsWith('--chown') && !p.startsWith('--chmod'));
        const fromStage = parts[0]!.startsWith('--from=');
        const [src, dest] = fromStage ? [parts[1]!, parts[2]!] : [parts[0]!, parts[1]!];
        // From the deps stage only node_modules comes across; the local install stands in for it.
        const from = fromStage ? path.join(APP_DIR, path.basename(src)) : path.join(APP_DIR, src);
        const to = path.join(layout, dest === './' || dest === '.' ? path.basename(src) : dest);
        if (fromStage) symlinkSync(from, to, 'dir');
        else cpSync(from, to, { recursive: true });
      }
    });

    afterAll(() => {
      if (layout) rmSync(layout, { recursive: true, force: true });
    });

    test('holds the sources, the migrations and node_modules', () => {
      expect(readdirSync(layout).sort()).toEqual(['migrations', 'node_modules', 'package.json', 'src']);
      expect(readdirSync(path.join(layout, 'migrations')).filter((f) => f.endsWith('.sql')).length).toBeGreaterThan(0);
    });

    test('bun build resolves every import of the three entry points', async () => {
      const outdir = path.join(layout, '.build-check');
      const out = await run(BUN, ['build', 'src/index.ts', 'src/migrate.ts', 'src/healthcheck.ts', '--target=bun', `--outdir=${outdir}`], {
        cwd: layout,
      });
      expect(out.stderr).toBe('');
      expect(out.code).toBe(0);
      expect(readdirSync(outdir).sort()).toEqual(['healthcheck.js', 'index.js', 'migrate.js']);
    });

    test('the CMD starts there and stops at the env contract, naming the first missing variable', async () => {
      const env = { PATH: process.env.PATH, HOME: layout, BUN_RUNTIME_TRANSPILER_CACHE_PATH: '0' };
      const out = await run(BUN, ['run', 'src/index.ts'], { cwd: layout, env, timeoutMs: 30_000 });
      expect(out.code).toBe(1);
      expect(JSON.parse(out.stdout.trim())).toMatchObject({
        level: 'error',
        msg: 'invalid configuration',
        error: 'APP_STAGE is required but not set',
      });
    });
  });
});

describe('examples/app README', () => {
  const readme = readFileSync(path.join(APP_DIR, 'README.md'), 'utf8');

  test('documents every variable the app reads', () => {
    const config = readFileSync(path.join(APP_DIR, 'src', 'config.ts'), 'utf8');
    const names = new Set([...config.matchAll(/\(env, '([A-Z][A-Z0-9_]*)'/g)].map((m) => m[1]!));
    expect(names.size).toBeGreaterThanOrEqual(13);
    for (const name of [...names, 'QUEUE_URL_<NAME>', 'QUEUE_URL_JOBS', 'AWS_ENDPOINT_URL']) expect(readme).toContain(`\`${name}\``);
  });

  test('documents every route the server serves', () => {
    const server = readFileSync(path.join(APP_DIR, 'src', 'server.ts'), 'utf8');
    const routes = [...server.matchAll(/^\s+'(\/[a-z/]+)': \{/gm)].map((m) => m[1]!);
    expect(routes).toEqual(expect.arrayContaining(['/livez', '/healthz', '/api/items', '/api/counter', '/api/jobs']));
    for (const route of routes) expect(readme).toContain(`\`${route}\``);
  });
});
