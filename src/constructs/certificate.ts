/**
 * An ACM certificate validated by DNS through a {@link DnsProvider}: a regional certificate for the ALB's
 * origin name, or (with the us-east-1 provider alias) a certificate for a new CloudFront alias.
 */
import { Construct } from 'constructs';
import { AcmCertificate } from '@cdktn/provider-aws/lib/acm-certificate';
import { AcmCertificateValidation } from '@cdktn/provider-aws/lib/acm-certificate-validation';
import { AwsProvider, type AwsProviderConfig } from '@cdktn/provider-aws/lib/provider';
import { TerraformIterator, TerraformStack, type TerraformProvider } from 'cdktn';
import { ConfigError, isToken } from '../modules/module';
import type { DnsProvider, DnsRecordsAdded } from './dns';

export const KEY_ALGORITHMS = ['RSA_2048', 'EC_prime256v1'] as const;
export type KeyAlgorithm = (typeof KEY_ALGORITHMS)[number];

const CERT_NAME = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const DURATION = /^[1-9][0-9]*(s|m|h)$/;

export interface CertificateProps {
  /** The name the certificate is for, e.g. `origin-api.example.com` (a leading `*.` for a wildcard). */
  readonly domainName: string;
  /**
   * More names on the same certificate.
   * @default []
   */
  readonly subjectAlternativeNames?: string[];
  /** Where the validation CNAMEs go. */
  readonly dns: DnsProvider;
  /**
   * Key algorithm. RSA_2048 is ACM's default and what every client and CloudFront accepts; EC_prime256v1
   * gives smaller, faster handshakes (ALB and CloudFront both support it).
   * @default "RSA_2048"
   */
  readonly keyAlgorithm?: KeyAlgorithm;
  /**
   * Make the apply wait until ACM has issued the certificate (`aws_acm_certificate_validation`), so
   * listeners and distributions never get an unvalidated certificate. With the manual DNS provider this
   * is where the apply blocks until you have created the records.
   * @default true
   */
  readonly waitForValidation?: boolean;
  /**
   * How long the apply waits for validation (a Terraform duration such as "45m" or "2h").
   * @default "75m" (the provider's default)
   */
  readonly validationTimeout?: string;
  /**
   * The aws provider to create the certificate with: `usEast1Provider(scope)` for CloudFront aliases.
   * @default the stack's default aws provider
   */
  readonly provider?: TerraformProvider;
  /**
   * Tags of the certificate.
   * @default {}
   */
  readonly tags?: Record<string, string>;
}

/** An ACM certificate with DNS validation; {@link Certificate.arn} is safe to attach (issued when validated). */
export class Certificate extends Construct {
  readonly certificate: AcmCertificate;
  readonly validation?: AcmCertificateValidation;
  /** The validation records, for ordering. */
  readonly validationRecords: DnsRecordsAdded;
  /** The certificate ARN, read from the validation resource when waiting (so users wait for ISSUED). */
  readonly arn: string;

  constructor(scope: Construct, id: string, props: CertificateProps) {
    super(scope, id);
    const names = [props.domainName, ...(props.subjectAlternativeNames ?? [])];
    for (const [i, n] of names.entries()) {
      if (!isToken(n) && !CERT_NAME.test(n)) {
        const field = i === 0 ? 'domainName' : `subjectAlternativeNames[${i - 1}]`;
        throw new ConfigError(
          `${id}.${field} = ${JSON.stringify(n)}: must be a lower-case domain name such as "api.example.com" (optionally "*." first)`,
        );
      }
    }
    const keyAlgorithm = props.keyAlgorithm ?? 'RSA_2048';
    if (!(KEY_ALGORITHMS as readonly string[]).includes(keyAlgorithm)) {
      throw new ConfigError(`${id}.keyAlgorithm = ${JSON.stringify(keyAlgorithm)}: must be one of ${KEY_ALGORITHMS.join(', ')}`);
    }
    if (props.validationTimeout !== undefined && !DURATION.test(props.validationTimeout)) {
      throw new ConfigError(
        `${id}.validationTimeout = ${JSON.stringify(props.validationTimeout)}: must be a duration such as "45m" or "2h"`,
      );
    }

    this.certificate = new AcmCertificate(this, 'this', {
      provider: props.provider,
      domainName: props.domainName,
      subjectAlternativeNames: props.subjectAlternativeNames?.length ? props.subjectAlternativeNames : undefined,
      validationMethod: 'DNS',
      keyAlgorithm,
      tags: props.tags,
      // A listener or distribution keeps its certificate until the new one exists.
      lifecycle: { createBeforeDestroy: true },
    });

    // One record per validated name, keyed by domain_name (known at plan time, as in the provider's docs:
    // aws_acm_certificate "DNS Validation with Route 53"). `*.x` shares its record with `x`: drop the duplicate.
    const shared = names.filter((n) => !isToken(n) && n.startsWith('*.') && names.includes(n.slice(2)));
    const filter = shared.length ? ` if !contains(${JSON.stringify(shared)}, val.domain_name)` : '';
    const records = TerraformIterator.fromList(this.certificate.domainValidationOptions).forExpressionForMap(
      'val.domain_name',
      `{ name = val.resource_record_name, type = val.resource_record_type, values = [val.resource_record_value], ttl = 300, purpose = format("ACM validation of the certificate for %s", val.domain_name), alias_zone_id = null }${filter}`,
    );
    this.validationRecords = props.dns.addRecords(`${id}_validation`.replace(/[^a-zA-Z0-9_-]/g, '_'), records);

    if (props.waitForValidation ?? true) {
      this.validation = new AcmCertificateValidation(this, 'validation', {
        provider: props.provider,
        certificateArn: this.certificate.arn,
        timeouts: props.validationTimeout ? { create: props.validationTimeout } : undefined,
        dependsOn: this.validationRecords.dependables.length ? this.validationRecords.dependables : undefined,
      });
      this.arn = this.validation.certificateArn;
    } else {
      this.arn = this.certificate.arn;
    }
  }
}

/**
 * The `aws` provider configuration aliased `us_east_1` (CloudFront only takes certificates from
 * us-east-1), created once per stack. `settings` should repeat the default provider's (tags, roles).
 */
export function usEast1Provider(scope: Construct, settings: Omit<AwsProviderConfig, 'alias' | 'region'> = {}): AwsProvider {
  const stack = TerraformStack.of(scope);
  const existing = stack.node.tryFindChild('aws_us_east_1');
  if (existing) return existing as AwsProvider;
  return new AwsProvider(stack, 'aws_us_east_1', { ...settings, alias: 'us_east_1', region: 'us-east-1' });
}
