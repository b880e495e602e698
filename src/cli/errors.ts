/**
 * Errors the CLI reports as one line (never a stack trace): a user error exits 1, a usage error 2.
 */

/** Something the user can fix: printed as `backplane <command>: <message>`, exit code 1. */
export class UserError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 1) {
    super(message);
    this.name = 'UserError';
    this.exitCode = exitCode;
  }
}

/** A wrong invocation (unknown option, missing value): exit code 2, with a pointer to --help. */
export class UsageError extends UserError {
  constructor(message: string) {
    super(message, 2);
    this.name = 'UsageError';
  }
}

/** A program the command needs is not installed. */
export class CommandNotFoundError extends UserError {
  readonly command: string;
  constructor(command: string, hint: string) {
    super(`${command} not found on PATH: ${hint}`);
    this.name = 'CommandNotFoundError';
    this.command = command;
  }
}

/** The config failed validation (the ConfigError of src/config, matched by name so a second copy of the module still counts). */
export function isConfigError(err: unknown): err is Error {
  return err instanceof Error && (err.name === 'ConfigError' || err.name === 'SnapshotError');
}

/** AWS SDK "no credentials" errors. */
export function isCredentialsError(err: unknown): boolean {
  const e = err as { name?: string; message?: string } | undefined;
  return !!e && (e.name === 'CredentialsProviderError' || /Could not load credentials/i.test(e.message ?? ''));
}

export const CREDENTIALS_HINT =
  'set AWS_PROFILE (after `aws sso login`) or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY; `backplane doctor` checks everything';
