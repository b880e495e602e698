/**
 * What a preview stage reads of its parent stage, by the names the parent's stack gives its resources
 * (`<name>-<parent>` everywhere): data sources only, so nothing of the parent is in the preview's state as a
 * resource, and destroying the preview cannot touch it. A parent that is not deployed fails the preview's plan at
 * the first lookup, naming the missing resource.
 */
import { Construct } from 'constructs';
import { DataAwsDbInstance } from '@cdktn/provider-aws/lib/data-aws-db-instance';
import { DataAwsEcrRepository } from '@cdktn/provider-aws/lib/data-aws-ecr-repository';
import { DataAwsElasticacheReplicationGroup } from '@cdktn/provider-aws/lib/data-aws-elasticache-replication-group';
import { DataAwsLb } from '@cdktn/provider-aws/lib/data-aws-lb';
import { DataAwsLbListener } from '@cdktn/provider-aws/lib/data-aws-lb-listener';
import { DataAwsRdsCluster } from '@cdktn/provider-aws/lib/data-aws-rds-cluster';
import { DataAwsSecretsmanagerSecret } from '@cdktn/provider-aws/lib/data-aws-secretsmanager-secret';
import { DataAwsSecretsmanagerSecretVersion } from '@cdktn/provider-aws/lib/data-aws-secretsmanager-secret-version';
import { DataAwsSecurityGroup } from '@cdktn/provider-aws/lib/data-aws-security-group';
import { DataAwsSubnets } from '@cdktn/provider-aws/lib/data-aws-subnets';
import { DataAwsVpc } from '@cdktn/provider-aws/lib/data-aws-vpc';
import type { BackplaneConfig } from '../config';
import type { PreviewPlan } from '../config/preview-plan';
import { usesOriginSecret } from './edge';
import type { NetworkRefs } from './tier';

export interface ParentDatabase {
  readonly host: string;
  /** The instance's (or Aurora cluster's) resource id: the `rds-db:connect` ARN names it. */
  readonly resourceId: string;
  readonly masterUsername: string;
  readonly masterSecretArn: string;
  readonly securityGroupId: string;
}

export interface ParentCache {
  readonly primaryEndpoint: string;
  readonly authTokenSecretArn: string;
  readonly securityGroupId: string;
}

export interface ParentLoadBalancer {
  readonly httpsListenerArn: string;
  readonly securityGroupId: string;
  readonly arnSuffix: string;
  /** The origin header value the parent's listener requires (public ALB behind CloudFront only). */
  readonly originVerifyValue?: string;
}

/** The parent stage's network, load balancer, image repository, database and cache, looked up by name. */
export class ParentStage extends Construct {
  readonly network: NetworkRefs;
  readonly loadBalancer: ParentLoadBalancer;
  readonly repository: { readonly arn: string; readonly repositoryUrl: string };
  readonly database?: ParentDatabase;
  readonly cache?: ParentCache;

  constructor(scope: Construct, id: string, config: BackplaneConfig, preview: PreviewPlan) {
    super(scope, id);
    const pp = preview.parentPrefix;
    this.network = this.lookUpNetwork(pp, config.network.nat === 'none');
    const vpcId = this.network.vpc.id;
    const group = (name: string, groupName: string) => new DataAwsSecurityGroup(this, name, { name: groupName, vpcId }).id;

    const lb = new DataAwsLb(this, 'load_balancer', { name: pp });
    const listener = new DataAwsLbListener(this, 'https_listener', { loadBalancerArn: lb.arn, port: 443 });
    this.loadBalancer = {
      httpsListenerArn: listener.arn,
      securityGroupId: group('load_balancer_security_group', `${pp}-alb`),
      arnSuffix: lb.arnSuffix,
      originVerifyValue: usesOriginSecret(config)
        ? new DataAwsSecretsmanagerSecretVersion(this, 'origin_verify', { secretId: `${pp}-origin-verify` }).secretString
        : undefined,
    };
    const repository = new DataAwsEcrRepository(this, 'repository', { name: pp });
    this.repository = { arn: repository.arn, repositoryUrl: repository.repositoryUrl };

    if (config.database) {
      const aurora = config.database.engine === 'aurora-serverless';
      const db = aurora
        ? new DataAwsRdsCluster(this, 'database', { clusterIdentifier: pp })
        : new DataAwsDbInstance(this, 'database', { dbInstanceIdentifier: pp });
      this.database = {
        host: db instanceof DataAwsRdsCluster ? db.endpoint : db.address,
        resourceId: db instanceof DataAwsRdsCluster ? db.clusterResourceId : db.resourceId,
        masterUsername: db.masterUsername,
        masterSecretArn: db.masterUserSecret.get(0).secretArn,
        securityGroupId: group('database_security_group', `${pp}-db`),
      };
    }
    if (config.cache) {
      const rg = new DataAwsElasticacheReplicationGroup(this, 'cache', { replicationGroupId: pp });
      this.cache = {
        primaryEndpoint: rg.primaryEndpointAddress,
        authTokenSecretArn: new DataAwsSecretsmanagerSecret(this, 'cache_auth_token', { name: `${pp}-cache-auth-token` }).arn,
        securityGroupId: group('cache_security_group', `${pp}-cache`),
      };
    }
  }

  /** The VPC and its subnets by their Name tags (src/constructs/network.ts names them `<prefix>-vpc`, `<prefix>-private-N`). */
  private lookUpNetwork(pp: string, publicTasks: boolean): NetworkRefs {
    const vpc = new DataAwsVpc(this, 'vpc', { filter: [{ name: 'tag:Name', values: [`${pp}-vpc`] }] });
    const subnets = (kind: 'private' | 'public') =>
      new DataAwsSubnets(this, `${kind}_subnets`, {
        filter: [
          { name: 'vpc-id', values: [vpc.id] },
          { name: 'tag:Name', values: [`${pp}-${kind}-*`] },
        ],
      }).ids;
    const privateSubnetIds = subnets('private');
    return {
      vpc: { id: vpc.id, cidrBlock: vpc.cidrBlock },
      privateSubnetIds,
      appSubnetIds: publicTasks ? subnets('public') : privateSubnetIds,
      assignPublicIp: publicTasks,
    };
  }
}
