/**
 * Backplane as a library: BackplaneStack in a plain cdktn App (cdktn's validations on, as in a user's app), the
 * refusal of a tree from another CDK library, and the cdktf.json `init` writes so the CDK CLIs run the same config.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdktn';
import { Construct, RootConstruct } from 'constructs';
import { BackplaneStack, FullstackBackend, resolveConfig } from '../../src';
import { CDKTF_APP } from '../../src/cli/cdktf-json';
import { cli } from '../cli/support/cli';

const config = {
  name: 'lib',
  domain: 'example.com',
  region: 'eu-west-1',
  service: { imageTag: 'v1' },
  edge: { mode: 'subdomain' },
} as const;

function synth(app: App, stackName: string): Record<string, any> {
  app.synth();
  return JSON.parse(fs.readFileSync(path.join(app.outdir, 'stacks', stackName, 'cdk.tf.json'), 'utf8'));
}

describe('BackplaneStack in a cdktn app of the user', () => {
  const outdir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'bp-lib-'));

  it('synthesizes with cdktn validations on, with the config region, tags, constraint and readable names', () => {
    const app = new App({ outdir: outdir() });
    const stack = new BackplaneStack(app, { ...config, tags: { team: 'x' } }, { configDir: '/project' });
    const json = synth(app, 'lib-dev');
    expect(stack.stackName).toBe('lib-dev');
    expect(json.provider.aws[0]).toMatchObject({ region: 'eu-west-1' });
    expect(json.provider.aws[0].default_tags[0].tags).toEqual({ 'backplane:app': 'lib', 'backplane:stage': 'dev', team: 'x' });
    expect(json.terraform.required_providers.aws.version).toBe('>= 5.100, < 7');
    expect(json.terraform.backend.local.path).toBe('/project/terraform.lib-dev.tfstate');
    expect(Object.keys(json.resource.aws_ecs_service)).toEqual(['service_service']);
  });

  it('declares the Terraform versions it needs (>= 1.11) unless the app declares its own targetVersions', () => {
    const plain = new BackplaneStack(new App({ outdir: outdir() }), config);
    expect(plain.node.tryGetContext('targetVersions')).toEqual({ terraform: '>=1.11.0' });
    const own = new App({ outdir: outdir(), context: { targetVersions: { terraform: '>=1.12.0' } } });
    expect(new BackplaneStack(own, config).node.tryGetContext('targetVersions')).toEqual({ terraform: '>=1.12.0' });
  });

  it('validates the config before creating anything', () => {
    const app = new App({ outdir: outdir() });
    expect(() => new BackplaneStack(app, { ...config, region: 'eu-wst-1' })).toThrow(/region = "eu-wst-1"/);
    expect(app.node.children).toHaveLength(0);
  });

  it('refuses, in one line, a tree whose root is not a cdktn App', () => {
    const foreign = new RootConstruct('app');
    const scope = new Construct(foreign, 'stack');
    const message = (() => {
      try {
        new FullstackBackend(scope, 'backplane', resolveConfig(config), { configDir: '.' });
      } catch (e) {
        return (e as Error).message;
      }
      return 'no error';
    })();
    expect(message.split('\n')).toHaveLength(1);
    expect(message).toMatch(/^FullstackBackend must be created in a cdktn App, .* "cdktf": "npm:cdktn@0\.24\.0"/);
    expect(() => new BackplaneStack(foreign, config)).toThrow(/^BackplaneStack must be created in a cdktn App/);
  });
});

describe('backplane init writes the cdktf.json the CDK CLIs run', () => {
  it('points the CDK CLIs at the bundled app and never overwrites a cdktf.json of the project', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bp-init-'));
    const r = await cli(['init', '--yes', '--name', 'shop', '--domain', 'example.com', '--edge', 'subdomain'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/wrote cdktf\.json/);
    const written = JSON.parse(fs.readFileSync(path.join(dir, 'cdktf.json'), 'utf8'));
    expect(written).toMatchObject({ language: 'typescript', app: CDKTF_APP, projectId: 'shop-backplane' });
    fs.writeFileSync(path.join(dir, 'cdktf.json'), '{"app":"mine"}');
    const again = await cli(['init', '--yes', '--force', '--name', 'shop', '--domain', 'example.com', '--edge', 'subdomain'], { cwd: dir });
    expect(again.code).toBe(0);
    expect(again.stdout).not.toMatch(/cdktf\.json/);
    expect(fs.readFileSync(path.join(dir, 'cdktf.json'), 'utf8')).toBe('{"app":"mine"}');
  });
});
