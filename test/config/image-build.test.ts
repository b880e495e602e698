/**
 * `service.build`: the config names a build context instead of an image; `backplane deploy` records the digest it
 * pushed in backplane.images.json, and every synth pins exactly that digest (src/config/image-lock.ts).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { synthesize } from '../../src/app';
import { resolveConfig, type BackplaneConfigInput } from '../../src/config';
import { IMAGE_LOCK_FILE, PENDING_DIGEST, builtImageDigest, readImageLock, recordImage } from '../../src/config/image-lock';
import { ConfigError } from '../../src/modules/module';

const DIGEST = `sha256:${'ab'.repeat(32)}`;
const CONFIG = {
  name: 'shop',
  domain: 'example.com',
  network: { nat: 'none' },
  service: { build: { context: '.' } },
  edge: { mode: 'subdomain' },
} as BackplaneConfigInput;

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'image-build-'));
const image = (digest = DIGEST) => ({ digest, tag: 'build-20261204061500', repository: 'shop-dev', pushedAt: '2026-12-04T06:15:00.000Z' });

/** The app container's image expression in the task definition: `format("%s@<digest>", <repository url>)`. */
function appImage(configDir: string, options: { pendingImage?: boolean; stage?: string } = {}): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'image-build-out-'));
  const input = options.stage ? { ...CONFIG, stage: options.stage } : CONFIG;
  const { stackDir } = synthesize(input, { outdir, configDir, pendingImage: options.pendingImage });
  const json = JSON.parse(fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8'));
  const td = Object.values(json.resource.aws_ecs_task_definition as Record<string, { container_definitions: string }>)[0];
  const m = /"name" = "app", "image" = (format\("%s@sha256:[a-f0-9]{64}", aws_ecr_repository\.\w+\.repository_url\))/.exec(
    td.container_definitions,
  );
  if (!m) throw new Error(`no app image in ${td.container_definitions.slice(0, 300)}`);
  return m[1];
}

describe('service.build in the config', () => {
  it('is one of the four ways to name the image: exactly one', () => {
    expect(resolveConfig(CONFIG).service.build).toEqual({ context: '.' });
    expect(() => resolveConfig({ ...CONFIG, service: { build: {}, imageTag: 'v1' } } as BackplaneConfigInput)).toThrow(
      /set exactly one of imageTag, imageDigest \(both for the Backplane ECR repository\), image \(a full reference\) or build/,
    );
    expect(() => resolveConfig({ ...CONFIG, service: { build: { context: '.', target: 'x' } } } as BackplaneConfigInput)).toThrow(
      /service\.build/,
    );
  });

  it('needs no image pin on a protected stage: the deploy pins the digest it pushed', () => {
    const prod = {
      ...CONFIG,
      stage: 'prod',
      network: { nat: 'instance' },
      state: { backend: 's3', bucket: 'shop-state', region: 'us-east-1' },
    };
    expect(resolveConfig(prod as BackplaneConfigInput).service.build).toBeDefined();
    expect(() => resolveConfig({ ...prod, service: { imageTag: 'v1' } } as BackplaneConfigInput)).toThrow(/pin the image by digest/);
  });
});

describe('backplane.images.json', () => {
  it('records one entry per stage, sorted, and reads them back', () => {
    const dir = tmp();
    recordImage(dir, 'staging', image(`sha256:${'cd'.repeat(32)}`));
    const file = recordImage(dir, 'dev', image());
    expect(path.basename(file)).toBe(IMAGE_LOCK_FILE);
    expect(Object.keys(JSON.parse(fs.readFileSync(file, 'utf8')))).toEqual(['dev', 'staging']);
    expect(readImageLock(dir).dev).toEqual(image());
  });

  it('refuses a file that is not JSON or holds a malformed digest, naming the file', () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, IMAGE_LOCK_FILE), '{ nope');
    expect(() => readImageLock(dir)).toThrow(new RegExp(`${IMAGE_LOCK_FILE} is not valid JSON`));
    fs.writeFileSync(path.join(dir, IMAGE_LOCK_FILE), JSON.stringify({ dev: { digest: 'sha256:abc' } }));
    expect(() => readImageLock(dir)).toThrow(/"dev"\.digest must be "sha256:" followed by 64 hex digits \(got "sha256:abc"\)/);
  });

  it('builtImageDigest: the stage entry; the placeholder only when pending; otherwise how to get one', () => {
    const dir = tmp();
    expect(builtImageDigest({}, 'dev', dir)).toBeUndefined();
    expect(builtImageDigest({ build: {} }, 'dev', dir, true)).toBe(PENDING_DIGEST);
    expect(() => builtImageDigest({ build: {} }, 'dev', dir)).toThrow(ConfigError);
    expect(() => builtImageDigest({ build: {} }, 'dev', dir)).toThrow(
      /service\.build: stage "dev" has no image yet \(no entry in .*backplane\.images\.json\): `backplane deploy` creates the repository, builds and pushes the image/,
    );
    recordImage(dir, 'dev', image());
    expect(builtImageDigest({ build: {} }, 'dev', dir)).toBe(DIGEST);
    expect(() => builtImageDigest({ build: {} }, 'staging', dir)).toThrow(/stage "staging" has no image yet/);
  });
});

describe('synth with service.build', () => {
  function lifecyclePolicy(input: BackplaneConfigInput, configDir: string): string {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'image-build-out-'));
    const { stackDir } = synthesize(input, { outdir, configDir, pendingImage: true });
    const json = JSON.parse(fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8'));
    return String((Object.values(json.resource.aws_ecr_lifecycle_policy)[0] as { policy: string }).policy);
  }

  it("counts the stage's own deploy tags (<stage>-<time>) with the releases, so previews' pushes never expire its image", () => {
    const dir = tmp();
    expect(lifecyclePolicy(CONFIG, dir)).toContain('"tagPrefixList" = ["v", "dev-"]');
    expect(lifecyclePolicy({ ...CONFIG, stage: 'staging' } as BackplaneConfigInput, dir)).toContain('"tagPrefixList" = ["v", "staging-"]');
    // A stage that names its image does not push deploy builds: the configured prefixes only.
    expect(lifecyclePolicy({ ...CONFIG, service: { imageTag: 'v1' } } as BackplaneConfigInput, dir)).toContain('"tagPrefixList" = ["v"]');
  });

  it("pins the stage's recorded digest in the repository the stack owns", () => {
    const dir = tmp();
    recordImage(dir, 'dev', image());
    expect(appImage(dir)).toBe(`format("%s@${DIGEST}", aws_ecr_repository.registry_repository.repository_url)`);
  });

  it('refuses to synthesize a stage with no image, unless asked for the placeholder (the deploy repository step, plan)', () => {
    const dir = tmp();
    expect(() => appImage(dir)).toThrow(/stage "dev" has no image yet/);
    expect(appImage(dir, { pendingImage: true })).toContain(`"%s@${PENDING_DIGEST}"`);
    recordImage(dir, 'dev', image());
    expect(appImage(dir, { pendingImage: true })).toContain(`"%s@${DIGEST}"`);
  });
});
