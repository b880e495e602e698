#!/usr/bin/env node
/**
 * `npm test`: every check the project has, on a fresh machine, with nothing else typed.
 *
 *   prerequisites   system tools npm cannot install (scripts/test-prerequisites.mjs: apt-get once, or one line each)
 *   build           tsc + the bundles (the CLI and the app the tests run)
 *   e2e             real Terraform + aws provider + moto, scenarios in parallel (jest.e2e.config.js)
 *   unit            jest (jest.config.js), while e2e runs: e2e waits on the provider's waiters, not on the CPU
 *   lint            eslint, prettier, tsc --noEmit
 *   modules:check   the committed generated files equal a fresh generation
 *
 * Every stage runs even when an earlier independent one failed (a lint error never hides an e2e failure); each
 * stage's output goes to .test-logs/<stage>.log and is printed when the stage ends. The run ends with a timing
 * table (each stage, each e2e scenario) and one `N passed, N failed` line; the exit code is 1 if anything failed.
 * STAGES=unit,lint runs only those (prerequisites and build always run).
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const LOGS = path.join(ROOT, '.test-logs');
const ONLY = process.env.STAGES ? new Set(process.env.STAGES.split(',').map((s) => s.trim())) : undefined;
const started = Date.now();

fs.rmSync(LOGS, { recursive: true, force: true });
fs.mkdirSync(LOGS, { recursive: true });

/** @typedef {{ name: string, seconds: number, ok: boolean, detail: string, jest?: any }} StageResult */
/** @type {StageResult[]} */
const results = [];

const seconds = (from) => (Date.now() - from) / 1000;

function sh(command, logFile) {
  return new Promise((resolve) => {
    const fd = fs.openSync(logFile, 'a');
    const child = spawn('bash', ['-c', command], {
      cwd: ROOT,
      stdio: ['ignore', fd, fd],
      env: { ...process.env, FORCE_COLOR: '0', CI: process.env.CI ?? 'true' },
    });
    child.on('close', (code, signal) => {
      fs.closeSync(fd);
      resolve(code ?? (signal ? 128 : 1));
    });
  });
}

function readJestJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * Runs one stage: its commands in order (stopping at the first failure), its log printed when it ends.
 * `jestJson` names the jest --outputFile whose counts the table shows.
 */
async function stage(name, commands, { jestJson } = {}) {
  if (ONLY && !ONLY.has(name) && name !== 'prerequisites' && name !== 'build') return;
  const log = path.join(LOGS, `${name.replace(/[^a-z0-9]+/gi, '-')}.log`);
  const from = Date.now();
  let code = 0;
  for (const command of commands) {
    fs.appendFileSync(log, `$ ${command}\n`);
    code = await sh(command, log);
    if (code !== 0) break;
  }
  const jest = jestJson ? readJestJson(jestJson) : undefined;
  const result = { name, seconds: seconds(from), ok: code === 0, detail: jest ? jestCounts(jest) : '', jest };
  results.push(result);
  const text = fs.readFileSync(log, 'utf8');
  process.stdout.write(`\n━━ ${name}: ${result.ok ? 'ok' : `FAILED (exit ${code})`} in ${result.seconds.toFixed(0)} s ━━\n${text}`);
  return result;
}

function jestCounts(j) {
  const parts = [`${j.numPassedTests} passed`];
  if (j.numFailedTests) parts.push(`${j.numFailedTests} failed`);
  if (j.numPendingTests + j.numTodoTests) parts.push(`${j.numPendingTests + j.numTodoTests} skipped`);
  if (j.numRuntimeErrorTestSuites) parts.push(`${j.numRuntimeErrorTestSuites} suites did not run`);
  return `${parts.join(', ')} in ${j.numTotalTestSuites} files`;
}

function table() {
  const rows = [];
  for (const r of results) {
    rows.push([r.name, r.seconds, r.ok ? 'ok' : 'FAILED', r.detail]);
    if (r.name === 'e2e' && r.jest) {
      const files = [...r.jest.testResults].sort((a, b) => b.endTime - b.startTime - (a.endTime - a.startTime));
      for (const f of files) {
        const s = (f.endTime - f.startTime) / 1000;
        const tests = f.assertionResults ?? [];
        const failed = tests.filter((t) => t.status === 'failed').length;
        rows.push([
          `  ${path
            .relative(ROOT, f.name)
            .replace(/^test\//, '')
            .replace(/\.e2e\.test\.ts$/, '')}`,
          s,
          f.status === 'passed' ? 'ok' : 'FAILED',
          `${tests.length - failed} passed${failed ? `, ${failed} failed` : ''}`,
        ]);
      }
    }
  }
  rows.push(['total (wall)', seconds(started), results.every((r) => r.ok) ? 'ok' : 'FAILED', '']);
  const w = Math.max(...rows.map((r) => r[0].length));
  const fmt = (s) => {
    const m = Math.floor(s / 60);
    return m > 0 ? `${m}m${String(Math.round(s % 60)).padStart(2, '0')}s` : `${s.toFixed(1)}s`;
  };
  return [
    `${'stage'.padEnd(w)}  ${'time'.padStart(7)}  result`,
    ...rows.map(([n, s, ok, d]) => `${n.padEnd(w)}  ${fmt(s).padStart(7)}  ${ok}${d ? `  ${d}` : ''}`),
  ].join('\n');
}

const unitJson = path.join(LOGS, 'unit.json');
const e2eJson = path.join(LOGS, 'e2e.json');

await Promise.all([stage('prerequisites', ['node scripts/test-prerequisites.mjs']), stage('build', ['npm run --silent build'])]);
const e2e = stage('e2e', [`npx jest --config jest.e2e.config.js --ci --json --outputFile=${e2eJson}`], { jestJson: e2eJson });
await stage('unit', [`npx jest --ci --json --outputFile=${unitJson}`], { jestJson: unitJson });
await stage('lint', ['npx eslint .', 'npx prettier --check .', 'npx tsc -p tsconfig.json --noEmit']);
await stage('modules:check', ['node dist/src/modules/build.js --check']);
await e2e;

const passed = results.reduce((n, r) => n + (r.jest?.numPassedTests ?? 0), 0);
const failedTests = results.reduce((n, r) => n + (r.jest?.numFailedTests ?? 0), 0);
const failedStages = results.filter((r) => !r.ok);
process.stdout.write(`\n━━ timing (${new Date().toISOString()}) ━━\n${table()}\n\n`);
if (failedStages.length) process.stdout.write(`failed stages: ${failedStages.map((r) => r.name).join(', ')} (logs in .test-logs/)\n`);
// The closing line CI reads; a stage that failed without failing a test (lint, build, ...) counts as one failure.
const failedNonTest = failedStages.filter((r) => !(r.jest?.numFailedTests > 0)).length;
process.stdout.write(`tests: ${passed} passed, ${failedTests + failedNonTest} failed\n`);
process.exitCode = failedStages.length ? 1 : 0;
