import { ConfigError, formatProblems, parseOrThrow } from './errors';
import { policyProblems } from './policy';
import { configSchema, type BackplaneConfig, type BackplaneConfigInput } from './schema';
import { withStageDefaults } from './stage-defaults';

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
  const config = parseOrThrow(configSchema, withStageDefaults(input, isProtectedStage), file);
  const problems = policyProblems(config, isProtected(config));
  if (problems.length > 0) throw new ConfigError(formatProblems(problems, file));
  return config;
}

/** Stages that protect stateful resources and default to redundancy (src/config/stage-defaults.ts). */
export const PROTECTED_STAGES: readonly string[] = ['prod'];
const isProtectedStage = (stage: unknown): boolean => PROTECTED_STAGES.includes((stage ?? 'dev') as string);

/** Whether the stage protects stateful resources (deletion protection, prevent_destroy, final snapshots kept). */
export const isProtected = (config: BackplaneConfig) => isProtectedStage(config.stage);
