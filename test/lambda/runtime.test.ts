/**
 * The runtime loop in-process (Node's fetch) against the fake Runtime API, and the SQS batch helpers.
 * The same loop compiled into a Bun binary is exercised in bootstrap.test.ts.
 */
import { formatError, resolveHandler, startRuntime } from '../../src/lambda/runtime';
import { batchResponse, processSqsBatch, type SqsEvent } from '../../src/lambda/sqs';
import { FakeRuntimeApi, sqsEvent } from './fake-runtime-api';

describe('startRuntime (in-process)', () => {
  let api: FakeRuntimeApi;
  let address: string;
  let consoleError: jest.SpyInstance;
  beforeEach(async () => {
    consoleError = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    api = new FakeRuntimeApi();
    address = await api.start();
  });
  afterEach(async () => {
    consoleError.mockRestore();
    await api.close();
  });

  it('posts the handler result to /response and a thrown error to /error, then keeps polling', async () => {
    const ok = api.enqueue({ n: 2 });
    const bad = api.enqueue({ n: -1 });
    const after = api.enqueue({ n: 5 });
    const seen: string[] = [];
    await startRuntime(
      () => ({
        handler: async (event: { n: number }, ctx: { awsRequestId: string; getRemainingTimeInMillis(): number }) => {
          seen.push(ctx.awsRequestId);
          expect(ctx.getRemainingTimeInMillis()).toBeGreaterThan(20_000);
          if (event.n < 0) throw new RangeError(`n must be positive, got ${event.n}`);
          return { square: event.n * event.n, trace: process.env._X_AMZN_TRACE_ID };
        },
      }),
      { runtimeApi: address, maxInvocations: 3, exit: () => undefined },
    );

    expect(seen).toEqual([ok, bad, after]);
    expect(api.postFor(ok)).toMatchObject({ kind: 'response', json: { square: 4, trace: `Root=1-00000000-${ok};Sampled=0` } });
    const err = api.postFor(bad);
    expect(err?.kind).toBe('error');
    expect(err?.headers['lambda-runtime-function-error-type']).toBe('RangeError');
    expect(err?.json).toMatchObject({ errorType: 'RangeError', errorMessage: 'n must be positive, got -1' });
    expect((err?.json as { stackTrace: string[] }).stackTrace[0]).toContain('RangeError: n must be positive');
    expect(api.postFor(after)).toMatchObject({ kind: 'response', json: { square: 25 } });
  });

  it('answers null when the handler returns nothing', async () => {
    const id = api.enqueue({});
    await startRuntime(() => ({ handler: async () => undefined }), { runtimeApi: address, maxInvocations: 1 });
    expect(api.postFor(id)).toMatchObject({ kind: 'response', body: 'null' });
  });

  it('reports a module that throws while loading to /runtime/init/error and exits 1', async () => {
    const exits: number[] = [];
    await startRuntime(
      () => {
        throw new Error('DATABASE_URL is not set');
      },
      { runtimeApi: address, exit: (c) => void exits.push(c) },
    );
    expect(exits).toEqual([1]);
    expect(api.nextRequests).toBe(0);
    expect(api.posts).toHaveLength(1);
    expect(api.posts[0].kind).toBe('init-error');
    expect(api.posts[0].headers['lambda-runtime-function-error-type']).toBe('Runtime.ImportModuleError');
    expect(api.posts[0].json).toMatchObject({ errorType: 'Runtime.ImportModuleError', errorMessage: 'DATABASE_URL is not set' });
  });

  it('reports a module without a handler export as Runtime.HandlerNotFound', async () => {
    const exits: number[] = [];
    await startRuntime(() => ({ handle: () => 1 }), { runtimeApi: address, exit: (c) => void exits.push(c) });
    expect(exits).toEqual([1]);
    expect(api.posts[0]).toMatchObject({ kind: 'init-error', json: { errorType: 'Runtime.HandlerNotFound' } });
    expect((api.posts[0].json as { errorMessage: string }).errorMessage).toContain('no export named "handler"');
  });

  it('exits 1 without AWS_LAMBDA_RUNTIME_API', async () => {
    const saved = process.env.AWS_LAMBDA_RUNTIME_API;
    delete process.env.AWS_LAMBDA_RUNTIME_API;
    const exits: number[] = [];
    try {
      await startRuntime(() => ({ handler: () => 1 }), { exit: (c) => void exits.push(c) });
    } finally {
      if (saved !== undefined) process.env.AWS_LAMBDA_RUNTIME_API = saved;
    }
    expect(exits).toEqual([1]);
    expect(consoleError.mock.calls[0][0]).toContain('AWS_LAMBDA_RUNTIME_API is not set');
  });
});

describe('resolveHandler and formatError', () => {
  it('accepts a named handler, a default function and a default object with a handler', () => {
    const f = async () => 1;
    expect(resolveHandler({ handler: f })).toBe(f);
    expect(resolveHandler({ default: f })).toBe(f);
    expect(resolveHandler({ default: { handler: f } })).toBe(f);
    expect(() => resolveHandler({ handler: 'x' })).toThrow('"handler" is a string');
  });

  it('formats non-Error throws', () => {
    expect(formatError('plain')).toEqual({ errorType: 'Error', errorMessage: 'plain', stackTrace: [] });
    expect(formatError({ code: 7 })).toEqual({ errorType: 'Error', errorMessage: '{"code":7}', stackTrace: [] });
  });
});

describe('SQS partial batch responses', () => {
  const quiet = { onError: () => undefined };

  it('reports only the records whose processing throws', async () => {
    const event = sqsEvent(['a', 'fail', 'c', 'fail']) as unknown as SqsEvent;
    const done: string[] = [];
    const res = await processSqsBatch(
      event,
      async (r) => {
        if (r.body === 'fail') throw new Error('no');
        done.push(r.body);
      },
      quiet,
    );
    expect(res).toEqual({
      batchItemFailures: [{ itemIdentifier: event.Records[1].messageId }, { itemIdentifier: event.Records[3].messageId }],
    });
    expect(done.sort()).toEqual(['a', 'c']);
  });

  it('returns an empty list when every record succeeds', async () => {
    const event = sqsEvent(['a', 'b']) as unknown as SqsEvent;
    expect(await processSqsBatch(event, () => undefined)).toEqual({ batchItemFailures: [] });
  });

  it('runs standard-queue records concurrently up to the limit', async () => {
    const event = sqsEvent(Array.from({ length: 9 }, (_, i) => String(i))) as unknown as SqsEvent;
    let running = 0;
    let peak = 0;
    await processSqsBatch(
      event,
      async () => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 20));
        running--;
      },
      { concurrency: 3 },
    );
    expect(peak).toBe(3);
  });

  it('stops a FIFO batch at the first failure and reports it and every later record', async () => {
    const event = sqsEvent(['a', 'fail', 'c', 'd'], 'jobs.fifo') as unknown as SqsEvent;
    const ran: string[] = [];
    const res = await processSqsBatch(
      event,
      async (r) => {
        ran.push(r.body);
        if (r.body === 'fail') throw new Error('no');
      },
      quiet,
    );
    expect(ran).toEqual(['a', 'fail']);
    expect(res.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(event.Records.slice(1).map((r) => r.messageId));
  });

  it('batchResponse keeps order, drops duplicates and refuses an empty messageId', () => {
    expect(
      batchResponse([
        { messageId: 'm2', ok: false },
        { messageId: 'm1', ok: true },
        { messageId: 'm2', ok: false },
        { messageId: 'm3', ok: false },
      ]),
    ).toEqual({ batchItemFailures: [{ itemIdentifier: 'm2' }, { itemIdentifier: 'm3' }] });
    expect(() => batchResponse([{ messageId: '', ok: false }])).toThrow("needs the record's messageId");
  });
});
