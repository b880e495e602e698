/**
 * (a) packageBunLambda really compiles a handler into a Linux binary named bootstrap (host target, x64 here), and
 * (b) that binary runs the Lambda Runtime API loop against a local fake API: SQS partial batch failures, errors
 * to /error, init errors to /init/error, and it keeps looping.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { packageBunLambda } from '../../src/lambda/package';
import { expectLoopBehaviour, runInitErrorScenario, runLoopScenario } from './bootstrap-scenario';
import { FakeRuntimeApi, sqsEvent } from './fake-runtime-api';

const fixtures = path.join(__dirname, 'fixtures');
const hostArch = process.arch === 'arm64' ? 'arm64' : 'x64';

describe('a Bun bootstrap for the host architecture', () => {
  let outDir: string;
  let dir: string;
  beforeAll(() => {
    outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bun-lambda-host-'));
    dir = packageBunLambda({ handlerPath: path.join(fixtures, 'sqs-handler.ts'), outDir, arch: hostArch });
  });
  afterAll(() => fs.rmSync(outDir, { recursive: true, force: true }));

  it('is a single executable file named bootstrap for this CPU', () => {
    expect(fs.readdirSync(dir)).toEqual(['bootstrap']);
    const file = path.join(dir, 'bootstrap');
    const stat = fs.statSync(file);
    expect(stat.mode & 0o777).toBe(0o755);
    const head = fs.readFileSync(file).subarray(0, 20);
    expect(head.subarray(0, 4).toString('latin1')).toBe('\x7fELF');
    expect(head.readUInt16LE(18)).toBe(hostArch === 'x64' ? 0x3e : 0xb7);
    // The whole Bun runtime is inside: tens of MB, no layer needed.
    expect(stat.size).toBeGreaterThan(50 * 1024 * 1024);
  });

  it('serves SQS batches with partial failures, reports errors and keeps looping', async () => {
    const r = await runLoopScenario(path.join(dir, 'bootstrap'), [], 20_000);
    expectLoopBehaviour(r, hostArch);
    console.log(`host bootstrap: first GET /next after ${r.msToFirstNext} ms, four invocations done after ${r.msToLastPost} ms`);
  });

  it('reports a handler that throws while loading to /runtime/init/error and exits 1', async () => {
    const initDir = packageBunLambda({ handlerPath: path.join(fixtures, 'init-error-handler.ts'), outDir, arch: hostArch });
    const r = await runInitErrorScenario(path.join(initDir, 'bootstrap'), [], 20_000);
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
    const child = spawn(path.join(dir, 'bootstrap'), [], {
      env: { PATH: process.env.PATH, AWS_LAMBDA_RUNTIME_API: address, AWS_REGION: 'us-east-1' },
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
