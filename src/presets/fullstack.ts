import { Construct } from 'constructs';
import { TerraformOutput, dependable } from 'cdktn';
import { isProtected, type BackplaneConfig } from '../config';
import { Service } from '../constructs/ecs-service';
import { AwsContext } from '../constructs/iam';
import { assertCdktnTree } from '../constructs/naming';
import { LoadBalancer } from '../constructs/load-balancer';
import { Network } from '../constructs/network';
import { Registry } from '../constructs/registry';
import { withSuffix } from '../constructs/tokens';
import type { CloudFrontOrigin } from '../constructs/cf-origin';
import type { DnsProvider } from '../constructs/dns';
import type { Alarms } from '../constructs/alarms';
import { alarmsTier } from './alarms-tier';
import { asyncTier, inProcessQueues, type AsyncTier } from './async-tier';
import { dataTier, dataTierOutputs, type DataTier } from './data-tier';
import { createDnsProvider } from './dns';
import { buildEdge, ORIGIN_VERIFY_HEADER, planEdge } from './edge';
import { emailTier, emailTierOutputs, type EmailTier } from './email-tier';
import type { Consumer, SharedServiceSettings, Tier, TierContext } from './tier';

export interface FullstackBackendOptions {
  /** Directory of the config file: relative paths in it (snapshot, handlers) resolve from here. */
  readonly configDir: string;
}

/**
 * The whole backend from one validated config: network, registry, load balancer, the API service, and
 * the tiers (data, async, email, secrets) wired to it, attached to the existing frontend.
 */
export class FullstackBackend extends Construct {
  readonly network: Network;
  readonly registry: Registry;
  readonly loadBalancer: LoadBalancer;
  readonly service: Service;
  readonly consumers: Consumer[] = [];
  readonly dns: DnsProvider;
  readonly frontend?: CloudFrontOrigin;
  readonly data: DataTier;
  readonly async: AsyncTier;
  readonly email: EmailTier;
  /** The alarms and their topic (absent with `alarms.enabled: false`). */
  readonly alarms?: Alarms;

  constructor(scope: Construct, id: string, config: BackplaneConfig, options: FullstackBackendOptions) {
    super(scope, id);
    assertCdktnTree(scope, 'FullstackBackend');
    const out = (name: string, value: unknown, description: string) =>
      new TerraformOutput(this, name, { value, description }).overrideLogicalId(name);
    const prefix = `${config.name}-${config.stage}`;
    const protect = isProtected(config);
    const tags = { ...config.tags };

    // ---- network, image registry, load balancer ----------------------------------------------------
    this.network = new Network(this, 'network', {
      name: prefix,
      cidr: config.network.cidr,
      azCount: config.network.azCount,
      natMode: config.network.nat,
      natGatewayPerAz: config.network.natGatewayPerAz,
      flowLogs: config.network.flowLogs,
      flowLogTrafficType: config.network.flowLogTrafficType,
      flowLogRetentionDays: config.network.flowLogRetentionDays,
      tags,
    });
    this.registry = new Registry(this, 'registry', {
      name: prefix,
      keepLastImages: config.registry.keepLastImages,
      releaseTagPrefixes: config.registry.releaseTagPrefixes,
      untaggedExpireDays: config.registry.untaggedExpireDays,
      forceDelete: !protect,
      tags,
    });
    const aws = new AwsContext(this, 'aws');
    const ctx: TierContext = { scope: this, config, prefix, tags, protect, network: this.network, aws };

    // ---- DNS, certificate and load balancer ------------------------------------------------------------
    this.dns = createDnsProvider(this, config.dns);
    const edge = planEdge(ctx, this.dns);
    this.loadBalancer = new LoadBalancer(this, 'load_balancer', {
      name: prefix,
      vpcId: this.network.vpc.id,
      vpcCidr: config.network.cidr,
      subnetIds: edge.internal ? this.network.privateSubnetIds : (this.network.outputs.public_subnet_ids as string[]),
      internal: edge.internal,
      certificateArn: edge.certificateArn,
      allowCloudfront: config.edge.mode === 'attach',
      ingressCidrs: config.edge.mode === 'subdomain' ? ['0.0.0.0/0'] : [],
      originVerifyHeaderName: ORIGIN_VERIFY_HEADER,
      requireOriginHeader: edge.originSecret !== undefined,
      originVerifyHeaderValue: edge.originSecret?.value ?? null,
      deletionProtection: protect,
      waf: config.edge.waf,
      wafRateLimit: config.edge.wafRateLimit,
      accessLogs: config.edge.accessLogs,
      accessLogRetentionDays: config.edge.accessLogRetentionDays,
      aws,
      tags,
    });

    // ---- tiers and the API service -------------------------------------------------------------------
    const data = dataTier(ctx);
    const async = asyncTier(ctx, { configDir: options.configDir });
    const email = emailTier(ctx, this.dns);
    const tiers: Tier[] = [data, async, email];
    const environment: Record<string, string> = { APP_STAGE: config.stage, ...config.service.environment };
    const secrets: Record<string, string> = { ...config.service.secrets };
    const migrateEnvironment: Record<string, string> = {};
    const migrateSecrets: Record<string, string> = {};
    for (const t of tiers) {
      Object.assign(environment, t.environment ?? {});
      Object.assign(secrets, t.secrets ?? {});
      Object.assign(migrateEnvironment, t.migrationEnvironment ?? {});
      Object.assign(migrateSecrets, t.migrationSecrets ?? {});
    }
    const s = config.service;
    const image = s.image ?? withSuffix(this.registry.repository.repositoryUrl, s.imageDigest ? `@${s.imageDigest}` : `:${s.imageTag}`);
    const ecrRepositoryArn = s.image ? null : this.registry.repository.arn;
    const shared: SharedServiceSettings = {
      image,
      ecrRepositoryArn,
      environment,
      secrets,
      migrationEnvironment: { ...environment, ...migrateEnvironment },
      migrationSecrets: { ...secrets, ...migrateSecrets },
      vpcId: this.network.vpc.id,
      subnetIds: this.network.appSubnetIds,
      assignPublicIp: this.network.assignPublicIp,
    };
    this.service = new Service(this, 'service', {
      name: prefix,
      image,
      ecrRepositoryArn,
      cpu: s.cpu,
      memory: s.memory,
      architecture: s.architecture === 'arm64' ? 'ARM64' : 'X86_64',
      containerPort: s.port,
      command: s.command ?? [],
      environment,
      secrets,
      healthCheckCommand: s.healthCheckCommand,
      readonlyRootFilesystem: s.readonlyRootFilesystem,
      migrateCommand: s.migrateCommand ?? [],
      migrateEnvironment,
      migrateSecrets,
      vpcId: shared.vpcId,
      subnetIds: shared.subnetIds,
      assignPublicIp: shared.assignPublicIp,
      attachLoadBalancer: true,
      targetGroupArn: this.loadBalancer.targetGroup.arn,
      loadBalancerSecurityGroupId: this.loadBalancer.securityGroup.id,
      loadBalancerArnSuffix: this.loadBalancer.lb.arnSuffix,
      targetGroupArnSuffix: this.loadBalancer.targetGroup.arnSuffix,
      desiredCount: Math.max(1, s.scaling.min),
      minCount: s.scaling.min,
      maxCount: s.scaling.max,
      cpuTarget: s.scaling.cpuTarget,
      memoryTarget: s.scaling.memoryTarget,
      requestsPerTarget: s.scaling.requestsPerTarget,
      spot: s.spot,
      enableExecuteCommand: s.executeCommand,
      tags,
    });
    // Tasks register in the target group only once a listener forwards to it.
    this.service.service.dependsOn = [...(this.service.service.dependsOn ?? []), dependable(this.loadBalancer.httpsListener)];
    this.consumers.push({
      label: 'api',
      securityGroupId: this.service.securityGroup.id,
      role: this.service.taskRole,
      consumesQueues: inProcessQueues(config),
    });
    for (const t of tiers) this.consumers.push(...(t.attach?.(this.service, shared) ?? []));
    for (const t of tiers) for (const c of this.consumers) t.allow?.(c);

    // ---- edge: origin record, VPC origin, the adopted distribution ---------------------------------------
    this.frontend = buildEdge(ctx, this.dns, edge, this.loadBalancer, options.configDir);
    this.data = data;
    this.async = async;
    this.email = email;
    this.alarms = alarmsTier(ctx, { loadBalancer: this.loadBalancer, service: this.service, data, async });

    // ---- outputs ---------------------------------------------------------------------------------------
    for (const [name, o] of Object.entries(dataTierOutputs(data))) out(name, o.value, o.description);
    emailTierOutputs(this, email);
    out('ecr_repository_url', this.registry.repository.repositoryUrl, 'Push the image here (backplane image push).');
    out('alb_dns_name', this.loadBalancer.lb.dnsName, 'The load balancer DNS name (target of the origin record).');
    out('ecs_cluster_name', this.service.cluster.name, 'ECS cluster.');
    out('ecs_service_name', this.service.service.name, 'ECS service.');
    out('task_definition_arn', this.service.taskDefinition.arn, 'The task definition this apply deployed.');
    out('target_group_arn', this.loadBalancer.targetGroup.arn, 'ALB target group.');
    out('https_listener_arn', this.loadBalancer.httpsListener.arn, 'HTTPS listener.');
    out('log_group_name', this.service.logGroup.name, 'Container logs.');
  }
}
