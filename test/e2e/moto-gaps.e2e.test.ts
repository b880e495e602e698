/**
 * Proves the moto shim against every known moto gap, with the real terraform binary and the real
 * aws provider: test/e2e/fixtures/moto-gaps applies, reads back right through the AWS SDK,
 * re-plans with nothing but tolerated differences, fails when ECS rolls a deployment back, and
 * destroys cleanly.
 */
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  ApplicationAutoScalingClient,
  DeleteScalingPolicyCommand,
  DescribeScalableTargetsCommand,
  DescribeScalingPoliciesCommand,
  ListTagsForResourceCommand,
} from '@aws-sdk/client-application-auto-scaling';
import { CloudFrontClient, CreateDistributionCommand, UpdateDistributionCommand } from '@aws-sdk/client-cloudfront';
import { DescribeSecurityGroupRulesCommand, DescribeVpcsCommand, EC2Client, RevokeSecurityGroupIngressCommand } from '@aws-sdk/client-ec2';
import { DescribeServicesCommand, DescribeTaskDefinitionCommand, ECSClient } from '@aws-sdk/client-ecs';
import { DescribeCacheClustersCommand, DescribeReplicationGroupsCommand, ElastiCacheClient } from '@aws-sdk/client-elasticache';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateFunctionCommand, LambdaClient, ListFunctionsCommand, PublishLayerVersionCommand } from '@aws-sdk/client-lambda';
import { CreateQueueCommand, ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { loadFflate } from '../../src/lambda/zip';
import { awsClientConfig, describeWithEngine, startMoto, TerraformWorkspace, type MotoServer } from './lib';
import { SHIMMED_GAPS } from './tolerated-differences';

const FIXTURE = path.join(__dirname, 'fixtures', 'moto-gaps');

interface Outputs {
  vpc_id: string;
  subnet_ids: string[];
  replication_group_id: string;
  cache_security_group_id: string;
  service_security_group_id: string;
  cluster_name: string;
  service_name: string;
  task_definition_arn: string;
  deployed_task_definition_arn: string;
  scaling_policy_name: string;
  scalable_target_arn: string;
  secondary_region: string;
  secondary_account_id: string;
}

describeWithEngine('moto gaps: real Terraform applies, re-plans and destroys through the shim', () => {
  let moto: MotoServer;
  let ws: TerraformWorkspace;
  let out: Outputs;
  let ecs: ECSClient;
  let elasticache: ElastiCacheClient;
  let scaling: ApplicationAutoScalingClient;
  let ec2: EC2Client;

  beforeAll(async () => {
    moto = await startMoto();
    ws = TerraformWorkspace.create({ name: 'moto-gaps', sourceDir: FIXTURE, moto });
    const cfg = awsClientConfig(moto);
    ecs = new ECSClient(cfg);
    elasticache = new ElastiCacheClient(cfg);
    scaling = new ApplicationAutoScalingClient(cfg);
    ec2 = new EC2Client(cfg);
  });

  afterAll(async () => {
    try {
      if (ws && (await ws.resourceAddresses()).length > 0) await ws.destroy();
    } finally {
      ws?.printSummary();
      for (const c of [ecs, elasticache, scaling, ec2]) c?.destroy();
      await moto?.stop();
    }
  });

  it('lists every patch the shim installs, once, in THE list of differences (tolerated-differences.ts)', () => {
    const listed = SHIMMED_GAPS.map((g) => g.patch).filter((p) => !p.startsWith('(harness)'));
    expect([...moto.patches].sort()).toEqual([...listed].sort());
  });

  it('(harness) answers a retried attempt of an answered operation (same amz-sdk-invocation-id) again instead of running it twice', async () => {
    const sqs = new SQSClient(awsClientConfig(moto));
    sqs.middlewareStack.add(
      (next) => async (args) => {
        (args.request as { headers: Record<string, string> }).headers['amz-sdk-invocation-id'] = 'e2e-one-invocation';
        return next(args);
      },
      { step: 'finalizeRequest', priority: 'low' },
    );
    const first = await sqs.send(new CreateQueueCommand({ QueueName: 'replay-first' }));
    const retried = await sqs.send(new CreateQueueCommand({ QueueName: 'replay-second' }));
    expect(retried.QueueUrl).toBe(first.QueueUrl);
    const plain = new SQSClient(awsClientConfig(moto));
    const { QueueUrls = [] } = await plain.send(new ListQueuesCommand({ QueueNamePrefix: 'replay-' }));
    expect(QueueUrls.map((u) => u.split('/').pop())).toEqual(['replay-first']);
    for (const c of [sqs, plain]) c.destroy();
  });

  it('applies: VPC, Valkey replication group, ECS service waiting for steady state, tagged scaling target', async () => {
    await ws.up();
    out = await ws.output<Outputs>();
    expect(out.subnet_ids).toHaveLength(2);
    expect(out.deployed_task_definition_arn).toBe(out.task_definition_arn);
  });

  it('answers a delete of a missing scaling policy with ObjectNotFoundException, as AWS does', async () => {
    const missing = new DeleteScalingPolicyCommand({
      PolicyName: 'no-such-policy',
      ServiceNamespace: 'ecs',
      ResourceId: 'service/none/none',
      ScalableDimension: 'ecs:service:DesiredCount',
    });
    await expect(scaling.send(missing)).rejects.toMatchObject({ name: 'ObjectNotFoundException' });
  });

  it('answers a revoke of an unknown security group rule id with InvalidSecurityGroupRuleId.NotFound, as AWS does', async () => {
    const revoke = new RevokeSecurityGroupIngressCommand({
      GroupId: out.cache_security_group_id,
      SecurityGroupRuleIds: ['sgr-00000000000000000'],
    });
    await expect(ec2.send(revoke)).rejects.toMatchObject({ name: 'InvalidSecurityGroupRuleId.NotFound' });
  });

  it('ignores revoked IpPermissions the group does not have, as AWS does (no InvalidPermission.NotFound)', async () => {
    const group = out.cache_security_group_id;
    const rules = async () =>
      (await ec2.send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [group] }] }))).SecurityGroupRules
        ?.length;
    const before = await rules();
    const unknown = [{ IpProtocol: 'tcp', FromPort: 1, ToPort: 2, IpRanges: [{ CidrIp: '192.0.2.0/24' }] }];
    await expect(ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: group, IpPermissions: unknown }))).resolves.toBeDefined();
    expect(await rules()).toBe(before);
  });

  it('redirects the aliased provider to moto and keeps its own region', async () => {
    expect(ws.override.redirected).toEqual(['aws', 'aws.secondary']);
    expect(out.secondary_region).toBe('us-west-2');
    expect(out.secondary_account_id).toBe('123456789012');
  });

  it('keeps the default provider default_tags next to the override', async () => {
    const { Vpcs } = await ec2.send(new DescribeVpcsCommand({ VpcIds: [out.vpc_id] }));
    expect(Vpcs?.[0]?.Tags).toEqual(expect.arrayContaining([{ Key: 'project', Value: 'backplane-e2e' }]));
  });

  it('creates the replication group with an encrypted member cluster in the cache security group', async () => {
    const { ReplicationGroups } = await elasticache.send(
      new DescribeReplicationGroupsCommand({ ReplicationGroupId: out.replication_group_id }),
    );
    const group = ReplicationGroups?.[0];
    expect(group).toMatchObject({
      Status: 'available',
      Engine: 'valkey',
      CacheNodeType: 'cache.t4g.micro',
      AtRestEncryptionEnabled: true,
      TransitEncryptionEnabled: true,
    });
    expect(group?.MemberClusters).toHaveLength(1);
    // elasticache.reader_endpoint: both endpoints of a cluster-mode-disabled node group, as AWS returns them.
    expect(group?.NodeGroups?.[0]?.PrimaryEndpoint?.Address).toMatch(/^master\./);
    expect(group?.NodeGroups?.[0]?.ReaderEndpoint).toEqual({ Address: expect.stringMatching(/^replica\./), Port: 6379 });
    const { CacheClusters } = await elasticache.send(new DescribeCacheClustersCommand({ CacheClusterId: group?.MemberClusters?.[0] }));
    expect(CacheClusters?.[0]).toMatchObject({
      ReplicationGroupId: out.replication_group_id,
      AtRestEncryptionEnabled: true,
      SecurityGroups: [{ SecurityGroupId: out.cache_security_group_id, Status: 'active' }],
    });
  });

  it('runs the ECS service at its desired count on the ARM64 task definition, circuit breaker kept', async () => {
    const { services } = await ecs.send(new DescribeServicesCommand({ cluster: out.cluster_name, services: [out.service_name] }));
    const service = services?.[0];
    expect(service).toMatchObject({
      status: 'ACTIVE',
      desiredCount: 1,
      runningCount: 1,
      taskDefinition: out.task_definition_arn,
      enableECSManagedTags: true,
    });
    expect(service?.deploymentConfiguration?.deploymentCircuitBreaker).toEqual({ enable: true, rollback: true });
    expect(service?.deployments).toHaveLength(1);
    expect(service?.deployments?.[0]).toMatchObject({ status: 'PRIMARY', rolloutState: 'COMPLETED' });
    const { taskDefinition } = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: out.task_definition_arn }));
    expect(taskDefinition).toMatchObject({
      cpu: '256',
      memory: '512',
      runtimePlatform: { cpuArchitecture: 'ARM64', operatingSystemFamily: 'LINUX' },
    });
  });

  it('tags the scaling target and tracks CPU at 60 % with the policy', async () => {
    const resourceId = `service/${out.cluster_name}/${out.service_name}`;
    const { ScalableTargets } = await scaling.send(
      new DescribeScalableTargetsCommand({ ServiceNamespace: 'ecs', ResourceIds: [resourceId] }),
    );
    expect(ScalableTargets?.[0]).toMatchObject({ MinCapacity: 1, MaxCapacity: 3, ScalableDimension: 'ecs:service:DesiredCount' });
    const { Tags } = await scaling.send(new ListTagsForResourceCommand({ ResourceARN: out.scalable_target_arn }));
    expect(Tags).toEqual({ component: 'api', project: 'backplane-e2e' });
    const { ScalingPolicies } = await scaling.send(new DescribeScalingPoliciesCommand({ ServiceNamespace: 'ecs', ResourceId: resourceId }));
    expect(ScalingPolicies?.map((p) => p.PolicyName)).toEqual([out.scaling_policy_name]);
    expect(ScalingPolicies?.[0]?.TargetTrackingScalingPolicyConfiguration).toMatchObject({
      TargetValue: 60,
      PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' },
    });
  });

  it('keeps the description of a rule that references a security group', async () => {
    const { SecurityGroupRules } = await ec2.send(
      new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [out.cache_security_group_id] }] }),
    );
    const ingress = SecurityGroupRules?.find((r) => !r.IsEgress);
    expect(ingress).toMatchObject({
      Description: 'Valkey from the service',
      ReferencedGroupInfo: { GroupId: out.service_security_group_id },
    });
  });

  it('re-plans with nothing but tolerated differences', async () => {
    const replan = await ws.replan();
    expect(replan.unexpected).toEqual([]);
    expect(replan.empty || replan.tolerated.length > 0).toBe(true);
  });

  it('fails the apply when ECS rolls the new deployment back (postcondition on data.aws_ecs_service)', async () => {
    const failed = await ws.apply({ vars: { image: 'public.ecr.aws/docker/library/nginx:e2e-unhealthy' }, expectFailure: true });
    expect(failed.output).toMatch(/Resource postcondition failed/);
    expect(failed.output).toMatch(/ECS rolled back: service bp-gaps runs\s+\S+:1,\s+not\s+\S+:2\./);
    const { services } = await ecs.send(new DescribeServicesCommand({ cluster: out.cluster_name, services: [out.service_name] }));
    expect(services?.[0]).toMatchObject({ taskDefinition: out.task_definition_arn, runningCount: 1 });
  });

  it('refuses, as AWS does, a security group whose prefix-list rules weigh more than 60 (ec2.prefix_list_weights)', async () => {
    // The origin-facing list weighs 55 (Amazon VPC User Guide, "AWS-managed prefix lists"): once fits, twice does not.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sg-weights-'));
    const rule = (name: string, port: number, count: string) =>
      `resource "aws_vpc_security_group_ingress_rule" "${name}" {\n  count = ${count}\n  security_group_id = aws_security_group.alb.id\n  ip_protocol = "tcp"\n  from_port = ${port}\n  to_port = ${port}\n  prefix_list_id = data.aws_ec2_managed_prefix_list.cloudfront.id\n}\n`;
    fs.writeFileSync(
      path.join(dir, 'main.tf'),
      `variable "second" {\n  type = bool\n  default = false\n}\n` +
        `resource "aws_vpc" "weights" {\n  cidr_block = "10.42.0.0/16"\n}\n` +
        `data "aws_ec2_managed_prefix_list" "cloudfront" {\n  name = "com.amazonaws.global.cloudfront.origin-facing"\n}\n` +
        `resource "aws_security_group" "alb" {\n  name = "weights"\n  vpc_id = aws_vpc.weights.id\n}\n` +
        rule('https', 443, '1') +
        rule('http', 80, 'var.second ? 1 : 0'),
    );
    const weights = TerraformWorkspace.create({ name: 'moto-gaps-weights', sourceDir: dir, moto });
    try {
      await weights.up();
      const failed = await weights.apply({ vars: { second: true }, expectFailure: true });
      expect(failed.output).toMatch(/RulesPerSecurityGroupLimitExceeded/);
    } finally {
      await weights.destroy();
    }
  });

  it('refuses, as CloudFront does, a distribution over 75 cache behaviors or 100 origins (cloudfront.quotas)', async () => {
    const cf = new CloudFrontClient(awsClientConfig(moto));
    const origin = (i: number) => ({
      Id: `o${i}`,
      DomainName: `o${i}.example.com`,
      CustomOriginConfig: { HTTPPort: 80, HTTPSPort: 443, OriginProtocolPolicy: 'https-only' as const },
    });
    const behavior = (i: number) => ({
      PathPattern: `/p${i}/*`,
      TargetOriginId: 'o0',
      ViewerProtocolPolicy: 'https-only' as const,
      CachePolicyId: '658327ea-f89d-4fab-a63d-7e88639e58f6',
    });
    const config = (origins: number, behaviors: number, ref: string) => ({
      CallerReference: ref,
      Comment: 'quota',
      Enabled: true,
      Origins: { Quantity: origins, Items: Array.from({ length: origins }, (_, i) => origin(i)) },
      DefaultCacheBehavior: {
        TargetOriginId: 'o0',
        ViewerProtocolPolicy: 'https-only' as const,
        CachePolicyId: '658327ea-f89d-4fab-a63d-7e88639e58f6',
      },
      CacheBehaviors: { Quantity: behaviors, Items: Array.from({ length: behaviors }, (_, i) => behavior(i)) },
    });
    const created = await cf.send(new CreateDistributionCommand({ DistributionConfig: config(100, 75, 'at-quota') }));
    await expect(cf.send(new CreateDistributionCommand({ DistributionConfig: config(2, 76, 'behaviors') }))).rejects.toMatchObject({
      name: 'TooManyCacheBehaviors',
    });
    await expect(cf.send(new CreateDistributionCommand({ DistributionConfig: config(101, 1, 'origins') }))).rejects.toMatchObject({
      name: 'TooManyOrigins',
    });
    const id = created.Distribution!.Id!;
    await expect(
      cf.send(new UpdateDistributionCommand({ Id: id, IfMatch: created.ETag, DistributionConfig: config(100, 76, 'at-quota') })),
    ).rejects.toMatchObject({ name: 'TooManyCacheBehaviors' });
  });

  it('refuses, as Lambda does, a direct zip over 50 MB, over 250 MB unzipped with layers, or 6 layers (awslambda.package_quotas)', async () => {
    const cfg = awsClientConfig(moto);
    const lambda = new LambdaClient(cfg);
    const iam = new IAMClient(cfg);
    try {
      const { Role } = await iam.send(new CreateRoleCommand({ RoleName: 'quota-lambda', AssumeRolePolicyDocument: '{}' }));
      const MiB = 1024 * 1024;
      // Real zips (fflate, as the constructs zip): zero-filled entries declare their unzipped size.
      const { zipSync } = loadFflate()!;
      const zip = (bytes: number) => zipSync({ f: [new Uint8Array(bytes), { level: 1 }] }, { level: 1, mtime: new Date(1980, 0, 1) });
      const { LayerVersionArn } = await lambda.send(
        new PublishLayerVersionCommand({ LayerName: 'runtime', Content: { ZipFile: zip(200 * MiB) } }),
      );
      const fn = (name: string, ZipFile: Uint8Array, Layers: string[]) =>
        lambda.send(
          new CreateFunctionCommand({
            FunctionName: name,
            Role: Role!.Arn,
            Runtime: 'provided.al2023',
            Handler: 'bootstrap',
            Code: { ZipFile },
            Layers,
          }),
        );
      await fn('at-quota', zip(50 * MiB), [LayerVersionArn!]); // 250 MiB unzipped with its layer: accepted
      await expect(fn('unzipped', zip(50 * MiB + 1), [LayerVersionArn!])).rejects.toMatchObject({ name: 'InvalidParameterValueException' });
      await expect(fn('layers', zip(1), Array(6).fill(LayerVersionArn!))).rejects.toMatchObject({ name: 'InvalidParameterValueException' });
      await expect(fn('direct', randomBytes(50 * MiB + 1), [])).rejects.toMatchObject({ name: 'RequestEntityTooLargeException' });
      const { Functions } = await lambda.send(new ListFunctionsCommand({}));
      expect(Functions?.map((f) => f.FunctionName)).toEqual(['at-quota']);
    } finally {
      lambda.destroy();
      iam.destroy();
    }
  }, 120_000);

  it('destroys everything, replication group and subnet group included', async () => {
    await ws.destroy();
    const { ReplicationGroups } = await elasticache.send(new DescribeReplicationGroupsCommand({}));
    expect(ReplicationGroups).toEqual([]);
    const { services } = await ecs.send(new DescribeServicesCommand({ cluster: out.cluster_name, services: [out.service_name] }));
    expect(services?.every((s) => s.status === 'INACTIVE')).toBe(true);
  });
});
