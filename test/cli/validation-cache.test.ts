/**
 * `backplane cost` checks a config by synthesizing it (it refuses what synth refuses) and remembers a pass
 * (src/cli/validation-cache.ts): the same config is not synthesized again, and anything synthesis reads that changed
 * makes it synthesize (and refuse) again.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as app from '../../src/app';
import { resolveConfig, type BackplaneConfigInput } from '../../src/config';
import { MAX_STAMPS, recordValidated, validationKey, wasValidated } from '../../src/cli/validation-cache';
import { exampleDir, repoRoot } from '../support/synth';
import { cli } from './support/cli';

const snapshot = JSON.parse(fs.readFileSync(path.join(exampleDir, 'frontend-distribution.json'), 'utf8'));
const apiBehaviorAlready = () => {
  const s = JSON.parse(JSON.stringify(snapshot));
  const items = s.DistributionConfig.CacheBehaviors.Items ?? [];
  items.push({ ...(items[0] ?? {}), PathPattern: '/api/*', TargetOriginId: s.DistributionConfig.Origins.Items[0].Id });
  s.DistributionConfig.CacheBehaviors = { Quantity: items.length, Items: items };
  return s;
};
const CONFIG = {
  name: 'shop',
  domain: 'example.com',
  network: { nat: 'none' },
  service: { imageTag: 'v1' },
  edge: { mode: 'attach', distributionId: 'E1FRONTEND0001', snapshotFile: 'frontend-distribution.json' },
};

function project(config: object = CONFIG): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'validated-'));
  fs.writeFileSync(path.join(dir, 'frontend-distribution.json'), JSON.stringify(snapshot));
  fs.writeFileSync(path.join(dir, 'backplane.config.json'), JSON.stringify(config));
  return dir;
}
const stamps = (cache: string) => {
  const dir = path.join(cache, 'backplane', 'validated');
  return fs.existsSync(dir) ? fs.readdirSync(dir) : [];
};

let cache: string;
let previousCache: string | undefined;
beforeEach(() => {
  previousCache = process.env.XDG_CACHE_HOME;
  cache = fs.mkdtempSync(path.join(os.tmpdir(), 'xdg-cache-'));
  process.env.XDG_CACHE_HOME = cache;
});
afterEach(() => {
  if (previousCache === undefined) delete process.env.XDG_CACHE_HOME;
  else process.env.XDG_CACHE_HOME = previousCache;
  jest.restoreAllMocks();
});

describe('backplane cost (in process, from source: the cache is on with BACKPLANE_VALIDATION_CACHE=1)', () => {
  const env = { BACKPLANE_VALIDATION_CACHE: '1' };

  it('synthesizes a config once, then prices it again without synthesizing', async () => {
    const synth = jest.spyOn(app, 'synthesize');
    const dir = project();
    const first = await cli(['cost', '--brief'], { cwd: dir, env });
    const second = await cli(['cost', '--brief'], { cwd: dir, env });
    expect([first.code, second.code]).toEqual([0, 0]);
    expect(second.stdout).toBe(first.stdout);
    expect(synth).toHaveBeenCalledTimes(1);
    expect(stamps(cache)).toHaveLength(1);
  });

  it('synthesizes again for an edited config, another --stage, or a changed snapshot, and refuses what synth refuses', async () => {
    const synth = jest.spyOn(app, 'synthesize');
    const dir = project();
    expect((await cli(['cost'], { cwd: dir, env })).code).toBe(0);
    expect((await cli(['cost', '--stage', 'staging'], { cwd: dir, env })).code).toBe(0);
    fs.writeFileSync(path.join(dir, 'backplane.config.json'), JSON.stringify({ ...CONFIG, service: { imageTag: 'v2' } }));
    expect((await cli(['cost'], { cwd: dir, env })).code).toBe(0);
    expect(synth).toHaveBeenCalledTimes(3);

    fs.writeFileSync(path.join(dir, 'frontend-distribution.json'), JSON.stringify(apiBehaviorAlready()));
    const refused = await cli(['cost'], { cwd: dir, env });
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toMatch(/already has a cache behavior for path pattern "\/api\/\*"/);
    expect(synth).toHaveBeenCalledTimes(4);
  });

  it('never stamps a refused config: each run synthesizes and refuses it again', async () => {
    const synth = jest.spyOn(app, 'synthesize');
    const dir = project();
    fs.writeFileSync(path.join(dir, 'frontend-distribution.json'), JSON.stringify(apiBehaviorAlready()));
    for (let i = 0; i < 2; i++) expect((await cli(['cost'], { cwd: dir, env })).code).toBe(1);
    expect(synth).toHaveBeenCalledTimes(2);
    expect(stamps(cache)).toEqual([]);
  });

  it('is off from source without BACKPLANE_VALIDATION_CACHE=1, and with BACKPLANE_VALIDATION_CACHE=0', async () => {
    const synth = jest.spyOn(app, 'synthesize');
    const dir = project();
    for (const e of [{}, {}, { BACKPLANE_VALIDATION_CACHE: '0' }, { BACKPLANE_VALIDATION_CACHE: '0' }]) {
      expect((await cli(['cost', '--brief'], { cwd: dir, env: e })).code).toBe(0);
    }
    expect(synth).toHaveBeenCalledTimes(4);
    expect(stamps(cache)).toEqual([]);
  });
});

describe('validationKey', () => {
  const loaded = (input: object, dir = '/p') => ({
    file: 'backplane.config.json',
    dir,
    input,
    config: resolveConfig(input as BackplaneConfigInput),
  });
  const subdomain = { ...CONFIG, edge: { mode: 'subdomain' } };

  it('differs by build, version, config file and content; equal inputs give equal keys', () => {
    const key = validationKey(loaded(subdomain), '1.0.0', 'b1', {});
    expect(key).toMatch(/^[0-9a-f]{32}$/);
    expect(validationKey(loaded(subdomain), '1.0.0', 'b1', {})).toBe(key);
    for (const other of [
      validationKey(loaded(subdomain), '1.0.1', 'b1', {}),
      validationKey(loaded(subdomain), '1.0.0', 'b2', {}),
      validationKey(loaded(subdomain, '/q'), '1.0.0', 'b1', {}),
      validationKey(loaded({ ...subdomain, domain: 'example.org' }), '1.0.0', 'b1', {}),
    ]) {
      expect(other).toMatch(/^[0-9a-f]{32}$/);
      expect(other).not.toBe(key);
    }
  });

  it('is undefined (always synthesize) for a Lambda worker or Lambda cron job: their handlers are bundled at synth', () => {
    const worker = { ...subdomain, queues: { jobs: { worker: 'lambda', lambda: { handler: './jobs.ts' } } } };
    const job = { ...subdomain, cron: { nightly: { schedule: 'rate(1 day)', lambda: { handler: './nightly.ts' } } } };
    expect(validationKey(loaded(worker), '1.0.0', 'b1', {})).toBeUndefined();
    expect(validationKey(loaded(job), '1.0.0', 'b1', {})).toBeUndefined();
    const serviceWorker = { ...subdomain, queues: { jobs: { worker: 'service', service: { command: ['bun', 'run', 'src/worker.ts'] } } } };
    expect(validationKey(loaded(serviceWorker), '1.0.0', 'b1', {})).toMatch(/^[0-9a-f]{32}$/);
  });

  it('is undefined for a config that is not plain data', () => {
    const withFunction = { ...loaded(subdomain), input: { ...subdomain, hook: () => 1 } };
    expect(validationKey(withFunction, '1.0.0', 'b1', {})).toBeUndefined();
  });

  it(`keeps the ${MAX_STAMPS} newest stamps`, () => {
    const keys = Array.from({ length: MAX_STAMPS + 3 }, (_, i) => `k${String(i).padStart(3, '0')}`);
    const dir = path.join(cache, 'backplane', 'validated');
    keys.forEach((k, i) => {
      recordValidated(k);
      fs.utimesSync(path.join(dir, k), 1_000_000 + i, 1_000_000 + i);
    });
    recordValidated('newest');
    expect(stamps(cache)).toHaveLength(MAX_STAMPS);
    expect(wasValidated('newest')).toBe(true);
    expect(wasValidated(keys[0])).toBe(false);
    expect(wasValidated(keys[keys.length - 1])).toBe(true);
  });
});

describe('the packaged CLI (dist/cli.js: the cache is on)', () => {
  const BIN = path.join(repoRoot, 'bin', 'backplane.js');
  const run = (dir: string) =>
    spawnSync(process.execPath, [BIN, 'cost', '--json'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, XDG_CACHE_HOME: cache, BACKPLANE_VALIDATION_CACHE: '' },
    });

  it('stamps a passing config once and prints the same report from the stamp; a changed snapshot is refused', () => {
    const dir = project();
    const first = run(dir);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(stamps(cache)).toHaveLength(1);
    const second = run(dir);
    expect(second.status).toBe(0);
    expect(second.stdout).toBe(first.stdout);
    expect(stamps(cache)).toHaveLength(1);
    fs.writeFileSync(path.join(dir, 'frontend-distribution.json'), JSON.stringify(apiBehaviorAlready()));
    const refused = run(dir);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/already has a cache behavior for path pattern "\/api\/\*"/);
  });
});
