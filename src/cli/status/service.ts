/** The ECS half of `backplane status`: deployments, task counts, recently stopped tasks, target health. */
import type { Context } from '../command';

export interface DeploymentStatus {
  readonly id?: string;
  readonly status?: string;
  readonly rolloutState?: string;
  readonly rolloutStateReason?: string;
  readonly taskDefinition?: string;
  readonly running?: number;
  readonly desired?: number;
  readonly pending?: number;
  readonly failedTasks?: number;
  readonly createdAt?: string;
  readonly updatedAt?: string;
}

export interface StoppedTask {
  readonly taskArn?: string;
  readonly stoppedAt?: string;
  readonly stoppedReason?: string;
  readonly stopCode?: string;
  readonly containers: { name?: string; exitCode?: number; reason?: string }[];
}

export interface ServiceStatus {
  readonly name: string;
  readonly status?: string;
  readonly running?: number;
  readonly desired?: number;
  readonly pending?: number;
  readonly deployments: DeploymentStatus[];
  readonly stoppedTasks: StoppedTask[];
  readonly targets: { id?: string; port?: number; state?: string; reason?: string; description?: string }[];
  readonly events: string[];
  /** The latest deployment ECS rolled back (circuit breaker), from the service events since the previous steady state. */
  readonly rolledBack?: string;
  /** The 20 newest service events, newest first, with ECS's ids (what `deploy` compares with the events before it). */
  readonly recentEvents: { readonly id?: string; readonly at?: string; readonly message: string }[];
}

const iso = (d?: Date) => d?.toISOString();

/** The service `<cluster>` or undefined when it is not deployed. */
export async function serviceStatus(ctx: Context, region: string, cluster: string): Promise<ServiceStatus | undefined> {
  const ecs = await import('@aws-sdk/client-ecs');
  const client = new ecs.ECSClient(ctx.deps.aws.clientConfig(region));
  let described;
  try {
    described = (await client.send(new ecs.DescribeServicesCommand({ cluster, services: [cluster] }))).services?.[0];
  } catch (err) {
    if ((err as { name?: string }).name === 'ClusterNotFoundException') return undefined;
    throw err;
  }
  if (!described || described.status === 'INACTIVE') return undefined;
  const deployments: DeploymentStatus[] = (described.deployments ?? []).map((d) => ({
    id: d.id,
    status: d.status,
    rolloutState: d.rolloutState,
    rolloutStateReason: d.rolloutStateReason,
    taskDefinition: d.taskDefinition?.split('/').pop(),
    running: d.runningCount,
    desired: d.desiredCount,
    pending: d.pendingCount,
    failedTasks: d.failedTasks,
    createdAt: iso(d.createdAt),
    updatedAt: iso(d.updatedAt),
  }));
  const stopped = await stoppedTasks(client, ecs, cluster);
  const targetGroup = described.loadBalancers?.[0]?.targetGroupArn;
  return {
    name: cluster,
    status: described.status,
    running: described.runningCount,
    desired: described.desiredCount,
    pending: described.pendingCount,
    deployments,
    stoppedTasks: stopped,
    targets: targetGroup ? await targetHealth(ctx, region, targetGroup) : [],
    events: (described.events ?? []).slice(0, 5).map((e) => `${iso(e.createdAt) ?? ''} ${e.message ?? ''}`.trim()),
    rolledBack: rolledBack(described.events ?? []),
    recentEvents: (described.events ?? []).slice(0, 20).map((e) => ({ id: e.id, at: iso(e.createdAt), message: e.message ?? '' })),
  };
}

type Ecs = typeof import('@aws-sdk/client-ecs');

/**
 * ECS reports a circuit-breaker rollback only in the service events ("deployment X deployment failed: ...", then
 * "rolling back to deployment Y"); afterwards the rolled-back deployment is PRIMARY and COMPLETED. Events are newest
 * first: a rollback event before (i.e. newer than) the last-but-one steady state belongs to the latest deployment.
 */
function rolledBack(events: readonly { message?: string }[]): string | undefined {
  let steady = 0;
  for (const e of events.slice(0, 20)) {
    const m = e.message ?? '';
    if (/has reached a steady state/.test(m) && ++steady > 1) return undefined;
    if (isRollbackEvent(m)) return m;
  }
  return undefined;
}

/** A service event of a circuit-breaker rollback: "deployment X deployment failed: ..." or "rolling back to ...". */
export const isRollbackEvent = (message: string): boolean => /deployment failed|rolling back/.test(message);

/** The five most recently stopped tasks of the service, newest first, with ECS's reasons. */
async function stoppedTasks(client: InstanceType<Ecs['ECSClient']>, ecs: Ecs, cluster: string): Promise<StoppedTask[]> {
  const arns = (await client.send(new ecs.ListTasksCommand({ cluster, serviceName: cluster, desiredStatus: 'STOPPED' }))).taskArns ?? [];
  if (!arns.length) return [];
  const tasks = (await client.send(new ecs.DescribeTasksCommand({ cluster, tasks: arns.slice(0, 100) }))).tasks ?? [];
  // A service's tasks are in the task group "service:<name>" (ECS sets it); one-off tasks (`backplane run`) are not.
  return tasks
    .filter((t) => t.group === `service:${cluster}`)
    .sort((a, b) => (b.stoppedAt?.getTime() ?? 0) - (a.stoppedAt?.getTime() ?? 0))
    .slice(0, 5)
    .map((t) => ({
      taskArn: t.taskArn,
      stoppedAt: iso(t.stoppedAt),
      stoppedReason: t.stoppedReason,
      stopCode: t.stopCode,
      containers: (t.containers ?? []).map((c) => ({ name: c.name, exitCode: c.exitCode, reason: c.reason })),
    }));
}

async function targetHealth(ctx: Context, region: string, targetGroupArn: string): Promise<ServiceStatus['targets']> {
  const elb = await import('@aws-sdk/client-elastic-load-balancing-v2');
  const client = new elb.ElasticLoadBalancingV2Client(ctx.deps.aws.clientConfig(region));
  try {
    const health = await client.send(new elb.DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn }));
    return (health.TargetHealthDescriptions ?? []).map((t) => ({
      id: t.Target?.Id,
      port: t.Target?.Port,
      state: t.TargetHealth?.State,
      reason: t.TargetHealth?.Reason,
      description: t.TargetHealth?.Description,
    }));
  } catch (err) {
    if ((err as { name?: string }).name === 'TargetGroupNotFoundException') return [];
    throw err;
  }
}
