import { z } from 'zod';
import { input, must, type Constraint } from '../modules/inputs';
import { defineModule, isToken } from '../modules/module';

const TYPES = ['CNAME', 'TXT', 'MX', 'A', 'AAAA', 'ALIAS'];
const hclTypes = `[${TYPES.map((t) => `"${t}"`).join(', ')}]`;

interface Rec {
  key: string;
  name: string;
  type: string;
  values: string[];
  ttl?: number;
  purpose?: string;
  alias_zone_id?: string | null;
}

/** `records`: each constraint rendered as a zod check and an HCL validation over the list. */
const recordRules: Constraint<Rec[]>[] = [
  {
    test: (rs) => rs.every((r) => TYPES.includes(r.type)),
    hcl: (ref) => `alltrue([for r in ${ref} : contains(${hclTypes}, r.type)])`,
    message: `must use record types ${TYPES.join(', ')}`,
  },
  {
    test: (rs) => new Set(rs.map((r) => r.key)).size === rs.length,
    hcl: (ref) => `length(distinct([for r in ${ref} : r.key])) == length(${ref})`,
    message: 'must give every record its own key',
  },
  {
    test: (rs) => rs.every((r) => /^[A-Za-z0-9_.*-]{1,128}$/.test(r.key)),
    hcl: (ref) => `alltrue([for r in ${ref} : can(regex("^[A-Za-z0-9_.*-]{1,128}$", r.key))])`,
    message: 'must use keys of letters, digits, ".", "*", "_" or "-" (they are for_each keys)',
  },
  {
    test: (rs) => rs.every((r) => r.values.length >= 1 && (r.type !== 'ALIAS' || r.values.length === 1)),
    hcl: (ref) => `alltrue([for r in ${ref} : length(r.values) >= 1 && (r.type != "ALIAS" || length(r.values) == 1)])`,
    message: 'must give every record at least one value (an ALIAS exactly one target)',
  },
  {
    test: (rs) => rs.every((r) => r.ttl === undefined || (Number.isInteger(r.ttl) && r.ttl >= 60 && r.ttl <= 86400)),
    hcl: (ref) => `alltrue([for r in ${ref} : r.ttl >= 60 && r.ttl <= 86400 && floor(r.ttl) == r.ttl])`,
    message: 'must use TTLs from 60 to 86400 seconds',
  },
];

const recordSchema = z
  .object({
    key: z.string(),
    name: z.string(),
    type: z.string(),
    values: z.array(z.string()),
    ttl: z.number().optional(),
    purpose: z.string().optional(),
    alias_zone_id: z.string().nullable().optional(),
  })
  .strict();

export const dnsExternalDefinition = defineModule({
  name: 'dns-external',
  propsName: 'DnsExternalInputs',
  description:
    'DNS records for a domain whose DNS may live outside Route53: with dns_provider "route53" they are created as `aws_route53_record` in the given zone; with "manual" or "cloudflare" the module creates NO resource at all (never a Route53 one) and returns the records: a table to create by hand at any DNS host, and the exact arguments of `cloudflare_dns_record` for a `for_each` in your root module. The module deliberately does not require the cloudflare provider, so route53 and manual users never install it (see the README example). Feed it the `dns_records` output of the `ses` module and the validation records of your ACM certificates.',
  inputs: {
    // `provider` is reserved inside module blocks (terraform: "The variable name \"provider\" is reserved").
    dns_provider: input.string({
      description:
        'Where the records go: "route53" (created here), "manual" (listed in the records/records_table outputs) or "cloudflare" (listed in cloudflare_records for your cloudflare_dns_record).',
      default: 'manual',
      constraints: [must.oneOf(['manual', 'route53', 'cloudflare'])],
    }),
    zone_id: input.optionalString({
      description:
        'The zone: a Route53 hosted zone id (required with dns_provider "route53") or a Cloudflare zone id (copied into cloudflare_records).',
      // Route53 ids are upper-case (Z0123456789ABC; moto's are too, without the Z); Cloudflare's are 32 lower-case hex.
      constraints: [
        must.optionalPattern(
          '^([A-Z0-9]{5,32}|[a-f0-9]{32})$',
          'a Route53 hosted zone id (e.g. Z0123456789ABC) or a Cloudflare zone id (32 hex characters)',
        ),
      ],
    }),
    records: input.typed<Rec[]>(
      'list(object({ key = string, name = string, type = string, values = list(string), ttl = optional(number, 300), purpose = optional(string, ""), alias_zone_id = optional(string) }))',
      '{ key: string; name: string; type: string; values: string[]; ttl?: number; purpose?: string; alias_zone_id?: string | null }[]',
      z.array(recordSchema),
      {
        description:
          'The records: `key` (a stable id known at plan time; names and values may be unknown until apply), fully qualified `name`, `type` (CNAME, TXT, MX, A, AAAA, ALIAS), `values` (MX as "10 host"; ALIAS: the target DNS name), `ttl`, `purpose` (shown to people) and, for ALIAS, `alias_zone_id`.',
        default: [],
        constraints: recordRules,
      },
    ),
  },
  checks: [
    {
      on: 'zone_id',
      involves: ['dns_provider'],
      test: (p) => p.dnsProvider !== 'route53' || isToken(p.zoneId) || (typeof p.zoneId === 'string' && /^[A-Z0-9]{5,32}$/.test(p.zoneId)),
      hcl: 'var.dns_provider != "route53" || can(regex("^[A-Z0-9]{5,32}$", coalesce(var.zone_id, "-")))',
      message: (p) =>
        `zone_id = ${JSON.stringify(p.zoneId ?? null)}: dns_provider "route53" needs the Route53 hosted zone id (e.g. Z0123456789ABC) the records go in`,
      hclMessage: 'dns_provider "route53" needs zone_id: the Route53 hosted zone id (e.g. Z0123456789ABC) the records go in.',
    },
  ],
  outputs: {
    records: {
      description: 'One row per record value: name, type, value, ttl, purpose (create these at your DNS host with dns_provider "manual").',
    },
    records_table: { description: 'The records as a printable table (`terraform output -raw ...records_table`).' },
    cloudflare_records: {
      description:
        'The arguments of one `cloudflare_dns_record` per record value, keyed for `for_each`: zone_id, name, type, content (TXT quoted, MX host), priority (MX), ttl, comment.',
    },
    route53_fqdns: { description: 'FQDNs of the Route53 records created (empty unless dns_provider is "route53").' },
  },
});
