/**
 * The edge: where the API meets the world. `attach` adds /api/* to the existing distribution (through a
 * CloudFront VPC origin and an internal ALB by default, or a public ALB guarded by CloudFront's prefix list
 * and a secret header); `subdomain` serves api.<domain> straight from a public ALB. The origin name always
 * has a record (through the DNS provider) and a regional certificate on the ALB.
 */
import * as fs from 'fs';
import * as path from 'path';
import { CloudfrontVpcOrigin } from '@cdktn/provider-aws/lib/cloudfront-vpc-origin';
import { DataAwsSecurityGroup } from '@cdktn/provider-aws/lib/data-aws-security-group';
import { VpcSecurityGroupIngressRule } from '@cdktn/provider-aws/lib/vpc-security-group-ingress-rule';
import { TerraformOutput } from 'cdktn';
import type { BackplaneConfig } from '../config';
import { ConfigError } from '../config/errors';
import { CloudFrontOrigin } from '../constructs/cf-origin';
import type { DnsProvider } from '../constructs/dns';
import type { LoadBalancer } from '../constructs/load-balancer';
import { OriginSecret } from '../constructs/origin-secret';
import { loadBalancerRecord, originCertificate } from './dns';
import type { TierContext } from './tier';

export const ORIGIN_VERIFY_HEADER = 'X-Origin-Verify';

export interface EdgePlan {
  /** The name CloudFront (or viewers, in subdomain mode) connect to; the ALB certificate is for it. */
  readonly originName: string;
  /** An internal ALB behind a CloudFront VPC origin. */
  readonly internal: boolean;
  readonly certificateArn: string;
  /** The secret header the listener requires (public ALB behind CloudFront only). */
  readonly originSecret?: OriginSecret;
}

/** A public ALB behind CloudFront: its listener forwards only requests carrying the secret origin header. */
export const usesOriginSecret = (config: BackplaneConfig): boolean => config.edge.mode === 'attach' && config.edge.albAccess === 'public';

/** What the load balancer needs from the edge, decided before it exists. */
export function planEdge(ctx: TierContext, dns: DnsProvider): EdgePlan {
  const { config } = ctx;
  const edge = config.edge;
  const originName = edge.mode === 'subdomain' ? `${edge.subdomain}.${config.domain}` : `origin-api.${config.domain}`;
  const internal = edge.mode === 'attach' && edge.albAccess === 'vpc-origin';
  const certificateArn = config.certificateArn ?? originCertificate(ctx, dns, originName, { keyAlgorithm: 'EC_prime256v1' }).arn;
  const originSecret = usesOriginSecret(config)
    ? new OriginSecret(ctx.scope, 'origin_secret', { name: ctx.prefix, protect: ctx.protect, tags: ctx.tags })
    : undefined;
  return { originName, internal, certificateArn, originSecret };
}

const snapshotPath = (configDir: string, file: string) => path.resolve(configDir, file);

function readSnapshot(configDir: string, file: string): string {
  const abs = snapshotPath(configDir, file);
  if (!fs.existsSync(abs)) {
    throw new ConfigError(
      `edge.snapshotFile = "${file}": ${abs} does not exist. Create it with \`npx backplane cloudfront snapshot --id <DISTRIBUTION_ID> --out ${file}\` and commit it.`,
    );
  }
  return fs.readFileSync(abs, 'utf8');
}

/** The security group CloudFront creates in a VPC with its first VPC origin (and routes VPC-origin traffic through). */
export const VPC_ORIGINS_SERVICE_GROUP = 'CloudFront-VPCOrigins-Service-SG';

/**
 * Behind a VPC origin the internal ALB admits CloudFront by the security group CloudFront creates in the VPC with
 * the VPC origin (CloudFront Developer Guide, "Restrict access with VPC origins": allow inbound traffic from the
 * CloudFront-VPCOrigins-Service-SG security group), on 443 only, not by the public origin-facing prefix list (which
 * also costs 55 of the group's 60 rules). The group exists once the VPC origin is deployed, so it is looked up after.
 */
function admitVpcOrigins(ctx: TierContext, lb: LoadBalancer, vpcOrigin: CloudfrontVpcOrigin): void {
  const serviceGroup = new DataAwsSecurityGroup(ctx.scope, 'cloudfront_vpc_origins_group', {
    vpcId: ctx.network.vpc.id,
    filter: [{ name: 'group-name', values: [VPC_ORIGINS_SERVICE_GROUP] }],
    dependsOn: [vpcOrigin],
  });
  new VpcSecurityGroupIngressRule(ctx.scope, 'load_balancer_from_cloudfront_vpc_origins', {
    securityGroupId: lb.securityGroup.id,
    description: `HTTPS from CloudFront VPC origins (${VPC_ORIGINS_SERVICE_GROUP})`,
    ipProtocol: 'tcp',
    fromPort: 443,
    toPort: 443,
    referencedSecurityGroupId: serviceGroup.id,
    tags: ctx.tags,
  });
}

/** The records, the VPC origin and the adopted distribution, once the load balancer exists. */
export function buildEdge(
  ctx: TierContext,
  dns: DnsProvider,
  plan: EdgePlan,
  lb: LoadBalancer,
  configDir: string,
): CloudFrontOrigin | undefined {
  const { config } = ctx;
  loadBalancerRecord(dns, plan.originName, { dnsName: lb.lb.dnsName, zoneId: lb.lb.zoneId });
  const edge = config.edge;
  if (edge.mode !== 'attach') return undefined;

  const vpcOrigin = plan.internal
    ? new CloudfrontVpcOrigin(ctx.scope, 'vpc_origin', {
        vpcOriginEndpointConfig: [
          {
            name: ctx.prefix,
            arn: lb.lb.arn,
            httpPort: 80,
            httpsPort: 443,
            originProtocolPolicy: 'https-only',
            originSslProtocols: [{ items: ['TLSv1.2'], quantity: 1 }],
          },
        ],
        tags: ctx.tags,
      })
    : undefined;
  if (vpcOrigin) admitVpcOrigins(ctx, lb, vpcOrigin);
  const frontend = new CloudFrontOrigin(ctx.scope, 'frontend', {
    distributionId: edge.distributionId,
    snapshotJson: readSnapshot(configDir, edge.snapshotFile),
    apiOriginDomainName: plan.originName,
    pathPattern: edge.pathPattern,
    apiOriginId: edge.apiOriginId,
    settingNames: {
      snapshot: `edge.snapshotFile (${snapshotPath(configDir, edge.snapshotFile)})`,
      distributionId: 'edge.distributionId',
      pathPattern: 'edge.pathPattern',
      apiOriginId: 'edge.apiOriginId',
    },
    forwardHostHeader: edge.forwardHostHeader,
    originCustomHeaders: plan.originSecret ? [{ name: ORIGIN_VERIFY_HEADER, value: plan.originSecret.value }] : [],
    vpcOriginId: vpcOrigin?.id,
    attach: !edge.detach,
    release: edge.release,
  });
  if (!edge.release) {
    new TerraformOutput(ctx.scope, 'cloudfront_distribution_domain', {
      value: frontend.distributionDomainName,
      description: 'The frontend distribution: /api/* now reaches the API through it.',
    }).overrideLogicalId('cloudfront_distribution_domain');
  }
  return frontend;
}
