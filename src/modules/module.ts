/**
 * A module definition: its inputs and outputs, declared once. The construct validates its props against it,
 * the generator (src/modules/build.ts) turns it into `modules/<name>/` and `src/constructs/generated/<name>.ts`.
 */
import type { CrossCheck, InputSpec } from './inputs';

/**
 * cdktn's Token, loaded on the first token check (synthesis, which loads cdktn anyway): the config schema and the
 * definitions import this module, and `backplane cost` reads the config without loading cdktn.
 */
const token = () => (require('cdktn') as typeof import('cdktn')).Token;

export interface OutputSpec {
  readonly description: string;
  readonly sensitive?: boolean;
}

export interface ModuleDefinition<
  I extends Record<string, InputSpec<any>> = Record<string, InputSpec<any>>,
  O extends Record<string, OutputSpec> = Record<string, OutputSpec>,
> {
  /** Module folder name, e.g. `ecs-service`. */
  readonly name: string;
  /** TypeScript name of the props interface, e.g. `EcsServiceInputs`. */
  readonly propsName: string;
  /** One paragraph for the module README. */
  readonly description: string;
  /** Providers the module's resources need besides `hashicorp/aws`. */
  readonly extraProviders?: Readonly<Record<string, { source: string; version: string }>>;
  readonly inputs: I;
  /** Rules over several inputs (e.g. Fargate cpu/memory pairs). */
  readonly checks?: readonly CrossCheck[];
  readonly outputs: O;
}

export function defineModule<I extends Record<string, InputSpec<any>>, O extends Record<string, OutputSpec>>(
  def: ModuleDefinition<I, O>,
): ModuleDefinition<I, O> {
  return def;
}

/** `deregistration_delay` -> `deregistrationDelay`. */
export function camelCase(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** The outputs a construct must expose for its module: one string (a value or a token) per declared output. */
export type ModuleOutputs<D extends ModuleDefinition<any, any>> = { readonly [K in keyof D["outputs"]]: unknown };

/** Thrown for invalid user input: the CLI prints the message alone, without a stack trace. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

function describe(value: unknown): string {
  const s = JSON.stringify(value);
  return s === undefined ? String(value) : s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

/** True when the value is (or contains, at the top level) an unresolved Terraform token. */
export function isToken(value: unknown): boolean {
  const Token = token();
  if (typeof value === 'string' || typeof value === 'number') return Token.isUnresolved(value);
  if (Array.isArray(value)) return Token.isUnresolved(value) || value.some((v) => isToken(v));
  if (value && typeof value === 'object') return Token.isUnresolved(value) || Object.values(value).some((v) => isToken(v));
  return false;
}

/**
 * Validates a construct's props against its module definition and returns them with defaults applied.
 * Values that are Terraform tokens (module variables, other resources' attributes) are not known at synth
 * time: they pass through here and are checked by the module's HCL `validation` blocks instead.
 * @param where a prefix for error messages, e.g. `service` for the config path of this construct
 */
export function resolveInputs<D extends ModuleDefinition<any, any>>(def: D, props: object, where = def.name): any {
  const out: Record<string, unknown> = {};
  const given = props as Record<string, unknown>;
  const known = new Set(Object.keys(def.inputs).map(camelCase));
  for (const key of Object.keys(given)) {
    if (!known.has(key) && given[key] !== undefined) {
      throw new ConfigError(`${where}.${key}: unknown setting. Allowed: ${[...known].join(', ')}`);
    }
  }
  for (const [name, spec] of Object.entries(def.inputs) as [string, InputSpec<unknown>][]) {
    const key = camelCase(name);
    let value = given[key];
    if (value === undefined) {
      if (!spec.hasDefault) throw new ConfigError(`${where}.${key} is required: ${spec.description}`);
      value = spec.default;
    }
    out[key] = value;
    if (isToken(value)) continue;
    if (value === null) {
      if (spec.nullable) continue;
      throw new ConfigError(`${where}.${key} must not be null: ${spec.description}`);
    }
    const parsed = spec.schema.safeParse(value);
    if (!parsed.success) {
      throw new ConfigError(`${where}.${key} = ${describe(value)} is not a valid ${spec.tsType}: ${spec.description}`);
    }
    for (const c of spec.constraints) {
      if (!c.test(value)) throw new ConfigError(`${where}.${key} = ${describe(value)} ${c.message}`);
    }
  }
  for (const check of def.checks ?? []) {
    const involved = check.involves.map((n) => out[camelCase(n)]);
    if (involved.some((v) => isToken(v) || v === null)) continue;
    if (!check.test(out)) throw new ConfigError(`${where}: ${check.message(out)}`);
  }
  return out;
}
