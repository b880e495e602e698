/**
 * The email tier: SES v2 from `config.email`, its DNS records through the stack's DNS provider, EMAIL_FROM
 * and EMAIL_CONFIGURATION_SET for every service built from the app image, and send permission for every
 * consumer's role (scoped to the identity and the configuration set).
 */
import type { Construct } from 'constructs';
import { TerraformOutput } from 'cdktn';
import { Email } from '../constructs/email';
import type { DnsProvider } from '../constructs/dns';
import type { Tier, TierContext } from './tier';

export interface EmailTier extends Tier {
  /** The construct (absent when `config.email` is not set). */
  readonly email?: Email;
}

export function emailTier(ctx: TierContext, dns: DnsProvider): EmailTier {
  const cfg = ctx.config.email;
  if (!cfg) return {};
  const email = new Email(ctx.scope, 'email', {
    name: ctx.prefix,
    domain: cfg.domain ?? ctx.config.domain,
    fromLocalPart: cfg.from,
    mailFromSubdomain: cfg.mailFromSubdomain,
    dmarcPolicy: cfg.dmarc.policy,
    dmarcReportEmail: cfg.dmarc.reportTo ?? null,
    createDmarcRecord: cfg.dmarc.createRecord,
    eventDestination: cfg.events.destination,
    eventTypes: [...cfg.events.types],
    restrictFromAddress: cfg.restrictFromAddress,
    sandboxRecipients: cfg.sandboxRecipients,
    tags: ctx.tags,
    dns,
    aws: ctx.aws,
  });
  return {
    email,
    environment: { ...email.environment },
    allow: (consumer) => {
      email.grantSend(consumer.role, consumer.label);
    },
  };
}

/**
 * The stack outputs of the email tier (what test/e2e/assertions/email.ts reads, and what an operator needs:
 * the sender, the configuration set, the event topic). Nothing when email is not configured.
 */
export function emailTierOutputs(scope: Construct, tier: EmailTier): void {
  const email = tier.email;
  if (!email) return;
  const out = (name: string, value: unknown, description: string) =>
    new TerraformOutput(scope, name, { value, description }).overrideLogicalId(name);
  out('email_domain', email.identity.emailIdentity, 'The SES domain identity.');
  out('email_identity_arn', email.identity.arn, 'ARN of the SES domain identity.');
  out('email_from_address', email.fromAddress, 'EMAIL_FROM: the default sender.');
  out('email_configuration_set_name', email.configurationSet.configurationSetName, 'EMAIL_CONFIGURATION_SET.');
  out('email_configuration_set_arn', email.configurationSet.arn, 'ARN of the configuration set.');
  out('email_mail_from_domain', email.mailFrom.mailFromDomain, 'The custom MAIL FROM domain.');
  out('email_dkim_tokens', email.outputs.dkim_tokens, 'The Easy DKIM tokens (their CNAMEs go through the DNS provider).');
  out('email_event_topic_arn', email.outputs.event_topic_arn, 'SNS topic of bounce/complaint events (null unless events go to SNS).');
}
