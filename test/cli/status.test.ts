import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CloudWatchClient, PutMetricAlarmCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { CreateQueueCommand, GetQueueUrlCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { cli, motoClients } from './support/cli';
import { taskNetwork } from './support/ecs-fixture';
import { startMoto, type MotoServer } from '../e2e/lib/moto';
import { MOTO_CREDENTIALS } from './support/moto';

jest.setTimeout(60_000);

// With the shim: deployments reach a steady state; an image containing "e2e-unhealthy" fails and, with the circuit
// breaker's rollback, is rolled back as ECS does (test/e2e/moto/patches/ecs.py).
let moto: MotoServer;
let tmp: string;
let ecs: ECSClient;
let network: { awsvpcConfiguration: { subnets: string[]; securityGroups: string[] } };
const aws = () => ({ region: 'us-east-1', endpoint: moto.endpoint, credentials: MOTO_CREDENTIALS });
const CONFIG = { name: 'shop', domain: 'example.com', service: { imageTag: 'v1' }, edge: { mode: 'subdomain' }, queues: { mail: {} } };

const taskDefinition = async (image: string) =>
  (
    await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'shop-dev',
        requiresCompatibilities: ['FARGATE'],
        networkMode: 'awsvpc',
        cpu: '256',
        memory: '512',
        containerDefinitions: [{ name: 'app', image, cpu: 256, memory: 512 }],
      }),
    )
  ).taskDefinition?.taskDefinitionArn;

beforeAll(async () => {
  moto = await startMoto();
  ecs = new ECSClient(aws());
  await ecs.send(new CreateClusterCommand({ clusterName: 'shop-dev' }));
  network = { awsvpcConfiguration: (await taskNetwork(aws())).awsvpcConfiguration };
  await ecs.send(
    new CreateServiceCommand({
      cluster: 'shop-dev',
      serviceName: 'shop-dev',
      taskDefinition: await taskDefinition('shop:v1'),
      desiredCount: 1,
      launchType: 'FARGATE',
      networkConfiguration: network,
      deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } },
    }),
  );
  const sqs = new SQSClient(aws());
  await sqs.send(new CreateQueueCommand({ QueueName: 'shop-dev-mail' }));
  await sqs.send(new CreateQueueCommand({ QueueName: 'shop-dev-mail-dlq' }));
  const url = async (q: string) => (await sqs.send(new GetQueueUrlCommand({ QueueName: q }))).QueueUrl;
  for (const body of ['a', 'b']) await sqs.send(new SendMessageCommand({ QueueUrl: await url('shop-dev-mail'), MessageBody: body }));
  await sqs.send(new SendMessageCommand({ QueueUrl: await url('shop-dev-mail-dlq'), MessageBody: 'poison' }));
});
afterAll(() => moto?.stop());
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'backplane-status-'));
  fs.writeFileSync(path.join(tmp, 'backplane.config.json'), JSON.stringify(CONFIG));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

const status = async () => {
  const r = await cli(['status', '--config', 'backplane.config.json', '--json'], { cwd: tmp, deps: { aws: motoClients(moto.endpoint) } });
  return { ...r, json: r.stdout ? JSON.parse(r.stdout) : undefined };
};

test('after a deploy: the completed deployment, task counts, queue depths and dead letters; exit 0', async () => {
  const r = await status();
  expect(r.code).toBe(0);
  expect(r.json.service).toMatchObject({ running: 1, desired: 1 });
  expect(r.json.service.deployments).toEqual([
    expect.objectContaining({ status: 'PRIMARY', rolloutState: 'COMPLETED', taskDefinition: 'shop-dev:1' }),
  ]);
  expect(r.json.service.rolledBack).toBeUndefined();
  expect(r.json.queues).toEqual([{ queue: 'mail', visible: 2, inFlight: 0, deadLetters: 1 }]);
  expect(r.json.alarms).toEqual([]);
});

test("stopped tasks of the service with ECS's reasons, not one-off tasks", async () => {
  const start = async (group?: string) =>
    (
      await ecs.send(
        new RunTaskCommand({
          cluster: 'shop-dev',
          taskDefinition: 'shop-dev:1',
          launchType: 'FARGATE',
          networkConfiguration: network,
          group,
        }),
      )
    ).tasks?.[0]?.taskArn as string;
  const serviceTask = await start('service:shop-dev');
  const oneOff = await start();
  await ecs.send(new StopTaskCommand({ cluster: 'shop-dev', task: serviceTask, reason: 'Essential container in task exited' }));
  await ecs.send(new StopTaskCommand({ cluster: 'shop-dev', task: oneOff, reason: 'a one-off task' }));
  const stopped = (await status()).json.service.stoppedTasks;
  expect(stopped.map((t: { taskArn: string }) => t.taskArn)).toEqual([serviceTask]);
  expect(stopped[0].stoppedReason).toBe('Essential container in task exited');
});

test('after a rolled-back deploy: the rollback and its reason, exit 1; an alarm in ALARM is listed', async () => {
  await ecs.send(
    new UpdateServiceCommand({ cluster: 'shop-dev', service: 'shop-dev', taskDefinition: await taskDefinition('shop:e2e-unhealthy') }),
  );
  const cw = new CloudWatchClient(aws());
  await cw.send(
    new PutMetricAlarmCommand({
      AlarmName: 'shop-dev-api-5xx',
      MetricName: 'HTTPCode_Target_5XX_Count',
      Namespace: 'AWS/ApplicationELB',
      Statistic: 'Sum',
      Period: 60,
      EvaluationPeriods: 1,
      Threshold: 5,
      ComparisonOperator: 'GreaterThanThreshold',
    }),
  );
  await cw.send(new SetAlarmStateCommand({ AlarmName: 'shop-dev-api-5xx', StateValue: 'ALARM', StateReason: '12 errors in 1 minute' }));
  // One more alarm of the stack, not firing: not listed.
  await cw.send(
    new PutMetricAlarmCommand({
      AlarmName: 'shop-dev-ecs-cpu',
      MetricName: 'CPUUtilization',
      Namespace: 'AWS/ECS',
      Statistic: 'Average',
      Period: 60,
      EvaluationPeriods: 1,
      Threshold: 80,
      ComparisonOperator: 'GreaterThanThreshold',
    }),
  );
  const r = await status();
  expect(r.code).toBe(1);
  expect(r.json.service.rolledBack).toMatch(/rolling back to deployment|deployment failed/);
  expect(r.json.service.deployments).toEqual([expect.objectContaining({ rolloutState: 'COMPLETED', taskDefinition: 'shop-dev:1' })]);
  expect(r.json.alarms).toEqual([expect.objectContaining({ name: 'shop-dev-api-5xx', reason: '12 errors in 1 minute' })]);
  const human = await cli(['status', '--config', 'backplane.config.json'], { cwd: tmp, deps: { aws: motoClients(moto.endpoint) } });
  expect(human.stdout).toContain('LAST DEPLOYMENT ROLLED BACK:');
  expect(human.stdout).toContain('ALARMS firing: shop-dev-api-5xx (12 errors in 1 minute)');
  expect(human.stdout).toContain('queue mail: 2 waiting, 0 in flight, 1 dead letters');
});

test("a preview stage reports its parent's database (shared), its own service", async () => {
  const { RDSClient, CreateDBInstanceCommand } = await import('@aws-sdk/client-rds');
  const rds = new RDSClient(aws());
  await rds.send(
    new CreateDBInstanceCommand({
      DBInstanceIdentifier: 'shop-dev',
      Engine: 'postgres',
      DBInstanceClass: 'db.t4g.micro',
      AllocatedStorage: 20,
      MasterUsername: 'app',
      MasterUserPassword: 'password-1234',
    }),
  );
  rds.destroy();
  await ecs.send(new CreateClusterCommand({ clusterName: 'shop-pr-4' }));
  await ecs.send(
    new CreateServiceCommand({
      cluster: 'shop-pr-4',
      serviceName: 'shop-pr-4',
      taskDefinition: await taskDefinition('shop:pr-4'),
      desiredCount: 1,
      launchType: 'FARGATE',
      networkConfiguration: network,
    }),
  );
  const config = { ...CONFIG, queues: undefined, database: {}, preview: { parent: 'dev' } };
  fs.writeFileSync(path.join(tmp, 'backplane.config.json'), JSON.stringify(config));
  const r = await cli(['status', '--config', 'backplane.config.json', '--stage', 'pr-4', '--json'], {
    cwd: tmp,
    deps: { aws: motoClients(moto.endpoint) },
  });
  expect(r.stderr).toBe('');
  const json = JSON.parse(r.stdout);
  expect(json.stack).toBe('shop-pr-4');
  expect(json.database).toBe('available');
});

test('a stack that is not deployed: one line', async () => {
  fs.writeFileSync(path.join(tmp, 'backplane.config.json'), JSON.stringify({ ...CONFIG, name: 'other' }));
  const r = await cli(['status', '--config', 'backplane.config.json'], { cwd: tmp, deps: { aws: motoClients(moto.endpoint) } });
  expect(r.code).toBe(1);
  expect(r.stderr).toContain('service other-dev is not deployed in us-east-1: run `backplane deploy` first');
});
