/**
 * External DNS: one interface (`DnsProvider`), three implementations — `manual` (no DNS resources, a
 * Terraform output listing the records to create), `route53` (`aws_route53_record` in a given zone) and
 * `cloudflare` (`cloudflare_dns_record` through the prebuilt typed bindings) — and the `dns-external`
 * module's construct. The API record, ACM validation records and SES records all go through it; only the
 * `route53` implementation ever emits a Route53 resource.
 *
 * A record set is a map whose KEYS are known at plan time (for_each keys) while names and values may be
 * unknown until apply (DKIM tokens, ACM validation records, the ALB's DNS name).
 */
import { Construct } from 'constructs';
import { Route53Record } from '@cdktn/provider-aws/lib/route53-record';
import type { DnsRecord as CloudflareRecord } from '@cdktf/provider-cloudflare/lib/dns-record';
import type { CloudflareProvider } from '@cdktf/provider-cloudflare/lib/provider';
import { Fn, Lazy, Op, TerraformIterator, TerraformOutput, Token, type IResolvable, type ITerraformDependable } from 'cdktn';
import { dnsExternalDefinition } from '../definitions/dns-external';
import { ConfigError, isToken, resolveInputs, type ModuleOutputs } from '../modules/module';
import type { DnsExternalInputs } from './generated/dns-external';
import { eq } from './tokens';

export const DNS_RECORD_TYPES = ['CNAME', 'TXT', 'MX', 'A', 'AAAA', 'ALIAS'] as const;
export type DnsRecordType = (typeof DNS_RECORD_TYPES)[number];
export const DNS_PROVIDERS = ['manual', 'route53', 'cloudflare'] as const;
export type DnsProviderKind = (typeof DNS_PROVIDERS)[number];

/** One DNS record set: a name, a type and one or more values. Names and values may be Terraform tokens. */
export interface DnsRecord {
  /** Fully qualified name, e.g. `api.example.com` (a trailing dot is accepted). */
  readonly name: string;
  /** `ALIAS` is a Route53 alias A record; Cloudflare and manual turn it into a CNAME (Cloudflare flattens at the apex). */
  readonly type: DnsRecordType;
  /** Record values; MX values carry their priority (`10 feedback-smtp.us-east-1.amazonses.com`); ALIAS: the target DNS name. */
  readonly values: string[];
  /**
   * Time to live in seconds (60 to 86400; ignored for ALIAS).
   * @default 300
   */
  readonly ttl?: number;
  /** Why the record exists, shown to the user (manual table, Cloudflare comment). */
  readonly purpose: string;
  /**
   * ALIAS only: the hosted zone id of the target (e.g. the ALB's `zone_id`).
   * @default undefined
   */
  readonly aliasZoneId?: string;
}

/**
 * A tagged template that stays valid inside Terraform function calls: with tokens among the values it becomes
 * `format("...%s...", values)` (cdktn cannot nest `${...}` inside Fn.* calls), otherwise a plain string.
 */
export function interpolate(strings: TemplateStringsArray, ...values: unknown[]): string {
  if (!values.some((v) => Token.isUnresolved(v)))
    return strings.reduce((out, s, i) => out + s + (i < values.length ? String(values[i]) : ''), '');
  let format = '';
  const args: unknown[] = [];
  strings.forEach((s, i) => {
    format += s.replace(/%/g, '%%');
    if (i >= values.length) return;
    if (Token.isUnresolved(values[i])) {
      format += '%s';
      args.push(values[i]);
    } else format += String(values[i]).replace(/%/g, '%%');
  });
  return Token.asString(Fn.format(format, args));
}

/** A list whose LENGTH is known in TypeScript (its elements may be tokens). */
export const isKnownList = (v: unknown): v is unknown[] => Array.isArray(v) && !Token.isUnresolved(v);

/** Concatenates lists: a plain array when every list's length is known, `concat(...)` otherwise. */
export function concatLists<T>(...lists: T[][]): T[] {
  return lists.every(isKnownList) ? lists.flat() : (Token.asAny(Fn.concat(lists)) as unknown as T[]);
}

/**
 * A for-expression source over a LIST without cdktn's `toset()` (which `TerraformIterator.fromList` adds):
 * a set of objects with unknown attributes (DKIM tokens before apply) cannot be iterated at plan time, a
 * list can. `for key, val in <list>` binds the index and the element.
 */
const overList = (list: unknown) => TerraformIterator.fromMap(list as Record<string, unknown>);

/** A record as Terraform sees it: every attribute present, so for_each values share one object type. */
export interface TfDnsRecord {
  readonly name: string;
  readonly type: string;
  readonly values: string[];
  readonly ttl: number;
  readonly purpose: string;
  readonly alias_zone_id: string | null;
}

/** Without the trailing dot (ACM writes `_x.example.com.`; DNS hosts and Cloudflare's API want it without). */
function undot(s: string): string {
  if (s.endsWith('.')) return s.slice(0, -1);
  return Token.isUnresolved(s) && s.endsWith('}') ? Token.asString(Fn.trimsuffix(s, '.')) : s;
}
const shownType = (t: string) => (t === 'ALIAS' ? 'CNAME' : t);
/** A value as a literal inside a raw HCL expression (tokens resolve to their bare expression). */
const hcl = (v: unknown) => (v === null || v === undefined ? 'null' : Token.isUnresolved(v) ? Token.asString(v) : JSON.stringify(v));
/** Keys, types and the NUMBER of values known in TypeScript (names and values may still be tokens). */
const concrete = (map: Record<string, TfDnsRecord> | IResolvable): map is Record<string, TfDnsRecord> =>
  !Token.isUnresolved(map) &&
  Object.values(map).every((r) => Array.isArray(r.values) && !Token.isUnresolved(r.values) && !Token.isUnresolved(r.type));
/**
 * The source of a for-expression. cdktn renders a literal collection inside a raw for-expression with its
 * references quoted as strings, so literal values pass through a function call (which renders them right).
 */
const source = (value: unknown) => overList(Token.isUnresolved(value) ? value : Fn.merge([value as Record<string, unknown>]));

/** One row per value: `{ name, type, value, ttl, purpose }` (what the manual table shows). */
export function recordRows(map: Record<string, TfDnsRecord> | IResolvable): unknown[] {
  if (concrete(map)) {
    return Object.values(map).flatMap((r) =>
      r.values.map((v) => ({ name: undot(r.name), type: shownType(r.type), value: undot(v), ttl: r.ttl, purpose: r.purpose })),
    );
  }
  const each = source(map).forExpressionForList(
    '[for v in val.values : { name = trimsuffix(val.name, "."), type = val.type == "ALIAS" ? "CNAME" : val.type, value = trimsuffix(v, "."), ttl = val.ttl, purpose = val.purpose }]',
  );
  return Token.asList(Fn.flatten(each)) as unknown[];
}

/** The rows as a printable table (one line per record value). */
export function recordsTable(rows: unknown): string {
  if (Array.isArray(rows) && !Token.isUnresolved(rows)) {
    const lines = (rows as { name: string; type: string; value: string; purpose: string }[]).map(
      (r) => interpolate`${r.type.padEnd(5)}  ${r.name}  ->  ${r.value}    # ${r.purpose}`,
    );
    return lines.some((l) => Token.isUnresolved(l)) ? Token.asString(Fn.join('\n', lines)) : lines.join('\n');
  }
  const lines = overList(rows).forExpressionForList('format("%-5s  %s  ->  %s    # %s", val.type, val.name, val.value, val.purpose)');
  return Token.asString(Fn.join('\n', Token.asList(lines)));
}

/**
 * The arguments of one `cloudflare_dns_record` per record value, keyed for for_each (`<key>` or `<key>_<i>`):
 * TXT content quoted (Cloudflare requires quoted TXT character strings: terraform-provider-cloudflare #6354,
 * #6331), MX split into priority and content, ALIAS as CNAME, names and targets without the trailing dot.
 */
export function cloudflareEntries(
  map: Record<string, TfDnsRecord> | IResolvable,
  zoneId: string | null,
): Record<string, unknown> | IResolvable {
  if (concrete(map)) {
    const out: Record<string, unknown> = {};
    for (const [key, r] of Object.entries(map)) {
      r.values.forEach((v, i) => {
        const mx = /^(\d+)\s+(\S+)$/.exec(v);
        const split = Token.asList(Fn.split(' ', v));
        out[r.values.length === 1 ? key : `${key}_${i}`] = {
          zone_id: zoneId,
          name: undot(r.name),
          type: shownType(r.type),
          content:
            r.type === 'MX'
              ? undot(mx ? mx[2] : Token.asString(Fn.element(split, 1)))
              : r.type === 'TXT' && !v.startsWith('"')
                ? `"${v}"`
                : undot(v),
          priority: r.type === 'MX' ? (mx ? Number(mx[1]) : Token.asNumber(Fn.tonumber(Fn.element(split, 0)))) : null,
          ttl: r.ttl,
          comment: Token.isUnresolved(r.purpose) ? r.purpose : r.purpose.slice(0, 100),
        };
      });
    }
    return out;
  }
  const perValue = source(map).forExpressionForList(
    `[for i, v in val.values : { key = length(val.values) == 1 ? key : format("%s_%d", key, i), zone_id = ${hcl(zoneId)}, name = trimsuffix(val.name, "."), type = val.type == "ALIAS" ? "CNAME" : val.type, content = val.type == "MX" ? trimsuffix(element(split(" ", v), 1), ".") : (val.type == "TXT" ? format("\\"%s\\"", v) : trimsuffix(v, ".")), priority = val.type == "MX" ? tonumber(element(split(" ", v), 0)) : null, ttl = val.ttl, comment = substr(val.purpose, 0, 100) }]`,
  );
  return overList(Fn.flatten(perValue)).forExpressionForMap('val.key', 'val');
}

/** Records keyed by a stable, plan-time-known key: a TypeScript object, or a Terraform map of {@link TfDnsRecord}. */
export type DnsRecordSet = Readonly<Record<string, DnsRecord>> | IResolvable;

/** What adding records created: depend on it before using the records (e.g. ACM validation). */
export interface DnsRecordsAdded {
  readonly dependables: ITerraformDependable[];
}

/** Where Backplane's DNS records go. */
export interface DnsProvider {
  readonly kind: DnsProviderKind;
  /** Adds one record; `id` names the Terraform resource and is the record's key. */
  addRecord(id: string, record: DnsRecord): DnsRecordsAdded;
  /** Adds a keyed set of records as one `for_each` resource named `id`. */
  addRecords(id: string, records: DnsRecordSet): DnsRecordsAdded;
}

/** An element of the `dns-external` module's `records` input (and the `ses` module's `dns_records` output). */
export interface KeyedDnsRecord {
  readonly key: string;
  readonly name: string;
  readonly type: string;
  readonly values: string[];
  readonly ttl?: number;
  readonly purpose?: string;
  readonly alias_zone_id?: string | null;
}

const RECORD_NAME = /^(\*\.)?([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}\.?$/i;

function check(where: string, r: DnsRecord): void {
  const fail = (field: string, value: unknown, allowed: string) =>
    new ConfigError(`${where}.${field} = ${JSON.stringify(value)}: ${allowed}`);
  if (!isToken(r.type) && !(DNS_RECORD_TYPES as readonly string[]).includes(r.type))
    throw fail('type', r.type, `must be one of ${DNS_RECORD_TYPES.join(', ')}`);
  if (!Token.isUnresolved(r.name) && !RECORD_NAME.test(r.name))
    throw fail('name', r.name, 'must be a fully qualified DNS name such as "api.example.com"');
  if (r.ttl !== undefined && !isToken(r.ttl) && !(Number.isInteger(r.ttl) && r.ttl >= 60 && r.ttl <= 86400))
    throw fail('ttl', r.ttl, 'must be a whole number of seconds from 60 to 86400');
  if (isKnownList(r.values) && r.values.length === 0) throw fail('values', r.values, 'must hold at least one value');
  if (r.type === 'ALIAS' && isKnownList(r.values) && r.values.length !== 1)
    throw fail('values', r.values, 'an ALIAS record has exactly one target');
}

/** The Terraform shape of a record (every attribute present, so for_each values share one object type). */
export function toTf(r: DnsRecord): TfDnsRecord {
  return { name: r.name, type: r.type, values: r.values, ttl: r.ttl ?? 300, purpose: r.purpose, alias_zone_id: r.aliasZoneId ?? null };
}

/** Validates a concrete set and returns it as the for_each map (a token set passes through). */
export function recordMap(where: string, set: DnsRecordSet): Record<string, TfDnsRecord> | IResolvable {
  if (Token.isUnresolved(set)) return set as IResolvable;
  const out: Record<string, TfDnsRecord> = {};
  for (const [key, r] of Object.entries(set as Record<string, DnsRecord>)) {
    check(`${where}["${key}"]`, r);
    out[key] = toTf(r);
  }
  return out;
}

/** `records` (a list with a `key` per element, as the module takes it) as a record set. */
export function keyedRecords(list: readonly KeyedDnsRecord[] | IResolvable): DnsRecordSet {
  if (!isKnownList(list)) {
    return overList(list).forExpressionForMap('val.key', 'val');
  }
  const out: Record<string, DnsRecord> = {};
  for (const r of list as KeyedDnsRecord[]) {
    if (out[r.key]) throw new ConfigError(`records: the key "${r.key}" is used twice; every record needs its own key`);
    out[r.key] = {
      name: r.name,
      type: r.type as DnsRecordType,
      values: r.values,
      ttl: r.ttl,
      purpose: r.purpose ?? '',
      aliasZoneId: r.alias_zone_id ?? undefined,
    };
  }
  return out;
}

// ---- manual -------------------------------------------------------------------------------------------

export interface ManualDnsProviderProps {
  /**
   * Name of the Terraform output listing the records (`<name>_table` holds the printable table).
   * @default "dns_records"
   */
  readonly outputName?: string;
}

/**
 * Emits NO DNS resources: the records to create at your DNS host are a Terraform output (one row per
 * value: name, type, value, ttl, purpose) and a printable table. ACM validation still waits for them
 * (`aws_acm_certificate_validation`), so the apply blocks until you have created them.
 */
export class ManualDnsProvider extends Construct implements DnsProvider {
  readonly kind = 'manual' as const;
  /** The output with the records (a list of {name, type, value, ttl, purpose}). */
  readonly recordsOutput: TerraformOutput;
  readonly tableOutput: TerraformOutput;
  private readonly parts: unknown[][] = [];

  constructor(scope: Construct, id: string, props: ManualDnsProviderProps = {}) {
    super(scope, id);
    const name = props.outputName ?? 'dns_records';
    this.recordsOutput = new TerraformOutput(this, 'records', {
      value: Lazy.anyValue({ produce: () => concatLists(...this.parts) }),
      description:
        'DNS records to create at your DNS host (dns.provider = "manual"); the apply waits for the certificate validation records.',
    });
    this.recordsOutput.overrideLogicalId(name);
    this.tableOutput = new TerraformOutput(this, 'table', {
      value: Lazy.anyValue({ produce: () => recordsTable(concatLists(...this.parts)) }),
      description: 'The same records as a printable table.',
    });
    this.tableOutput.overrideLogicalId(`${name}_table`);
  }

  addRecord(id: string, record: DnsRecord): DnsRecordsAdded {
    return this.addRecords(id, { [id]: record });
  }

  addRecords(id: string, records: DnsRecordSet): DnsRecordsAdded {
    this.parts.push(recordRows(recordMap(id, records)));
    return { dependables: [] };
  }
}

// ---- route53 ------------------------------------------------------------------------------------------

export interface Route53DnsProviderProps {
  /** The hosted zone the records go in. */
  readonly zoneId: string;
}

/** `aws_route53_record` per record in one hosted zone; ALIAS becomes an alias A record. */
export class Route53DnsProvider extends Construct implements DnsProvider {
  readonly kind = 'route53' as const;
  readonly zoneId: string;

  constructor(scope: Construct, id: string, props: Route53DnsProviderProps) {
    super(scope, id);
    if (!isToken(props.zoneId) && !/^[A-Z0-9]{5,32}$/.test(props.zoneId)) {
      throw new ConfigError(`dns.zoneId = ${JSON.stringify(props.zoneId)}: must be a Route53 hosted zone id such as "Z0123456789ABC"`);
    }
    this.zoneId = props.zoneId;
  }

  addRecord(id: string, record: DnsRecord): DnsRecordsAdded {
    return this.addRecords(id, { [id]: record });
  }

  addRecords(id: string, records: DnsRecordSet): DnsRecordsAdded {
    const it = TerraformIterator.fromMap(recordMap(id, records) as unknown as Record<string, unknown>);
    const alias = `each.value.type == "ALIAS"`;
    const record = new Route53Record(this, id, {
      forEach: it,
      zoneId: this.zoneId,
      name: it.getString('name'),
      type: Token.asString(Fn.conditional(Op.eq(it.getString('type'), 'ALIAS'), 'A', it.getString('type'))),
      ttl: Token.asNumber(Fn.conditional(Op.eq(it.getString('type'), 'ALIAS'), null, it.getNumber('ttl'))),
      records: Token.asList(Fn.conditional(Op.eq(it.getString('type'), 'ALIAS'), null, it.getList('values'))),
    });
    // The alias block exists only for ALIAS records. One resource (not one per kind filtered by type): a
    // record's type may be unknown at plan time (ACM's resource_record_type), and for_each keys may not
    // depend on it. The bindings cannot render a single nested block as `dynamic`, hence the override.
    record.addOverride('dynamic.alias', {
      for_each: `\${${alias} ? [1] : []}`,
      content: { name: '${element(each.value.values, 0)}', zone_id: '${each.value.alias_zone_id}', evaluate_target_health: true },
    });
    return { dependables: [record] };
  }
}

// ---- cloudflare ---------------------------------------------------------------------------------------

/**
 * The Cloudflare bindings, loaded on first use: they bring their own copy of the CDK core (the `cdktf`
 * alias of cdktn), which costs every synth ~0.4 s of start-up when loaded eagerly (`npm run bench:synth`).
 */
function cloudflareBindings(): { DnsRecord: typeof CloudflareRecord; CloudflareProvider: typeof CloudflareProvider } {
  return {
    DnsRecord: (require('@cdktf/provider-cloudflare/lib/dns-record') as typeof import('@cdktf/provider-cloudflare/lib/dns-record'))
      .DnsRecord,
    CloudflareProvider: (require('@cdktf/provider-cloudflare/lib/provider') as typeof import('@cdktf/provider-cloudflare/lib/provider'))
      .CloudflareProvider,
  };
}

export interface CloudflareDnsProviderProps {
  /** The Cloudflare zone id (32 hex characters). */
  readonly zoneId: string;
  /**
   * Declare the `cloudflare` provider configuration here. It carries no token: the provider reads
   * `CLOUDFLARE_API_TOKEN` from the environment of the process that runs Terraform (never config or state).
   * Turn off when the stack configures the provider itself.
   * @default true
   */
  readonly configureProvider?: boolean;
}

/**
 * `cloudflare_dns_record` (cloudflare/cloudflare 5.14 through `@cdktf/provider-cloudflare`) per value,
 * never proxied (the ALB and SES/ACM verifiers need the real answers). TXT content is quoted as
 * Cloudflare requires, MX values split into priority and content, ALIAS written as a CNAME.
 */
export class CloudflareDnsProvider extends Construct implements DnsProvider {
  readonly kind = 'cloudflare' as const;
  readonly zoneId: string;
  readonly provider?: CloudflareProvider;

  constructor(scope: Construct, id: string, props: CloudflareDnsProviderProps) {
    super(scope, id);
    if (!isToken(props.zoneId) && !/^[a-f0-9]{32}$/.test(props.zoneId)) {
      throw new ConfigError(`dns.zoneId = ${JSON.stringify(props.zoneId)}: must be a Cloudflare zone id (32 hex characters)`);
    }
    this.zoneId = props.zoneId;
    if (props.configureProvider ?? true) this.provider = new (cloudflareBindings().CloudflareProvider)(this, 'provider', {});
  }

  addRecord(id: string, record: DnsRecord): DnsRecordsAdded {
    return this.addRecords(id, { [id]: record });
  }

  addRecords(id: string, records: DnsRecordSet): DnsRecordsAdded {
    const it = TerraformIterator.fromMap(cloudflareEntries(recordMap(id, records), this.zoneId) as Record<string, unknown>);
    const record = new (cloudflareBindings().DnsRecord)(this, id, {
      forEach: it,
      zoneId: it.getString('zone_id'),
      name: it.getString('name'),
      type: it.getString('type'),
      content: it.getString('content'),
      priority: it.getNumber('priority'),
      ttl: it.getNumber('ttl'),
      comment: it.getString('comment'),
      proxied: false,
    });
    return { dependables: [record] };
  }
}

// ---- the dns-external module ----------------------------------------------------------------------------

/**
 * The `dns-external` module: Route53 records (dns_provider "route53"), or none ("manual", "cloudflare")
 * with the records as outputs: a table to create by hand, and the exact arguments of `cloudflare_dns_record`
 * for a `for_each` in the caller (the module itself does not require the cloudflare provider).
 */
export class ExternalDns extends Construct {
  readonly outputs: ModuleOutputs<typeof dnsExternalDefinition>;

  constructor(scope: Construct, id: string, props: DnsExternalInputs) {
    super(scope, id);
    const p: Required<DnsExternalInputs> = resolveInputs(dnsExternalDefinition, props, id);
    const set = keyedRecords(p.records as KeyedDnsRecord[]);
    const map = recordMap(`${id}.records`, set);
    const route53 = eq(p.dnsProvider, 'route53');
    let fqdns: unknown = [];
    if (route53 !== false) {
      const selected: DnsRecordSet =
        route53 === true ? set : overList(p.records).forExpressionForMap('val.key', `val if ${Token.asString(route53)}`);
      const added = new Route53DnsProvider(this, 'route53', { zoneId: p.zoneId as string }).addRecords('records', selected);
      fqdns = TerraformIterator.fromResources(added.dependables[0] as Route53Record).pluckProperty('fqdn');
    }
    const rows = recordRows(map);
    this.outputs = {
      records: rows,
      records_table: recordsTable(rows),
      cloudflare_records: cloudflareEntries(map, p.zoneId as string),
      route53_fqdns: fqdns,
    };
  }
}
