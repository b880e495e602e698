import { z } from 'zod';

/** The usual stages (`backplane cost` prices them side by side); any name that fits `stageName` is allowed. */
export const STAGES = ['dev', 'staging', 'prod'] as const;
export type Stage = string;

/** Stages protected when the config does not say `protect` (src/config/stage-defaults.ts). */
export const PROTECTED_STAGES: readonly string[] = ['prod'];

/**
 * The longest `<name>-<stage>` prefix: what the longest app name (22) with "staging" always produced, so every name
 * derived from it (ALB and target group names, at most 32 characters: src/limits) still fits with its suffix.
 */
export const MAX_PREFIX_LENGTH = 30;

/** A stage name: "dev", "prod", "pr-123"; lower-case letters, digits and hyphens, starting with a letter. */
export const stageName = z
  .string()
  .regex(
    /^[a-z]([a-z0-9-]{0,10}[a-z0-9])?$/,
    'must be 1 to 12 lower-case letters, digits or hyphens, starting with a letter and not ending with a hyphen',
  );

export const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: () => `must be one of ${values.map((v) => `"${v}"`).join(', ')}` });

export const domainName = z
  .string()
  .regex(/^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'must be a lower-case domain name such as "example.com"');

export const appName = z
  .string()
  .regex(/^[a-z][a-z0-9-]{1,20}[a-z0-9]$/, 'must be 3 to 22 lower-case letters, digits or hyphens, starting with a letter');

export const secretArn = z
  .string()
  .regex(
    /^arn:aws[a-zA-Z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:[^:]+(:[^:]*:[^:]*:[^:]*)?$/,
    'must be a Secrets Manager secret ARN, optionally with ":json-key::"',
  );

export const envName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'must be an upper-case environment variable name');

export const intIn = (min: number, max: number) =>
  z
    .number({ error: () => `must be a whole number from ${min} to ${max}` })
    .int(`must be a whole number from ${min} to ${max}`)
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);

export const commandList = z.array(z.string().min(1)).min(1, 'must be a non-empty command, e.g. ["bun", "run", "migrate"]');
