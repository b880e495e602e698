import { ConfigError } from '../../src/config';
import { baseConfig, containerText, only, synthTier } from './helpers';

const SECRET = '${aws_db_instance.database_instance.master_user_secret[0].secret_arn}';

describe('the data tier in the preset', () => {
  const { json, tier } = synthTier(baseConfig({ database: {}, cache: {} }), [{ label: 'worker jobs' }]);

  it("gives the app the documented environment: its own role with IAM auth, TLS verify-full, no secret's ARN, and REDIS_URL", () => {
    expect(json.output!.tier_environment.value).toEqual({
      DATABASE_HOST: '${aws_db_instance.database_instance.address}',
      DATABASE_PORT: '5432',
      DATABASE_NAME: 'app',
      DATABASE_USER: 'app_runtime',
      DATABASE_AUTH: 'iam',
      DATABASE_SSL: 'verify-full',
      REDIS_URL: '${format("rediss://%s:6379", aws_elasticache_replication_group.cache_replication_group.primary_endpoint_address)}',
    });
  });

  it('injects the cache token as a task secret, never as environment; the master password reaches the migration container only', () => {
    expect(json.output!.tier_secrets.value).toEqual({
      REDIS_AUTH_TOKEN: '${aws_secretsmanager_secret.cache_auth_token_secret.arn}',
    });
    expect(Object.keys(tier.migrationSecrets!)).toEqual(['DATABASE_PASSWORD']);
    expect(tier.migrationEnvironment).toEqual({ DATABASE_USER: 'app', DATABASE_AUTH: 'password', DATABASE_APP_USER: 'app_runtime' });
    expect(Object.keys(tier.environment!)).not.toContain('DATABASE_PASSWORD');
    expect(Object.keys(tier.environment!)).not.toContain('REDIS_AUTH_TOKEN');
  });

  it('reaches the container definitions of the API task as references, not as quoted text', () => {
    const defs = containerText(json);
    expect(defs).toContain('DATABASE_HOST');
    // A reference must stay a reference: "aws_db_instance..." as a quoted string would be the literal text.
    expect(defs).not.toMatch(/\\"DATABASE_HOST\\" = \\"aws_db_instance/);
    expect(defs).not.toMatch(/\\"DATABASE_PASSWORD\\" = \\"format\(/);
  });

  it('lets every consumer in by security group, on both ports', () => {
    const rules = json.resource.aws_vpc_security_group_ingress_rule;
    expect(rules.database_allow_api.referenced_security_group_id).toBe('${aws_security_group.service_security_group.id}');
    expect(rules.cache_allow_api.referenced_security_group_id).toBe('${aws_security_group.service_security_group.id}');
    expect(rules.database_allow_worker_jobs).toMatchObject({
      referenced_security_group_id: '${aws_security_group.worker_worker_jobs_security_group.id}',
      from_port: 5432,
    });
    expect(rules.cache_allow_worker_jobs).toMatchObject({
      referenced_security_group_id: '${aws_security_group.worker_worker_jobs_security_group.id}',
      from_port: 6379,
    });
  });

  it("lets each ECS consumer's role connect as the app role alone and re-read the cache token, never the master secret", () => {
    const policy = json.resource.aws_iam_role_policy.data_secrets_api;
    expect(policy.role).toBe('${aws_iam_role.service_task_role.name}');
    expect(policy.policy).toContain(
      '"Action" = ["rds-db:connect"], "Resource" = ["arn:${data.aws_partition.database_aws_partition.partition}:rds-db:${data.aws_region.database_aws_region.name}:${data.aws_caller_identity.database_aws_account.account_id}:dbuser:${aws_db_instance.database_instance.resource_id}/app_runtime"]',
    );
    expect(policy.policy).toContain(
      `"Action" = ["secretsmanager:GetSecretValue"], "Resource" = [aws_secretsmanager_secret.cache_auth_token_secret.arn]`,
    );
    expect(policy.policy).not.toContain('master_user_secret');
    expect(json.resource.aws_iam_role_policy.data_secrets_worker_jobs.role).toBe('${aws_iam_role.worker_worker_jobs_task_role.name}');
  });

  it('lets the execution role read the injected secrets', () => {
    const exec = json.resource.aws_iam_role_policy.service_execution_policy.policy as string;
    expect(exec).toContain('secretsmanager:GetSecretValue');
  });

  it('turns on IAM database authentication', () => {
    expect(json.resource.aws_db_instance.database_instance.iam_database_authentication_enabled).toBe(true);
  });

  it('the migration container logs in as the owner while the app container gets neither its user nor its password', () => {
    const defs = containerText(json).replace(/\\+"/g, '"');
    const [migrate, app] = defs.split('"name" = "app"');
    expect(migrate).toContain('"DATABASE_APP_USER"');
    expect(migrate).toMatch(/"DATABASE_PASSWORD", "valueFrom" = format\("%s:password::"/);
    expect(app).not.toContain('DATABASE_PASSWORD');
    expect(app).not.toContain('master_user_secret');
  });

  it('gives Lambda consumers the secrets as ARNs to read, since Lambda has no task secrets', () => {
    expect(json.output!.tier_lambda_environment.value).toMatchObject({
      DATABASE_HOST: '${aws_db_instance.database_instance.address}',
      DATABASE_SECRET_ARN: SECRET,
      REDIS_AUTH_TOKEN_SECRET_ARN: '${aws_secretsmanager_secret.cache_auth_token_secret.arn}',
    });
  });

  it('exposes the outputs the e2e assertions read', () => {
    expect(
      Object.keys(json.output!)
        .filter((k) => !k.startsWith('tier_'))
        .sort(),
    ).toEqual([
      'cache_auth_token_secret_arn',
      'cache_replication_group_id',
      'cache_security_group_id',
      'cache_url',
      'database_engine',
      'database_host',
      'database_identifier',
      'database_master_secret_arn',
      'database_security_group_id',
    ]);
    expect(json.output!.database_engine.value).toBe('postgres');
  });
});

describe('the data tier without data sections', () => {
  it('deploys nothing and adds nothing to the app', () => {
    const { json, tier } = synthTier(baseConfig());
    expect(json.resource.aws_db_instance).toBeUndefined();
    expect(json.resource.aws_elasticache_replication_group).toBeUndefined();
    expect(tier.environment).toBeUndefined();
    expect(tier.allow).toBeUndefined();
  });

  it('deploys only the cache when only the cache is configured', () => {
    const { json } = synthTier(baseConfig({ cache: {} }));
    expect(json.resource.aws_db_instance).toBeUndefined();
    expect(only(json, 'aws_elasticache_replication_group').engine).toBe('valkey');
  });
});

describe('the connection budget at synth time', () => {
  it('refuses, before building anything, pools that can exhaust max_connections', () => {
    const run = () =>
      synthTier(
        baseConfig({ service: { image: 'public.ecr.aws/acme/api:1.0.0', scaling: { min: 1, max: 10 } }, database: { poolSize: 10 } }),
      );
    expect(run).toThrow(ConfigError);
    expect(run).toThrow(/database\.poolSize = 10: at full scale the app can open 100 connections, more than the 75 the database allows it/);
  });
});
