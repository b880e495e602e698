/**
 * The plain-Terraform example (examples/hcl-fullstack, the whole stack composed from the generated modules) on the
 * real engine: it adopts an existing CloudFront distribution created in moto, applies, is read back through the AWS
 * SDK, re-plans empty, is detached, releases the distribution with the `removed` block edge.tf documents, and
 * destroys to an empty state while the distribution stays exactly as it was. (Split from modules.e2e.test.ts so the
 * two run in parallel.)
 */
import * as fs from 'fs';
import * as path from 'path';
import { CloudFrontClient, GetDistributionCommand, type DistributionConfig } from '@aws-sdk/client-cloudfront';
import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { DescribeServicesCommand, DescribeTaskDefinitionCommand, ECSClient } from '@aws-sdk/client-ecs';
import { GetRolePolicyCommand, IAMClient } from '@aws-sdk/client-iam';
import { snapshotDistribution } from '../../src/edge/snapshot';
import { assertAsyncTier } from './assertions/async-tier';
import { assertCache, assertDatabase } from './assertions/data-tier';
import { assertEmail } from './assertions/email';
import { awsClientConfig, describeWithEngine, REPO_ROOT, startMoto, TerraformWorkspace, type MotoServer } from './lib';
import { canonicalDistributionConfig, createFrontendDistribution, liveDistributionConfig, withoutApi } from './lib/frontend-distribution';

const RUN = `hcl-fullstack-${process.pid}`;
const EXAMPLE = path.join(REPO_ROOT, 'examples', 'hcl-fullstack');

/** The `removed { ... }` block edge.tf documents (commented out), uncommented: the example's own release step. */
function documentedReleaseBlock(edgeTf: string): string {
  const lines = edgeTf.split('\n');
  const start = lines.findIndex((l) => l.startsWith('# removed {'));
  const end = lines.findIndex((l, i) => i > start && l === '# }');
  if (start < 0 || end < 0) throw new Error('examples/hcl-fullstack/edge.tf no longer documents the commented `removed { }` block');
  return `${lines
    .slice(start, end + 1)
    .map((l) => l.replace(/^# ?/, ''))
    .join('\n')}\n`;
}

/** What examples/hcl-fullstack/outputs.tf (and edge.tf) answer. */
interface HclOutputs {
  ecs_cluster_name: string;
  ecs_service_name: string;
  task_definition_arn: string;
  task_role_name: string;
  service_security_group_id: string;
  database: { identifier: string; host: string; security_group_id: string; master_secret_arn: string };
  cache: { replication_group_id: string; url: string; security_group_id: string; auth_token_secret_arn: string };
  jobs_queue: { url: string; arn: string; name: string; dlq_url: string; dlq_arn: string; dlq_name: string };
  email: {
    domain: string;
    identity_arn: string;
    from_address: string;
    configuration_set_name: string;
    configuration_set_arn: string;
    mail_from_domain: string;
    dkim_tokens: string[];
    event_topic_arn: string | null;
  };
  dns_records_table: string;
  dns_validation_records_table: string;
  cloudfront_distribution_domain: string;
}

describeWithEngine('examples/hcl-fullstack on the real engine', () => {
  let moto: MotoServer;
  beforeAll(async () => {
    moto = await startMoto();
  });
  afterAll(async () => {
    await moto?.stop();
  });

  describe('examples/hcl-fullstack: the whole stack in plain Terraform, attached to an existing distribution', () => {
    let ws: TerraformWorkspace;
    let cf: CloudFrontClient;
    let distributionId: string;
    let frontendBefore: DistributionConfig;
    let out: HclOutputs;
    const aws = () => awsClientConfig(moto);
    const release = () =>
      fs.writeFileSync(path.join(ws.configDir, 'edge.tf'), documentedReleaseBlock(fs.readFileSync(path.join(EXAMPLE, 'edge.tf'), 'utf8')));

    beforeAll(async () => {
      cf = new CloudFrontClient(aws());
      distributionId = await createFrontendDistribution(cf, 'backplane-hcl-fullstack');
      ws = TerraformWorkspace.create({ name: `${RUN}-hcl-fullstack`, sourceDir: EXAMPLE, moto, vars: { distribution_id: distributionId } });
      // What the README tells the user to do: snapshot the distribution into the file the example reads
      // (variable distribution_snapshot_file, default "frontend-distribution.json" next to the .tf files).
      const snapshot = await snapshotDistribution({ id: distributionId, client: cf });
      snapshot.writeSnapshot(path.join(ws.configDir, 'frontend-distribution.json'));
      frontendBefore = snapshot.DistributionConfig;
    });

    afterAll(async () => {
      try {
        if (ws && (await ws.resourceAddresses()).length > 0) {
          // Never leave the prevent_destroy distribution in the state: detach, release, destroy.
          await ws.apply({ vars: { attach_api: false } }).catch(() => undefined);
          release();
          await ws.apply().catch(() => undefined);
          await ws.destroy();
        }
      } finally {
        ws?.printSummary();
        cf?.destroy();
      }
    });

    it('applies: init, validate, plan (one import), apply', async () => {
      await ws.up();
      out = await ws.output<HclOutputs>();
      expect(out.ecs_service_name).toBe('shop-dev');
    });

    it('runs the service on the task definition it registered, behind the NAT instance, with secrets as task secrets only', async () => {
      const ecs = new ECSClient(aws());
      const ec2 = new EC2Client(aws());
      try {
        const { services } = await ecs.send(
          new DescribeServicesCommand({ cluster: out.ecs_cluster_name, services: [out.ecs_service_name] }),
        );
        expect(services?.[0]).toMatchObject({
          status: 'ACTIVE',
          desiredCount: 1,
          runningCount: 1,
          taskDefinition: out.task_definition_arn,
          deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } },
        });
        expect(services?.[0]?.networkConfiguration?.awsvpcConfiguration).toMatchObject({
          assignPublicIp: 'DISABLED',
          securityGroups: [out.service_security_group_id],
        });
        const { taskDefinition } = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: out.task_definition_arn }));
        const app = taskDefinition?.containerDefinitions?.find((c) => c.name === 'app');
        expect(Object.fromEntries((app?.secrets ?? []).map((s) => [s.name, s.valueFrom]))).toEqual({
          REDIS_AUTH_TOKEN: out.cache.auth_token_secret_arn,
        });
        // Only the migration container logs in as the owner.
        const migrate = taskDefinition?.containerDefinitions?.find((c) => c.name === 'migrate');
        expect(migrate?.secrets?.find((s) => s.name === 'DATABASE_PASSWORD')?.valueFrom).toBe(
          `${out.database.master_secret_arn}:password::`,
        );
        const env = Object.fromEntries((app?.environment ?? []).map((e) => [e.name, e.value]));
        expect(env).toMatchObject({
          APP_STAGE: 'dev',
          DATABASE_HOST: out.database.host,
          DATABASE_USER: 'app_runtime',
          DATABASE_AUTH: 'iam',
          DATABASE_SSL: 'verify-full',
          REDIS_URL: out.cache.url,
          EMAIL_FROM: out.email.from_address,
          EMAIL_CONFIGURATION_SET: out.email.configuration_set_name,
        });
        expect(Object.keys(env)).not.toEqual(expect.arrayContaining(['DATABASE_PASSWORD']));
        expect(Object.keys(env)).not.toEqual(expect.arrayContaining(['REDIS_AUTH_TOKEN']));
        expect(app?.dependsOn).toEqual([{ containerName: 'migrate', condition: 'SUCCESS' }]);

        // nat_mode "instance" (the product default): a NAT instance that forwards (source/dest check off).
        const { Reservations = [] } = await ec2.send(
          new DescribeInstancesCommand({ Filters: [{ Name: 'tag:Name', Values: ['shop-dev-nat-instance'] }] }),
        );
        const nat = Reservations.flatMap((r) => r.Instances ?? []);
        expect(nat.map((i) => ({ state: i.State?.Name, type: i.InstanceType, sourceDestCheck: i.SourceDestCheck }))).toEqual([
          { state: 'running', type: 't4g.nano', sourceDestCheck: false },
        ]);
      } finally {
        ecs.destroy();
        ec2.destroy();
      }
    });

    it('builds Postgres encrypted with an RDS-managed master secret, reachable only from the service', async () => {
      await assertDatabase(aws(), {
        database_engine: 'postgres',
        database_identifier: out.database.identifier,
        database_host: out.database.host,
        database_security_group_id: out.database.security_group_id,
        database_master_secret_arn: out.database.master_secret_arn,
        api_security_group_id: out.service_security_group_id,
        stage: 'dev',
      });
    });

    it('builds the Valkey replication group with TLS, encryption at rest and AUTH, reachable only from the service', async () => {
      await assertCache(aws(), {
        cache_replication_group_id: out.cache.replication_group_id,
        cache_url: out.cache.url,
        cache_auth_token_secret_arn: out.cache.auth_token_secret_arn,
        cache_security_group_id: out.cache.security_group_id,
        api_security_group_id: out.service_security_group_id,
      });
    });

    it('builds the jobs queue with its DLQ redrive, QUEUE_URL_JOBS on the service, and a task role scoped to the queue', async () => {
      await assertAsyncTier(aws(), {
        task_definition_arn: out.task_definition_arn,
        queues: {
          jobs: { ...out.jobs_queue, worker: 'in-process', env: 'QUEUE_URL_JOBS', visibility_timeout_seconds: 180, max_receive_count: 3 },
        },
      });
      const iam = new IAMClient(aws());
      try {
        const { PolicyDocument } = await iam.send(new GetRolePolicyCommand({ RoleName: out.task_role_name, PolicyName: 'jobs-queue' }));
        const doc = JSON.parse(decodeURIComponent(PolicyDocument ?? '{}')) as { Statement: { Action: string[]; Resource: string[] }[] };
        expect(doc.Statement.map((s) => s.Resource)).toEqual([[out.jobs_queue.arn], [out.jobs_queue.arn]]);
        expect(doc.Statement.flatMap((s) => s.Action).every((a) => a.startsWith('sqs:') && !a.includes('*'))).toBe(true);
      } finally {
        iam.destroy();
      }
    });

    it('builds the SES identity for the domain (DKIM, MAIL FROM, configuration set); the task role may send only from it', async () => {
      const e = out.email;
      await assertEmail(aws(), {
        email_domain: e.domain,
        email_identity_arn: e.identity_arn,
        email_from_address: e.from_address,
        email_configuration_set_name: e.configuration_set_name,
        email_configuration_set_arn: e.configuration_set_arn,
        email_mail_from_domain: e.mail_from_domain,
        email_dkim_tokens: e.dkim_tokens,
        email_event_topic_arn: e.event_topic_arn,
        task_role_name: out.task_role_name,
      });
      expect(e.domain).toBe('example.com');
      // Manual DNS: every record the identity and the origin need is printed for the user.
      expect(out.dns_records_table).toContain('origin-api.example.com');
      for (const token of e.dkim_tokens) expect(out.dns_records_table).toContain(`${token}._domainkey.example.com`);
      expect(out.dns_validation_records_table).toMatch(/^CNAME .*origin-api\.example\.com/);
    });

    it('adds exactly one origin (the VPC origin) and one behavior to the distribution; everything else is as it was', async () => {
      const live = await liveDistributionConfig(cf, distributionId);
      const before = new Set((frontendBefore.Origins?.Items ?? []).map((o) => o.Id));
      const added = (live.Origins?.Items ?? []).filter((o) => !before.has(o.Id));
      expect(added.map((o) => ({ id: o.Id, domain: o.DomainName }))).toEqual([{ id: 'backplane-api', domain: 'origin-api.example.com' }]);
      expect(added[0]?.VpcOriginConfig?.VpcOriginId).toMatch(/^vo_/);
      expect((live.CacheBehaviors?.Items ?? []).map((b) => b.PathPattern)).toEqual([
        ...(frontendBefore.CacheBehaviors?.Items ?? []).map((b) => b.PathPattern),
        '/api/*',
      ]);
      expect(live.CacheBehaviors?.Items?.at(-1)).toMatchObject({
        TargetOriginId: 'backplane-api',
        ViewerProtocolPolicy: 'redirect-to-https',
      });
      expect(canonicalDistributionConfig(withoutApi(live))).toEqual(canonicalDistributionConfig(frontendBefore));
      expect(out.cloudfront_distribution_domain).toMatch(/\.cloudfront\.net$/);
    });

    it('re-plans empty', async () => {
      const replan = await ws.replan();
      expect(replan.unexpected).toEqual([]);
      expect(replan.empty).toBe(true);
    });

    it('detaches, releases (the removed block edge.tf documents) and destroys to an empty state; the distribution survives as it was', async () => {
      await ws.apply({ vars: { attach_api: false } });
      expect(canonicalDistributionConfig(await liveDistributionConfig(cf, distributionId))).toEqual(
        canonicalDistributionConfig(frontendBefore),
      );
      release();
      await ws.apply();
      expect((await ws.resourceAddresses()).filter((a) => a.startsWith('module.cf_origin.'))).toEqual([]);
      await ws.destroy(); // throws if anything is left in the state
      const { Distribution } = await cf.send(new GetDistributionCommand({ Id: distributionId }));
      expect(Distribution?.Id).toBe(distributionId);
      expect(canonicalDistributionConfig(Distribution?.DistributionConfig)).toEqual(canonicalDistributionConfig(frontendBefore));
    });
  });
});
