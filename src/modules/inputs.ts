/**
 * One definition per module input: from it come the TypeScript props type (generated), the runtime
 * validation (zod), the HCL `variable` block with its `validation`, and the README inputs table.
 *
 * A constraint is declared once as data (`oneOf`, `range`, `pattern`, ...) and rendered twice: as a zod
 * refinement for TypeScript users and as an HCL `validation` condition for plain-Terraform users, with the
 * same message.
 */
import { z } from 'zod';

/** A constraint with its two renderings. `hcl` receives the variable reference, e.g. `var.cpu`. */
export interface Constraint<T> {
  readonly test: (value: T) => boolean;
  readonly hcl: (ref: string) => string;
  readonly message: string;
  /** The allowed values of a `oneOf`: the generated props type is their literal union. */
  readonly allowed?: readonly (string | number)[];
}

/**
 * A rule over several inputs, attached to one of them. Terraform >= 1.9 lets a variable's validation refer
 * to other variables, so it renders as a `validation` block like any other.
 */
export interface CrossCheck {
  /** The input whose validation block carries the rule. */
  readonly on: string;
  /** Receives the resolved props (camelCase keys); not run when any involved value is a token. */
  readonly test: (props: Record<string, unknown>) => boolean;
  readonly involves: readonly string[];
  readonly hcl: string;
  readonly message: (props: Record<string, unknown>) => string;
  /** The HCL error message (no values known). */
  readonly hclMessage: string;
}

export interface InputSpec<T = unknown> {
  /** HCL type expression, e.g. `number`, `list(string)`. */
  readonly tfType: string;
  /** TypeScript type expression for the generated props interface. */
  readonly tsType: string;
  readonly description: string;
  /** Absent means required. */
  readonly default?: T;
  readonly hasDefault: boolean;
  /** `sensitive = true` on the variable (never printed by Terraform). */
  readonly sensitive: boolean;
  /** null is accepted (only for optional inputs whose absence means "off"). */
  readonly nullable: boolean;
  readonly constraints: readonly Constraint<T>[];
  /** zod schema of the bare value (without the constraints). */
  readonly schema: z.ZodType<T>;
}

interface Common<T> {
  description: string;
  default?: T;
  sensitive?: boolean;
  constraints?: Constraint<T>[];
}

function spec<T>(tfType: string, tsType: string, schema: z.ZodType<T>, o: Common<T>, nullable = false): InputSpec<T> {
  return {
    tfType,
    tsType,
    description: o.description,
    default: o.default,
    hasDefault: 'default' in o,
    sensitive: o.sensitive ?? false,
    nullable,
    constraints: o.constraints ?? [],
    schema,
  };
}

export const input = {
  string: (o: Common<string>) => spec('string', 'string', z.string(), o),
  number: (o: Common<number>) => spec('number', 'number', z.number(), o),
  bool: (o: Common<boolean>) => spec('bool', 'boolean', z.boolean(), o),
  stringList: (o: Common<string[]>) => spec('list(string)', 'string[]', z.array(z.string()), o),
  numberList: (o: Common<number[]>) => spec('list(number)', 'number[]', z.array(z.number()), o),
  stringMap: (o: Common<Record<string, string>>) =>
    spec('map(string)', 'Record<string, string>', z.record(z.string(), z.string()), o),
  /** An optional string whose absence (null) turns a feature off. */
  optionalString: (o: Omit<Common<string | null>, 'default'>) =>
    spec<string | null>('string', 'string', z.string().nullable(), { ...o, default: null }, true),
  /** An object or list-of-objects typed input; `tfType`/`tsType` are given explicitly. */
  typed: <T>(tfType: string, tsType: string, schema: z.ZodType<T>, o: Common<T>) => spec(tfType, tsType, schema, o),
};

const hclString = (s: string) => JSON.stringify(s);
const hclList = (xs: readonly (string | number)[]) => `[${xs.map((x) => (typeof x === 'string' ? hclString(x) : x)).join(', ')}]`;

/** Constraints, each rendered both ways. */
export const must = {
  oneOf: (allowed: readonly (string | number)[], what = 'one of'): Constraint<any> => ({
    test: (v) => allowed.includes(v),
    allowed,
    hcl: (ref) => `contains(${hclList(allowed)}, ${ref})`,
    message: `must be ${what} ${allowed.join(', ')}`,
  }),
  range: (min: number, max: number, integer = true): Constraint<number> => ({
    test: (v) => v >= min && v <= max && (!integer || Number.isInteger(v)),
    hcl: (ref) => (integer ? `${ref} >= ${min} && ${ref} <= ${max} && floor(${ref}) == ${ref}` : `${ref} >= ${min} && ${ref} <= ${max}`),
    message: `must be ${integer ? 'a whole number ' : ''}from ${min} to ${max}`,
  }),
  /** `regex` is written for both JavaScript and Terraform's RE2: keep to the common subset. */
  pattern: (regex: string, what: string): Constraint<string> => ({
    test: (v) => new RegExp(regex).test(v),
    hcl: (ref) => `can(regex(${hclString(regex)}, ${ref}))`,
    message: `must be ${what}`,
  }),
  optionalPattern: (regex: string, what: string): Constraint<string | null> => ({
    test: (v) => v === null || new RegExp(regex).test(v),
    hcl: (ref) => `${ref} == null || can(regex(${hclString(regex)}, coalesce(${ref}, "")))`,
    message: `must be ${what}`,
  }),
  ipv4Cidr: (minPrefix: number, maxPrefix: number): Constraint<string> => ({
    test: (v) => isIpv4Cidr(v) && prefixOf(v) >= minPrefix && prefixOf(v) <= maxPrefix,
    hcl: (ref) =>
      `can(cidrhost(${ref}, 0)) && can(regex("^[0-9.]+/[0-9]+$", ${ref})) && tonumber(element(split("/", ${ref}), 1)) >= ${minPrefix} && tonumber(element(split("/", ${ref}), 1)) <= ${maxPrefix}`,
    message: `must be an IPv4 CIDR block from /${minPrefix} to /${maxPrefix}, e.g. 10.0.0.0/16`,
  }),
  minItems: <T>(n: number): Constraint<T[]> => ({
    test: (v) => v.length >= n,
    hcl: (ref) => `length(${ref}) >= ${n}`,
    message: `must have at least ${n} item${n === 1 ? '' : 's'}`,
  }),
  eachMatches: (regex: string, what: string): Constraint<string[]> => ({
    test: (v) => v.every((x) => new RegExp(regex).test(x)),
    hcl: (ref) => `alltrue([for x in ${ref} : can(regex(${hclString(regex)}, x))])`,
    message: `must contain only ${what}`,
  }),
  eachValueMatches: (regex: string, what: string): Constraint<Record<string, string>> => ({
    test: (v) => Object.values(v).every((x) => new RegExp(regex).test(x)),
    hcl: (ref) => `alltrue([for k, x in ${ref} : can(regex(${hclString(regex)}, x))])`,
    message: `must map names to ${what}`,
  }),
  eachKeyMatches: (regex: string, what: string): Constraint<Record<string, string>> => ({
    test: (v) => Object.keys(v).every((x) => new RegExp(regex).test(x)),
    hcl: (ref) => `alltrue([for k, x in ${ref} : can(regex(${hclString(regex)}, k))])`,
    message: `must have keys that are ${what}`,
  }),
};

function isIpv4Cidr(v: string): boolean {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(v);
  if (!m) return false;
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return false;
  const ip = octets.reduce((acc, o) => acc * 256 + o, 0);
  const hostBits = 32 - prefix;
  return hostBits === 0 || ip % 2 ** hostBits === 0;
}
const prefixOf = (v: string) => Number(v.split('/')[1]);

/** Common patterns (RE2 and JavaScript compatible). */
export const patterns = {
  name: '^[a-z][a-z0-9-]{1,30}[a-z0-9]$',
  domain: '^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$',
  arn: '^arn:aws[a-zA-Z-]*:[a-z0-9-]+:[a-z0-9-]*:[0-9]{0,12}:.+$',
  secretArn: '^arn:aws[a-zA-Z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+$',
  envName: '^[A-Z_][A-Z0-9_]*$',
  subnetId: '^subnet-[0-9a-f]+$',
  sgId: '^sg-[0-9a-f]+$',
  vpcId: '^vpc-[0-9a-f]+$',
};
