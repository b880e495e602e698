import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CreateClusterCommand, ECSClient, RegisterTaskDefinitionCommand, RunTaskCommand } from '@aws-sdk/client-ecs';
import { startMoto, type MotoServer } from '../e2e/lib/moto';
import { cli, motoClients } from './support/cli';
import { MOTO_CREDENTIALS } from './support/moto';
import { findPlugin, pluginArgs } from '../../src/cli/session-manager';

jest.setTimeout(60_000);

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'backplane-exec-'));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A fake session-manager-plugin that records its arguments, one per line, in <dir>/args, and exits 7. */
function fakePlugin(dir: string): string {
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin);
  const script = path.join(bin, 'session-manager-plugin');
  fs.writeFileSync(script, `#!/bin/sh\nfor a in "$@"; do printf '%s\\n' "$a"; done > "${dir}/args"\nexit 7\n`, { mode: 0o755 });
  return bin;
}

/** A task of the example's cluster on moto (with the gap patches: ExecuteCommand is patches/ecs_exec.py). */
async function runningTask(moto: MotoServer): Promise<string> {
  const ecs = new ECSClient({ region: 'us-east-1', endpoint: moto.endpoint, credentials: MOTO_CREDENTIALS });
  await ecs.send(new CreateClusterCommand({ clusterName: 'shop-dev' }));
  const td = await ecs.send(
    new RegisterTaskDefinitionCommand({ family: 'shop-dev', containerDefinitions: [{ name: 'app', image: 'x', memory: 512 }] }),
  );
  const run = await ecs.send(
    new RunTaskCommand({ cluster: 'shop-dev', launchType: 'FARGATE', taskDefinition: td.taskDefinition?.taskDefinitionArn }),
  );
  return (run.tasks?.[0]?.taskArn as string).split('/').pop() as string;
}

test('with the plugin on PATH: hands the ExecuteCommand session to it in the AWS CLI argument order', async () => {
  const moto = await startMoto();
  try {
    const task = await runningTask(moto);
    const bin = fakePlugin(tmp);
    const env = { PATH: `${bin}${path.delimiter}/usr/bin:/bin`, AWS_PROFILE: 'ops' };
    const r = await cli(['exec', '--example', '--task', task], { cwd: tmp, env, deps: { aws: motoClients(moto.endpoint) } });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(7); // the plugin's exit code
    const args = fs.readFileSync(path.join(tmp, 'args'), 'utf8').trimEnd().split('\n');
    expect(args).toHaveLength(6);
    expect(JSON.parse(args[0]).SessionId).toMatch(/^ecs-execute-command-/);
    expect(args.slice(1, 4)).toEqual(['us-east-1', 'StartSession', 'ops']);
    expect(JSON.parse(args[4]).Target).toMatch(new RegExp(`^ecs:shop-dev_${task}_[0-9a-f]{32}$`));
    expect(args[5]).toBe(moto.endpoint);
    const missing = await cli(['exec', '--example', '--task', 'nope'], { cwd: tmp, env, deps: { aws: motoClients(moto.endpoint) } });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('task nope not found in cluster shop-dev');
  } finally {
    await moto.stop();
  }
});

test('without the plugin on PATH: prints the AWS CLI equivalent and the install page, exits 1 with one line', async () => {
  const env = { PATH: path.join(tmp, 'empty') };
  const r = await cli(['exec', '--example', '--task', 'abc123', '--', 'ls', '-la'], { cwd: tmp, env });
  expect(r.code).toBe(1);
  expect(r.stderr).toContain(
    "run instead: aws ecs execute-command --region us-east-1 --cluster shop-dev --task abc123 --container app --interactive --command 'ls -la'",
  );
  expect(r.stderr).toContain('session-manager-plugin is not on PATH');
  expect(r.stderr).toContain('session-manager-working-with-install-plugin.html');
});

test('findPlugin ignores non-executable files and pluginArgs keeps the CLI order', () => {
  const bin = path.join(tmp, 'bin');
  fs.mkdirSync(bin);
  fs.writeFileSync(path.join(bin, 'session-manager-plugin'), '', { mode: 0o644 });
  expect(findPlugin({ PATH: bin })).toBeUndefined();
  fs.chmodSync(path.join(bin, 'session-manager-plugin'), 0o755);
  expect(findPlugin({ PATH: bin })).toBe(path.join(bin, 'session-manager-plugin'));
  const args = pluginArgs({ session: { sessionId: 's' }, region: 'eu-west-1', request: { Target: 't' }, endpoint: 'e' });
  expect(args.slice(1)).toEqual(['eu-west-1', 'StartSession', '', '{"Target":"t"}', 'e']);
});
