/**
 * Helpers for the sample app's local contract test: real PostgreSQL and Redis (through
 * scripts/start-local-services.sh), a private moto_server on 127.0.0.1, and bun processes.
 * Every process started here is tracked and stopped by pid.
 */
import { ChildProcess, execFile, spawn } from 'child_process';
import { existsSync, readdirSync } from 'fs';
import * as http from 'http';
import * as net from 'net';
import * as path from 'path';

export const ROOT = path.resolve(__dirname, '..', '..');
export const APP_DIR = path.join(ROOT, 'examples', 'app');
export const BUN = path.join(ROOT, 'node_modules', '.bin', 'bun');
export const SERVICES_SCRIPT = path.join(ROOT, 'scripts', 'start-local-services.sh');

/** A binary on PATH, or (for PostgreSQL) in the newest /usr/lib/postgresql/<v>/bin. */
export function findBinary(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && existsSync(path.join(dir, name))) return path.join(dir, name);
  }
  const pgRoot = '/usr/lib/postgresql';
  if (existsSync(pgRoot)) {
    const versions = readdirSync(pgRoot).sort((a, b) => Number(b) - Number(a));
    for (const v of versions) {
      const candidate = path.join(pgRoot, v, 'bin', name);
      if (existsSync(candidate)) return candidate;
    }
  }
  return undefined;
}

/** Throws one line naming everything missing (the test fails, it is never skipped). */
export function preflight(): void {
  const missing: string[] = [];
  if (!existsSync(BUN)) missing.push(`bun (${BUN}: run npm ci at the repo root)`);
  for (const pg of ['initdb', 'pg_ctl', 'postgres', 'psql']) {
    if (!findBinary(pg)) missing.push(`${pg} (PostgreSQL server binaries)`);
  }
  if (!findBinary('redis-server') || !findBinary('redis-cli')) missing.push('redis-server (apt-get install -y redis-server)');
  if (!findBinary('moto_server')) missing.push('moto_server (pip install "moto[server]")');
  if (!existsSync(path.join(APP_DIR, 'node_modules', '@aws-sdk', 'client-sqs'))) {
    missing.push('examples/app/node_modules (npm ci --prefix examples/app)');
  }
  if (missing.length) throw new Error(`sample app local test cannot run, missing: ${missing.join('; ')}`);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `promise`, or 'timeout' after `ms`; the timer is cleared either way (no open handle left). */
export async function within<T>(promise: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Polls until `probe` returns a value (not undefined); the error names what was awaited. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000, intervalMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await sleep(intervalMs);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
}

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command to completion; never throws on a non-zero exit. */
export function run(
  cmd: string,
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(
      cmd,
      args,
      { cwd: opts.cwd, env: opts.env, timeout: opts.timeoutMs ?? 60_000, maxBuffer: 16 << 20 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });
}

/** A long-running child process whose output is kept in memory (stdout split into lines). */
export class Proc {
  readonly child: ChildProcess;
  readonly stdoutLines: string[] = [];
  stderr = '';
  exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private partial = '';

  constructor(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv }) {
    this.child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout!.on('data', (chunk: Buffer) => {
      const text = this.partial + chunk.toString('utf8');
      const lines = text.split('\n');
      this.partial = lines.pop() ?? '';
      this.stdoutLines.push(...lines.filter((l) => l.length > 0));
    });
    this.child.stderr!.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString('utf8');
    });
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.exit = { code, signal };
        resolve(this.exit);
      });
    });
  }

  get running(): boolean {
    return this.exit === undefined && this.child.exitCode === null;
  }

  /** The last lines of output, for error messages. */
  tail(n = 30): string {
    return [...this.stdoutLines.slice(-n), ...this.stderr.split('\n').slice(-n)].filter(Boolean).join('\n');
  }

  /** Sends `signal`, waits up to `graceMs`, then SIGKILLs this pid. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 10_000): Promise<void> {
    if (!this.running || this.child.pid === undefined) return;
    this.child.kill(signal);
    if ((await within(this.exited, graceMs)) === 'timeout' && this.running) {
      this.child.kill('SIGKILL');
      await this.exited;
    }
  }
}

/** scripts/start-local-services.sh: Postgres + Redis on loopback; returns their env lines. */
export async function startServices(): Promise<Record<string, string>> {
  const out = await run('bash', [SERVICES_SCRIPT, 'start'], { timeoutMs: 120_000 });
  if (out.code !== 0) throw new Error(`start-local-services.sh failed (${out.code}): ${out.stderr.trim()}`);
  const env: Record<string, string> = {};
  for (const line of out.stdout.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) env[line.slice(0, eq)] = line.slice(eq + 1);
  }
  if (!env.LOCAL_SERVICES_DIR || !env.DATABASE_PORT || !env.REDIS_URL) {
    throw new Error(`start-local-services.sh printed no env contract: ${out.stdout}`);
  }
  return env;
}

export async function stopServices(dir: string): Promise<void> {
  const out = await run('bash', [SERVICES_SCRIPT, 'stop', dir], { timeoutMs: 60_000 });
  if (out.code !== 0) throw new Error(`start-local-services.sh stop failed: ${out.stderr.trim()}`);
}

/** A private moto_server on 127.0.0.1:<free port>, ready when /moto-api/data.json answers. */
export async function startMoto(): Promise<{ proc: Proc; url: string }> {
  const port = await freePort();
  const proc = new Proc(findBinary('moto_server') ?? 'moto_server', ['-H', '127.0.0.1', '-p', String(port)], {
    env: process.env,
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFor(
      'moto_server to answer',
      async () => {
        if (!proc.running) throw new Error(`moto_server exited: ${proc.tail()}`);
        const res = await fetch(`${url}/moto-api/data.json`);
        return res.ok ? true : undefined;
      },
      30_000,
    );
  } catch (error) {
    await proc.stop('SIGKILL');
    throw error;
  }
  return { proc, url };
}

/**
 * A pass-through HTTP proxy on 127.0.0.1 in front of moto. `holdNext(prefix)` holds the next request
 * whose path starts with `prefix` until `release()`, so a test can catch a job in flight (the
 * worker waiting on SES) and send SIGTERM at exactly that moment.
 */
export interface HoldingProxy {
  readonly url: string;
  holdNext(pathPrefix: string): Promise<void>;
  release(): void;
  close(): Promise<void>;
}

export async function startHoldingProxy(target: string): Promise<HoldingProxy> {
  const upstream = new URL(target);
  let hold: { prefix: string; arrived: () => void; released: Promise<void> } | undefined;

  const server = http.createServer((req, res) => {
    const forward = () => {
      const out = http.request(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      out.on('error', () => res.destroy());
      res.on('close', () => out.destroy()); // the client went away (e.g. an aborted long poll)
      req.pipe(out);
    };
    if (hold && req.url?.startsWith(hold.prefix)) {
      const current = hold;
      hold = undefined;
      current.arrived();
      void current.released.then(forward);
    } else {
      forward();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  let releaseCurrent: (() => void) | undefined;

  return {
    url: `http://127.0.0.1:${port}`,
    holdNext(prefix) {
      return new Promise<void>((arrived) => {
        const released = new Promise<void>((r) => (releaseCurrent = r));
        hold = { prefix, arrived, released };
      });
    },
    release() {
      releaseCurrent?.();
    },
    close() {
      releaseCurrent?.();
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
