import { input, must, patterns } from '../modules/inputs';
import { defineModule } from '../modules/module';
import { nameInput, tagsInput } from './common';
import { FARGATE_CPUS, fargatePairCheck } from './fargate';

/** Retention periods CloudWatch Logs accepts. */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

export const ecsServiceDefinition = defineModule({
  name: 'ecs-service',
  propsName: 'EcsServiceInputs',
  description:
    'One long-running container on ECS Fargate (ARM64 by default) behind the ALB: a task definition with secrets injected from Secrets Manager, least-privilege roles, a 14-day log group, rolling deploys with a circuit breaker that rolls back AND fails the apply, target-tracking autoscaling, and an optional migration init container.',
  inputs: {
    name: nameInput('the cluster, service, task family, roles and log group'),
    image: input.string({
      description: 'The container image, pinned by digest (`<repo>@sha256:<64 hex>`) or by tag (`<repo>:<tag>`).',
      constraints: [
        must.pattern(
          '^[a-z0-9][a-z0-9./_:-]*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[a-f0-9]{64})$',
          'an image reference with a tag or a sha256 digest',
        ),
      ],
    }),
    ecr_repository_arn: input.optionalString({
      description: 'The ECR repository the image comes from: the execution role may pull from it alone. Null for a public image.',
      constraints: [must.optionalPattern('^arn:aws[a-zA-Z-]*:ecr:[a-z0-9-]+:[0-9]{12}:repository/.+$', 'an ECR repository ARN')],
    }),
    cpu: input.number({ description: 'Task CPU units (1024 = 1 vCPU).', default: 256, constraints: [must.oneOf(FARGATE_CPUS)] }),
    memory: input.number({
      description: 'Task memory in MiB; must be valid for the cpu.',
      default: 512,
      constraints: [must.range(512, 122880)],
    }),
    architecture: input.string({
      description: 'CPU architecture: ARM64 (Graviton, ~20% cheaper) or X86_64. The image must be built for it.',
      default: 'ARM64',
      constraints: [must.oneOf(['ARM64', 'X86_64'])],
    }),
    container_port: input.number({
      description: 'The port the app listens on (also set as PORT).',
      default: 8080,
      constraints: [must.range(1, 65535)],
    }),
    command: input.stringList({ description: 'Overrides the image CMD; empty keeps it.', default: [] }),
    environment: input.stringMap({
      description: 'Plain environment variables. Never put secrets here: use `secrets`.',
      default: {},
      constraints: [must.eachKeyMatches(patterns.envName, 'upper-case environment variable names')],
    }),
    secrets: input.stringMap({
      description:
        'Environment variables injected from Secrets Manager: NAME = secret ARN, optionally with a JSON key (`<arn>:password::`). The execution role may read exactly these secrets.',
      default: {},
      constraints: [
        must.eachKeyMatches(patterns.envName, 'upper-case environment variable names'),
        must.eachValueMatches(patterns.secretArn, 'Secrets Manager secret ARNs'),
      ],
    }),
    health_check_command: input.stringList({
      description:
        'Container health check command run inside the container (e.g. ["CMD", "bun", "run", "src/healthcheck.ts"]); empty for none.',
      default: [],
    }),
    readonly_root_filesystem: input.bool({
      description: 'Mount the root filesystem read-only (a writable /tmp volume is mounted).',
      default: true,
    }),
    migrate_command: input.stringList({
      description:
        'A migration command run by an init container before the app starts (same image, env and secrets, with migrate_environment and migrate_secrets over them); the app starts only if it exits 0. Empty for none.',
      default: [],
    }),
    migrate_environment: input.stringMap({
      description:
        'Variables for the migration container only, over `environment` (e.g. the database owner as DATABASE_USER where the app logs in as its own role).',
      default: {},
      constraints: [must.eachKeyMatches(patterns.envName, 'upper-case environment variable names')],
    }),
    migrate_secrets: input.stringMap({
      description:
        "Secrets for the migration container only, over `secrets` (e.g. the database owner's password, which the app container never receives). The execution role may read them too.",
      default: {},
      constraints: [
        must.eachKeyMatches(patterns.envName, 'upper-case environment variable names'),
        must.eachValueMatches(patterns.secretArn, 'Secrets Manager secret ARNs'),
      ],
    }),
    subnet_ids: input.stringList({ description: 'Subnets the tasks run in.', constraints: [must.minItems(1)] }),
    vpc_id: input.string({ description: 'The VPC of the subnets.' }),
    assign_public_ip: input.bool({ description: 'Give tasks public IPs (only for subnets without NAT).', default: false }),
    attach_load_balancer: input.bool({
      description:
        'Register the tasks in `target_group_arn` and allow the load balancer in (a plain flag, known at plan time, because the ARNs usually are not). False for a worker without a load balancer.',
      default: false,
    }),
    target_group_arn: input.optionalString({ description: 'The ALB target group to register tasks in (with attach_load_balancer).' }),
    load_balancer_security_group_id: input.optionalString({
      description: 'Security group of the ALB: the only source allowed to reach the container port.',
    }),
    load_balancer_arn_suffix: input.optionalString({ description: 'ALB ARN suffix, for request-count scaling.' }),
    target_group_arn_suffix: input.optionalString({ description: 'Target group ARN suffix, for request-count scaling.' }),
    desired_count: input.number({
      description: 'Tasks at first deploy; autoscaling owns the count afterwards.',
      default: 1,
      constraints: [must.range(0, 1000)],
    }),
    min_count: input.number({ description: 'Autoscaling minimum.', default: 1, constraints: [must.range(0, 1000)] }),
    max_count: input.number({ description: 'Autoscaling maximum.', default: 4, constraints: [must.range(1, 1000)] }),
    cpu_target: input.number({ description: 'Target average CPU utilization (%).', default: 60, constraints: [must.range(10, 95)] }),
    memory_target: input.number({ description: 'Target average memory utilization (%).', default: 75, constraints: [must.range(10, 95)] }),
    requests_per_target: input.number({
      description: 'Target ALB requests per task per minute; 0 turns request-count scaling off.',
      default: 1000,
      constraints: [must.range(0, 100000)],
    }),
    spot: input.bool({ description: 'Run on Fargate Spot (about 70% cheaper, may be interrupted with 2 minutes notice).', default: false }),
    enable_execute_command: input.bool({ description: 'Whether ECS Exec is enabled for the service tasks.', default: false }),
    log_retention_days: input.number({
      description: 'CloudWatch Logs retention in days.',
      default: 14,
      constraints: [must.oneOf(LOG_RETENTION_DAYS, 'one of the CloudWatch retention periods')],
    }),
    wait_for_steady_state: input.bool({
      description: 'Make the apply wait until the deployment is steady (and fail when ECS rolled it back).',
      default: true,
    }),
    tags: tagsInput(),
  },
  checks: [
    fargatePairCheck(),
    {
      on: 'max_count',
      involves: ['min_count', 'max_count'],
      test: (p) => (p.minCount as number) <= (p.maxCount as number),
      hcl: 'var.min_count <= var.max_count',
      message: (p) => `min_count = ${String(p.minCount)} must not exceed max_count = ${String(p.maxCount)}`,
      hclMessage: 'min_count must not exceed max_count (autoscaling cannot keep more tasks than it may run).',
    },
    {
      on: 'attach_load_balancer',
      involves: ['attach_load_balancer'],
      test: (p) => !p.attachLoadBalancer || (p.targetGroupArn != null && p.loadBalancerSecurityGroupId != null),
      hcl: '!var.attach_load_balancer || (var.target_group_arn != null && var.load_balancer_security_group_id != null)',
      message: () => 'attachLoadBalancer needs targetGroupArn and loadBalancerSecurityGroupId',
      hclMessage: 'attach_load_balancer = true needs target_group_arn and load_balancer_security_group_id.',
    },
  ],
  outputs: {
    cluster_arn: { description: 'ECS cluster ARN.' },
    cluster_name: { description: 'ECS cluster name.' },
    service_name: { description: 'ECS service name.' },
    task_definition_arn: { description: 'The task definition ARN this apply deployed.' },
    task_definition_family: { description: 'Task definition family (for RunTask and schedules).' },
    security_group_id: { description: 'Security group of the tasks: the database and cache allow ingress from it.' },
    task_role_arn: { description: 'Task role ARN (the app identity).' },
    task_role_name: { description: 'Task role name: attach grants (queues, email) to it.' },
    execution_role_arn: { description: 'Execution role ARN (pulls the image, reads the secrets).' },
    execution_role_name: { description: 'Execution role name.' },
    log_group_name: { description: 'CloudWatch log group of the containers.' },
  },
});
