/**
 * The data and email tiers of a preview stage: the parent's database instance, cache and SES identity, used under
 * the preview's own names (database, app role, cache key prefix) with the same app contract as a full stack
 * (docs/database-connections.md), and permissions scoped to what the preview uses.
 */
import { cacheUrl } from '../constructs/cache';
import { appDatabaseEnvironment, databaseConnectArn, migrationDatabaseEnvironment } from '../constructs/database';
import { rolePolicy, type AwsContext } from '../constructs/iam';
import { CACHE_PORT } from '../definitions/elasticache';
import { POSTGRES_PORT } from '../definitions/rds';
import { ingressFromGroup, labelId } from '../constructs/security-group-ingress';
import { withSuffix } from '../constructs/tokens';
import type { PreviewPlan } from '../config/preview-plan';
import type { ParentStage } from './parent-stage';
import type { Consumer, Tier, TierContext } from './tier';

/**
 * DATABASE_* for the preview's own database and app role on the parent's instance (the migration container logs in
 * as the parent's master user and creates them: docs/preview-stages.md), REDIS_URL of the parent's cache with
 * CACHE_KEY_PREFIX; consumers may connect to both and `rds-db:connect` as the preview's app role only.
 */
export function sharedDataTier(ctx: TierContext, parent: ParentStage, preview: PreviewPlan): Tier {
  const db = parent.database;
  const cache = parent.cache;
  if (!db && !cache) return {};
  const connectArn = db ? databaseConnectArn(ctx.aws, db.resourceId, preview.appUsername) : undefined;
  return {
    environment: {
      ...(db ? appDatabaseEnvironment(db.host, preview.databaseName, preview.appUsername) : {}),
      ...(cache ? { REDIS_URL: cacheUrl(cache.primaryEndpoint), CACHE_KEY_PREFIX: preview.cacheKeyPrefix } : {}),
    },
    secrets: cache ? { REDIS_AUTH_TOKEN: cache.authTokenSecretArn } : {},
    migrationEnvironment: db
      ? { ...migrationDatabaseEnvironment(db.masterUsername, preview.appUsername), DATABASE_CREATE: 'true' }
      : undefined,
    migrationSecrets: db ? { DATABASE_PASSWORD: withSuffix(db.masterSecretArn, ':password::') } : undefined,
    allow(consumer: Consumer): void {
      const id = labelId(consumer.label);
      if (consumer.securityGroupId && db)
        ingressFromGroup(ctx.scope, `parent_database_from_${id}`, consumer.securityGroupId, `${ctx.prefix} ${consumer.label}`, {
          securityGroupId: db.securityGroupId,
          port: POSTGRES_PORT,
          what: 'PostgreSQL',
        });
      if (consumer.securityGroupId && cache)
        ingressFromGroup(ctx.scope, `parent_cache_from_${id}`, consumer.securityGroupId, `${ctx.prefix} ${consumer.label}`, {
          securityGroupId: cache.securityGroupId,
          port: CACHE_PORT,
          what: 'Valkey/Redis',
        });
      const statements = [];
      if (connectArn && consumer.runtime !== 'lambda')
        statements.push({ Sid: 'ConnectAsPreviewAppRole', Effect: 'Allow', Action: ['rds-db:connect'], Resource: [connectArn] });
      if (cache)
        statements.push({
          Sid: 'ReadCacheToken',
          Effect: 'Allow',
          Action: ['secretsmanager:GetSecretValue'],
          Resource: [cache.authTokenSecretArn],
        });
      if (statements.length > 0) rolePolicy(ctx.scope, `data_secrets_${id}`, consumer.role, 'data-tier-access', statements);
    },
  };
}

/** SES identity and configuration-set ARNs of the parent's email, built from their names (SES API reference, resource types). */
function sesArn(aws: AwsContext, kind: 'identity' | 'configuration-set', name: string): string {
  return `arn:${aws.partition}:ses:${aws.region}:${aws.accountId}:${kind}/${name}`;
}

/** EMAIL_FROM and EMAIL_CONFIGURATION_SET of the parent's email, and send permission on its identity and configuration set. */
export function sharedEmailTier(ctx: TierContext, preview: PreviewPlan): Tier {
  const cfg = ctx.config.email;
  if (!cfg) return {};
  const domain = cfg.domain ?? ctx.config.domain;
  const from = `${cfg.from}@${domain}`;
  const resources = [
    sesArn(ctx.aws, 'identity', domain),
    sesArn(ctx.aws, 'configuration-set', preview.parentPrefix),
    ...cfg.sandboxRecipients.map((r) => sesArn(ctx.aws, 'identity', r)),
  ];
  return {
    environment: { EMAIL_FROM: from, EMAIL_CONFIGURATION_SET: preview.parentPrefix },
    allow(consumer: Consumer): void {
      rolePolicy(ctx.scope, `send_email_${labelId(consumer.label)}`, consumer.role, `${ctx.prefix}-send-email`, [
        {
          Sid: 'SendFromTheParentIdentity',
          Effect: 'Allow',
          Action: ['ses:SendEmail', 'ses:SendRawEmail'],
          Resource: resources,
          ...(cfg.restrictFromAddress ? { Condition: { StringEquals: { 'ses:FromAddress': from } } } : {}),
        },
      ]);
    },
  };
}
