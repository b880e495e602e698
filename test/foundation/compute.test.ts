import { all, exampleConfig, named, only, synth, text } from '../support/synth';

const SECRET = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:shop/stripe-AbCdEf';

describe('the compute path synthesizes production defaults', () => {
  const json = synth(exampleConfig({ service: { secrets: { STRIPE_KEY: SECRET } } }));

  it('runs one ARM64 task of 0.25 vCPU / 0.5 GB with a read-only root filesystem', () => {
    const td = named(json, 'aws_ecs_task_definition', 'service_task_definition');
    expect(td.cpu).toBe('256');
    expect(td.memory).toBe('512');
    expect(td.runtime_platform).toEqual({ cpu_architecture: 'ARM64', operating_system_family: 'LINUX' });
    expect(td.requires_compatibilities).toEqual(['FARGATE']);
    expect(text(td.container_definitions)).toMatch(/"readonlyRootFilesystem" = true/);
  });

  it('injects secrets with valueFrom, never as plain environment', () => {
    const defs = text(named(json, 'aws_ecs_task_definition', 'service_task_definition').container_definitions);
    expect(defs).toContain(`{"name" = "STRIPE_KEY", "valueFrom" = "${SECRET}"}`);
    expect(defs).not.toMatch(/"name" = "STRIPE_KEY", "value" = /);
  });

  it('deploys with a circuit breaker that rolls back, 100/200 %, and waits for steady state', () => {
    const svc = only(json, 'aws_ecs_service');
    expect(svc.deployment_circuit_breaker).toEqual({ enable: true, rollback: true });
    expect(svc.deployment_minimum_healthy_percent).toBe(100);
    expect(svc.deployment_maximum_percent).toBe(200);
    expect(svc.wait_for_steady_state).toBe(true);
    expect(svc.lifecycle.ignore_changes).toEqual(['desired_count']);
  });

  it('fails the apply when ECS rolled the deployment back', () => {
    const check = json.data?.aws_ecs_service?.service_deployed;
    expect(check).toBeDefined();
    expect(check.depends_on).toEqual(['aws_ecs_service.service_service']);
    const post = check.lifecycle.postcondition[0];
    expect(post.condition).toContain('self.task_definition == aws_ecs_task_definition.service_task_definition.arn');
    expect(post.error_message).toMatch(/rolled it back/);
  });

  it('serves HTTPS with a TLS 1.3 policy and redirects HTTP to HTTPS', () => {
    const https = named(json, 'aws_lb_listener', 'load_balancer_https');
    expect(https.protocol).toBe('HTTPS');
    expect(https.ssl_policy).toBe('ELBSecurityPolicy-TLS13-1-2-2021-06');
    const http = named(json, 'aws_lb_listener', 'load_balancer_http_redirect');
    expect(http.default_action[0]).toMatchObject({
      type: 'redirect',
      redirect: { protocol: 'HTTPS', port: '443', status_code: 'HTTP_301' },
    });
    expect(only(json, 'aws_lb').drop_invalid_header_fields).toBe(true);
  });

  it('checks /healthz on an ip target group and drains within 30 s', () => {
    const tg = only(json, 'aws_lb_target_group');
    expect(tg.target_type).toBe('ip');
    expect(tg.health_check.path).toBe('/healthz');
    expect(Number(tg.deregistration_delay)).toBeLessThanOrEqual(30);
  });

  it('keeps logs 14 days', () => {
    expect(named(json, 'aws_cloudwatch_log_group', 'service_logs').retention_in_days).toBe(14);
  });

  it('lets the execution role read exactly the given secrets and pull only its repository', () => {
    const policy = text(named(json, 'aws_iam_role_policy', 'service_execution_policy').policy);
    // The given secret and the cache token, then the database's managed secret for the migration container
    // (each reduced to its ARN).
    expect(policy).toContain(
      `"Action" = ["secretsmanager:GetSecretValue"], "Resource" = ["${SECRET}", join(":", slice(split(":", aws_secretsmanager_secret.cache_auth_token_secret.arn), 0, 7)), join(":", slice(split(":", format("%s:password::", aws_db_instance.database_instance.master_user_secret[0].secret_arn)), 0, 7))]`,
    );
    expect(policy).toMatch(/"Sid" = "PullImage".*"Resource" = aws_ecr_repository\.registry_repository\.arn/);
    expect(policy).not.toMatch(/secretsmanager:\*|"Resource" = "arn:aws:secretsmanager:\*/);
  });

  it('protects both roles against the confused deputy with aws:SourceAccount and aws:SourceArn', () => {
    for (const name of ['service_execution_role', 'service_task_role']) {
      const trust = text(named(json, 'aws_iam_role', name).assume_role_policy);
      expect(trust).toContain('aws:SourceAccount');
      expect(trust).toContain('aws:SourceArn');
      expect(trust).toContain('ecs-tasks.amazonaws.com');
    }
  });

  it('scales on CPU, memory and ALB requests per target between the configured bounds', () => {
    const target = only(json, 'aws_appautoscaling_target');
    expect([target.min_capacity, target.max_capacity]).toEqual([1, 4]);
    const metrics = all(json, 'aws_appautoscaling_policy').map(
      (p) => p.target_tracking_scaling_policy_configuration.predefined_metric_specification.predefined_metric_type,
    );
    expect(metrics.sort()).toEqual(['ALBRequestCountPerTarget', 'ECSServiceAverageCPUUtilization', 'ECSServiceAverageMemoryUtilization']);
  });

  it('turns Container Insights on', () => {
    expect(only(json, 'aws_ecs_cluster').setting).toEqual([{ name: 'containerInsights', value: 'enabled' }]);
  });

  it('lets only the load balancer reach the container port', () => {
    const rule = named(json, 'aws_vpc_security_group_ingress_rule', 'service_from_load_balancer');
    expect(rule.referenced_security_group_id).toBe('${aws_security_group.load_balancer_security_group.id}');
    expect(rule.cidr_ipv4).toBeUndefined();
  });

  it('uses immutable, scanned images', () => {
    const repo = only(json, 'aws_ecr_repository');
    expect(repo.image_tag_mutability).toBe('IMMUTABLE');
    expect(repo.image_scanning_configuration).toEqual({ scan_on_push: true });
  });

  it('accepts both AWS provider majors', () => {
    expect(json.terraform.required_providers.aws.version).toBe('>= 5.100, < 7');
  });
});

describe('NAT modes', () => {
  it('instance: one t4g.nano NAT instance with forwarding, no NAT gateway', () => {
    const json = synth(exampleConfig({ network: { nat: 'instance' } }));
    const inst = only(json, 'aws_instance');
    expect(inst.instance_type).toBe('t4g.nano');
    expect(inst.source_dest_check).toBe(false);
    expect(inst.user_data).toContain('net.ipv4.ip_forward = 1');
    expect(inst.metadata_options.http_tokens).toBe('required');
    expect(json.resource.aws_nat_gateway).toBeUndefined();
  });

  it('gateway: one NAT gateway by default, one per AZ on request', () => {
    expect(only(synth(exampleConfig({ network: { nat: 'gateway' } })), 'aws_nat_gateway').count).toBe(1);
    expect(only(synth(exampleConfig({ network: { nat: 'gateway', natGatewayPerAz: true } })), 'aws_nat_gateway').count).toBe(2);
  });

  it('none: no NAT, tasks in public subnets with public IPs', () => {
    const json = synth(exampleConfig({ network: { nat: 'none' } }));
    expect(json.resource.aws_nat_gateway).toBeUndefined();
    expect(json.resource.aws_instance).toBeUndefined();
    expect(only(json, 'aws_ecs_service').network_configuration.assign_public_ip).toBe(true);
  });
});
