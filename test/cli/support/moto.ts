/**
 * A private, plain moto_server on 127.0.0.1 and a free port, for the CLI's AWS calls (S3, ECR, CloudFront).
 * Stopped by `stop()` (its process group), and by the test process's exit as a fallback.
 */
import { spawn } from 'child_process';
import * as net from 'net';

export interface Moto {
  readonly endpoint: string;
  readonly port: number;
  stop(): Promise<void>;
}

export const MOTO_CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };
export const MOTO_ACCOUNT = '123456789012';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

export async function startMoto(): Promise<Moto> {
  const port = await freePort();
  const child = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore', detached: true });
  const kill = () => {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  };
  process.once('exit', kill);
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  let last = '';
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with code ${child.exitCode}`);
    try {
      const res = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(1000) });
      if (res.ok) break;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  if (Date.now() >= deadline) {
    kill();
    throw new Error(`moto_server on ${endpoint} did not answer: ${last}`);
  }
  return {
    endpoint,
    port,
    stop: async () => {
      const exited = child.exitCode !== null ? Promise.resolve() : new Promise<void>((r) => child.once('exit', () => r()));
      kill();
      process.off('exit', kill);
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000).unref())]);
      child.unref();
    },
  };
}
