/**
 * The async tier applied to moto with real Terraform: queues + DLQs, an in-process and a service worker, a
 * scheduled ECS job, an app secret and the migration task, asserted through the AWS SDK with the same
 * functions the full-example e2e uses (test/e2e/assertions/async-tier.ts), then re-planned and destroyed.
 */
import { assertAsyncTier } from './assertions/async-tier';
import { awsClientConfig, describeWithEngine, startMoto, TerraformWorkspace, type MotoServer } from './lib';
import { configWith, synthTier } from '../async/helpers';

describeWithEngine('async tier on moto: applies, reads back through the SDK, re-plans, destroys', () => {
  let moto: MotoServer;
  let ws: TerraformWorkspace;
  let outputs: Record<string, any>;

  beforeAll(async () => {
    moto = await startMoto();
    const s = synthTier(
      configWith({
        network: { nat: 'none' },
        service: { imageTag: 'v1', migrateCommand: ['bun', 'run', 'src/migrate.ts'] },
        queues: {
          jobs: { workerTimeoutSeconds: 20 },
          mail: { worker: 'service', service: { command: ['bun', 'run', 'src/worker.ts'], maxCount: 3 } },
          orders: { fifo: true, contentBasedDeduplication: true, maxReceiveCount: 2 },
        },
        cron: { nightly: { schedule: 'cron(0 3 * * ? *)', timezone: 'Europe/Berlin', command: ['bun', 'run', 'src/nightly.ts'] } },
        secrets: { STRIPE_KEY: { description: 'Stripe API key' } },
      }),
      { keep: true },
    );
    ws = TerraformWorkspace.create({ name: 'async-tier', sourceDir: s.stackDir, moto });
  });

  afterAll(async () => {
    try {
      if (ws && (await ws.resourceAddresses()).length > 0) await ws.destroy();
    } finally {
      ws?.printSummary();
      await moto?.stop();
    }
  });

  it('applies', async () => {
    await ws.up();
    outputs = await ws.output();
    expect(Object.keys(outputs.queues).sort()).toEqual(['jobs', 'mail', 'orders']);
  });

  it('reads back queues, DLQ redrive, env, worker service, schedule, secret and migration task', async () => {
    await assertAsyncTier(awsClientConfig(moto), outputs);
  });

  it('re-plans with nothing but tolerated differences', async () => {
    const verdict = await ws.replan();
    expect(verdict.unexpected).toEqual([]);
  });
});
