import { input, must, patterns } from '../modules/inputs';
import { defineModule } from '../modules/module';
import { nameInput, tagsInput } from './common';

/** SES v2 event types (SESv2 API reference, EventType). */
export const SES_EVENT_TYPES = [
  'SEND',
  'REJECT',
  'BOUNCE',
  'COMPLAINT',
  'DELIVERY',
  'OPEN',
  'CLICK',
  'RENDERING_FAILURE',
  'DELIVERY_DELAY',
  'SUBSCRIPTION',
] as const;
export const SES_EVENT_DESTINATIONS = ['sns', 'eventbridge', 'none'] as const;
export const DMARC_POLICIES = ['none', 'quarantine', 'reject'] as const;
const EMAIL = '^[A-Za-z0-9._%+-]+@([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$';
const LABEL = '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$';

export const sesDefinition = defineModule({
  name: 'ses',
  propsName: 'SesInputs',
  description:
    'Sending email with SES v2 from your domain: a domain identity with Easy DKIM (2048-bit keys), a custom MAIL FROM subdomain (SPF-aligned bounces), a DMARC record, a configuration set (reputation metrics, account-level bounce/complaint suppression) whose bounce and complaint events go to an SNS topic (with a policy that lets only SES acting for this account and configuration set publish) or to the default EventBridge bus, and a send-only IAM policy scoped to the identity and the configuration set. The DNS records come out as `dns_records`, in the shape the `dns-external` module takes. New accounts start in the SES sandbox: see docs/email.md for the production-access request.',
  inputs: {
    name: nameInput('the configuration set, the event topic and the IAM policies'),
    domain: input.string({
      description: 'The domain you send from (the identity), e.g. "example.com" or "mail.example.com".',
      constraints: [must.pattern(patterns.domain, 'a lower-case domain name such as "example.com"')],
    }),
    from_local_part: input.string({
      description: 'The part before "@" of the default sender address (EMAIL_FROM = <from_local_part>@<domain>).',
      default: 'no-reply',
      constraints: [must.pattern('^[A-Za-z0-9._%+-]{1,64}$', 'the local part of an email address, e.g. "no-reply"')],
    }),
    mail_from_subdomain: input.string({
      description:
        'The custom MAIL FROM (Return-Path) subdomain label: bounces go to <label>.<domain>, which gets an MX and an SPF record.',
      default: 'mail',
      constraints: [must.pattern(LABEL, 'a DNS label such as "mail" or "bounce"')],
    }),
    behavior_on_mx_failure: input.string({
      description:
        'What SES does when the MAIL FROM MX record is missing: fall back to amazonses.com (USE_DEFAULT_VALUE) or refuse to send (REJECT_MESSAGE).',
      default: 'USE_DEFAULT_VALUE',
      constraints: [must.oneOf(['USE_DEFAULT_VALUE', 'REJECT_MESSAGE'])],
    }),
    dmarc_policy: input.string({
      description: 'The DMARC policy (p=): start with "none" and tighten to "quarantine" or "reject" once reports look clean.',
      default: 'none',
      constraints: [must.oneOf(DMARC_POLICIES)],
    }),
    dmarc_report_email: input.optionalString({
      description: 'Where aggregate DMARC reports go (rua=mailto:...); null for no reports.',
      constraints: [must.optionalPattern(EMAIL, 'an email address')],
    }),
    create_dmarc_record: input.bool({
      description:
        'Include the _dmarc TXT record in dns_records. Turn off when the domain already publishes DMARC (a name has one DMARC record).',
      default: true,
    }),
    event_destination: input.string({
      description:
        'Where bounce/complaint events go: an SNS topic this module creates ("sns"), the default EventBridge bus ("eventbridge"), or nowhere ("none").',
      default: 'sns',
      constraints: [must.oneOf(SES_EVENT_DESTINATIONS)],
    }),
    event_types: input.stringList({
      description: 'The SES event types sent to the event destination.',
      default: ['BOUNCE', 'COMPLAINT'],
      constraints: [
        must.minItems(1),
        must.eachMatches(`^(${SES_EVENT_TYPES.join('|')})$`, `SES event types (${SES_EVENT_TYPES.join(', ')})`),
      ],
    }),
    sender_role_names: input.stringList({
      description: 'IAM roles (names) that may send: each gets an inline send-only policy scoped to the identity and configuration set.',
      default: [],
      constraints: [must.eachMatches('^[A-Za-z0-9+=,.@_-]{1,64}$', 'IAM role names')],
    }),
    restrict_from_address: input.bool({
      description:
        'Require the sender to use exactly the default sender address (IAM condition ses:FromAddress); false lets the roles send as any address of the domain.',
      default: true,
    }),
    sandbox_recipients: input.stringList({
      description:
        'While the account is in the SES sandbox, mail can only go to verified addresses: each address here becomes an email identity (SES mails it a verification link) and the send policy covers it. Leave empty once production access is granted.',
      default: [],
      constraints: [must.eachMatches(EMAIL, 'email addresses')],
    }),
    tags: tagsInput(),
  },
  outputs: {
    identity_arn: { description: 'ARN of the domain identity (the resource of ses:SendEmail).' },
    domain: { description: 'The sending domain.' },
    from_address: { description: 'The default sender address: set as EMAIL_FROM.' },
    configuration_set_name: { description: 'The configuration set: set as EMAIL_CONFIGURATION_SET and pass it when sending.' },
    configuration_set_arn: { description: 'ARN of the configuration set.' },
    mail_from_domain: { description: 'The custom MAIL FROM domain.' },
    dkim_tokens: { description: 'The three Easy DKIM tokens (<token>._domainkey.<domain> CNAME <token>.dkim.amazonses.com).' },
    dns_records: {
      description:
        'Every DNS record the identity needs (3 DKIM CNAMEs, the MAIL FROM MX and SPF TXT, DMARC TXT), as the `records` of the `dns-external` module: key, name, type, values, ttl, purpose.',
    },
    event_topic_arn: { description: 'The SNS topic receiving the events; null unless event_destination is "sns".' },
    send_policy_json: { description: 'The send-only IAM policy document, to attach to other principals.' },
    environment: { description: 'The environment the app needs: EMAIL_FROM and EMAIL_CONFIGURATION_SET.' },
  },
});
