import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { cli, motoClients } from './support/cli';
import { startMoto, type MotoServer } from '../e2e/lib/moto';
import { MOTO_CREDENTIALS } from './support/moto';

jest.setTimeout(60_000);

let moto: MotoServer;
let tmp: string;
let logs: CloudWatchLogsClient;
const CONFIG = {
  name: 'shop',
  domain: 'example.com',
  service: { imageTag: 'v1', migrateCommand: ['bun', 'run', 'migrate'] },
  edge: { mode: 'subdomain' },
  queues: { mail: { worker: 'service', service: { command: ['bun', 'run', 'worker'] } } },
  cron: { nightly: { schedule: 'cron(0 3 * * ? *)', command: ['bun', 'run', 'nightly'] } },
};
const T0 = Date.now() - 60_000;

async function write(group: string, stream: string, events: [number, string][]) {
  await logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream })).catch(() => undefined);
  await logs.send(
    new PutLogEventsCommand({
      logGroupName: group,
      logStreamName: stream,
      logEvents: events.map(([t, message]) => ({ timestamp: t, message })),
    }),
  );
}

beforeAll(async () => {
  moto = await startMoto();
  logs = new CloudWatchLogsClient({ region: 'us-east-1', endpoint: moto.endpoint, credentials: MOTO_CREDENTIALS });
  for (const g of ['/ecs/shop-dev', '/ecs/shop-dev-mail']) await logs.send(new CreateLogGroupCommand({ logGroupName: g }));
  await write('/ecs/shop-dev', 'app/app/task1', [
    [T0 + 1000, 'GET /api/health 200'],
    [T0 + 4000, 'POST /api/orders 201'],
  ]);
  await write('/ecs/shop-dev-mail', 'app/app/task2', [[T0 + 2000, 'sent order confirmation']]);
  await write('/ecs/shop-dev', 'migrate/migrate/task3', [[T0 + 3000, 'applied 2 migrations']]);
  await write('/ecs/shop-dev', 'job/job/task4', [[T0 + 5000, 'nightly report done']]);
  await write('/ecs/shop-dev', 'app/app/old', [[T0 - 3 * 3600_000, 'three hours ago']]);
});
afterAll(() => moto?.stop());
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'backplane-logs-'));
  fs.writeFileSync(path.join(tmp, 'backplane.config.json'), JSON.stringify(CONFIG));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

const run = (argv: string[], env: NodeJS.ProcessEnv = {}) =>
  cli(['logs', '--config', 'backplane.config.json', ...argv], { cwd: tmp, env, deps: { aws: motoClients(moto.endpoint) } });
const messages = (stdout: string) =>
  stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split(' ').slice(2).join(' '));

test('every source of the stack, interleaved by time, labelled by source', async () => {
  const r = await run([]);
  expect(r.code).toBe(0);
  expect(messages(r.stdout)).toEqual([
    'GET /api/health 200',
    'sent order confirmation',
    'applied 2 migrations',
    'POST /api/orders 201',
    'nightly report done',
  ]);
  expect(r.stdout.split('\n').map((l) => l.split(' ')[1])).toEqual(['api', 'worker:mail', 'migrate', 'api', 'cron']);
});

test('--source, --filter, --since and --json', async () => {
  expect(messages((await run(['--source', 'api'])).stdout)).toEqual(['GET /api/health 200', 'POST /api/orders 201']);
  expect(messages((await run(['--source', 'worker'])).stdout)).toEqual(['sent order confirmation']);
  expect(messages((await run(['--source', 'cron:nightly'])).stdout)).toEqual(['nightly report done']);
  expect(messages((await run(['--filter', 'orders'])).stdout)).toEqual(['POST /api/orders 201']);
  expect(messages((await run(['--since', '4h', '--source', 'api'])).stdout)[0]).toBe('three hours ago');
  const json = (await run(['--json', '--source', 'migrate'])).stdout.split('\n').map((l) => JSON.parse(l));
  expect(json).toEqual([
    { time: new Date(T0 + 3000).toISOString(), source: 'migrate', stream: 'migrate/migrate/task3', message: 'applied 2 migrations' },
  ]);
});

test('a source the stack does not have, a bad --since: one-line usage errors', async () => {
  const r = await run(['--source', 'worker:nope']);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('--source "worker:nope" is not a part of this stack: it has api, migrate, worker:mail, cron');
  const since = await run(['--since', 'yesterday-ish']);
  expect(since.code).toBe(2);
  expect(since.stderr).toContain('must be a duration such as 10m');
});

test('--follow polls and prints events written after it started, each once', async () => {
  const pending = run(['--follow', '--source', 'api'], { BACKPLANE_LOGS_POLL_MS: '300', BACKPLANE_LOGS_MAX_POLLS: '6' });
  await new Promise((r) => setTimeout(r, 500));
  await write('/ecs/shop-dev', 'app/app/task5', [[Date.now(), 'GET /api/cart 200']]);
  const r = await pending;
  expect(r.code).toBe(0);
  expect(messages(r.stdout)).toEqual(['GET /api/health 200', 'POST /api/orders 201', 'GET /api/cart 200']);
});
