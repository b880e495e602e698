import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CreateClusterCommand, ECSClient, RegisterTaskDefinitionCommand, RunTaskCommand } from '@aws-sdk/client-ecs';
import { CreateDBInstanceCommand, RDSClient } from '@aws-sdk/client-rds';
import { cli, motoClients } from './support/cli';
import { startMoto, type MotoServer } from '../e2e/lib/moto';
import { MOTO_CREDENTIALS } from './support/moto';

jest.setTimeout(60_000);

// With the gap patches: StartSession is patches/ssm_session.py, task runtime ids patches/ecs_exec.py.
let moto: MotoServer;
let tmp: string;
let taskId: string;
const aws = () => ({ region: 'us-east-1', endpoint: moto.endpoint, credentials: MOTO_CREDENTIALS });
const CONFIG = { name: 'shop', domain: 'example.com', service: { imageTag: 'v1' }, edge: { mode: 'subdomain' }, database: {} };

beforeAll(async () => {
  moto = await startMoto();
  const ecs = new ECSClient(aws());
  await ecs.send(new CreateClusterCommand({ clusterName: 'shop-dev' }));
  const td = await ecs.send(
    new RegisterTaskDefinitionCommand({ family: 'shop-dev', containerDefinitions: [{ name: 'app', image: 'x', memory: 512 }] }),
  );
  const run = await ecs.send(
    new RunTaskCommand({ cluster: 'shop-dev', launchType: 'FARGATE', taskDefinition: td.taskDefinition?.taskDefinitionArn }),
  );
  taskId = (run.tasks?.[0]?.taskArn as string).split('/').pop() as string;
  await new RDSClient(aws()).send(
    new CreateDBInstanceCommand({
      DBInstanceIdentifier: 'shop-dev',
      DBInstanceClass: 'db.t4g.micro',
      Engine: 'postgres',
      MasterUsername: 'app_admin',
      ManageMasterUserPassword: true,
      AllocatedStorage: 20,
    }),
  );
});
afterAll(() => moto?.stop());
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'backplane-tunnel-'));
  fs.writeFileSync(path.join(tmp, 'backplane.config.json'), JSON.stringify(CONFIG));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A fake session-manager-plugin recording its arguments, one per line, in <dir>/args; exits 0. */
function fakePlugin(dir: string): string {
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin);
  fs.writeFileSync(path.join(bin, 'session-manager-plugin'), `#!/bin/sh\nfor a in "$@"; do printf '%s\\n' "$a"; done > "${dir}/args"\n`, {
    mode: 0o755,
  });
  return bin;
}

const tunnel = (argv: string[], env: NodeJS.ProcessEnv) =>
  cli(['db', 'tunnel', '--config', 'backplane.config.json', ...argv], { cwd: tmp, env, deps: { aws: motoClients(moto.endpoint) } });

test("hands SSM's port-forwarding session to the plugin: the task's ECS target, the database endpoint, the local port", async () => {
  const r = await tunnel(['--port', '15432'], { PATH: `${fakePlugin(tmp)}${path.delimiter}/usr/bin:/bin` });
  expect(r.code).toBe(0);
  const args = fs.readFileSync(path.join(tmp, 'args'), 'utf8').trimEnd().split('\n');
  expect(JSON.parse(args[0]).SessionId).toMatch(/^backplane-/);
  expect(args.slice(1, 3)).toEqual(['us-east-1', 'StartSession']);
  const request = JSON.parse(args[4]);
  expect(request.Target).toMatch(new RegExp(`^ecs:shop-dev_${taskId}_[0-9a-f]{32}$`));
  expect(request.DocumentName).toBe('AWS-StartPortForwardingSessionToRemoteHost');
  expect(request.Parameters).toEqual({ host: [expect.stringMatching(/^shop-dev\./)], portNumber: ['5432'], localPortNumber: ['15432'] });
  expect(r.stderr).toContain('connect: psql "host=127.0.0.1 port=15432 user=app_admin');
});

test('without the plugin: the AWS CLI equivalent and the install page, exit 1', async () => {
  const r = await tunnel([], { PATH: path.join(tmp, 'empty') });
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(
    new RegExp(
      `run instead: aws ssm start-session --region us-east-1 --target ecs:shop-dev_${taskId}_[0-9a-f]{32} --document-name AWS-StartPortForwardingSessionToRemoteHost --parameters '\\{"host":\\["shop-dev\\.`,
    ),
  );
  expect(r.stderr).toContain('session-manager-plugin is not on PATH');
});

test('a task that is not running, a config without a database: one line each', async () => {
  const env = { PATH: `${fakePlugin(tmp)}${path.delimiter}/usr/bin:/bin` };
  const gone = await tunnel(['--task', 'nope'], env);
  expect(gone.code).toBe(1);
  expect(gone.stderr).toContain('task nope of shop-dev is not running an app container');
  fs.writeFileSync(path.join(tmp, 'backplane.config.json'), JSON.stringify({ ...CONFIG, database: undefined }));
  const none = await tunnel([], env);
  expect(none.code).toBe(1);
  expect(none.stderr).toContain('the config has no database');
});
