/**
 * The email section of the config, the email tier, and the DNS factory, through the Cloudflare example
 * (examples/cloudflare): every record goes to Cloudflare, none to Route53.
 */
import { IamRole } from '@cdktn/provider-aws/lib/iam-role';
import { Lb } from '@cdktn/provider-aws/lib/lb';
import cloudflareExample from '../../examples/cloudflare/backplane.config';
import { resolveConfig, type BackplaneConfigInput } from '../../src/config';
import { CloudflareDnsProvider, ManualDnsProvider, Route53DnsProvider } from '../../src/constructs/dns';
import { AwsContext } from '../../src/constructs/iam';
import { createDnsProvider, dnsProviderEnvironment, formatDnsTable, loadBalancerRecord, originCertificate } from '../../src/presets/dns';
import { emailTier } from '../../src/presets/email-tier';
import type { TierContext } from '../../src/presets/tier';
import { res, synth, thrown, typesStartingWith } from '../dns/synth';

const example = cloudflareExample as BackplaneConfigInput;
const withEmail = (email: unknown): BackplaneConfigInput => ({ ...example, email }) as BackplaneConfigInput;

describe('email configuration', () => {
  it('fills the defaults of an empty email section', () => {
    const c = resolveConfig(withEmail({}));
    expect(c.email).toEqual({
      from: 'no-reply',
      mailFromSubdomain: 'mail',
      dmarc: { policy: 'none', createRecord: true },
      events: { destination: 'sns', types: ['BOUNCE', 'COMPLAINT'] },
      restrictFromAddress: true,
      sandboxRecipients: [],
    });
    expect(resolveConfig(withEmail(undefined)).email).toBeUndefined();
  });

  it('refuses bad values, naming the field, the value and what is allowed', () => {
    const refusal = (email: unknown) => thrown(() => resolveConfig(withEmail(email)));
    expect(refusal({ dmarc: { policy: 'strict' } })).toMatch(
      /email\.dmarc\.policy = "strict": must be one of "none", "quarantine", "reject"/,
    );
    expect(refusal({ events: { destination: 'sqs' } })).toMatch(
      /email\.events\.destination = "sqs": must be one of "sns", "eventbridge", "none"/,
    );
    expect(refusal({ events: { types: ['BOUNCE', 'OPENED'] } })).toMatch(
      /email\.events\.types\.1 = "OPENED": must be one of "SEND", "REJECT", "BOUNCE"/,
    );
    expect(refusal({ from: 'no reply@x' })).toMatch(/email\.from = "no reply@x": must be the part of an address before "@"/);
    expect(refusal({ mailFromSubdomain: 'Mail.' })).toMatch(
      /email\.mailFromSubdomain = "Mail\.": must be a DNS label such as "mail" or "bounce"/,
    );
    expect(refusal({ sandboxRecipients: ['nobody'] })).toMatch(/email\.sandboxRecipients\.0 = "nobody": must be an email address/);
    expect(refusal({ domain: 'Example.com' })).toMatch(/email\.domain = "Example\.com": must be a lower-case domain name/);
    expect(refusal({ dmarc: { reportsTo: 'a@example.com' } })).toMatch(/email\.dmarc\.reportsTo: unknown setting/);
  });
});

describe('the Cloudflare example through the DNS factory, the certificate and the email tier', () => {
  const config = resolveConfig(example);
  let env: Record<string, string> = {};
  const json = synth((stack) => {
    const aws = new AwsContext(stack, 'context');
    const ctx: TierContext = {
      scope: stack,
      config,
      prefix: 'shop-dev',
      tags: { app: 'shop' },
      protect: false,
      network: undefined as never,
      aws,
    };
    const dns = createDnsProvider(stack, config.dns);
    expect(dns).toBeInstanceOf(CloudflareDnsProvider);
    const lb = new Lb(stack, 'lb', { name: 'shop-dev' });
    originCertificate(ctx, dns, 'api.example.com');
    loadBalancerRecord(dns, 'api.example.com', lb);
    const tier = emailTier(ctx, dns);
    env = tier.environment as Record<string, string>;
    tier.allow!({ label: 'api', role: new IamRole(stack, 'task_role', { name: 'shop-dev-task', assumeRolePolicy: '{}' }) });
  }, config.region);

  it('creates the API, ACM validation and SES records in Cloudflare and no Route53 resource', () => {
    expect(typesStartingWith(json, 'aws_route53')).toEqual([]);
    expect(Object.keys(json.resource.cloudflare_dns_record).sort()).toEqual(['dns_api', 'dns_email', 'dns_origin_certificate_validation']);
    expect(res(json, 'cloudflare_dns_record', 'dns_api').for_each.api).toMatchObject({
      name: 'api.example.com',
      type: 'CNAME',
      zone_id: '023e105f4ecef8ad9ca31a8372d0c353',
    });
    expect(Object.keys(res(json, 'cloudflare_dns_record', 'dns_email').for_each).sort()).toEqual([
      'dkim_1',
      'dkim_2',
      'dkim_3',
      'dmarc',
      'mail_from_mx',
      'mail_from_spf',
    ]);
    expect(res(json, 'cloudflare_dns_record', 'dns_email').for_each.dmarc.content).toBe(
      '"v=DMARC1; p=none; rua=mailto:dmarc-reports@example.com"',
    );
    expect(res(json, 'aws_acm_certificate_validation', 'origin_certificate_validation').depends_on).toEqual([
      'cloudflare_dns_record.dns_origin_certificate_validation',
    ]);
  });

  it('gives the app EMAIL_FROM and EMAIL_CONFIGURATION_SET and lets consumers send', () => {
    expect(env.EMAIL_FROM).toBe('hello@example.com');
    expect(env.EMAIL_CONFIGURATION_SET).toMatch(/^\$\{TfToken\[/);
    expect(res(json, 'aws_iam_role_policy', 'email_grant_api').role).toBe('${aws_iam_role.task_role.name}');
    expect(res(json, 'aws_sesv2_email_identity', 'email_identity').email_identity).toBe('example.com');
    expect(res(json, 'aws_sesv2_email_identity_mail_from_attributes', 'email_mail_from').mail_from_domain).toBe('mail.example.com');
  });
});

describe('DNS factory helpers', () => {
  it('builds the provider the config names', () => {
    synth((stack) => {
      expect(createDnsProvider(stack, { provider: 'manual', waitForValidation: true }, 'm')).toBeInstanceOf(ManualDnsProvider);
      expect(createDnsProvider(stack, { provider: 'route53', zoneId: 'Z0123456789ABC' }, 'r')).toBeInstanceOf(Route53DnsProvider);
    });
  });

  it('turns off the validation wait only for manual DNS with waitForValidation: false', () => {
    const config = resolveConfig({ ...example, dns: { provider: 'manual', waitForValidation: false } });
    const json = synth((stack) => {
      const ctx = {
        scope: stack,
        config,
        prefix: 'shop-dev',
        tags: {},
        protect: false,
        network: undefined as never,
        aws: undefined as never,
      };
      originCertificate(ctx, createDnsProvider(stack, config.dns), 'api.example.com');
    });
    expect(json.resource.aws_acm_certificate_validation).toBeUndefined();
    expect(Object.keys(json.resource)).toEqual(['aws_acm_certificate']);
  });

  it('hands the Cloudflare token from the named variable to Terraform as CLOUDFLARE_API_TOKEN, and says which is missing', () => {
    const dns = { provider: 'cloudflare', zoneId: '023e105f4ecef8ad9ca31a8372d0c353', apiTokenEnv: 'MY_CF_TOKEN' } as const;
    expect(dnsProviderEnvironment(dns, { MY_CF_TOKEN: 'secret' })).toEqual({ CLOUDFLARE_API_TOKEN: 'secret' });
    expect(thrown(() => dnsProviderEnvironment(dns, {}))).toMatch(
      /dns\.apiTokenEnv = "MY_CF_TOKEN": the environment variable MY_CF_TOKEN is not set/,
    );
    expect(dnsProviderEnvironment({ provider: 'manual', waitForValidation: true }, {})).toEqual({});
  });

  it('prints the manual records as an aligned table', () => {
    expect(
      formatDnsTable([
        { name: 'mail.example.com', type: 'MX', value: '10 feedback-smtp.us-east-1.amazonses.com', purpose: 'MAIL FROM' },
        { name: '_dmarc.example.com', type: 'TXT', value: 'v=DMARC1; p=none', purpose: 'DMARC' },
      ]),
    ).toBe(
      [
        'TYPE  NAME                VALUE                                     PURPOSE',
        'MX    mail.example.com    10 feedback-smtp.us-east-1.amazonses.com  MAIL FROM',
        'TXT   _dmarc.example.com  v=DMARC1; p=none                          DMARC',
      ].join('\n'),
    );
    expect(formatDnsTable([])).toBe('No DNS records to create.');
  });
});
