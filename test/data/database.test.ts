import { TerraformVariable } from 'cdktn';
import { Database } from '../../src/constructs/database';
import { all, baseConfig, everything, only, synthTier, synthWith } from './helpers';

const NET = { vpcId: 'vpc-0123456789abcdef0', subnetIds: ['subnet-0aaa', 'subnet-0bbb'] };

describe('Database (RDS PostgreSQL, the default)', () => {
  const dev = synthTier(baseConfig({ database: {} })).json;
  const prod = synthTier(baseConfig({ stage: 'prod', database: { performanceInsights: true } })).json;

  it('runs PostgreSQL 17 on db.t4g.micro with gp3 20 GB and a storage autoscaling ceiling', () => {
    expect(only(dev, 'aws_db_instance')).toMatchObject({
      engine: 'postgres',
      engine_version: '17',
      instance_class: 'db.t4g.micro',
      storage_type: 'gp3',
      allocated_storage: 20,
      max_allocated_storage: 100,
      port: 5432,
    });
  });

  it('is private: not publicly accessible, in a subnet group of the private subnets, behind its own security group', () => {
    const db = only(dev, 'aws_db_instance');
    expect(db.publicly_accessible).toBe(false);
    expect(db.db_subnet_group_name).toBe('${aws_db_subnet_group.database_subnet_group.name}');
    expect(only(dev, 'aws_db_subnet_group').subnet_ids).toBe('${aws_subnet.network_private_subnets[*].id}');
    expect(db.vpc_security_group_ids).toEqual(['${aws_security_group.database_security_group.id}']);
  });

  it('is encrypted and lets RDS manage the master password in Secrets Manager: no password anywhere', () => {
    const db = only(dev, 'aws_db_instance');
    expect(db.storage_encrypted).toBe(true);
    expect(db.manage_master_user_password).toBe(true);
    expect(db.password).toBeUndefined();
    expect(db.password_wo).toBeUndefined();
    expect(everything(dev)).not.toMatch(/"(master_)?password(_wo)?":/);
  });

  it('forces TLS with a parameter group of the engine major, used by the instance', () => {
    const pg = only(dev, 'aws_db_parameter_group');
    expect(pg.family).toBe('${format("postgres%s", element(split(".", "17"), 0))}');
    expect(pg.parameter).toEqual([{ name: 'rds.force_ssl', value: '1' }]);
    expect(pg.lifecycle).toEqual({ create_before_destroy: true });
    expect(only(dev, 'aws_db_instance').parameter_group_name).toBe('${aws_db_parameter_group.database_parameter_group.name}');
  });

  it('keeps 7 days of backups, copies tags to snapshots, and takes a final snapshot with a stable name', () => {
    const db = only(dev, 'aws_db_instance');
    expect(db.backup_retention_period).toBe(7);
    expect(db.copy_tags_to_snapshot).toBe(true);
    expect(db.skip_final_snapshot).toBe(false);
    // Unique per database (a UUID chosen once at create), never a timestamp() that changes every plan.
    expect(db.final_snapshot_identifier).toBe(
      '${format("%s-final-%s", "shop-dev", substr(terraform_data.database_final_snapshot_suffix.id, 0, 8))}',
    );
    expect(everything(dev)).not.toContain('timestamp()');
    expect(Object.keys(dev.resource.terraform_data)).toEqual(['database_final_snapshot_suffix']);
  });

  it('exports PostgreSQL logs to a log group with a retention, created first', () => {
    const db = only(dev, 'aws_db_instance');
    expect(db.enabled_cloudwatch_logs_exports).toEqual(['postgresql', 'upgrade']);
    expect(db.depends_on).toEqual(['aws_cloudwatch_log_group.database_postgresql_logs']);
    expect(dev.resource.aws_cloudwatch_log_group.database_postgresql_logs).toMatchObject({
      name: '/aws/rds/instance/shop-dev/postgresql',
      retention_in_days: 14,
    });
  });

  it('is deletable on dev: no deletion protection, no prevent_destroy', () => {
    const db = only(dev, 'aws_db_instance');
    expect(db.deletion_protection).toBe(false);
    expect(db.lifecycle.prevent_destroy).toBeUndefined();
    expect(db.performance_insights_enabled).toBe(false);
  });

  it('is protected on prod: deletion protection, prevent_destroy, automated backups kept; Performance Insights when asked', () => {
    const db = only(prod, 'aws_db_instance');
    expect(db.deletion_protection).toBe(true);
    expect(db.lifecycle).toEqual({ prevent_destroy: true, ignore_changes: ['snapshot_identifier'] });
    expect(db.delete_automated_backups).toBe(false);
    expect(db).toMatchObject({ performance_insights_enabled: true, performance_insights_retention_period: 7 });
  });
});

describe('Database (Aurora PostgreSQL Serverless v2)', () => {
  const paused = synthTier(
    baseConfig({ stage: 'prod', database: { engine: 'aurora-serverless', minCapacity: 0, maxCapacity: 4, autoPauseSeconds: 900 } }),
  ).json;
  const ranged = synthTier(baseConfig({ database: { engine: 'aurora-serverless', minCapacity: 1, maxCapacity: 8 } })).json;

  it('is an aurora-postgresql cluster with a db.serverless instance and the ACU range from config', () => {
    expect(paused.resource.aws_db_instance).toBeUndefined();
    const cluster = only(paused, 'aws_rds_cluster');
    expect(cluster).toMatchObject({ engine: 'aurora-postgresql', engine_mode: 'provisioned', engine_version: '17', port: 5432 });
    expect(cluster.serverlessv2_scaling_configuration).toEqual({ min_capacity: 0, max_capacity: 4, seconds_until_auto_pause: 900 });
    expect(only(ranged, 'aws_rds_cluster').serverlessv2_scaling_configuration).toEqual({ min_capacity: 1, max_capacity: 8 });
    expect(only(paused, 'aws_rds_cluster_instance')).toMatchObject({
      instance_class: 'db.serverless',
      publicly_accessible: false,
      cluster_identifier: '${aws_rds_cluster.database_cluster.id}',
    });
  });

  it('has the same protections: encrypted, managed password, TLS forced, backups, final snapshot, deletion protection and prevent_destroy on prod', () => {
    const cluster = only(paused, 'aws_rds_cluster');
    expect(cluster).toMatchObject({
      storage_encrypted: true,
      manage_master_user_password: true,
      backup_retention_period: 7,
      copy_tags_to_snapshot: true,
      skip_final_snapshot: false,
      deletion_protection: true,
      lifecycle: { prevent_destroy: true, ignore_changes: ['snapshot_identifier'] },
      enabled_cloudwatch_logs_exports: ['postgresql'],
    });
    expect(cluster.master_password).toBeUndefined();
    expect(cluster.final_snapshot_identifier).toContain('terraform_data.database_final_snapshot_suffix.id');
    const pg = only(paused, 'aws_rds_cluster_parameter_group');
    expect(pg.family).toContain('aurora-postgresql%s');
    expect(pg.parameter).toEqual([{ name: 'rds.force_ssl', value: '1' }]);
    expect(cluster.db_cluster_parameter_group_name).toBe('${aws_rds_cluster_parameter_group.database_cluster_parameter_group.name}');
    expect(only(ranged, 'aws_rds_cluster').deletion_protection).toBe(false);
    expect(only(ranged, 'aws_rds_cluster').lifecycle.prevent_destroy).toBeUndefined();
  });
});

describe('Database restored from a snapshot', () => {
  it('creates the instance from the snapshot, and never replaces a running database when the setting changes', () => {
    const db = only(synthTier(baseConfig({ database: { restoreFromSnapshot: 'shop-dev-final-1a2b3c4d' } })).json, 'aws_db_instance');
    expect(db.snapshot_identifier).toBe('shop-dev-final-1a2b3c4d');
    expect(db.lifecycle.ignore_changes).toEqual(['snapshot_identifier']);
    expect(db.manage_master_user_password).toBe(true);
  });

  it('creates an Aurora cluster from a cluster snapshot', () => {
    const json = synthTier(baseConfig({ database: { engine: 'aurora-serverless', restoreFromSnapshot: 'shop-dev-final-1a2b3c4d' } })).json;
    expect(only(json, 'aws_rds_cluster').snapshot_identifier).toBe('shop-dev-final-1a2b3c4d');
  });

  it('is not set otherwise', () => {
    expect(only(synthTier(baseConfig({ database: {} })).json, 'aws_db_instance').snapshot_identifier).toBeUndefined();
  });
});

describe('Database security group', () => {
  it('opens 5432 only to security groups: a rule per allowed group and one per allowFrom(), never a CIDR', () => {
    const json = synthWith((scope) => {
      const db = new Database(scope, 'db', { name: 'shop-dev', ...NET, allowedSecurityGroupIds: ['sg-0aaa1111'] });
      db.allowFrom('sg-0bbb2222', 'worker jobs');
    });
    const rules = all(json, 'aws_vpc_security_group_ingress_rule');
    expect(rules.map((r) => [r.referenced_security_group_id, r.from_port, r.to_port, r.ip_protocol]).sort()).toEqual([
      ['sg-0aaa1111', 5432, 5432, 'tcp'],
      ['sg-0bbb2222', 5432, 5432, 'tcp'],
    ]);
    for (const r of rules) {
      expect(r.security_group_id).toBe('${aws_security_group.db_security_group.id}');
      expect(r.cidr_ipv4).toBeUndefined();
      expect(r.cidr_ipv6).toBeUndefined();
      expect(r.prefix_list_id).toBeUndefined();
    }
    expect(json.resource.aws_vpc_security_group_ingress_rule.db_allow_worker_jobs.description).toBe('PostgreSQL from worker jobs');
    expect(json.resource.aws_vpc_security_group_egress_rule).toBeUndefined();
  });

  it('refuses the same consumer label twice', () => {
    expect(() =>
      synthWith((scope) => {
        const db = new Database(scope, 'db', { name: 'shop-dev', ...NET });
        db.allowFrom('sg-0bbb2222', 'api');
        db.allowFrom('sg-0ccc3333', 'api');
      }),
    ).toThrow(/"api" is already allowed/);
  });

  it('iterates a list of unknown ids (a module variable) by index, so the plan knows the keys', () => {
    const json = synthWith((scope) => {
      const ids = new TerraformVariable(scope, 'allowed', { type: 'list(string)' });
      new Database(scope, 'db', { name: 'shop-dev', ...NET, allowedSecurityGroupIds: ids.listValue });
    });
    const rule = only(json, 'aws_vpc_security_group_ingress_rule');
    expect(rule.for_each).toBe('${zipmap(formatlist("%d", range(0, length(var.allowed), 1)), var.allowed)}');
    expect(rule.referenced_security_group_id).toBe('${each.value}');
  });
});

describe('Database with RDS Proxy', () => {
  const { json, tier } = synthTier(baseConfig({ database: { proxy: true } }));

  it('requires TLS and logs in with the managed master secret', () => {
    const proxy = only(json, 'aws_db_proxy');
    expect(proxy).toMatchObject({ engine_family: 'POSTGRESQL', require_tls: true, name: 'shop-dev' });
    expect(proxy.auth).toEqual([
      {
        auth_scheme: 'SECRETS',
        client_password_auth_type: 'POSTGRES_SCRAM_SHA_256',
        description: 'The managed master user secret',
        iam_auth: 'DISABLED',
        secret_arn: '${aws_db_instance.database_instance.master_user_secret[0].secret_arn}',
      },
    ]);
    expect(only(json, 'aws_db_proxy_target')).toMatchObject({
      target_group_name: 'default',
      db_instance_identifier: '${aws_db_instance.database_instance.identifier}',
    });
  });

  it("caps the proxy's pool at the share of max_connections the tasks leave", () => {
    const tg = only(json, 'aws_db_proxy_default_target_group');
    expect(tg.connection_pool_config.max_connections_percent).toBe(tier.budget!.proxyMaxConnectionsPercent);
    expect(tier.budget!.proxyMaxConnectionsPercent).toBeGreaterThan(0);
  });

  it('runs as a role RDS may assume for this account only, that reads exactly the master secret', () => {
    const role = json.resource.aws_iam_role.database_proxy_role;
    expect(role.assume_role_policy).toContain('"Service" = "rds.amazonaws.com"');
    expect(role.assume_role_policy).toContain('"aws:SourceAccount" = data.aws_caller_identity.database_proxy_aws_account.account_id');
    const policy = json.resource.aws_iam_role_policy.database_proxy_role_policy.policy as string;
    expect(policy).toContain(
      '"Action" = ["secretsmanager:GetSecretValue"], "Resource" = aws_db_instance.database_instance.master_user_secret[0].secret_arn',
    );
    expect(policy).toContain('"kms:ViaService" = "secretsmanager.${data.aws_region.database_proxy_aws_region.name}.amazonaws.com"');
  });

  it('sits between the consumers and the database: consumers reach the proxy, the proxy reaches the database, all by security group', () => {
    const rules = json.resource.aws_vpc_security_group_ingress_rule;
    expect(rules.database_proxy_allow_api).toMatchObject({
      security_group_id: '${aws_security_group.database_proxy_security_group.id}',
      referenced_security_group_id: '${aws_security_group.service_security_group.id}',
      from_port: 5432,
    });
    expect(rules.database_from_proxy).toMatchObject({
      security_group_id: '${aws_security_group.database_security_group.id}',
      referenced_security_group_id: '${aws_security_group.database_proxy_security_group.id}',
    });
    expect(json.resource.aws_vpc_security_group_egress_rule.database_proxy_to_database).toMatchObject({
      referenced_security_group_id: '${aws_security_group.database_security_group.id}',
      to_port: 5432,
    });
  });

  it('gives Lambda consumers the proxy endpoint as DATABASE_HOST, and the tasks the database itself', () => {
    expect(json.output!.tier_lambda_environment.value.DATABASE_HOST).toBe('${aws_db_proxy.database_proxy.endpoint}');
    expect(json.output!.tier_environment.value.DATABASE_HOST).toBe('${aws_db_instance.database_instance.address}');
    expect(tier.database!.proxy).toBeDefined();
  });
});
