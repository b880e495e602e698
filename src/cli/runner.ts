/**
 * Runs external programs (terraform, docker). Injectable: tests pass a runner that records the exact commands.
 */
import { spawn } from 'child_process';

export interface RunOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Written to the program's stdin (then closed). */
  readonly input?: string;
  /** Called for each complete output line as it arrives (progress). */
  readonly onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  /** Aborting sends the program SIGINT (Terraform then stops cleanly and saves its state). */
  readonly signal?: AbortSignal;
}

export interface RunResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a program; rejects with an error whose `code` is 'ENOENT' when the program is not installed. */
export type CommandRunner = (command: string, args: readonly string[], options?: RunOptions) => Promise<RunResult>;

export const spawnRunner: CommandRunner = (command, args, options = {}) =>
  new Promise((resolve, reject) => {
    const child = spawn(command, [...args], { cwd: options.cwd, env: options.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    const chunks = { stdout: [] as string[], stderr: [] as string[] };
    const pending = { stdout: '', stderr: '' };
    const collect = (stream: 'stdout' | 'stderr') => (data: Buffer) => {
      const text = data.toString('utf8');
      chunks[stream].push(text);
      if (!options.onLine) return;
      pending[stream] += text;
      const lines = pending[stream].split('\n');
      pending[stream] = lines.pop() ?? '';
      for (const line of lines) options.onLine(line, stream);
    };
    child.stdout.on('data', collect('stdout'));
    child.stderr.on('data', collect('stderr'));
    child.on('error', reject);
    const interrupt = () => child.kill('SIGINT');
    if (options.signal?.aborted) interrupt();
    else options.signal?.addEventListener('abort', interrupt, { once: true });
    child.on('close', () => options.signal?.removeEventListener('abort', interrupt));
    child.on('close', (code, signal) => {
      for (const stream of ['stdout', 'stderr'] as const) if (options.onLine && pending[stream]) options.onLine(pending[stream], stream);
      resolve({ exitCode: code ?? (signal ? 128 : 1), stdout: chunks.stdout.join(''), stderr: chunks.stderr.join('') });
    });
    child.stdin.on('error', () => undefined); // the program may exit without reading its input
    child.stdin.end(options.input ?? '');
  });

/** Whether an error from a runner means "program not installed". */
export const isNotFound = (err: unknown): boolean => (err as { code?: string } | undefined)?.code === 'ENOENT';
