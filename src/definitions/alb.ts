import { input, must, patterns } from '../modules/inputs';
import { defineModule } from '../modules/module';
import { nameInput, tagsInput } from './common';

/** TLS 1.3 policies ELB offers; the default allows TLS 1.2 fallback for older clients (CloudFront speaks 1.2/1.3). */
export const TLS_POLICIES = [
  'ELBSecurityPolicy-TLS13-1-2-2021-06',
  'ELBSecurityPolicy-TLS13-1-2-Res-2021-06',
  'ELBSecurityPolicy-TLS13-1-3-2021-06',
  'ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04',
  'ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04',
] as const;

/**
 * Requests one client IP may send in any 5-minute window before the WAF blocks it (rate-based rules count over a
 * 5-minute window by default). 100 is the floor AWS WAF accepts in every Region: 10 is allowed since August 2024, but
 * not in all of them (AWS What's New, 2024-08-30, "AWS WAF enhances rate-based rules to support lower rate limits").
 */
export const WAF_RATE_LIMIT = { min: 100, max: 2_000_000_000, default: 2000 } as const;
/** Days the ALB access logs stay in their bucket (an S3 lifecycle expiration: a positive number of days). */
export const ACCESS_LOG_RETENTION_DAYS = { min: 1, max: 3650, default: 90 } as const;

export const albDefinition = defineModule({
  name: 'alb',
  propsName: 'AlbInputs',
  description:
    'An Application Load Balancer for the API: HTTPS only (TLS 1.3 policy, HTTP redirects to HTTPS), invalid headers dropped, an IP target group with a /healthz check, and ingress only from CloudFront (its origin-facing prefix list, plus an optional secret origin header the listener requires).',
  inputs: {
    name: nameInput('the load balancer, its target group and security group'),
    vpc_id: input.string({ description: 'The VPC to place the load balancer in.' }),
    vpc_cidr: input.string({ description: 'The VPC CIDR block: the load balancer may reach targets only inside it.' }),
    subnet_ids: input.stringList({
      description: 'Subnets for the load balancer nodes: public subnets for an internet-facing ALB, private ones when internal.',
      constraints: [must.minItems(2)],
    }),
    internal: input.bool({
      description: 'An internal ALB (no public IPv4 addresses, reached through a CloudFront VPC origin) instead of an internet-facing one.',
      default: false,
    }),
    certificate_arn: input.string({
      description: 'ACM certificate (in the ALB region) for the HTTPS listener; valid for the origin name CloudFront connects to.',
      constraints: [must.pattern('^arn:aws[a-zA-Z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/.+$', 'an ACM certificate ARN')],
    }),
    ssl_policy: input.string({
      description: 'The HTTPS listener security policy (TLS 1.3 policies only).',
      default: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      constraints: [must.oneOf(TLS_POLICIES)],
    }),
    target_port: input.number({ description: 'The port the containers listen on.', default: 8080, constraints: [must.range(1, 65535)] }),
    health_check_path: input.string({
      description: 'Path the target group checks; it must answer 200-399 without authentication.',
      default: '/healthz',
      constraints: [must.pattern('^/[A-Za-z0-9._~/-]*$', 'an absolute URL path such as /healthz')],
    }),
    deregistration_delay: input.number({
      description: 'Seconds a draining target keeps serving in-flight requests before it is removed (short keeps deploys fast).',
      default: 30,
      constraints: [must.range(0, 30)],
    }),
    idle_timeout: input.number({ description: 'Idle connection timeout in seconds.', default: 60, constraints: [must.range(1, 4000)] }),
    allow_cloudfront: input.bool({
      description: "Allow HTTPS from CloudFront's origin-facing managed prefix list (com.amazonaws.global.cloudfront.origin-facing).",
      default: true,
    }),
    ingress_cidrs: input.stringList({
      description: 'Other IPv4 CIDR blocks allowed to reach the listeners (e.g. an office for a direct api.<domain> without CloudFront).',
      default: [],
      constraints: [must.eachMatches('^[0-9.]+/[0-9]+$', 'IPv4 CIDR blocks')],
    }),
    origin_verify_header_name: input.string({
      description: 'Name of the secret header CloudFront adds and the listener requires.',
      default: 'X-Origin-Verify',
      constraints: [must.pattern('^[A-Za-z0-9-]{1,64}$', 'an HTTP header name')],
    }),
    require_origin_header: input.bool({
      description:
        'Forward only requests that carry origin_verify_header_value in origin_verify_header_name (CloudFront adds it); others get 403. A plain flag, known at plan time.',
      default: false,
    }),
    origin_verify_header_value: input.optionalString({
      description:
        'The secret header value; when set, requests without it get 403 from the listener. Comes from Secrets Manager, never from config.',
      sensitive: true,
    }),
    deletion_protection: input.bool({
      description:
        'Refuse to delete the load balancer (turned on for prod). Without it, a destroy also deletes the access-log bucket with the logs in it.',
      default: false,
    }),
    waf: input.bool({
      description:
        "An AWS WAF web ACL on the load balancer: the AWS managed rule groups AWSManagedRulesCommonRuleSet, AWSManagedRulesKnownBadInputsRuleSet and AWSManagedRulesAmazonIpReputationList, and a per-IP rate limit (waf_rate_limit). Behind CloudFront the WAF sees CloudFront's addresses as the client IP.",
      default: false,
    }),
    waf_rate_limit: input.number({
      description: 'Requests one IP address may send in 5 minutes before the WAF blocks it (with waf = true).',
      default: WAF_RATE_LIMIT.default,
      constraints: [must.range(WAF_RATE_LIMIT.min, WAF_RATE_LIMIT.max)],
    }),
    access_logs: input.bool({
      description:
        'ALB access logs to a new S3 bucket "<name>-alb-logs-<account id>" (SSE-S3, public access blocked, TLS only), kept access_log_retention_days.',
      default: false,
    }),
    access_log_retention_days: input.number({
      description: 'Days the access logs are kept before S3 deletes them (with access_logs = true).',
      default: ACCESS_LOG_RETENTION_DAYS.default,
      constraints: [must.range(ACCESS_LOG_RETENTION_DAYS.min, ACCESS_LOG_RETENTION_DAYS.max)],
    }),
    tags: tagsInput(),
  },
  checks: [
    {
      on: 'require_origin_header',
      involves: ['require_origin_header'],
      test: (p) => !p.requireOriginHeader || p.originVerifyHeaderValue != null,
      hcl: '!var.require_origin_header || var.origin_verify_header_value != null',
      message: () => 'requireOriginHeader needs originVerifyHeaderValue (from Secrets Manager)',
      hclMessage: 'require_origin_header = true needs origin_verify_header_value.',
    },
  ],
  outputs: {
    arn: { description: 'Load balancer ARN.' },
    arn_suffix: { description: 'Load balancer ARN suffix (CloudWatch dimension, request-count scaling).' },
    dns_name: { description: 'Load balancer DNS name: the target of the origin record.' },
    zone_id: { description: 'Hosted zone id of the load balancer (for alias records).' },
    security_group_id: { description: 'Security group of the load balancer: the service allows ingress from it.' },
    target_group_arn: { description: 'Target group the service registers its tasks in.' },
    target_group_arn_suffix: { description: 'Target group ARN suffix (request-count scaling).' },
    https_listener_arn: { description: 'HTTPS listener ARN.' },
    web_acl_arn: { description: 'ARN of the WAF web ACL (null without waf).' },
    access_logs_bucket: { description: 'Name of the access-log bucket (null without access_logs).' },
  },
});
void patterns;
