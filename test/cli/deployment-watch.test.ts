/**
 * The deploy's ECS watch (src/cli/deployment-watch.ts): which deployments count as this deploy's, when a failed one
 * stops the apply, when a rollback fails it, and the reasons it prints. The whole loop runs on the real engine in
 * test/e2e/first-deploy.e2e.test.ts; the interrupt of a running program is tested here on a real process.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { failedDeployment, rollbackSince, stackServices, stoppedTaskReason } from '../../src/cli/deployment-watch';
import { spawnRunner } from '../../src/cli/runner';
import type { ServiceStatus } from '../../src/cli/status/service';

const stopped = {
  taskArn: 'arn:aws:ecs:us-east-1:1:task/shop-dev/0123456789abcdef',
  stoppedReason: 'Essential container in task exited',
  stopCode: 'EssentialContainerExited',
  containers: [
    { name: 'app', exitCode: 1, reason: undefined },
    { name: 'migrate', exitCode: 0 },
  ],
};

function status(over: Partial<ServiceStatus> = {}): ServiceStatus {
  return { name: 'shop-dev', deployments: [], stoppedTasks: [], targets: [], events: [], recentEvents: [], ...over };
}
const seen = (deployments: string[] = [], events: string[] = []) => ({ deployments: new Set(deployments), events: new Set(events) });

describe('stoppedTaskReason', () => {
  it('names the task, ECS reason and each container that failed', () => {
    expect(stoppedTaskReason([stopped])).toBe('task 01234567: Essential container in task exited (app: exit 1)');
    expect(stoppedTaskReason([{ ...stopped, containers: [{ name: 'app', reason: 'CannotPullContainerError: pull access denied' }] }])).toBe(
      'task 01234567: Essential container in task exited (app: CannotPullContainerError: pull access denied)',
    );
    expect(stoppedTaskReason([])).toBeUndefined();
  });
});

describe('failedDeployment (during the apply)', () => {
  const failed = {
    id: 'ecs-svc/2',
    rolloutState: 'FAILED',
    rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.',
    failedTasks: 3,
  };

  it('a new FAILED deployment with nothing to fall back to: the reason and the stopped task', () => {
    expect(failedDeployment(status({ deployments: [failed], stoppedTasks: [stopped] }), undefined)).toBe(
      'ECS could not start service shop-dev: ECS deployment circuit breaker: tasks failed to start. (3 failed task(s), nothing to roll back to); the last stopped task: task 01234567: Essential container in task exited (app: exit 1). `backplane status` and `backplane logs` show more.',
    );
  });

  it('not a FAILED deployment that existed before the apply, nor one next to a working deployment, nor one in progress', () => {
    expect(failedDeployment(status({ deployments: [failed] }), seen(['ecs-svc/2']))).toBeUndefined();
    const old = { id: 'ecs-svc/1', rolloutState: 'COMPLETED' };
    expect(failedDeployment(status({ deployments: [failed, old] }), seen(['ecs-svc/1']))).toBeUndefined();
    expect(failedDeployment(status({ deployments: [{ ...failed, rolloutState: 'IN_PROGRESS' }] }), undefined)).toBeUndefined();
  });
});

describe('rollbackSince (after the apply)', () => {
  const events = [
    { id: 'e3', message: '(service shop-dev) has reached a steady state.' },
    { id: 'e2', message: '(service shop-dev) rolling back to deployment ecs-svc/1.' },
    { id: 'e1', message: '(service shop-dev) deployment ecs-svc/2 deployment failed: tasks failed to start.' },
  ];

  it("a rollback event this deploy caused: ECS's failure message and the stopped task", () => {
    expect(rollbackSince(status({ recentEvents: events, stoppedTasks: [stopped] }), seen([], ['e0']))).toBe(
      'ECS rolled back the deployment of service shop-dev: (service shop-dev) deployment ecs-svc/2 deployment failed: tasks failed to start.; the last stopped task: task 01234567: Essential container in task exited (app: exit 1). `backplane status` and `backplane logs` show more.',
    );
  });

  it('not a rollback that happened before the apply, nor a healthy deploy', () => {
    expect(rollbackSince(status({ recentEvents: events }), seen([], ['e1', 'e2', 'e3']))).toBeUndefined();
    expect(rollbackSince(status({ recentEvents: [events[0]] }), seen())).toBeUndefined();
  });
});

describe('stackServices', () => {
  it("the stack's ECS services by name (each runs in a cluster of the same name)", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'watch-'));
    fs.writeFileSync(
      path.join(dir, 'cdk.tf.json'),
      JSON.stringify({ resource: { aws_ecs_service: { service_service: { name: 'shop-dev' }, worker_jobs: { name: 'shop-dev-jobs' } } } }),
    );
    expect(stackServices(dir)).toEqual(['shop-dev', 'shop-dev-jobs']);
  });
});

describe('spawnRunner with an abort signal', () => {
  it('sends SIGINT to the program, which can finish cleanly (as Terraform saves its state)', async () => {
    const abort = new AbortController();
    const script =
      "process.on('SIGINT', () => { console.log('interrupted, saving'); process.exit(130); }); setTimeout(() => {}, 60000); console.log('ready');";
    const run = spawnRunner(process.execPath, ['-e', script], {
      signal: abort.signal,
      onLine: (line) => line === 'ready' && abort.abort(),
    });
    const r = await run;
    expect(r.exitCode).toBe(130);
    expect(r.stdout).toContain('interrupted, saving');
  });
});
