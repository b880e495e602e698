/**
 * The price table: AWS us-east-1, on-demand, USD. Every figure the estimator uses is one named constant here,
 * with where it was read and when, copied from the project's price sheet (PRICES.md, read 2026-11). To update a
 * price, change it here (and its `source`/`read`): the estimator, `backplane cost` and docs/cost.md follow.
 */

/** One price: an amount per unit, with its source and the month it was read. */
export interface Price {
  /** USD per `unit`. */
  readonly usd: number;
  /** What one unit is, e.g. "vCPU-hour", "GB-month". */
  readonly unit: string;
  /** Where the figure was read. */
  readonly source: string;
  /** When it was read (YYYY-MM). */
  readonly read: string;
}

const READ = '2026-11';
const price = (usd: number, unit: string, source: string): Price => ({ usd, unit, source, read: READ });

/** The region every figure is for. */
export const PRICE_REGION = 'us-east-1';
/** A month is 730 hours (the AWS Pricing Calculator's convention; SST uses 720). */
export const HOURS_PER_MONTH = 730;

// ---- Fargate ------------------------------------------------------------------------------------------
const VANTAGE = 'vantage.sh/blog/fargate-pricing (us-east-1)';
export const FARGATE_ARM_VCPU_HOUR = price(0.03238, 'vCPU-hour', VANTAGE);
export const FARGATE_ARM_GB_HOUR = price(0.00356, 'GB-hour', VANTAGE);
export const FARGATE_X86_VCPU_HOUR = price(0.04048, 'vCPU-hour', `${VANTAGE}; also sst/sst service.ts cost notes`);
export const FARGATE_X86_GB_HOUR = price(0.004445, 'GB-hour', `${VANTAGE}; also sst/sst service.ts cost notes`);
export const FARGATE_EPHEMERAL_GB_HOUR_OVER_20 = price(0.000111, 'GB-hour over 20 GB', VANTAGE);
/** Fargate Spot: "about 70 % below on-demand" (a fraction of the on-demand price saved, not a price). */
export const FARGATE_SPOT_DISCOUNT = price(0.7, 'fraction below on-demand', 'AWS Fargate pricing page, as quoted by wring.co (2026-03)');

// ---- Networking -----------------------------------------------------------------------------------------
export const PUBLIC_IPV4_HOUR = price(0.005, 'address-hour', 'sst/sst service.ts cost notes; AWS VPC pricing');
export const ALB_HOUR = price(0.0225, 'hour', 'sst/sst service.ts cost notes');
export const ALB_LCU_HOUR = price(0.008, 'LCU-hour', 'sst/sst service.ts cost notes');
export const NAT_GATEWAY_HOUR = price(0.045, 'gateway-hour', 'sst/sst vpc.ts cost notes');
export const NAT_GATEWAY_GB = price(0.045, 'GB processed', 'sst/sst vpc.ts cost notes');
export const EC2_T4G_NANO_HOUR = price(0.0042, 'instance-hour', 'sst/sst vpc.ts cost notes ("ec2" NAT)');
export const VPC_ENDPOINT_AZ_HOUR = price(0.01, 'endpoint-AZ-hour', 'AWS PrivateLink pricing');
export const VPC_ENDPOINT_GB = price(0.01, 'GB processed', 'AWS PrivateLink pricing');

// ---- RDS / Aurora ---------------------------------------------------------------------------------------
export const RDS_T4G_MICRO_HOUR = price(0.016, 'instance-hour (single-AZ)', 'sst/sst postgres cost notes');
export const RDS_T4G_SMALL_HOUR = price(0.032, 'instance-hour (single-AZ)', 'infratally.com (2026)');
export const RDS_GP3_GB_MONTH = price(0.115, 'GB-month', 'sst/sst postgres cost notes');
/** Multi-AZ doubles instance and storage (a factor, not a price). */
export const RDS_MULTI_AZ_FACTOR = price(2, 'x instance and storage', 'AWS RDS pricing');
export const RDS_BACKUP_GB_MONTH_OVER_FREE = price(0.095, 'GB-month beyond 100 % of provisioned storage', 'usage.ai (2026-06)');
export const AURORA_SERVERLESS_V2_ACU_HOUR = price(0.12, 'ACU-hour', 'sst/sst aurora cost notes');
export const AURORA_STORAGE_GB_MONTH = price(0.1, 'GB-month', 'AWS Aurora pricing (SST\'s "$0.01" is a typo)');
/**
 * RDS Proxy in front of a provisioned instance: billed per vCPU of the instance, at least 2 vCPU. PRICES.md gives
 * "~$22/month for a t4g.micro per SST" (2 vCPU x 730 h x $0.015 = $21.90) and $0.015 per ACU-hour for Aurora.
 */
export const RDS_PROXY_VCPU_HOUR = price(0.015, 'vCPU-hour (min 2 vCPU)', 'sst/sst postgres cost notes (~$22/month for a t4g.micro)');
export const RDS_PROXY_MIN_VCPU = 2;
export const RDS_PROXY_ACU_HOUR = price(0.015, 'ACU-hour (min 8 ACU)', 'sst/sst aurora cost notes (~$86/month)');
export const RDS_PROXY_MIN_ACU = 8;

// ---- ElastiCache ----------------------------------------------------------------------------------------
export const ELASTICACHE_T4G_MICRO_VALKEY_HOUR = price(0.0128, 'node-hour', 'sst/sst redis cost notes');
export const ELASTICACHE_T4G_MICRO_REDIS_HOUR = price(0.016, 'node-hour', 'sst/sst redis cost notes');
export const ELASTICACHE_SERVERLESS_VALKEY_GB_HOUR = price(
  0.084,
  'GB-hour stored (100 MB minimum)',
  'AWS ElastiCache pricing (aws.eu copy), usage.ai',
);
export const ELASTICACHE_SERVERLESS_VALKEY_MIN_GB = 0.1;
export const ELASTICACHE_SERVERLESS_VALKEY_MILLION_ECPU = price(0.0023, 'million ECPU', 'AWS ElastiCache pricing (aws.eu copy), usage.ai');
export const ELASTICACHE_SERVERLESS_REDIS_GB_HOUR = price(0.125, 'GB-hour stored (1 GB minimum)', 'AWS Database Blog');
export const ELASTICACHE_SERVERLESS_REDIS_MIN_GB = 1;

// ---- Messaging, email, secrets, logs, registry, scheduling --------------------------------------------
export const SQS_STANDARD_MILLION_REQUESTS = price(0.4, 'million requests after 1 M free per month', 'AWS SQS pricing');
export const SQS_FIFO_MILLION_REQUESTS = price(0.5, 'million requests', 'cloudburn.io (2026-03)');
export const SQS_FREE_REQUESTS = 1_000_000;
export const SES_THOUSAND_EMAILS = price(0.1, '1,000 emails', 'AWS SES pricing');
export const SECRETS_MANAGER_SECRET_MONTH = price(0.4, 'secret-month', 'AWS Secrets Manager pricing');
export const SECRETS_MANAGER_10K_CALLS = price(0.05, '10,000 API calls', 'AWS Secrets Manager pricing');
export const CLOUDWATCH_LOGS_INGEST_GB = price(0.5, 'GB ingested', 'AWS CloudWatch pricing');
export const CLOUDWATCH_LOGS_STORED_GB_MONTH = price(0.03, 'GB-month stored', 'AWS CloudWatch pricing');
/** Not in PRICES.md: a standard-resolution alarm is billed per metric it watches (a metric-math alarm per metric). */
export const CLOUDWATCH_ALARM_METRIC_MONTH = price(0.1, 'alarm metric-month', 'aws.amazon.com/cloudwatch/pricing (standard resolution)');
export const ECR_GB_MONTH = price(0.1, 'GB-month stored', 'AWS ECR pricing');
export const SCHEDULER_MILLION_INVOCATIONS = price(1.0, 'million invocations after 14 M free per month', 'AWS EventBridge pricing');
export const SCHEDULER_FREE_INVOCATIONS = 14_000_000;
export const KMS_KEY_MONTH = price(1.0, 'key-month', 'AWS KMS pricing');
export const ROUTE53_ZONE_MONTH = price(0.5, 'zone-month', 'AWS Route53 pricing');

// ---- Edge and Lambda ------------------------------------------------------------------------------------
export const CLOUDFRONT_GB = price(0.085, 'GB (first 10 TB, North America; 1 TB free per month)', 'aws.amazon.com/cloudfront/pricing');
export const CLOUDFRONT_FREE_REQUESTS = 10_000_000;
export const CLOUDFRONT_FREE_GB = 1000;
export const CLOUDFRONT_10K_HTTPS_REQUESTS = price(
  0.01,
  '10,000 HTTPS requests (10 M free per month)',
  'aws.amazon.com/cloudfront/pricing',
);
export const WAF_ACL_MONTH = price(5, 'web ACL-month', 'c3x.dev');
export const WAF_RULE_MONTH = price(1, 'rule-month', 'c3x.dev');
export const WAF_MILLION_REQUESTS = price(0.6, 'million requests', 'c3x.dev');
export const LAMBDA_X86_GB_SECOND = price(0.0000166667, 'GB-second', 'cloudchipr.com');
export const LAMBDA_ARM_GB_SECOND = price(0.0000133334, 'GB-second', 'AWS Lambda pricing');
export const LAMBDA_MILLION_REQUESTS = price(0.2, 'million requests', 'AWS Lambda pricing');

/** Instance-hour prices by RDS class (single-AZ, PostgreSQL). A class missing here is reported as unpriced. */
export const RDS_INSTANCE_HOUR: Readonly<Record<string, Price>> = {
  'db.t4g.micro': RDS_T4G_MICRO_HOUR,
  'db.t4g.small': RDS_T4G_SMALL_HOUR,
};

/** vCPUs of RDS classes, for RDS Proxy billing (AWS instance-class tables: every burstable t4g class has 2 vCPU). */
export const RDS_INSTANCE_VCPUS: Readonly<Record<string, number>> = {
  'db.t4g.micro': 2,
  'db.t4g.small': 2,
  'db.t4g.medium': 2,
  'db.t4g.large': 2,
};

/** Node-hour prices by ElastiCache engine and node type. A type missing here is reported as unpriced. */
export const ELASTICACHE_NODE_HOUR: Readonly<Record<'valkey' | 'redis', Readonly<Record<string, Price>>>> = {
  valkey: { 'cache.t4g.micro': ELASTICACHE_T4G_MICRO_VALKEY_HOUR },
  redis: { 'cache.t4g.micro': ELASTICACHE_T4G_MICRO_REDIS_HOUR },
};
