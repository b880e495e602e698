import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CreateSecretCommand, GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServicesCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
} from '@aws-sdk/client-ecs';
import { cli, motoClients } from './support/cli';
import { startMoto, type MotoServer } from '../e2e/lib/moto';
import { MOTO_CREDENTIALS } from './support/moto';

jest.setTimeout(60_000);

let moto: MotoServer;
let tmp: string;
let sm: SecretsManagerClient;
const aws = () => ({ region: 'us-east-1', endpoint: moto.endpoint, credentials: MOTO_CREDENTIALS });
const CONFIG = {
  name: 'shop',
  domain: 'example.com',
  service: { imageTag: 'v1' },
  edge: { mode: 'subdomain' },
  secrets: { STRIPE_KEY: { description: 'Stripe API key' }, WEBHOOK_SECRET: { description: 'Webhook signing secret' } },
};
const VALUE = 'sk_live_do-not-print-me';

beforeAll(async () => {
  moto = await startMoto();
  sm = new SecretsManagerClient(aws());
  // As the stack creates them: secrets without a value (src/constructs/app-secrets.ts).
  for (const name of ['STRIPE_KEY', 'WEBHOOK_SECRET']) await sm.send(new CreateSecretCommand({ Name: `shop-dev/${name}` }));
});
afterAll(() => moto?.stop());
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'backplane-secrets-'));
  fs.writeFileSync(path.join(tmp, 'backplane.config.json'), JSON.stringify(CONFIG));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

const secrets = (argv: string[], stdin?: string, config = 'backplane.config.json') =>
  cli(['secrets', ...argv, '--config', config], { cwd: tmp, stdin, deps: { aws: motoClients(moto.endpoint) } });

test('set takes the value from stdin, stores it, and never prints it', async () => {
  const r = await secrets(['set', 'STRIPE_KEY'], `${VALUE}\n`);
  expect(r.code).toBe(0);
  expect(r.stderr).toContain('set shop-dev/STRIPE_KEY');
  expect(`${r.stdout}\n${r.stderr}`).not.toContain(VALUE);
  const stored = await sm.send(new GetSecretValueCommand({ SecretId: 'shop-dev/STRIPE_KEY' }));
  expect(stored.SecretString).toBe(VALUE); // the trailing newline of the pipe is dropped
});

test('list says which secrets have a value, never the value', async () => {
  await secrets(['set', 'STRIPE_KEY'], VALUE);
  const r = await secrets(['list', '--json']);
  expect(r.code).toBe(0);
  const states = JSON.parse(r.stdout) as { name: string; hasValue: boolean; exists: boolean }[];
  expect(states.map((s) => [s.name, s.exists, s.hasValue])).toEqual([
    ['STRIPE_KEY', true, true],
    ['WEBHOOK_SECRET', true, false],
  ]);
  expect(r.stdout).not.toContain(VALUE);
  const human = await secrets(['list']);
  expect(human.stdout).toMatch(/WEBHOOK_SECRET\s+NO VALUE/);
  expect(human.stderr).toContain('backplane secrets set WEBHOOK_SECRET');
});

test('a name the config does not have, an empty value, a name in argv twice: one-line errors', async () => {
  const unknown = await secrets(['set', 'NOPE'], 'x');
  expect(unknown.code).toBe(1);
  expect(unknown.stderr).toContain('"NOPE" is not one of the config\'s secrets (the config has STRIPE_KEY, WEBHOOK_SECRET)');
  const empty = await secrets(['set', 'STRIPE_KEY'], '');
  expect(empty.code).toBe(1);
  expect(empty.stderr).toContain('no value for STRIPE_KEY');
  const two = await secrets(['set', 'STRIPE_KEY', 'sk_value_on_argv']);
  expect(two.code).toBe(2);
  expect(two.stderr).toContain('give one secret name');
});

test('rm needs --yes, deletes the secret, and list then says it is not deployed', async () => {
  await sm.send(new CreateSecretCommand({ Name: 'shop-dev/TEMP', SecretString: 'v' }));
  fs.writeFileSync(path.join(tmp, 'backplane.config.json'), JSON.stringify({ ...CONFIG, secrets: { TEMP: { description: 'temp' } } }));
  const unconfirmed = await secrets(['rm', 'TEMP']);
  expect(unconfirmed.code).toBe(2);
  expect(unconfirmed.stderr).toContain('confirm with --yes');
  const r = await secrets(['rm', 'TEMP', '--yes']);
  expect(r.code).toBe(0);
  expect(r.stderr).toContain('deleted shop-dev/TEMP');
  const listed = JSON.parse((await secrets(['list', '--json'])).stdout) as { exists: boolean }[];
  expect(listed[0].exists).toBe(false);
});

test('rm is refused on a protected stage', async () => {
  fs.writeFileSync(
    path.join(tmp, 'prod.json'),
    JSON.stringify({
      ...CONFIG,
      stage: 'live',
      protect: true,
      state: { backend: 's3', bucket: 'shop-tfstate-test' },
      service: { imageDigest: `sha256:${'a'.repeat(64)}` },
    }),
  );
  const r = await secrets(['rm', 'STRIPE_KEY', '--yes'], undefined, 'prod.json');
  expect(r.code).toBe(1);
  expect(r.stderr).toContain('stage live is protected');
});

test('--redeploy forces a new deployment of the service', async () => {
  const ecs = new ECSClient(aws());
  await ecs.send(new CreateClusterCommand({ clusterName: 'shop-dev' }));
  const td = await ecs.send(
    new RegisterTaskDefinitionCommand({ family: 'shop-dev', containerDefinitions: [{ name: 'app', image: 'x', memory: 512 }] }),
  );
  await ecs.send(
    new CreateServiceCommand({
      cluster: 'shop-dev',
      serviceName: 'shop-dev',
      taskDefinition: td.taskDefinition?.taskDefinitionArn,
      desiredCount: 0,
    }),
  );
  const before = (await ecs.send(new DescribeServicesCommand({ cluster: 'shop-dev', services: ['shop-dev'] }))).services?.[0];
  const r = await secrets(['set', 'WEBHOOK_SECRET', '--redeploy'], 'whsec');
  expect(r.code).toBe(0);
  expect(r.stderr).toContain('rolling service shop-dev');
  const after = (await ecs.send(new DescribeServicesCommand({ cluster: 'shop-dev', services: ['shop-dev'] }))).services?.[0];
  const ids = (s: typeof before) => (s?.deployments ?? []).map((d) => d.id);
  expect(ids(after)).not.toEqual(ids(before));
});
