/**
 * SDK assertions for the data tier after an apply to moto: the database is encrypted, private, TLS-forced and
 * protected as the stage asks, its master password lives in a Secrets Manager secret RDS manages, the cache has
 * TLS, AUTH and encryption at rest, and every ingress rule of the data tier references a security group (no CIDR).
 *
 * Needs the outputs `dataTierOutputs()` (src/presets/data-tier.ts) writes: database_engine, database_identifier,
 * database_host, database_security_group_id, database_master_secret_arn, cache_replication_group_id,
 * cache_security_group_id, cache_auth_token_secret_arn, cache_url (each group only when configured); optionally
 * `api_security_group_id` (the API tasks' group: then the rules must reference it) and `stage`.
 *
 * moto 5.2.1 behaviour these assertions rely on (moto/rds/models.py, moto/elasticache/models.py,
 * moto/ec2/models/security_groups.py): ManageMasterUserPassword creates a real secret in moto's Secrets Manager
 * (MasterUserSecret); DescribeDBParameters returns only the parameters that were set; DescribeReplicationGroups
 * reports TransitEncryptionEnabled/AtRestEncryptionEnabled/AuthTokenEnabled as sent; DescribeSecurityGroupRules
 * returns ReferencedGroupInfo for group references. The harness's moto shim (test/e2e/moto) creates the cache's
 * member clusters, which moto does not.
 */
import { expect } from '@jest/globals';
import { DescribeSecurityGroupRulesCommand, EC2Client, type SecurityGroupRule } from '@aws-sdk/client-ec2';
import { DescribeReplicationGroupsCommand, ElastiCacheClient } from '@aws-sdk/client-elasticache';
import {
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  DescribeDBParametersCommand,
  DescribeDBClusterParametersCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import { DescribeSecretCommand, GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

export interface AwsTarget {
  readonly endpoint: string;
  readonly region: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

/** Outputs by name: a plain value or terraform's `{ value }` form (`terraform output -json`). */
type Outputs = Record<string, any>;
const value = (outputs: Outputs, name: string): any => {
  const o = outputs[name];
  return o && typeof o === 'object' && 'value' in o ? o.value : o;
};

/** Ingress rules of a security group: each must reference a security group, on `port`, and never a CIDR. */
async function assertIngressBySecurityGroupOnly(
  ec2: EC2Client,
  groupId: string,
  port: number,
  mustReference?: string,
): Promise<SecurityGroupRule[]> {
  const { SecurityGroupRules = [] } = await ec2.send(
    new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [groupId] }] }),
  );
  const ingress = SecurityGroupRules.filter((r) => r.GroupId === groupId && !r.IsEgress);
  expect(ingress.length).toBeGreaterThan(0);
  for (const rule of ingress) {
    expect(rule.CidrIpv4).toBeUndefined();
    expect(rule.CidrIpv6).toBeUndefined();
    expect(rule.PrefixListId).toBeUndefined();
    // moto may return "<account>/sg-..." for a referenced group (DESIGN.md §7): compare the group id part.
    expect(rule.ReferencedGroupInfo?.GroupId).toMatch(/(^|\/)sg-[0-9a-f]+$/);
    expect([rule.IpProtocol, rule.FromPort, rule.ToPort]).toEqual(['tcp', port, port]);
  }
  if (mustReference) {
    expect(ingress.map((r) => r.ReferencedGroupInfo?.GroupId?.split('/').pop())).toContain(mustReference);
  }
  return ingress;
}

/** The database: encrypted, private, TLS forced, managed master secret, protection by stage, ingress by SG only. */
export async function assertDatabase(aws: AwsTarget, outputs: Outputs): Promise<void> {
  const rds = new RDSClient({ ...aws, maxAttempts: 2 });
  const secrets = new SecretsManagerClient({ ...aws, maxAttempts: 2 });
  const ec2 = new EC2Client({ ...aws, maxAttempts: 2 });
  const engine = value(outputs, 'database_engine');
  const identifier = value(outputs, 'database_identifier');
  const secretArn = value(outputs, 'database_master_secret_arn');
  const prod = value(outputs, 'stage') === 'prod';
  expect(typeof identifier).toBe('string');
  expect(secretArn).toMatch(/^arn:aws:secretsmanager:[a-z0-9-]+:\d{12}:secret:/);

  if (engine === 'aurora-serverless') {
    const { DBClusters = [] } = await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: identifier }));
    const cluster = DBClusters[0];
    expect(cluster).toBeDefined();
    expect(cluster.Engine).toBe('aurora-postgresql');
    expect(cluster.StorageEncrypted).toBe(true);
    expect(cluster.MasterUserSecret?.SecretArn).toBe(secretArn);
    expect(cluster.DeletionProtection).toBe(prod);
    expect(cluster.ServerlessV2ScalingConfiguration?.MaxCapacity).toBeGreaterThanOrEqual(1);
    expect(cluster.Endpoint).toBe(value(outputs, 'database_host'));
    const members = cluster.DBClusterMembers ?? [];
    expect(members.length).toBeGreaterThan(0);
    for (const m of members) {
      const { DBInstances = [] } = await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: m.DBInstanceIdentifier }));
      expect(DBInstances[0].PubliclyAccessible).toBe(false);
      expect(DBInstances[0].DBInstanceClass).toBe('db.serverless');
    }
    const group = cluster.DBClusterParameterGroup!;
    const { Parameters = [] } = await rds.send(new DescribeDBClusterParametersCommand({ DBClusterParameterGroupName: group }));
    expect(Parameters.find((p) => p.ParameterName === 'rds.force_ssl')?.ParameterValue).toBe('1');
  } else {
    const { DBInstances = [] } = await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: identifier }));
    const db = DBInstances[0];
    expect(db).toBeDefined();
    expect(db.Engine).toBe('postgres');
    expect(db.StorageEncrypted).toBe(true);
    expect(db.PubliclyAccessible).toBe(false);
    expect(db.StorageType).toBe('gp3');
    expect(db.BackupRetentionPeriod).toBe(7);
    expect(db.DeletionProtection).toBe(prod);
    expect(db.MasterUserSecret?.SecretArn).toBe(secretArn);
    expect(db.Endpoint?.Address).toBe(value(outputs, 'database_host'));
    expect(db.DBSubnetGroup?.Subnets?.length).toBeGreaterThanOrEqual(2);
    const group = db.DBParameterGroups?.[0]?.DBParameterGroupName;
    expect(group).toBeDefined();
    const { Parameters = [] } = await rds.send(new DescribeDBParametersCommand({ DBParameterGroupName: group }));
    expect(Parameters.find((p) => p.ParameterName === 'rds.force_ssl')?.ParameterValue).toBe('1');
  }

  // The password exists only in the managed secret (RDS created it; Terraform never saw it).
  const described = await secrets.send(new DescribeSecretCommand({ SecretId: secretArn }));
  expect(described.ARN).toBe(secretArn);
  const password = JSON.parse((await secrets.send(new GetSecretValueCommand({ SecretId: secretArn }))).SecretString ?? '{}');
  expect(Object.keys(password).sort()).toEqual(expect.arrayContaining(['password', 'username']));

  await assertIngressBySecurityGroupOnly(ec2, value(outputs, 'database_security_group_id'), 5432, value(outputs, 'api_security_group_id'));
}

/** The cache: TLS in transit, encrypted at rest, AUTH on with the token from its secret, ingress by SG only. */
export async function assertCache(aws: AwsTarget, outputs: Outputs): Promise<void> {
  const elasticache = new ElastiCacheClient({ ...aws, maxAttempts: 2 });
  const secrets = new SecretsManagerClient({ ...aws, maxAttempts: 2 });
  const ec2 = new EC2Client({ ...aws, maxAttempts: 2 });
  const id = value(outputs, 'cache_replication_group_id');
  const { ReplicationGroups = [] } = await elasticache.send(new DescribeReplicationGroupsCommand({ ReplicationGroupId: id }));
  const group = ReplicationGroups[0];
  expect(group).toBeDefined();
  expect(group.TransitEncryptionEnabled).toBe(true);
  expect(group.AtRestEncryptionEnabled).toBe(true);
  expect(group.AuthTokenEnabled).toBe(true);
  expect(value(outputs, 'cache_url')).toMatch(/^rediss:\/\/[^@/]+:6379$/);

  // The token was generated by Secrets Manager (letters and digits, 64) and is not in any output.
  const token =
    (await secrets.send(new GetSecretValueCommand({ SecretId: value(outputs, 'cache_auth_token_secret_arn') }))).SecretString ?? '';
  expect(token).toMatch(/^[A-Za-z0-9]{64}$/);
  expect(JSON.stringify(outputs)).not.toContain(token);

  await assertIngressBySecurityGroupOnly(ec2, value(outputs, 'cache_security_group_id'), 6379, value(outputs, 'api_security_group_id'));
}

/** Everything the data tier configured (the database and/or the cache, by the outputs present). */
export async function assertDataTier(aws: AwsTarget, outputs: Outputs): Promise<void> {
  if (outputs.database_identifier !== undefined) await assertDatabase(aws, outputs);
  if (outputs.cache_replication_group_id !== undefined) await assertCache(aws, outputs);
}
