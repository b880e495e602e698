import { Cache } from '../../src/constructs/cache';
import { all, baseConfig, everything, only, synthTier, synthWith } from './helpers';

const NET = { vpcId: 'vpc-0123456789abcdef0', subnetIds: ['subnet-0aaa', 'subnet-0bbb'] };

describe('Cache (ElastiCache Valkey)', () => {
  const { json: dev, tier } = synthTier(baseConfig({ cache: {} }));
  const prod = synthTier(baseConfig({ stage: 'prod', cache: { multiAz: true } })).json;

  it('is a Valkey 8.0 replication group of one cache.t4g.micro node in the private subnets', () => {
    expect(only(dev, 'aws_elasticache_replication_group')).toMatchObject({
      engine: 'valkey',
      engine_version: '8.0',
      node_type: 'cache.t4g.micro',
      num_cache_clusters: 1,
      port: 6379,
      subnet_group_name: '${aws_elasticache_subnet_group.cache_subnet_group.name}',
      security_group_ids: ['${aws_security_group.cache_security_group.id}'],
      automatic_failover_enabled: false,
      multi_az_enabled: false,
    });
    expect(only(dev, 'aws_elasticache_subnet_group').subnet_ids).toBe('${aws_subnet.network_private_subnets[*].id}');
  });

  it('encrypts in transit and at rest', () => {
    const rg = only(dev, 'aws_elasticache_replication_group');
    expect(rg.transit_encryption_enabled).toBe(true);
    expect(rg.at_rest_encryption_enabled).toBe('true');
  });

  it('generates the AUTH token with Secrets Manager, writes it write-only, and feeds the group from the secret', () => {
    const generated = dev.ephemeral!.aws_secretsmanager_random_password.cache_auth_token;
    expect(generated).toMatchObject({ password_length: 64, exclude_punctuation: true });
    const version = only(dev, 'aws_secretsmanager_secret_version');
    expect(version.secret_string_wo).toBe('${ephemeral.aws_secretsmanager_random_password.cache_auth_token.random_password}');
    expect(version.secret_string_wo_version).toBe(1);
    expect(version.secret_string).toBeUndefined();
    const read = dev.data!.aws_secretsmanager_secret_version.cache_auth_token_value;
    expect(read).toMatchObject({
      secret_id: '${aws_secretsmanager_secret.cache_auth_token_secret.id}',
      version_id: '${aws_secretsmanager_secret_version.cache_auth_token_version.version_id}',
    });
    const rg = only(dev, 'aws_elasticache_replication_group');
    expect(rg.auth_token).toBe('${data.aws_secretsmanager_secret_version.cache_auth_token_value.secret_string}');
    expect(rg.auth_token_update_strategy).toBe('ROTATE');
  });

  it('rotates the token when its version is bumped', () => {
    const json = synthTier(baseConfig({ cache: { authTokenVersion: 3 } })).json;
    expect(only(json, 'aws_secretsmanager_secret_version').secret_string_wo_version).toBe(3);
  });

  it('revokes the old token on request: the same token with the SET strategy (AWS: SET only after a ROTATE)', () => {
    const json = synthTier(baseConfig({ cache: { authTokenVersion: 3, revokeOldAuthToken: true } })).json;
    const rg = only(json, 'aws_elasticache_replication_group');
    expect(rg.auth_token_update_strategy).toBe('SET');
    expect(rg.auth_token).toBe('${data.aws_secretsmanager_secret_version.cache_auth_token_value.secret_string}');
    expect(only(json, 'aws_secretsmanager_secret_version').secret_string_wo_version).toBe(3);
  });

  it('has no token literal in the configuration', () => {
    const text = everything(dev);
    expect(text).not.toMatch(/"auth_token": "[^$]/);
    expect(text).not.toMatch(/"secret_string": /);
  });

  it('gives the app REDIS_URL (rediss://, no credentials) and REDIS_AUTH_TOKEN as a task secret', () => {
    const url = '${format("rediss://%s:6379", aws_elasticache_replication_group.cache_replication_group.primary_endpoint_address)}';
    expect(dev.output!.tier_environment.value).toEqual({ REDIS_URL: url });
    expect(dev.output!.tier_secrets.value).toEqual({ REDIS_AUTH_TOKEN: '${aws_secretsmanager_secret.cache_auth_token_secret.arn}' });
    expect(Object.keys(tier.environment!)).toEqual(['REDIS_URL']);
  });

  it("opens 6379 only to the consumers' security groups", () => {
    const rules = all(dev, 'aws_vpc_security_group_ingress_rule').filter(
      (r) => r.security_group_id === '${aws_security_group.cache_security_group.id}',
    );
    expect(rules).toEqual([
      expect.objectContaining({
        from_port: 6379,
        to_port: 6379,
        ip_protocol: 'tcp',
        referenced_security_group_id: '${aws_security_group.service_security_group.id}',
      }),
    ]);
    expect(rules[0].cidr_ipv4).toBeUndefined();
  });

  it('takes no snapshots on dev and frees the secret name at once', () => {
    const rg = only(dev, 'aws_elasticache_replication_group');
    expect(rg.snapshot_retention_limit).toBe(0);
    expect(rg.final_snapshot_identifier).toBeUndefined();
    expect(rg.lifecycle).toBeUndefined();
    expect(only(dev, 'aws_secretsmanager_secret').recovery_window_in_days).toBe(0);
  });

  it('on prod keeps 7 days of snapshots, a final snapshot, prevent_destroy and a recovery window; Multi-AZ adds a replica with failover', () => {
    const rg = only(prod, 'aws_elasticache_replication_group');
    expect(rg.snapshot_retention_limit).toBe(7);
    expect(rg.final_snapshot_identifier).toBe(
      '${format("%s-final-%s", "shop-prod", substr(terraform_data.cache_final_snapshot_suffix.id, 0, 8))}',
    );
    expect(rg.lifecycle).toEqual({ prevent_destroy: true });
    expect(rg).toMatchObject({ num_cache_clusters: 2, automatic_failover_enabled: true, multi_az_enabled: true });
    expect(only(prod, 'aws_secretsmanager_secret').recovery_window_in_days).toBe(7);
  });

  it('runs Redis OSS 7.1 when asked', () => {
    const json = synthWith((scope) => new Cache(scope, 'cache', { name: 'shop-dev', engine: 'redis', ...NET }));
    expect(only(json, 'aws_elasticache_replication_group')).toMatchObject({
      engine: 'redis',
      engine_version: '7.1',
      transit_encryption_enabled: true,
    });
  });

  it('refuses Multi-AZ with a single node in the construct too', () => {
    expect(() => synthWith((scope) => new Cache(scope, 'cache', { name: 'shop-dev', multiAz: true, ...NET }))).toThrow(
      'multi_az = true needs num_cache_clusters >= 2 (a primary and at least one replica to fail over to); num_cache_clusters is 1',
    );
  });
});
