/**
 * The one error path of every entry point (the `backplane` command and the cdktn app, `node dist/app.js`): what the
 * user can fix is one line (or the config's problem list) and exit code 1; anything else is reported as what it is —
 * a bug in Backplane — with where to report it and how to get the stack trace. Never a bare stack trace.
 */
import * as fs from 'fs';
import * as path from 'path';
import { isConfigError, isCredentialsError, CREDENTIALS_HINT, UserError } from './errors';

/** `BACKPLANE_DEBUG=1` (or `--debug` on the CLI) prints the stack trace of any failure. */
export const isDebug = (env: NodeJS.ProcessEnv = process.env) => env.BACKPLANE_DEBUG === '1' || env.BACKPLANE_DEBUG === 'true';

/** Where to report a bug: package.json's `bugs`, else its repository's issues. */
export function bugTracker(): string {
  try {
    let dir = __dirname;
    for (let i = 0; i < 6; i++, dir = path.dirname(dir)) {
      const file = path.join(dir, 'package.json');
      if (!fs.existsSync(file)) continue;
      const pkg = JSON.parse(fs.readFileSync(file, 'utf8'));
      if (pkg.name !== 'backplane') continue;
      const bugs = typeof pkg.bugs === 'string' ? pkg.bugs : pkg.bugs?.url;
      if (bugs) return bugs;
    }
  } catch {
    // fall through
  }
  return "Backplane's issue tracker";
}

export interface Failure {
  /** What to print on stderr (one line, or the config's problem list; plus the stack when debugging). */
  readonly text: string;
  readonly exitCode: number;
}

/** How a failure is reported; `prefix` is e.g. "backplane deploy" (none for the cdktn app). */
export function describeFailure(err: unknown, options: { prefix?: string; debug?: boolean; rerun?: string } = {}): Failure {
  const lead = options.prefix ? `${options.prefix}: ` : '';
  const stack = options.debug && err instanceof Error && err.stack ? `${err.stack}\n` : '';
  if (isConfigError(err)) return { text: `${stack}${(err as Error).message}`, exitCode: 1 };
  if (err instanceof UserError) return { text: `${stack}${lead}${err.message}`, exitCode: err.exitCode };
  if (isCredentialsError(err)) return { text: `${stack}${lead}no AWS credentials found: ${CREDENTIALS_HINT}`, exitCode: 1 };
  const message = (err instanceof Error ? err.message : String(err)).split('\n')[0];
  const how = options.debug
    ? ''
    : ` Run it again with BACKPLANE_DEBUG=1${options.rerun ? ` (${options.rerun})` : ''} to print the stack trace, and`;
  return {
    text: `${stack}${lead}internal error — a bug in Backplane, not in your config: ${message}.${how}${how ? ' report' : ' Report'} it at ${bugTracker()}.`,
    exitCode: 1,
  };
}
