import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { deployPolicy, pullRequestPolicy, trustPolicy } from '../../src/cli/ci/github';
import { cli } from './support/cli';

// js-yaml is already installed (jest's own dependency); a YAML parser, not a string search, reads the workflow.
const yaml = require('js-yaml') as { load(text: string): unknown };

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'backplane-init-ci-'));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

const BASE = ['init', '--yes', '--name', 'shop', '--domain', 'example.com', '--edge', 'subdomain'];
const CLOUD = ['--backend', 'cloud', '--organization', 'acme', '--workspace', 'shop-dev'];
const init = (argv: string[]) => cli(argv, { cwd: tmp });
const read = (f: string) => fs.readFileSync(path.join(tmp, f), 'utf8');

interface Workflow {
  on: { push: { branches: string[] }; pull_request: { types: string[] } };
  permissions: Record<string, string>;
  jobs: Record<
    string,
    { if: string; steps: { uses?: string; run?: string; with?: Record<string, unknown> }[]; permissions?: Record<string, string> }
  >;
}

/** The JSON policy documents of the Terraform file: each heredoc between <<-JSON and JSON. */
const heredocs = (tf: string) => [...tf.matchAll(/<<-JSON\n([\s\S]*?)\n\s*JSON/g)].map((m) => JSON.parse(m[1]));

test('a new project: the config, a workflow that parses, and the OIDC roles restricted to the repository and branch', async () => {
  const r = await init([...BASE, ...CLOUD, '--ci', 'github', '--repo', 'acme/shop', '--branch', 'release']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('wrote .github/workflows/backplane.yml');
  const wf = yaml.load(read('.github/workflows/backplane.yml')) as Workflow;
  expect(wf.on.push.branches).toEqual(['release']);
  expect(wf.on.pull_request.types).toContain('closed');
  expect(wf.permissions['id-token']).toBe('write');
  expect(Object.keys(wf.jobs).sort()).toEqual(['deploy', 'plan', 'teardown']);
  const runs = (job: string) => wf.jobs[job].steps.map((s) => s.run).filter(Boolean);
  expect(runs('plan')).toEqual(expect.arrayContaining([expect.stringContaining('npx backplane plan --stage dev')]));
  expect(runs('plan')).toEqual(
    expect.arrayContaining([expect.stringContaining('npx backplane deploy --stage pr-${{ github.event.pull_request.number }} --yes')]),
  );
  expect(runs('teardown')).toContain('npx backplane destroy --stage pr-${{ github.event.pull_request.number }} --yes');
  expect(runs('deploy')).toContain('npx backplane deploy --yes');
  const credentials = (job: string) => wf.jobs[job].steps.find((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials'))?.with;
  expect(credentials('deploy')).toEqual({ 'role-to-assume': '${{ vars.BACKPLANE_DEPLOY_ROLE_ARN }}', 'aws-region': 'us-east-1' });
  expect(credentials('plan')?.['role-to-assume']).toBe('${{ vars.BACKPLANE_PR_ROLE_ARN }}');
  expect(read('.github/workflows/backplane.yml')).not.toMatch(/aws-access-key-id|aws-secret-access-key|AKIA/i);

  const tf = read('ci/github-oidc/main.tf');
  expect(tf).toContain('url            = "https://token.actions.githubusercontent.com"');
  const trusts = heredocs(tf).filter((d) => d.Statement[0].Action === 'sts:AssumeRoleWithWebIdentity');
  expect(trusts.map((d) => d.Statement[0].Condition.StringEquals)).toEqual([
    {
      'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
      'token.actions.githubusercontent.com:sub': 'repo:acme/shop:ref:refs/heads/release',
    },
    {
      'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
      'token.actions.githubusercontent.com:sub': 'repo:acme/shop:pull_request',
    },
  ]);
  expect(
    trusts.every((d) => d.Statement.length === 1 && d.Statement[0].Principal.Federated === '${aws_iam_openid_connect_provider.github.arn}'),
  ).toBe(true);
});

test("the roles' permissions are scoped by name: the deploy role to <name>-*, the pull-request role to <name>-pr-*", () => {
  const ci = { name: 'shop', region: 'us-east-1', repository: 'acme/shop', branch: 'main', stage: 'dev', stateBucket: 'shop-tfstate-1' };
  const scoped = (prefix: string) => deployPolicy(ci, prefix).Statement.filter((s) => s.Sid !== 'NoResourceLevelPermissions');
  for (const s of scoped('shop-pr-')) {
    for (const resource of [s.Resource].flat()) expect(resource).toMatch(/shop-pr-|:repository\/shop\*|shop-tfstate-1/);
  }
  const wildcard = deployPolicy(ci, 'shop-').Statement.filter((s) => s.Resource === '*');
  expect(wildcard.map((s) => s.Sid)).toEqual(['NoResourceLevelPermissions']);
  expect(scoped('shop-').find((s) => s.Sid === 'StateObjects')?.Resource).toBe('arn:aws:s3:::shop-tfstate-1/shop/*');
  expect(trustPolicy('arn:x', 'repo:acme/shop:pull_request').Statement[0].Condition).toEqual({
    StringEquals: {
      'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
      'token.actions.githubusercontent.com:sub': 'repo:acme/shop:pull_request',
    },
  });
});

test("with shared previews (preview.parent), the pull-request role may add rules to the parent's listener and nothing else of it", () => {
  const ci = { name: 'shop', region: 'us-east-1', repository: 'acme/shop', branch: 'main', stage: 'dev' };
  expect(pullRequestPolicy(ci).Statement.find((s) => s.Sid === 'PreviewRulesOnTheParentListener')).toBeUndefined();
  const shared = pullRequestPolicy({ ...ci, previewParent: 'dev' }).Statement;
  const rules = shared.find((s) => s.Sid === 'PreviewRulesOnTheParentListener')!;
  expect(rules.Resource).toEqual([
    'arn:aws:elasticloadbalancing:*:*:listener/app/shop-dev/*',
    'arn:aws:elasticloadbalancing:*:*:listener-rule/app/shop-dev/*',
  ]);
  expect(
    [rules.Action]
      .flat()
      .every((a) => /^elasticloadbalancing:(CreateRule|ModifyRule|DeleteRule|SetRulePriorities|AddTags|RemoveTags)$/.test(a)),
  ).toBe(true);
  // Everything else stays on <name>-pr-*.
  for (const s of shared.filter((x) => x.Sid !== 'NoResourceLevelPermissions' && x !== rules))
    for (const resource of [s.Resource].flat()) expect(resource).toMatch(/shop-pr-|:repository\/shop\*/);
});

test('an existing project: only the CI files, the config untouched', async () => {
  expect((await init([...BASE, ...CLOUD])).code).toBe(0);
  // In-process the CLI runs from src/, where `import ... from 'backplane'` has no package to resolve to.
  const config = path.join(tmp, 'backplane.config.ts');
  fs.writeFileSync(
    config,
    read('backplane.config.ts').replace("import { defineConfig } from 'backplane';", 'const defineConfig = <T>(c: T) => c;'),
  );
  const before = read('backplane.config.ts');
  const r = await init(['init', '--ci', 'github', '--repo', 'acme/shop']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(read('backplane.config.ts')).toBe(before);
  expect(fs.existsSync(path.join(tmp, '.github/workflows/backplane.yml'))).toBe(true);
  const again = await init(['init', '--ci', 'github', '--repo', 'acme/shop']);
  expect(again.code).toBe(1);
  expect(again.stderr).toContain('.github/workflows/backplane.yml already exists: pass --force');
});

test('refused before anything is written: a local state, a missing or malformed --repo', async () => {
  const local = await init([...BASE, '--ci', 'github', '--repo', 'acme/shop']);
  expect(local.code).toBe(1);
  expect(local.stderr).toContain('a CI runner loses a local state file');
  expect(fs.readdirSync(tmp)).toEqual([]);
  for (const repo of [[], ['--repo', 'shop']]) {
    const r = await init([...BASE, ...CLOUD, '--ci', 'github', ...repo]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--ci github needs --repo <owner>/<repo>');
    expect(fs.readdirSync(tmp)).toEqual([]);
  }
});
