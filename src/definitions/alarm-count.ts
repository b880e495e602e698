/**
 * How many alarms src/constructs/alarms.ts creates: a plain function (no cdktn), so `backplane cost` prices alarms
 * without loading the constructs.
 */

/** The alarms the construct creates for a configuration: the cost estimator's count (a test keeps both in step). */
export function alarmCount(o: {
  deadLetterQueues: number;
  cron: boolean;
  database?: 'instance' | 'cluster';
  cache: boolean;
  maxConnections?: boolean;
}): number {
  const always = 6; // ELB 5xx rate, target 5xx rate, unhealthy hosts, p99 latency, ECS CPU, ECS memory
  const cron = o.cron ? 2 : 0; // target errors, dropped invocations
  const database = o.database ? 1 + (o.database === 'instance' ? 1 : 0) + (o.maxConnections ? 1 : 0) : 0;
  return always + o.deadLetterQueues + cron + database + (o.cache ? 2 : 0);
}
