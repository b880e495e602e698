import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { withStage } from '../../src/cli/stage-override';
import { loadResolved, type Context } from '../../src/cli/command';
import { memoryIo } from '../../src/cli/io';
import { isProtected, resolveConfig, type BackplaneConfigInput } from '../../src/config';
import { baseConfig } from '../data/helpers';

const refusal = (extra: Record<string, unknown>): string => {
  try {
    resolveConfig(baseConfig(extra));
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('the configuration was accepted');
};

describe('stage names', () => {
  it.each(['dev', 'prod', 'pr-123', 'qa2', 'feature-x'])('accepts %s', (stage) => {
    expect(resolveConfig(baseConfig({ stage })).stage).toBe(stage);
  });

  it.each(['PR-1', '1pr', 'pr_1', 'pr-', 'a-very-long-stage'])('refuses %s', (stage) => {
    expect(refusal({ stage })).toMatch(/stage.*lower-case letters, digits or hyphens/);
  });

  it('refuses a name-stage prefix too long for the derived AWS names (ALB, target group: 32 characters)', () => {
    const message = refusal({ name: 'a-twenty-two-char-name', stage: 'pr-12345' });
    expect(message).toMatch(/"a-twenty-two-char-name-pr-12345" \(name-stage\) is 31 characters: at most 30/);
  });
});

describe('protect', () => {
  // What the policy asks of any protected stage: an image pinned by digest, state off this machine.
  const hardened = (extra: Record<string, unknown>) =>
    baseConfig({
      ...extra,
      service: { image: `public.ecr.aws/acme/api@sha256:${'a'.repeat(64)}` },
      state: { backend: 's3', bucket: 'shop-state' },
    });

  it('defaults to true on prod only', () => {
    expect(isProtected(resolveConfig(hardened({ stage: 'prod' })))).toBe(true);
    expect(isProtected(resolveConfig(baseConfig({ stage: 'staging' })))).toBe(false);
    expect(isProtected(resolveConfig(baseConfig({ stage: 'pr-9' })))).toBe(false);
  });

  it('is a property of the stage, not of its name', () => {
    expect(isProtected(resolveConfig(hardened({ stage: 'live', protect: true })))).toBe(true);
    expect(isProtected(resolveConfig(baseConfig({ stage: 'prod', protect: false })))).toBe(false);
  });

  it('brings the production defaults with it (two tasks), whatever the stage is called', () => {
    expect(resolveConfig(hardened({ stage: 'live', protect: true })).service.scaling.min).toBe(2);
    expect(resolveConfig(hardened({ stage: 'prod', protect: false })).service.scaling.min).toBe(1);
  });

  it('brings the protected-stage policy with it: an unpinned image on a protected preview is refused', () => {
    expect(refusal({ stage: 'live', protect: true })).toMatch(/stage "live" is protected/);
  });

  it('must be a boolean', () => {
    expect(refusal({ protect: 'yes' })).toMatch(/protect/);
  });
});

describe('withStage (--stage / BACKPLANE_STAGE)', () => {
  const input = (extra: Record<string, unknown>) => ({ ...baseConfig(), stage: 'dev', ...extra }) as BackplaneConfigInput;

  it('moves an explicit S3 state key and HCP workspace that name the stage', () => {
    const s3 = withStage(input({ state: { backend: 's3', bucket: 'b', key: 'shop/dev/terraform.tfstate' } }), 'pr-4');
    expect(s3).toMatchObject({ stage: 'pr-4', state: { key: 'shop/pr-4/terraform.tfstate' } });
    const cloud = withStage(input({ state: { backend: 'cloud', organization: 'o', workspace: 'shop-dev' } }), 'pr-4');
    expect(cloud).toMatchObject({ stage: 'pr-4', state: { workspace: 'shop-pr-4' } });
  });

  it('refuses a state key that does not name the stage (the preview would write the parent state)', () => {
    expect(() => withStage(input({ state: { backend: 's3', bucket: 'b', key: 'state.tfstate' } }), 'pr-4')).toThrow(
      /state.key "state.tfstate" does not name the stage "dev"/,
    );
  });

  it('leaves the config alone without an override', () => {
    const config = input({});
    expect(withStage(config, undefined)).toBe(config);
  });
});

describe('loadResolved stage override', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'backplane-stage-'));
  fs.writeFileSync(path.join(dir, 'backplane.config.json'), JSON.stringify({ ...baseConfig(), stage: 'dev' }));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const ctx = (env: NodeJS.ProcessEnv) => ({ io: memoryIo({ cwd: dir, env }), deps: {} }) as unknown as Context;

  it('takes --stage over BACKPLANE_STAGE over the config', () => {
    expect(loadResolved({ flags: {}, positionals: [] }, ctx({})).config.stage).toBe('dev');
    expect(loadResolved({ flags: {}, positionals: [] }, ctx({ BACKPLANE_STAGE: 'pr-5' })).config.stage).toBe('pr-5');
    const both = loadResolved({ flags: { stage: 'pr-6' }, positionals: [] }, ctx({ BACKPLANE_STAGE: 'pr-5' }));
    expect(both.config.stage).toBe('pr-6');
    expect((both.input as { stage: string }).stage).toBe('pr-6');
  });
});

describe('backplane synth --stage', () => {
  it('synthesizes the stage the flag names, with its own stack and state', async () => {
    const { cli } = await import('../cli/support/cli');
    const { repoRoot } = await import('../support/synth');
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'backplane-stage-synth-'));
    try {
      const r = await cli(['synth', '--example', '--stage', 'pr-7', '--outdir', out, '--json'], { cwd: repoRoot });
      expect(r.stderr).not.toMatch(/error/i);
      expect(r.code).toBe(0);
      const s = JSON.parse(r.stdout);
      expect(s.stack).toBe('shop-pr-7');
      const json = JSON.parse(fs.readFileSync(s.file, 'utf8'));
      expect(JSON.stringify(json.terraform.backend)).toContain('terraform.shop-pr-7.tfstate');
      const refused = await cli(['synth', '--example', '--stage', 'PR_7', '--outdir', out], { cwd: repoRoot });
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toMatch(/stage.*lower-case letters/);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});
