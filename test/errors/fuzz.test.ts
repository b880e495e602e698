/**
 * Seeded random mistakes: a few hundred mutations of the built-in example's config (wrong types, out-of-range
 * numbers, deleted and misspelt keys, unknown keys, broken snapshots). Each one either synthesizes, or is refused
 * as something the user can fix — never an internal error — and a refused one leaves no stack behind. A handful go
 * through the real entry point (`node dist/app.js`) to prove the exit code and that no stack trace is printed.
 * The seed is fixed (FUZZ_SEED overrides it), so a failure reproduces.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import builtInExample from '../../examples/fullstack/backplane.config';
import { synthesize } from '../../src/app';
import { describeFailure } from '../../src/cli/failure';
import { exampleDir, repoRoot } from '../support/synth';

const SEED = Number(process.env.FUZZ_SEED ?? 20261202);
const CASES = 300;

/** mulberry32: a small, well-distributed seeded PRNG. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Json = any;
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v));
const snapshotText = fs.readFileSync(path.join(exampleDir, 'frontend-distribution.json'), 'utf8');

/** Every path to a value in a JSON object ([] is the root). */
function paths(v: Json, prefix: (string | number)[] = []): (string | number)[][] {
  if (v === null || typeof v !== 'object') return [prefix];
  const keys = Array.isArray(v) ? v.map((_, i) => i) : Object.keys(v);
  return [prefix, ...keys.flatMap((k) => paths(v[k], [...prefix, k]))];
}
const parentOf = (root: Json, p: (string | number)[]) => p.slice(0, -1).reduce((o, k) => o[k], root);

const WRONG_VALUES: Json[] = [
  '256',
  '',
  'x'.repeat(300),
  -1,
  0,
  1.5,
  1e12,
  Number.MAX_SAFE_INTEGER,
  true,
  false,
  null,
  [],
  {},
  ['a'],
  { a: 1 },
];

interface Mutant {
  readonly what: string;
  readonly config: Json;
  readonly snapshot: string;
}

function mutate(rand: () => number): Mutant {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const config = clone(builtInExample) as Json;
  let snapshot = snapshotText;
  const all = paths(config).filter((p) => p.length > 0);
  const p = pick(all);
  const parent = parentOf(config, p);
  const key = p[p.length - 1];
  const at = p.join('.');
  switch (pick(['wrong-value', 'wrong-value', 'delete', 'misspell', 'unknown-key', 'snapshot'] as const)) {
    case 'wrong-value': {
      const v = pick(WRONG_VALUES);
      parent[key] = v;
      return { what: `${at} = ${JSON.stringify(v)?.slice(0, 40)}`, config, snapshot };
    }
    case 'delete':
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key];
      return { what: `delete ${at}`, config, snapshot };
    case 'misspell': {
      if (Array.isArray(parent)) return { what: `no-op ${at}`, config, snapshot };
      const name = String(key);
      const typo = name.length > 2 ? name.slice(0, 1) + name.slice(2) : `${name}x`;
      parent[typo] = parent[key];
      delete parent[key];
      return { what: `rename ${at} -> ${typo}`, config, snapshot };
    }
    case 'unknown-key': {
      const target = typeof parent[key] === 'object' && parent[key] !== null && !Array.isArray(parent[key]) ? parent[key] : parent;
      if (Array.isArray(target)) return { what: `no-op ${at}`, config, snapshot };
      target[pick(['colour', 'replicas', 'password', 'enabled'])] = pick(WRONG_VALUES);
      return { what: `unknown key near ${at}`, config, snapshot };
    }
    case 'snapshot': {
      const doc = JSON.parse(snapshotText);
      const sp = pick(paths(doc).filter((x) => x.length > 0));
      const how = pick(['truncate', 'delete', 'wrong'] as const);
      if (how === 'truncate') snapshot = snapshotText.slice(0, Math.floor(rand() * snapshotText.length));
      else {
        const sParent = parentOf(doc, sp);
        if (how === 'delete') {
          if (Array.isArray(sParent)) sParent.splice(sp[sp.length - 1] as number, 1);
          else delete sParent[sp[sp.length - 1]];
        } else sParent[sp[sp.length - 1]] = pick(WRONG_VALUES);
        snapshot = JSON.stringify(doc);
      }
      return { what: `snapshot ${how} ${sp.join('.')}`, config, snapshot };
    }
  }
}

const rand = prng(SEED);
const mutants = Array.from({ length: CASES }, () => mutate(rand));
const outcomes = { synthesized: 0, refused: 0 };

describe(`seeded config mutations (seed ${SEED}): synthesized or refused as the user's to fix, never a bug`, () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'fuzz-'));
  afterAll(() => {
    fs.rmSync(root, { recursive: true, force: true });
    console.log(`fuzz (seed ${SEED}): ${outcomes.synthesized} synthesized, ${outcomes.refused} refused, 0 internal errors`);
  });

  // In chunks, so each test stays well inside the test timeout on a loaded 2-core machine.
  const CHUNK = 50;
  it.each(Array.from({ length: CASES / CHUNK }, (_, k) => [k * CHUNK, k * CHUNK + CHUNK - 1]))(
    'mutations %i to %i in process',
    (from, to) => {
      const bugs: string[] = [];
      mutants.slice(from, to + 1).forEach((m, j) => {
        const i = from + j;
        const dir = path.join(root, String(i));
        fs.mkdirSync(dir);
        fs.writeFileSync(path.join(dir, 'frontend-distribution.json'), m.snapshot);
        const outdir = path.join(dir, 'out');
        try {
          synthesize(m.config, { outdir, configDir: dir, configFile: 'backplane.config.ts' });
          outcomes.synthesized++;
        } catch (err) {
          outcomes.refused++;
          const text = describeFailure(err).text;
          if (/internal error/.test(text) || text.includes('\n    at ')) bugs.push(`#${i} ${m.what}: ${text.split('\n')[0]}`);
          const stacks = path.join(outdir, 'stacks');
          if (fs.existsSync(stacks) && fs.readdirSync(stacks).length > 0)
            bugs.push(`#${i} ${m.what}: a refused synth left ${fs.readdirSync(stacks).join(', ')}`);
        }
      });
      expect(bugs).toEqual([]);
    },
  );

  it('exercised both outcomes (or the mutations prove nothing)', () => {
    expect(outcomes.synthesized + outcomes.refused).toBe(CASES);
    expect(outcomes.refused).toBeGreaterThan(CASES / 2);
    expect(outcomes.synthesized).toBeGreaterThan(0);
  });

  it('a handful through the real entry point: exit 1, the message, no stack trace, no stack written', () => {
    const refused = mutants.filter((m) => m.what.startsWith('snapshot') || m.what.includes(' = ')).slice(0, 6);
    expect(refused.length).toBeGreaterThan(3);
    for (const m of refused) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fuzz-cli-'));
      fs.writeFileSync(path.join(dir, 'frontend-distribution.json'), m.snapshot);
      fs.writeFileSync(path.join(dir, 'backplane.config.json'), JSON.stringify(m.config));
      const r = spawnSync(process.execPath, [path.join(repoRoot, 'dist', 'app.js')], {
        cwd: dir,
        encoding: 'utf8',
        env: { PATH: process.env.PATH, BACKPLANE_CONFIG: path.join(dir, 'backplane.config.json'), CDKTF_OUTDIR: path.join(dir, 'out') },
      });
      const context = `${m.what}\n${r.stderr}`;
      expect([0, 1]).toContain(r.status);
      expect(r.stderr).not.toMatch(/^\s+at /m);
      expect(r.stderr).not.toMatch(/internal error/);
      if (r.status === 1)
        expect({ context, stacks: fs.existsSync(path.join(dir, 'out', 'stacks', 'shop-dev')) }).toEqual({ context, stacks: false });
    }
  });
});
