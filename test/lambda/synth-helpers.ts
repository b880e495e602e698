/** Helpers for the BunLambda synth tests: a full synth to disk, resource lookup, and a zip directory reader. */
import { AwsProvider } from '@cdktn/provider-aws/lib/provider';
import { App, TerraformStack } from 'cdktn';
import * as fs from 'fs';
import * as path from 'path';

export interface Synthesized {
  readonly stackDir: string;
  readonly json: { resource: Record<string, Record<string, Record<string, unknown>>>; data?: Record<string, unknown> };
}

/** Builds a stack with `build`, synthesizes it (assets included) into `outdir`, and reads cdk.tf.json back. */
export function synthStack(build: (stack: TerraformStack) => void, outdir: string): Synthesized {
  const app = new App({ outdir, skipValidation: true });
  const stack = new TerraformStack(app, 'test');
  new AwsProvider(stack, 'aws', { region: 'us-east-1' });
  // The bindings pin the provider they were generated from; accept what the project supports.
  stack.addOverride('terraform.required_providers.aws.version', '>= 5.100, < 7');
  build(stack);
  app.synth();
  return readStack(outdir, 'test');
}

/** Synthesizes an app built by `build` (which adds its own stacks) and reads one stack back. */
export function synthApp(build: (app: App) => unknown, stackName: string, outdir: string): Synthesized {
  const app = new App({ outdir, skipValidation: true });
  build(app);
  app.synth();
  return readStack(outdir, stackName);
}

function readStack(outdir: string, name: string): Synthesized {
  const stackDir = path.join(outdir, 'stacks', name);
  return { stackDir, json: JSON.parse(fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8')) };
}

/** The only resource of a type (fails the test if there are none or several). */
export function only(s: Synthesized, type: string): Record<string, unknown> {
  const all = Object.values(s.json.resource[type] ?? {});
  if (all.length !== 1) throw new Error(`expected one ${type}, found ${all.length}`);
  return all[0];
}

export function all(s: Synthesized, type: string): Record<string, unknown>[] {
  return Object.values(s.json.resource[type] ?? {});
}

/**
 * `${jsonencode({...})}` as cdktn writes it (an HCL object: `"key" = value`, references unquoted) read back as
 * the object inside, with each bare reference turned into its `${...}` string form.
 */
export function decodeJsonencode(expr: unknown): Record<string, unknown> {
  const m = /^\$\{jsonencode\(([\s\S]*)\)\}$/.exec(String(expr));
  if (!m) throw new Error(`not a jsonencode expression: ${String(expr)}`);
  const json = m[1].replace(/([=[,] ?)((?:data\.)?aws_[\w.-]+)(?=[,}\]])/g, '$1"${$2}"').replace(/" = /g, '": ');
  return JSON.parse(json);
}

export interface ZipEntry {
  readonly name: string;
  readonly mode: number;
  readonly size: number;
}

/** Reads a zip's central directory (names, unix modes, uncompressed sizes). */
export function zipEntries(file: string): ZipEntry[] {
  const buf = fs.readFileSync(file);
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65_557); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error(`${file} is not a zip`);
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const entries: ZipEntry[] = [];
  for (let n = 0; n < count; n++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error('bad central directory entry');
    const size = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const attrs = buf.readUInt32LE(p + 38);
    entries.push({ name: buf.toString('utf8', p + 46, p + 46 + nameLen), mode: attrs >>> 16, size });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}
