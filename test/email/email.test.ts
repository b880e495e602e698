import { IamRole } from '@cdktn/provider-aws/lib/iam-role';
import { CloudflareDnsProvider, ManualDnsProvider, Route53DnsProvider, type DnsProvider } from '../../src/constructs/dns';
import { Email, type EmailProps } from '../../src/constructs/email';
import { res, synth, thrown, typesStartingWith, type TfJson } from '../dns/synth';

const base: EmailProps = { name: 'shop-dev', domain: 'example.com' };
const IDENTITY_ARN = '${aws_sesv2_email_identity.email_identity.arn}';
const CONFIG_SET_ARN = '${aws_sesv2_configuration_set.email_configuration_set.arn}';

function build(props: Partial<EmailProps> = {}, dns?: (stack: any) => DnsProvider): { json: TfJson; email: Email } {
  let email!: Email;
  const json = synth((stack) => {
    email = new Email(stack, 'email', { ...base, ...props, dns: dns?.(stack) });
    const role = new IamRole(stack, 'task_role', { name: 'shop-dev-task', assumeRolePolicy: '{}' });
    email.grantSend(role, 'api');
  });
  return { json, email };
}

/** cdktn writes jsonencode(...) as HCL: `"Key" = value`. */
const hcl = (v: unknown) => String(v);

describe('Email (SES v2)', () => {
  it('verifies the domain with Easy DKIM (2048-bit), sends through a configuration set and uses a custom MAIL FROM', () => {
    const { json, email } = build();
    expect(res(json, 'aws_sesv2_email_identity', 'email_identity')).toMatchObject({
      email_identity: 'example.com',
      configuration_set_name: '${aws_sesv2_configuration_set.email_configuration_set.configuration_set_name}',
      dkim_signing_attributes: { next_signing_key_length: 'RSA_2048_BIT' },
    });
    expect(res(json, 'aws_sesv2_email_identity', 'email_identity').dkim_signing_attributes.domain_signing_private_key).toBeUndefined();
    expect(res(json, 'aws_sesv2_configuration_set', 'email_configuration_set')).toMatchObject({
      configuration_set_name: 'shop-dev',
      reputation_options: { reputation_metrics_enabled: true },
      suppression_options: { suppressed_reasons: ['BOUNCE', 'COMPLAINT'] },
    });
    expect(res(json, 'aws_sesv2_email_identity_mail_from_attributes', 'email_mail_from')).toMatchObject({
      email_identity: '${aws_sesv2_email_identity.email_identity.email_identity}',
      mail_from_domain: 'mail.example.com',
      behavior_on_mx_failure: 'USE_DEFAULT_VALUE',
    });
    expect(email.environment).toEqual({
      EMAIL_FROM: 'no-reply@example.com',
      EMAIL_CONFIGURATION_SET: expect.stringMatching(/^\$\{TfToken\[/),
    });
  });

  it('sends the 3 DKIM CNAMEs, the MAIL FROM MX and SPF, and DMARC through the DNS provider', () => {
    const { json } = build(
      { dmarcPolicy: 'quarantine', dmarcReportEmail: 'dmarc@example.com' },
      (stack) => new Route53DnsProvider(stack, 'dns', { zoneId: 'Z0123456789ABC' }),
    );
    const records = res(json, 'aws_route53_record', 'dns_email').for_each;
    expect(Object.keys(records).sort()).toEqual(['dkim_1', 'dkim_2', 'dkim_3', 'dmarc', 'mail_from_mx', 'mail_from_spf']);
    const token = (i: number) => `element(aws_sesv2_email_identity.email_identity.dkim_signing_attributes[0].tokens, ${i})`;
    expect(records.dkim_2).toMatchObject({
      name: `\${format("%s._domainkey.example.com", ${token(1)})}`,
      type: 'CNAME',
      values: [`\${format("%s.dkim.amazonses.com", ${token(1)})}`],
    });
    expect(records.mail_from_mx).toMatchObject({
      name: 'mail.example.com',
      type: 'MX',
      values: ['${format("10 feedback-smtp.%s.amazonses.com", data.aws_region.email_aws_region.name)}'],
    });
    expect(records.mail_from_spf).toMatchObject({ name: 'mail.example.com', type: 'TXT', values: ['v=spf1 include:amazonses.com ~all'] });
    expect(records.dmarc).toMatchObject({
      name: '_dmarc.example.com',
      type: 'TXT',
      values: ['v=DMARC1; p=quarantine; rua=mailto:dmarc@example.com'],
    });
  });

  it('leaves DMARC out when the domain already publishes one', () => {
    const { json } = build({ createDmarcRecord: false }, (stack) => new Route53DnsProvider(stack, 'dns', { zoneId: 'Z0123456789ABC' }));
    expect(Object.keys(res(json, 'aws_route53_record', 'dns_email').for_each)).not.toContain('dmarc');
  });

  it('with Cloudflare: quoted TXT, MX priority 10 and never a Route53 resource', () => {
    const { json } = build({}, (stack) => new CloudflareDnsProvider(stack, 'dns', { zoneId: '0123456789abcdef0123456789abcdef' }));
    const records = res(json, 'cloudflare_dns_record', 'dns_email').for_each;
    // The MX value holds the region (known at apply): Terraform splits "10 feedback-smtp.<region>.amazonses.com".
    const mx = 'format("10 feedback-smtp.%s.amazonses.com", data.aws_region.email_aws_region.name)';
    expect(records.mail_from_mx).toMatchObject({
      type: 'MX',
      priority: `\${tonumber(element(split(" ", ${mx}), 0))}`,
      content: `\${trimsuffix(element(split(" ", ${mx}), 1), ".")}`,
    });
    expect(records.mail_from_spf.content).toBe('"v=spf1 include:amazonses.com ~all"');
    expect(records.dmarc.content).toBe('"v=DMARC1; p=none"');
    expect(typesStartingWith(json, 'aws_route53')).toEqual([]);
  });

  it('with manual DNS only lists the records in the dns_records output', () => {
    const { json } = build({}, (stack) => new ManualDnsProvider(stack, 'dns'));
    expect(typesStartingWith(json, 'aws_route53')).toEqual([]);
    const rows = json.output!.dns_records.value as { name: string; type: string }[];
    expect(rows.map((r) => r.type)).toEqual(['CNAME', 'CNAME', 'CNAME', 'MX', 'TXT', 'TXT']);
  });

  it('publishes bounces and complaints to an SNS topic only SES, for this account and configuration set, may publish to', () => {
    const { json } = build();
    expect(res(json, 'aws_sns_topic', 'email_events').name).toBe('shop-dev-email-events');
    const policy = hcl(res(json, 'aws_sns_topic_policy', 'email_events_policy').policy);
    expect(policy).toContain('"Principal" = {"Service" = "ses.amazonaws.com"}');
    expect(policy).toContain('"Action" = "sns:Publish"');
    expect(policy).toContain('"aws:SourceAccount" = data.aws_caller_identity.email_aws_account.account_id');
    expect(policy).toContain('"aws:SourceArn" = aws_sesv2_configuration_set.email_configuration_set.arn');
    const destination = res(json, 'aws_sesv2_configuration_set_event_destination', 'email_sns_destination');
    expect(destination.event_destination).toEqual({
      enabled: true,
      matching_event_types: ['BOUNCE', 'COMPLAINT'],
      sns_destination: { topic_arn: '${aws_sns_topic.email_events.arn}' },
    });
    expect(destination.depends_on).toEqual(['aws_sns_topic_policy.email_events_policy']);
    expect(json.resource.aws_sesv2_configuration_set_event_destination.email_eventbridge_destination).toBeUndefined();
  });

  it('publishes to the default EventBridge bus instead, or nowhere', () => {
    const bus = build({ eventDestination: 'eventbridge', eventTypes: ['BOUNCE', 'COMPLAINT', 'DELIVERY_DELAY'] }).json;
    expect(bus.resource.aws_sns_topic).toBeUndefined();
    expect(res(bus, 'aws_sesv2_configuration_set_event_destination', 'email_eventbridge_destination').event_destination).toEqual({
      enabled: true,
      matching_event_types: ['BOUNCE', 'COMPLAINT', 'DELIVERY_DELAY'],
      event_bridge_destination: {
        event_bus_arn:
          '${format("arn:%s:events:%s:%s:event-bus/default", data.aws_partition.email_aws_partition.partition, data.aws_region.email_aws_region.name, data.aws_caller_identity.email_aws_account.account_id)}',
      },
    });
    const none = build({ eventDestination: 'none' }).json;
    expect(none.resource.aws_sesv2_configuration_set_event_destination).toBeUndefined();
    expect(none.resource.aws_sns_topic).toBeUndefined();
  });

  it('lets a role send only from the identity and through its configuration set (any sender address with restrictFromAddress off)', () => {
    const { json } = build({ restrictFromAddress: false });
    const grant = res(json, 'aws_iam_role_policy', 'email_grant_api');
    expect(grant).toMatchObject({ name: 'shop-dev-send-email', role: '${aws_iam_role.task_role.name}' });
    const policy = hcl(grant.policy);
    expect(policy).toContain('"Action" = ["ses:SendEmail", "ses:SendRawEmail"]');
    expect(policy).toContain(`"Resource" = [${IDENTITY_ARN.slice(2, -1)}, ${CONFIG_SET_ARN.slice(2, -1)}]`);
    expect(policy).not.toContain('"*"');
    expect(policy).not.toContain('ses:FromAddress');
  });

  it('pins the From address by default (ses:FromAddress)', () => {
    const policy = hcl(res(build().json, 'aws_iam_role_policy', 'email_grant_api').policy);
    expect(policy).toContain('"Condition" = {"StringEquals" = {"ses:FromAddress" = "no-reply@example.com"}}');
  });

  it('can pin the From address and, in the sandbox, verify and cover the recipients', () => {
    const { json } = build({ restrictFromAddress: true, sandboxRecipients: ['me@example.org'], senderRoleNames: ['worker-role'] });
    expect(res(json, 'aws_sesv2_email_identity', 'email_sandbox_recipient')).toMatchObject({
      for_each: '${toset(["me@example.org"])}',
      email_identity: '${each.value}',
    });
    const policy = hcl(res(json, 'aws_iam_role_policy', 'email_grant_api').policy);
    expect(policy).toContain('"Condition" = {"StringEquals" = {"ses:FromAddress" = "no-reply@example.com"}}');
    expect(policy).toContain('[ for key, val in aws_sesv2_email_identity.email_sandbox_recipient: val.arn]');
    expect(res(json, 'aws_iam_role_policy', 'email_sender')).toMatchObject({
      for_each: '${toset(["worker-role"])}',
      role: '${each.value}',
    });
  });

  it('refuses invalid settings, naming the field, the value and what is allowed', () => {
    const bad = (props: Partial<EmailProps>) => () => build(props);
    expect(thrown(bad({ domain: 'Example.com' }))).toMatch(/email\.domain = "Example\.com" must be a lower-case domain name/);
    expect(thrown(bad({ dmarcPolicy: 'strict' as never }))).toMatch(
      /email\.dmarcPolicy = "strict" must be one of none, quarantine, reject/,
    );
    expect(thrown(bad({ eventDestination: 'sqs' as never }))).toMatch(
      /email\.eventDestination = "sqs" must be one of sns, eventbridge, none/,
    );
    expect(thrown(bad({ eventTypes: ['BOUNCE', 'OOPS'] }))).toMatch(
      /email\.eventTypes = \["BOUNCE","OOPS"\] must contain only SES event types/,
    );
    expect(thrown(bad({ sandboxRecipients: ['not-an-address'] }))).toMatch(
      /email\.sandboxRecipients = \["not-an-address"\] must contain only email addresses/,
    );
  });
});
