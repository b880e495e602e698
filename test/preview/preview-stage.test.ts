import { resolveConfig } from '../../src/config';
import { PARENT_RULE_PRIORITY, previewOf, previewPriority } from '../../src/config/preview-plan';
import { exampleConfig, synth } from '../support/synth';

const previewConfig = (stage: string, extra: Record<string, unknown> = {}) =>
  exampleConfig({ stage, preview: { parent: 'dev' }, ...extra } as never);

describe('preview stages: which stage is a preview', () => {
  it('a stage starting with the prefix is a preview of the parent; the parent and other stages are not', () => {
    expect(previewOf(resolveConfig(previewConfig('pr-123')))).toMatchObject({
      parent: 'dev',
      parentPrefix: 'shop-dev',
      header: 'X-Backplane-Stage',
      priority: 1123,
      cacheKeyPrefix: 'pr-123:',
      databaseName: 'app_pr_123',
      appUsername: 'app_runtime_pr_123',
    });
    expect(previewOf(resolveConfig(previewConfig('dev')))).toBeUndefined();
    expect(previewOf(resolveConfig(previewConfig('staging')))).toBeUndefined();
    expect(previewOf(resolveConfig(exampleConfig({ stage: 'pr-1' })))).toBeUndefined();
  });

  it('priorities are stable, distinct for numbered stages and inside the preview range, never the parent rule', () => {
    expect(previewPriority('pr-1')).toBe(1001);
    expect(previewPriority('pr-2')).toBe(1002);
    expect(previewPriority('pr-feature')).toBe(previewPriority('pr-feature'));
    for (const s of ['pr-feature', 'pr-x', 'pr-48999', 'pr-99999999']) expect(previewPriority(s)).toEqual(expect.any(Number));
    for (const s of ['pr-feature', 'pr-x', 'pr-48999', 'pr-99999999']) {
      expect(previewPriority(s)).toBeGreaterThanOrEqual(1000);
      expect(previewPriority(s)).toBeLessThan(PARENT_RULE_PRIORITY);
    }
  });

  it('a protected preview is refused with the reason and the fix', () => {
    expect(() => resolveConfig(previewConfig('pr-9', { protect: true }))).toThrow(
      /protect = true: stage "pr-9" is a preview of "dev".*must stay destroyable/,
    );
  });

  it("prod is never a parent: a preview's migrations hold the parent's master credentials", () => {
    expect(() => resolveConfig(exampleConfig({ stage: 'pr-1', preview: { parent: 'prod' } } as never))).toThrow(
      /preview\.parent = "prod": a preview's migrations log in with its parent's master credentials.*preview: \{ parent: 'dev' \}/,
    );
  });

  it('a bad header or prefix is refused at validation', () => {
    expect(() => resolveConfig(exampleConfig({ stage: 'pr-1', preview: { parent: 'dev', header: 'X Stage' } } as never))).toThrow(
      /preview\.header/,
    );
    expect(() => resolveConfig(exampleConfig({ stage: 'pr-1', preview: { parent: 'dev', stagePrefix: 'PR' } } as never))).toThrow(
      /preview\.stagePrefix/,
    );
  });
});

describe('preview stages: what a preview synthesizes', () => {
  const json = synth(previewConfig('pr-7'));
  const types = Object.keys(json.resource);

  it('creates no network, load balancer, database, cache, certificate, email identity, alarm or distribution', () => {
    for (const t of [
      'aws_vpc',
      'aws_subnet',
      'aws_lb',
      'aws_lb_listener',
      'aws_security_group_rule',
      'aws_db_instance',
      'aws_elasticache_replication_group',
      'aws_acm_certificate',
      'aws_sesv2_email_identity',
      'aws_cloudwatch_metric_alarm',
      'aws_cloudfront_distribution',
      'aws_ecr_repository',
      'aws_nat_gateway',
      'aws_instance',
    ])
      expect(types).not.toContain(t);
    expect(json.import ?? []).toEqual([]);
  });

  it('reads the parent by name: VPC, subnets, load balancer, listener, repository, database and cache', () => {
    const data = json.data!;
    expect(Object.values(data.aws_vpc)[0].filter).toEqual([{ name: 'tag:Name', values: ['shop-dev-vpc'] }]);
    expect(data.aws_lb.parent_load_balancer.name).toBe('shop-dev');
    expect(data.aws_lb_listener.parent_https_listener.port).toBe(443);
    expect(data.aws_ecr_repository.parent_repository.name).toBe('shop-dev');
    expect(data.aws_db_instance.parent_database.db_instance_identifier).toBe('shop-dev');
    expect(data.aws_elasticache_replication_group.parent_cache.replication_group_id).toBe('shop-dev');
    // nat "none" in the example: tasks run in the parent's public subnets, as the parent's do.
    expect(data.aws_subnets.parent_public_subnets.filter[1]).toEqual({ name: 'tag:Name', values: ['shop-dev-public-*'] });
  });

  it('routes on the stage header on the parent listener, before the parent rule, to its own target group', () => {
    const rule = json.resource.aws_lb_listener_rule.listener_rule;
    expect(rule.priority).toBe(1007);
    expect(rule.listener_arn).toBe('${data.aws_lb_listener.parent_https_listener.arn}');
    expect(rule.condition).toEqual([{ http_header: { http_header_name: 'X-Backplane-Stage', values: ['pr-7'] } }]);
    expect(rule.action[0].target_group_arn).toBe('${aws_lb_target_group.target_group.arn}');
    expect(json.resource.aws_lb_target_group.target_group.name).toBe('shop-pr-7');
  });

  it("runs its own service with its own database, app role and cache key prefix on the parent's instance", () => {
    // cdktn renders the container definitions as an HCL jsonencode(): look for each "name" = ..., "value" = ... pair.
    const hcl = (json.resource.aws_ecs_task_definition.service_task_definition.container_definitions as string).replace(/\\"/g, '"');
    const app = hcl.slice(hcl.indexOf('"name" = "app"'));
    const pair = (name: string, value: string) => expect(app).toContain(`{"name" = "${name}", "value" = ${value}}`);
    pair('APP_STAGE', '"pr-7"');
    pair('DATABASE_NAME', '"app_pr_7"');
    pair('DATABASE_USER', '"app_runtime_pr_7"');
    pair('CACHE_KEY_PREFIX', '"pr-7:"');
    pair('EMAIL_CONFIGURATION_SET', '"shop-dev"');
    pair('DATABASE_HOST', 'data.aws_db_instance.parent_database.address');
    pair('REDIS_URL', 'format("rediss://%s:6379", data.aws_elasticache_replication_group.parent_cache.primary_endpoint_address)');
    // The migration container logs in as the parent's master user and is told to create the preview's database.
    const migrate = hcl.slice(0, hcl.indexOf('"name" = "app"'));
    expect(migrate).toContain('{"name" = "DATABASE_CREATE", "value" = "true"}');
    expect(migrate).toContain('format("%s:password::", data.aws_db_instance.parent_database.master_user_secret[0].secret_arn)');
    expect(app).not.toContain('DATABASE_PASSWORD');
    const policies = Object.values(json.resource.aws_iam_role_policy).map((p: any) => p.policy as string);
    const connect = policies.find((p) => p.includes('rds-db:connect'))!;
    expect(connect).toContain('${data.aws_db_instance.parent_database.resource_id}/app_runtime_pr_7');
    const ingress = Object.values(json.resource.aws_vpc_security_group_ingress_rule) as any[];
    expect(ingress.map((r) => r.security_group_id)).toEqual(
      expect.arrayContaining([
        '${data.aws_security_group.parent_database_security_group.id}',
        '${data.aws_security_group.parent_cache_security_group.id}',
      ]),
    );
  });

  it('behind a public ALB, the preview rule also requires the parent origin header', () => {
    const pub = synth(previewConfig('pr-8', { edge: { albAccess: 'public' } }));
    const rule = pub.resource.aws_lb_listener_rule.listener_rule;
    expect(rule.condition[1].http_header.http_header_name).toBe('X-Origin-Verify');
    expect(rule.condition[1].http_header.values).toEqual(['${data.aws_secretsmanager_secret_version.parent_origin_verify.secret_string}']);
  });

  it("the parent's own forwarding rule is evaluated last, so previews are tried first", () => {
    const parent = synth(exampleConfig({ preview: { parent: 'dev' } } as never));
    const rules = Object.values(parent.resource.aws_lb_listener_rule) as any[];
    expect(rules.map((r) => r.priority)).toEqual(rules.map(() => PARENT_RULE_PRIORITY));
    expect(Object.keys(parent.resource)).toContain('aws_vpc');
  });
});
