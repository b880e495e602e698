import { Construct } from 'constructs';
import { CloudwatchEventRule } from '@cdktn/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktn/provider-aws/lib/cloudwatch-event-target';
import {
  CloudwatchMetricAlarm,
  type CloudwatchMetricAlarmConfig,
  type CloudwatchMetricAlarmMetricQueryMetric,
} from '@cdktn/provider-aws/lib/cloudwatch-metric-alarm';
import { SnsTopic } from '@cdktn/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktn/provider-aws/lib/sns-topic-policy';
import { SnsTopicSubscription } from '@cdktn/provider-aws/lib/sns-topic-subscription';
import { Fn, Token } from 'cdktn';
import { ConfigError } from '../modules/module';
import type { AwsContext } from './iam';

/** What the database alarms watch. */
export interface AlarmsDatabase {
  /**
   * An RDS DB instance (dimension `DBInstanceIdentifier`) or an Aurora DB cluster (`DBClusterIdentifier`; Aurora
   * storage grows by itself, so a cluster has no storage alarm).
   */
  readonly kind: 'instance' | 'cluster';
  /** @example "shop-prod" */
  readonly identifier: string;
  /**
   * The instance's allocated storage in GB: FreeStorageSpace below 10 % of it alarms. Required for an instance (a
   * concrete number), ignored for a cluster. With storage autoscaling the threshold stays at 10 % of this first size.
   * @example 20
   */
  readonly allocatedStorageGb?: number;
  /**
   * The engine's `max_connections`: DatabaseConnections above 80 % of it alarms.
   * @default no connections alarm
   */
  readonly maxConnections?: number;
}

export interface AlarmsProps {
  /** `<app>-<stage>`: the prefix of every name. @example "shop-prod" */
  readonly name: string;
  /**
   * An address subscribed to the topic (SNS sends a confirmation mail first; until it is confirmed nothing is delivered).
   * @default no subscription
   */
  readonly email?: string;
  /** The ALB's ARN suffix (`app/<name>/<id>`), the `LoadBalancer` dimension. */
  readonly loadBalancerArnSuffix: string;
  /** The target group's ARN suffix (`targetgroup/<name>/<id>`), the `TargetGroup` dimension. */
  readonly targetGroupArnSuffix: string;
  /** ECS cluster and service names (`ClusterName` / `ServiceName`). */
  readonly clusterName: string;
  readonly serviceName: string;
  /**
   * The service's ARN, which the deployment-failure rule matches.
   * @default arn:<partition>:ecs:<region>:<account>:service/<clusterName>/<serviceName>
   */
  readonly serviceArn?: string;
  /** Dead-letter queue names: one alarm each as soon as a message lands. */
  readonly deadLetterQueueNames: string[];
  /**
   * The EventBridge Scheduler group of the stack's cron jobs (`ScheduleGroup` dimension).
   * @default no scheduler alarms (no cron)
   */
  readonly scheduleGroupName?: string;
  /** @default no database alarms */
  readonly database?: AlarmsDatabase;
  /**
   * The ElastiCache replication group (cluster mode disabled): its primary `<id>-001` is watched.
   * @default no cache alarms
   */
  readonly cacheReplicationGroupId?: string;
  readonly ctx: AwsContext;
  readonly tags: Record<string, string>;
}

// Thresholds (one place). Periods are seconds.
const FIVE_MINUTES = 300;
const ERROR_RATE_PERCENT = 5;
const ERROR_RATE_MIN_REQUESTS = 20;
const P99_SECONDS = 2;
const ECS_PERCENT = 85;
const DB_CPU_PERCENT = 80;
const DB_CONNECTIONS_SHARE = 0.8;
const DB_FREE_STORAGE_SHARE = 0.1;
const CACHE_MEMORY_PERCENT = 80;
const GIB = 1024 ** 3;

export { alarmCount } from '../definitions/alarm-count';

/** An alarm's own part: the shared fields (name, actions, missing data, tags) are added by {@link Alarms.alarm}. */
type AlarmSpec = Omit<CloudwatchMetricAlarmConfig, 'alarmName' | 'alarmActions' | 'okActions' | 'treatMissingData' | 'tags'> & {
  readonly alarmDescription: string;
  readonly threshold: number;
  readonly evaluationPeriods: number;
};

/**
 * Alarms by default: an SNS topic (optionally mailed), CloudWatch alarms on the load balancer, the ECS service,
 * the dead-letter queues, the scheduler, the database and the cache (ALARM and OK both notify; missing data is
 * not breaching), and an EventBridge rule that forwards this service's failed deployments to the topic.
 *
 * Escape hatch: `topic`, `alarms`, `deploymentRule` are the generated resources; `addOverride` sets anything else.
 */
export class Alarms extends Construct {
  readonly topic: SnsTopic;
  readonly topicPolicy: SnsTopicPolicy;
  readonly subscription?: SnsTopicSubscription;
  readonly alarms: CloudwatchMetricAlarm[] = [];
  /** Concrete alarm names, in creation order. */
  readonly alarmNames: string[] = [];
  /** Number of metric alarms (for pricing; {@link alarmCount} computes it from a configuration). */
  readonly count: number;
  readonly deploymentRule: CloudwatchEventRule;
  readonly deploymentTarget: CloudwatchEventTarget;
  private readonly props: AlarmsProps;

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    check(id, props);
    this.props = props;

    this.topic = this.createTopic();
    [this.deploymentRule, this.deploymentTarget] = this.deploymentFailures();
    this.topicPolicy = this.createTopicPolicy();
    if (props.email) {
      this.subscription = new SnsTopicSubscription(this, 'email', { topicArn: this.topic.arn, protocol: 'email', endpoint: props.email });
    }

    this.loadBalancerAlarms();
    this.serviceAlarms();
    this.deadLetterQueueAlarms();
    this.schedulerAlarms();
    this.databaseAlarms();
    this.cacheAlarms();

    this.count = this.alarms.length;
  }

  // ---- topic ----------------------------------------------------------------------------------------

  private createTopic(): SnsTopic {
    // Not encrypted, on purpose. AWS FSBP SNS.1 asks for KMS, but CloudWatch alarms cannot publish to a topic encrypted
    // with the AWS managed key alias/aws/sns: its key policy does not grant cloudwatch.amazonaws.com kms:Decrypt and
    // kms:GenerateDataKey, and AWS managed key policies cannot be edited (AWS re:Post Knowledge Center, "How do I
    // configure a CloudWatch alarm with an encrypted SNS topic?", repost.aws/knowledge-center/cloudwatch-configure-alarm-sns).
    // EventBridge needs the same grant (SNS developer guide, "Enable compatibility between event sources from AWS
    // services and encrypted topics"). The lever: a customer managed key (about $1/month) whose key policy grants both
    // services those two actions. The messages are alarm and deployment state changes, no application data.
    return new SnsTopic(this, 'topic', { name: `${this.props.name}-alarms`, tags: this.props.tags });
  }

  private createTopicPolicy(): SnsTopicPolicy {
    const { ctx } = this.props;
    // Only the two publishers, and only on behalf of this account (confused-deputy guard: a service acting for a resource
    // sets aws:SourceAccount and aws:SourceArn, IAM user guide, "AWS global condition context keys"); EventBridge only
    // for the deployment rule, as in the EventBridge user guide's SNS example ("Using resource-based policies for Amazon
    // EventBridge"). Managing the topic stays with IAM identity policies in the account: no owner statement is needed.
    const publisher = (Sid: string, service: string, sourceArn?: string) => ({
      Sid,
      Effect: 'Allow',
      Principal: { Service: service },
      Action: 'sns:Publish',
      Resource: this.topic.arn,
      Condition: {
        StringEquals: { 'aws:SourceAccount': ctx.accountId },
        ...(sourceArn ? { ArnEquals: { 'aws:SourceArn': sourceArn } } : {}),
      },
    });
    return new SnsTopicPolicy(this, 'topic_policy', {
      arn: this.topic.arn,
      policy: Fn.jsonencode({
        Version: '2012-10-17',
        Statement: [
          publisher('CloudWatchAlarmsPublish', 'cloudwatch.amazonaws.com'),
          publisher('EventBridgePublish', 'events.amazonaws.com', this.deploymentRule.arn),
        ],
      }),
    });
  }

  // ---- alarms -----------------------------------------------------------------------------------------

  /** One alarm `<name>-<what>`, notifying the topic on ALARM and on OK. */
  private alarm(what: string, spec: AlarmSpec): CloudwatchMetricAlarm {
    const alarmName = `${this.props.name}-${what}`;
    const alarm = new CloudwatchMetricAlarm(this, what.replace(/[^a-zA-Z0-9]/g, '_'), {
      alarmName,
      comparisonOperator: 'GreaterThanThreshold',
      ...spec,
      alarmActions: [this.topic.arn],
      okActions: [this.topic.arn],
      treatMissingData: 'notBreaching',
      tags: this.props.tags,
    });
    this.alarms.push(alarm);
    this.alarmNames.push(alarmName);
    return alarm;
  }

  /** `errors` as a percent of RequestCount (same dimensions), over 5 minutes. */
  private errorRateAlarm(what: string, errors: string, dimensions: Record<string, string>, description: string): void {
    const metric = (metricName: string): CloudwatchMetricAlarmMetricQueryMetric => ({
      namespace: 'AWS/ApplicationELB',
      metricName,
      dimensions,
      period: FIVE_MINUTES,
      stat: 'Sum',
    });
    this.alarm(what, {
      alarmDescription: description,
      threshold: ERROR_RATE_PERCENT,
      evaluationPeriods: 1,
      metricQuery: [
        { id: 'errors', metric: metric(errors), returnData: false },
        { id: 'requests', metric: metric('RequestCount'), returnData: false },
        {
          id: 'rate',
          // Percent of requests; below ERROR_RATE_MIN_REQUESTS requests in 5 minutes a few errors are not a rate.
          expression: `IF(requests > ${ERROR_RATE_MIN_REQUESTS}, 100 * FILL(errors, 0) / requests, 0)`,
          label: `${errors} per 100 requests`,
          returnData: true,
        },
      ],
    });
  }

  private loadBalancerAlarms(): void {
    const LoadBalancer = this.props.loadBalancerArnSuffix;
    const TargetGroup = this.props.targetGroupArnSuffix;
    // AWS/ApplicationELB (ELB user guide, "CloudWatch metrics for your Application Load Balancer"): the ELB's own 5xx
    // and RequestCount by LoadBalancer; the targets' 5xx, RequestCount, UnHealthyHostCount and TargetResponseTime by
    // TargetGroup + LoadBalancer. The 5xx counts are only published when non-zero, hence FILL(errors, 0).
    this.errorRateAlarm(
      'alb-5xx-rate',
      'HTTPCode_ELB_5XX_Count',
      { LoadBalancer },
      `Over ${ERROR_RATE_PERCENT}% of requests got a 5xx from the load balancer itself in 5 minutes: look at the target group's health and the ALB access logs (502/503/504 mean no healthy or answering target).`,
    );
    this.errorRateAlarm(
      'target-5xx-rate',
      'HTTPCode_Target_5XX_Count',
      { TargetGroup, LoadBalancer },
      `Over ${ERROR_RATE_PERCENT}% of requests got a 5xx from the app in 5 minutes: look at the service's logs for the errors.`,
    );
    this.alarm('unhealthy-hosts', {
      alarmDescription:
        'A target failed its health checks for 3 minutes: look at the ECS service events and the logs of the failing tasks.',
      namespace: 'AWS/ApplicationELB',
      metricName: 'UnHealthyHostCount',
      dimensions: { TargetGroup, LoadBalancer },
      statistic: 'Maximum',
      period: 60,
      evaluationPeriods: 3,
      threshold: 0,
    });
    this.alarm('p99-latency', {
      alarmDescription: `The slowest 1% of requests took over ${P99_SECONDS} s in 5 minutes: look at slow endpoints, database queries and the service's CPU.`,
      namespace: 'AWS/ApplicationELB',
      metricName: 'TargetResponseTime',
      dimensions: { TargetGroup, LoadBalancer },
      extendedStatistic: 'p99',
      period: FIVE_MINUTES,
      evaluationPeriods: 1,
      threshold: P99_SECONDS,
      // Too few requests for a p99 keep the state instead of alarming on one slow request (CloudWatch user guide,
      // "Percentile-based alarms and low data samples").
      evaluateLowSampleCountPercentiles: 'ignore',
    });
  }

  private serviceAlarms(): void {
    // AWS/ECS service utilization: ClusterName + ServiceName, percent of the task definition's CPU/memory (ECS developer
    // guide, "Amazon ECS CloudWatch metrics").
    const utilization = (what: string, metricName: string, resource: string) =>
      this.alarm(what, {
        alarmDescription: `The service used over ${ECS_PERCENT}% of its ${resource} for 15 minutes: look at its load and autoscaling limits, or give its tasks more ${resource}.`,
        namespace: 'AWS/ECS',
        metricName,
        dimensions: { ClusterName: this.props.clusterName, ServiceName: this.props.serviceName },
        statistic: 'Average',
        period: FIVE_MINUTES,
        evaluationPeriods: 3,
        threshold: ECS_PERCENT,
      });
    utilization('ecs-cpu', 'CPUUtilization', 'CPU');
    utilization('ecs-memory', 'MemoryUtilization', 'memory');
  }

  private deadLetterQueueAlarms(): void {
    // AWS/SQS by QueueName (SQS developer guide, "Available CloudWatch metrics for Amazon SQS").
    this.props.deadLetterQueueNames.forEach((queueName, i) =>
      this.alarm(`${dlqLabel(queueName, this.props.name, i)}-not-empty`, {
        alarmDescription: `A message landed in the dead-letter queue ${Token.isUnresolved(queueName) ? `#${i + 1}` : queueName}: look at the consumer's logs, then redrive or delete it.`,
        namespace: 'AWS/SQS',
        metricName: 'ApproximateNumberOfMessagesVisible',
        dimensions: { QueueName: queueName },
        statistic: 'Maximum',
        period: 60,
        evaluationPeriods: 1,
        threshold: 0,
      }),
    );
  }

  private schedulerAlarms(): void {
    const group = this.props.scheduleGroupName;
    if (group === undefined) return;
    // AWS/Scheduler, dimension ScheduleGroup (EventBridge Scheduler user guide, "Monitoring Amazon EventBridge Scheduler
    // with Amazon CloudWatch"). InvocationAttemptCount counts every attempt; the failures are TargetErrorCount (the
    // target API, e.g. ecs:RunTask, returned an error) and InvocationDroppedCount (retries exhausted, the run is lost).
    const failures = (what: string, metricName: string, description: string) =>
      this.alarm(what, {
        alarmDescription: description,
        namespace: 'AWS/Scheduler',
        metricName,
        dimensions: { ScheduleGroup: group },
        statistic: 'Sum',
        period: FIVE_MINUTES,
        evaluationPeriods: 1,
        threshold: 0,
      });
    failures(
      'schedule-target-errors',
      'TargetErrorCount',
      `A scheduled job in group ${group} could not be started (it is retried): look at the schedule's target, its role and ECS capacity.`,
    );
    failures(
      'schedule-dropped',
      'InvocationDroppedCount',
      `A scheduled job in group ${group} was dropped after its retries: look at the schedule's dead-letter queue for the error.`,
    );
  }

  private databaseAlarms(): void {
    const db = this.props.database;
    if (!db) return;
    // AWS/RDS: DBInstanceIdentifier for an instance, DBClusterIdentifier for an Aurora cluster (RDS user guide,
    // "Amazon CloudWatch metrics for Amazon RDS"; Aurora user guide, "Amazon CloudWatch dimensions for Aurora").
    const dimensions: Record<string, string> =
      db.kind === 'instance' ? { DBInstanceIdentifier: db.identifier } : { DBClusterIdentifier: db.identifier };
    const rds = { namespace: 'AWS/RDS', dimensions, period: FIVE_MINUTES };
    this.alarm('db-cpu', {
      ...rds,
      alarmDescription: `The database used over ${DB_CPU_PERCENT}% CPU for 15 minutes: look at Performance Insights for the top queries, or a larger instance class.`,
      metricName: 'CPUUtilization',
      statistic: 'Average',
      evaluationPeriods: 3,
      threshold: DB_CPU_PERCENT,
    });
    if (db.kind === 'instance') {
      const gb = db.allocatedStorageGb as number; // checked in check()
      this.alarm('db-free-storage', {
        ...rds,
        alarmDescription: `Less than ${DB_FREE_STORAGE_SHARE * 100}% of the database's ${gb} GB storage is free: look at table and log growth, or raise allocated_storage.`,
        metricName: 'FreeStorageSpace', // bytes
        statistic: 'Minimum',
        evaluationPeriods: 1,
        comparisonOperator: 'LessThanThreshold',
        threshold: Math.round(gb * GIB * DB_FREE_STORAGE_SHARE),
      });
    }
    if (db.maxConnections !== undefined) {
      const limit = Math.floor(db.maxConnections * DB_CONNECTIONS_SHARE);
      this.alarm('db-connections', {
        ...rds,
        alarmDescription: `Over ${limit} of the database's ${db.maxConnections} connections are open: look at connection pool sizes per task times the task count.`,
        metricName: 'DatabaseConnections',
        statistic: 'Maximum',
        evaluationPeriods: 1,
        threshold: limit,
      });
    }
  }

  private cacheAlarms(): void {
    const group = this.props.cacheReplicationGroupId;
    if (group === undefined) return;
    // AWS/ElastiCache metrics are per cache cluster/node (dimensions CacheClusterId, CacheNodeId; not ReplicationGroupId):
    // ElastiCache user guide, "Metrics for Valkey and Redis OSS". The replication group's member clusters are
    // <id>-001, -002, ...; -001 is the primary at creation (after a failover a replica of equal size holds the same data).
    const cache = {
      namespace: 'AWS/ElastiCache',
      dimensions: { CacheClusterId: `${group}-001` },
      period: FIVE_MINUTES,
      evaluationPeriods: 1,
    };
    this.alarm('cache-memory', {
      ...cache,
      alarmDescription: `The cache uses over ${CACHE_MEMORY_PERCENT}% of its memory: look at key TTLs and big keys, or a larger node type.`,
      metricName: 'DatabaseMemoryUsagePercentage',
      statistic: 'Maximum',
      threshold: CACHE_MEMORY_PERCENT,
    });
    this.alarm('cache-evictions', {
      ...cache,
      alarmDescription: 'The cache evicted keys to make room: look at memory usage and TTLs, or a larger node type.',
      metricName: 'Evictions',
      statistic: 'Sum',
      threshold: 0,
    });
  }

  // ---- failed deployments -------------------------------------------------------------------------------

  private deploymentFailures(): [CloudwatchEventRule, CloudwatchEventTarget] {
    const { name, ctx, clusterName, serviceName, tags } = this.props;
    const serviceArn =
      this.props.serviceArn ?? `arn:${ctx.partition}:ecs:${ctx.region}:${ctx.accountId}:service/${clusterName}/${serviceName}`;
    // ECS sends "ECS Deployment State Change" events with detail.eventName SERVICE_DEPLOYMENT_FAILED when the deployment
    // circuit breaker fails a deployment (and rolls it back); `resources` holds the service ARN (ECS developer guide,
    // "Amazon ECS service deployment state change events").
    const rule = new CloudwatchEventRule(this, 'deployment_failed', {
      name: `${name}-deployment-failed`,
      description: `A deployment of ${serviceName} failed and was rolled back: look at the ECS service events and the stopped tasks.`,
      eventPattern: JSON.stringify({
        source: ['aws.ecs'],
        'detail-type': ['ECS Deployment State Change'],
        resources: [serviceArn],
        detail: { eventName: ['SERVICE_DEPLOYMENT_FAILED'] },
      }),
      tags,
    });
    const target = new CloudwatchEventTarget(this, 'deployment_failed_target', {
      rule: rule.name,
      targetId: 'alarms-topic',
      arn: this.topic.arn,
    });
    return [rule, target];
  }
}

/** The DLQ alarm's middle part: the queue name without the `<name>-` prefix, or its position when it is a token. */
function dlqLabel(queueName: string, prefix: string, i: number): string {
  if (Token.isUnresolved(queueName)) return `dlq-${i + 1}`;
  return queueName.startsWith(`${prefix}-`) ? queueName.slice(prefix.length + 1) : queueName;
}

function check(id: string, p: AlarmsProps): void {
  const db = p.database;
  if (
    db?.kind === 'instance' &&
    (db.allocatedStorageGb === undefined || Token.isUnresolved(db.allocatedStorageGb) || !(db.allocatedStorageGb > 0))
  ) {
    throw new ConfigError(
      `${id}: database.allocatedStorageGb is ${String(db.allocatedStorageGb)}; a positive number of GB (not a token) is required for an instance: the free-storage threshold is 10% of it, in bytes.`,
    );
  }
  if (db?.maxConnections !== undefined && (Token.isUnresolved(db.maxConnections) || !(db.maxConnections > 0))) {
    throw new ConfigError(
      `${id}: database.maxConnections is ${String(db.maxConnections)}; a positive number (not a token) is allowed, or leave it out.`,
    );
  }
  if (Token.isUnresolved(p.name)) throw new ConfigError(`${id}: name must be a concrete string (it names every alarm), not a token.`);
}
