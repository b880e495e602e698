import { CONFIG_FLAGS, flag, loadResolved, type Command, type Context } from '../command';
import { UserError, UsageError } from '../errors';

type Ecs = typeof import('@aws-sdk/client-ecs');
type Logs = typeof import('@aws-sdk/client-cloudwatch-logs');

export const runCommand: Command = {
  name: 'run',
  summary: "run a one-off task (the service's task definition, network and roles) with a command, stream its logs",
  usage: 'run [--no-wait] [--cpu <units>] [--memory <MiB>] [--config <file>] -- COMMAND...',
  description:
    'RunTask with the task definition, subnets, security groups and public-IP setting of the service <name>-<stage>\n' +
    '(read from DescribeServices), the container command replaced by COMMAND, startedBy backplane-run. Streams the\n' +
    "task's CloudWatch log stream until it stops and exits with the container's exit code.",
  flags: [
    ...CONFIG_FLAGS,
    { name: 'wait', type: 'boolean', description: 'wait for the task and stream its logs (default; --no-wait prints the task ARN)' },
    { name: 'cpu', type: 'number', value: '<units>', description: 'task CPU override (1024 = 1 vCPU)' },
    { name: 'memory', type: 'number', value: '<MiB>', description: 'task memory override' },
  ],
  positionals: true,
  async run(args, ctx) {
    if (!args.positionals.length) throw new UsageError('give the command after --, e.g. `backplane run -- echo hi`');
    const { config } = loadResolved(args, ctx);
    const cluster = `${config.name}-${config.stage}`;
    const ecs = await import('@aws-sdk/client-ecs');
    const client = new ecs.ECSClient(ctx.deps.aws.clientConfig(config.region));
    const service = (await client.send(new ecs.DescribeServicesCommand({ cluster, services: [cluster] }))).services?.[0];
    if (!service?.taskDefinition) throw new UserError(`service ${cluster} not found: run \`backplane deploy\` first`);
    const cpu = flag.number(args, 'cpu');
    const memory = flag.number(args, 'memory');
    const started = await client.send(
      new ecs.RunTaskCommand({
        cluster,
        taskDefinition: service.taskDefinition,
        launchType: 'FARGATE',
        networkConfiguration: service.networkConfiguration,
        startedBy: 'backplane-run',
        overrides: {
          ...(cpu !== undefined ? { cpu: String(cpu) } : {}),
          ...(memory !== undefined ? { memory: String(memory) } : {}),
          containerOverrides: [{ name: 'app', command: [...args.positionals] }],
        },
      }),
    );
    const taskArn = started.tasks?.[0]?.taskArn;
    if (!taskArn) throw new UserError(`RunTask started no task: ${started.failures?.[0]?.reason ?? 'no reason given'}`);
    ctx.io.err(`started ${taskArn}`);
    if (args.flags.wait === false) {
      ctx.io.out(taskArn);
      return 0;
    }
    return waitAndStream({ ctx, ecs, client, cluster, taskArn, taskDefinition: service.taskDefinition, region: config.region });
  },
};

interface Waiting {
  readonly ctx: Context;
  readonly ecs: Ecs;
  readonly client: InstanceType<Ecs['ECSClient']>;
  readonly cluster: string;
  readonly taskArn: string;
  readonly taskDefinition: string;
  readonly region: string;
}

/** Polls DescribeTasks, printing new log events, until the task stops; returns the app container's exit code. */
async function waitAndStream(w: Waiting): Promise<number> {
  const logs: Logs = await import('@aws-sdk/client-cloudwatch-logs');
  const logClient = new logs.CloudWatchLogsClient(w.ctx.deps.aws.clientConfig(w.region));
  const stream = await logStream(w);
  const pollMs = Number(w.ctx.io.env.BACKPLANE_RUN_POLL_MS) || 3000;
  let token: string | undefined;
  for (;;) {
    const task = (await w.client.send(new w.ecs.DescribeTasksCommand({ cluster: w.cluster, tasks: [w.taskArn] }))).tasks?.[0];
    if (stream) token = await printEvents(w.ctx, logClient, logs, stream, token);
    if (task?.lastStatus === 'STOPPED') {
      const exitCode = task.containers?.find((c) => c.name === 'app')?.exitCode;
      if (exitCode === undefined) throw new UserError(`task stopped without an exit code: ${task.stoppedReason ?? 'no reason given'}`);
      return exitCode;
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/** The task's stream `<awslogs-stream-prefix>/app/<taskId>` in `awslogs-group`, from the task definition. */
async function logStream(w: Waiting): Promise<{ group: string; name: string } | undefined> {
  const td = (await w.client.send(new w.ecs.DescribeTaskDefinitionCommand({ taskDefinition: w.taskDefinition }))).taskDefinition;
  const options = td?.containerDefinitions?.find((c) => c.name === 'app')?.logConfiguration?.options;
  const group = options?.['awslogs-group'];
  if (!group) return undefined;
  return { group, name: `${options?.['awslogs-stream-prefix'] ?? 'app'}/app/${w.taskArn.split('/').pop()}` };
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
