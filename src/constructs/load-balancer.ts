import { Construct } from 'constructs';
import { DataAwsEc2ManagedPrefixList } from '@cdktn/provider-aws/lib/data-aws-ec2-managed-prefix-list';
import { Lb, type LbAccessLogs } from '@cdktn/provider-aws/lib/lb';
import { LbListener } from '@cdktn/provider-aws/lib/lb-listener';
import { LbListenerRule } from '@cdktn/provider-aws/lib/lb-listener-rule';
import { LbTargetGroup } from '@cdktn/provider-aws/lib/lb-target-group';
import { S3Bucket } from '@cdktn/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktn/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketOwnershipControls } from '@cdktn/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktn/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktn/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktn/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { SecurityGroup } from '@cdktn/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktn/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktn/provider-aws/lib/vpc-security-group-ingress-rule';
import { Wafv2WebAcl, type Wafv2WebAclRule } from '@cdktn/provider-aws/lib/wafv2-web-acl';
import { Wafv2WebAclAssociation } from '@cdktn/provider-aws/lib/wafv2-web-acl-association';
import { Fn, TerraformIterator, Token, type TerraformResource } from 'cdktn';
import { PARENT_RULE_PRIORITY } from '../config/preview-plan';
import { albDefinition } from '../definitions/alb';
import { resolveInputs, type ModuleOutputs } from '../modules/module';
import type { AlbInputs } from './generated/alb';
import { AwsContext } from './iam';
import { attr, listIf, not, optionally, withTags } from './tokens';

const LISTENER_PORTS = [443, 80];

/**
 * The AWS managed rule groups of the web ACL, in evaluation order after the IP reputation list and the rate limit.
 * Their capacity (AWS WAF Developer Guide, "AWS Managed Rules rule groups list": IP reputation 25 WCUs, core rule
 * set 700, known bad inputs 200) plus the rate-based rule stays under the 1,500 WCUs the web ACL's base price covers
 * (AWS WAF Developer Guide, "Web ACL capacity units (WCUs) in AWS WAF").
 */
const MANAGED_RULE_GROUPS = ['AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet'] as const;

export interface LoadBalancerProps extends AlbInputs {
  /**
   * Account lookups to reuse (the access-log bucket's name and policy need the account id).
   * @default its own, created only with `accessLogs`
   */
  readonly aws?: AwsContext;
}

type Inputs = Required<AlbInputs>;
type Tags = Record<string, string>;

/** The API's target group (IP targets, HTTP, the health check every API task answers): the stack's and a preview's. */
export function apiTargetGroup(
  scope: Construct,
  id: string,
  o: { name: string; port: number; vpcId: string; healthCheckPath: string; deregistrationDelay: number; tags: Tags },
): LbTargetGroup {
  return new LbTargetGroup(scope, id, {
    name: o.name,
    targetType: 'ip',
    port: o.port,
    protocol: 'HTTP',
    vpcId: o.vpcId,
    deregistrationDelay: Token.asString(o.deregistrationDelay),
    healthCheck: {
      enabled: true,
      path: o.healthCheckPath,
      matcher: '200-399',
      interval: 15,
      timeout: 5,
      healthyThreshold: 2,
      unhealthyThreshold: 3,
    },
    tags: o.tags,
  });
}

/** The API's load balancer (module `alb`), with an optional WAF web ACL and optional access logs in S3. */
export class LoadBalancer extends Construct {
  readonly lb: Lb;
  readonly securityGroup: SecurityGroup;
  readonly targetGroup: LbTargetGroup;
  readonly httpsListener: LbListener;
  /** The WAF web ACL and its association with the load balancer (none without `waf`). */
  readonly webAcl?: Wafv2WebAcl;
  readonly webAclAssociation?: Wafv2WebAclAssociation;
  /** The access-log bucket and the policy that lets ELB write to it (none without `accessLogs`). */
  readonly accessLogBucket?: S3Bucket;
  readonly accessLogBucketPolicy?: S3BucketPolicy;
  readonly outputs: ModuleOutputs<typeof albDefinition>;

  constructor(scope: Construct, id: string, props: LoadBalancerProps) {
    super(scope, id);
    const { aws, ...inputs } = props;
    const p: Inputs = resolveInputs(albDefinition, inputs, id);
    const tags = withTags(p.tags, { Name: p.name });

    this.securityGroup = this.createSecurityGroup(p, tags);
    [this.accessLogBucket, this.accessLogBucketPolicy] = this.createAccessLogBucket(p, aws) ?? [];
    this.lb = this.createLoadBalancer(p, tags);
    this.targetGroup = this.createTargetGroup(p, tags);
    this.httpsListener = this.createListeners(p, tags);
    [this.webAcl, this.webAclAssociation] = this.createWebAcl(p, tags) ?? [];

    this.outputs = {
      arn: this.lb.arn,
      arn_suffix: this.lb.arnSuffix,
      dns_name: this.lb.dnsName,
      zone_id: this.lb.zoneId,
      security_group_id: this.securityGroup.id,
      target_group_arn: this.targetGroup.arn,
      target_group_arn_suffix: this.targetGroup.arnSuffix,
      https_listener_arn: this.httpsListener.arn,
      web_acl_arn: attr(this.webAcl, 'arn'),
      access_logs_bucket: attr(this.accessLogBucket, 'bucket'),
    };
  }

  private createSecurityGroup(p: Inputs, tags: Tags): SecurityGroup {
    const sg = new SecurityGroup(this, 'security_group', {
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
          securityGroupId: sg.id,
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
        securityGroupId: sg.id,
        description: `Port ${port} from an allowed network`,
        ipProtocol: 'tcp',
        fromPort: port,
        toPort: port,
        cidrIpv4: cidrs.value,
      });
    }
    new VpcSecurityGroupEgressRule(this, 'to_targets', {
      securityGroupId: sg.id,
      description: 'To the service tasks, inside the VPC only',
      ipProtocol: 'tcp',
      fromPort: p.targetPort,
      toPort: p.targetPort,
      cidrIpv4: p.vpcCidr,
    });
    return sg;
  }

  private createLoadBalancer(p: Inputs, tags: Tags): Lb {
    const logs = (): LbAccessLogs => ({ bucket: attr(this.accessLogBucket, 'bucket'), enabled: true });
    const lb = new Lb(this, 'load_balancer', {
      name: p.name,
      loadBalancerType: 'application',
      internal: p.internal,
      subnets: p.subnetIds,
      securityGroups: [this.securityGroup.id],
      dropInvalidHeaderFields: true,
      desyncMitigationMode: 'strictest',
      idleTimeout: p.idleTimeout,
      enableDeletionProtection: p.deletionProtection,
      accessLogs: p.accessLogs === true ? logs() : undefined,
      // ELB checks that it may write to the bucket when access logs are turned on: the policy must exist first.
      dependsOn: this.accessLogBucketPolicy ? [this.accessLogBucketPolicy] : undefined,
      tags,
    });
    // With a variable: the bindings cannot render a single nested block as `dynamic` (as in dns.ts), an override can.
    if (this.accessLogBucket && p.accessLogs !== true) {
      lb.addOverride('dynamic.access_logs', { for_each: listIf(p.accessLogs, 1), content: { bucket: logs().bucket, enabled: true } });
    }
    return lb;
  }

  private createTargetGroup(p: Inputs, tags: Tags): LbTargetGroup {
    return apiTargetGroup(this, 'target_group', {
      name: p.name,
      port: p.targetPort,
      vpcId: p.vpcId,
      healthCheckPath: p.healthCheckPath,
      deregistrationDelay: p.deregistrationDelay,
      tags,
    });
  }

  /** The HTTPS listener (returned), its forwarding rule, and the HTTP listener that redirects to HTTPS. */
  private createListeners(p: Inputs, tags: Tags): LbListener {
    // Deny by default; one rule forwards: requests carrying the secret origin header when one is set,
    // otherwise every request (the security group still limits who can connect). It is the last rule evaluated
    // (priority 50,000), so a preview stage's rule (src/presets/preview.ts) is tried first.
    const verify = p.requireOriginHeader;
    const forward = [{ type: 'forward', targetGroupArn: this.targetGroup.arn }];
    const https = new LbListener(this, 'https', {
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
          listenerArn: https.arn,
          priority: PARENT_RULE_PRIORITY,
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
          listenerArn: https.arn,
          priority: PARENT_RULE_PRIORITY,
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
    return https;
  }

  /**
   * The access-log bucket (AWS FSBP ELB.5), following the Elastic Load Balancing User Guide for Application Load
   * Balancers, "Enable access logs for your Application Load Balancer"
   * (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html):
   * - the bucket is in the load balancer's Region, and the only server-side encryption ELB supports for it is
   *   SSE-S3 (Amazon S3-managed keys): no KMS key here;
   * - the bucket policy grants s3:PutObject on `<bucket>/AWSLogs/<account id>/*` (no prefix) to the log delivery
   *   service principal `logdelivery.elasticloadbalancing.amazonaws.com`: the guide's policy for Regions available as
   *   of August 2022 or later. For older Regions the guide also keeps a legacy policy naming the Region's ELB account;
   *   AWS recommends replacing it with this principal, which works in every Region (as applied by
   *   trussworks/terraform-aws-logs#332, after the Classic Load Balancer guide, "Attach a policy to your S3 bucket").
   * Bucket names are global, hence the account id in it: `<name>-alb-logs-<account id>` is at most 32 + 10 + 12 = 54
   * characters (the name input allows 32), within S3's 63, so the name part never needs truncating.
   */
  private createAccessLogBucket(p: Inputs, aws?: AwsContext): [S3Bucket, S3BucketPolicy] | undefined {
    if (p.accessLogs === false) return undefined;
    const accountId = (aws ?? new AwsContext(this, 'aws')).accountId;
    // Each resource exists exactly when the bucket does (`count` in the module).
    const withLogs = <T extends TerraformResource>(make: (count: number | undefined) => T): T => optionally(p.accessLogs, make) as T;
    const bucket = withLogs(
      (count) =>
        new S3Bucket(this, 'access_logs', {
          count,
          bucket: `${p.name}-alb-logs-${accountId}`,
          // Protected stages keep their logs: destroying the stack then stops at a non-empty bucket.
          forceDestroy: not(p.deletionProtection),
          tags: withTags(p.tags, { Name: `${p.name}-alb-logs` }),
        }),
    );
    const id = attr(bucket, 'id');
    const arn = attr(bucket, 'arn');
    withLogs(
      (count) =>
        new S3BucketServerSideEncryptionConfigurationA(this, 'access_logs_encryption', {
          count,
          bucket: id,
          rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }],
        }),
    );
    withLogs(
      (count) =>
        new S3BucketOwnershipControls(this, 'access_logs_ownership', {
          count,
          bucket: id,
          rule: { objectOwnership: 'BucketOwnerEnforced' },
        }),
    );
    const publicAccess = withLogs(
      (count) =>
        new S3BucketPublicAccessBlock(this, 'access_logs_public_access', {
          count,
          bucket: id,
          blockPublicAcls: true,
          blockPublicPolicy: true,
          ignorePublicAcls: true,
          restrictPublicBuckets: true,
        }),
    );
    withLogs(
      (count) =>
        new S3BucketLifecycleConfiguration(this, 'access_logs_lifecycle', {
          count,
          bucket: id,
          // `filter { prefix = "" }`: every object, without the warning hashicorp/aws >= 5.90 gives for an empty filter.
          rule: [
            { id: 'expire-access-logs', status: 'Enabled', filter: [{ prefix: '' }], expiration: [{ days: p.accessLogRetentionDays }] },
          ],
        }),
    );
    const policy = withLogs(
      (count) =>
        new S3BucketPolicy(this, 'access_logs_policy', {
          count,
          bucket: id,
          policy: Fn.jsonencode({
            Version: '2012-10-17',
            Statement: [
              {
                Sid: 'AllowElbLogDelivery',
                Effect: 'Allow',
                Principal: { Service: 'logdelivery.elasticloadbalancing.amazonaws.com' },
                Action: 's3:PutObject',
                Resource: `${arn}/AWSLogs/${accountId}/*`,
              },
              {
                Sid: 'DenyInsecureTransport',
                Effect: 'Deny',
                Principal: '*',
                Action: 's3:*',
                Resource: [arn, `${arn}/*`],
                Condition: { Bool: { 'aws:SecureTransport': 'false' } },
              },
            ],
          }),
          // S3 refuses concurrent changes to a bucket's policy and its public access block.
          dependsOn: [publicAccess],
        }),
    );
    return [bucket, policy];
  }

  /**
   * A regional web ACL on the load balancer: allow by default; block known bad source IPs (AWS IP reputation list),
   * any IP above `wafRateLimit` requests in 5 minutes, and what the core and known-bad-inputs rule groups match.
   * Every rule publishes CloudWatch metrics and samples requests.
   */
  private createWebAcl(p: Inputs, tags: Tags): [Wafv2WebAcl, Wafv2WebAclAssociation] | undefined {
    const visibility = (metricName: string) => ({ cloudwatchMetricsEnabled: true, metricName, sampledRequestsEnabled: true });
    const managed = (name: string, priority: number): Wafv2WebAclRule => ({
      name,
      priority,
      overrideAction: { none: {} },
      statement: { managed_rule_group_statement: { vendor_name: 'AWS', name } },
      visibilityConfig: visibility(`${p.name}-${name}`),
    });
    const rateLimit: Wafv2WebAclRule = {
      name: 'rate-limit-per-ip',
      priority: 1,
      action: { block: {} },
      // Counted over the default 5-minute window (evaluation_window_sec = 300).
      statement: { rate_based_statement: { limit: p.wafRateLimit, aggregate_key_type: 'IP' } },
      visibilityConfig: visibility(`${p.name}-rate-limit-per-ip`),
    };
    const acl = optionally(
      p.waf,
      (count) =>
        new WebAcl(this, 'waf', {
          count,
          name: p.name,
          description: 'API load balancer: AWS managed rules and a per-IP rate limit',
          scope: 'REGIONAL',
          defaultAction: { allow: {} },
          rule: [
            managed('AWSManagedRulesAmazonIpReputationList', 0),
            rateLimit,
            ...MANAGED_RULE_GROUPS.map((name, i) => managed(name, i + 2)),
          ],
          visibilityConfig: visibility(p.name),
          tags,
        }),
    );
    if (!acl) return undefined;
    const association = optionally(
      p.waf,
      (count) => new Wafv2WebAclAssociation(this, 'waf_association', { count, resourceArn: this.lb.arn, webAclArn: attr(acl, 'arn') }),
    ) as Wafv2WebAclAssociation;
    return [acl, association];
  }
}

/**
 * The bindings type a WAF rule's `statement` as `any` (its schema is recursive), which HCL synthesis writes as an
 * attribute (`statement = { ... }`); Terraform wants nested blocks. JSON synthesis is right as it is.
 */
class WebAcl extends Wafv2WebAcl {
  protected synthesizeHclAttributes(): Record<string, unknown> {
    const attrs = super.synthesizeHclAttributes();
    const rules = (attrs.rule as { value?: Record<string, { value: unknown }>[] } | undefined)?.value ?? [];
    for (const rule of rules) rule.statement = asHclBlock('statement', rule.statement.value as Record<string, unknown>);
    return attrs;
  }
}

/** A plain object as the block descriptor cdktn's HCL renderer writes as `name { ... }`, nested objects as blocks. */
function asHclBlock(name: string, body: Record<string, unknown>): { value: unknown } {
  const isBlock = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v) && !Token.isUnresolved(v);
  const value = Object.fromEntries(Object.entries(body).map(([k, v]) => [k, isBlock(v) ? asHclBlock(k, v as Record<string, unknown>) : v]));
  return { value, isBlock: true, type: 'struct', storageClassType: name } as { value: unknown };
}
