/**
 * Every generated module: its definition, how to build its construct from module variables, and the usage
 * example its README shows. Adding a module = a definition, a construct, and an entry here.
 */
import type { Construct } from 'constructs';
import { ecrDefinition } from '../definitions/ecr';
import { Registry } from '../constructs/registry';
import { vpcDefinition } from '../definitions/vpc';
import { Network } from '../constructs/network';
import { albDefinition } from '../definitions/alb';
import { LoadBalancer } from '../constructs/load-balancer';
import { ecsServiceDefinition } from '../definitions/ecs-service';
import { Service } from '../constructs/ecs-service';
import { sqsDefinition } from '../definitions/sqs';
import { Queue } from '../constructs/queue';
import { rdsDefinition } from '../definitions/rds';
import { Database } from '../constructs/database';
import { dnsExternalDefinition } from '../definitions/dns-external';
import { ExternalDns } from '../constructs/dns';
import { sesDefinition } from '../definitions/ses';
import { Email } from '../constructs/email';
import { elasticacheDefinition } from '../definitions/elasticache';
import { Cache } from '../constructs/cache';
import type { ModuleDefinition } from './module';
import { cfOriginDefinition } from '../definitions/cf-origin';
import { CloudFrontOrigin } from '../constructs/cf-origin';

export interface CatalogEntry {
  readonly definition: ModuleDefinition;
  /** Builds the construct with `props` (tokens of the module's variables); returns its outputs. */
  readonly build: (scope: Construct, props: any) => { readonly outputs: Record<string, unknown> };
  /** The README's usage snippet. */
  readonly example: string;
}


export const catalog: CatalogEntry[] = [
  {
    definition: vpcDefinition,
    build: (scope, props) => new Network(scope, 'this', props),
    example: `module "vpc" {
  source   = "../../modules/vpc"
  name     = "shop-dev"
  nat_mode = "instance"
}`,
  },
  {
    definition: albDefinition,
    build: (scope, props) => new LoadBalancer(scope, 'this', props),
    example: `module "alb" {
  source          = "../../modules/alb"
  name            = "shop-dev"
  vpc_id          = module.vpc.vpc_id
  vpc_cidr        = module.vpc.vpc_cidr
  subnet_ids      = module.vpc.public_subnet_ids
  certificate_arn = aws_acm_certificate.origin.arn
}`,
  },
  {
    definition: ecsServiceDefinition,
    build: (scope, props) => new Service(scope, 'this', props),
    example: `module "ecs_service" {
  source     = "../../modules/ecs-service"
  name       = "shop-dev"
  image      = "\${module.ecr.repository_url}@sha256:<digest>"
  vpc_id     = module.vpc.vpc_id
  subnet_ids = module.vpc.app_subnet_ids
  secrets    = { DATABASE_PASSWORD = "\${module.rds.master_secret_arn}:password::" }

  attach_load_balancer            = true
  target_group_arn                = module.alb.target_group_arn
  load_balancer_security_group_id = module.alb.security_group_id
  depends_on                      = [module.alb]
}`,
  },
  {
    definition: ecrDefinition,
    build: (scope, props) => new Registry(scope, 'this', props),
    example: `module "ecr" {
  source = "../../modules/ecr"
  name   = "shop-api"
}`,
  },
  {
    definition: sqsDefinition,
    build: (scope, props) => new Queue(scope, 'this', props),
    example: `module "jobs_queue" {
  source                     = "../../modules/sqs"
  name                       = "shop-dev-jobs"
  visibility_timeout_seconds = 6 * 30 # 6 x the worker timeout
}

# The worker (here the ECS service's task role) may consume exactly this queue.
resource "aws_iam_role_policy" "consume_jobs" {
  name = "consume-jobs"
  role = module.ecs_service.task_role_name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes", "sqs:SendMessage"]
      Resource = [module.jobs_queue.arn]
    }]
  })
}`,
  },
  {
    definition: rdsDefinition,
    build: (scope, props) => new Database(scope, 'this', props),
    example: `module "rds" {
  source     = "../../modules/rds"
  name       = "shop-dev"
  vpc_id     = module.vpc.vpc_id
  subnet_ids = module.vpc.private_subnet_ids

  # Port 5432 opens to these security groups only (never to CIDR blocks).
  allowed_security_group_ids = [module.ecs_service.security_group_id]

  # engine_mode = "aurora-serverless" # min_capacity / max_capacity in ACUs
  # proxy       = true                # RDS Proxy for Lambda consumers
  protect = false # true in production: deletion protection
}

# The app reads DATABASE_HOST, DATABASE_PORT, DATABASE_NAME, DATABASE_USER, DATABASE_SSL=require
# (module.rds.environment) and DATABASE_PASSWORD as a task secret (module.rds.secrets):
#   environment = merge(module.rds.environment, { ... })
#   secrets     = merge(module.rds.secrets, { ... })`,
  },
  {
    definition: sesDefinition,
    build: (scope, props) => new Email(scope, 'this', props),
    example: `module "ses" {
  source            = "../../modules/ses"
  name              = "shop-dev"
  domain            = "example.com"
  dmarc_policy      = "none"
  sender_role_names = [module.ecs_service.task_role_name]
}

# The app reads EMAIL_FROM and EMAIL_CONFIGURATION_SET: environment = module.ses.environment.
# The DKIM, MAIL FROM and DMARC records: records = module.ses.dns_records in module "dns-external".`,
  },
  {
    definition: dnsExternalDefinition,
    build: (scope, props) => new ExternalDns(scope, 'this', props),
    example: `resource "aws_acm_certificate" "origin" {
  domain_name       = "origin-api.example.com"
  validation_method = "DNS"
  lifecycle {
    create_before_destroy = true
  }
}

module "dns" {
  source       = "../../modules/dns-external"
  dns_provider = "route53" # or "manual" (records/records_table outputs), or "cloudflare" (below)
  zone_id      = "Z0123456789ABC"
  records = concat(module.ses.dns_records, [
    for o in aws_acm_certificate.origin.domain_validation_options : {
      key     = o.domain_name
      name    = o.resource_record_name
      type    = o.resource_record_type
      values  = [o.resource_record_value]
      purpose = "ACM validation"
    }
  ])
}

# Waits until ACM has issued the certificate (with "manual": until you created the records).
resource "aws_acm_certificate_validation" "origin" {
  certificate_arn = aws_acm_certificate.origin.arn
  depends_on      = [module.dns]
}

# dns_provider = "cloudflare": the module creates nothing and requires no cloudflare provider; create the
# records in your root module (cloudflare/cloudflare 5.x reads CLOUDFLARE_API_TOKEN from the environment):
#
# resource "cloudflare_dns_record" "this" {
#   for_each = module.dns.cloudflare_records
#   zone_id  = each.value.zone_id
#   name     = each.value.name
#   type     = each.value.type
#   content  = each.value.content
#   priority = each.value.priority
#   ttl      = each.value.ttl
#   comment  = each.value.comment
#   proxied  = false
# }`,
  },
  {
    definition: elasticacheDefinition,
    build: (scope, props) => new Cache(scope, 'this', props),
    example: `module "elasticache" {
  source     = "../../modules/elasticache"
  name       = "shop-dev"
  vpc_id     = module.vpc.vpc_id
  subnet_ids = module.vpc.private_subnet_ids

  # Port 6379 opens to these security groups only (never to CIDR blocks).
  allowed_security_group_ids = [module.ecs_service.security_group_id]

  # engine    = "redis" # Redis OSS instead of Valkey
  # multi_az  = true    # with num_cache_clusters = 2
  snapshot_retention_days = 0
}

# The app reads REDIS_URL (rediss://..., no token; module.elasticache.environment) and REDIS_AUTH_TOKEN as a
# task secret (module.elasticache.secrets). The token is in Terraform state: keep the state encrypted.`,
  },
  {
    definition: cfOriginDefinition,
    build: (scope, props) => {
      const { distributionSnapshotJson, ...rest } = props;
      const origin = new CloudFrontOrigin(scope, 'this', { ...rest, snapshotJson: distributionSnapshotJson, adopt: false, release: false, outputs: false });
      return { outputs: { arn: origin.distributionArn, domain_name: origin.distributionDomainName, id: origin.distributionId } };
    },
    example: `module "cf_origin" {
  source                     = "../../modules/cf-origin"
  distribution_id            = "E2QWRUHAPOMQZL"
  distribution_snapshot_json = file("\${path.root}/frontend-distribution.json")
  api_origin_domain_name     = "origin-api.example.com"
  vpc_origin_id              = aws_cloudfront_vpc_origin.api.id
}

# Import blocks live in the root module.
import {
  to = module.cf_origin.aws_cloudfront_distribution.this
  id = "E2QWRUHAPOMQZL"
}`,
  },
];
