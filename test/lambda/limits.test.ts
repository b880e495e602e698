/**
 * Lambda's quotas checked at synth (src/limits/lambda.ts): each at both sides of its boundary on real zip files,
 * and end to end on a synthesized BunLambda (the direct-upload finding, and its cure: the S3 code bucket).
 */
import { execFileSync } from 'child_process';
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BunLambda } from '../../src/constructs/bun-lambda';
import { loadFflate } from '../../src/lambda/zip';
import { stackLimitFindings, type StackJson } from '../../src/limits';
import {
  DIRECT_UPLOAD_ZIP_BYTES,
  ENVIRONMENT_BYTES,
  LAYERS_PER_FUNCTION,
  lambdaFindings,
  UNZIPPED_PACKAGE_BYTES,
  unzippedBytes,
} from '../../src/limits/lambda';
import { synthStack } from './synth-helpers';

const MiB = 1024 * 1024;
let tmp: string;
beforeAll(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lambda-limits-'))));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A real zip (cdktn's fflate, fast level) of entries of the given sizes, zero-filled. */
function zipOf(name: string, sizes: readonly number[]): string {
  const files = Object.fromEntries(sizes.map((size, i) => [`file${i}`, [new Uint8Array(size), { level: 1 }]]));
  const file = path.join(tmp, name);
  fs.writeFileSync(file, loadFflate()!.zipSync(files as never, { level: 1, mtime: new Date(1980, 0, 1) }));
  return file;
}

/** A sparse file of exactly `bytes` (the direct-upload check only measures the zip's size). */
function fileOf(name: string, bytes: number): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, '');
  fs.truncateSync(file, bytes);
  return file;
}

const fn = (extra: Record<string, unknown>): StackJson => ({ resource: { aws_lambda_function: { worker: extra } } });

describe('unzippedBytes reads what the zip declares', () => {
  it('sums the uncompressed sizes of every entry, as python zipfile reports them', () => {
    const zip = zipOf('two.zip', [1000, 70_000]);
    const python = execFileSync('python3', [
      '-c',
      'import sys,zipfile;print(sum(i.file_size for i in zipfile.ZipFile(sys.argv[1]).infolist()))',
      zip,
    ]);
    expect(unzippedBytes(zip)).toBe(71_000);
    expect(Number(python.toString().trim())).toBe(71_000);
  });

  it('is undefined for a file that is not a zip', () => {
    expect(unzippedBytes(fileOf('not-a-zip', 100))).toBeUndefined();
  });
});

describe('the 50 MB direct-upload quota', () => {
  it(`accepts a ${DIRECT_UPLOAD_ZIP_BYTES}-byte zip and refuses one byte more, pointing at S3`, () => {
    expect(lambdaFindings(fn({ filename: 'at.zip' }), tmp)).toEqual([]);
    fileOf('at.zip', DIRECT_UPLOAD_ZIP_BYTES);
    fileOf('over.zip', DIRECT_UPLOAD_ZIP_BYTES + 1);
    expect(lambdaFindings(fn({ filename: 'at.zip' }), tmp)).toEqual([]);
    expect(lambdaFindings(fn({ filename: 'over.zip' }), tmp)).toEqual([
      expect.stringMatching(
        /^aws_lambda_function\.worker: the zip is 50\.0 MiB, over Lambda's 50\.0 MiB direct-upload quota .*upload it through S3/,
      ),
    ]);
  });

  it('does not apply to a zip uploaded through an aws_s3_object, nor to a layer uploaded that way', () => {
    fileOf('big.zip', DIRECT_UPLOAD_ZIP_BYTES + MiB);
    const stack: StackJson = {
      resource: {
        aws_s3_object: { code: { bucket: 'b', key: 'k', source: 'big.zip' }, layer: { bucket: 'b', key: 'l', source: 'big.zip' } },
        aws_lambda_layer_version: { bun: { s3_bucket: 'b', s3_key: '${aws_s3_object.layer.key}' } },
        aws_lambda_function: { worker: { s3_bucket: 'b', s3_key: '${aws_s3_object.code.key}' } },
      },
    };
    expect(lambdaFindings(stack, tmp)).toEqual([]);
    stack.resource!.aws_lambda_layer_version.bun = { filename: 'big.zip' };
    expect(lambdaFindings(stack, tmp)).toEqual([expect.stringMatching(/^aws_lambda_layer_version\.bun: the zip is 51\.0 MiB, over/)]);
  });
});

describe('the 250 MB unzipped quota, layers included', () => {
  it('accepts a function and its layer totalling 250 MiB and refuses them one byte over', () => {
    const code = zipOf('code.zip', [100 * MiB]);
    zipOf('layer-at.zip', [UNZIPPED_PACKAGE_BYTES - 100 * MiB]);
    zipOf('layer-over.zip', [UNZIPPED_PACKAGE_BYTES - 100 * MiB, 1]);
    const stack = (layer: string): StackJson => ({
      resource: {
        aws_lambda_layer_version: { bun: { filename: layer } },
        aws_lambda_function: { worker: { filename: path.basename(code), layers: ['${aws_lambda_layer_version.bun.arn}'] } },
      },
    });
    expect(lambdaFindings(stack('layer-at.zip'), tmp)).toEqual([]);
    expect(lambdaFindings(stack('layer-over.zip'), tmp)).toEqual([
      expect.stringMatching(/^aws_lambda_function\.worker: 250\.0 MiB unzipped with its layers, over Lambda's 250\.0 MiB/),
    ]);
  });
});

describe('layers per function and environment size', () => {
  it(`accepts ${LAYERS_PER_FUNCTION} layers and refuses ${LAYERS_PER_FUNCTION + 1}`, () => {
    const layers = (n: number) => Array.from({ length: n }, (_, i) => `arn:aws:lambda:us-east-1:123456789012:layer:l${i}:1`);
    expect(lambdaFindings(fn({ layers: layers(5) }), tmp)).toEqual([]);
    expect(lambdaFindings(fn({ layers: layers(6) }), tmp)).toEqual([
      expect.stringMatching(/^aws_lambda_function\.worker: 6 layers, over Lambda's 5/),
    ]);
  });

  it(`counts keys and literal values: ${ENVIRONMENT_BYTES} bytes pass, one more is refused; tokens are not counted`, () => {
    const env = (valueBytes: number) => ({ environment: { variables: { KEY: 'x'.repeat(valueBytes), REF: '${aws_sqs_queue.q.url}' } } });
    const atLimit = ENVIRONMENT_BYTES - 'KEY'.length - 'REF'.length;
    expect(lambdaFindings(fn(env(atLimit)), tmp)).toEqual([]);
    expect(lambdaFindings(fn(env(atLimit + 1)), tmp)).toEqual([
      expect.stringMatching(/^aws_lambda_function\.worker: environment variables total 4097 bytes, over Lambda's 4096/),
    ]);
  });
});

describe('on a synthesized BunLambda', () => {
  let bootstrapDir: string;
  beforeAll(() => {
    // Random bytes do not compress: the zip stays over 50 MB, like the compiled Bun binary (51.5 MB).
    bootstrapDir = path.join(tmp, 'big-bootstrap');
    fs.mkdirSync(bootstrapDir);
    fs.writeFileSync(path.join(bootstrapDir, 'bootstrap'), randomBytes(DIRECT_UPLOAD_ZIP_BYTES + MiB), { mode: 0o755 });
  });
  const synth = (codeBucket?: string) =>
    synthStack(
      (stack) =>
        new BunLambda(stack, 'worker', { functionName: 'worker', bootstrapDir, packageOutDir: path.join(tmp, 'cache'), codeBucket }),
      fs.mkdtempSync(path.join(tmp, 'out-')),
    );

  it('finds the direct upload over 50 MB, and nothing once the code goes through the S3 code bucket', () => {
    const direct = synth();
    expect(stackLimitFindings(direct.json as StackJson, direct.stackDir)).toEqual([
      expect.stringMatching(
        /^aws_lambda_function\.worker_function_[0-9A-F]+: the zip is 51\.0 MiB, over Lambda's 50\.0 MiB direct-upload quota/,
      ),
    ]);
    expect(stackLimitFindings(direct.json as StackJson)).toEqual([]); // without the stack dir, packages are not measured
    const viaS3 = synth('code-bucket');
    expect(stackLimitFindings(viaS3.json as StackJson, viaS3.stackDir)).toEqual([]);
  }, 60_000);
});
