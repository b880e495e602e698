import { CONFIG_FLAGS, loadResolved, type Command } from '../command';
import { UserError } from '../errors';
import { startOneOffTask, waitAndStream, type OneOffTask } from '../one-off-task';

/** The migration task definition family and container the stack registers (src/presets/async-tier.ts). */
export const migrateFamily = (name: string, stage: string) => `${name}-${stage}-migrate`;

export const migrateCommand: Command = {
  name: 'migrate',
  summary: 'run the migration task (service.migrateCommand) once, stream its logs, exit with its exit code',
  usage: 'migrate [--no-wait] [--config <file>] [--stage <name>]',
  description:
    'RunTask of the task definition <name>-<stage>-migrate (the app image, environment, secrets and roles of the\n' +
    'service, the command service.migrateCommand) in the network of the service <name>-<stage>, startedBy\n' +
    "backplane-migrate. Streams the task's CloudWatch log stream until it stops and exits with the container's exit code.",
  flags: [
    ...CONFIG_FLAGS,
    { name: 'wait', type: 'boolean', description: 'wait and stream its logs (default; --no-wait prints the task ARN)' },
  ],
  async run(args, ctx) {
    const { config } = loadResolved(args, ctx);
    if (!config.service.migrateCommand?.length)
      throw new UserError('the config has no migration: set service.migrateCommand (e.g. ["bun", "run", "migrate"]) and deploy');
    const task: OneOffTask = {
      ctx,
      region: config.region,
      cluster: `${config.name}-${config.stage}`,
      taskDefinition: migrateFamily(config.name, config.stage),
      containerName: 'migrate',
      startedBy: 'backplane-migrate',
    };
    const started = await startOneOffTask(task);
    if (args.flags.wait === false) {
      ctx.io.out(started.taskArn);
      return 0;
    }
    return waitAndStream(task, started);
  },
};
