import { CONFIG_FLAGS, JSON_FLAG, json, loadResolved, type Command, type Context } from '../command';
import { UserError } from '../errors';
import { alarmsFiring, cacheStatus, databaseStatus, queueDepths, type QueueDepth } from '../status/resources';
import { serviceStatus, type ServiceStatus } from '../status/service';

export interface StackStatus {
  readonly stack: string;
  readonly service: ServiceStatus;
  readonly alarms: { name?: string; reason?: string; since?: string }[];
  readonly queues: QueueDepth[];
  readonly database?: string;
  readonly cache?: string;
}

export const statusCommand: Command = {
  name: 'status',
  summary: "what is running: deployments (rolled back, and why), tasks, stopped tasks' reasons, targets, alarms, queues, data tier",
  usage: 'status [--json] [--config <file>] [--stage <name>]',
  description:
    'Reads <name>-<stage> through the AWS SDK: the ECS service (each deployment with its rollout state and reason, running/\n' +
    'desired/pending tasks, the last stopped tasks with their stop reasons and exit codes, recent service events), the\n' +
    "health of its load balancer's targets, CloudWatch alarms in ALARM, each queue's depth and dead letters, and the\n" +
    "database's and cache's status. Exits 1 when the last deployment failed or was rolled back, or an alarm is firing (for scripts).",
  flags: [...CONFIG_FLAGS, JSON_FLAG],
  async run(args, ctx) {
    const { config } = loadResolved(args, ctx);
    const stack = `${config.name}-${config.stage}`;
    const service = await serviceStatus(ctx, config.region, stack);
    if (!service) throw new UserError(`service ${stack} is not deployed in ${config.region}: run \`backplane deploy\` first`);
    const [alarms, queues, database, cache] = await Promise.all([
      alarmsFiring(ctx, config.region, stack),
      queueDepths(ctx, config),
      databaseStatus(ctx, config),
      cacheStatus(ctx, config),
    ]);
    const status: StackStatus = { stack, service, alarms, queues, database, cache };
    if (args.flags.json === true) ctx.io.out(json(status));
    else render(ctx, status);
    const failed = service.deployments.some((d) => d.rolloutState === 'FAILED') || Boolean(service.rolledBack) || alarms.length > 0;
    return failed ? 1 : 0;
  },
};

function render(ctx: Context, s: StackStatus): void {
  const out = (line: string) => ctx.io.out(line);
  const v = s.service;
  out(`${s.stack}: service ${v.status ?? '?'}, tasks ${v.running ?? 0} running / ${v.desired ?? 0} desired / ${v.pending ?? 0} pending`);
  out('deployments:');
  for (const d of v.deployments) {
    const reason = d.rolloutStateReason ? ` (${d.rolloutStateReason})` : '';
    out(
      `  ${d.status ?? '?'} ${d.taskDefinition ?? '?'}: ${d.rolloutState ?? 'unknown'}${reason}, ${d.running ?? 0}/${d.desired ?? 0} running, ${d.failedTasks ?? 0} failed, since ${d.createdAt ?? '?'}`,
    );
  }
  if (v.rolledBack) out(`LAST DEPLOYMENT ROLLED BACK: ${v.rolledBack}`);
  if (v.stoppedTasks.length) out('recently stopped tasks:');
  for (const t of v.stoppedTasks) {
    const containers = t.containers.map((c) => `${c.name} exit ${c.exitCode ?? '-'}${c.reason ? ` (${c.reason})` : ''}`).join(', ');
    out(`  ${t.taskArn?.split('/').pop()} at ${t.stoppedAt ?? '?'}: ${t.stoppedReason ?? t.stopCode ?? 'no reason given'}; ${containers}`);
  }
  if (v.targets.length)
    out(`targets: ${v.targets.map((t) => `${t.id}:${t.port} ${t.state}${t.reason ? ` (${t.reason})` : ''}`).join(', ')}`);
  out(s.alarms.length ? `ALARMS firing: ${s.alarms.map((a) => `${a.name} (${a.reason ?? ''})`).join('; ')}` : 'alarms: none firing');
  for (const q of s.queues) {
    const depth =
      q.visible === undefined ? 'not deployed' : `${q.visible} waiting, ${q.inFlight ?? 0} in flight, ${q.deadLetters ?? 0} dead letters`;
    out(`queue ${q.queue}: ${depth}`);
  }
  if (v.events.length) out(['recent events:', ...v.events.map((e) => `  ${e}`)].join('\n'));
  if (s.database) out(`database: ${s.database}`);
  if (s.cache) out(`cache: ${s.cache}`);
}
