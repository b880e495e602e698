/**
 * A private moto_server on 127.0.0.1, on a port the OS picks, with moto's gaps patched
 * (test/e2e/moto/serve.py). It is ALWAYS stopped: by `stop()`, and otherwise when the test process
 * exits or gets SIGINT/SIGTERM/SIGHUP (its process group is killed), and, should even that fail
 * (SIGKILL), by serve.py itself when its stdin pipe closes.
 */
import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { killGroup, onProcessExit } from './cleanup';
import { E2E_WORK_ROOT, MOTO_SERVE_PY, PYTHON_BIN } from './paths';

/** A running moto_server. */
export interface MotoServer {
  /** `http://127.0.0.1:PORT` */
  readonly endpoint: string;
  readonly port: number;
  readonly pid: number;
  readonly motoVersion: string;
  /** Names of the gap patches serve.py installed (see serve.py's docstring). */
  readonly patches: readonly string[];
  /** moto's request log (stderr of serve.py). */
  readonly logFile: string;
  /** False once the server process has exited. */
  readonly alive: boolean;
  /** Stop the server (idempotent): SIGTERM to its process group, SIGKILL after 5 s. */
  stop(): Promise<void>;
}

/** Options of {@link startMoto}. */
export interface StartMotoOptions {
  /**
   * Where serve.py's stderr (moto's request log) goes.
   * @default `<repo>/.e2e-work/moto-logs/moto-<timestamp>-<pid>.log`
   */
  readonly logFile?: string;
  /**
   * How long to wait for the server to print its ready line and answer HTTP.
   * @default 60000
   */
  readonly startTimeoutMs?: number;
  /**
   * Extra environment for moto (e.g. MOTO_* switches).
   * @default {}
   */
  readonly env?: Readonly<Record<string, string>>;
}

interface ReadyLine {
  readonly event: 'ready' | 'error';
  readonly endpoint?: string;
  readonly port?: number;
  readonly moto?: string;
  readonly patches?: string[];
  readonly message?: string;
}

function tail(file: string, lines = 30): string {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

function waitForReadyLine(child: ChildProcess, timeoutMs: number): Promise<ReadyLine> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(() => done(new Error(`moto_server printed no ready line within ${timeoutMs} ms`)), timeoutMs);
    const onData = (chunk: Buffer): void => {
      buffer += chunk.toString('utf8');
      const newline = buffer.indexOf('\n');
      if (newline < 0) return;
      try {
        done(undefined, JSON.parse(buffer.slice(0, newline)) as ReadyLine);
      } catch {
        done(new Error(`moto_server printed an unexpected first line: ${buffer.slice(0, newline)}`));
      }
    };
    const onExit = (code: number | null, signal: string | null): void =>
      done(new Error(`moto_server exited before it was ready (code ${code}, signal ${signal})`));
    const done = (err?: Error, line?: ReadyLine): void => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
      if (err) reject(err);
      else resolve(line as ReadyLine);
    };
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
  });
}

async function waitUntilAnswering(endpoint: string, deadline: number): Promise<void> {
  let lastError = '';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
      lastError = `HTTP ${res.status}`;
    } catch (err) {
      lastError = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`moto_server at ${endpoint} did not answer: ${lastError}`);
}

/** Start a private, patched moto_server on 127.0.0.1 and wait until it answers. */
export async function startMoto(options: StartMotoOptions = {}): Promise<MotoServer> {
  const timeoutMs = options.startTimeoutMs ?? 60_000;
  const deadline = Date.now() + timeoutMs;
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const logFile = options.logFile ?? path.join(E2E_WORK_ROOT, 'moto-logs', `moto-${stamp}-${process.pid}.log`);
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const logFd = fs.openSync(logFile, 'a');

  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('AWS_')) env[k] = v;
  Object.assign(env, {
    MOTO_IAM_LOAD_MANAGED_POLICIES: 'true',
    MOTO_ACM_VALIDATION_WAIT: '0',
    PYTHONDONTWRITEBYTECODE: '1',
    PYTHONUNBUFFERED: '1',
    ...options.env,
  });

  // detached: its own process group, so stopping kills moto and anything it started, and a
  // terminal Ctrl-C reaches our handler first (we stop it deliberately).
  const child = spawn(PYTHON_BIN, ['-B', MOTO_SERVE_PY], { detached: true, env, stdio: ['pipe', 'pipe', logFd] });
  fs.closeSync(logFd);
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${PYTHON_BIN} ${MOTO_SERVE_PY}`);
  let alive = true;
  child.once('exit', () => {
    alive = false;
  });
  const unregister = onProcessExit(() => {
    killGroup(pid, 'SIGKILL');
  });

  const stop = async (): Promise<void> => {
    unregister();
    if (!alive) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.stdin?.end();
    killGroup(pid, 'SIGTERM');
    const timer = setTimeout(() => killGroup(pid, 'SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };

  try {
    const ready = await waitForReadyLine(child, timeoutMs);
    if (ready.event !== 'ready' || !ready.endpoint || !ready.port) {
      throw new Error(`moto_server failed to start: ${ready.message ?? JSON.stringify(ready)}`);
    }
    const url = new URL(ready.endpoint);
    if (url.hostname !== '127.0.0.1') throw new Error(`moto_server bound ${url.hostname}; only 127.0.0.1 is allowed`);
    await waitUntilAnswering(ready.endpoint, deadline);
    return {
      endpoint: ready.endpoint,
      port: ready.port,
      pid,
      motoVersion: ready.moto ?? 'unknown',
      patches: ready.patches ?? [],
      logFile,
      get alive() {
        return alive;
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw new Error(`${(err as Error).message}\n--- ${logFile} (last lines) ---\n${tail(logFile)}`);
  }
}
