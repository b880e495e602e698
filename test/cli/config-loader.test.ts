/**
 * A backplane.config.ts is compiled with esbuild (a dependency of Backplane), never with the project's own
 * `typescript`: it loads where no typescript is installed — and where TypeScript 7 is, whose native compiler has no
 * transpileModule — and a syntax error is one line with the file and line. Through the real `backplane` binary.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { repoRoot } from '../support/synth';

const BIN = path.join(repoRoot, 'bin', 'backplane.js');
const CONFIG = `import { defineConfig } from 'backplane';
interface Sizes { cpu: 256 | 512 }
const sizes: Sizes = { cpu: 256 };
export default defineConfig({
  name: 'tsapp',
  domain: 'example.com',
  service: { imageTag: 'v1', cpu: sizes.cpu },
  edge: { mode: 'subdomain' },
});
`;

function project(config: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ts-config-'));
  fs.writeFileSync(path.join(dir, 'backplane.config.ts'), config);
  // A preload that makes `typescript` impossible to load, as in a project that has none installed.
  fs.writeFileSync(
    path.join(dir, 'no-typescript.js'),
    `const M = require('module'); const r = M._resolveFilename;
M._resolveFilename = function (req, ...rest) { if (req === 'typescript' || req.startsWith('typescript/')) throw Object.assign(new Error("Cannot find module 'typescript'"), { code: 'MODULE_NOT_FOUND' }); return r.call(this, req, ...rest); };`,
  );
  return dir;
}

const cost = (dir: string) =>
  spawnSync(process.execPath, ['-r', path.join(dir, 'no-typescript.js'), BIN, 'cost', '--json'], {
    cwd: dir,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: dir },
  });

describe('backplane.config.ts without the typescript package', () => {
  it('(the preload really hides typescript)', () => {
    const dir = project(CONFIG);
    const r = spawnSync(process.execPath, ['-r', path.join(dir, 'no-typescript.js'), '-e', "require('typescript')"], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain("Cannot find module 'typescript'");
  });

  it('loads (types stripped by esbuild) and prices the stack', () => {
    const r = cost(project(CONFIG));
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).stack).toBe('tsapp-dev');
  });

  it('a syntax error is one line naming the file and the line', () => {
    const r = cost(project(CONFIG.replace("name: 'tsapp',", "name: 'tsapp',,")));
    expect(r.status).toBe(1);
    expect(r.stderr.trimEnd()).toBe(
      'backplane cost: could not load backplane.config.ts (syntax error): backplane.config.ts:5: Expected identifier but found ","',
    );
  });
});
