/**
 * `npm run bench:synth`: synthesizes the built-in example in fresh Node processes, as `npm run synth` does
 * (`node dist/app.js`: main.ts bundled by `npm run build`, loaded through V8's code cache), and reports wall time
 * (min/median/max) and each process's peak RSS. One uncounted run first: the first synth after a build writes the
 * code cache (src/app-launcher.ts) and is slower, reported separately.
 * Budget (issue 3): median <= 1 s and peak RSS <= 200 MB. Exits non-zero when over budget.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const runs = Number(process.env.BENCH_RUNS ?? 7);
const BUDGET_MS = 1000;
const BUDGET_MB = 200;

// Peak RSS of the whole process, reported by the process itself on exit (getrusage ru_maxrss, in KiB on Linux).
const probe = `process.on('exit', () => process.stderr.write('maxrss=' + process.resourceUsage().maxRSS + '\\n')); require(${JSON.stringify(path.join(repoRoot, 'dist', 'app.js'))});`;

/** One synth in a fresh process: wall time (ms) and peak RSS (MB). */
function synthOnce(): { ms: number; mb: number } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'backplane-bench-'));
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['-e', probe], { env: { ...process.env, CDKTF_OUTDIR: outdir }, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  fs.rmSync(outdir, { recursive: true, force: true });
  if (r.status !== 0) {
    console.error(r.stderr);
    process.exit(1);
  }
  return { ms, mb: Number(/maxrss=(\d+)/.exec(r.stderr)?.[1]) / 1024 };
}

const first = synthOnce();
const times: number[] = [];
const rss: number[] = [];
for (let i = 0; i < runs; i++) {
  const { ms, mb } = synthOnce();
  times.push(ms);
  rss.push(mb);
}
const sorted = [...times].sort((a, b) => a - b);
const median = sorted[Math.floor(sorted.length / 2)];
const peak = Math.max(first.mb, ...rss);
console.log(`synth of the built-in example, ${runs} runs (node ${process.version}, ${os.cpus().length} cores)`);
console.log(
  `  wall time  min ${sorted[0].toFixed(0)} ms   median ${median.toFixed(0)} ms   max ${sorted[sorted.length - 1].toFixed(0)} ms   (budget: median <= ${BUDGET_MS} ms)`,
);
console.log(`  first run after the build (writes the code cache): ${first.ms.toFixed(0)} ms, ${first.mb.toFixed(0)} MB (not counted)`);
console.log(`  peak RSS   min ${Math.min(...rss).toFixed(0)} MB   max ${peak.toFixed(0)} MB   (budget: <= ${BUDGET_MB} MB)`);
if (median > BUDGET_MS || peak > BUDGET_MB) {
  console.error('over budget');
  process.exit(1);
}
