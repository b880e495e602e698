import { Construct } from 'constructs';
import { DataAwsEc2ManagedPrefixList } from '@cdktn/provider-aws/lib/data-aws-ec2-managed-prefix-list';
import { Lb } from '@cdktn/provider-aws/lib/lb';
import { LbListener } from '@cdktn/provider-aws/lib/lb-listener';
import { LbListenerRule } from '@cdktn/provider-aws/lib/lb-listener-rule';
import { LbTargetGroup } from '@cdktn/provider-aws/lib/lb-target-group';
import { SecurityGroup } from '@cdktn/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktn/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktn/provider-aws/lib/vpc-security-group-ingress-rule';
import { TerraformIterator, Token } from 'cdktn';
import { albDefinition } from '../definitions/alb';
import { resolveInputs, type ModuleOutputs } from '../modules/module';
import type { AlbInputs } from './generated/alb';
import { not, optionally, withTags } from './tokens';

const LISTENER_PORTS = [443, 80];

/** The API's load balancer (module `alb`). */
export class LoadBalancer extends Construct {
  readonly lb: Lb;
  readonly securityGroup: SecurityGroup;
  readonly targetGroup: LbTargetGroup;
  readonly httpsListener: LbListener;
  readonly outputs: ModuleOutputs<typeof albDefinition>;

  constructor(scope: Construct, id: string, props: AlbInputs) {
    super(scope, id);
    const p: Required<AlbInputs> = resolveInputs(albDefinition, props, id);
    const tags = withTags(p.tags, { Name: p.name });

    this.securityGroup = new SecurityGroup(this, 'security_group', {
      name: `${p.name}-alb`,
      description: 'API load balancer: HTTPS from CloudFront only',
      vpcId: p.vpcId,
      tags,
    });
    const cloudfront = new DataAwsEc2ManagedPrefixList(this, 'cloudfront_origin_facing', {
      name: 'com.amazonaws.global.cloudfront.origin-facing',
    });
    // CloudFront reaches the origin over HTTPS only, so it is admitted on 443 alone: the managed prefix list counts
    // as its WEIGHT (55 for com.amazonaws.global.cloudfront.origin-facing) against the default quota of 60 inbound
    // rules per security group — a second reference (e.g. on port 80) is refused with
    // RulesPerSecurityGroupLimitExceeded. Sources: Amazon VPC User Guide, "AWS-managed prefix lists" (prefix list
    // weight) and "Amazon VPC quotas" (inbound rules per security group). src/limits checks the total at synth.
    optionally(
      p.allowCloudfront,
      (count) =>
        new VpcSecurityGroupIngressRule(this, 'from_cloudfront_443', {
          count,
          securityGroupId: this.securityGroup.id,
          description: 'HTTPS from CloudFront origin-facing servers',
          ipProtocol: 'tcp',
          fromPort: 443,
          toPort: 443,
          prefixListId: cloudfront.id,
        }),
    );
    for (const port of LISTENER_PORTS) {
      const cidrs = TerraformIterator.fromList(p.ingressCidrs);
      new VpcSecurityGroupIngressRule(this, `from_cidrs_${port}`, {
        forEach: cidrs,
        securityGroupId: this.securityGroup.id,
        description: `Port ${port} from an allowed network`,
        ipProtocol: 'tcp',
        fromPort: port,
        toPort: port,
        cidrIpv4: cidrs.value,
      });
    }
    new VpcSecurityGroupEgressRule(this, 'to_targets', {
      securityGroupId: this.securityGroup.id,
      description: 'To the service tasks, inside the VPC only',
      ipProtocol: 'tcp',
      fromPort: p.targetPort,
      toPort: p.targetPort,
      cidrIpv4: p.vpcCidr,
    });

    this.lb = new Lb(this, 'load_balancer', {
      name: p.name,
      loadBalancerType: 'application',
      internal: p.internal,
      subnets: p.subnetIds,
      securityGroups: [this.securityGroup.id],
      dropInvalidHeaderFields: true,
      desyncMitigationMode: 'strictest',
      idleTimeout: p.idleTimeout,
      enableDeletionProtection: p.deletionProtection,
      tags,
    });
    this.targetGroup = new LbTargetGroup(this, 'target_group', {
      name: p.name,
      targetType: 'ip',
      port: p.targetPort,
      protocol: 'HTTP',
      vpcId: p.vpcId,
      deregistrationDelay: Token.asString(p.deregistrationDelay),
      healthCheck: {
        enabled: true,
        path: p.healthCheckPath,
        matcher: '200-399',
        interval: 15,
        timeout: 5,
        healthyThreshold: 2,
        unhealthyThreshold: 3,
      },
      tags,
    });

    // Deny by default; one rule forwards: requests carrying the secret origin header when one is set,
    // otherwise every request (the security group still limits who can connect).
    const verify = p.requireOriginHeader;
    const forward = [{ type: 'forward', targetGroupArn: this.targetGroup.arn }];
    this.httpsListener = new LbListener(this, 'https', {
      loadBalancerArn: this.lb.arn,
      port: 443,
      protocol: 'HTTPS',
      sslPolicy: p.sslPolicy,
      certificateArn: p.certificateArn,
      defaultAction: [
        { type: 'fixed-response', fixedResponse: { contentType: 'text/plain', statusCode: '403', messageBody: 'Forbidden' } },
      ],
      tags,
    });
    optionally(
      verify,
      (count) =>
        new LbListenerRule(this, 'forward_with_origin_secret', {
          count,
          listenerArn: this.httpsListener.arn,
          priority: 1,
          condition: [{ httpHeader: { httpHeaderName: p.originVerifyHeaderName, values: [p.originVerifyHeaderValue as string] } }],
          action: forward,
          tags,
        }),
    );
    optionally(
      not(verify),
      (count) =>
        new LbListenerRule(this, 'forward_all', {
          count,
          listenerArn: this.httpsListener.arn,
          priority: 1,
          condition: [{ pathPattern: { values: ['/*'] } }],
          action: forward,
          tags,
        }),
    );
    new LbListener(this, 'http_redirect', {
      loadBalancerArn: this.lb.arn,
      port: 80,
      protocol: 'HTTP',
      defaultAction: [{ type: 'redirect', redirect: { protocol: 'HTTPS', port: '443', statusCode: 'HTTP_301' } }],
      tags,
    });

    this.outputs = {
      arn: this.lb.arn,
      arn_suffix: this.lb.arnSuffix,
      dns_name: this.lb.dnsName,
      zone_id: this.lb.zoneId,
      security_group_id: this.securityGroup.id,
      target_group_arn: this.targetGroup.arn,
      target_group_arn_suffix: this.targetGroup.arnSuffix,
      https_listener_arn: this.httpsListener.arn,
    };
  }
}
