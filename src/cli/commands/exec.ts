import { CONFIG_FLAGS, flag, loadResolved, type Command } from '../command';
import { UserError } from '../errors';
import { PLUGIN_INSTALL_URL, findPlugin, pluginArgs, runPlugin, shellQuote } from '../session-manager';

export const execCommand: Command = {
  name: 'exec',
  summary: 'open a shell (or run a command) in a running task of the service (ECS Exec)',
  usage: 'exec [--task <id>] [--container <name>] [--config <file>] [-- COMMAND...]',
  description:
    'Calls ECS ExecuteCommand on a running task of <name>-<stage> (the service runs with enableExecuteCommand;\n' +
    'sessions are logged to /ecs/<name>-<stage>/exec) and hands the session to the session-manager-plugin.\n' +
    `Without the plugin on PATH it prints the equivalent AWS CLI command and how to install it (${PLUGIN_INSTALL_URL}).\n` +
    'The command defaults to /bin/sh.',
  flags: [
    ...CONFIG_FLAGS,
    { name: 'task', type: 'string', value: '<id>', description: 'task id or ARN (default: the first running task of the service)' },
    { name: 'container', type: 'string', value: '<name>', description: 'container name (default: app)' },
  ],
  positionals: true,
  async run(args, ctx) {
    const { config } = loadResolved(args, ctx);
    const cluster = `${config.name}-${config.stage}`;
    const container = flag.string(args, 'container') ?? 'app';
    const command = args.positionals.length ? args.positionals.map(shellQuote).join(' ') : '/bin/sh';
    const ecs = await import('@aws-sdk/client-ecs');
    const clientConfig = ctx.deps.aws.clientConfig(config.region);
    const client = new ecs.ECSClient(clientConfig);
    const task = flag.string(args, 'task') ?? (await firstRunningTask(client, ecs, cluster));
    const plugin = findPlugin(ctx.io.env);
    if (!plugin) {
      const words = ['aws', 'ecs', 'execute-command', '--region', config.region, '--cluster', cluster, '--task', task];
      ctx.io.err(`run instead: ${[...words, '--container', container, '--interactive', '--command', command].map(shellQuote).join(' ')}`);
      throw new UserError(`session-manager-plugin is not on PATH: install it (${PLUGIN_INSTALL_URL}) and run again`);
    }
    const described = await client.send(new ecs.DescribeTasksCommand({ cluster, tasks: [task] }));
    const found = described.tasks?.[0];
    const runtimeId = found?.containers?.find((c) => c.name === container)?.runtimeId;
    if (!found) throw new UserError(`task ${task} not found in cluster ${cluster}: pick one from \`backplane status\``);
    const session = (await client.send(new ecs.ExecuteCommandCommand({ cluster, task, container, command, interactive: true }))).session;
    if (!session) throw new UserError(`ECS ExecuteCommand returned no session for task ${task}: check that ECS Exec is enabled`);
    const taskId = (found.taskArn ?? task).split('/').pop();
    const endpoint = typeof clientConfig.endpoint === 'string' ? clientConfig.endpoint : `https://ecs.${config.region}.amazonaws.com`;
    // The target the AWS CLI builds for ECS Exec: ecs:<cluster>_<taskId>_<runtimeId> (executecommand.py).
    const request = { Target: `ecs:${cluster}_${taskId}_${runtimeId ?? ''}` };
    const call = { session, region: config.region, request, profile: ctx.io.env.AWS_PROFILE, endpoint };
    return runPlugin(plugin, pluginArgs(call), ctx.io.env);
  },
};

type Ecs = typeof import('@aws-sdk/client-ecs');

async function firstRunningTask(client: InstanceType<Ecs['ECSClient']>, ecs: Ecs, cluster: string): Promise<string> {
  const listed = await client.send(new ecs.ListTasksCommand({ cluster, serviceName: cluster, desiredStatus: 'RUNNING' }));
  const arn = listed.taskArns?.[0];
  if (!arn) throw new UserError(`no running task in service ${cluster}: deploy first or pass --task <id>`);
  return arn.split('/').pop() as string;
}
