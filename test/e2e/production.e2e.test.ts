/**
 * The production example (examples/production) end to end on the real engine: applied to moto against a snapshotted
 * frontend, then each production control read back through the AWS SDK — redundancy (2 tasks over 2 AZs, Multi-AZ
 * database, cache failover, a NAT Gateway per AZ, no public IPs), the app's own database role (IAM auth, no master
 * secret for the app), alarms and their topic, the ECR lifecycle, ECS Exec logging — then re-planned (empty) and
 * shown to refuse `destroy` (prevent_destroy on the data). docs/production.md lists what each point stands for.
 */
import * as fs from 'fs';
import * as path from 'path';
import { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeNatGatewaysCommand, DescribeSubnetsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { ECRClient, GetLifecyclePolicyCommand } from '@aws-sdk/client-ecr';
import { DescribeClustersCommand, DescribeServicesCommand, DescribeTaskDefinitionCommand, ECSClient } from '@aws-sdk/client-ecs';
import { DescribeReplicationGroupsCommand, ElastiCacheClient } from '@aws-sdk/client-elasticache';
import { EventBridgeClient, ListRulesCommand, ListTargetsByRuleCommand } from '@aws-sdk/client-eventbridge';
import { GetRolePolicyCommand, IAMClient, ListRolePoliciesCommand } from '@aws-sdk/client-iam';
import { DescribeDBInstancesCommand, RDSClient } from '@aws-sdk/client-rds';
import { ListSubscriptionsByTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import productionExample from '../../examples/production/backplane.config';
import { synthesize } from '../../src/app';
import type { BackplaneConfigInput } from '../../src/config';
import { snapshotDistribution } from '../../src/edge/snapshot';
import { awsClientConfig, describeWithEngine, E2E_WORK_ROOT, startMoto, TerraformWorkspace, type MotoServer } from './lib';
import { createFrontendDistribution } from './lib/frontend-distribution';

const RUN = `production-${process.pid}`;
const SRC = path.join(E2E_WORK_ROOT, `${RUN}-src`);

function synthProduction(distributionId: string): string {
  const base = productionExample as BackplaneConfigInput & { edge: object };
  const config = {
    ...base,
    edge: { ...base.edge, distributionId, snapshotFile: path.join(SRC, 'frontend-distribution.json') },
  } as BackplaneConfigInput;
  const outdir = path.join(SRC, 'out');
  fs.rmSync(outdir, { recursive: true, force: true });
  return synthesize(config, { outdir, configDir: SRC }).stackDir;
}

/** Every statement of every inline policy of a role, with its policy name. */
async function inlineStatements(iam: IAMClient, roleName: string): Promise<{ policy: string; statement: any }[]> {
  const { PolicyNames = [] } = await iam.send(new ListRolePoliciesCommand({ RoleName: roleName }));
  const out: { policy: string; statement: any }[] = [];
  for (const name of PolicyNames) {
    const { PolicyDocument = '{}' } = await iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: name }));
    const doc = JSON.parse(decodeURIComponent(PolicyDocument)) as { Statement: unknown[] };
    for (const statement of doc.Statement) out.push({ policy: name, statement });
  }
  return out;
}

const asList = (v: unknown): string[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]) as string[];

describeWithEngine('the production example on the real engine (Terraform + aws provider + moto)', () => {
  let moto: MotoServer;
  let ws: TerraformWorkspace;
  let cf: CloudFrontClient;
  let out: Record<string, any>;
  const aws = () => awsClientConfig(moto);

  beforeAll(async () => {
    moto = await startMoto();
    cf = new CloudFrontClient(aws());
    const distributionId = await createFrontendDistribution(cf, 'backplane-production');
    const snapshot = await snapshotDistribution({ id: distributionId, client: cf });
    fs.mkdirSync(SRC, { recursive: true });
    snapshot.writeSnapshot(path.join(SRC, 'frontend-distribution.json'));
    ws = TerraformWorkspace.create({ name: RUN, sourceDir: synthProduction(distributionId), moto });
  });

  afterAll(async () => {
    // The protected data (prevent_destroy) and the adopted distribution stay by design; moto is discarded with them.
    ws?.printSummary();
    cf?.destroy();
    await moto?.stop();
  });

  it('applies the production example: init, validate, plan, apply', async () => {
    await ws.up();
    out = await ws.output();
    expect(out.ecs_service_name).toBe('shop-prod');
  });

  it('runs 2 tasks over private subnets in 2 AZs, without public IPs', async () => {
    const ecs = new ECSClient(aws());
    const ec2 = new EC2Client(aws());
    const { services } = await ecs.send(new DescribeServicesCommand({ cluster: out.ecs_cluster_name, services: [out.ecs_service_name] }));
    const svc = services![0]!;
    expect(svc.desiredCount).toBe(2);
    const vpc = svc.networkConfiguration!.awsvpcConfiguration!;
    expect(vpc.assignPublicIp).toBe('DISABLED');
    const { Subnets = [] } = await ec2.send(new DescribeSubnetsCommand({ SubnetIds: vpc.subnets }));
    expect(new Set(Subnets.map((s) => s.AvailabilityZone)).size).toBe(2);
    expect(Subnets.every((s) => s.MapPublicIpOnLaunch === false)).toBe(true);
    const { NatGateways = [] } = await ec2.send(
      new DescribeNatGatewaysCommand({ Filter: [{ Name: 'vpc-id', Values: [Subnets[0]!.VpcId!] }] }),
    );
    const live = NatGateways.filter((n) => n.State !== 'deleted');
    expect(live).toHaveLength(2);
    const natZones = await ec2.send(new DescribeSubnetsCommand({ SubnetIds: live.map((n) => n.SubnetId!) }));
    expect(new Set(natZones.Subnets?.map((s) => s.AvailabilityZone)).size).toBe(2);
    ecs.destroy();
    ec2.destroy();
  });

  it('keeps the database Multi-AZ, protected, with IAM authentication; the cache fails over to a replica', async () => {
    const rds = new RDSClient(aws());
    const { DBInstances = [] } = await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: out.database_identifier }));
    expect(DBInstances[0]).toMatchObject({ MultiAZ: true, DeletionProtection: true, IAMDatabaseAuthenticationEnabled: true });
    const cache = new ElastiCacheClient(aws());
    const { ReplicationGroups = [] } = await cache.send(
      new DescribeReplicationGroupsCommand({ ReplicationGroupId: out.cache_replication_group_id }),
    );
    expect(ReplicationGroups[0]).toMatchObject({ AutomaticFailover: 'enabled', MultiAZ: 'enabled' });
    expect(ReplicationGroups[0]!.MemberClusters).toHaveLength(2);
    rds.destroy();
    cache.destroy();
  });

  it("logs the app in as its own database role: IAM connect as app_runtime only, no master secret in the app's reach", async () => {
    const ecs = new ECSClient(aws());
    const iam = new IAMClient(aws());
    const rds = new RDSClient(aws());
    const { taskDefinition } = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: out.task_definition_arn }));
    const app = taskDefinition!.containerDefinitions!.find((c) => c.name === 'app')!;
    const migrate = taskDefinition!.containerDefinitions!.find((c) => c.name === 'migrate')!;
    const env = (c: typeof app) => Object.fromEntries((c.environment ?? []).map((e) => [e.name, e.value]));
    expect(env(app)).toMatchObject({ DATABASE_USER: 'app_runtime', DATABASE_AUTH: 'iam', DATABASE_SSL: 'verify-full' });
    expect(env(app).DATABASE_SECRET_ARN).toBeUndefined();
    expect(app.secrets?.map((s) => s.name)).not.toContain('DATABASE_PASSWORD');
    expect(env(migrate)).toMatchObject({ DATABASE_USER: 'app', DATABASE_AUTH: 'password', DATABASE_APP_USER: 'app_runtime' });
    expect(migrate.secrets?.find((s) => s.name === 'DATABASE_PASSWORD')?.valueFrom).toBe(`${out.database_master_secret_arn}:password::`);

    const { DBInstances = [] } = await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: out.database_identifier }));
    const resourceId = DBInstances[0]!.DbiResourceId!;
    const taskRole = taskDefinition!.taskRoleArn!.split('/').pop()!;
    const statements = await inlineStatements(iam, taskRole);
    const connect = statements.filter((s) => asList(s.statement.Action).includes('rds-db:connect'));
    expect(connect).toHaveLength(1);
    expect(asList(connect[0]!.statement.Resource)).toEqual([`arn:aws:rds-db:us-east-1:123456789012:dbuser:${resourceId}/app_runtime`]);
    const everything = JSON.stringify(statements.map((s) => s.statement));
    expect(everything).not.toContain(out.database_master_secret_arn.split(':').slice(0, 7).join(':'));
    ecs.destroy();
    iam.destroy();
    rds.destroy();
  });

  it('alarms to one SNS topic with the on-call email, and a rule for rolled-back deployments', async () => {
    const cw = new CloudWatchClient(aws());
    const sns = new SNSClient(aws());
    const events = new EventBridgeClient(aws());
    const { MetricAlarms = [] } = await cw.send(new DescribeAlarmsCommand({ AlarmNamePrefix: 'shop-prod-' }));
    const ours = MetricAlarms.filter((a) => (a.AlarmActions ?? []).some((arn) => arn.endsWith(':shop-prod-alarms')));
    expect(ours.length).toBeGreaterThanOrEqual(12);
    const topicArn = ours[0]!.AlarmActions![0]!;
    for (const a of ours) expect({ name: a.AlarmName, ok: a.OKActions }).toEqual({ name: a.AlarmName, ok: [topicArn] });
    const metrics = new Set(ours.flatMap((a) => [a.MetricName, ...(a.Metrics ?? []).map((m) => m.MetricStat?.Metric?.MetricName)]));
    for (const m of [
      'UnHealthyHostCount',
      'TargetResponseTime',
      'CPUUtilization',
      'MemoryUtilization',
      'ApproximateNumberOfMessagesVisible',
      'FreeStorageSpace',
      'DatabaseConnections',
      'DatabaseMemoryUsagePercentage',
      'Evictions',
    ])
      expect({ metric: m, alarmed: metrics.has(m) }).toEqual({ metric: m, alarmed: true });
    const { Subscriptions = [] } = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }));
    expect(Subscriptions.map((s) => [s.Protocol, s.Endpoint])).toEqual([['email', 'oncall@example.com']]);
    const { Rules = [] } = await events.send(new ListRulesCommand({ NamePrefix: 'shop-prod' }));
    const rollback = Rules.find((r) => (r.EventPattern ?? '').includes('ECS Deployment State Change'));
    expect(JSON.parse(rollback!.EventPattern!).detail.eventName).toEqual(['SERVICE_DEPLOYMENT_FAILED']);
    const { Targets = [] } = await events.send(new ListTargetsByRuleCommand({ Rule: rollback!.Name }));
    expect(Targets.map((t) => t.Arn)).toEqual([topicArn]);
    for (const c of [cw, sns, events]) c.destroy();
  });

  it('expires untagged images and keeps releases apart from other tags; logs ECS Exec sessions', async () => {
    const ecr = new ECRClient(aws());
    const { lifecyclePolicyText = '{}' } = await ecr.send(new GetLifecyclePolicyCommand({ repositoryName: 'shop-prod' }));
    const rules = (JSON.parse(lifecyclePolicyText) as { rules: { selection: Record<string, unknown> }[] }).rules.map((r) => r.selection);
    expect(rules).toEqual([
      { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 7 },
      { tagStatus: 'tagged', tagPrefixList: ['v'], countType: 'imageCountMoreThan', countNumber: 30 },
      { tagStatus: 'tagged', tagPatternList: ['*'], countType: 'imageCountMoreThan', countNumber: 30 },
    ]);
    const ecs = new ECSClient(aws());
    const { clusters = [] } = await ecs.send(
      new DescribeClustersCommand({ clusters: [out.ecs_cluster_name], include: ['CONFIGURATIONS'] }),
    );
    expect(clusters[0]?.configuration?.executeCommandConfiguration).toMatchObject({
      logging: 'OVERRIDE',
      logConfiguration: { cloudWatchLogGroupName: '/ecs/shop-prod/exec' },
    });
    ecr.destroy();
    ecs.destroy();
  });

  it('re-plans with nothing but the listed moto differences', async () => {
    const replan = await ws.replan();
    expect(replan.unexpected).toEqual([]);
  });

  it('refuses to destroy the protected stage (prevent_destroy on the database, the cache and the distribution)', async () => {
    const refused = await ws.planDestroyFailure();
    expect(refused).toMatch(/Instance cannot be destroyed/);
    expect(refused).toMatch(/aws_db_instance\.database_instance/);
  });
});
