/**
 * HTTP routes. CloudFront forwards /api/* unchanged to the ALB, so the API lives under /api.
 * Two health checks that must not be confused (docs/production.md, "Health"):
 * - /livez, liveness, for the container health check: the process serves requests. It never touches the
 *   database or the cache, so a database blip or a credential rotation does not make ECS kill every task.
 * - /healthz, readiness, for the ALB target group: Postgres and Redis answer. A failing task only stops
 *   receiving traffic until its dependencies are back.
 */
import type { RedisClient, Server, SQL } from 'bun';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { Config } from './config';
import { enqueue, parseJob } from './jobs';
import { log } from './log';

export interface Deps {
  readonly config: Config;
  readonly sql: SQL;
  readonly redis: RedisClient;
  readonly sqs: SQSClient;
}

const json = (body: unknown, status = 200) => Response.json(body, { status });

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function readJson(req: Request): Promise<unknown> {
  try {
    return await req.json();
  } catch {
    throw new HttpError(400, 'the body must be JSON');
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms))]);
}

/** Runs a handler, maps errors to JSON responses, and logs one line per request. */
function handler(name: string, fn: (req: Request) => Promise<Response>) {
  return async (req: Request): Promise<Response> => {
    const started = performance.now();
    let res: Response;
    try {
      res = await fn(req);
    } catch (error) {
      if (error instanceof HttpError) {
        res = json({ error: error.message }, error.status);
      } else {
        log.error('request failed', { route: name, error });
        res = json({ error: 'internal error' }, 500);
      }
    }
    const ms = Math.round(performance.now() - started);
    if ((name !== 'healthz' && name !== 'livez') || res.status !== 200) {
      log.info('request', { method: req.method, route: name, status: res.status, ms });
    }
    return res;
  };
}

export function startServer(deps: Deps, state: { shuttingDown: boolean }): Server<undefined> {
  const { sql, redis, sqs, config } = deps;

  const healthz = handler('healthz', async () => {
    if (state.shuttingDown) return json({ ok: false, reason: 'shutting down' }, 503);
    const [db, cache] = await Promise.allSettled([withTimeout(sql`SELECT 1 AS one`, 2_000), withTimeout(redis.send('PING', []), 2_000)]);
    const ok = db.status === 'fulfilled' && cache.status === 'fulfilled';
    if (ok) return json({ ok: true });
    const reason = (r: PromiseSettledResult<unknown>) => (r.status === 'rejected' ? String(r.reason) : 'ok');
    log.warn('unhealthy', { postgres: reason(db), redis: reason(cache) });
    return json({ ok: false, postgres: reason(db), redis: reason(cache) }, 503);
  });

  const livez = handler('livez', async () => (state.shuttingDown ? json({ ok: false, reason: 'shutting down' }, 503) : json({ ok: true })));

  const listItems = handler('items.list', async () => {
    const items = await sql`SELECT id, name, created_at FROM items ORDER BY id DESC LIMIT 100`;
    return json({ items: [...items] });
  });

  const createItem = handler('items.create', async (req) => {
    const body = (await readJson(req)) as { name?: unknown } | null;
    const name = body?.name;
    if (typeof name !== 'string' || name.trim().length < 1 || name.length > 200) {
      throw new HttpError(400, 'name must be a string of 1 to 200 characters');
    }
    const [item] = await sql`INSERT INTO items (name) VALUES (${name.trim()}) RETURNING id, name, created_at`;
    return json(item, 201);
  });

  const counter = handler('counter', async () => json({ value: await redis.incr(`${config.redis.keyPrefix}counter`) }));

  const createJob = handler('jobs.create', async (req) => {
    const job = parseJob(await readJson(req));
    if (typeof job === 'string') throw new HttpError(400, job);
    const messageId = await enqueue(sqs, config.queues.jobs!, job);
    return json({ queued: true, messageId }, 202);
  });

  const notFound = handler('not-found', async () => json({ error: 'not found' }, 404));

  return Bun.serve({
    port: config.port,
    hostname: '0.0.0.0',
    routes: {
      '/livez': { GET: livez },
      '/healthz': { GET: healthz },
      '/api/items': { GET: listItems, POST: createItem },
      '/api/counter': { POST: counter },
      '/api/jobs': { POST: createJob },
    },
    fetch: notFound,
  });
}
