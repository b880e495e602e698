/**
 * A preview stage (`preview` in the config, e.g. `--stage pr-123`): its own API service, target group and listener
 * rule, queues, schedules and secrets, inside the parent stage's VPC, behind the parent's load balancer, from the
 * parent's image repository, on the parent's database instance and cache. It creates no network, load balancer,
 * database, cache, certificate, DNS record, email identity or alarm, and never touches the CloudFront
 * distribution: requests reach it through the parent's listener with the header `<preview.header>: <stage>`.
 */
import { Construct } from 'constructs';
import { LbListenerRule } from '@cdktn/provider-aws/lib/lb-listener-rule';
import type { LbTargetGroup } from '@cdktn/provider-aws/lib/lb-target-group';
import { TerraformOutput } from 'cdktn';
import type { BackplaneConfig } from '../config';
import { previewOf, type PreviewPlan } from '../config/preview-plan';
import type { Service } from '../constructs/ecs-service';
import { AwsContext } from '../constructs/iam';
import { apiTargetGroup } from '../constructs/load-balancer';
import { assertCdktnTree } from '../constructs/naming';
import { withTags } from '../constructs/tokens';
import { albDefinition } from '../definitions/alb';
import { apiService, sharedServiceSettings, wireConsumers } from './api-service';
import { asyncTier, type AsyncTier } from './async-tier';
import { ORIGIN_VERIFY_HEADER } from './edge';
import { ParentStage } from './parent-stage';
import { sharedDataTier, sharedEmailTier } from './preview-tiers';
import type { Consumer, Tier, TierContext } from './tier';

const ALB = albDefinition.inputs;

export interface PreviewBackendOptions {
  /** Directory of the config file: relative paths in it (handlers) resolve from here. */
  readonly configDir: string;
}

/** The preview stage of a config whose stage is a preview (`previewOf(config)`), sharing its parent's infrastructure. */
export class PreviewBackend extends Construct {
  readonly preview: PreviewPlan;
  readonly parent: ParentStage;
  readonly targetGroup: LbTargetGroup;
  readonly listenerRule: LbListenerRule;
  readonly service: Service;
  readonly async: AsyncTier;
  readonly consumers: Consumer[] = [];

  constructor(scope: Construct, id: string, config: BackplaneConfig, options: PreviewBackendOptions) {
    super(scope, id);
    assertCdktnTree(scope, 'PreviewBackend');
    const preview = previewOf(config);
    if (!preview)
      throw new Error(`PreviewBackend: stage "${config.stage}" is not a preview stage of this config (see preview.stagePrefix)`);
    this.preview = preview;
    const prefix = `${config.name}-${config.stage}`;
    const tags = { ...config.tags, 'backplane:preview-of': preview.parent };
    this.parent = new ParentStage(this, 'parent', config, preview);
    const ctx: TierContext = {
      scope: this,
      config,
      prefix,
      tags,
      protect: false,
      network: this.parent.network,
      aws: new AwsContext(this, 'aws'),
    };

    [this.targetGroup, this.listenerRule] = this.route(ctx);
    const data = sharedDataTier(ctx, this.parent, preview);
    this.async = asyncTier(ctx, { configDir: options.configDir });
    const email = sharedEmailTier(ctx, preview);
    const tiers: Tier[] = [data, this.async, email];
    const shared = sharedServiceSettings(ctx, tiers, this.parent.repository, this.parent.network);
    this.service = apiService(ctx, shared, {
      targetGroupArn: this.targetGroup.arn,
      targetGroupArnSuffix: this.targetGroup.arnSuffix,
      loadBalancerArnSuffix: this.parent.loadBalancer.arnSuffix,
      loadBalancerSecurityGroupId: this.parent.loadBalancer.securityGroupId,
    });
    // Tasks register in the target group only once a listener (rule) forwards to it.
    this.consumers.push(...wireConsumers(ctx, this.service, tiers, shared, this.listenerRule));
    this.outputs(config);
  }

  /** The preview's target group and its rule on the parent's HTTPS listener (header match, before the parent's own rule). */
  private route(ctx: TierContext): [LbTargetGroup, LbListenerRule] {
    const { config, prefix } = ctx;
    const lb = this.parent.loadBalancer;
    // The parent's target group settings (module `alb` defaults), so a preview behaves like its parent.
    const targetGroup = apiTargetGroup(this, 'target_group', {
      name: prefix,
      port: config.service.port,
      vpcId: this.parent.network.vpc.id,
      healthCheckPath: ALB.health_check_path.default as string,
      deregistrationDelay: ALB.deregistration_delay.default as number,
      tags: withTags(ctx.tags, { Name: prefix }),
    });
    const header = (name: string, value: string) => ({ httpHeader: { httpHeaderName: name, values: [value] } });
    const rule = new LbListenerRule(this, 'listener_rule', {
      listenerArn: lb.httpsListenerArn,
      priority: this.preview.priority,
      condition: [
        header(this.preview.header, config.stage),
        // Behind CloudFront the parent's rule also requires the secret origin header: so does the preview's.
        ...(lb.originVerifyValue ? [header(ORIGIN_VERIFY_HEADER, lb.originVerifyValue)] : []),
      ],
      action: [{ type: 'forward', targetGroupArn: targetGroup.arn }],
      tags: withTags(ctx.tags, { Name: prefix }),
    });
    return [targetGroup, rule];
  }

  private outputs(config: BackplaneConfig): void {
    const out = (name: string, value: unknown, description: string) =>
      new TerraformOutput(this, name, { value, description }).overrideLogicalId(name);
    out('preview_of', this.preview.parent, 'The parent stage whose network, load balancer, database and cache this preview shares.');
    out('preview_header', `${this.preview.header}: ${config.stage}`, 'The request header that routes to this preview.');
    out('listener_rule_priority', this.preview.priority, 'The preview rule on the parent load balancer.');
    out('ecr_repository_url', this.parent.repository.repositoryUrl, "The parent's repository: push the preview's image here.");
    out('ecs_cluster_name', this.service.cluster.name, 'ECS cluster.');
    out('ecs_service_name', this.service.service.name, 'ECS service.');
    out('task_definition_arn', this.service.taskDefinition.arn, 'The task definition this apply deployed.');
    out('target_group_arn', this.targetGroup.arn, 'The preview target group.');
    out('log_group_name', this.service.logGroup.name, 'Container logs.');
  }
}
