/**
 * The env contract: exactly what Backplane's infrastructure sets on the container (see README.md).
 * Every value is read and checked once, at startup; a bad value stops the process with a message
 * that names the variable, the value and what is allowed.
 */

/** dev, staging, prod or any Backplane stage name (a preview such as pr-123). */
export type Stage = string;
/** PostgreSQL sslmode names, as Bun.SQL's `tls` option accepts them. */
export type DatabaseSsl = 'disable' | 'prefer' | 'require' | 'verify-ca' | 'verify-full';
/** How the app logs in: an IAM auth token per connection (Backplane's default for the app's own role) or a password. */
export type DatabaseAuth = 'iam' | 'password';

export interface Config {
  readonly port: number;
  readonly stage: Stage;
  readonly region: string;
  readonly database: {
    readonly host: string;
    readonly port: number;
    readonly name: string;
    readonly user: string;
    readonly auth: DatabaseAuth;
    /** Set with auth "password" only. */
    readonly password?: string;
    readonly ssl: DatabaseSsl;
    /**
     * The app's own role, which `migrate` (run as the owner) creates and grants; absent outside migrations.
     * DATABASE_APP_PASSWORD gives it a password where IAM auth does not exist (a local PostgreSQL).
     */
    readonly appUser?: string;
    readonly appPassword?: string;
    /**
     * DATABASE_CREATE=true (a Backplane preview stage, on its parent's instance): migrate creates the database
     * DATABASE_NAME first when it does not exist.
     */
    readonly create: boolean;
  };
  readonly redis: {
    /** redis:// or rediss:// URL without credentials. */
    readonly url: string;
    readonly authToken?: string;
    /** CACHE_KEY_PREFIX: prepended to every key (a preview stage shares its parent's cache), "" when unset. */
    readonly keyPrefix: string;
  };
  /** QUEUE_URL_<NAME> variables, keyed by lower-case NAME (QUEUE_URL_JOBS -> "jobs"). */
  readonly queues: Readonly<Record<string, string>>;
  readonly email: {
    readonly from: string;
    readonly configurationSet?: string;
  };
}

/** A Backplane stage name (src/config/common.ts stageName). */
const STAGE_NAME = /^[a-z]([a-z0-9-]{0,10}[a-z0-9])?$/;
const SSL_MODES: readonly DatabaseSsl[] = ['disable', 'prefer', 'require', 'verify-ca', 'verify-full'];
const AUTH_MODES: readonly DatabaseAuth[] = ['iam', 'password'];
/** A PostgreSQL role name migrate can put in SQL unparameterized (identifiers cannot be bound). */
const ROLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

function required(env: Env, name: string): string {
  const value = env[name];
  if (value === undefined || value.trim() === '') {
    throw new ConfigError(`${name} is required but not set`);
  }
  return value.trim();
}

function optional(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

function portOf(env: Env, name: string, fallback: number): number {
  const raw = optional(env, name);
  if (raw === undefined) return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new ConfigError(`${name}="${raw}" is not a port: use an integer from 1 to 65535`);
  }
  return port;
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback?: T): T {
  const raw = fallback === undefined ? required(env, name) : (optional(env, name) ?? fallback);
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(`${name}="${raw}" is not allowed: use one of ${allowed.join(', ')}`);
  }
  return raw as T;
}

function stageOf(env: Env): Stage {
  const stage = required(env, 'APP_STAGE');
  if (!STAGE_NAME.test(stage)) {
    throw new ConfigError(
      `APP_STAGE="${stage}" is not allowed: use a stage name (1 to 12 lower-case letters, digits or hyphens, starting with a letter)`,
    );
  }
  return stage;
}

function redisUrl(env: Env): string {
  const raw = required(env, 'REDIS_URL');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`REDIS_URL="${raw}" is not a URL: use redis://host:port or rediss://host:port`);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new ConfigError(`REDIS_URL="${raw}" has scheme ${url.protocol}: use redis:// or rediss://`);
  }
  if (url.username || url.password) {
    throw new ConfigError('REDIS_URL must not carry credentials: put the token in REDIS_AUTH_TOKEN');
  }
  return raw;
}

function queues(env: Env): Record<string, string> {
  const found: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    const match = /^QUEUE_URL_([A-Z0-9_]+)$/.exec(key);
    if (match && value) found[match[1]!.toLowerCase()] = value.trim();
  }
  if (!found.jobs) throw new ConfigError('QUEUE_URL_JOBS is required but not set');
  return found;
}

function emailFrom(env: Env): string {
  const from = required(env, 'EMAIL_FROM');
  if (!/^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$/.test(from)) {
    throw new ConfigError(`EMAIL_FROM="${from}" is not an email address: use e.g. no-reply@example.com`);
  }
  return from;
}

function database(env: Env): Config['database'] {
  const auth = oneOf(env, 'DATABASE_AUTH', AUTH_MODES, 'password');
  const appUser = optional(env, 'DATABASE_APP_USER');
  if (appUser !== undefined && !ROLE_NAME.test(appUser)) {
    throw new ConfigError(`DATABASE_APP_USER="${appUser}" is not a plain role name: use lower-case letters, digits and _`);
  }
  const appPassword = optional(env, 'DATABASE_APP_PASSWORD');
  const create = oneOf(env, 'DATABASE_CREATE', ['true', 'false'], 'false') === 'true';
  const name = required(env, 'DATABASE_NAME');
  if (create && !ROLE_NAME.test(name)) {
    throw new ConfigError(`DATABASE_NAME="${name}" cannot be created by migrate: use lower-case letters, digits and _`);
  }
  return {
    host: required(env, 'DATABASE_HOST'),
    port: portOf(env, 'DATABASE_PORT', 5432),
    name,
    user: required(env, 'DATABASE_USER'),
    auth,
    ...(auth === 'password' ? { password: required(env, 'DATABASE_PASSWORD') } : {}),
    ssl: oneOf(env, 'DATABASE_SSL', SSL_MODES, 'require'),
    ...(appUser ? { appUser } : {}),
    ...(appPassword ? { appPassword } : {}),
    create,
  };
}

export function loadConfig(env: Env = process.env): Config {
  const authToken = optional(env, 'REDIS_AUTH_TOKEN');
  const configurationSet = optional(env, 'EMAIL_CONFIGURATION_SET');
  return {
    port: portOf(env, 'PORT', 8080),
    stage: stageOf(env),
    region: required(env, 'AWS_REGION'),
    database: database(env),
    redis: { url: redisUrl(env), ...(authToken ? { authToken } : {}), keyPrefix: optional(env, 'CACHE_KEY_PREFIX') ?? '' },
    queues: queues(env),
    email: { from: emailFrom(env), ...(configurationSet ? { configurationSet } : {}) },
  };
}
