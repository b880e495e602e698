import { CONFIG_FLAGS, flag, loadResolved, type Command, type Context } from '../command';
import type { BackplaneConfig } from '../../config';
import { UserError } from '../errors';
import { PLUGIN_INSTALL_URL, findPlugin, pluginArgs, runPlugin, shellQuote } from '../session-manager';
import { dataOwnerPrefix } from '../../config/preview-plan';

/** AWS's port-forwarding document to a host the target can reach (Session Manager, "Port forwarding to remote hosts"). */
export const PORT_FORWARD_DOCUMENT = 'AWS-StartPortForwardingSessionToRemoteHost';

interface DbEndpoint {
  readonly host: string;
  readonly port: number;
  readonly secretArn?: string;
  readonly user?: string;
}

export const dbTunnelCommand: Command = {
  name: 'db tunnel',
  summary: 'a local port to the database, forwarded through a running task of the service (Session Manager)',
  usage: 'db tunnel [--port <local port>] [--task <id>] [--config <file>] [--stage <name>]',
  description:
    `SSM StartSession with ${PORT_FORWARD_DOCUMENT} on a running task of <name>-<stage> (ECS Exec target\n` +
    'ecs:<cluster>_<taskId>_<runtimeId>) to the RDS endpoint, handed to the session-manager-plugin: the database stays\n' +
    'private, reachable only from the tasks. Prints how to connect (psql, the master secret to read the password from).\n' +
    `Without the plugin on PATH it prints the equivalent AWS CLI command and how to install it (${PLUGIN_INSTALL_URL}).`,
  flags: [
    ...CONFIG_FLAGS,
    { name: 'port', type: 'number', value: '<port>', description: 'the local port (default: 5432)' },
    { name: 'task', type: 'string', value: '<id>', description: 'task id (default: the first running task of the service)' },
  ],
  async run(args, ctx) {
    const { config } = loadResolved(args, ctx);
    if (!config.database) throw new UserError('the config has no database (database is not set): nothing to tunnel to');
    const cluster = `${config.name}-${config.stage}`;
    const localPort = flag.number(args, 'port') ?? 5432;
    const db = await databaseEndpoint(ctx, config);
    const target = await ecsTarget(ctx, config.region, cluster, flag.string(args, 'task'));
    const parameters = { host: [db.host], portNumber: [String(db.port)], localPortNumber: [String(localPort)] };
    printConnectHint(ctx, db, localPort);
    const plugin = findPlugin(ctx.io.env);
    if (!plugin) {
      const words = [
        'aws',
        'ssm',
        'start-session',
        '--region',
        config.region,
        '--target',
        target,
        '--document-name',
        PORT_FORWARD_DOCUMENT,
      ];
      ctx.io.err(`run instead: ${[...words, '--parameters', JSON.stringify(parameters)].map(shellQuote).join(' ')}`);
      throw new UserError(`session-manager-plugin is not on PATH: install it (${PLUGIN_INSTALL_URL}) and run again`);
    }
    const ssm = await import('@aws-sdk/client-ssm');
    const clientConfig = ctx.deps.aws.clientConfig(config.region);
    const client = new ssm.SSMClient(clientConfig);
    const request = { Target: target, DocumentName: PORT_FORWARD_DOCUMENT, Parameters: parameters };
    const session = await client.send(new ssm.StartSessionCommand(request));
    const endpoint = typeof clientConfig.endpoint === 'string' ? clientConfig.endpoint : `https://ssm.${config.region}.amazonaws.com`;
    const call = {
      session: { sessionId: session.SessionId, streamUrl: session.StreamUrl, tokenValue: session.TokenValue },
      region: config.region,
      request,
      profile: ctx.io.env.AWS_PROFILE,
      endpoint,
    };
    return runPlugin(plugin, pluginArgs(call), ctx.io.env);
  },
};

function printConnectHint(ctx: Context, db: DbEndpoint, localPort: number): void {
  ctx.io.err(`forwarding 127.0.0.1:${localPort} -> ${db.host}:${db.port} (Ctrl-C to close)`);
  ctx.io.err(`connect: psql "host=127.0.0.1 port=${localPort} user=${db.user ?? 'postgres'} dbname=postgres sslmode=require"`);
  if (db.secretArn)
    ctx.io.err(
      `password: aws secretsmanager get-secret-value --secret-id ${db.secretArn} --query SecretString --output text (field "password")`,
    );
}

/** The instance's (or Aurora cluster's writer) endpoint and its managed master secret. */
async function databaseEndpoint(ctx: Context, config: BackplaneConfig): Promise<DbEndpoint> {
  const rds = await import('@aws-sdk/client-rds');
  const client = new rds.RDSClient(ctx.deps.aws.clientConfig(config.region));
  const id = dataOwnerPrefix(config); // a preview stage tunnels to its parent's instance
  try {
    if (config.database?.engine === 'aurora-serverless') {
      const c = (await client.send(new rds.DescribeDBClustersCommand({ DBClusterIdentifier: id }))).DBClusters?.[0];
      if (c?.Endpoint) return { host: c.Endpoint, port: c.Port ?? 5432, secretArn: c.MasterUserSecret?.SecretArn, user: c.MasterUsername };
    } else {
      const i = (await client.send(new rds.DescribeDBInstancesCommand({ DBInstanceIdentifier: id }))).DBInstances?.[0];
      if (i?.Endpoint?.Address)
        return {
          host: i.Endpoint.Address,
          port: i.Endpoint.Port ?? 5432,
          secretArn: i.MasterUserSecret?.SecretArn,
          user: i.MasterUsername,
        };
    }
  } catch (err) {
    const name = (err as { name?: string }).name;
    if (name !== 'DBInstanceNotFoundFault' && name !== 'DBClusterNotFoundFault') throw err;
  }
  throw new UserError(`database ${id} not found (or has no endpoint yet): run \`backplane deploy\` first`);
}

/** `ecs:<cluster>_<taskId>_<runtimeId>` of the app container of a running task (the AWS CLI's ECS Exec target). */
async function ecsTarget(ctx: Context, region: string, cluster: string, task: string | undefined): Promise<string> {
  const ecs = await import('@aws-sdk/client-ecs');
  const client = new ecs.ECSClient(ctx.deps.aws.clientConfig(region));
  const id =
    task ?? (await client.send(new ecs.ListTasksCommand({ cluster, serviceName: cluster, desiredStatus: 'RUNNING' }))).taskArns?.[0];
  if (!id) throw new UserError(`no running task in service ${cluster}: deploy first or pass --task <id>`);
  const found = (await client.send(new ecs.DescribeTasksCommand({ cluster, tasks: [id] }))).tasks?.[0];
  const runtimeId = found?.containers?.find((c) => c.name === 'app')?.runtimeId;
  if (!found || !runtimeId)
    throw new UserError(`task ${id} of ${cluster} is not running an app container: pick one from \`backplane status\``);
  return `ecs:${cluster}_${(found.taskArn ?? id).split('/').pop()}_${runtimeId}`;
}
