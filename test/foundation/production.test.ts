/**
 * A protected stage (prod) synthesizes redundancy where the config is silent, and the operations defaults hold on
 * every stage: the ECR lifecycle by tag family, ECS Exec beside a read-only root filesystem and logged, the service
 * after its execution policy, the RDS Proxy trust pinned. The user's own settings win over the stage defaults.
 */
import { resolveConfig, type BackplaneConfigInput } from '../../src/config';
import { PROTECTED_STAGE_DEFAULTS, withStageDefaults } from '../../src/config/stage-defaults';
import { exampleConfig, named, only, synth, text } from '../support/synth';

const DIGEST = `sha256:${'a'.repeat(64)}`;
/** The built-in example as prod (digest-pinned, S3 state, no network section); `sections` replace whole sections. */
const prod = (sections: Partial<Record<keyof BackplaneConfigInput, unknown>> = {}): BackplaneConfigInput =>
  ({
    ...exampleConfig(),
    stage: 'prod',
    network: {},
    service: { imageDigest: DIGEST, migrateCommand: ['bun', 'run', 'src/migrate.ts'] },
    database: { engine: 'postgres' },
    cache: { engine: 'valkey' },
    state: { backend: 's3', bucket: 'shop-tfstate' },
    ...sections,
  }) as BackplaneConfigInput;

describe('a protected stage defaults to redundancy', () => {
  const config = resolveConfig(prod());
  const json = synth(prod());

  it('resolves 2 tasks, a Multi-AZ database, a cache replica with failover and a NAT Gateway per AZ', () => {
    expect(config.service.scaling.min).toBe(PROTECTED_STAGE_DEFAULTS['service.scaling.min']);
    expect(config.database?.multiAz).toBe(true);
    expect(config.cache).toMatchObject({ multiAz: true, nodes: 2 });
    expect(config.network).toMatchObject({ nat: 'gateway', natGatewayPerAz: true });
  });

  it('synthesizes them: desired and minimum 2 tasks over private subnets of every AZ, no public IP', () => {
    const svc = only(json, 'aws_ecs_service');
    expect(svc.desired_count).toBe(2);
    expect(svc.network_configuration.assign_public_ip).toBe(false);
    expect(svc.network_configuration.subnets).toBe('${aws_subnet.network_private_subnets[*].id}');
    expect(only(json, 'aws_appautoscaling_target').min_capacity).toBe(2);
    expect(named(json, 'aws_db_instance', 'database_instance').multi_az).toBe(true);
    const cache = only(json, 'aws_elasticache_replication_group');
    expect(cache).toMatchObject({ automatic_failover_enabled: true, multi_az_enabled: true, num_cache_clusters: 2 });
    expect(named(json, 'aws_nat_gateway', 'network_nat_gateway').count).toBe(2);
  });

  it('keeps what the user wrote: one task, single-AZ database, a NAT instance', () => {
    const c = resolveConfig(
      prod({
        network: { nat: 'instance' },
        service: { imageDigest: DIGEST, scaling: { min: 1, max: 3 } },
        database: { multiAz: false },
        cache: { nodes: 1 },
      }),
    );
    expect(c.service.scaling.min).toBe(1);
    expect(c.database?.multiAz).toBe(false);
    expect(c.cache).toMatchObject({ multiAz: false, nodes: 1 });
    expect(c.network).toMatchObject({ nat: 'instance', natGatewayPerAz: false });
  });

  it('lets an explicit max below 2 win, gives Aurora a reader, and leaves other stages alone', () => {
    expect(resolveConfig(prod({ service: { imageDigest: DIGEST, scaling: { max: 1 } } })).service.scaling.min).toBe(1);
    const aurora = resolveConfig(prod({ database: { engine: 'aurora-serverless' } })).database;
    expect(aurora).toMatchObject({ multiAz: false, readers: 1 });
    const j = synth(prod({ database: { engine: 'aurora-serverless' } }));
    expect(named(j, 'aws_rds_cluster_instance', 'database_cluster_instance')).toMatchObject({
      count: 2,
      identifier: '${format("%s-%d", "shop-prod", (count.index + 1))}',
    });
    const dev = { name: 'x', stage: 'dev', service: {} };
    expect(withStageDefaults(dev, (c) => c.stage === 'prod')).toBe(dev);
  });

  it('refuses tasks with public IPs (nat "none") on a protected stage, naming FSBP ECS.2', () => {
    expect(() => resolveConfig(prod({ network: { nat: 'none' } }))).toThrow(/network.nat = "none".*ECS\.2/);
  });
});

describe('operations defaults', () => {
  const json = synth(prod());

  it('expires untagged images and keeps the last releases apart from other tags', () => {
    const policy = text(only(json, 'aws_ecr_lifecycle_policy').policy);
    expect(policy).toContain('"tagStatus" = "untagged", "countType" = "sinceImagePushed", "countUnit" = "days", "countNumber" = 7');
    expect(policy).toContain('"tagStatus" = "tagged", "tagPrefixList" = ["v"], "countType" = "imageCountMoreThan", "countNumber" = 30');
    expect(policy).toContain('"tagStatus" = "tagged", "tagPatternList" = ["*"]');
    expect(policy).not.toContain('"tagStatus" = "any"');
  });

  it('logs ECS Exec sessions and gives its agent writable paths beside the read-only root filesystem', () => {
    const cluster = only(json, 'aws_ecs_cluster');
    expect(cluster.configuration.execute_command_configuration).toEqual({
      logging: 'OVERRIDE',
      log_configuration: {
        cloud_watch_log_group_name: '${aws_cloudwatch_log_group.service_exec_logs.name}',
        cloud_watch_encryption_enabled: false,
      },
    });
    const td = named(json, 'aws_ecs_task_definition', 'service_task_definition');
    expect(td.volume.map((v: { name: string }) => v.name)).toEqual(['tmp', 'ssm-state', 'ssm-logs']);
    const defs = text(td.container_definitions);
    expect(defs).toContain('"containerPath" = "/var/lib/amazon", "readOnly" = false');
    expect(defs).toContain('"containerPath" = "/var/log/amazon", "readOnly" = false');
    expect(defs).toContain('"readonlyRootFilesystem" = true');
  });

  it('creates the service after the execution policy (first tasks can pull and read secrets)', () => {
    expect(only(json, 'aws_ecs_service').depends_on).toEqual(
      expect.arrayContaining(['aws_iam_role.service_execution_role', 'aws_iam_role_policy.service_execution_policy']),
    );
  });

  it('health: the container checks liveness, the target group readiness', () => {
    expect(only(json, 'aws_lb_target_group').health_check.path).toBe('/healthz');
    const defs = text(named(json, 'aws_ecs_task_definition', 'service_task_definition').container_definitions);
    expect(defs).toContain('"command" = ["CMD", "bun", "run", "src/healthcheck.ts"]');
  });

  it('pins the RDS Proxy trust to proxies of this account and Region', () => {
    const j = synth(prod({ database: { proxy: true } }));
    const trust = text(named(j, 'aws_iam_role', 'database_proxy_role').assume_role_policy);
    expect(trust).toContain('"aws:SourceAccount" = data.aws_caller_identity');
    expect(trust).toMatch(
      /"aws:SourceArn" = "arn:\$\{data\.aws_partition\.[a-z_]+\.partition\}:rds:\$\{data\.aws_region\.[a-z_]+\.name\}:\$\{data\.aws_caller_identity\.[a-z_]+\.account_id\}:db-proxy:\*"/,
    );
  });
});
