/**
 * One-off ECS tasks (`backplane run`, `backplane migrate`): RunTask in the service's network, then poll the task,
 * printing its CloudWatch log stream, until it stops; the container's exit code becomes the command's.
 */
import { setTimeout as sleep } from 'timers/promises';
import type { Context } from './command';
import { UserError } from './errors';

type Ecs = typeof import('@aws-sdk/client-ecs');
type Logs = typeof import('@aws-sdk/client-cloudwatch-logs');
type EcsClient = InstanceType<Ecs['ECSClient']>;

export interface OneOffTask {
  readonly ctx: Context;
  readonly region: string;
  /** `<name>-<stage>`: the cluster and the service whose network the task joins. */
  readonly cluster: string;
  /** The task definition (ARN or family) to run. @default the service's */
  readonly taskDefinition?: string;
  /** The container whose command, logs and exit code count. */
  readonly containerName: string;
  readonly command?: readonly string[];
  readonly cpu?: number;
  readonly memory?: number;
  /** RunTask's startedBy, e.g. backplane-run. */
  readonly startedBy: string;
}

export interface Started {
  readonly taskDefinition: string;
  readonly ecs: Ecs;
  readonly client: EcsClient;
  readonly taskArn: string;
}

/** The service `<cluster>` (same name), or a one-line error telling to deploy first. */
export async function describeService(ctx: Context, region: string, cluster: string) {
  const ecs: Ecs = await import('@aws-sdk/client-ecs');
  const client = new ecs.ECSClient(ctx.deps.aws.clientConfig(region));
  const service = (await client.send(new ecs.DescribeServicesCommand({ cluster, services: [cluster] }))).services?.[0];
  if (!service?.taskDefinition || service.status === 'INACTIVE')
    throw new UserError(`service ${cluster} not found: run \`backplane deploy\` first`);
  return { ecs, client, service };
}

/** RunTask with the service's subnets, security groups and public-IP setting. */
export async function startOneOffTask(t: OneOffTask): Promise<Started> {
  const { ecs, client, service } = await describeService(t.ctx, t.region, t.cluster);
  const taskDefinition = t.taskDefinition ?? (service.taskDefinition as string);
  const started = await client.send(
    new ecs.RunTaskCommand({
      cluster: t.cluster,
      taskDefinition,
      launchType: 'FARGATE',
      networkConfiguration: service.networkConfiguration,
      startedBy: t.startedBy,
      overrides: {
        ...(t.cpu !== undefined ? { cpu: String(t.cpu) } : {}),
        ...(t.memory !== undefined ? { memory: String(t.memory) } : {}),
        containerOverrides: t.command ? [{ name: t.containerName, command: [...t.command] }] : [],
      },
    }),
  );
  const taskArn = started.tasks?.[0]?.taskArn;
  if (!taskArn) throw new UserError(`RunTask started no task: ${started.failures?.[0]?.reason ?? 'no reason given'}`);
  t.ctx.io.err(`started ${taskArn}`);
  return { taskDefinition, ecs, client, taskArn };
}

/** Polls DescribeTasks, printing new log events, until the task stops; returns the container's exit code. */
export async function waitAndStream(t: OneOffTask, s: Started): Promise<number> {
  const logs: Logs = await import('@aws-sdk/client-cloudwatch-logs');
  const logClient = new logs.CloudWatchLogsClient(t.ctx.deps.aws.clientConfig(t.region));
  const task0 = (await s.client.send(new s.ecs.DescribeTasksCommand({ cluster: t.cluster, tasks: [s.taskArn] }))).tasks?.[0];
  const stream = await logStream(t, s, task0?.taskDefinitionArn ?? s.taskDefinition);
  const pollMs = Number(t.ctx.io.env.BACKPLANE_RUN_POLL_MS) || 3000;
  let token: string | undefined;
  for (;;) {
    const task = (await s.client.send(new s.ecs.DescribeTasksCommand({ cluster: t.cluster, tasks: [s.taskArn] }))).tasks?.[0];
    if (stream) token = await printEvents(t.ctx, logClient, logs, stream, token);
    if (task?.lastStatus === 'STOPPED') {
      const exitCode = task.containers?.find((c) => c.name === t.containerName)?.exitCode;
      if (exitCode === undefined) throw new UserError(`task stopped without an exit code: ${task.stoppedReason ?? 'no reason given'}`);
      return exitCode;
    }
    await sleep(pollMs);
  }
}

/** The task's stream `<awslogs-stream-prefix>/<container>/<taskId>` in `awslogs-group`, from the task definition. */
async function logStream(t: OneOffTask, s: Started, taskDefinition: string): Promise<{ group: string; name: string } | undefined> {
  const td = (await s.client.send(new s.ecs.DescribeTaskDefinitionCommand({ taskDefinition }))).taskDefinition;
  const options = td?.containerDefinitions?.find((c) => c.name === t.containerName)?.logConfiguration?.options;
  const group = options?.['awslogs-group'];
  if (!group) return undefined;
  return { group, name: `${options?.['awslogs-stream-prefix'] ?? t.containerName}/${t.containerName}/${s.taskArn.split('/').pop()}` };
}

async function printEvents(
  ctx: Context,
  client: InstanceType<Logs['CloudWatchLogsClient']>,
  logs: Logs,
  stream: { group: string; name: string },
  token: string | undefined,
): Promise<string | undefined> {
  try {
    const page = await client.send(
      new logs.GetLogEventsCommand({ logGroupName: stream.group, logStreamName: stream.name, startFromHead: true, nextToken: token }),
    );
    for (const event of page.events ?? []) ctx.io.out(event.message ?? '');
    return page.nextForwardToken ?? token;
  } catch (err) {
    if ((err as { name?: string }).name === 'ResourceNotFoundException') return token; // the stream appears once the task starts
    throw err;
  }
}
