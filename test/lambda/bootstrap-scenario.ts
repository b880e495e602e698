/**
 * Runs a `bootstrap` as Lambda would (AWS_LAMBDA_RUNTIME_API pointing at a fake Runtime API on 127.0.0.1) through a
 * fixed script of invocations, and returns what it posted. `env` adds variables (BACKPLANE_BUN_RUNTIME: the bun the
 * handler package's bootstrap runs, where Lambda has the layer's /opt/bin/bun).
 */
import { spawn, type ChildProcess } from 'child_process';
import { FakeRuntimeApi, sqsEvent, type Posted } from './fake-runtime-api';

export interface ScenarioResult {
  readonly ids: { readonly partial: string; readonly explode: string; readonly allOk: string; readonly echo: string };
  readonly failingMessageId: string;
  readonly posts: readonly Posted[];
  readonly nextRequests: number;
  /** Still running after the script (it went back to GET /next). */
  readonly aliveAfter: boolean;
  /** ms from spawn to the first GET /next: init time including the binary's start. */
  readonly msToFirstNext: number;
  /** ms from spawn to the fourth post. */
  readonly msToLastPost: number;
  readonly stderr: string;
}

function baseEnv(api: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    ...extra,
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    AWS_LAMBDA_RUNTIME_API: api,
    AWS_LAMBDA_FUNCTION_NAME: 'worker',
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
  };
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

/** The fixture handler (test/lambda/fixtures/sqs-handler.ts) through: partial batch, throw, all ok, echo. */
export async function runLoopScenario(
  command: string,
  args: readonly string[],
  timeoutMs: number,
  env: NodeJS.ProcessEnv = {},
): Promise<ScenarioResult> {
  const api = new FakeRuntimeApi();
  const address = await api.start();
  const partialEvent = sqsEvent(['ok-1', 'fail', 'ok-3']);
  const failingMessageId = (partialEvent.Records[1] as { messageId: string }).messageId;
  const ids = {
    partial: api.enqueue(partialEvent),
    explode: api.enqueue({ explode: true }),
    allOk: api.enqueue(sqsEvent(['a', 'b'])),
    echo: api.enqueue({ echo: true }),
  };
  let stderr = '';
  const started = Date.now();
  let msToFirstNext = -1;
  const child = spawn(command, [...args], { env: baseEnv(address, env), stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  try {
    await api.waitFor(
      () => {
        if (msToFirstNext < 0 && api.nextRequests > 0) msToFirstNext = Date.now() - started;
        return api.posts.length >= 4;
      },
      timeoutMs,
      'four posts from the bootstrap',
    );
    const msToLastPost = Date.now() - started;
    await api.waitFor(() => api.nextRequests >= 5, timeoutMs, 'the fifth GET /next');
    // Give a crashing process a moment to show it, then check it is still serving.
    await new Promise((r) => setTimeout(r, 200));
    const aliveAfter = child.exitCode === null && child.signalCode === null;
    return {
      ids,
      failingMessageId,
      posts: [...api.posts],
      nextRequests: api.nextRequests,
      aliveAfter,
      msToFirstNext,
      msToLastPost,
      stderr,
    };
  } finally {
    await stop(child);
    await api.close();
  }
}

export interface InitErrorResult {
  readonly posts: readonly Posted[];
  readonly exitCode: number | null;
  readonly nextRequests: number;
}

/** Runs a bootstrap whose handler module throws at load: it must post /init/error and exit. */
export async function runInitErrorScenario(
  command: string,
  args: readonly string[],
  timeoutMs: number,
  env: NodeJS.ProcessEnv = {},
): Promise<InitErrorResult> {
  const api = new FakeRuntimeApi();
  const address = await api.start();
  const child = spawn(command, [...args], { env: baseEnv(address, env), stdio: 'ignore' });
  let timer: NodeJS.Timeout | undefined;
  try {
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('bootstrap did not exit after an init error')), timeoutMs);
    });
    const exitCode = await Promise.race([exited, timeout]);
    return { posts: [...api.posts], exitCode, nextRequests: api.nextRequests };
  } finally {
    clearTimeout(timer);
    await stop(child);
    await api.close();
  }
}

/** What every bootstrap build must do with the scenario, whatever its architecture. */
export function expectLoopBehaviour(r: ScenarioResult, arch: 'x64' | 'arm64'): void {
  const byId = (id: string) => r.posts.find((p) => p.requestId === id);
  // 1. the SQS batch with one failing record: a response listing exactly that record.
  expect(byId(r.ids.partial)).toMatchObject({
    kind: 'response',
    json: { batchItemFailures: [{ itemIdentifier: r.failingMessageId }] },
  });
  // 2. a handler that throws: /error with the error document and the error-type header.
  const err = byId(r.ids.explode);
  expect(err?.kind).toBe('error');
  expect(err?.headers['lambda-runtime-function-error-type']).toBe('TypeError');
  expect(err?.json).toMatchObject({ errorType: 'TypeError', errorMessage: 'exploded on purpose' });
  expect(Array.isArray((err?.json as { stackTrace?: unknown }).stackTrace)).toBe(true);
  // 3. the loop went on after the error: the next batch succeeded completely.
  expect(byId(r.ids.allOk)).toMatchObject({ kind: 'response', json: { batchItemFailures: [] } });
  // 4. context and environment as Lambda provides them, in the same warm process (module state kept).
  const echo = byId(r.ids.echo)?.json as Record<string, unknown>;
  expect(echo).toMatchObject({
    requestId: r.ids.echo,
    functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:worker',
    functionName: 'worker',
    traceId: `Root=1-00000000-${r.ids.echo};Sampled=0`,
    invocations: 4,
    arch,
    bun: true,
  });
  expect(echo.remainingMs as number).toBeGreaterThan(0);
  expect(echo.remainingMs as number).toBeLessThanOrEqual(30_000);
  // 5. and it is back at GET /next, still alive.
  expect(r.nextRequests).toBe(5);
  expect(r.aliveAfter).toBe(true);
}
