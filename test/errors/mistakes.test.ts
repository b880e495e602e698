/**
 * Plausible mistakes through the real entry points — the cdktn app (`node dist/app.js`, what `npm run synth`,
 * `cdktn synth` and `cdktf synth` run) and `backplane cost` — each refused with its exact line, exit code 1, no stack
 * trace, and no stack left in the output directory for a later `terraform apply` to pick up.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { exampleDir, repoRoot } from '../support/synth';

const APP = path.join(repoRoot, 'dist', 'app.js');
const BIN = path.join(repoRoot, 'bin', 'backplane.js');
const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;

const base = () => ({
  name: 'shop',
  domain: 'example.com',
  network: { nat: 'none' },
  service: { imageTag: 'v1' },
  edge: { mode: 'attach', distributionId: 'E1FRONTEND0001', snapshotFile: 'frontend-distribution.json' },
  queues: { jobs: {} },
});
type Config = Record<string, any>;

const snapshot = JSON.parse(fs.readFileSync(path.join(exampleDir, 'frontend-distribution.json'), 'utf8'));
const withBehavior = (pattern: string) => {
  const s = JSON.parse(JSON.stringify(snapshot));
  const items = s.DistributionConfig.CacheBehaviors.Items ?? [];
  items.push({ ...(items[0] ?? {}), PathPattern: pattern, TargetOriginId: s.DistributionConfig.Origins.Items[0].Id });
  s.DistributionConfig.CacheBehaviors = { Quantity: items.length, Items: items };
  return s;
};
const withOrigin = (id: string) => {
  const s = JSON.parse(JSON.stringify(snapshot));
  s.DistributionConfig.Origins.Items.push({ ...s.DistributionConfig.Origins.Items[0], Id: id });
  s.DistributionConfig.Origins.Quantity += 1;
  return s;
};

interface Case {
  readonly what: string;
  readonly config: (c: Config) => void;
  /** Files next to the config (name -> content). */
  readonly files?: Record<string, string>;
  /** The exact lines on stderr; `<dir>` is the project directory. */
  readonly lines: readonly string[];
}

const CASES: readonly Case[] = [
  {
    what: 'cpu given as a string',
    config: (c) => (c.service.cpu = '256'),
    lines: [
      'backplane.config.json has 1 problem:',
      '  - service.cpu = "256": must be one of the Fargate CPU sizes 256, 512, 1024, 2048, 4096, 8192, 16384 (a number, not a string)',
    ],
  },
  {
    what: 'a misspelt setting',
    config: (c) => (c.service.cpus = 512),
    lines: [
      'backplane.config.json has 1 problem:',
      '  - service.cpus: unknown setting (check the spelling; the settings that exist are in docs/configuration.md#service)',
    ],
  },
  {
    what: 'a Region AWS does not have',
    config: (c) => (c.region = 'us-east-9'),
    lines: [
      'backplane.config.json has 1 problem:',
      '  - region = "us-east-9": not an AWS Region; did you mean "us-east-1"? (Regions: us-east-1, us-east-2, us-west-1, us-west-2, ... — the list is in src/config/regions.ts)',
    ],
  },
  {
    what: 'a misspelt Region',
    config: (c) => (c.region = 'eu-wset-1'),
    lines: [
      'backplane.config.json has 1 problem:',
      '  - region = "eu-wset-1": not an AWS Region; did you mean "eu-west-1"? (Regions: us-east-1, us-east-2, us-west-1, us-west-2, ... — the list is in src/config/regions.ts)',
    ],
  },
  {
    what: 'route53 without its zone',
    config: (c) => (c.dns = { provider: 'route53' }),
    lines: [
      'backplane.config.json has 1 problem:',
      '  - dns.zoneId is missing: the Route53 hosted zone id is required with provider "route53", such as "Z0123456789ABC"',
    ],
  },
  {
    what: 'a secret given as a string instead of an ARN',
    config: (c) => (c.service.secrets = { STRIPE_KEY: 'sk_live_51Habcdefghijklmnop' }),
    lines: [
      'backplane.config.json has 1 problem:',
      '  - service.secrets.STRIPE_KEY = (value hidden): must be a Secrets Manager secret ARN, optionally with ":json-key::"',
    ],
  },
  {
    what: 'secrets in plain environment variables',
    config: (c) =>
      (c.service.environment = {
        STRIPE_SECRET_KEY: 'sk_live_51Habcdefghijklmnop',
        DB_PASSWORD: 'hunter2',
        GREETING: 'xoxb-1234567890-abcdef',
      }),
    lines: [
      'backplane.config.json has 3 problems:',
      '  - service.environment.STRIPE_SECRET_KEY looks like a secret (by its name; value not shown): a plain environment variable is readable in the task definition, the console and the Terraform state. Store it in Secrets Manager and reference it instead: service.secrets: { STRIPE_SECRET_KEY: "arn:aws:secretsmanager:<region>:<account>:secret:<name>" } (if it is not a secret, e.g. a publishable key, rename the variable)',
      '  - service.environment.DB_PASSWORD looks like a secret (by its name; value not shown): a plain environment variable is readable in the task definition, the console and the Terraform state. Store it in Secrets Manager and reference it instead: service.secrets: { DB_PASSWORD: "arn:aws:secretsmanager:<region>:<account>:secret:<name>" } (if it is not a secret, e.g. a publishable key, rename the variable)',
      '  - service.environment.GREETING looks like a secret (by its value, a known credential format; value not shown): a plain environment variable is readable in the task definition, the console and the Terraform state. Store it in Secrets Manager and reference it instead: service.secrets: { GREETING: "arn:aws:secretsmanager:<region>:<account>:secret:<name>" }',
    ],
  },
  {
    what: 'a movable tag on prod',
    config: (c) => ((c.stage = 'prod'), (c.network = {}), (c.state = { backend: 's3', bucket: 'shop-tfstate' })),
    lines: [
      'backplane.config.json has 1 problem:',
      '  - service.imageTag = "v1": stage "prod" is protected, so a tag can be moved to other code after review; pin the image by digest: set service.imageDigest to the sha256:... that `backplane image push` prints (or service.image to name@sha256:...), and remove service.imageTag',
    ],
  },
  {
    what: 'local state on prod',
    config: (c) => ((c.stage = 'prod'), (c.network = {}), (c.service = { imageDigest: DIGEST })),
    lines: [
      'backplane.config.json has 1 problem:',
      '  - state.backend = "local": stage "prod" is protected, and its state holds secrets (the cache auth token, the origin header) in a plain file on one machine: use S3 — `backplane init --backend s3` creates an encrypted, versioned bucket and sets state: { backend: \'s3\', bucket, region } — or state: { backend: \'cloud\', organization, workspace }',
    ],
  },
  {
    what: 'tasks with public IPs on prod',
    config: (c) => ((c.stage = 'prod'), (c.service = { imageDigest: DIGEST }), (c.state = { backend: 's3', bucket: 'shop-tfstate' })),
    lines: [
      'backplane.config.json has 1 problem:',
      '  - network.nat = "none": stage "prod" is protected, and "none" runs tasks in public subnets with public IPs (AWS Foundational Security Best Practices ECS.2): remove network.nat (a protected stage defaults to a NAT Gateway per AZ) or set nat: \'instance\' (cheaper, one AZ)',
    ],
  },
  {
    what: 'a snapshot that is not JSON',
    config: (c) => (c.edge.snapshotFile = 'broken.json'),
    files: { 'broken.json': '{ not json' },
    lines: [
      "edge.snapshotFile (<dir>/broken.json) is not valid JSON (Expected property name or '}' in JSON at position 2); create one with `backplane cloudfront snapshot --id <DISTRIBUTION_ID> --out frontend-distribution.json` (or `aws cloudfront get-distribution-config --id <DISTRIBUTION_ID> > frontend-distribution.json`)",
    ],
  },
  {
    what: 'a ListDistributions answer instead of GetDistributionConfig',
    config: (c) => (c.edge.snapshotFile = 'list.json'),
    files: { 'list.json': JSON.stringify({ DistributionList: { Items: [] } }) },
    lines: [
      'edge.snapshotFile (<dir>/list.json) is not a GetDistributionConfig answer: expected { ETag, DistributionConfig }, got keys [DistributionList]; create one with `backplane cloudfront snapshot --id <DISTRIBUTION_ID> --out frontend-distribution.json` (or `aws cloudfront get-distribution-config --id <DISTRIBUTION_ID> > frontend-distribution.json`)',
    ],
  },
  {
    what: 'a snapshot that already has /api/*',
    config: () => undefined,
    files: { 'frontend-distribution.json': JSON.stringify(withBehavior('/api/*')) },
    lines: [
      `distribution E1FRONTEND0001 already has a cache behavior for path pattern "/api/*" (to origin "${snapshot.DistributionConfig.Origins.Items[0].Id}"). Choose another edge.pathPattern, or remove that behavior in CloudFront and re-snapshot; if it is Backplane's own from an earlier attach, re-snapshot without it: \`backplane cloudfront snapshot --id E1FRONTEND0001 --without-origin backplane-api\``,
    ],
  },
  {
    what: 'an origin-id collision',
    config: () => undefined,
    files: { 'frontend-distribution.json': JSON.stringify(withOrigin('backplane-api')) },
    lines: [
      `distribution E1FRONTEND0001 already has an origin with id "backplane-api" (${snapshot.DistributionConfig.Origins.Items[0].DomainName}). Choose another edge.apiOriginId, or, if it is Backplane's own from an earlier attach, re-snapshot without it: \`backplane cloudfront snapshot --id E1FRONTEND0001 --without-origin backplane-api\``,
    ],
  },
  {
    what: 'a path pattern that takes the whole site',
    config: (c) => (c.edge.pathPattern = '/*'),
    lines: ['edge.pathPattern "/*" would take over the whole site; use a prefix such as "/api/*" (or an api.<domain> origin instead)'],
  },
];

function project(c: Case): { dir: string; file: string; outdir: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mistake-'));
  fs.writeFileSync(path.join(dir, 'frontend-distribution.json'), JSON.stringify(snapshot));
  for (const [name, content] of Object.entries(c.files ?? {})) fs.writeFileSync(path.join(dir, name), content);
  const config = base();
  c.config(config);
  const file = path.join(dir, 'backplane.config.json');
  fs.writeFileSync(file, JSON.stringify(config));
  return { dir, file, outdir: path.join(dir, 'cdktf.out') };
}

const run = (cmd: string[], cwd: string, env: Record<string, string>) =>
  spawnSync(process.execPath, cmd, { cwd, encoding: 'utf8', env: { PATH: process.env.PATH, HOME: cwd, ...env } });

describe('the cdktn app refuses each mistake with its line, exit 1, no stack trace and no stack written', () => {
  it.each(CASES.map((c) => [c.what, c] as const))('%s', (_what, c) => {
    const { dir, file, outdir } = project(c);
    // A stack from an earlier good synth must not survive a failed one.
    fs.mkdirSync(path.join(outdir, 'stacks', `shop-${c.what.includes('prod') ? 'prod' : 'dev'}`), { recursive: true });
    const r = run([APP], dir, { BACKPLANE_CONFIG: file, CDKTF_OUTDIR: outdir });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    const shown = (r.stderr.startsWith(dir) ? r.stderr.slice(dir.length + 1) : r.stderr).replaceAll(dir, '<dir>');
    expect(shown.trimEnd().split('\n')).toEqual(c.lines);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(fs.existsSync(path.join(outdir, 'stacks', 'shop-dev'))).toBe(false);
    expect(fs.existsSync(path.join(outdir, 'stacks', 'shop-prod'))).toBe(false);
  });
});

describe('backplane cost refuses what synth refuses, before pricing anything', () => {
  it.each(CASES.map((c) => [c.what, c] as const))('%s', (_what, c) => {
    const { dir } = project(c);
    const r = run([BIN, 'cost', '--brief'], dir, {});
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    const text = r.stderr.replaceAll(dir, '<dir>').replace(/^backplane cost: /, '');
    expect(text.trimEnd().split('\n')).toEqual(c.lines);
  });
});

describe('the app itself', () => {
  it('treats an empty CDKTF_OUTDIR as unset (no crash)', () => {
    // A copy of the app and the built-in example's snapshot: its default output directory (<root>/cdktf.out) is then
    // private to this test (the e2e stage synthesizes into the repository's own at the same time).
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'outdir-'));
    fs.mkdirSync(path.join(root, 'dist'));
    for (const f of ['app.js', 'app.bundle.js']) fs.copyFileSync(path.join(repoRoot, 'dist', f), path.join(root, 'dist', f));
    // The bundle's dependencies (cdktn, constructs, zod, esbuild) are installed packages, as in a user's project.
    fs.symlinkSync(path.join(repoRoot, 'node_modules'), path.join(root, 'node_modules'));
    fs.mkdirSync(path.join(root, 'examples', 'fullstack'), { recursive: true });
    fs.copyFileSync(
      path.join(exampleDir, 'frontend-distribution.json'),
      path.join(root, 'examples', 'fullstack', 'frontend-distribution.json'),
    );
    const r = run([path.join(root, 'dist', 'app.js')], root, { CDKTF_OUTDIR: '' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Synthesized shop-dev from examples\/fullstack\/backplane\.config\.ts: \d+ resources/);
    expect(fs.existsSync(path.join(root, 'cdktf.out', 'stacks', 'shop-dev', 'cdk.tf.json'))).toBe(true);
  });

  it('says an empty config must export the config as its default export', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'empty-'));
    fs.writeFileSync(path.join(dir, 'backplane.config.ts'), '');
    const r = run([APP], dir, { BACKPLANE_CONFIG: path.join(dir, 'backplane.config.ts'), CDKTF_OUTDIR: path.join(dir, 'out') });
    expect(r.status).toBe(1);
    expect(r.stderr.trimEnd()).toBe(
      `${path.join(dir, 'backplane.config.ts')} must export the config as its default export: export default defineConfig({ name, domain, service, edge, ... }) (it is empty)`,
    );
  });

  it('says a config without a default export must export one, naming what it exports', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nodefault-'));
    fs.writeFileSync(path.join(dir, 'backplane.config.ts'), "export const config = { name: 'shop' };\n");
    const r = run([APP], dir, { BACKPLANE_CONFIG: path.join(dir, 'backplane.config.ts'), CDKTF_OUTDIR: path.join(dir, 'out') });
    expect(r.status).toBe(1);
    expect(r.stderr.trimEnd()).toBe(
      `${path.join(dir, 'backplane.config.ts')} must export the config as its default export: export default defineConfig({ name, domain, service, edge, ... }) (it has only named exports: config)`,
    );
  });

  it('reports an internal error as a bug with where to report it, and the stack only with BACKPLANE_DEBUG=1', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bug-'));
    // A getter that throws a TypeError while the config is read: not a mistake the user can fix from a message.
    fs.writeFileSync(path.join(dir, 'backplane.config.js'), "module.exports = { get name() { throw new TypeError('boom'); } };\n");
    const env = { BACKPLANE_CONFIG: path.join(dir, 'backplane.config.js'), CDKTF_OUTDIR: path.join(dir, 'out') };
    const r = run([APP], dir, env);
    expect(r.status).toBe(1);
    expect(r.stderr.trimEnd()).toMatch(
      /^internal error — a bug in Backplane, not in your config: boom\. Run it again with BACKPLANE_DEBUG=1 \(e\.g\. BACKPLANE_DEBUG=1 npm run synth\) to print the stack trace, and report it at .+\.$/,
    );
    expect(r.stderr).not.toMatch(/^\s+at /m);
    const d = run([APP], dir, { ...env, BACKPLANE_DEBUG: '1' });
    expect(d.status).toBe(1);
    expect(d.stderr).toMatch(/TypeError: boom\n\s+at /);
  });

  it('passes DIGEST-pinned prod configs (the refusal above is about the tag, not the stage)', () => {
    const c: Case = {
      what: 'prod pinned',
      config: (x) => (
        (x.stage = 'prod'),
        (x.network = {}),
        (x.service = { imageDigest: DIGEST }),
        (x.state = { backend: 's3', bucket: 'shop-tfstate' })
      ),
      lines: [],
    };
    const { dir, file, outdir } = project(c);
    const r = run([APP], dir, { BACKPLANE_CONFIG: file, CDKTF_OUTDIR: outdir });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(fs.existsSync(path.join(outdir, 'stacks', 'shop-prod', 'cdk.tf.json'))).toBe(true);
  });

  it('synthesizes the stage BACKPLANE_STAGE names (as `backplane --stage` does), unprotected unless it says protect', () => {
    const { dir, file, outdir } = project({ what: 'preview', config: () => undefined, lines: [] });
    const r = run([APP], dir, { BACKPLANE_CONFIG: file, CDKTF_OUTDIR: outdir, BACKPLANE_STAGE: 'pr-123' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(fs.existsSync(path.join(outdir, 'stacks', 'shop-dev'))).toBe(false);
    const text = fs.readFileSync(path.join(outdir, 'stacks', 'shop-pr-123', 'cdk.tf.json'), 'utf8');
    expect(text).toContain('"shop-pr-123"');
    // Only the adopted distribution (never the preview's own data) is kept on destroy.
    const stack = JSON.parse(text) as { resource: Record<string, Record<string, { lifecycle?: { prevent_destroy?: boolean } }>> };
    const kept = Object.entries(stack.resource).flatMap(([type, rs]) =>
      Object.entries(rs)
        .filter(([, body]) => body.lifecycle?.prevent_destroy)
        .map(([name]) => `${type}.${name}`),
    );
    expect(kept).toEqual(['aws_cloudfront_distribution.frontend']);
    const bad = run([APP], dir, { BACKPLANE_CONFIG: file, CDKTF_OUTDIR: outdir, BACKPLANE_STAGE: 'PR_1' });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('stage');
  });
});
