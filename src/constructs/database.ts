import { Construct } from 'constructs';
import { CloudwatchLogGroup } from '@cdktn/provider-aws/lib/cloudwatch-log-group';
import { DbInstance } from '@cdktn/provider-aws/lib/db-instance';
import { DbParameterGroup } from '@cdktn/provider-aws/lib/db-parameter-group';
import { DbSubnetGroup } from '@cdktn/provider-aws/lib/db-subnet-group';
import { RdsCluster } from '@cdktn/provider-aws/lib/rds-cluster';
import { RdsClusterInstance } from '@cdktn/provider-aws/lib/rds-cluster-instance';
import { RdsClusterParameterGroup } from '@cdktn/provider-aws/lib/rds-cluster-parameter-group';
import { SecurityGroup } from '@cdktn/provider-aws/lib/security-group';
import { DataResource, Fn, Op, Token, ref, type TerraformResource } from 'cdktn';
import { POSTGRES_PORT, rdsDefinition } from '../definitions/rds';
import { isToken, resolveInputs, type ModuleOutputs } from '../modules/module';
import type { RdsInputs } from './generated/rds';
import { DatabaseProxy } from './database-proxy';
import { AwsContext } from './iam';
import { ingressFromGroup, ingressFromGroups, labelId } from './security-group-ingress';
import { attr, choose, eq, not, optionally, withSuffix, withTags } from './tokens';

/** `resource.master_user_secret[0].secret_arn`, also for a resource made with `count`. */
function masterSecretArnOf(resource: DbInstance | RdsCluster | undefined): string {
  if (!resource) return Token.asString(Fn.tostring(null as unknown as string));
  if (resource.count === undefined) return resource.masterUserSecret.get(0).secretArn;
  return Token.asString(Fn.one(Fn.lookupNested(resource, ['*', 'master_user_secret', 0, 'secret_arn'])));
}

/**
 * The IAM policy resource of a database user (RDS User Guide, "Creating and using an IAM policy for IAM database
 * access"): `rds-db:connect` on it lets a role log in as that user and no other.
 */
export function databaseConnectArn(aws: AwsContext, resourceId: string, user: string): string {
  return `arn:${aws.partition}:rds-db:${aws.region}:${aws.accountId}:dbuser:${resourceId}/${user}`;
}

/** The app's side of the contract (docs/database-connections.md): its own role, IAM auth, TLS with verification. */
export function appDatabaseEnvironment(host: string, databaseName: string, appUsername: string): Record<string, string> {
  return {
    DATABASE_HOST: host,
    DATABASE_PORT: String(POSTGRES_PORT),
    DATABASE_NAME: databaseName,
    DATABASE_USER: appUsername,
    DATABASE_AUTH: 'iam',
    DATABASE_SSL: 'verify-full',
  };
}

/** What the migration container changes of it: the master user by password, and the app role to create and grant. */
export function migrationDatabaseEnvironment(masterUsername: string, appUsername: string): Record<string, string> {
  return { DATABASE_USER: masterUsername, DATABASE_AUTH: 'password', DATABASE_APP_USER: appUsername };
}

/** Keeps a resource on `terraform destroy` when `protect` is concretely true (Terraform's lifecycle is static). */
function preventDestroy(resource: TerraformResource | undefined, protect: unknown): void {
  if (resource && protect === true) resource.lifecycle = { ...(resource.lifecycle ?? {}), preventDestroy: true };
}

/**
 * PostgreSQL for the app (module `rds`): an RDS instance or an Aurora Serverless v2 cluster, private, encrypted,
 * TLS-only, with the master password managed by RDS in Secrets Manager, and an optional RDS Proxy.
 *
 * Least privilege inside the database: the app gets `environment` (DATABASE_HOST/PORT/NAME, DATABASE_USER = its
 * own role, DATABASE_AUTH=iam, DATABASE_SSL=verify-full) and no secret; its roles are granted `rds-db:connect` on
 * `appConnectArn` alone. The migrations run as the master user: `migrationEnvironment` and `migrationSecrets`
 * (DATABASE_PASSWORD from the managed secret) go to the migration container only. Consumers are let in on the
 * network with `allowFrom()`.
 */
export class Database extends Construct {
  readonly securityGroup: SecurityGroup;
  readonly subnetGroup: DbSubnetGroup;
  /** The RDS instance (engine_mode "postgres"). */
  readonly instance?: DbInstance;
  /** The Aurora cluster and its Serverless v2 instance (engine_mode "aurora-serverless"). */
  readonly cluster?: RdsCluster;
  readonly clusterInstance?: RdsClusterInstance;
  readonly proxy?: DatabaseProxy;
  readonly host: string;
  readonly port = POSTGRES_PORT;
  readonly databaseName: string;
  readonly username: string;
  /** The Secrets Manager secret RDS manages for the master user. */
  readonly masterSecretArn: string;
  /** `<secret ARN>:password::`, an ECS task secret valueFrom. */
  readonly passwordValueFrom: string;
  /** The app's own role (IAM authentication). */
  readonly appUsername: string;
  /** The `rds-db:connect` resource of the app role. */
  readonly appConnectArn: string;
  /** Plain environment variables for the app (no secrets). */
  readonly environment: Record<string, string>;
  /** Task secrets for the app: none (IAM authentication). */
  readonly secrets: Record<string, string>;
  /** What the migration container gets over `environment`: the master user, password auth, the app role to grant. */
  readonly migrationEnvironment: Record<string, string>;
  /** The migration container's secrets: DATABASE_PASSWORD of the master user. */
  readonly migrationSecrets: Record<string, string>;
  readonly outputs: ModuleOutputs<typeof rdsDefinition>;
  private readonly allowed = new Set<string>();

  constructor(scope: Construct, id: string, props: RdsInputs) {
    super(scope, id);
    const p: Required<RdsInputs> = resolveInputs(rdsDefinition, props, id);
    const tags = withTags(p.tags, { Database: p.name });
    const isAurora = eq(p.engineMode, 'aurora-serverless');
    const isInstance = not(isAurora);
    const major = Fn.element(Fn.split('.', p.engineVersion), 0);

    // ---- network ---------------------------------------------------------------------------------
    this.securityGroup = new SecurityGroup(this, 'security_group', {
      name: `${p.name}-db`,
      description: `${p.name} PostgreSQL: port ${POSTGRES_PORT} from the app's security groups only`,
      vpcId: p.vpcId,
      tags,
    });
    ingressFromGroups(this, 'allowed_ingress', p.allowedSecurityGroupIds, {
      securityGroupId: this.securityGroup.id,
      port: POSTGRES_PORT,
      what: 'PostgreSQL',
    });
    this.subnetGroup = new DbSubnetGroup(this, 'subnet_group', {
      name: p.name,
      description: `${p.name} private subnets`,
      subnetIds: p.subnetIds,
      tags,
    });

    // A stable final snapshot name, unique per database: terraform_data's id is a UUID chosen once, at create.
    const snapshotSuffix = new DataResource(this, 'final_snapshot_suffix', {});
    const finalSnapshotIdentifier = Token.asString(Fn.format('%s-final-%s', [p.name, Fn.substr(snapshotSuffix.id, 0, 8)]));
    // Created before the database so RDS exports into a group with a retention (it would create one without).
    const logs = new CloudwatchLogGroup(this, 'postgresql_logs', {
      name: choose(isAurora, `/aws/rds/cluster/${p.name}/postgresql`, `/aws/rds/instance/${p.name}/postgresql`),
      retentionInDays: p.logRetentionDays,
      tags,
    });
    const common = {
      storageEncrypted: true,
      manageMasterUserPassword: true,
      // The app's own role logs in with IAM auth tokens (no password to leak or rotate).
      iamDatabaseAuthenticationEnabled: true,
      backupRetentionPeriod: p.backupRetentionDays,
      copyTagsToSnapshot: true,
      deletionProtection: p.protect,
      skipFinalSnapshot: false,
      finalSnapshotIdentifier,
      deleteAutomatedBackups: not(p.protect) as boolean,
      snapshotIdentifier: p.snapshotIdentifier ?? undefined,
      tags,
      dependsOn: [logs],
      // A restore source only matters at create: never replace a running database because it changed.
      lifecycle: { ignoreChanges: ['snapshot_identifier'] },
    };

    // ---- RDS instance ----------------------------------------------------------------------------
    const parameterGroup = optionally(
      isInstance,
      (count) =>
        new DbParameterGroup(this, 'parameter_group', {
          count,
          namePrefix: `${p.name}-`,
          family: Token.asString(Fn.format('postgres%s', [major])),
          description: `${p.name}: TLS required`,
          parameter: [{ name: 'rds.force_ssl', value: '1' }],
          tags,
          lifecycle: { createBeforeDestroy: true },
        }),
    );
    this.instance = optionally(
      isInstance,
      (count) =>
        new DbInstance(this, 'instance', {
          ...common,
          count,
          identifier: p.name,
          engine: 'postgres',
          engineVersion: p.engineVersion,
          instanceClass: p.instanceClass,
          storageType: 'gp3',
          allocatedStorage: p.allocatedStorage,
          maxAllocatedStorage: p.maxAllocatedStorage,
          dbName: p.databaseName,
          username: p.masterUsername,
          port: POSTGRES_PORT,
          multiAz: p.multiAz,
          dbSubnetGroupName: this.subnetGroup.name,
          vpcSecurityGroupIds: [this.securityGroup.id],
          publiclyAccessible: false,
          parameterGroupName: attr(parameterGroup, 'name'),
          autoMinorVersionUpgrade: true,
          performanceInsightsEnabled: p.performanceInsights,
          performanceInsightsRetentionPeriod: choose(p.performanceInsights, 7, undefined as unknown as number),
          enabledCloudwatchLogsExports: ['postgresql', 'upgrade'],
        }),
    );

    // ---- Aurora Serverless v2 ----------------------------------------------------------------------
    const clusterParameterGroup = optionally(
      isAurora,
      (count) =>
        new RdsClusterParameterGroup(this, 'cluster_parameter_group', {
          count,
          namePrefix: `${p.name}-`,
          family: Token.asString(Fn.format('aurora-postgresql%s', [major])),
          description: `${p.name}: TLS required`,
          parameter: [{ name: 'rds.force_ssl', value: '1' }],
          tags,
          lifecycle: { createBeforeDestroy: true },
        }),
    );
    this.cluster = optionally(
      isAurora,
      (count) =>
        new RdsCluster(this, 'cluster', {
          ...common,
          count,
          clusterIdentifier: p.name,
          engine: 'aurora-postgresql',
          engineMode: 'provisioned',
          engineVersion: p.engineVersion,
          databaseName: p.databaseName,
          masterUsername: p.masterUsername,
          port: POSTGRES_PORT,
          dbSubnetGroupName: this.subnetGroup.name,
          vpcSecurityGroupIds: [this.securityGroup.id],
          dbClusterParameterGroupName: attr(clusterParameterGroup, 'name'),
          enabledCloudwatchLogsExports: ['postgresql'],
          serverlessv2ScalingConfiguration: {
            minCapacity: p.minCapacity,
            maxCapacity: p.maxCapacity,
            secondsUntilAutoPause: choose(eq(p.minCapacity, 0), p.secondsUntilAutoPause, undefined as unknown as number),
          },
        }),
    );
    // The writer and `aurora_readers` readers; the subnet group spans the AZs, so RDS places them apart.
    const auroraInstances =
      typeof isAurora === 'boolean' && !isToken(p.auroraReaders)
        ? isAurora
          ? 1 + p.auroraReaders
          : 0
        : Token.asNumber(Fn.conditional(isAurora, Op.add(1, p.auroraReaders), 0));
    this.clusterInstance = optionally(
      isAurora,
      () =>
        new RdsClusterInstance(this, 'cluster_instance', {
          count: auroraInstances,
          identifier: Token.asString(Fn.format('%s-%d', [p.name, Op.add(ref('count.index'), 1)])),
          clusterIdentifier: attr(this.cluster, 'id'),
          engine: 'aurora-postgresql',
          instanceClass: 'db.serverless',
          dbSubnetGroupName: this.subnetGroup.name,
          publiclyAccessible: false,
          autoMinorVersionUpgrade: true,
          performanceInsightsEnabled: p.performanceInsights,
          copyTagsToSnapshot: true,
          tags,
        }),
    );
    preventDestroy(this.instance, p.protect);
    preventDestroy(this.cluster, p.protect);

    // ---- what the app needs ----------------------------------------------------------------------
    const identifier = choose(isAurora, attr(this.cluster, 'cluster_identifier'), attr(this.instance, 'identifier'));
    this.host = choose(isAurora, attr(this.cluster, 'endpoint'), attr(this.instance, 'address'));
    this.databaseName = p.databaseName;
    this.username = p.masterUsername;
    this.masterSecretArn = choose(isAurora, masterSecretArnOf(this.cluster), masterSecretArnOf(this.instance));
    this.passwordValueFrom = withSuffix(this.masterSecretArn, ':password::');

    if (p.proxy !== false) {
      this.proxy = new DatabaseProxy(this, 'proxy', {
        count: p.proxy === true ? undefined : Token.asNumber(Fn.conditional(p.proxy, 1, 0)),
        enabled: p.proxy,
        name: p.name,
        vpcId: p.vpcId,
        subnetIds: p.subnetIds,
        allowedSecurityGroupIds: p.allowedSecurityGroupIds,
        secretArn: this.masterSecretArn,
        databaseSecurityGroupId: this.securityGroup.id,
        instanceIdentifier: this.instance ? attr(this.instance, 'identifier') : undefined,
        clusterIdentifier: this.cluster ? attr(this.cluster, 'cluster_identifier') : undefined,
        maxConnectionsPercent: p.proxyMaxConnectionsPercent,
        tags,
      });
    }

    this.appUsername = p.appUsername;
    const resourceId = choose(isAurora, attr(this.cluster, 'cluster_resource_id'), attr(this.instance, 'resource_id'));
    const ctx = new AwsContext(this, 'aws');
    this.appConnectArn = databaseConnectArn(ctx, resourceId, p.appUsername);
    this.environment = appDatabaseEnvironment(this.host, this.databaseName, this.appUsername);
    this.secrets = {};
    this.migrationEnvironment = migrationDatabaseEnvironment(this.username, this.appUsername);
    this.migrationSecrets = { DATABASE_PASSWORD: this.passwordValueFrom };
    this.outputs = {
      host: this.host,
      port: POSTGRES_PORT,
      database_name: this.databaseName,
      username: this.username,
      app_username: this.appUsername,
      app_connect_arn: this.appConnectArn,
      migration_environment: this.migrationEnvironment,
      migration_secrets: this.migrationSecrets,
      master_secret_arn: this.masterSecretArn,
      password_value_from: this.passwordValueFrom,
      environment: this.environment,
      secrets: this.secrets,
      security_group_id: this.securityGroup.id,
      identifier,
      arn: choose(isAurora, attr(this.cluster, 'arn'), attr(this.instance, 'arn')),
      proxy_endpoint: this.proxy ? this.proxy.endpoint : null,
      proxy_security_group_id: this.proxy ? this.proxy.securityGroupId : null,
    };
  }

  /**
   * Lets a consumer's security group connect on 5432, to the database and (with a proxy) to the proxy. For
   * consumers created after the database (the preset's service and workers); `label` names the rule.
   */
  allowFrom(securityGroupId: string, label: string): void {
    const id = labelId(label);
    if (this.allowed.has(id)) throw new Error(`database.allowFrom: "${label}" is already allowed; give each consumer its own label`);
    this.allowed.add(id);
    ingressFromGroup(this, `allow_${id}`, securityGroupId, label, {
      securityGroupId: this.securityGroup.id,
      port: POSTGRES_PORT,
      what: 'PostgreSQL',
    });
    this.proxy?.allowFrom(securityGroupId, label, `allow_${id}`);
  }
}
