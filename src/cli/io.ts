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
  /**
   * A secret value: all of stdin when it is not a terminal (one trailing newline dropped), else a prompt on the
   * terminal that echoes nothing. Never from argv, never printed.
   */
  readSecret(prompt: string): Promise<string>;
}

/** Reads stdin to the end (a pipe or a file), dropping one trailing newline. */
function readAllStdin(): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    process.stdin.on('data', (c: Buffer) => chunks.push(c));
    process.stdin.on('end', () =>
      resolve(
        Buffer.concat(chunks)
          .toString('utf8')
          .replace(/\r?\n$/, ''),
      ),
    );
    process.stdin.on('error', reject);
  });
}

/** A prompt on the terminal in raw mode: nothing typed is echoed; Enter ends, Ctrl-C aborts. */
function hiddenPrompt(prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    let value = '';
    process.stderr.write(`${prompt}: `);
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    const done = (err?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.removeListener('data', onData);
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003') return done(new Error('interrupted'));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.on('data', onData);
  });
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
    readSecret: (prompt) => (process.stdin.isTTY ? hiddenPrompt(prompt) : readAllStdin()),
  };
}

/** An Io that records output, for tests. `answers` are returned in order by `ask`; `stdin` by `readSecret`. */
export function memoryIo(options: {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  answers?: string[];
  stdin?: string;
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
    readSecret: async () => (options.stdin ?? '').replace(/\r?\n$/, ''),
  };
}
