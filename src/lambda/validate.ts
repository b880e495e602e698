/**
 * Synth-time checks for BunLambda props. A value that is a Terraform token (a module variable, another
 * resource's attribute) is passed through unchecked: it has no value yet. Messages name the field, the value and
 * what is allowed.
 */
import { Token } from 'cdktn';

const show = (v: unknown) => JSON.stringify(v);

export function isToken(v: unknown): boolean {
  return Token.isUnresolved(v);
}

/** Whole number in [min, max] (skipped for tokens and undefined). */
export function checkRange(field: string, value: number | undefined, min: number, max: number, note = ''): void {
  if (value === undefined || isToken(value)) return;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`BunLambda: ${field} is ${show(value)}; allowed: a whole number from ${min} to ${max}${note}`);
  }
}

export function checkOneOf<T extends string>(field: string, value: T | undefined, allowed: readonly T[]): void {
  if (value === undefined || isToken(value)) return;
  if (!allowed.includes(value)) {
    throw new Error(`BunLambda: ${field} is ${show(value)}; allowed: ${allowed.map(show).join(', ')}`);
  }
}

export function checkPattern(field: string, value: string | undefined, regex: RegExp, what: string): void {
  if (value === undefined || isToken(value)) return;
  if (!regex.test(value)) throw new Error(`BunLambda: ${field} is ${show(value)}; allowed: ${what}`);
}

/** Lambda function names: 1-64 of letters, digits, hyphens and underscores. */
export const FUNCTION_NAME = /^[A-Za-z0-9_-]{1,64}$/;
/** Environment variable names Lambda accepts: a letter first, then letters, digits, underscores. */
export const ENV_NAME = /^[a-zA-Z][a-zA-Z0-9_]*$/;
export const SECRET_ARN = /^arn:aws[a-zA-Z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+$/;
export const SQS_ARN = /^arn:aws[a-zA-Z-]*:sqs:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,80}(\.fifo)?$/;
/**
 * Environment variables Lambda reserves for itself (CreateFunction rejects them). Source: "Defined runtime
 * environment variables", https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars-runtime.html
 */
export const RESERVED_ENV = [
  '_HANDLER',
  '_X_AMZN_TRACE_ID',
  'AWS_DEFAULT_REGION',
  'AWS_REGION',
  'AWS_EXECUTION_ENV',
  'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
  'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_INITIALIZATION_TYPE',
  'AWS_LAMBDA_LOG_GROUP_NAME',
  'AWS_LAMBDA_LOG_STREAM_NAME',
  'AWS_ACCESS_KEY',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_LAMBDA_RUNTIME_API',
  'LAMBDA_TASK_ROOT',
  'LAMBDA_RUNTIME_DIR',
  'TZ',
];

/** CloudWatch Logs retention values (days); 0 is not offered (logs would never expire). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

export function checkEnvNames(field: string, names: readonly string[]): void {
  for (const name of names) {
    if (isToken(name)) continue;
    checkPattern(`${field} key`, name, ENV_NAME, 'an environment variable name: a letter, then letters, digits or _');
    if (RESERVED_ENV.includes(name)) {
      throw new Error(`BunLambda: ${field} key ${show(name)} is reserved by Lambda; allowed: any name except ${RESERVED_ENV.join(', ')}`);
    }
  }
}
