/** The rest of `backplane status`: alarms in ALARM, queue depths, the database's and the cache's status. */
import type { BackplaneConfig } from '../../config';
import type { Context } from '../command';
import { dataOwnerPrefix } from '../../config/preview-plan';

export interface QueueDepth {
  readonly queue: string;
  readonly visible?: number;
  readonly inFlight?: number;
  readonly deadLetters?: number;
}

const notFound = (err: unknown, ...names: string[]) => names.includes((err as { name?: string }).name ?? '');

/** CloudWatch alarms named `<prefix>-...` that are in ALARM. */
export async function alarmsFiring(
  ctx: Context,
  region: string,
  prefix: string,
): Promise<{ name?: string; reason?: string; since?: string }[]> {
  const cw = await import('@aws-sdk/client-cloudwatch');
  const client = new cw.CloudWatchClient(ctx.deps.aws.clientConfig(region));
  const found = await client.send(new cw.DescribeAlarmsCommand({ AlarmNamePrefix: `${prefix}-`, StateValue: 'ALARM' }));
  // Filtered again here: an emulator (moto 5.2.1) applies only the first of AlarmNamePrefix and StateValue.
  return (found.MetricAlarms ?? [])
    .filter((a) => a.StateValue === 'ALARM')
    .map((a) => ({
      name: a.AlarmName,
      reason: a.StateReason,
      since: a.StateUpdatedTimestamp?.toISOString(),
    }));
}

/** Each queue's visible and in-flight messages and its dead-letter queue's depth (names as src/presets/async-tier.ts). */
export async function queueDepths(ctx: Context, config: BackplaneConfig): Promise<QueueDepth[]> {
  const entries = Object.entries(config.queues ?? {});
  if (!entries.length) return [];
  const sqs = await import('@aws-sdk/client-sqs');
  const client = new sqs.SQSClient(ctx.deps.aws.clientConfig(config.region));
  const depth = async (name: string) => {
    try {
      const { QueueUrl } = await client.send(new sqs.GetQueueUrlCommand({ QueueName: name }));
      const a = (
        await client.send(
          new sqs.GetQueueAttributesCommand({
            QueueUrl,
            AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
          }),
        )
      ).Attributes;
      return { visible: Number(a?.ApproximateNumberOfMessages ?? 0), inFlight: Number(a?.ApproximateNumberOfMessagesNotVisible ?? 0) };
    } catch (err) {
      if (notFound(err, 'QueueDoesNotExist', 'AWS.SimpleQueueService.NonExistentQueue')) return undefined;
      throw err;
    }
  };
  const prefix = `${config.name}-${config.stage}`;
  return Promise.all(
    entries.map(async ([key, q]) => {
      const suffix = q.fifo ? '.fifo' : '';
      const [main, dlq] = await Promise.all([depth(`${prefix}-${key}${suffix}`), depth(`${prefix}-${key}-dlq${suffix}`)]);
      return { queue: key, visible: main?.visible, inFlight: main?.inFlight, deadLetters: dlq?.visible };
    }),
  );
}

/** The RDS instance's (or Aurora cluster's) status, undefined without a database, "not deployed" when absent. */
export async function databaseStatus(ctx: Context, config: BackplaneConfig): Promise<string | undefined> {
  if (!config.database) return undefined;
  const rds = await import('@aws-sdk/client-rds');
  const client = new rds.RDSClient(ctx.deps.aws.clientConfig(config.region));
  const id = dataOwnerPrefix(config); // a preview stage uses its parent's instance
  try {
    if (config.database.engine === 'aurora-serverless')
      return (await client.send(new rds.DescribeDBClustersCommand({ DBClusterIdentifier: id }))).DBClusters?.[0]?.Status;
    return (await client.send(new rds.DescribeDBInstancesCommand({ DBInstanceIdentifier: id }))).DBInstances?.[0]?.DBInstanceStatus;
  } catch (err) {
    if (notFound(err, 'DBInstanceNotFoundFault', 'DBClusterNotFoundFault')) return 'not deployed';
    throw err;
  }
}

/** The ElastiCache replication group's status, undefined without a cache. */
export async function cacheStatus(ctx: Context, config: BackplaneConfig): Promise<string | undefined> {
  if (!config.cache) return undefined;
  const ec = await import('@aws-sdk/client-elasticache');
  const client = new ec.ElastiCacheClient(ctx.deps.aws.clientConfig(config.region));
  try {
    const id = dataOwnerPrefix(config); // a preview stage uses its parent's cache
    return (await client.send(new ec.DescribeReplicationGroupsCommand({ ReplicationGroupId: id }))).ReplicationGroups?.[0]?.Status;
  } catch (err) {
    if (notFound(err, 'ReplicationGroupNotFoundFault')) return 'not deployed';
    throw err;
  }
}
