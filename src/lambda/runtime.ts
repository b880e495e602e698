/**
 * The Lambda Runtime API loop that a compiled Bun binary runs as `bootstrap` on `provided.al2023`.
 *
 * Protocol (Lambda runtime API, version 2018-06-01; https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html):
 * - GET  http://$AWS_LAMBDA_RUNTIME_API/2018-06-01/runtime/invocation/next: blocks until an event; the body is
 *   the event JSON, headers Lambda-Runtime-Aws-Request-Id, -Deadline-Ms, -Invoked-Function-Arn, -Trace-Id
 *   (-Client-Context, -Cognito-Identity for mobile SDK calls). "Do not set a timeout on the GET request": the
 *   process may be frozen between events, so the request is made with Bun's `timeout: false`.
 * - POST .../runtime/invocation/{requestId}/response with the handler's result.
 * - POST .../runtime/invocation/{requestId}/error with `{ errorMessage, errorType, stackTrace }` and the header
 *   Lambda-Runtime-Function-Error-Type (any string; the docs recommend `Category.Reason`).
 * - POST .../runtime/init/error, same shape, when the handler cannot be loaded; then exit (the runtime
 *   interface client for Node does the same: aws/aws-lambda-nodejs-runtime-interface-client src/client/rapid-client.ts).
 * The trace header is exposed to the handler as the `_X_AMZN_TRACE_ID` environment variable, as the docs ask.
 *
 * No dependencies and no Node-only APIs: `fetch` exists in Bun and in Node 20, so the loop also runs in-process
 * under jest against a fake API.
 */

export const RUNTIME_API_VERSION = '2018-06-01';

/** The `context` argument handlers receive (the Node.js runtime's names). */
export interface LambdaContext {
  readonly awsRequestId: string;
  readonly invokedFunctionArn: string;
  readonly functionName: string;
  readonly functionVersion: string;
  readonly memoryLimitInMB: string;
  readonly logGroupName: string;
  readonly logStreamName: string;
  /** Unix time in ms when the invocation times out. */
  readonly deadlineMs: number;
  readonly clientContext?: unknown;
  readonly identity?: unknown;
  getRemainingTimeInMillis(): number;
}

export type LambdaHandler<E = unknown, R = unknown> = (event: E, context: LambdaContext) => R | Promise<R>;

/** The error document the runtime API takes on /error and /init/error. */
export interface LambdaErrorBody {
  readonly errorMessage: string;
  readonly errorType: string;
  readonly stackTrace: string[];
}

export interface RuntimeOptions {
  /** host:port of the runtime API. @default process.env.AWS_LAMBDA_RUNTIME_API */
  readonly runtimeApi?: string;
  /** Stop after this many invocations (tests). @default unlimited */
  readonly maxInvocations?: number;
  /** Called instead of `process.exit` on fatal errors (tests). @default process.exit */
  readonly exit?: (code: number) => void;
}

/** Formats anything thrown into the runtime API's error document. */
export function formatError(error: unknown, fallbackType = 'Error'): LambdaErrorBody {
  if (error instanceof Error) {
    return {
      errorType: error.name || fallbackType,
      errorMessage: error.message,
      stackTrace: (error.stack ?? '').split('\n').filter((l) => l.length > 0),
    };
  }
  return { errorType: fallbackType, errorMessage: typeof error === 'string' ? error : safeJson(error), stackTrace: [] };
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

/** An error whose `name` is a runtime error type such as `Runtime.HandlerNotFound`. */
class RuntimeError extends Error {
  constructor(type: string, message: string) {
    super(message);
    this.name = type;
  }
}

/** Finds the handler in a loaded module: a named `handler` export, or a default export that is (or has) one. */
export function resolveHandler(mod: unknown): LambdaHandler {
  const m = (mod ?? {}) as Record<string, unknown>;
  const def = m.default as Record<string, unknown> | ((...a: unknown[]) => unknown) | undefined;
  const candidate = m.handler ?? (typeof def === 'function' ? def : def?.handler);
  if (typeof candidate !== 'function') {
    const found = candidate === undefined ? 'no export named "handler"' : `"handler" is a ${typeof candidate}`;
    throw new RuntimeError(
      'Runtime.HandlerNotFound',
      `the handler module has ${found}; export it as \`export async function handler(event, context)\``,
    );
  }
  return candidate as LambdaHandler;
}

// Bun's fetch takes `timeout: false` (no client-side timeout); Node's fetch ignores the unknown key.
type FetchInit = RequestInit & { timeout?: false };

async function call(url: string, init: FetchInit): Promise<Response> {
  return fetch(url, { ...init, timeout: false } as FetchInit);
}

async function postError(url: string, body: LambdaErrorBody): Promise<Response> {
  return call(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Lambda-Runtime-Function-Error-Type': body.errorType },
    body: JSON.stringify(body),
  });
}

function parseJsonHeader(v: string | null): unknown {
  if (!v) return undefined;
  try {
    return JSON.parse(v);
  } catch {
    return undefined;
  }
}

/**
 * Loads the handler (reporting a failure to /runtime/init/error and exiting 1), then serves invocations until
 * the process is stopped. `load` is a thunk so that errors thrown while the user's module initializes (a bad
 * import, a throw at top level) are init errors and not crashes.
 */
export async function startRuntime(load: () => unknown, options: RuntimeOptions = {}): Promise<void> {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const api = options.runtimeApi ?? process.env.AWS_LAMBDA_RUNTIME_API;
  if (!api) {
    console.error('bootstrap: AWS_LAMBDA_RUNTIME_API is not set; this binary runs inside AWS Lambda (provided.al2023)');
    return exit(1);
  }
  const base = `http://${api}/${RUNTIME_API_VERSION}/runtime`;

  let handler: LambdaHandler;
  try {
    handler = resolveHandler(await load());
  } catch (e) {
    const body = formatError(e, 'Runtime.ImportModuleError');
    const typed = body.errorType.startsWith('Runtime.') ? body : { ...body, errorType: `Runtime.ImportModuleError` };
    console.error(`init error: ${typed.errorType}: ${typed.errorMessage}`);
    await postError(`${base}/init/error`, typed).catch((err) => console.error('could not report the init error:', err));
    return exit(1);
  }

  const env = process.env;
  for (let n = 0; options.maxInvocations === undefined || n < options.maxInvocations; n++) {
    let next: Response;
    try {
      next = await call(`${base}/invocation/next`, { method: 'GET' });
    } catch (e) {
      console.error('bootstrap: the runtime API is unreachable:', e);
      return exit(1);
    }
    if (!next.ok) {
      console.error(`bootstrap: GET /invocation/next answered ${next.status}: ${await next.text()}`);
      return exit(1);
    }
    const h = next.headers;
    const requestId = h.get('lambda-runtime-aws-request-id') ?? '';
    const deadlineMs = Number(h.get('lambda-runtime-deadline-ms') ?? 0) || Date.now() + 900_000;
    const traceId = h.get('lambda-runtime-trace-id');
    if (traceId) env._X_AMZN_TRACE_ID = traceId;
    else delete env._X_AMZN_TRACE_ID;
    const invocation = `${base}/invocation/${encodeURIComponent(requestId)}`;

    const context: LambdaContext = {
      awsRequestId: requestId,
      invokedFunctionArn: h.get('lambda-runtime-invoked-function-arn') ?? '',
      functionName: env.AWS_LAMBDA_FUNCTION_NAME ?? '',
      functionVersion: env.AWS_LAMBDA_FUNCTION_VERSION ?? '',
      memoryLimitInMB: env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE ?? '',
      logGroupName: env.AWS_LAMBDA_LOG_GROUP_NAME ?? '',
      logStreamName: env.AWS_LAMBDA_LOG_STREAM_NAME ?? '',
      deadlineMs,
      clientContext: parseJsonHeader(h.get('lambda-runtime-client-context')),
      identity: parseJsonHeader(h.get('lambda-runtime-cognito-identity')),
      getRemainingTimeInMillis: () => Math.max(0, deadlineMs - Date.now()),
    };

    let payload: string;
    try {
      const raw = await next.text();
      const event: unknown = raw === '' ? null : JSON.parse(raw);
      const result = await handler(event, context);
      payload = JSON.stringify(result === undefined ? null : result);
    } catch (e) {
      const body = formatError(e);
      console.error(`invocation ${requestId} failed: ${body.errorType}: ${body.errorMessage}`);
      await reportInvocationError(invocation, body, exit);
      continue;
    }
    const res = await call(`${invocation}/response`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: payload,
    }).catch((e: unknown) => e as Error);
    if (res instanceof Error) {
      console.error('bootstrap: could not post the response:', res);
      return exit(1);
    }
    if (!res.ok) {
      // e.g. 413 when the payload is over the 6 MB synchronous limit: report it as the invocation's error.
      const detail = await res.text();
      console.error(`invocation ${requestId}: the runtime API refused the response (${res.status}): ${detail}`);
      await reportInvocationError(
        invocation,
        { errorType: 'Runtime.InvalidResponse', errorMessage: `response refused (${res.status}): ${detail}`, stackTrace: [] },
        exit,
      );
    }
  }
}

async function reportInvocationError(invocation: string, body: LambdaErrorBody, exit: (code: number) => void): Promise<void> {
  try {
    const res = await postError(`${invocation}/error`, body);
    if (!res.ok) console.error(`bootstrap: POST /error answered ${res.status}: ${await res.text()}`);
  } catch (e) {
    console.error('bootstrap: could not post the invocation error:', e);
    exit(1);
  }
}
