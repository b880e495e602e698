/**
 * (e) The example worker stack (examples/lambda-worker: queue + DLQ + secret + BunLambda with the really bundled
 * handler on the Bun runtime layer) synthesized and checked by real Terraform 1.11 with hashicorp/aws 5.100 from the
 * offline mirror: `terraform init -plugin-dir=/opt/tf-plugins` + `terraform validate`.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { workerStack } from '../../examples/lambda-worker/stack';
import { defaultBunLambdaOutDir } from '../../src/lambda/package';
import { only, synthApp, zipEntries, type Synthesized } from './synth-helpers';

const PLUGIN_DIR = '/opt/tf-plugins';
/** CreateFunction refuses requests over 69,905,067 bytes; the zip travels base64-encoded (4/3 larger). */
const DIRECT_UPLOAD_MAX_ZIP = Math.floor((69_905_067 * 3) / 4);

describe('the lambda-worker example under real Terraform', () => {
  let tmp: string;
  let s: Synthesized;
  let firstSynthMs: number;
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bun-lambda-tf-'));
    const t = Date.now();
    // The default package cache (node_modules/.cache/backplane/bun-lambda): what users get; reruns stay fast.
    s = synthApp(workerStack, 'lambda-worker', path.join(tmp, 'out'));
    firstSynthMs = Date.now() - t;
  }, 180_000);
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('wires the queue to the arm64 function with partial batch responses and a visibility of 6x the timeout', () => {
    const fn = only(s, 'aws_lambda_function');
    expect(fn).toMatchObject({ function_name: 'shop-worker', architectures: ['arm64'], runtime: 'provided.al2023', timeout: 60 });
    const queue = Object.values(s.json.resource.aws_sqs_queue).find((q) => q.name === 'shop-jobs');
    expect(queue?.visibility_timeout_seconds).toBe(360);
    expect(only(s, 'aws_lambda_event_source_mapping')).toMatchObject({
      function_response_types: ['ReportBatchItemFailures'],
      scaling_config: { maximum_concurrency: 5 },
    });
  });

  it('zips the handler package (bootstrap + bundle, under 1 MB) and the runtime layer (bin/bun), each fit for a direct upload', () => {
    const fn = only(s, 'aws_lambda_function');
    const zip = path.join(s.stackDir, fn.filename as string);
    expect(zipEntries(zip).map((e) => [e.name, e.mode])).toEqual([
      ['bootstrap', 0o100755],
      ['handler.js', 0o100644],
    ]);
    const zipped = fs.statSync(zip).size;
    expect(zipped).toBeLessThan(1024 * 1024);
    const layer = only(s, 'aws_lambda_layer_version');
    expect(fn.layers).toEqual([`\${aws_lambda_layer_version.${Object.keys(s.json.resource.aws_lambda_layer_version)[0]}.arn}`]);
    const layerZip = path.join(s.stackDir, layer.filename as string);
    const [bun, ...rest] = zipEntries(layerZip);
    expect(rest).toEqual([]);
    expect(bun).toMatchObject({ name: 'bin/bun', mode: 0o100755 });
    const layerZipped = fs.statSync(layerZip).size;
    console.log(
      `handler package zipped ${zipped} bytes; runtime layer ${bun.size} bytes, zipped ${layerZipped} bytes (direct-upload ceiling ~${DIRECT_UPLOAD_MAX_ZIP})`,
    );
    expect(layerZipped).toBeLessThan(DIRECT_UPLOAD_MAX_ZIP);
  });

  it('synthesizes unchanged code again without recompiling or re-zipping, to the same asset', () => {
    const fn = only(s, 'aws_lambda_function');
    const cached = path.join(defaultBunLambdaOutDir(), path.basename(fn.filename as string));
    const before = fs.statSync(cached).mtimeMs;
    const t = Date.now();
    const again = synthApp(workerStack, 'lambda-worker', path.join(tmp, 'again'));
    console.log(`synth of the example: first ${firstSynthMs} ms, again ${Date.now() - t} ms`);
    const fn2 = only(again, 'aws_lambda_function');
    expect(fn2.filename).toBe(fn.filename);
    expect(fs.statSync(cached).mtimeMs).toBe(before);
    const a = fs.readFileSync(path.join(s.stackDir, fn.filename as string));
    expect(a.equals(fs.readFileSync(path.join(again.stackDir, fn2.filename as string)))).toBe(true);
  });

  it('passes terraform init (offline mirror) and terraform validate', () => {
    const cliConfig = path.join(tmp, 'terraform.rc');
    fs.writeFileSync(cliConfig, `provider_installation {\n  filesystem_mirror {\n    path = "${PLUGIN_DIR}"\n  }\n}\n`);
    const env = { ...process.env, TF_CLI_CONFIG_FILE: cliConfig, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1' };
    const tf = (...args: string[]) =>
      execFileSync('terraform', args, { cwd: s.stackDir, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    tf('init', '-input=false', '-backend=false', `-plugin-dir=${PLUGIN_DIR}`);
    const result = JSON.parse(tf('validate', '-json')) as { valid: boolean; error_count: number; diagnostics: unknown[] };
    expect(result).toMatchObject({ valid: true, error_count: 0 });
  }, 120_000);
});
