/**
 * A preview stage on the real engine: the parent stage (the built-in example serving api.<domain>, with its
 * database, cache, queue, schedule and email) is applied, then a preview `pr-7` of the same config that shares the
 * parent's network, load balancer, image repository, database instance and cache. The preview's rule routes its
 * header on the parent's listener to its own target group; the parent re-plans with no change while the preview
 * exists and after it is destroyed, and what the parent owns (listener rules, security-group rules, resources) is
 * exactly as before.
 */
import * as fs from 'fs';
import * as path from 'path';
import { DescribeServicesCommand, ECSClient } from '@aws-sdk/client-ecs';
import { DescribeSecurityGroupRulesCommand, DescribeSubnetsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { DescribeRulesCommand, DescribeTargetGroupsCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import builtInExample from '../../examples/fullstack/backplane.config';
import { synthesize } from '../../src/app';
import type { BackplaneConfigInput } from '../../src/config';
import { estimateCost } from '../../src/cost';
import { resolveConfig } from '../../src/config';
import { awsClientConfig, describeWithEngine, E2E_WORK_ROOT, startMoto, TerraformWorkspace, type MotoServer } from './lib';

const RUN = `preview-${process.pid}`;
const SRC = path.join(E2E_WORK_ROOT, `${RUN}-src`);

/** The example as it serves api.example.com (no distribution to adopt), as `stage`. */
function config(stage: string): BackplaneConfigInput {
  const base = builtInExample as BackplaneConfigInput;
  return { ...base, stage, edge: { mode: 'subdomain', subdomain: 'api' }, preview: { parent: 'dev' } } as BackplaneConfigInput;
}

function synthStage(stage: string): string {
  const outdir = path.join(SRC, stage);
  fs.rmSync(outdir, { recursive: true, force: true });
  return synthesize(config(stage), { outdir, configDir: SRC }).stackDir;
}

/** What the parent owns that a preview could disturb: its listener's rules and its security groups' rules. */
async function parentFootprint(elb: ElasticLoadBalancingV2Client, ec2: EC2Client, listenerArn: string, groupIds: string[]) {
  const { Rules } = await elb.send(new DescribeRulesCommand({ ListenerArn: listenerArn }));
  const { SecurityGroupRules } = await ec2.send(
    new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: groupIds }] }),
  );
  return {
    rules: (Rules ?? []).map((r) => ({ priority: r.Priority, conditions: r.Conditions, actions: r.Actions })),
    securityGroupRules: (SecurityGroupRules ?? [])
      .map((r) => ({
        group: r.GroupId,
        egress: r.IsEgress,
        port: r.FromPort,
        from: r.ReferencedGroupInfo?.GroupId ?? r.CidrIpv4 ?? r.PrefixListId,
      }))
      .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
  };
}

describeWithEngine('a preview stage sharing its parent on the real engine (Terraform + aws provider + moto)', () => {
  let moto: MotoServer;
  let parent: TerraformWorkspace;
  let preview: TerraformWorkspace;
  let elb: ElasticLoadBalancingV2Client;
  let ec2: EC2Client;
  let parentOut: Record<string, any>;
  let previewOut: Record<string, any>;
  let listenerArn: string;
  let parentGroups: string[];
  let before: Awaited<ReturnType<typeof parentFootprint>>;
  let parentResources: string[];

  beforeAll(async () => {
    moto = await startMoto();
    fs.mkdirSync(SRC, { recursive: true });
    elb = new ElasticLoadBalancingV2Client(awsClientConfig(moto));
    ec2 = new EC2Client(awsClientConfig(moto));
    parent = TerraformWorkspace.create({ name: `${RUN}-dev`, sourceDir: synthStage('dev'), moto });
    preview = TerraformWorkspace.create({ name: `${RUN}-pr-7`, sourceDir: synthStage('pr-7'), moto });
  });

  afterAll(async () => {
    try {
      if (preview && (await preview.resourceAddresses()).length > 0) await preview.destroy().catch(() => undefined);
      if (parent && (await parent.resourceAddresses()).length > 0) await parent.destroy();
    } finally {
      preview?.printSummary();
      parent?.printSummary();
      elb?.destroy();
      ec2?.destroy();
      await moto?.stop();
    }
  });

  it('applies the parent stage (dev): its own VPC, load balancer, database, cache', async () => {
    await parent.up();
    parentOut = await parent.output();
    listenerArn = parentOut.https_listener_arn;
    parentGroups = [parentOut.database_security_group_id, parentOut.cache_security_group_id];
    before = await parentFootprint(elb, ec2, listenerArn, parentGroups);
    parentResources = await parent.resourceAddresses();
    expect(before.rules.filter((r) => r.priority !== 'default').map((r) => r.priority)).toEqual(['50000']);
  });

  it('applies the preview (pr-7) inside the parent: no VPC, load balancer, database or cache of its own', async () => {
    await preview.up();
    previewOut = await preview.output();
    const created = await preview.resourceAddresses();
    const types = new Set(created.map((address) => address.split('.')[0]));
    for (const type of [
      'aws_vpc',
      'aws_subnet',
      'aws_lb',
      'aws_lb_listener',
      'aws_db_instance',
      'aws_elasticache_replication_group',
      'aws_ecr_repository',
    ])
      expect(types.has(type)).toBe(false);
    expect(types.has('aws_lb_listener_rule')).toBe(true);
    expect(types.has('aws_ecs_service')).toBe(true);
    expect(previewOut.preview_of).toBe('dev');
    expect(previewOut.ecr_repository_url).toBe(parentOut.ecr_repository_url);
  });

  it("routes `X-Backplane-Stage: pr-7` on the parent's listener to the preview's target group, before the parent's rule", async () => {
    const { Rules } = await elb.send(new DescribeRulesCommand({ ListenerArn: listenerArn }));
    const rule = Rules?.find((r) => r.Priority === '1007');
    expect(rule?.Conditions).toEqual([
      expect.objectContaining({ Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'X-Backplane-Stage', Values: ['pr-7'] } }),
    ]);
    expect(rule?.Actions?.[0]).toMatchObject({ Type: 'forward', TargetGroupArn: previewOut.target_group_arn });
    const { TargetGroups } = await elb.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [previewOut.target_group_arn] }));
    const { TargetGroups: parentGroupsTg } = await elb.send(
      new DescribeTargetGroupsCommand({ TargetGroupArns: [parentOut.target_group_arn] }),
    );
    expect(TargetGroups?.[0]?.VpcId).toBe(parentGroupsTg?.[0]?.VpcId);
  });

  it("runs the preview's tasks in the parent's subnets, reaching the parent's database and cache", async () => {
    const ecs = new ECSClient(awsClientConfig(moto));
    const { services } = await ecs.send(
      new DescribeServicesCommand({ cluster: previewOut.ecs_cluster_name, services: [previewOut.ecs_service_name] }),
    );
    const subnets = services?.[0]?.networkConfiguration?.awsvpcConfiguration?.subnets ?? [];
    const { Subnets } = await ec2.send(new DescribeSubnetsCommand({ SubnetIds: subnets }));
    const { TargetGroups } = await elb.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [parentOut.target_group_arn] }));
    expect(Subnets?.length).toBeGreaterThan(0);
    expect(new Set(Subnets?.map((s) => s.VpcId))).toEqual(new Set([TargetGroups?.[0]?.VpcId]));
    const taskSg = services?.[0]?.networkConfiguration?.awsvpcConfiguration?.securityGroups?.[0];
    const now = await parentFootprint(elb, ec2, listenerArn, parentGroups);
    const fromPreview = now.securityGroupRules.filter((r) => r.from === taskSg);
    expect(fromPreview.map((r) => [r.group, r.port]).sort()).toEqual(
      [
        [parentOut.cache_security_group_id, 6379],
        [parentOut.database_security_group_id, 5432],
      ].sort(),
    );
    ecs.destroy();
  });

  it('re-plans both stages with nothing but the listed moto differences: the parent does not see the preview', async () => {
    expect((await preview.replan()).unexpected).toEqual([]);
    expect((await parent.replan()).unexpected).toEqual([]);
  });

  it('prices the preview as its own tasks only; the parent carries the shared infrastructure', () => {
    const previewCost = estimateCost(resolveConfig(config('pr-7')));
    const parentCost = estimateCost(resolveConfig(config('dev')));
    const components = new Set(previewCost.lines.map((l) => l.component));
    for (const shared of ['load-balancing', 'database', 'cache', 'registry', 'edge']) expect(components.has(shared as never)).toBe(false);
    expect(previewCost.lines.some((l) => /Load Balancer|NAT|RDS|ElastiCache/.test(l.item))).toBe(false);
    expect(previewCost.total).toBeLessThan(parentCost.total / 2);
  });

  it("destroys exactly what the preview created: the parent's rules and resources are as they were, its plan empty", async () => {
    await preview.destroy();
    const after = await parentFootprint(elb, ec2, listenerArn, parentGroups);
    expect(after).toEqual(before);
    expect(await parent.resourceAddresses()).toEqual(parentResources);
    expect((await parent.replan()).unexpected).toEqual([]);
  });

  it('destroys the parent', async () => {
    await parent.destroy();
  });
});
