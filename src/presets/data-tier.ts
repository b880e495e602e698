/**
 * The data tier of the preset: the database (RDS PostgreSQL or Aurora Serverless v2, optional RDS Proxy) and the
 * cache (ElastiCache Valkey/Redis), each only when its config section is present.
 *
 * The app contract (docs/database-connections.md): DATABASE_HOST, DATABASE_PORT, DATABASE_NAME, DATABASE_USER (the
 * app's own role), DATABASE_AUTH=iam and DATABASE_SSL=verify-full as environment, no database secret (each ECS
 * consumer's role may `rds-db:connect` as that role only); the migration container logs in as the master user
 * (DATABASE_PASSWORD, its only secret) and grants the app role. REDIS_URL (rediss://, no token) as environment,
 * REDIS_AUTH_TOKEN as a task secret. Lambda consumers read the master secret (RDS Proxy logs in with it).
 */
import { Annotations } from 'cdktn';
import { checkConnectionBudget, type ConnectionBudget } from '../config/connection-budget';
import { Cache } from '../constructs/cache';
import { Database } from '../constructs/database';
import { rolePolicy } from '../constructs/iam';
import { labelId } from '../constructs/security-group-ingress';
import type { Consumer, Tier, TierContext } from './tier';

export interface DataTier extends Tier {
  readonly database?: Database;
  readonly cache?: Cache;
  /** The connection budget the configuration passed (undefined without a database). */
  readonly budget?: ConnectionBudget;
  /**
   * For Lambda consumers, which cannot take task secrets: the same variables, with DATABASE_HOST pointing at RDS
   * Proxy when there is one, and the secrets as ARNs to read at start (DATABASE_SECRET_ARN,
   * REDIS_AUTH_TOKEN_SECRET_ARN); `allow()` grants reading them.
   */
  readonly lambdaEnvironment: Record<string, string>;
}

/**
 * Builds the database and the cache from the config. Throws a ConfigError (before any resource exists) when the
 * connection pools can exhaust max_connections.
 */
export function dataTier(ctx: TierContext): DataTier {
  const { config, scope, prefix, tags, protect, network } = ctx;
  if (!config.database && !config.cache) return { lambdaEnvironment: {} };
  const budget = checkConnectionBudget(config);
  for (const warning of budget?.warnings ?? []) Annotations.of(scope).addWarning(warning);

  const d = config.database;
  const database = d
    ? new Database(scope, 'database', {
        name: prefix,
        engineMode: d.engine,
        engineVersion: d.engineVersion,
        instanceClass: d.instanceClass,
        allocatedStorage: d.allocatedStorage,
        maxAllocatedStorage: d.maxAllocatedStorage,
        multiAz: d.multiAz,
        minCapacity: d.minCapacity,
        maxCapacity: d.maxCapacity,
        secondsUntilAutoPause: d.autoPauseSeconds,
        auroraReaders: d.readers,
        databaseName: d.databaseName,
        masterUsername: d.username,
        vpcId: network.vpc.id,
        subnetIds: network.privateSubnetIds,
        // Consumers are added with allowFrom() once they exist.
        allowedSecurityGroupIds: [],
        protect,
        backupRetentionDays: d.backupRetentionDays,
        performanceInsights: d.performanceInsights,
        snapshotIdentifier: d.restoreFromSnapshot ?? null,
        proxy: d.proxy,
        proxyMaxConnectionsPercent: budget?.proxyMaxConnectionsPercent ?? 50,
        tags,
      })
    : undefined;

  const c = config.cache;
  const cache = c
    ? new Cache(scope, 'cache', {
        name: prefix,
        engine: c.engine,
        engineVersion: c.engineVersion ?? null,
        nodeType: c.nodeType,
        numCacheClusters: c.nodes,
        multiAz: c.multiAz,
        vpcId: network.vpc.id,
        subnetIds: network.privateSubnetIds,
        allowedSecurityGroupIds: [],
        snapshotRetentionDays: c.snapshotRetentionDays ?? (protect ? 7 : 0),
        authTokenVersion: c.authTokenVersion,
        revokeOldAuthToken: c.revokeOldAuthToken,
        protect,
        tags,
      })
    : undefined;

  const lambdaSecretArns = [database?.masterSecretArn, cache?.authTokenSecret.arn].filter((x): x is string => x !== undefined);
  const taskSecretArns = cache ? [cache.authTokenSecret.arn] : [];
  const lambdaEnvironment: Record<string, string> = {
    ...(database
      ? {
          ...database.environment,
          ...database.migrationEnvironment,
          DATABASE_SSL: 'require',
          DATABASE_SECRET_ARN: database.masterSecretArn,
          DATABASE_HOST: database.proxy?.endpoint ?? database.host,
        }
      : {}),
    ...(cache ? { ...cache.environment, REDIS_AUTH_TOKEN_SECRET_ARN: cache.authTokenSecret.arn } : {}),
  };

  return {
    database,
    cache,
    budget,
    lambdaEnvironment,
    environment: { ...(database?.environment ?? {}), ...(cache?.environment ?? {}) },
    secrets: { ...(database?.secrets ?? {}), ...(cache?.secrets ?? {}) },
    migrationEnvironment: database?.migrationEnvironment,
    migrationSecrets: database?.migrationSecrets,
    allow(consumer: Consumer): void {
      if (consumer.securityGroupId) {
        database?.allowFrom(consumer.securityGroupId, consumer.label);
        cache?.allowFrom(consumer.securityGroupId, consumer.label);
      }
      const lambda = consumer.runtime === 'lambda';
      const statements = [];
      // ECS consumers log in as the app role with IAM auth tokens: connect as that one database user, nothing else.
      if (database && !lambda)
        statements.push({ Sid: 'ConnectAsAppRole', Effect: 'Allow', Action: ['rds-db:connect'], Resource: [database.appConnectArn] });
      // Re-reading the cache token after a rotation; Lambdas also read the database secret (no task secrets there).
      const readable = lambda ? lambdaSecretArns : taskSecretArns;
      if (readable.length > 0)
        statements.push({ Sid: 'ReadDataTierSecrets', Effect: 'Allow', Action: ['secretsmanager:GetSecretValue'], Resource: readable });
      if (statements.length === 0) return;
      rolePolicy(scope, `data_secrets_${labelId(consumer.label)}`, consumer.role, 'data-tier-access', statements);
    },
  };
}

/** The Terraform outputs the e2e assertions (test/e2e/assertions/data-tier.ts) read, by output name. */
export function dataTierOutputs(tier: DataTier): Record<string, { value: unknown; description: string }> {
  const out: Record<string, { value: unknown; description: string }> = {};
  const db = tier.database;
  if (db) {
    out.database_engine = { value: db.cluster ? 'aurora-serverless' : 'postgres', description: 'postgres or aurora-serverless.' };
    out.database_identifier = { value: db.outputs.identifier, description: 'DB instance (or Aurora cluster) identifier.' };
    out.database_host = { value: db.host, description: 'DATABASE_HOST.' };
    out.database_security_group_id = { value: db.securityGroup.id, description: 'Security group of the database.' };
    out.database_master_secret_arn = { value: db.masterSecretArn, description: 'The RDS-managed master user secret.' };
    if (db.proxy) out.database_proxy_endpoint = { value: db.proxy.endpoint, description: 'RDS Proxy endpoint.' };
  }
  const cache = tier.cache;
  if (cache) {
    out.cache_replication_group_id = { value: cache.replicationGroup.id, description: 'ElastiCache replication group id.' };
    out.cache_security_group_id = { value: cache.securityGroup.id, description: 'Security group of the cache.' };
    out.cache_auth_token_secret_arn = { value: cache.authTokenSecret.arn, description: 'Secret holding the AUTH token.' };
    out.cache_url = { value: cache.url, description: 'REDIS_URL.' };
  }
  return out;
}
