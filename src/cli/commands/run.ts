import { CONFIG_FLAGS, flag, loadResolved, type Command } from '../command';
import { UsageError } from '../errors';
import { startOneOffTask, waitAndStream, type OneOffTask } from '../one-off-task';

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
    const task: OneOffTask = {
      ctx,
      region: config.region,
      cluster,
      containerName: 'app',
      command: args.positionals,
      cpu: flag.number(args, 'cpu'),
      memory: flag.number(args, 'memory'),
      startedBy: 'backplane-run',
    };
    const started = await startOneOffTask(task);
    if (args.flags.wait === false) {
      ctx.io.out(started.taskArn);
      return 0;
    }
    return waitAndStream(task, started);
  },
};
