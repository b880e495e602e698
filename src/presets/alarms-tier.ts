/**
 * The alarms of the preset (config `alarms`, on by default): one SNS topic and the CloudWatch alarms of
 * src/constructs/alarms.ts, fed by the parts the other tiers built — the load balancer, the API service, every
 * dead-letter queue (the queues' and the schedules': a scheduled invocation that failed after its retries), the database
 * and the cache. docs/production.md lists them.
 */
import { TerraformOutput } from 'cdktn';
import { Alarms } from '../constructs/alarms';
import type { Service } from '../constructs/ecs-service';
import type { LoadBalancer } from '../constructs/load-balancer';
import type { AsyncTier } from './async-tier';
import type { DataTier } from './data-tier';
import type { TierContext } from './tier';

export interface AlarmedParts {
  readonly loadBalancer: LoadBalancer;
  readonly service: Service;
  readonly data: DataTier;
  readonly async: AsyncTier;
}

/** The alarms, or undefined when `alarms.enabled` is false. */
export function alarmsTier(ctx: TierContext, parts: AlarmedParts): Alarms | undefined {
  const { config, scope, prefix, tags, aws } = ctx;
  if (!config.alarms.enabled) return undefined;
  const { data, async } = parts;
  const deadLetterQueueNames = [
    ...Object.values(async.queues).map((q) => q.dlq.name),
    ...Object.values(async.cronJobs).map((c) => c.dlq.name),
  ];
  const db = data.database;
  const alarms = new Alarms(scope, 'alarms', {
    name: prefix,
    email: config.alarms.email,
    loadBalancerArnSuffix: parts.loadBalancer.lb.arnSuffix,
    targetGroupArnSuffix: parts.loadBalancer.targetGroup.arnSuffix,
    clusterName: parts.service.cluster.name,
    serviceName: parts.service.service.name,
    deadLetterQueueNames,
    // Failed scheduled invocations land in each schedule's DLQ (alarmed above). The Scheduler's own metrics are per
    // schedule group, and Backplane's schedules share the account's "default" group: not scoped to this app.
    scheduleGroupName: undefined,
    database: db
      ? {
          kind: db.cluster ? 'cluster' : 'instance',
          identifier: db.outputs.identifier as string,
          allocatedStorageGb: db.cluster ? undefined : config.database?.allocatedStorage,
          maxConnections: data.budget?.maxConnections.value,
        }
      : undefined,
    cacheReplicationGroupId: data.cache?.replicationGroup.id,
    ctx: aws,
    tags,
  });
  new TerraformOutput(scope, 'alarm_topic_arn', {
    value: alarms.topic.arn,
    description: 'The SNS topic every alarm notifies (subscribe more endpoints to it).',
  }).overrideLogicalId('alarm_topic_arn');
  return alarms;
}
