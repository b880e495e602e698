import { Construct } from 'constructs';
import type { IamRole } from '@cdktn/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktn/provider-aws/lib/iam-role-policy';
import { Sesv2ConfigurationSet } from '@cdktn/provider-aws/lib/sesv2-configuration-set';
import {
  Sesv2ConfigurationSetEventDestination,
  type Sesv2ConfigurationSetEventDestinationEventDestination,
} from '@cdktn/provider-aws/lib/sesv2-configuration-set-event-destination';
import { Sesv2EmailIdentity } from '@cdktn/provider-aws/lib/sesv2-email-identity';
import { Sesv2EmailIdentityMailFromAttributes } from '@cdktn/provider-aws/lib/sesv2-email-identity-mail-from-attributes';
import { SnsTopic } from '@cdktn/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktn/provider-aws/lib/sns-topic-policy';
import { Fn, Op, TerraformIterator, Token, type ITerraformDependable } from 'cdktn';
import { sesDefinition } from '../definitions/ses';
import { isToken, resolveInputs, type ModuleOutputs } from '../modules/module';
import { concatLists, interpolate, isKnownList, keyedRecords, type DnsProvider, type DnsRecordsAdded, type KeyedDnsRecord } from './dns';
import type { SesInputs } from './generated/ses';
import { AwsContext, rolePolicy, type PolicyStatement } from './iam';
import { attr, eq, listIf, not, optionally, withTags } from './tokens';

export interface EmailProps extends SesInputs {
  /**
   * Where the identity's DNS records (DKIM, MAIL FROM, DMARC) go.
   * @default none: the records are only in `dnsRecords` and the `dns_records` output
   */
  readonly dns?: DnsProvider;
  /**
   * Account, region and partition lookups to reuse.
   * @default its own
   */
  readonly aws?: AwsContext;
}

/** A concrete list stays a list; `[]` means nothing to create. */
const isEmpty = (list: unknown[]) => isKnownList(list) && list.length === 0;

/**
 * Sending email with SES v2 (module `ses`): domain identity with Easy DKIM, custom MAIL FROM, DMARC,
 * a configuration set with bounce/complaint events, and send permission scoped to the identity.
 * The app reads EMAIL_FROM and EMAIL_CONFIGURATION_SET ({@link Email.environment}).
 */
export class Email extends Construct {
  readonly identity: Sesv2EmailIdentity;
  readonly configurationSet: Sesv2ConfigurationSet;
  readonly mailFrom: Sesv2EmailIdentityMailFromAttributes;
  readonly topic?: SnsTopic;
  /** The event destination (none with event_destination "none"; both, with count, in the module). */
  readonly eventDestinations: Sesv2ConfigurationSetEventDestination[];
  /** `<from_local_part>@<domain>`. */
  readonly fromAddress: string;
  readonly mailFromDomain: string;
  /** The records the identity needs, in the `dns-external` module's `records` shape. */
  readonly dnsRecords: KeyedDnsRecord[];
  /** Set when a DNS provider was given. */
  readonly dnsAdded?: DnsRecordsAdded;
  /** The send-only policy statements (identity, configuration set, sandbox recipients). */
  readonly sendStatements: PolicyStatement[];
  /** The app's environment contract. */
  readonly environment: { readonly EMAIL_FROM: string; readonly EMAIL_CONFIGURATION_SET: string };
  readonly outputs: ModuleOutputs<typeof sesDefinition>;
  private readonly policyName: string;
  private readonly sendPolicy: string;

  constructor(scope: Construct, id: string, props: EmailProps) {
    super(scope, id);
    const { dns, aws, ...inputs } = props;
    const p: Required<SesInputs> = resolveInputs(sesDefinition, inputs, id);
    const ctx = aws ?? new AwsContext(this, 'aws');
    const tags = withTags(p.tags, { Name: p.name });
    this.policyName = `${p.name}-send-email`;

    // ---- configuration set and identity ----------------------------------------------------------
    this.configurationSet = new Sesv2ConfigurationSet(this, 'configuration_set', {
      configurationSetName: p.name,
      reputationOptions: { reputationMetricsEnabled: true },
      sendingOptions: { sendingEnabled: true },
      suppressionOptions: { suppressedReasons: ['BOUNCE', 'COMPLAINT'] },
      tags,
    });
    this.identity = new Sesv2EmailIdentity(this, 'identity', {
      emailIdentity: p.domain,
      // Mail from this identity uses the configuration set (and its event destination) by default.
      configurationSetName: this.configurationSet.configurationSetName,
      // Easy DKIM (no private key given): SES generates the keys; 2048-bit instead of the 1024-bit default.
      dkimSigningAttributes: { nextSigningKeyLength: 'RSA_2048_BIT' },
      tags,
    });
    this.mailFromDomain = interpolate`${p.mailFromSubdomain}.${p.domain}`;
    this.mailFrom = new Sesv2EmailIdentityMailFromAttributes(this, 'mail_from', {
      emailIdentity: this.identity.emailIdentity,
      mailFromDomain: this.mailFromDomain,
      behaviorOnMxFailure: p.behaviorOnMxFailure,
    });
    this.fromAddress = interpolate`${p.fromLocalPart}@${p.domain}`;

    // ---- DNS records ----------------------------------------------------------------------------------
    const tokens = this.identity.dkimSigningAttributes.tokens;
    const dkim = [0, 1, 2].map((i): KeyedDnsRecord => {
      const token = Token.asString(Fn.element(tokens, i));
      // Easy DKIM: <token>._domainkey.<domain> CNAME <token>.dkim.amazonses.com (SES developer guide, "Easy DKIM").
      return {
        key: `dkim_${i + 1}`,
        name: interpolate`${token}._domainkey.${p.domain}`,
        type: 'CNAME',
        values: [interpolate`${token}.dkim.amazonses.com`],
        ttl: 1800,
        purpose: `SES Easy DKIM key ${i + 1} of 3`,
      };
    });
    const dmarc =
      isToken(p.dmarcPolicy) || isToken(p.dmarcReportEmail)
        ? Token.asString(
            Fn.conditional(
              Op.eq(p.dmarcReportEmail, null),
              Fn.format('v=DMARC1; p=%s', [p.dmarcPolicy]),
              Fn.format('v=DMARC1; p=%s; rua=mailto:%s', [p.dmarcPolicy, p.dmarcReportEmail]),
            ),
          )
        : `v=DMARC1; p=${p.dmarcPolicy}${p.dmarcReportEmail ? `; rua=mailto:${p.dmarcReportEmail}` : ''}`;
    this.dnsRecords = concatLists<KeyedDnsRecord>(
      dkim,
      [
        // Custom MAIL FROM: bounces go to feedback-smtp.<region>.amazonses.com; SPF authorizes SES for it.
        {
          key: 'mail_from_mx',
          name: this.mailFromDomain,
          type: 'MX',
          values: [interpolate`10 feedback-smtp.${ctx.region}.amazonses.com`],
          ttl: 1800,
          purpose: 'SES custom MAIL FROM (bounces)',
        },
        {
          key: 'mail_from_spf',
          name: this.mailFromDomain,
          type: 'TXT',
          values: ['v=spf1 include:amazonses.com ~all'],
          ttl: 1800,
          purpose: 'SPF for the SES MAIL FROM domain',
        },
      ],
      listIf(p.createDmarcRecord, {
        key: 'dmarc',
        name: interpolate`_dmarc.${p.domain}`,
        type: 'TXT',
        values: [dmarc],
        ttl: 1800,
        purpose: 'DMARC policy',
      }),
    );
    if (dns) this.dnsAdded = dns.addRecords(id, keyedRecords(this.dnsRecords));

    // ---- events: bounces and complaints ----------------------------------------------------------------
    const sns = eq(p.eventDestination, 'sns');
    this.topic = optionally(sns, (count) => new SnsTopic(this, 'events', { count, name: `${p.name}-email-events`, tags }));
    const topicArn = attr(this.topic, 'arn');
    const topicPolicy = optionally(
      sns,
      (count) =>
        new SnsTopicPolicy(this, 'events_policy', {
          count,
          arn: topicArn,
          policy: Fn.jsonencode({
            Version: '2012-10-17',
            Statement: [
              {
                Sid: 'SesPublishesThisConfigurationSet',
                Effect: 'Allow',
                Principal: { Service: 'ses.amazonaws.com' },
                Action: 'sns:Publish',
                Resource: topicArn,
                // Confused-deputy protection: only SES acting for this account and this configuration set.
                Condition: { StringEquals: { 'aws:SourceAccount': ctx.accountId, 'aws:SourceArn': this.configurationSet.arn } },
              },
            ],
          }),
        }),
    );
    // One resource per destination kind: the bindings cannot render the single nested destination block
    // as a dynamic block, so each resource keeps a static shape and exists only for its kind.
    const destination = (
      kind: string,
      block: Partial<Sesv2ConfigurationSetEventDestinationEventDestination>,
      dependsOn?: ITerraformDependable[],
    ) =>
      optionally(
        eq(p.eventDestination, kind),
        (count) =>
          new Sesv2ConfigurationSetEventDestination(this, `${kind}_destination`, {
            count,
            configurationSetName: this.configurationSet.configurationSetName,
            eventDestinationName: `${kind}-events`,
            eventDestination: { enabled: true, matchingEventTypes: p.eventTypes, ...block },
            dependsOn,
          }),
      );
    this.eventDestinations = [
      destination('sns', { snsDestination: { topicArn } }, topicPolicy ? [topicPolicy] : undefined),
      // SES publishes to the default bus only.
      destination('eventbridge', {
        eventBridgeDestination: { eventBusArn: interpolate`arn:${ctx.partition}:events:${ctx.region}:${ctx.accountId}:event-bus/default` },
      }),
    ].filter((d): d is Sesv2ConfigurationSetEventDestination => d !== undefined);

    // ---- sending permission ------------------------------------------------------------------------
    let recipientArns: string[] = [];
    if (!isEmpty(p.sandboxRecipients)) {
      const each = TerraformIterator.fromList(p.sandboxRecipients);
      const recipients = new Sesv2EmailIdentity(this, 'sandbox_recipient', {
        forEach: each,
        emailIdentity: Token.asString(each.value),
        tags,
      });
      recipientArns = Token.asList(TerraformIterator.fromResources(recipients).pluckProperty('arn'));
    }
    const send: PolicyStatement = {
      Sid: 'SendFromTheIdentity',
      Effect: 'Allow',
      Action: ['ses:SendEmail', 'ses:SendRawEmail'],
      // SES authorizes against the identity and the configuration set (and, in the sandbox, the recipients).
      Resource: concatLists([this.identity.arn, this.configurationSet.arn], recipientArns),
    };
    this.sendStatements = concatLists<PolicyStatement>(
      listIf(p.restrictFromAddress, { ...send, Condition: { StringEquals: { 'ses:FromAddress': this.fromAddress } } }),
      listIf(not(p.restrictFromAddress), send),
    );
    this.sendPolicy = Fn.jsonencode({ Version: '2012-10-17', Statement: this.sendStatements });
    if (!isEmpty(p.senderRoleNames)) {
      const roles = TerraformIterator.fromList(p.senderRoleNames);
      new IamRolePolicy(this, 'sender', {
        forEach: roles,
        role: Token.asString(roles.value),
        name: this.policyName,
        policy: this.sendPolicy,
      });
    }

    this.environment = { EMAIL_FROM: this.fromAddress, EMAIL_CONFIGURATION_SET: this.configurationSet.configurationSetName };
    this.outputs = {
      identity_arn: this.identity.arn,
      domain: this.identity.emailIdentity,
      from_address: this.fromAddress,
      configuration_set_name: this.configurationSet.configurationSetName,
      configuration_set_arn: this.configurationSet.arn,
      mail_from_domain: this.mailFrom.mailFromDomain,
      dkim_tokens: tokens,
      dns_records: this.dnsRecords,
      event_topic_arn: topicArn,
      send_policy_json: this.sendPolicy,
      environment: this.environment,
    };
  }

  /** Lets a role (task role, Lambda role) send from the identity: one inline send-only policy. */
  grantSend(role: IamRole, label = role.node.id): IamRolePolicy {
    return rolePolicy(this, `grant_${label.replace(/[^a-zA-Z0-9_]/g, '_')}`, role, this.policyName, this.sendStatements);
  }
}
