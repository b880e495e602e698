import { Construct } from 'constructs';
import { DataAwsSecretsmanagerSecretVersion } from '@cdktn/provider-aws/lib/data-aws-secretsmanager-secret-version';
import { ElasticacheReplicationGroup } from '@cdktn/provider-aws/lib/elasticache-replication-group';
import { ElasticacheSubnetGroup } from '@cdktn/provider-aws/lib/elasticache-subnet-group';
import { EphemeralAwsSecretsmanagerRandomPassword } from '@cdktn/provider-aws/lib/ephemeral-aws-secretsmanager-random-password';
import { SecretsmanagerSecret } from '@cdktn/provider-aws/lib/secretsmanager-secret';
import { SecretsmanagerSecretVersion } from '@cdktn/provider-aws/lib/secretsmanager-secret-version';
import { SecurityGroup } from '@cdktn/provider-aws/lib/security-group';
import { DataResource, Fn, Token } from 'cdktn';
import { CACHE_PORT, DEFAULT_CACHE_ENGINE_VERSION, elasticacheDefinition, type CacheEngine } from '../definitions/elasticache';
import { isToken, resolveInputs, type ModuleOutputs } from '../modules/module';
import type { ElasticacheInputs } from './generated/elasticache';
import { ingressFromGroup, ingressFromGroups, labelId } from './security-group-ingress';
import { choose, eq, isSet, withTags } from './tokens';

/** REDIS_URL: TLS to the primary endpoint, no credentials in it (the auth token is a task secret). */
export function cacheUrl(primaryEndpoint: string): string {
  return Token.asString(Fn.format(`rediss://%s:${CACHE_PORT}`, [primaryEndpoint]));
}

/**
 * Valkey (or Redis OSS) for the app (module `elasticache`): a replication group in private subnets with TLS in
 * transit, encryption at rest and an AUTH token.
 *
 * The token: an ephemeral `aws_secretsmanager_random_password` is written to the secret with the write-only
 * `secret_string_wo` (so the generated value is in neither the configuration nor the version resource's state),
 * then read back with a data source for the replication group's `auth_token`. That read, and `auth_token`
 * itself, DO land in state: provider 5.100 has no write-only token for ElastiCache, so the state must be
 * encrypted and access-controlled (docs/database-connections.md). The app gets the token as a task secret.
 */
export class Cache extends Construct {
  readonly securityGroup: SecurityGroup;
  readonly subnetGroup: ElasticacheSubnetGroup;
  readonly replicationGroup: ElasticacheReplicationGroup;
  readonly authTokenSecret: SecretsmanagerSecret;
  readonly primaryEndpoint: string;
  readonly port = CACHE_PORT;
  /** `rediss://<primary endpoint>:6379`, without credentials. */
  readonly url: string;
  readonly environment: Record<string, string>;
  readonly secrets: Record<string, string>;
  readonly outputs: ModuleOutputs<typeof elasticacheDefinition>;
  private readonly allowed = new Set<string>();

  constructor(scope: Construct, id: string, props: ElasticacheInputs) {
    super(scope, id);
    const p: Required<ElasticacheInputs> = resolveInputs(elasticacheDefinition, props, id);
    const tags = withTags(p.tags, { Cache: p.name });

    // ---- network ---------------------------------------------------------------------------------
    this.securityGroup = new SecurityGroup(this, 'security_group', {
      name: `${p.name}-cache`,
      description: `${p.name} cache: port ${CACHE_PORT} from the app's security groups only`,
      vpcId: p.vpcId,
      tags,
    });
    ingressFromGroups(this, 'allowed_ingress', p.allowedSecurityGroupIds, {
      securityGroupId: this.securityGroup.id,
      port: CACHE_PORT,
      what: 'Valkey/Redis',
    });
    this.subnetGroup = new ElasticacheSubnetGroup(this, 'subnet_group', {
      name: p.name,
      description: `${p.name} private subnets`,
      subnetIds: p.subnetIds,
      tags,
    });

    // ---- AUTH token ------------------------------------------------------------------------------
    this.authTokenSecret = new SecretsmanagerSecret(this, 'auth_token_secret', {
      name: `${p.name}-cache-auth-token`,
      description: `${p.name}: AUTH token of the ${p.engine} replication group (REDIS_AUTH_TOKEN)`,
      // Without protection the name is free again at once, so a destroyed dev stack can be re-created.
      recoveryWindowInDays: choose(p.protect, 7, 0),
      tags,
    });
    // ElastiCache tokens: 16-128 printable characters with a limited set of symbols; letters and digits only.
    const generated = new EphemeralAwsSecretsmanagerRandomPassword(this, 'auth_token', {
      passwordLength: 64,
      excludePunctuation: true,
      includeSpace: false,
    });
    const version = new SecretsmanagerSecretVersion(this, 'auth_token_version', {
      secretId: this.authTokenSecret.id,
      secretStringWo: generated.randomPassword,
      secretStringWoVersion: p.authTokenVersion,
    });
    const token = new DataAwsSecretsmanagerSecretVersion(this, 'auth_token_value', {
      secretId: this.authTokenSecret.id,
      versionId: version.versionId,
    });

    // ---- replication group -----------------------------------------------------------------------
    const engineVersion: string =
      isToken(p.engine) || isToken(p.engineVersion)
        ? choose(
            isSet(p.engineVersion),
            p.engineVersion as string,
            choose(eq(p.engine, 'valkey'), DEFAULT_CACHE_ENGINE_VERSION.valkey, DEFAULT_CACHE_ENGINE_VERSION.redis),
          )
        : (p.engineVersion ?? DEFAULT_CACHE_ENGINE_VERSION[p.engine as CacheEngine]);
    // A stable final snapshot name, unique per group (terraform_data's id is a UUID chosen once).
    const snapshotSuffix = p.protect === false ? undefined : new DataResource(this, 'final_snapshot_suffix', {});
    this.replicationGroup = new ElasticacheReplicationGroup(this, 'replication_group', {
      replicationGroupId: p.name,
      description: `${p.name} ${p.engine}`,
      engine: p.engine,
      engineVersion,
      nodeType: p.nodeType,
      numCacheClusters: p.numCacheClusters,
      port: CACHE_PORT,
      subnetGroupName: this.subnetGroup.name,
      securityGroupIds: [this.securityGroup.id],
      atRestEncryptionEnabled: 'true',
      transitEncryptionEnabled: true,
      authToken: token.secretString,
      // ROTATE: old and new token both work after a rotation, so running tasks keep connecting until they
      // restart. SET (the revoke step): only the current token works. The provider sends a strategy change alone
      // as ModifyReplicationGroup with the current token (terraform-provider-aws, replication_group.go).
      authTokenUpdateStrategy: choose(p.revokeOldAuthToken, 'SET', 'ROTATE'),
      automaticFailoverEnabled: p.multiAz,
      multiAzEnabled: p.multiAz,
      snapshotRetentionLimit: p.snapshotRetentionDays,
      finalSnapshotIdentifier: snapshotSuffix
        ? choose(
            p.protect,
            Token.asString(Fn.format('%s-final-%s', [p.name, Fn.substr(snapshotSuffix.id, 0, 8)])),
            undefined as unknown as string,
          )
        : undefined,
      autoMinorVersionUpgrade: 'true',
      applyImmediately: true,
      tags,
    });
    if (p.protect === true) this.replicationGroup.lifecycle = { preventDestroy: true };

    this.primaryEndpoint = this.replicationGroup.primaryEndpointAddress;
    this.url = cacheUrl(this.primaryEndpoint);
    this.environment = { REDIS_URL: this.url };
    this.secrets = { REDIS_AUTH_TOKEN: this.authTokenSecret.arn };
    this.outputs = {
      primary_endpoint: this.primaryEndpoint,
      reader_endpoint: this.replicationGroup.readerEndpointAddress,
      port: CACHE_PORT,
      url: this.url,
      auth_token_secret_arn: this.authTokenSecret.arn,
      environment: this.environment,
      secrets: this.secrets,
      security_group_id: this.securityGroup.id,
      replication_group_id: this.replicationGroup.id,
      arn: this.replicationGroup.arn,
    };
  }

  /** Lets a consumer's security group connect on 6379 (for consumers created after the cache). */
  allowFrom(securityGroupId: string, label: string): void {
    const id = labelId(label);
    if (this.allowed.has(id)) throw new Error(`cache.allowFrom: "${label}" is already allowed; give each consumer its own label`);
    this.allowed.add(id);
    ingressFromGroup(this, `allow_${id}`, securityGroupId, label, {
      securityGroupId: this.securityGroup.id,
      port: CACHE_PORT,
      what: 'Valkey/Redis',
    });
  }
}
