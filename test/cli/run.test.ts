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
const aws = () => ({ region: 'us-east-1', endpoint: moto.endpoint, credentials: MOTO_CREDENTIALS });

beforeAll(async () => {
  moto = await startMoto();
  ecs = new ECSClient(aws());
  await ecs.send(new CreateClusterCommand({ clusterName: 'shop-dev' }));
  const td = await registerFargateTask(ecs, { family: 'shop-dev', container: 'app', streamPrefix: 'web', containerMemory: 512 });
  const networkConfiguration = { awsvpcConfiguration: (await taskNetwork(aws())).awsvpcConfiguration };
  await ecs.send(
    new CreateServiceCommand({
      cluster: 'shop-dev',
      serviceName: 'shop-dev',
      taskDefinition: td.taskDefinition?.taskDefinitionArn,
      desiredCount: 0,
      launchType: 'FARGATE',
      networkConfiguration,
    }),
  );
  await new CloudWatchLogsClient(aws()).send(new CreateLogGroupCommand({ logGroupName: '/ecs/shop-dev' }));
});
afterAll(() => moto?.stop());
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'backplane-run-'));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

const run = (argv: string[]) =>
  cli(['run', '--example', ...argv], { cwd: tmp, env: { BACKPLANE_RUN_POLL_MS: '200' }, deps: { aws: motoClients(moto.endpoint) } });

test('--no-wait: RunTask with the service task definition, network, the command and size overrides', async () => {
  const r = await run(['--no-wait', '--cpu', '512', '--memory', '1024', '--', 'echo', 'hi there']);
  expect(r.stderr).toContain('started arn:aws:ecs:us-east-1:');
  expect(r.code).toBe(0);
  const task = (await ecs.send(new DescribeTasksCommand({ cluster: 'shop-dev', tasks: [r.stdout.trim()] }))).tasks?.[0];
  expect(task?.startedBy).toBe('backplane-run');
  expect(task?.overrides?.containerOverrides?.[0]).toMatchObject({ name: 'app', command: ['echo', 'hi there'] });
  expect(task?.overrides).toMatchObject({ cpu: '512', memory: '1024' });
  expect(task?.taskDefinitionArn).toMatch(/task-definition\/shop-dev:1$/);
});

test("waits: streams the task's log stream, then exits with the container's exit code", async () => {
  const listRunning = () => ecs.send(new ListTasksCommand({ cluster: 'shop-dev', startedBy: 'backplane-run', desiredStatus: 'RUNNING' }));
  const before = new Set((await listRunning()).taskArns);
  const pending = run(['--', 'echo', 'hi']);
  let arn: string | undefined;
  while (!arn) {
    await new Promise((r) => setTimeout(r, 100));
    arn = (await listRunning()).taskArns?.find((a) => !before.has(a));
  }
  const logs = new CloudWatchLogsClient(aws());
  const logStreamName = `web/app/${arn.split('/').pop()}`;
  await logs.send(new CreateLogStreamCommand({ logGroupName: '/ecs/shop-dev', logStreamName }));
  await logs.send(
    new PutLogEventsCommand({ logGroupName: '/ecs/shop-dev', logStreamName, logEvents: [{ timestamp: Date.now(), message: 'line one' }] }),
  );
  await ecs.send(new StopTaskCommand({ cluster: 'shop-dev', task: arn, reason: 'stopped by the test' }));
  const r = await pending;
  expect(r.stdout).toContain('line one');
  const stopped = (await ecs.send(new DescribeTasksCommand({ cluster: 'shop-dev', tasks: [arn] }))).tasks?.[0];
  expect(stopped?.lastStatus).toBe('STOPPED');
  const exitCode = stopped?.containers?.find((c) => c.name === 'app')?.exitCode;
  expect(typeof exitCode).toBe('number');
  expect(r.code).toBe(exitCode);
});

test('without a command: a usage error', async () => {
  const r = await run([]);
  expect(r.code).not.toBe(0);
  expect(r.stderr).toContain('give the command after --');
});
