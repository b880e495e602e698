import { ConfigError, formatProblems, parseOrThrow } from './errors';
import { policyProblems } from './policy';
import { configSchema, type BackplaneConfig, type BackplaneConfigInput } from './schema';

export type { BackplaneConfig, BackplaneConfigInput } from './schema';
export { ConfigError };

/** Declares a Backplane configuration with full typing (validated when the app synthesizes). */
export function defineConfig(config: BackplaneConfigInput): BackplaneConfigInput {
  return config;
}

/**
 * Validates a configuration and applies defaults. Throws a `ConfigError` listing every problem, each with
 * the field, the value and what is allowed, before anything reaches Terraform.
 */
export function resolveConfig(input: unknown, file = 'backplane.config.ts'): BackplaneConfig {
  const config = parseOrThrow(configSchema, input, file);
  const problems = policyProblems(config, isProtected(config));
  if (problems.length > 0) throw new ConfigError(formatProblems(problems, file));
  return config;
}

/** Whether the stage protects stateful resources (deletion protection, prevent_destroy, final snapshots kept). */
export const isProtected = (config: BackplaneConfig) => config.stage === 'prod';
