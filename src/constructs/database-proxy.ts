import { Construct } from 'constructs';
import { DbProxy } from '@cdktn/provider-aws/lib/db-proxy';
import { DbProxyDefaultTargetGroup } from '@cdktn/provider-aws/lib/db-proxy-default-target-group';
import { DbProxyTarget } from '@cdktn/provider-aws/lib/db-proxy-target';
import type { IamRole } from '@cdktn/provider-aws/lib/iam-role';
import { SecurityGroup } from '@cdktn/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktn/provider-aws/lib/vpc-security-group-egress-rule';
import { AwsContext, rolePolicy, serviceRole } from './iam';
import { ingressFromGroup, ingressFromGroups } from './security-group-ingress';
import { attr, type Condition } from './tokens';
import { POSTGRES_PORT } from '../definitions/rds';

export interface DatabaseProxyProps {
  /** `undefined`: the proxy exists; a number token: `count` of every resource (module variable `proxy`). */
  readonly count: number | undefined;
  readonly enabled: Condition;
  readonly name: string;
  readonly vpcId: string;
  readonly subnetIds: string[];
  readonly allowedSecurityGroupIds: string[];
  /** The managed master secret the proxy authenticates with. */
  readonly secretArn: string;
  readonly databaseSecurityGroupId: string;
  /** The DB instance the proxy fronts (undefined with Aurora). */
  readonly instanceIdentifier?: string;
  /** The Aurora cluster the proxy fronts (undefined with an RDS instance). */
  readonly clusterIdentifier?: string;
  readonly maxConnectionsPercent: number;
  readonly tags: Record<string, string>;
}

/**
 * RDS Proxy in front of the database, for Lambda consumers: it pools connections (up to
 * `maxConnectionsPercent` of max_connections), logs in with the managed secret (its role may read exactly that
 * secret), and accepts only TLS connections. Part of the `rds` module (input `proxy`).
 */
export class DatabaseProxy extends Construct {
  readonly proxy: DbProxy;
  readonly securityGroup: SecurityGroup;
  readonly role: IamRole;
  readonly endpoint: string;
  readonly securityGroupId: string;
  private readonly props: DatabaseProxyProps;

  constructor(scope: Construct, id: string, props: DatabaseProxyProps) {
    super(scope, id);
    this.props = props;
    const { count, name, tags } = props;
    const ctx = new AwsContext(this, 'aws');

    // Pinned to proxies of this account and Region (confused-deputy guard; RDS User Guide, "Setting up IAM for RDS Proxy").
    this.role = serviceRole(this, 'role', {
      name: `${name}-rds-proxy`,
      service: 'rds.amazonaws.com',
      ctx,
      sourceArn: `arn:${ctx.partition}:rds:${ctx.region}:${ctx.accountId}:db-proxy:*`,
      tags,
    });
    this.role.count = count;
    const policy = rolePolicy(this, 'role_policy', this.role, 'read-database-secret', [
      { Sid: 'ReadSecret', Effect: 'Allow', Action: ['secretsmanager:GetSecretValue'], Resource: props.secretArn },
      // The managed secret is encrypted with the aws/secretsmanager key: decrypting through Secrets Manager only.
      {
        Sid: 'DecryptThroughSecretsManager',
        Effect: 'Allow',
        Action: ['kms:Decrypt'],
        Resource: `arn:${ctx.partition}:kms:${ctx.region}:${ctx.accountId}:key/*`,
        Condition: { StringEquals: { 'kms:ViaService': `secretsmanager.${ctx.region}.amazonaws.com` } },
      },
    ]);
    policy.count = count;
    // With `count`, the role is a list: refer to the one element.
    policy.role = attr(this.role, 'name');

    this.securityGroup = new SecurityGroup(this, 'security_group', {
      count,
      name: `${name}-db-proxy`,
      description: `${name} RDS Proxy`,
      vpcId: props.vpcId,
      tags,
    });
    this.securityGroupId = attr(this.securityGroup, 'id');
    ingressFromGroups(this, 'allowed_ingress', props.allowedSecurityGroupIds, {
      securityGroupId: this.securityGroupId,
      port: POSTGRES_PORT,
      what: 'PostgreSQL through RDS Proxy',
      enabled: props.enabled,
    });
    new VpcSecurityGroupEgressRule(this, 'to_database', {
      count,
      securityGroupId: this.securityGroupId,
      description: 'PostgreSQL to the database',
      ipProtocol: 'tcp',
      fromPort: POSTGRES_PORT,
      toPort: POSTGRES_PORT,
      referencedSecurityGroupId: props.databaseSecurityGroupId,
    });
    // The proxy reads the secret from Secrets Manager over HTTPS (through NAT or a VPC endpoint).
    new VpcSecurityGroupEgressRule(this, 'to_secrets_manager', {
      count,
      securityGroupId: this.securityGroupId,
      description: 'HTTPS to Secrets Manager',
      ipProtocol: 'tcp',
      fromPort: 443,
      toPort: 443,
      cidrIpv4: '0.0.0.0/0',
    });
    ingressFromGroup(scope, 'from_proxy', this.securityGroupId, 'RDS Proxy', {
      securityGroupId: props.databaseSecurityGroupId,
      port: POSTGRES_PORT,
      what: 'PostgreSQL',
      enabled: props.enabled,
    });

    this.proxy = new DbProxy(this, 'this', {
      count,
      name,
      engineFamily: 'POSTGRESQL',
      requireTls: true,
      idleClientTimeout: 1800,
      roleArn: attr(this.role, 'arn'),
      vpcSubnetIds: props.subnetIds,
      vpcSecurityGroupIds: [this.securityGroupId],
      auth: [
        {
          authScheme: 'SECRETS',
          secretArn: props.secretArn,
          iamAuth: 'DISABLED',
          clientPasswordAuthType: 'POSTGRES_SCRAM_SHA_256',
          description: 'The managed master user secret',
        },
      ],
      tags,
    });
    const proxyName = attr(this.proxy, 'name');
    new DbProxyDefaultTargetGroup(this, 'target_group', {
      count,
      dbProxyName: proxyName,
      // Idle connections default to half of this (RDS API, ConnectionPoolConfiguration).
      connectionPoolConfig: { maxConnectionsPercent: props.maxConnectionsPercent, connectionBorrowTimeout: 120 },
    });
    new DbProxyTarget(this, 'target', {
      count,
      dbProxyName: proxyName,
      targetGroupName: 'default',
      dbInstanceIdentifier: props.instanceIdentifier,
      dbClusterIdentifier: props.clusterIdentifier,
    });
    this.endpoint = attr(this.proxy, 'endpoint');
  }

  /** Lets one more consumer's security group connect to the proxy. */
  allowFrom(securityGroupId: string, label: string, id: string): void {
    ingressFromGroup(this, id, securityGroupId, label, {
      securityGroupId: this.securityGroupId,
      port: POSTGRES_PORT,
      what: 'PostgreSQL through RDS Proxy',
      enabled: this.props.enabled,
    });
  }
}
