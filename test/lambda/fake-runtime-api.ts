/**
 * A local stand-in for the Lambda Runtime API (2018-06-01) on 127.0.0.1 and a free port: hands queued events to
 * GET /runtime/invocation/next (holding the request open while the queue is empty, as Lambda does) and records
 * every POST to /invocation/{id}/response, /invocation/{id}/error and /init/error.
 */
import * as http from 'http';
import type { AddressInfo } from 'net';

export interface Posted {
  readonly kind: 'response' | 'error' | 'init-error';
  readonly requestId?: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
  readonly json: unknown;
}

interface Queued {
  readonly requestId: string;
  readonly event: unknown;
  readonly headers: Record<string, string>;
}

export class FakeRuntimeApi {
  readonly posts: Posted[] = [];
  /** How many GET /next requests arrived (answered or still waiting). */
  nextRequests = 0;
  private readonly queue: Queued[] = [];
  private readonly waiting: http.ServerResponse[] = [];
  private readonly listeners = new Set<() => void>();
  private readonly server = http.createServer((req, res) => this.route(req, res));
  private counter = 0;

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Queues an invocation and returns its request id. */
  enqueue(event: unknown, headers: Record<string, string> = {}): string {
    const requestId = `req-${++this.counter}-${Date.now().toString(36)}`;
    this.queue.push({ requestId, event, headers });
    this.drain();
    return requestId;
  }

  /** Resolves once `predicate` holds (checked after every request), rejects after `timeoutMs`. */
  waitFor(predicate: () => boolean, timeoutMs: number, what: string): Promise<void> {
    if (predicate()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners.delete(check);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; posts so far: ${JSON.stringify(this.posts)}`));
      }, timeoutMs);
      const check = () => {
        if (!predicate()) return;
        clearTimeout(timer);
        this.listeners.delete(check);
        resolve();
      };
      this.listeners.add(check);
    });
  }

  postFor(requestId: string): Posted | undefined {
    return this.posts.find((p) => p.requestId === requestId);
  }

  async close(): Promise<void> {
    for (const res of this.waiting.splice(0)) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private notify(): void {
    for (const l of [...this.listeners]) l();
  }

  private drain(): void {
    while (this.queue.length > 0 && this.waiting.length > 0) {
      const item = this.queue.shift() as Queued;
      const res = this.waiting.shift() as http.ServerResponse;
      res.writeHead(200, {
        'Content-Type': 'application/json',
        'Lambda-Runtime-Aws-Request-Id': item.requestId,
        'Lambda-Runtime-Deadline-Ms': String(Date.now() + 30_000),
        'Lambda-Runtime-Invoked-Function-Arn': 'arn:aws:lambda:us-east-1:123456789012:function:worker',
        'Lambda-Runtime-Trace-Id': `Root=1-00000000-${item.requestId};Sampled=0`,
        ...item.headers,
      });
      res.end(JSON.stringify(item.event));
    }
  }

  private route(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = req.url ?? '';
    if (req.method === 'GET' && url === '/2018-06-01/runtime/invocation/next') {
      this.nextRequests++;
      this.waiting.push(res);
      res.on('close', () => {
        const i = this.waiting.indexOf(res);
        if (i >= 0) this.waiting.splice(i, 1);
      });
      this.drain();
      this.notify();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let json: unknown;
      try {
        json = JSON.parse(body);
      } catch {
        json = undefined;
      }
      const inv = /^\/2018-06-01\/runtime\/invocation\/([^/]+)\/(response|error)$/.exec(url);
      if (req.method === 'POST' && inv) {
        this.posts.push({ kind: inv[2] as 'response' | 'error', requestId: decodeURIComponent(inv[1]), headers: req.headers, body, json });
      } else if (req.method === 'POST' && url === '/2018-06-01/runtime/init/error') {
        this.posts.push({ kind: 'init-error', headers: req.headers, body, json });
      } else {
        res.writeHead(404, { 'Content-Type': 'application/json' }).end(JSON.stringify({ errorMessage: `no route ${req.method} ${url}` }));
        return;
      }
      res.writeHead(202, { 'Content-Type': 'application/json' }).end(JSON.stringify({ status: 'OK' }));
      this.notify();
    });
  }
}

/** An SQS event as Lambda delivers it, one record per body. */
export function sqsEvent(bodies: readonly string[], queue = 'jobs'): { Records: unknown[] } {
  return {
    Records: bodies.map((body, i) => ({
      messageId: `msg-${i + 1}-${Math.random().toString(36).slice(2, 8)}`,
      receiptHandle: `rh-${i + 1}`,
      body,
      attributes: { ApproximateReceiveCount: '1', SentTimestamp: String(Date.now()) },
      messageAttributes: {},
      md5OfBody: 'x',
      eventSource: 'aws:sqs',
      eventSourceARN: `arn:aws:sqs:us-east-1:123456789012:${queue}`,
      awsRegion: 'us-east-1',
    })),
  };
}
