/**
 * Values that reach a construct are either concrete (TypeScript users) or Terraform tokens (the generated
 * modules, where every input is a `var.*`). These helpers keep one construct body for both: a concrete
 * condition decides in TypeScript; a token condition becomes `count` or a `dynamic` block in Terraform.
 */
import { Fn, Op, Token, TerraformIterator, type IResolvable, type TerraformResource } from 'cdktn';
import { isToken } from '../modules/module';

export type Condition = boolean | IResolvable;

/** `value == literal`, decided now when the value is concrete. */
export function eq(value: unknown, literal: string | number | boolean | null): Condition {
  return isToken(value) ? (Op.eq(value, literal) as IResolvable) : value === literal;
}

/** `value != null`, decided now when the value is concrete. */
export function isSet(value: unknown): Condition {
  return isToken(value) ? (Op.neq(value, null) as IResolvable) : value !== null && value !== undefined;
}

export function not(c: Condition): Condition {
  return typeof c === 'boolean' ? !c : (Op.not(c) as IResolvable);
}

export function and(...cs: Condition[]): Condition {
  if (cs.some((c) => c === false)) return false;
  const open = cs.filter((c): c is IResolvable => typeof c !== 'boolean');
  if (open.length === 0) return true;
  return open.reduce((a, b) => Op.and(a, b) as IResolvable);
}

export function or(...cs: Condition[]): Condition {
  if (cs.some((c) => c === true)) return true;
  const open = cs.filter((c): c is IResolvable => typeof c !== 'boolean');
  if (open.length === 0) return false;
  return open.reduce((a, b) => Op.or(a, b) as IResolvable);
}

/** `c ? a : b`, decided now when the condition is concrete. */
export function choose<T>(c: Condition, a: T, b: T): T {
  return typeof c === 'boolean' ? (c ? a : b) : (Fn.conditional(c, a, b) as unknown as T);
}

/**
 * Creates a resource only when `on` holds: not at all when false, once when true, and with
 * `count = on ? 1 : 0` when `on` is a Terraform expression. Read its attributes with `attr()`.
 */
export function optionally<T extends TerraformResource>(on: Condition, make: (count: number | undefined) => T): T | undefined {
  if (on === false) return undefined;
  return make(on === true ? undefined : Token.asNumber(Fn.conditional(on, 1, 0)));
}

/**
 * Creates a resource with `count = n`, or not at all when `n` is concretely 0 (so the TypeScript output
 * has no empty resources). Read its attributes with `splat()`.
 */
export function counted<T extends TerraformResource>(n: number, make: (count: number) => T): T | undefined {
  if (!isToken(n) && n === 0) return undefined;
  return make(n);
}

/** `String(value)`, also for a number token (`tostring(...)`). */
export function asString(value: number): string {
  return isToken(value) ? Token.asString(Fn.tostring(value)) : String(value);
}

/** An attribute of a resource made by `optionally()`: null when it does not exist. */
export function attr(resource: TerraformResource | undefined, name: string): string {
  if (!resource) return Token.asString(Fn.tostring(null as unknown as string));
  if (resource.count === undefined) return resource.getStringAttribute(name);
  return Token.asString(Fn.one(Fn.lookupNested(resource, ['*', name])));
}

function snakeKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(snakeKeys);
  if (value && typeof value === 'object' && !Token.isUnresolved(value) && !isToken(Object.keys(value))) {
    return Object.fromEntries(
      Object.entries(value as object).map(([k, v]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), snakeKeys(v)]),
    );
  }
  return value;
}

/**
 * A nested block present only when `value` is set (not null). Concrete: the block or nothing. Token: a
 * `dynamic` block over `value == null ? [] : [value]`. Spread the result into the resource's props.
 */
export function optionalBlock<V, B extends object>(value: V | null | undefined, build: (v: V) => B, asList: true): B[] | undefined;
export function optionalBlock<V, B extends object>(value: V | null | undefined, build: (v: V) => B, asList?: false): B | undefined;
export function optionalBlock<V, B extends object>(value: V | null | undefined, build: (v: V) => B, asList = false): B | B[] | undefined {
  if (value === null || value === undefined) return undefined;
  if (!isToken(value)) return asList ? [build(value)] : build(value);
  const it = TerraformIterator.fromList(Fn.conditional(Op.eq(value, null), [], [value]));
  return it.dynamic(snakeKeys(build(it.value as V)) as Record<string, unknown>) as unknown as B;
}

/** A nested block present when `on` holds (concrete or token). */
export function blockWhen<B extends object>(on: Condition, build: () => B, asList: true): B[] | undefined;
export function blockWhen<B extends object>(on: Condition, build: () => B, asList?: false): B | undefined;
export function blockWhen<B extends object>(on: Condition, build: () => B, asList = false): B | B[] | undefined {
  if (on === false) return undefined;
  if (on === true) return asList ? [build()] : build();
  const it = TerraformIterator.fromList(Fn.conditional(on, [1], []));
  return it.dynamic(snakeKeys(build()) as Record<string, unknown>) as unknown as B;
}

/** `resource[*].attr` of a resource with `count`, as a list. */
export function splat(resource: TerraformResource | undefined, name: string): string[] {
  if (!resource) return [];
  return Token.asList(Fn.lookupNested(resource, ['*', name]));
}

/** `{ ...tags, ...extra }`, also when `tags` is a Terraform token (`merge(var.tags, {...})`). */
export function withTags(tags: Record<string, string>, extra: Record<string, string>): Record<string, string> {
  return isToken(tags) && Token.isUnresolved(tags) ? Token.asStringMap(Fn.merge([tags, extra])) : { ...tags, ...extra };
}

/** `[for k, v in map : { name = k, <valueKey> = v }]`, computed now when the map is concrete. */
export function nameValueList(map: Record<string, string>, valueKey: 'value' | 'valueFrom'): unknown {
  // A concrete object whose values are tokens is still built here: only a map that is itself a token
  // (a module variable, a merge()) needs a Terraform for-expression.
  if (!Token.isUnresolved(map)) return Object.entries(map).map(([name, v]) => ({ name, [valueKey]: v }));
  return TerraformIterator.fromMap(map).forExpressionForList(`{ name = key, ${valueKey} = val }`);
}

/** `[for v in values(map) : <expression of v>]`, with `fn` for concrete maps and `hcl` (over `val`) for tokens. */
export function mapValues(map: Record<string, string>, fn: (v: string) => string, hcl: string): string[] {
  if (!Token.isUnresolved(map)) return Object.values(map).map(fn);
  return Token.asList(TerraformIterator.fromList(Fn.values(map)).forExpressionForList(hcl));
}

/** `length(list) > 0`, decided now when the list is concrete. */
export function notEmpty(list: unknown[] | Record<string, unknown>): Condition {
  if (!Token.isUnresolved(list)) return Array.isArray(list) ? list.length > 0 : Object.keys(list).length > 0;
  return Op.gt(Fn.lengthOf(list), 0) as IResolvable;
}

/** `cond ? [item] : []`, for building lists whose members are optional. */
export function listIf<T>(c: Condition, item: T): T[] {
  if (typeof c === 'boolean') return c ? [item] : [];
  return Fn.conditional(c, [item], []) as unknown as T[];
}

/** Concatenates lists, any of which may be tokens. */
export function concat<T>(...lists: T[][]): T[] {
  if (lists.every((l) => !isToken(l))) return lists.flat();
  return Token.asAny(Fn.concat(lists)) as unknown as T[];
}

/** `value > n`, decided now when the value is concrete. */
export function greaterThan(value: number, n: number): Condition {
  return isToken(value) ? (Op.gt(value, n) as IResolvable) : value > n;
}

/** `"<value><suffix>"` without an interpolation inside a function call (which cdktn warns about). */
export function withSuffix(value: string, suffix: string): string {
  return isToken(value) ? Token.asString(Fn.format(`%s${suffix.replace(/%/g, '%%')}`, [value])) : `${value}${suffix}`;
}
