/** Synthesis helpers for the DNS, certificate and email tests: a NamedStack with an aws provider, read back as JSON. */
import { AwsProvider } from '@cdktn/provider-aws/lib/provider';
import { App } from 'cdktn';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { NamedStack } from '../../src/constructs/naming';

export interface TfJson {
  resource: Record<string, Record<string, any>>;
  data?: Record<string, Record<string, any>>;
  output?: Record<string, { value: unknown; description?: string }>;
  provider: Record<string, any[]>;
  terraform: { required_providers: Record<string, { source: string; version: string }> };
}

export function synth(build: (stack: NamedStack) => void, region = 'us-east-1'): TfJson {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'backplane-dns-'));
  try {
    const app = new App({ outdir, skipValidation: true });
    const stack = new NamedStack(app, 'test');
    new AwsProvider(stack, 'aws', { region });
    stack.addOverride('terraform.required_providers.aws.version', '>= 5.100, < 7');
    build(stack);
    app.synth();
    return JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', 'test', 'cdk.tf.json'), 'utf8'));
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** A resource by type and name (fails with the names present). */
export function res(json: TfJson, type: string, name: string): any {
  const r = json.resource[type]?.[name];
  if (!r) throw new Error(`no ${type}.${name}; have: ${Object.keys(json.resource[type] ?? {}).join(', ') || 'none'}`);
  return r;
}

/** Every resource type whose name starts with a prefix (e.g. `aws_route53`). */
export function typesStartingWith(json: TfJson, prefix: string): string[] {
  return Object.keys(json.resource ?? {}).filter((t) => t.startsWith(prefix));
}

/** The error message a function throws (fails when it does not throw). */
export function thrown(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error, nothing was thrown');
}
