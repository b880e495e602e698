/**
 * The CLI's view of the world (output streams, working directory, environment, a terminal to ask questions),
 * injectable so tests run commands in-process and read what they print.
 */
import * as readline from 'readline';

export interface Io {
  /** Writes a line (or lines) to stdout. */
  out(text: string): void;
  /** Writes a line to stderr (progress, notices, errors). */
  err(text: string): void;
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** Whether a person can answer questions (stdin and stdout are terminals). */
  readonly interactive: boolean;
  /** Asks a question on the terminal; resolves to the answer (or `fallback` on an empty answer). */
  ask(question: string, fallback?: string): Promise<string>;
}

export function processIo(): Io {
  return {
    out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
    cwd: process.cwd(),
    env: process.env,
    interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY),
    ask: (question, fallback) =>
      new Promise((resolve) => {
        const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
        rl.question(`${question}${fallback ? ` (${fallback})` : ''}: `, (answer) => {
          rl.close();
          resolve(answer.trim() || fallback || '');
        });
      }),
  };
}

/** An Io that records output, for tests. `answers` are returned in order by `ask`. */
export function memoryIo(options: {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  answers?: string[];
}): Io & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const answers = [...(options.answers ?? [])];
  return {
    stdout,
    stderr,
    out: (t) => stdout.push(t),
    err: (t) => stderr.push(t),
    cwd: options.cwd,
    env: options.env ?? {},
    interactive: options.answers !== undefined,
    ask: async (_q, fallback) => {
      const a = answers.shift();
      return a === undefined || a === '' ? (fallback ?? '') : a;
    },
  };
}
