/**
 * (a) packageBunLambda really bundles a handler into a handler package (`bootstrap`, a shell script, and
 * `handler.js`) and packageBunRuntime gives the runtime layer's bun for the host architecture (x64 here), and
 * (b) the package's own `bootstrap` runs the Lambda Runtime API loop on that bun against a local fake API: SQS
 * partial batch failures, errors to /error, init errors to /init/error, and it keeps looping. (The arm64 runtime
 * runs the same loop under qemu: package.test.ts.)
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { HANDLER_FILE, LAYER_BUN, packageBunLambda, packageBunRuntime } from '../../src/lambda/package';
import { expectLoopBehaviour, runInitErrorScenario, runLoopScenario } from './bootstrap-scenario';
import { FakeRuntimeApi, sqsEvent } from './fake-runtime-api';

const fixtures = path.join(__dirname, 'fixtures');
const hostArch = process.arch === 'arm64' ? 'arm64' : 'x64';

describe('a Bun handler package on the runtime layer, host architecture', () => {
  let outDir: string;
  let dir: string;
  /** Where Lambda runs the layer's /opt/bin/bun, the test runs the layer content's bin/bun. */
  let runtime: NodeJS.ProcessEnv;
  beforeAll(() => {
    outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bun-lambda-host-'));
    dir = packageBunLambda({ handlerPath: path.join(fixtures, 'sqs-handler.ts'), outDir, arch: hostArch });
    runtime = { BACKPLANE_BUN_RUNTIME: path.join(packageBunRuntime({ outDir, arch: hostArch }).dir, 'bin', 'bun') };
  });
  afterAll(() => fs.rmSync(outDir, { recursive: true, force: true }));

  it('is an executable bootstrap script that runs handler.js with the layer bun, and the bundle: no runtime inside', () => {
    expect(fs.readdirSync(dir).sort()).toEqual(['bootstrap', HANDLER_FILE]);
    const bootstrap = path.join(dir, 'bootstrap');
    expect(fs.statSync(bootstrap).mode & 0o777).toBe(0o755);
    const script = fs.readFileSync(bootstrap, 'utf8');
    expect(script.startsWith('#!/bin/sh\n')).toBe(true);
    expect(script).toContain(`exec "\${BACKPLANE_BUN_RUNTIME:-${LAYER_BUN}}" "\${LAMBDA_TASK_ROOT:-$(dirname "$0")}/${HANDLER_FILE}"`);
    // The runtime is the layer's: the package is the bundle only, well under 1 MB.
    expect(fs.statSync(path.join(dir, HANDLER_FILE)).size).toBeLessThan(1024 * 1024);
    const bun = runtime.BACKPLANE_BUN_RUNTIME as string;
    const head = fs.readFileSync(bun).subarray(0, 20);
    expect(head.subarray(0, 4).toString('latin1')).toBe('\x7fELF');
    expect(head.readUInt16LE(18)).toBe(hostArch === 'x64' ? 0x3e : 0xb7);
    expect(fs.statSync(bun).mode & 0o777).toBe(0o755);
  });

  it('serves SQS batches with partial failures, reports errors and keeps looping', async () => {
    const r = await runLoopScenario(path.join(dir, 'bootstrap'), [], 20_000, runtime);
    expectLoopBehaviour(r, hostArch);
    console.log(`host bootstrap: first GET /next after ${r.msToFirstNext} ms, four invocations done after ${r.msToLastPost} ms`);
  });

  it('reports a handler that throws while loading to /runtime/init/error and exits 1', async () => {
    const initDir = packageBunLambda({ handlerPath: path.join(fixtures, 'init-error-handler.ts'), outDir, arch: hostArch });
    const r = await runInitErrorScenario(path.join(initDir, 'bootstrap'), [], 20_000, runtime);
    expect(r.exitCode).toBe(1);
    expect(r.nextRequests).toBe(0);
    expect(r.posts).toHaveLength(1);
    expect(r.posts[0].kind).toBe('init-error');
    expect(r.posts[0].headers['lambda-runtime-function-error-type']).toBe('Runtime.ImportModuleError');
    expect(r.posts[0].json).toMatchObject({ errorType: 'Runtime.ImportModuleError', errorMessage: 'REQUIRED_SETTING is not set' });
  });
});

describe('the lambda-worker example handler', () => {
  let outDir: string;
  afterAll(() => fs.rmSync(outDir, { recursive: true, force: true }));

  it('compiles with the AWS SDK bundled and reports bad jobs as batch item failures', async () => {
    outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bun-lambda-example-'));
    const dir = packageBunLambda({ handlerPath: path.join(__dirname, '../../examples/lambda-worker/handler.ts'), outDir, arch: hostArch });
    const api = new FakeRuntimeApi();
    const address = await api.start();
    const event = sqsEvent([
      JSON.stringify({ type: 'email.welcome', id: 'j1', to: 'a@example.com' }),
      'not json',
      JSON.stringify({ type: 'report.build', id: 'j3' }), // needs the database secret, which is not configured
    ]);
    const id = api.enqueue(event);
    const bun = path.join(packageBunRuntime({ outDir, arch: hostArch }).dir, 'bin', 'bun');
    const child = spawn(path.join(dir, 'bootstrap'), [], {
      env: { PATH: process.env.PATH, AWS_LAMBDA_RUNTIME_API: address, AWS_REGION: 'us-east-1', BACKPLANE_BUN_RUNTIME: bun },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let logs = '';
    child.stdout.on('data', (d: Buffer) => (logs += d.toString()));
    child.stderr.on('data', (d: Buffer) => (logs += d.toString()));
    try {
      await api.waitFor(() => api.posts.length > 0, 20_000, 'the response');
      // The handler's log lines travel through a pipe: give them a moment after the response is posted.
      const deadline = Date.now() + 5_000;
      while (!(logs.includes('"msg":"job done"') && logs.includes('report.build needs the database')) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      child.kill('SIGKILL');
      await api.close();
    }
    const ids = event.Records.map((r) => (r as { messageId: string }).messageId);
    expect(api.postFor(id)).toMatchObject({
      kind: 'response',
      json: { batchItemFailures: [{ itemIdentifier: ids[1] }, { itemIdentifier: ids[2] }] },
    });
    expect(logs).toContain('"msg":"job done"');
    expect(logs).toContain('report.build needs the database');
  });
});
