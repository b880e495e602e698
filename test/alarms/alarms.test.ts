/** The Alarms construct: the topic and who may publish, the alarms and their dimensions, the deployment-failure rule. */
import { ElasticacheReplicationGroup } from '@cdktn/provider-aws/lib/elasticache-replication-group';
import { SqsQueue } from '@cdktn/provider-aws/lib/sqs-queue';
import { Alarms, alarmCount, type AlarmsProps } from '../../src/constructs/alarms';
import { AwsContext } from '../../src/constructs/iam';
import { res, synth, thrown, type TfJson } from '../dns/synth';

const TOPIC_ARN = '${aws_sns_topic.alarms_topic.arn}';
const LB = 'app/shop-prod/0123456789abcdef';
const TG = 'targetgroup/shop-prod/fedcba9876543210';

const minimal: Omit<AlarmsProps, 'ctx'> = {
  name: 'shop-prod',
  loadBalancerArnSuffix: LB,
  targetGroupArnSuffix: TG,
  clusterName: 'shop-prod',
  serviceName: 'shop-prod-api',
  deadLetterQueueNames: [],
  tags: { app: 'shop' },
};

const full: Omit<AlarmsProps, 'ctx'> = {
  ...minimal,
  email: 'ops@example.com',
  deadLetterQueueNames: ['shop-prod-jobs-dlq', 'shop-prod-mail-dlq'],
  scheduleGroupName: 'default',
  database: { kind: 'instance', identifier: 'shop-prod', allocatedStorageGb: 20, maxConnections: 200 },
  cacheReplicationGroupId: 'shop-prod',
};

function build(props: Omit<AlarmsProps, 'ctx'>): { json: TfJson; alarms: Alarms } {
  let alarms!: Alarms;
  const json = synth((stack) => {
    alarms = new Alarms(stack, 'alarms', { ...props, ctx: new AwsContext(stack, 'ctx') });
  });
  return { json, alarms };
}

const metricAlarms = (json: TfJson): any[] => Object.values(json.resource.aws_cloudwatch_metric_alarm ?? {});
/** The synthesized alarm names (the JSON orders resources by id, not by creation). */
const synthesizedNames = (json: TfJson): string[] => metricAlarms(json).map((a) => a.alarm_name as string);
const byName = (json: TfJson, name: string): any => {
  const alarm = metricAlarms(json).find((a) => a.alarm_name === name);
  if (!alarm) throw new Error(`no alarm ${name}; have: ${metricAlarms(json).map((a) => a.alarm_name)}`);
  return alarm;
};
/** cdktn writes jsonencode(...) as HCL (`"Key" = value`): assert on the text. */
const policyText = (json: TfJson) => String(res(json, 'aws_sns_topic_policy', 'alarms_topic_policy').policy);

describe('Alarms', () => {
  describe('the topic', () => {
    it('is named <name>-alarms and left unencrypted: CloudWatch cannot publish to a topic under the AWS managed aws/sns key', () => {
      const { json, alarms } = build(minimal);
      const topic = res(json, 'aws_sns_topic', 'alarms_topic');
      expect(topic).toMatchObject({ name: 'shop-prod-alarms', tags: { app: 'shop' } });
      expect(topic.kms_master_key_id).toBeUndefined();
      expect(alarms.topic.friendlyUniqueId).toBe('alarms_topic');
    });

    it('lets only CloudWatch and EventBridge publish, and only on behalf of this account', () => {
      const { json } = build(minimal);
      expect(res(json, 'aws_sns_topic_policy', 'alarms_topic_policy').arn).toBe(TOPIC_ARN);
      const text = policyText(json);
      expect(text).toContain('"cloudwatch.amazonaws.com"');
      expect(text).toContain('"events.amazonaws.com"');
      expect(text.match(/"aws:SourceAccount" = data\.aws_caller_identity\.ctx_account\.account_id/g)).toHaveLength(2);
      expect(text.match(/"sns:Publish"/g)).toHaveLength(2);
      // EventBridge, moreover, only for the deployment-failure rule.
      expect(text).toContain('"ArnEquals" = {"aws:SourceArn" = aws_cloudwatch_event_rule.alarms_deployment_failed.arn}');
      expect(text.match(/aws:SourceArn/g)).toHaveLength(1);
      expect(text).not.toMatch(/sns:(Subscribe|SetTopicAttributes|DeleteTopic)/);
    });

    it('subscribes the email address only when one is given', () => {
      expect(build(minimal).json.resource.aws_sns_topic_subscription).toBeUndefined();
      expect(res(build(full).json, 'aws_sns_topic_subscription', 'alarms_email')).toMatchObject({
        topic_arn: TOPIC_ARN,
        protocol: 'email',
        endpoint: 'ops@example.com',
      });
    });
  });

  describe('the alarms', () => {
    it('creates the always-on set for a service without queues, cron, database or cache', () => {
      const { json, alarms } = build(minimal);
      const names = [
        'shop-prod-alb-5xx-rate',
        'shop-prod-target-5xx-rate',
        'shop-prod-unhealthy-hosts',
        'shop-prod-p99-latency',
        'shop-prod-ecs-cpu',
        'shop-prod-ecs-memory',
      ];
      expect(synthesizedNames(json).sort()).toEqual([...names].sort());
      expect(alarms.alarmNames).toEqual(names);
      expect(alarms.count).toBe(6);
    });

    it('adds one per dead-letter queue, two for the scheduler, three for an instance database and two for the cache', () => {
      const { json, alarms } = build(full);
      const names = [
        'shop-prod-alb-5xx-rate',
        'shop-prod-target-5xx-rate',
        'shop-prod-unhealthy-hosts',
        'shop-prod-p99-latency',
        'shop-prod-ecs-cpu',
        'shop-prod-ecs-memory',
        'shop-prod-jobs-dlq-not-empty',
        'shop-prod-mail-dlq-not-empty',
        'shop-prod-schedule-target-errors',
        'shop-prod-schedule-dropped',
        'shop-prod-db-cpu',
        'shop-prod-db-free-storage',
        'shop-prod-db-connections',
        'shop-prod-cache-memory',
        'shop-prod-cache-evictions',
      ];
      expect(synthesizedNames(json).sort()).toEqual([...names].sort());
      expect(alarms.alarmNames).toEqual(names);
    });

    it('notifies the topic on ALARM and on OK, and treats missing data as not breaching, for every alarm', () => {
      const all = metricAlarms(build(full).json);
      expect(all).toHaveLength(15);
      for (const a of all) {
        expect(a).toMatchObject({ alarm_actions: [TOPIC_ARN], ok_actions: [TOPIC_ARN], treat_missing_data: 'notBreaching' });
        expect(a.alarm_description).toMatch(/: look at /);
      }
    });

    it('alarms on the 5xx share of requests (metric math), ignoring windows of 20 requests or fewer', () => {
      const { json } = build(minimal);
      const target = byName(json, 'shop-prod-target-5xx-rate');
      expect(target).toMatchObject({ comparison_operator: 'GreaterThanThreshold', threshold: 5, evaluation_periods: 1 });
      expect(target.metric_name).toBeUndefined();
      const queries = Object.fromEntries(target.metric_query.map((q: any) => [q.id, q]));
      expect(queries.rate).toMatchObject({ expression: 'IF(requests > 20, 100 * FILL(errors, 0) / requests, 0)', return_data: true });
      expect(queries.errors.metric).toMatchObject({
        namespace: 'AWS/ApplicationELB',
        metric_name: 'HTTPCode_Target_5XX_Count',
        dimensions: { TargetGroup: TG, LoadBalancer: LB },
        period: 300,
        stat: 'Sum',
      });
      expect(queries.requests.metric).toMatchObject({ metric_name: 'RequestCount', dimensions: { TargetGroup: TG, LoadBalancer: LB } });
      const elb = Object.fromEntries(byName(json, 'shop-prod-alb-5xx-rate').metric_query.map((q: any) => [q.id, q]));
      expect(elb.errors.metric).toMatchObject({ metric_name: 'HTTPCode_ELB_5XX_Count', dimensions: { LoadBalancer: LB } });
      expect(elb.errors.metric.dimensions.TargetGroup).toBeUndefined();
    });

    it('watches unhealthy targets per target group and load balancer, and the p99 response time', () => {
      const { json } = build(minimal);
      expect(byName(json, 'shop-prod-unhealthy-hosts')).toMatchObject({
        namespace: 'AWS/ApplicationELB',
        metric_name: 'UnHealthyHostCount',
        dimensions: { TargetGroup: TG, LoadBalancer: LB },
        statistic: 'Maximum',
        period: 60,
        evaluation_periods: 3,
        threshold: 0,
      });
      const p99 = byName(json, 'shop-prod-p99-latency');
      expect(p99).toMatchObject({
        metric_name: 'TargetResponseTime',
        extended_statistic: 'p99',
        period: 300,
        threshold: 2,
        evaluate_low_sample_count_percentiles: 'ignore',
      });
      expect(p99.statistic).toBeUndefined();
    });

    it('watches the ECS service by cluster and service name at 85% for 15 minutes', () => {
      const { json } = build(minimal);
      for (const [name, metric] of [
        ['shop-prod-ecs-cpu', 'CPUUtilization'],
        ['shop-prod-ecs-memory', 'MemoryUtilization'],
      ]) {
        expect(byName(json, name)).toMatchObject({
          namespace: 'AWS/ECS',
          metric_name: metric,
          dimensions: { ClusterName: 'shop-prod', ServiceName: 'shop-prod-api' },
          statistic: 'Average',
          period: 300,
          evaluation_periods: 3,
          threshold: 85,
        });
      }
    });

    it('alarms as soon as a dead-letter queue holds a message', () => {
      expect(byName(build(full).json, 'shop-prod-jobs-dlq-not-empty')).toMatchObject({
        namespace: 'AWS/SQS',
        metric_name: 'ApproximateNumberOfMessagesVisible',
        dimensions: { QueueName: 'shop-prod-jobs-dlq' },
        statistic: 'Maximum',
        period: 60,
        threshold: 0,
        comparison_operator: 'GreaterThanThreshold',
      });
    });

    it('alarms on scheduler target errors and dropped invocations of the schedule group, not on attempts', () => {
      const { json } = build(full);
      const scheduler = metricAlarms(json).filter((a) => a.namespace === 'AWS/Scheduler');
      expect(scheduler.map((a) => a.metric_name).sort()).toEqual(['InvocationDroppedCount', 'TargetErrorCount']);
      for (const a of scheduler)
        expect(a).toMatchObject({ dimensions: { ScheduleGroup: 'default' }, statistic: 'Sum', period: 300, threshold: 0 });
    });

    it('alarms below 10% free storage of a 20 GB instance, in bytes, and above 80% of max_connections', () => {
      const { json } = build(full);
      expect(byName(json, 'shop-prod-db-free-storage')).toMatchObject({
        namespace: 'AWS/RDS',
        metric_name: 'FreeStorageSpace',
        dimensions: { DBInstanceIdentifier: 'shop-prod' },
        comparison_operator: 'LessThanThreshold',
        threshold: 2147483648, // 20 * 1024^3 / 10
      });
      expect(byName(json, 'shop-prod-db-connections')).toMatchObject({ metric_name: 'DatabaseConnections', threshold: 160 });
      expect(byName(json, 'shop-prod-db-cpu')).toMatchObject({ metric_name: 'CPUUtilization', threshold: 80, evaluation_periods: 3 });
    });

    it('watches an Aurora cluster by DBClusterIdentifier, without a storage alarm', () => {
      const { json } = build({ ...minimal, database: { kind: 'cluster', identifier: 'shop-prod' } });
      expect(byName(json, 'shop-prod-db-cpu').dimensions).toEqual({ DBClusterIdentifier: 'shop-prod' });
      expect(synthesizedNames(json)).not.toContain('shop-prod-db-free-storage');
    });

    it("watches the cache's primary member cluster <id>-001 (ElastiCache metrics have no ReplicationGroupId dimension)", () => {
      const { json } = build(full);
      expect(byName(json, 'shop-prod-cache-memory')).toMatchObject({
        namespace: 'AWS/ElastiCache',
        metric_name: 'DatabaseMemoryUsagePercentage',
        dimensions: { CacheClusterId: 'shop-prod-001' },
        threshold: 80,
      });
      expect(byName(json, 'shop-prod-cache-evictions')).toMatchObject({
        metric_name: 'Evictions',
        dimensions: { CacheClusterId: 'shop-prod-001' },
        statistic: 'Sum',
        period: 300,
        threshold: 0,
      });
    });
  });

  it('keeps alarm names concrete when queue names and the cache id are references to other resources', () => {
    let alarms!: Alarms;
    const json = synth((stack) => {
      const dlq = new SqsQueue(stack, 'jobs_dlq', { name: 'shop-prod-jobs-dlq' });
      const cache = new ElasticacheReplicationGroup(stack, 'cache', { replicationGroupId: 'shop-prod', description: 'cache' });
      alarms = new Alarms(stack, 'alarms', {
        ...minimal,
        deadLetterQueueNames: [dlq.name],
        cacheReplicationGroupId: cache.id,
        ctx: new AwsContext(stack, 'ctx'),
      });
    });
    expect(alarms.alarmNames).toContain('shop-prod-dlq-1-not-empty');
    expect(byName(json, 'shop-prod-dlq-1-not-empty').dimensions).toEqual({ QueueName: '${aws_sqs_queue.jobs_dlq.name}' });
    expect(byName(json, 'shop-prod-cache-memory').dimensions).toEqual({
      CacheClusterId: '${aws_elasticache_replication_group.cache.id}-001',
    });
  });

  describe('failed deployments', () => {
    it("forwards this service's SERVICE_DEPLOYMENT_FAILED events to the topic", () => {
      const { json } = build(minimal);
      const rule = res(json, 'aws_cloudwatch_event_rule', 'alarms_deployment_failed');
      expect(rule.name).toBe('shop-prod-deployment-failed');
      expect(JSON.parse(rule.event_pattern)).toEqual({
        source: ['aws.ecs'],
        'detail-type': ['ECS Deployment State Change'],
        resources: [
          'arn:${data.aws_partition.ctx_partition.partition}:ecs:${data.aws_region.ctx_region.name}:${data.aws_caller_identity.ctx_account.account_id}:service/shop-prod/shop-prod-api',
        ],
        detail: { eventName: ['SERVICE_DEPLOYMENT_FAILED'] },
      });
      expect(res(json, 'aws_cloudwatch_event_target', 'alarms_deployment_failed_target')).toMatchObject({
        rule: '${aws_cloudwatch_event_rule.alarms_deployment_failed.name}',
        arn: TOPIC_ARN,
      });
    });

    it('matches a given service ARN as is', () => {
      const arn = 'arn:aws:ecs:eu-west-1:123456789012:service/shop-prod/shop-prod-api';
      const { json } = build({ ...minimal, serviceArn: arn });
      expect(JSON.parse(res(json, 'aws_cloudwatch_event_rule', 'alarms_deployment_failed').event_pattern).resources).toEqual([arn]);
    });
  });

  describe('alarmCount', () => {
    it.each([
      ['minimal', minimal, { deadLetterQueues: 0, cron: false, cache: false }],
      ['full', full, { deadLetterQueues: 2, cron: true, database: 'instance' as const, cache: true, maxConnections: true }],
      [
        'cluster without max connections',
        { ...minimal, database: { kind: 'cluster' as const, identifier: 'shop-prod' } },
        { deadLetterQueues: 0, cron: false, database: 'cluster' as const, cache: false },
      ],
    ])('equals the number of aws_cloudwatch_metric_alarm resources (%s)', (_label, props, counts) => {
      const { json, alarms } = build(props);
      expect(alarmCount(counts)).toBe(metricAlarms(json).length);
      expect(alarms.count).toBe(metricAlarms(json).length);
    });
  });

  describe('validation', () => {
    it('requires the allocated storage of an instance, naming the field', () => {
      const message = thrown(() => build({ ...minimal, database: { kind: 'instance', identifier: 'shop-prod' } }));
      expect(message).toMatch(/database\.allocatedStorageGb is undefined/);
    });
  });
});
