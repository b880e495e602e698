/**
 * Which synthesized resource types the diagram shows as nodes, in which group, and how to label them. Every
 * other resource (roles, policies, rules, listeners, subnets, ...) is glue: it belongs to the node it was built
 * with (the longest shared construct path) and lends that node its references.
 */

export const GROUPS = ['Edge', 'DNS', 'Load balancing', 'Compute', 'Async', 'Data', 'Email', 'Network'] as const;
export type Group = (typeof GROUPS)[number];

/** A resource's synthesized attributes. */
export type Attributes = Record<string, unknown>;

export interface NodeKind {
  readonly group: Group;
  /**
   * Where the node sits in the request flow: edges point from the lower rank to the higher one (viewers ->
   * CloudFront -> ALB -> service -> data), whichever side holds the reference.
   */
  readonly rank: number;
  /** All resources of the type become ONE node (e.g. DNS records), labelled with their count. */
  readonly collapse?: boolean;
  readonly label: (a: Attributes, count: number) => string;
}

/** A concrete attribute (not an unresolved `${...}` expression), or undefined. */
export function concrete(a: Attributes, key: string): string | undefined {
  const v = a[key];
  if (typeof v === 'string' && v.length > 0 && !v.includes('${')) return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

const withDetail = (title: string, ...details: (string | undefined)[]): string => {
  const d = details.filter((x): x is string => x !== undefined);
  return d.length > 0 ? `${title}<br/>${d.join(' ')}` : title;
};
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export const NODE_KINDS: Readonly<Record<string, NodeKind>> = {
  // ---- Edge --------------------------------------------------------------------------------------------
  aws_cloudfront_distribution: { group: 'Edge', rank: 1, label: (a) => withDetail('CloudFront distribution', concrete(a, 'comment')) },
  aws_cloudfront_vpc_origin: { group: 'Edge', rank: 2, label: () => 'CloudFront VPC origin' },
  aws_wafv2_web_acl: { group: 'Edge', rank: 1, label: (a) => withDetail('WAF web ACL', concrete(a, 'name')) },
  // ---- DNS ---------------------------------------------------------------------------------------------
  aws_route53_record: { group: 'DNS', rank: 0, collapse: true, label: (_a, n) => `Route53 records (${n})` },
  cloudflare_dns_record: { group: 'DNS', rank: 0, collapse: true, label: (_a, n) => `Cloudflare DNS records (${n})` },
  aws_acm_certificate: { group: 'DNS', rank: 0, label: (a) => withDetail('ACM certificate', concrete(a, 'domain_name')) },
  // ---- Load balancing ------------------------------------------------------------------------------------
  aws_lb: {
    group: 'Load balancing',
    rank: 3,
    label: (a) =>
      withDetail('Application Load Balancer', a.internal === true ? '(internal)' : a.internal === false ? '(internet-facing)' : undefined),
  },
  // ---- Compute -----------------------------------------------------------------------------------------
  aws_ecs_service: { group: 'Compute', rank: 5, label: (a) => withDetail('ECS Fargate service', concrete(a, 'name')) },
  aws_lambda_function: { group: 'Compute', rank: 5, label: (a) => withDetail('Lambda', concrete(a, 'function_name')) },
  aws_ecr_repository: { group: 'Compute', rank: 6, label: (a) => withDetail('ECR repository', concrete(a, 'name')) },
  // ---- Async -------------------------------------------------------------------------------------------
  aws_scheduler_schedule: {
    group: 'Async',
    rank: 4,
    label: (a) => withDetail('Schedule', concrete(a, 'name'), concrete(a, 'schedule_expression')),
  },
  aws_sqs_queue: { group: 'Async', rank: 7, label: (a) => withDetail('SQS queue', concrete(a, 'name')) },
  // ---- Data --------------------------------------------------------------------------------------------
  aws_db_proxy: { group: 'Data', rank: 7, label: (a) => withDetail('RDS Proxy', concrete(a, 'name')) },
  aws_db_instance: {
    group: 'Data',
    rank: 8,
    label: (a) =>
      withDetail(`RDS ${concrete(a, 'engine') ?? 'database'}`, concrete(a, 'instance_class'), a.multi_az === true ? 'Multi-AZ' : undefined),
  },
  aws_rds_cluster: {
    group: 'Data',
    rank: 8,
    label: (a) => withDetail(`Aurora ${concrete(a, 'engine') ?? ''}`.trim(), concrete(a, 'engine_mode')),
  },
  aws_elasticache_replication_group: {
    group: 'Data',
    rank: 8,
    label: (a) => withDetail(`ElastiCache ${concrete(a, 'engine') ?? ''}`.trim(), concrete(a, 'node_type')),
  },
  aws_elasticache_serverless_cache: {
    group: 'Data',
    rank: 8,
    label: (a) => withDetail(`ElastiCache Serverless ${concrete(a, 'engine') ?? ''}`.trim()),
  },
  aws_secretsmanager_secret: { group: 'Data', rank: 9, collapse: true, label: (_a, n) => `Secrets Manager (${plural(n, 'secret')})` },
  // ---- Email -------------------------------------------------------------------------------------------
  aws_sesv2_email_identity: { group: 'Email', rank: 8, label: (a) => withDetail('SES identity', concrete(a, 'email_identity')) },
  aws_sesv2_configuration_set: {
    group: 'Email',
    rank: 9,
    label: (a) => withDetail('SES configuration set', concrete(a, 'configuration_set_name')),
  },
  aws_sns_topic: { group: 'Email', rank: 10, label: (a) => withDetail('SNS topic', concrete(a, 'name')) },
  // ---- Network -----------------------------------------------------------------------------------------
  aws_nat_gateway: { group: 'Network', rank: 10, collapse: true, label: (_a, n) => `NAT Gateway (${n})` },
  aws_instance: { group: 'Network', rank: 10, label: (a) => withDetail('EC2 instance', concrete(a, 'instance_type')) },
};
