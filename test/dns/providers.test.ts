/**
 * Record generation of the three DNS providers. Cloudflare is checked through the typed bindings
 * (@cdktf/provider-cloudflare 13.9, cloudflare/cloudflare 5.14): no provider binary exists offline, so
 * nothing here can run `terraform init` on it.
 */
import { Lb } from '@cdktn/provider-aws/lib/lb';
import { TerraformVariable } from 'cdktn';
import { DnsRecord as CloudflareRecord } from '@cdktf/provider-cloudflare/lib/dns-record';
import { CloudflareDnsProvider, ManualDnsProvider, Route53DnsProvider, keyedRecords, type DnsRecord } from '../../src/constructs/dns';
import { res, synth, thrown, typesStartingWith } from './synth';

const ZONE_CF = '0123456789abcdef0123456789abcdef';
const SET: Record<string, DnsRecord> = {
  spf: { name: 'mail.example.com', type: 'TXT', values: ['v=spf1 include:amazonses.com ~all'], ttl: 1800, purpose: 'SPF' },
  mx: { name: 'mail.example.com.', type: 'MX', values: ['10 feedback-smtp.us-east-1.amazonses.com'], purpose: 'MAIL FROM' },
  two: { name: 'multi.example.com', type: 'A', values: ['192.0.2.1', '192.0.2.2'], purpose: 'two addresses' },
};

describe('Cloudflare DNS provider (typed bindings)', () => {
  it('writes one unproxied cloudflare_dns_record per value: TXT quoted, MX split, names without the trailing dot', () => {
    let record: CloudflareRecord | undefined;
    const json = synth((stack) => {
      const dns = new CloudflareDnsProvider(stack, 'dns', { zoneId: ZONE_CF });
      dns.addRecords('email', SET);
      record = stack.node.findAll().find((c): c is CloudflareRecord => c instanceof CloudflareRecord);
    });
    // The construct is the binding's own class, so every attribute name below comes from the 5.14 schema.
    expect(record).toBeDefined();
    expect(CloudflareRecord.tfResourceType).toBe('cloudflare_dns_record');
    expect(record!.proxiedInput).toBe(false);
    const r = res(json, 'cloudflare_dns_record', 'dns_email');
    expect(r).toMatchObject({
      proxied: false,
      zone_id: '${each.value.zone_id}',
      content: '${each.value.content}',
      priority: '${each.value.priority}',
    });
    expect(r.for_each).toEqual({
      spf: {
        zone_id: ZONE_CF,
        name: 'mail.example.com',
        type: 'TXT',
        content: '"v=spf1 include:amazonses.com ~all"',
        priority: null,
        ttl: 1800,
        comment: 'SPF',
      },
      mx: {
        zone_id: ZONE_CF,
        name: 'mail.example.com',
        type: 'MX',
        content: 'feedback-smtp.us-east-1.amazonses.com',
        priority: 10,
        ttl: 300,
        comment: 'MAIL FROM',
      },
      two_0: {
        zone_id: ZONE_CF,
        name: 'multi.example.com',
        type: 'A',
        content: '192.0.2.1',
        priority: null,
        ttl: 300,
        comment: 'two addresses',
      },
      two_1: {
        zone_id: ZONE_CF,
        name: 'multi.example.com',
        type: 'A',
        content: '192.0.2.2',
        priority: null,
        ttl: 300,
        comment: 'two addresses',
      },
    });
  });

  it('configures the cloudflare provider without a token (read from CLOUDFLARE_API_TOKEN) and pins cloudflare/cloudflare 5.14', () => {
    const json = synth((stack) => new CloudflareDnsProvider(stack, 'dns', { zoneId: ZONE_CF }).addRecords('x', SET));
    expect(json.provider.cloudflare).toEqual([{}]);
    expect(json.terraform.required_providers.cloudflare).toEqual({ source: 'cloudflare/cloudflare', version: '5.14.0' });
    expect(typesStartingWith(json, 'aws_route53')).toEqual([]);
  });

  it('turns an ALIAS to the load balancer into a CNAME whose content is the ALB DNS name', () => {
    const json = synth((stack) => {
      const lb = new Lb(stack, 'lb', { name: 'shop-dev' });
      new CloudflareDnsProvider(stack, 'dns', { zoneId: ZONE_CF }).addRecord('api', {
        name: 'api.example.com',
        type: 'ALIAS',
        values: [lb.dnsName],
        aliasZoneId: lb.zoneId,
        purpose: 'API',
      });
    });
    expect(res(json, 'cloudflare_dns_record', 'dns_api').for_each).toEqual({
      api: {
        zone_id: ZONE_CF,
        name: 'api.example.com',
        type: 'CNAME',
        content: '${trimsuffix(aws_lb.lb.dns_name, ".")}',
        priority: null,
        ttl: 300,
        comment: 'API',
      },
    });
  });

  it('renders a record list only known at apply (a module variable) with HCL: quoting, MX split, no trailing dots', () => {
    const json = synth((stack) => {
      const records = new TerraformVariable(stack, 'records', { type: 'any' });
      new CloudflareDnsProvider(stack, 'dns', { zoneId: ZONE_CF }).addRecords('all', keyedRecords(records.value));
    });
    const forEach = String(res(json, 'cloudflare_dns_record', 'dns_all').for_each);
    expect(forEach).toContain('for key, val in var.records: val.key => val');
    expect(forEach).not.toContain('toset(var.records)');
    expect(forEach).toContain('val.type == "TXT" ? format("\\"%s\\"", v)');
    expect(forEach).toContain('priority = val.type == "MX" ? tonumber(element(split(" ", v), 0)) : null');
    expect(forEach).toContain('name = trimsuffix(val.name, ".")');
    expect(forEach).toContain(`zone_id = "${ZONE_CF}"`);
  });

  it('refuses a zone id that is not 32 hex characters, naming the value', () => {
    expect(thrown(() => synth((stack) => new CloudflareDnsProvider(stack, 'dns', { zoneId: 'Z123' })))).toMatch(
      /dns\.zoneId = "Z123": must be a Cloudflare zone id \(32 hex characters\)/,
    );
  });
});

describe('Route53 DNS provider', () => {
  it('creates aws_route53_record for_each over the records, with an alias block only for ALIAS', () => {
    const json = synth((stack) => {
      const lb = new Lb(stack, 'lb', { name: 'shop-dev' });
      const dns = new Route53DnsProvider(stack, 'dns', { zoneId: 'Z0123456789ABC' });
      dns.addRecords('email', SET);
      dns.addRecord('api', { name: 'api.example.com', type: 'ALIAS', values: [lb.dnsName], aliasZoneId: lb.zoneId, purpose: 'API' });
    });
    const email = res(json, 'aws_route53_record', 'dns_email');
    expect(email.zone_id).toBe('Z0123456789ABC');
    expect(email.for_each.mx).toEqual({
      name: 'mail.example.com.',
      type: 'MX',
      values: ['10 feedback-smtp.us-east-1.amazonses.com'],
      ttl: 300,
      purpose: 'MAIL FROM',
      alias_zone_id: null,
    });
    expect(email.records).toBe('${(each.value.type == "ALIAS") ? null : each.value.values}');
    expect(email.type).toBe('${(each.value.type == "ALIAS") ? "A" : each.value.type}');
    expect(email.dynamic.alias.for_each).toBe('${each.value.type == "ALIAS" ? [1] : []}');
    const api = res(json, 'aws_route53_record', 'dns_api');
    expect(api.for_each.api).toEqual({
      name: 'api.example.com',
      type: 'ALIAS',
      values: ['${aws_lb.lb.dns_name}'],
      ttl: 300,
      purpose: 'API',
      alias_zone_id: '${aws_lb.lb.zone_id}',
    });
    expect(api.dynamic.alias.content).toEqual({
      name: '${element(each.value.values, 0)}',
      zone_id: '${each.value.alias_zone_id}',
      evaluate_target_health: true,
    });
    expect(typesStartingWith(json, 'cloudflare')).toEqual([]);
  });

  it('refuses records it cannot create, naming the record, the field and what is allowed', () => {
    const add = (r: Partial<DnsRecord>) => () =>
      synth((stack) =>
        new Route53DnsProvider(stack, 'dns', { zoneId: 'Z0123456789ABC' }).addRecord('bad', {
          name: 'a.example.com',
          type: 'A',
          values: ['192.0.2.1'],
          purpose: 'x',
          ...r,
        }),
      );
    expect(thrown(add({ type: 'SRV' as never }))).toMatch(/bad\["bad"\]\.type = "SRV": must be one of CNAME, TXT, MX, A, AAAA, ALIAS/);
    expect(thrown(add({ ttl: 5 }))).toMatch(/\.ttl = 5: must be a whole number of seconds from 60 to 86400/);
    expect(thrown(add({ name: 'not a name' }))).toMatch(/\.name = "not a name": must be a fully qualified DNS name/);
    expect(thrown(add({ values: [] }))).toMatch(/\.values = \[\]: must hold at least one value/);
    expect(thrown(add({ type: 'ALIAS', values: ['a', 'b'] }))).toMatch(/exactly one target/);
    expect(thrown(() => synth((stack) => new Route53DnsProvider(stack, 'dns', { zoneId: 'example.com' })))).toMatch(
      /dns\.zoneId = "example\.com": must be a Route53 hosted zone id/,
    );
  });
});

describe('manual DNS provider', () => {
  it('emits no DNS resource at all, only the dns_records output (one row per value) and a printable table', () => {
    const json = synth((stack) => {
      const dns = new ManualDnsProvider(stack, 'dns');
      dns.addRecords('email', SET);
      dns.addRecord('api', { name: 'api.example.com', type: 'ALIAS', values: ['my-alb.us-east-1.elb.amazonaws.com'], purpose: 'API' });
    });
    expect(Object.keys(json.resource ?? {})).toEqual([]);
    expect(json.output!.dns_records.value).toEqual([
      { name: 'mail.example.com', type: 'TXT', value: 'v=spf1 include:amazonses.com ~all', ttl: 1800, purpose: 'SPF' },
      { name: 'mail.example.com', type: 'MX', value: '10 feedback-smtp.us-east-1.amazonses.com', ttl: 300, purpose: 'MAIL FROM' },
      { name: 'multi.example.com', type: 'A', value: '192.0.2.1', ttl: 300, purpose: 'two addresses' },
      { name: 'multi.example.com', type: 'A', value: '192.0.2.2', ttl: 300, purpose: 'two addresses' },
      { name: 'api.example.com', type: 'CNAME', value: 'my-alb.us-east-1.elb.amazonaws.com', ttl: 300, purpose: 'API' },
    ]);
    expect(json.output!.dns_records_table.value).toBe(
      [
        'TXT    mail.example.com  ->  v=spf1 include:amazonses.com ~all    # SPF',
        'MX     mail.example.com  ->  10 feedback-smtp.us-east-1.amazonses.com    # MAIL FROM',
        'A      multi.example.com  ->  192.0.2.1    # two addresses',
        'A      multi.example.com  ->  192.0.2.2    # two addresses',
        'CNAME  api.example.com  ->  my-alb.us-east-1.elb.amazonaws.com    # API',
      ].join('\n'),
    );
  });

  it('lists records only known at apply (a module variable) with a for expression over the list', () => {
    const json = synth((stack) => {
      const records = new TerraformVariable(stack, 'records', { type: 'any' });
      new ManualDnsProvider(stack, 'dns', { outputName: 'records_to_create' }).addRecords('all', keyedRecords(records.value));
    });
    expect(Object.keys(json.resource ?? {})).toEqual([]);
    expect(String(json.output!.records_to_create.value)).toMatch(
      /^\$\{concat\(flatten\(\[ ?for key, val in \{ ?for key, val in var\.records: val\.key => val ?\}: \[for v in val\.values : \{ name = trimsuffix\(val\.name, "\."\)/,
    );
    expect(json.output!.records_to_create_table).toBeDefined();
  });
});

describe('keyed record lists', () => {
  it('refuses the same key twice', () => {
    const r = { name: 'a.example.com', type: 'A', values: ['192.0.2.1'] };
    expect(
      thrown(() =>
        keyedRecords([
          { key: 'a', ...r },
          { key: 'a', ...r },
        ]),
      ),
    ).toMatch(/records: the key "a" is used twice/);
  });
});
