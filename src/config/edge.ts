import { z } from 'zod';
import { ACCESS_LOG_RETENTION_DAYS, WAF_RATE_LIMIT } from '../definitions/alb';
import { intIn, oneOf } from './common';

const distributionId = z
  .string()
  .regex(/^[A-Z0-9]{10,20}$/, 'must be a CloudFront distribution id such as "E2QWRUHAPOMQZL" (upper-case letters and digits)');
const pathPattern = z
  .string()
  .regex(/^\/[A-Za-z0-9_\-.~/]*\*$/, 'must be a CloudFront path pattern such as "/api/*" (starts with "/", ends with "*")');

// Settings of the load balancer in front of the API, the same in both edge modes.
const loadBalancerSettings = {
  /**
   * An AWS WAF web ACL on the load balancer: AWS managed rules (common, known bad inputs, IP reputation) and a rate
   * limit per IP. About $5 per month + $1 per rule + $0.60 per million requests. In mode "attach" the load balancer
   * sees CloudFront's addresses, not the viewers': the IP reputation list and the rate limit then apply per CloudFront
   * edge address. The common rule set blocks request bodies over 8 KB (SizeRestrictions_BODY).
   */
  waf: z.boolean().default(false),
  /** With `waf`: requests one IP address may send in 5 minutes before the WAF blocks it. */
  wafRateLimit: intIn(WAF_RATE_LIMIT.min, WAF_RATE_LIMIT.max).default(WAF_RATE_LIMIT.default),
  /**
   * ALB access logs to an S3 bucket (kept accessLogRetentionDays): `<name>-<stage>-alb-logs-<account id>`, SSE-S3,
   * TLS only, billed as S3 storage. On a protected stage a destroy stops at the bucket while it holds logs.
   */
  accessLogs: z.boolean().default(false),
  /** With `accessLogs`: days the logs are kept before S3 deletes them. */
  accessLogRetentionDays: intIn(ACCESS_LOG_RETENTION_DAYS.min, ACCESS_LOG_RETENTION_DAYS.max).default(ACCESS_LOG_RETENTION_DAYS.default),
};

export const edgeSchema = z.discriminatedUnion(
  'mode',
  [
    z
      .object({
        /** Add the API to the existing distribution at `pathPattern`. */
        mode: z.literal('attach'),
        /** The id of the existing CloudFront distribution to add the API to. */
        distributionId,
        /** The committed output of `backplane cloudfront snapshot --id <ID>`, relative to the config file. */
        snapshotFile: z.string().min(1, 'must name the snapshot file written by `backplane cloudfront snapshot`'),
        /** The path pattern of the behavior added for the API (it goes before any broader pattern). */
        pathPattern: pathPattern.default('/api/*'),
        /** Id of the origin Backplane adds; change it only if the distribution already has an origin with this id. */
        apiOriginId: z
          .string()
          .regex(/^[A-Za-z0-9_.-]{1,128}$/, 'must be 1 to 128 letters, digits, ".", "_" or "-", such as "backplane-api"')
          .default('backplane-api'),
        /** Forward the viewer's Host header (AllViewer policy) instead of AllViewerExceptHostHeader. */
        forwardHostHeader: z.boolean().default(false),
        /**
         * vpc-origin: an internal ALB reached through a CloudFront VPC origin (no public IPv4, cheapest), admitting
         * only the security group CloudFront creates with it (CloudFront-VPCOrigins-Service-SG), on 443;
         * public: an internet-facing ALB locked to CloudFront's prefix list and a secret origin header.
         */
        albAccess: oneOf(['vpc-origin', 'public']).default('vpc-origin'),
        /** Step 1 of removing Backplane: apply with the API removed (the distribution exactly as the snapshot). */
        detach: z.boolean().default(false),
        /**
         * Step 2, after a detach apply: forget the distribution (a `removed { destroy = false }` block): the next
         * apply drops it from the state WITHOUT deleting it, and `destroy` then leaves the frontend alone.
         */
        release: z.boolean().default(false),
        ...loadBalancerSettings,
      })
      .strict(),
    z
      .object({
        /** Serve the API at `<subdomain>.<domain>` directly from the ALB; touches nothing that exists. */
        mode: z.literal('subdomain'),
        /** The label of the API host, <subdomain>.<domain>. */
        subdomain: z
          .string()
          .regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, 'must be a DNS label such as "api"')
          .default('api'),
        ...loadBalancerSettings,
      })
      .strict(),
  ],
  {
    error: () =>
      'edge.mode must be "attach" (add /api/* to an existing CloudFront distribution) or "subdomain" (api.<domain> straight to the ALB)',
  },
);

export const dnsSchema = z.discriminatedUnion(
  'provider',
  [
    /** Backplane outputs the records; you create them at your DNS host. The apply waits for ACM validation. */
    z
      .object({
        provider: z.literal('manual'),
        /** Wait in the apply until ACM has validated the certificate. `backplane deploy` first creates the certificate and prints the records to create, then waits (two steps; `backplane dns` prints them). */
        waitForValidation: z.boolean().default(true),
      })
      .strict(),
    z
      .object({
        /** manual (you create the records Backplane prints), route53 or cloudflare. */
        provider: z.literal('route53'),
        /** The DNS zone the records go into. */
        zoneId: z
          .string({ error: () => 'the Route53 hosted zone id is required with provider "route53", such as "Z0123456789ABC"' })
          .regex(/^Z[A-Z0-9]{4,32}$/, 'must be a Route53 hosted zone id such as "Z0123456789ABC"'),
      })
      .strict(),
    z
      .object({
        provider: z.literal('cloudflare'),
        zoneId: z
          .string({
            error: () => 'the Cloudflare zone id (32 hex characters, on the zone overview page) is required with provider "cloudflare"',
          })
          .regex(/^[a-f0-9]{32}$/, 'must be a Cloudflare zone id (32 hex characters)'),
        /** The environment variable holding the Cloudflare API token (never the token itself). */
        apiTokenEnv: z
          .string()
          .regex(/^[A-Z_][A-Z0-9_]*$/, 'must be an environment variable name')
          .default('CLOUDFLARE_API_TOKEN'),
      })
      .strict(),
  ],
  { error: () => 'dns.provider must be "manual", "route53" or "cloudflare"' },
);

export type EdgeConfig = z.output<typeof edgeSchema>;
export type DnsConfig = z.output<typeof dnsSchema>;
void oneOf;
