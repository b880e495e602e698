/**
 * The built-in example, end to end on the real engine: a "frontend" CloudFront distribution is created in
 * moto and snapshotted with Backplane's own snapshot code, the example config is synthesized against it,
 * applied with real Terraform, read back through the AWS SDK, re-planned (empty but for the listed moto
 * differences), made to fail on an ECS rollback, detached, released and destroyed, and the frontend is
 * proven to be exactly as it was before.
 */
import * as fs from 'fs';
import * as path from 'path';
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CloudFrontClient, type DistributionConfig } from '@aws-sdk/client-cloudfront';
import { DescribeRepositoriesCommand, ECRClient } from '@aws-sdk/client-ecr';
import { DescribeServicesCommand, DescribeTaskDefinitionCommand, ECSClient } from '@aws-sdk/client-ecs';
import {
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeTargetGroupsCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import builtInExample from '../../examples/fullstack/backplane.config';
import { synthesize } from '../../src/app';
import type { BackplaneConfigInput } from '../../src/config';
import { snapshotDistribution } from '../../src/edge/snapshot';
import { assertAsyncTier } from './assertions/async-tier';
import { assertDataTier } from './assertions/data-tier';
import { assertEmail } from './assertions/email';
import { awsClientConfig, describeWithEngine, E2E_WORK_ROOT, startMoto, TerraformWorkspace, type MotoServer } from './lib';
import {
  canonicalDistributionConfig as canonical,
  createFrontendDistribution,
  differences,
  liveDistributionConfig,
  withoutApi,
} from './lib/frontend-distribution';

const RUN = `fullstack-${process.pid}`;
const SRC = path.join(E2E_WORK_ROOT, `${RUN}-src`);

/** Synthesizes the example (with `edge`/`service` changes) into SRC/<name> and returns the stack dir. */
function synthExample(name: string, distributionId: string, changes: { edge?: object; service?: object } = {}): string {
  const base = builtInExample as BackplaneConfigInput & { edge: object; service: object };
  const config = {
    ...base,
    edge: { ...base.edge, distributionId, snapshotFile: path.join(SRC, 'frontend-distribution.json'), ...changes.edge },
    service: { ...base.service, ...changes.service },
  } as BackplaneConfigInput;
  const outdir = path.join(SRC, name);
  fs.rmSync(outdir, { recursive: true, force: true });
  return synthesize(config, { outdir, configDir: SRC }).stackDir;
}

function useConfig(ws: TerraformWorkspace, stackDir: string): void {
  fs.copyFileSync(path.join(stackDir, 'cdk.tf.json'), path.join(ws.configDir, 'cdk.tf.json'));
}

describeWithEngine('the built-in example on the real engine (Terraform + aws provider + moto)', () => {
  let moto: MotoServer;
  let ws: TerraformWorkspace;
  let cf: CloudFrontClient;
  let distributionId: string;
  let frontendBefore: DistributionConfig;
  let out: Record<string, any>;
  const aws = () => awsClientConfig(moto);

  beforeAll(async () => {
    moto = await startMoto();
    cf = new CloudFrontClient(aws());
    distributionId = await createFrontendDistribution(cf, 'backplane-fullstack');
    const snapshot = await snapshotDistribution({ id: distributionId, client: cf });
    fs.mkdirSync(SRC, { recursive: true });
    snapshot.writeSnapshot(path.join(SRC, 'frontend-distribution.json'));
    frontendBefore = snapshot.DistributionConfig;
    ws = TerraformWorkspace.create({ name: RUN, sourceDir: synthExample('attach', distributionId), moto });
  });

  afterAll(async () => {
    try {
      if (ws && (await ws.resourceAddresses()).length > 0) {
        // Never leave the prevent_destroy distribution in state: detach, release, destroy.
        useConfig(ws, synthExample('cleanup-detach', distributionId, { edge: { detach: true } }));
        await ws.apply().catch(() => undefined);
        useConfig(ws, synthExample('cleanup-release', distributionId, { edge: { detach: true, release: true } }));
        await ws.apply().catch(() => undefined);
        await ws.destroy();
      }
    } finally {
      ws?.printSummary();
      cf?.destroy();
      await moto?.stop();
    }
  });

  it('applies the whole example: init, validate, plan, apply', async () => {
    await ws.up();
    out = await ws.output();
    expect(out.ecs_service_name).toBe('shop-dev');
  });

  it('runs the API service: desired count 1 on an ARM64 256/512 task definition with the circuit breaker', async () => {
    const ecs = new ECSClient(aws());
    const { services } = await ecs.send(new DescribeServicesCommand({ cluster: out.ecs_cluster_name, services: [out.ecs_service_name] }));
    expect(services?.[0]).toMatchObject({ desiredCount: 1, taskDefinition: out.task_definition_arn });
    expect(services?.[0]?.deploymentConfiguration).toMatchObject({
      minimumHealthyPercent: 100,
      maximumPercent: 200,
      deploymentCircuitBreaker: { enable: true, rollback: true },
    });
    const { taskDefinition } = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: out.task_definition_arn }));
    expect(taskDefinition).toMatchObject({ cpu: '256', memory: '512', runtimePlatform: { cpuArchitecture: 'ARM64' } });
    const app = taskDefinition?.containerDefinitions?.find((c) => c.name === 'app');
    expect(app?.readonlyRootFilesystem).toBe(true);
    expect(app?.dependsOn).toEqual([{ containerName: 'migrate', condition: 'SUCCESS' }]);
    expect(app?.secrets?.map((s) => s.name).sort()).toEqual(['REDIS_AUTH_TOKEN']);
    const migrate = taskDefinition?.containerDefinitions?.find((c) => c.name === 'migrate');
    expect(migrate?.secrets?.map((s) => s.name).sort()).toEqual(['DATABASE_PASSWORD', 'REDIS_AUTH_TOKEN']);
    expect(app?.environment?.find((e) => e.name === 'DATABASE_PASSWORD')).toBeUndefined();
    ecs.destroy();
  });

  it('puts an internal ALB behind the VPC origin: /healthz health check, TLS 1.3, HTTP redirected', async () => {
    const elb = new ElasticLoadBalancingV2Client(aws());
    const { TargetGroups } = await elb.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [out.target_group_arn] }));
    expect(TargetGroups?.[0]).toMatchObject({ HealthCheckPath: '/healthz', TargetType: 'ip' });
    const lbArn = TargetGroups?.[0]?.LoadBalancerArns?.[0];
    const { LoadBalancers } = await elb.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [lbArn!] }));
    expect(LoadBalancers?.[0]?.Scheme).toBe('internal');
    const { Listeners } = await elb.send(new DescribeListenersCommand({ LoadBalancerArn: lbArn }));
    const https = Listeners?.find((l) => l.Port === 443);
    const http = Listeners?.find((l) => l.Port === 80);
    expect(https).toMatchObject({ Protocol: 'HTTPS', SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06' });
    expect(http?.DefaultActions?.[0]).toMatchObject({
      Type: 'redirect',
      RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' },
    });
    elb.destroy();
  });

  it('keeps immutable, scanned images and 14 days of logs', async () => {
    const ecr = new ECRClient(aws());
    const { repositories } = await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ['shop-dev'] }));
    expect(repositories?.[0]).toMatchObject({ imageTagMutability: 'IMMUTABLE', imageScanningConfiguration: { scanOnPush: true } });
    const logs = new CloudWatchLogsClient(aws());
    const { logGroups } = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: out.log_group_name }));
    expect(logGroups?.find((g) => g.logGroupName === out.log_group_name)?.retentionInDays).toBe(14);
    ecr.destroy();
    logs.destroy();
  });

  it('builds the data tier: encrypted private Postgres with a managed secret, TLS Valkey, SG-only ingress', async () => {
    await assertDataTier(aws(), out as never);
  });

  it('builds the async tier: queue + DLQ redrive, the nightly schedule, the one-off migration task', async () => {
    await assertAsyncTier(aws(), out);
  });

  it('builds email: the SES identity with DKIM tokens, MAIL FROM, configuration set', async () => {
    await assertEmail(aws(), out);
  });

  it('adds exactly one origin and one behavior to the frontend; everything else is as it was', async () => {
    const live = await liveDistributionConfig(cf, distributionId);
    const origins = live.Origins?.Items ?? [];
    const added = origins.filter((o) => !frontendBefore.Origins?.Items?.some((b) => b.Id === o.Id));
    expect(added.map((o) => o.Id)).toEqual(['backplane-api']);
    expect(added[0]?.DomainName).toBe('origin-api.example.com');
    expect(added[0]?.VpcOriginConfig?.VpcOriginId).toMatch(/^vo_/);
    const behaviors = live.CacheBehaviors?.Items ?? [];
    // No frontend pattern can match an /api/ path in this fixture, so the API behavior goes last and the
    // frontend's behaviors keep their positions (src/edge/distribution-snapshot.ts, the ordering rule).
    expect(behaviors.map((b) => b.PathPattern)).toEqual([
      ...(frontendBefore.CacheBehaviors?.Items ?? []).map((b) => b.PathPattern),
      '/api/*',
    ]);
    expect(differences(canonical(withoutApi(live)), canonical(frontendBefore))).toEqual([]);
  });

  it('re-plans with nothing but the listed moto differences', async () => {
    const replan = await ws.replan();
    expect(replan.unexpected).toEqual([]);
  });

  it('fails the apply when ECS rolls the deployment back', async () => {
    useConfig(
      ws,
      synthExample('rollback', distributionId, {
        service: { imageTag: undefined, image: 'public.ecr.aws/docker/library/nginx:e2e-unhealthy' },
      }),
    );
    const failed = await ws.apply({ expectFailure: true });
    expect(failed.output).toMatch(/circuit breaker rolled it back/);
    useConfig(ws, synthExample('attach-again', distributionId));
  });

  it('detaches, releases and destroys the backend; the frontend distribution stays exactly as it was', async () => {
    useConfig(ws, synthExample('detach', distributionId, { edge: { detach: true } }));
    await ws.apply();
    expect(differences(canonical(await liveDistributionConfig(cf, distributionId)), canonical(frontendBefore))).toEqual([]);
    useConfig(ws, synthExample('release', distributionId, { edge: { detach: true, release: true } }));
    await ws.apply();
    await ws.destroy();
    expect(differences(canonical(await liveDistributionConfig(cf, distributionId)), canonical(frontendBefore))).toEqual([]);
  });
});
