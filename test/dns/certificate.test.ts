import { Certificate, usEast1Provider } from '../../src/constructs/certificate';
import { CloudflareDnsProvider, ManualDnsProvider, Route53DnsProvider } from '../../src/constructs/dns';
import { res, synth, thrown, typesStartingWith } from './synth';

const DVO_MAP =
  '{ for key, val in toset(tolist(aws_acm_certificate.origin_certificate.domain_validation_options)): val.domain_name => { name = val.resource_record_name, type = val.resource_record_type, values = [val.resource_record_value], ttl = 300, purpose = format("ACM validation of the certificate for %s", val.domain_name), alias_zone_id = null }';

describe('Certificate', () => {
  it('requests a DNS-validated certificate, creates its validation records through Route53 and waits for ISSUED', () => {
    let cert: Certificate | undefined;
    const json = synth((stack) => {
      const dns = new Route53DnsProvider(stack, 'dns', { zoneId: 'Z0123456789ABC' });
      cert = new Certificate(stack, 'origin_certificate', { domainName: 'origin-api.example.com', dns, tags: { app: 'shop' } });
    });
    expect(res(json, 'aws_acm_certificate', 'origin_certificate')).toMatchObject({
      domain_name: 'origin-api.example.com',
      validation_method: 'DNS',
      key_algorithm: 'RSA_2048',
      tags: { app: 'shop' },
      lifecycle: { create_before_destroy: true },
    });
    // for_each keyed by domain_name (known at plan), as in the provider's docs.
    const records = res(json, 'aws_route53_record', 'dns_origin_certificate_validation');
    expect(records.for_each).toBe(`\${${DVO_MAP} }}`);
    expect(records.zone_id).toBe('Z0123456789ABC');
    const validation = res(json, 'aws_acm_certificate_validation', 'origin_certificate_validation');
    expect(validation.certificate_arn).toBe('${aws_acm_certificate.origin_certificate.arn}');
    expect(validation.depends_on).toEqual(['aws_route53_record.dns_origin_certificate_validation']);
    // Users of the ARN wait for the validation (ISSUED), not just for the request.
    expect(cert!.arn).toBeDefined();
    expect(
      synth((stack) => {
        const c = new Certificate(stack, 'c', { domainName: 'a.example.com', dns: new ManualDnsProvider(stack, 'dns') });
        new (require('cdktn').TerraformOutput)(stack, 'arn', { value: c.arn });
      }).output!.arn.value,
    ).toBe('${aws_acm_certificate_validation.c_validation.certificate_arn}');
  });

  it('with manual DNS emits no DNS resource, lists the validation records and still waits (with the given timeout)', () => {
    const json = synth((stack) => {
      new Certificate(stack, 'origin_certificate', {
        domainName: 'origin-api.example.com',
        dns: new ManualDnsProvider(stack, 'dns'),
        validationTimeout: '2h',
      });
    });
    expect(typesStartingWith(json, 'aws_route53')).toEqual([]);
    expect(typesStartingWith(json, 'cloudflare')).toEqual([]);
    expect(res(json, 'aws_acm_certificate_validation', 'origin_certificate_validation')).toMatchObject({ timeouts: { create: '2h' } });
    expect(res(json, 'aws_acm_certificate_validation', 'origin_certificate_validation').depends_on).toBeUndefined();
    expect(String(json.output!.dns_records.value)).toContain(DVO_MAP);
  });

  it('creates the validation records in Cloudflare without the trailing dots ACM writes', () => {
    const json = synth((stack) => {
      new Certificate(stack, 'origin_certificate', {
        domainName: 'origin-api.example.com',
        dns: new CloudflareDnsProvider(stack, 'dns', { zoneId: '0123456789abcdef0123456789abcdef' }),
      });
    });
    const records = res(json, 'cloudflare_dns_record', 'dns_origin_certificate_validation');
    expect(records.proxied).toBe(false);
    expect(String(records.for_each)).toContain(DVO_MAP);
    expect(String(records.for_each)).toContain('name = trimsuffix(val.name, ".")');
    expect(res(json, 'aws_acm_certificate_validation', 'origin_certificate_validation').depends_on).toEqual([
      'cloudflare_dns_record.dns_origin_certificate_validation',
    ]);
    expect(typesStartingWith(json, 'aws_route53')).toEqual([]);
  });

  it('drops the duplicate record of a wildcard that shares its validation record with the apex', () => {
    const json = synth((stack) => {
      new Certificate(stack, 'c', {
        domainName: 'example.com',
        subjectAlternativeNames: ['*.example.com'],
        dns: new ManualDnsProvider(stack, 'dns'),
        keyAlgorithm: 'EC_prime256v1',
      });
    });
    expect(res(json, 'aws_acm_certificate', 'c')).toMatchObject({
      subject_alternative_names: ['*.example.com'],
      key_algorithm: 'EC_prime256v1',
    });
    expect(String(json.output!.dns_records.value)).toContain('alias_zone_id = null } if !contains(["*.example.com"], val.domain_name)');
  });

  it('creates a CloudFront certificate with the us-east-1 provider alias, once per stack', () => {
    const json = synth((stack) => {
      const dns = new ManualDnsProvider(stack, 'dns');
      const east = usEast1Provider(stack, { defaultTags: [{ tags: { app: 'shop' } }] });
      expect(usEast1Provider(stack)).toBe(east);
      new Certificate(stack, 'cloudfront_certificate', { domainName: 'www.example.com', dns, provider: east });
    }, 'eu-west-1');
    expect(json.provider.aws).toEqual([
      { region: 'eu-west-1' },
      { alias: 'us_east_1', region: 'us-east-1', default_tags: [{ tags: { app: 'shop' } }] },
    ]);
    expect(res(json, 'aws_acm_certificate', 'cloudfront_certificate').provider).toBe('aws.us_east_1');
    expect(res(json, 'aws_acm_certificate_validation', 'cloudfront_certificate_validation').provider).toBe('aws.us_east_1');
  });

  it('refuses bad names, key algorithms and timeouts, naming the field and the value', () => {
    const make = (props: Record<string, unknown>) => () =>
      synth((stack) => new Certificate(stack, 'cert', { domainName: 'a.example.com', dns: new ManualDnsProvider(stack, 'dns'), ...props }));
    expect(thrown(make({ domainName: 'Example.COM' }))).toMatch(/cert\.domainName = "Example\.COM": must be a lower-case domain name/);
    expect(thrown(make({ subjectAlternativeNames: ['ok.example.com', 'bad name'] }))).toMatch(
      /cert\.subjectAlternativeNames\[1\] = "bad name"/,
    );
    expect(thrown(make({ keyAlgorithm: 'RSA_1024' }))).toMatch(/cert\.keyAlgorithm = "RSA_1024": must be one of RSA_2048, EC_prime256v1/);
    expect(thrown(make({ validationTimeout: 'soon' }))).toMatch(
      /cert\.validationTimeout = "soon": must be a duration such as "45m" or "2h"/,
    );
  });
});
