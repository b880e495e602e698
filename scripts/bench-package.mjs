#!/usr/bin/env node
/**
 * The package as a user gets it, measured: `npm pack` of this tree, `npm install <tarball>` into an empty project,
 * then the CLI's start-up. Prints one table; budgets (issue 13): node_modules <= 100 MB, no engine warning on
 * Node 20, `backplane --help` <= 150 ms and `backplane cost` <= 500 ms median. Exits 1 when a budget is missed. Also
 * reported, without a budget: `cost` right after the config changed (it synthesizes to check the config again).
 *
 *   npm run bench:package            # builds first; BENCH_RUNS=15 for more samples
 *   node scripts/bench-package.mjs --no-build
 *
 * A benchmark, not a test: timings depend on the machine and its load (run it on an idle machine).
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { fileURLToPath } from 'url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const runs = Number(process.env.BENCH_RUNS ?? 9);
const npm = (args, cwd) => execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

function duBytes(dir) {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isSymbolicLink()) continue;
    total += entry.isDirectory() ? duBytes(p) : fs.statSync(p).size;
  }
  return total;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mb = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;

function timeCommand(bin, args, cwd, env = {}) {
  const samples = [];
  for (let i = 0; i < runs + 1; i++) {
    const started = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env: { ...process.env, ...env } });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (r.status !== 0) throw new Error(`backplane ${args.join(' ')} failed (exit ${r.status}):\n${r.stderr}`);
    if (i > 0) samples.push(ms); // the first run warms the file cache (and writes V8's code cache)
  }
  return median(samples);
}

if (!process.argv.includes('--no-build')) npm(['run', '--silent', 'build'], repo);
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'backplane-bench-'));
const packed = JSON.parse(npm(['pack', '--ignore-scripts', '--json', '--pack-destination', work], repo))[0];
const tarball = path.join(work, packed.filename);
const project = path.join(work, 'project');
fs.mkdirSync(project);
fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'bench-project', version: '1.0.0', private: true }));
const installStarted = Date.now();
const install = spawnSync('npm', ['install', '--no-audit', '--no-fund', tarball], { cwd: project, encoding: 'utf8' });
const installMs = Date.now() - installStarted;
if (install.status !== 0) throw new Error(`npm install failed:\n${install.stderr}`);
const engineWarnings = (install.stderr.match(/EBADENGINE/g) ?? []).length;
const nodeModules = duBytes(path.join(project, 'node_modules'));
const bin = path.join(project, 'node_modules', 'backplane', 'bin', 'backplane.js');

npm(['exec', '--', 'backplane', 'init', '--yes', '--name', 'bench', '--domain', 'example.com', '--edge', 'subdomain'], project);
const help = timeCommand(bin, ['--help'], project);
// A config priced before is not synthesized again (src/cli/validation-cache.ts); the first `cost` after an edit is.
const cost = timeCommand(bin, ['cost', '--brief'], project);
const costEdited = timeCommand(bin, ['cost', '--brief'], project, { BACKPLANE_VALIDATION_CACHE: '0' });

const rows = [
  ['tarball (packed)', mb(packed.size), ''],
  ['tarball (unpacked)', mb(packed.unpackedSize), ''],
  ['node_modules after npm install', mb(nodeModules), '<= 100 MB'],
  ['npm install time', `${(installMs / 1000).toFixed(1)} s`, ''],
  ['EBADENGINE warnings', String(engineWarnings), '0'],
  [`backplane --help (median of ${runs})`, `${help.toFixed(0)} ms`, '<= 150 ms'],
  [`backplane cost (median of ${runs})`, `${cost.toFixed(0)} ms`, '<= 500 ms'],
  [`backplane cost after an edit of the config: synth checks it again (median of ${runs})`, `${costEdited.toFixed(0)} ms`, ''],
];
console.log(`Node ${process.versions.node}, ${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(2)}\n`);
console.log('| measure | value | budget |\n|---|---|---|');
for (const [k, v, b] of rows) console.log(`| ${k} | ${v} | ${b} |`);
fs.rmSync(work, { recursive: true, force: true });
const missed = [nodeModules > 100e6, engineWarnings > 0, help > 150, cost > 500].filter(Boolean).length;
if (missed) {
  console.log(`\n${missed} budget(s) missed`);
  process.exitCode = 1;
}
