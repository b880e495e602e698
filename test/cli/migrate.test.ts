import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand,
  StopTaskCommand,
} from '@aws-sdk/client-ecs';
import { cli, motoClients } from './support/cli';
import { registerFargateTask, taskNetwork } from './support/ecs-fixture';
import { startMoto, type MotoServer } from '../e2e/lib/moto';
import { MOTO_CREDENTIALS } from './support/moto';

jest.setTimeout(60_000);

let moto: MotoServer; // with the gap patches: RunTask with awsvpc is patches/ecs_exec.py
let tmp: string;
let ecs: ECSClient;
let subnet: string;
const aws = () => ({ region: 'us-east-1', endpoint: moto.endpoint, credentials: MOTO_CREDENTIALS });
const CONFIG = {
  name: 'shop',
  domain: 'example.com',
  service: { imageTag: 'v1', migrateCommand: ['bun', 'run', 'migrate'] },
  edge: { mode: 'subdomain' },
};

/** What the stack registers: the service's task definition and the migration task definition `<prefix>-migrate`. */
const register = (family: string, container: string, streamPrefix: string, containerMemory: number | undefined = 512) =>
  registerFargateTask(ecs, { family, container, streamPrefix, containerMemory });

beforeAll(async () => {
  moto = await startMoto();
  ecs = new ECSClient(aws());
  await ecs.send(new CreateClusterCommand({ clusterName: 'shop-dev' }));
  const service = await register('shop-dev', 'app', 'web');
  // As the stack registers it: sized at the task level only (the shim's ecs.run_task_memory).
  await register('shop-dev-migrate', 'migrate', 'migrate', undefined);
  const network = await taskNetwork(aws());
  subnet = network.subnet;
  await ecs.send(
    new CreateServiceCommand({
      cluster: 'shop-dev',
      serviceName: 'shop-dev',
      taskDefinition: service.taskDefinition?.taskDefinitionArn,
      desiredCount: 0,
      launchType: 'FARGATE',
      networkConfiguration: { awsvpcConfiguration: network.awsvpcConfiguration },
    }),
  );
  await new CloudWatchLogsClient(aws()).send(new CreateLogGroupCommand({ logGroupName: '/ecs/shop-dev' }));
});
afterAll(() => moto?.stop());
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'backplane-migrate-'));
  fs.writeFileSync(path.join(tmp, 'backplane.config.json'), JSON.stringify(CONFIG));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

const migrate = (argv: string[]) =>
  cli(['migrate', '--config', 'backplane.config.json', ...argv], {
    cwd: tmp,
    env: { BACKPLANE_RUN_POLL_MS: '200' },
    deps: { aws: motoClients(moto.endpoint) },
  });

test("--no-wait: RunTask of <name>-<stage>-migrate in the service's network", async () => {
  const r = await migrate(['--no-wait']);
  expect(r.code).toBe(0);
  const task = (await ecs.send(new DescribeTasksCommand({ cluster: 'shop-dev', tasks: [r.stdout.trim()] }))).tasks?.[0];
  expect(task?.startedBy).toBe('backplane-migrate');
  expect(task?.taskDefinitionArn).toMatch(/task-definition\/shop-dev-migrate:1$/);
  expect(task?.overrides?.containerOverrides ?? []).toEqual([]); // the task definition's own command
  expect(JSON.stringify(task?.attachments)).toContain(subnet);
});

test("waits: streams the migration's log stream and exits with its exit code", async () => {
  const list = () => ecs.send(new ListTasksCommand({ cluster: 'shop-dev', startedBy: 'backplane-migrate', desiredStatus: 'RUNNING' }));
  const before = new Set((await list()).taskArns);
  const pending = migrate([]);
  let arn: string | undefined;
  while (!arn) {
    await new Promise((r) => setTimeout(r, 100));
    arn = (await list()).taskArns?.find((a) => !before.has(a));
  }
  const logs = new CloudWatchLogsClient(aws());
  const logStreamName = `migrate/migrate/${arn.split('/').pop()}`;
  await logs.send(new CreateLogStreamCommand({ logGroupName: '/ecs/shop-dev', logStreamName }));
  await logs.send(
    new PutLogEventsCommand({
      logGroupName: '/ecs/shop-dev',
      logStreamName,
      logEvents: [{ timestamp: Date.now(), message: 'applied 3 migrations' }],
    }),
  );
  await ecs.send(new StopTaskCommand({ cluster: 'shop-dev', task: arn, reason: 'stopped by the test' }));
  const r = await pending;
  expect(r.stdout).toContain('applied 3 migrations');
  const stopped = (await ecs.send(new DescribeTasksCommand({ cluster: 'shop-dev', tasks: [arn] }))).tasks?.[0];
  expect(r.code).toBe(stopped?.containers?.find((c) => c.name === 'migrate')?.exitCode);
});

test('a config without service.migrateCommand: one line saying what to set', async () => {
  fs.writeFileSync(path.join(tmp, 'backplane.config.json'), JSON.stringify({ ...CONFIG, service: { imageTag: 'v1' } }));
  const r = await migrate([]);
  expect(r.code).toBe(1);
  expect(r.stderr).toContain('set service.migrateCommand');
});
