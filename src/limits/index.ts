/**
 * AWS limits the emulator does not enforce, checked on the synthesized stack before any cloud call: one line per
 * finding, each naming the resource, the value and the limit. Every figure cites the AWS page it comes from;
 * adjustable quotas are checked at their account defaults. `synthesize()` (src/app.ts) runs these on every synth and
 * refuses the stack, leaving no stack file behind.
 */
import { itemsOf, type DistributionSnapshot } from '../edge/distribution-snapshot';
import { lambdaFindings } from './lambda';

/** The part of cdk.tf.json the checks read. */
export interface StackJson {
  readonly resource?: Record<string, Record<string, Record<string, unknown>>>;
  readonly data?: Record<string, Record<string, Record<string, unknown>>>;
}

interface NameLimit {
  readonly type: string;
  readonly attribute: string;
  readonly max: number;
  readonly source: string;
}

/** Name lengths the APIs refuse beyond (hard limits, not quotas). */
export const NAME_LIMITS: readonly NameLimit[] = [
  {
    type: 'aws_lb',
    attribute: 'name',
    max: 32,
    source: 'Elastic Load Balancing API Reference, CreateLoadBalancer: Name, at most 32 characters',
  },
  {
    type: 'aws_lb_target_group',
    attribute: 'name',
    max: 32,
    source: 'Elastic Load Balancing API Reference, CreateTargetGroup: Name, at most 32 characters',
  },
  { type: 'aws_iam_role', attribute: 'name', max: 64, source: 'IAM User Guide, "IAM and AWS STS quotas": role names, 64 characters' },
  {
    type: 'aws_iam_role_policy',
    attribute: 'name',
    max: 128,
    source: 'IAM User Guide, "IAM and AWS STS quotas": policy names, 128 characters',
  },
  {
    type: 'aws_elasticache_replication_group',
    attribute: 'replication_group_id',
    max: 40,
    source: 'ElastiCache API Reference, CreateReplicationGroup: ReplicationGroupId, 1 to 40 characters',
  },
  {
    type: 'aws_db_instance',
    attribute: 'identifier',
    max: 63,
    source: 'Amazon RDS User Guide, "Naming constraints in Amazon RDS": DB instance identifier, 1 to 63 characters',
  },
  {
    type: 'aws_rds_cluster',
    attribute: 'cluster_identifier',
    max: 63,
    source: 'Amazon RDS User Guide, "Naming constraints in Amazon RDS": DB cluster identifier, 1 to 63 characters',
  },
  { type: 'aws_db_proxy', attribute: 'name', max: 63, source: 'Amazon RDS API Reference, CreateDBProxy: DBProxyName, 1 to 63 characters' },
  {
    type: 'aws_sqs_queue',
    attribute: 'name',
    max: 80,
    source: 'Amazon SQS Developer Guide, "Amazon SQS queue quotas": queue name, up to 80 characters',
  },
  {
    type: 'aws_lambda_function',
    attribute: 'function_name',
    max: 64,
    source: 'AWS Lambda API Reference, CreateFunction: FunctionName, 1 to 64 characters (name only)',
  },
  {
    type: 'aws_scheduler_schedule',
    attribute: 'name',
    max: 64,
    source: 'EventBridge Scheduler API Reference, CreateSchedule: Name, 1 to 64 characters',
  },
  {
    type: 'aws_ecs_cluster',
    attribute: 'name',
    max: 255,
    source: 'Amazon ECS API Reference, CreateCluster: clusterName, up to 255 characters',
  },
  {
    type: 'aws_ecs_service',
    attribute: 'name',
    max: 255,
    source: 'Amazon ECS API Reference, CreateService: serviceName, up to 255 characters',
  },
  {
    type: 'aws_ecs_task_definition',
    attribute: 'family',
    max: 255,
    source: 'Amazon ECS API Reference, RegisterTaskDefinition: family, up to 255 characters',
  },
  {
    type: 'aws_security_group',
    attribute: 'name',
    max: 255,
    source: 'Amazon EC2 API Reference, CreateSecurityGroup: GroupName, up to 255 characters',
  },
  {
    type: 'aws_secretsmanager_secret',
    attribute: 'name',
    max: 512,
    source: 'Secrets Manager API Reference, CreateSecret: Name, 1 to 512 characters',
  },
  {
    type: 'aws_cloudwatch_log_group',
    attribute: 'name',
    max: 512,
    source: 'CloudWatch Logs API Reference, CreateLogGroup: logGroupName, 1 to 512 characters',
  },
  { type: 'aws_sns_topic', attribute: 'name', max: 256, source: 'Amazon SNS API Reference, CreateTopic: Name, up to 256 characters' },
  {
    type: 'aws_ecr_repository',
    attribute: 'name',
    max: 256,
    source: 'Amazon ECR API Reference, CreateRepository: repositoryName, 2 to 256 characters',
  },
];

/**
 * Inbound (and, separately, outbound) rules per security group: 60 by default, adjustable (Amazon VPC User Guide,
 * "Amazon VPC quotas", Security groups). A reference to a managed prefix list counts as the list's WEIGHT (its max
 * entries), not as one rule (Amazon VPC User Guide, "AWS-managed prefix lists", prefix list weights).
 */
export const RULES_PER_SECURITY_GROUP = 60;
export const PREFIX_LIST_WEIGHTS: Readonly<Record<string, number>> = {
  // Amazon VPC User Guide, "AWS-managed prefix lists": com.amazonaws.global.cloudfront.origin-facing weighs 55.
  'com.amazonaws.global.cloudfront.origin-facing': 55,
};

/**
 * CloudFront Developer Guide, "Quotas", general quotas on distributions: cache behaviors per distribution 75 and
 * origins per distribution 100 (both adjustable).
 */
export const CACHE_BEHAVIORS_PER_DISTRIBUTION = 75;
export const ORIGINS_PER_DISTRIBUTION = 100;

/**
 * Amazon ECS Developer Guide, "Amazon ECS service quotas": task definition size, 64 KiB (the RegisterTaskDefinition
 * request, container definitions included).
 */
export const TASK_DEFINITION_BYTES = 64 * 1024;

const isToken = (v: unknown) => typeof v === 'string' && v.includes('${');

function nameFindings(stack: StackJson): string[] {
  const out: string[] = [];
  for (const limit of NAME_LIMITS) {
    for (const [name, body] of Object.entries(stack.resource?.[limit.type] ?? {})) {
      const value = body[limit.attribute];
      if (typeof value !== 'string' || isToken(value) || value.length <= limit.max) continue;
      out.push(
        `${limit.type}.${name}: ${limit.attribute} "${value}" is ${value.length} characters, over AWS's ${limit.max} (${limit.source}); shorten the config's name (or stage)`,
      );
    }
  }
  return out;
}

/** How many rules one ingress/egress resource block stands for: its literal count or for_each size, else 1. */
function multiplicity(body: Record<string, unknown>): number {
  if (typeof body.count === 'number') return body.count;
  const each = body.for_each;
  if (Array.isArray(each)) return each.length;
  if (typeof each === 'string') {
    const literal = /^\$\{toset\((\[.*\])\)\}$/.exec(each);
    if (literal) {
      try {
        return (JSON.parse(literal[1]) as unknown[]).length;
      } catch {
        return 1;
      }
    }
  }
  return 1;
}

function prefixListWeight(stack: StackJson, ref: unknown): number {
  const m = typeof ref === 'string' ? /^\$\{data\.aws_ec2_managed_prefix_list\.([A-Za-z0-9_-]+)\.id\}$/.exec(ref) : null;
  const name = m ? stack.data?.aws_ec2_managed_prefix_list?.[m[1]]?.name : undefined;
  return typeof name === 'string' ? (PREFIX_LIST_WEIGHTS[name] ?? 1) : 1;
}

function securityGroupFindings(stack: StackJson): string[] {
  const out: string[] = [];
  for (const [type, direction] of [
    ['aws_vpc_security_group_ingress_rule', 'inbound'],
    ['aws_vpc_security_group_egress_rule', 'outbound'],
  ] as const) {
    const weights = new Map<string, number>();
    for (const body of Object.values(stack.resource?.[type] ?? {})) {
      const group = String(body.security_group_id);
      const weight = multiplicity(body) * (body.prefix_list_id ? prefixListWeight(stack, body.prefix_list_id) : 1);
      weights.set(group, (weights.get(group) ?? 0) + weight);
    }
    for (const [group, total] of weights) {
      if (total <= RULES_PER_SECURITY_GROUP) continue;
      const sg = /aws_security_group\.([A-Za-z0-9_-]+)\./.exec(group)?.[1] ?? group;
      out.push(
        `aws_security_group.${sg}: ${total} ${direction} rules counting managed prefix lists by weight, over the default quota of ${RULES_PER_SECURITY_GROUP} (Amazon VPC User Guide, "Amazon VPC quotas" and "AWS-managed prefix lists"): AWS refuses the apply with RulesPerSecurityGroupLimitExceeded`,
      );
    }
  }
  return out;
}

function taskDefinitionFindings(stack: StackJson): string[] {
  const out: string[] = [];
  for (const [name, body] of Object.entries(stack.resource?.aws_ecs_task_definition ?? {})) {
    const defs = body.container_definitions;
    const bytes = typeof defs === 'string' ? Buffer.byteLength(defs) : 0;
    if (bytes > TASK_DEFINITION_BYTES) {
      out.push(
        `aws_ecs_task_definition.${name}: container definitions are ${bytes} bytes, over ECS's ${TASK_DEFINITION_BYTES} (Amazon ECS service quotas, task definition size); move large values to secrets or files`,
      );
    }
  }
  return out;
}

/** The adopted distribution's behaviors and origins: the snapshot's plus the one of each Backplane adds. */
export function distributionFindings(snapshot: DistributionSnapshot, file: string): string[] {
  const cfg = snapshot.DistributionConfig;
  const behaviors = itemsOf(cfg.CacheBehaviors).length + 1;
  const origins = itemsOf(cfg.Origins).length + 1;
  const out: string[] = [];
  if (behaviors > CACHE_BEHAVIORS_PER_DISTRIBUTION)
    out.push(
      `edge.snapshotFile (${file}): the distribution would have ${behaviors} cache behaviors with /api/*, over CloudFront's default quota of ${CACHE_BEHAVIORS_PER_DISTRIBUTION} (CloudFront Developer Guide, "Quotas"); request a higher quota or use edge.mode "subdomain"`,
    );
  if (origins > ORIGINS_PER_DISTRIBUTION)
    out.push(
      `edge.snapshotFile (${file}): the distribution would have ${origins} origins with the API's, over CloudFront's default quota of ${ORIGINS_PER_DISTRIBUTION} (CloudFront Developer Guide, "Quotas"); request a higher quota or use edge.mode "subdomain"`,
    );
  return out;
}

/**
 * Every finding on a synthesized stack (empty when it fits). With `stackDir`, the Lambda packages the stack names
 * (./lambda) are measured too.
 */
export function stackLimitFindings(stack: StackJson, stackDir?: string): string[] {
  const lambda = stackDir ? lambdaFindings(stack, stackDir) : [];
  return [...nameFindings(stack), ...securityGroupFindings(stack), ...taskDefinitionFindings(stack), ...lambda];
}
