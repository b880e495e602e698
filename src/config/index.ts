import { PROTECTED_STAGES } from './common';
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
  const config = parseOrThrow(configSchema, withStageDefaults(input, isProtectedInput), file);
  const problems = policyProblems(config, isProtected(config));
  if (problems.length > 0) throw new ConfigError(formatProblems(problems, file));
  return config;
}

/**
 * The config as `stage` would resolve it, with that stage's defaults and without the policy checks: what
 * `backplane cost` prices side by side. A protected stage never runs `nat: 'none'` (policy), so it is priced with
 * the stage's default instead; `adjusted` says so.
 */
export function resolveAsStage(input: unknown, stage: string): { config: BackplaneConfig; adjusted: string[] } {
  // Priced as that stage would run by default: its own `protect` default, not the config's setting for its stage.
  const { protect: _own, ...others } = input as Record<string, unknown>;
  const raw: Record<string, unknown> = { ...others, stage };
  const adjusted: string[] = [];
  const network = raw.network as Record<string, unknown> | undefined;
  if (isProtectedInput(raw) && network?.nat === 'none') {
    const { nat: _none, ...rest } = network;
    raw.network = rest;
    adjusted.push(`network.nat "none" is refused on ${stage}: priced with its default`);
  }
  return { config: parseOrThrow(configSchema, withStageDefaults(raw, isProtectedInput), 'backplane.config.ts'), adjusted };
}

export { PROTECTED_STAGES };

/** `protect` where the config says it, else whether the stage is one of PROTECTED_STAGES: a property, not a name. */
const protectOf = (protect: unknown, stage: unknown): boolean =>
  typeof protect === 'boolean' ? protect : PROTECTED_STAGES.includes((stage ?? 'dev') as string);
const isProtectedInput = (input: { protect?: unknown; stage?: unknown }): boolean => protectOf(input.protect, input.stage);

/** Whether the stage protects stateful resources (deletion protection, prevent_destroy, final snapshots kept). */
export const isProtected = (config: BackplaneConfig) => protectOf(config.protect, config.stage);
