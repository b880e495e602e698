/**
 * DNS and certificates for the preset: the {@link DnsProvider} chosen by `config.dns`, the certificates
 * validated through it, the API record, and what the CLI needs around them (the environment for the
 * Cloudflare provider, the printable table of manual records).
 */
import type { Construct } from 'constructs';
import type { AwsProviderConfig } from '@cdktn/provider-aws/lib/provider';
import type { DnsConfig } from '../config/edge';
import { ConfigError } from '../config/errors';
import { Certificate, usEast1Provider, type KeyAlgorithm } from '../constructs/certificate';
import { CloudflareDnsProvider, ManualDnsProvider, Route53DnsProvider, type DnsProvider, type DnsRecordsAdded } from '../constructs/dns';
import type { TierContext } from './tier';

/** The DNS provider `config.dns` asks for. Create ONE per stack and hand it to everything that needs records. */
export function createDnsProvider(scope: Construct, dns: DnsConfig, id = 'dns'): DnsProvider {
  switch (dns.provider) {
    case 'manual':
      return new ManualDnsProvider(scope, id);
    case 'route53':
      return new Route53DnsProvider(scope, id, { zoneId: dns.zoneId });
    case 'cloudflare':
      return new CloudflareDnsProvider(scope, id, { zoneId: dns.zoneId });
  }
}

/**
 * The environment the process running Terraform needs for the DNS provider: the Cloudflare provider reads
 * its token from CLOUDFLARE_API_TOKEN, and the config names the variable holding it (`dns.apiTokenEnv`).
 * The token never enters the config, the synthesized JSON or the state.
 */
export function dnsProviderEnvironment(dns: DnsConfig, env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  if (dns.provider !== 'cloudflare') return {};
  const token = env[dns.apiTokenEnv];
  if (!token) {
    throw new ConfigError(
      `dns.apiTokenEnv = "${dns.apiTokenEnv}": the environment variable ${dns.apiTokenEnv} is not set. Export a Cloudflare API token with the "Zone / DNS / Edit" permission for the zone, e.g. export ${dns.apiTokenEnv}=...`,
    );
  }
  return { CLOUDFLARE_API_TOKEN: token };
}

export interface PresetCertificateOptions {
  /**
   * Key algorithm of the certificate.
   * @default "RSA_2048"
   */
  readonly keyAlgorithm?: KeyAlgorithm;
  /**
   * How long the apply waits for validation.
   * @default "75m"
   */
  readonly validationTimeout?: string;
}

/** With `dns.provider = "manual"` the user may turn the wait off (`waitForValidation: false`). */
const waits = (dns: DnsConfig) => dns.provider !== 'manual' || dns.waitForValidation;

/** The regional certificate for the ALB's origin name, validated through `dns`. Its `arn` goes on the HTTPS listener. */
export function originCertificate(
  ctx: TierContext,
  dns: DnsProvider,
  originName: string,
  options: PresetCertificateOptions = {},
): Certificate {
  return new Certificate(ctx.scope, 'origin_certificate', {
    domainName: originName,
    dns,
    waitForValidation: waits(ctx.config.dns),
    keyAlgorithm: options.keyAlgorithm,
    validationTimeout: options.validationTimeout,
    tags: ctx.tags,
  });
}

/**
 * A us-east-1 certificate for NEW CloudFront aliases only (call it only when the preset adds an alias to the
 * distribution; existing aliases keep their certificate). Outside us-east-1 it uses the `us_east_1` provider
 * alias, configured with `providerSettings` (repeat the default provider's default tags / role).
 */
export function cloudFrontAliasCertificate(
  ctx: TierContext,
  dns: DnsProvider,
  aliases: [string, ...string[]],
  providerSettings: Omit<AwsProviderConfig, 'alias' | 'region'> = {},
  options: PresetCertificateOptions = {},
): Certificate {
  return new Certificate(ctx.scope, 'cloudfront_certificate', {
    domainName: aliases[0],
    subjectAlternativeNames: aliases.slice(1),
    dns,
    provider: ctx.config.region === 'us-east-1' ? undefined : usEast1Provider(ctx.scope, providerSettings),
    waitForValidation: waits(ctx.config.dns),
    keyAlgorithm: options.keyAlgorithm,
    validationTimeout: options.validationTimeout,
    tags: ctx.tags,
  });
}

/** `name` -> the load balancer: an alias A record on Route53, a CNAME elsewhere. */
export function loadBalancerRecord(
  dns: DnsProvider,
  name: string,
  lb: { readonly dnsName: string; readonly zoneId: string },
  id = 'api',
): DnsRecordsAdded {
  return dns.addRecord(id, {
    name,
    type: 'ALIAS',
    values: [lb.dnsName],
    aliasZoneId: lb.zoneId,
    purpose: `${name} -> the API load balancer`,
  });
}

/** One row of the manual provider's `dns_records` output. */
export interface DnsRow {
  readonly name: string;
  readonly type: string;
  readonly value: string;
  readonly ttl?: number;
  readonly purpose: string;
}

/** `terraform output -json dns_records` as an aligned table for the CLI. */
export function formatDnsTable(rows: readonly DnsRow[]): string {
  if (rows.length === 0) return 'No DNS records to create.';
  const header: DnsRow = { type: 'TYPE', name: 'NAME', value: 'VALUE', purpose: 'PURPOSE' };
  const all = [header, ...rows];
  const width = (k: 'type' | 'name' | 'value') => Math.max(...all.map((r) => r[k].length));
  const [t, n, v] = [width('type'), width('name'), width('value')];
  return all.map((r) => `${r.type.padEnd(t)}  ${r.name.padEnd(n)}  ${r.value.padEnd(v)}  ${r.purpose}`.trimEnd()).join('\n');
}
