import { Construct } from 'constructs';
import { TerraformOutput } from 'cdktn';
import { isProtected, type BackplaneConfig } from '../config';
import type { Service } from '../constructs/ecs-service';
import { AwsContext } from '../constructs/iam';
import { assertCdktnTree } from '../constructs/naming';
import { LoadBalancer } from '../constructs/load-balancer';
import { Network } from '../constructs/network';
import { Registry } from '../constructs/registry';
import type { CloudFrontOrigin } from '../constructs/cf-origin';
import type { DnsProvider } from '../constructs/dns';
import type { Alarms } from '../constructs/alarms';
import { alarmsTier } from './alarms-tier';
import { asyncTier, type AsyncTier } from './async-tier';
import { dataTier, dataTierOutputs, type DataTier } from './data-tier';
import { createDnsProvider } from './dns';
import { buildEdge, ORIGIN_VERIFY_HEADER, planEdge } from './edge';
import { emailTier, emailTierOutputs, type EmailTier } from './email-tier';
import { apiService, sharedServiceSettings, wireConsumers } from './api-service';
import type { Consumer, Tier, TierContext } from './tier';

export interface FullstackBackendOptions {
  /** Directory of the config file: relative paths in it (snapshot, handlers) resolve from here. */
  readonly configDir: string;
}

/**
 * The tag prefixes the lifecycle policy counts as releases: the config's, plus the stage's own deploy builds
 * (`<stage>-<time>`, src/cli/image-first-deploy.ts) with `service.build`, so the builds previews push into this
 * repository (other stages' tags) never expire the image this stage runs.
 */
export function releaseTagPrefixes(config: BackplaneConfig): string[] {
  const own = `${config.stage}-`;
  const prefixes = config.registry.releaseTagPrefixes;
  return config.service.build && !prefixes.includes(own) ? [...prefixes, own] : [...prefixes];
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
      releaseTagPrefixes: releaseTagPrefixes(config),
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
      // Behind a VPC origin, CloudFront is admitted by its service security group instead (presets/edge.ts).
      allowCloudfront: config.edge.mode === 'attach' && !edge.internal,
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
    const shared = sharedServiceSettings(ctx, tiers, this.registry.repository, this.network);
    this.service = apiService(ctx, shared, {
      targetGroupArn: this.loadBalancer.targetGroup.arn,
      targetGroupArnSuffix: this.loadBalancer.targetGroup.arnSuffix,
      loadBalancerArnSuffix: this.loadBalancer.lb.arnSuffix,
      loadBalancerSecurityGroupId: this.loadBalancer.securityGroup.id,
    });
    // Tasks register in the target group only once a listener (rule) forwards to it.
    this.consumers.push(...wireConsumers(ctx, this.service, tiers, shared, this.loadBalancer.httpsListener));

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
