/**
 * The async tier's Lambda modes applied to moto with real Terraform: a queue consumed by a compiled Bun Lambda
 * (event source mapping with partial batch responses) and a Lambda cron job, in a VPC with a NAT gateway (moto 5.2.1 cannot run the NAT instance: RunInstances wants a root volume size),
 * asserted with test/e2e/assertions/async-tier.ts, re-planned and destroyed.
 */
import { assertAsyncTier } from './assertions/async-tier';
import { awsClientConfig, describeWithEngine, startMoto, TerraformWorkspace, type MotoServer } from './lib';
import { configWith, synthTier } from '../async/helpers';

describeWithEngine('async tier (Lambda modes) on moto: applies, reads back through the SDK, re-plans, destroys', () => {
  let moto: MotoServer;
  let ws: TerraformWorkspace;
  let outputs: Record<string, any>;

  beforeAll(async () => {
    moto = await startMoto();
    const s = synthTier(
      configWith({
        network: { nat: 'gateway' },
        queues: { jobs: { worker: 'lambda', lambda: { handler: './jobs-worker.ts', timeout: 60, batchSize: 5 } } },
        cron: { report: { schedule: 'rate(1 day)', lambda: { handler: './jobs-worker.ts' } } },
      }),
      { keep: true },
    );
    ws = TerraformWorkspace.create({ name: 'async-tier-lambda', sourceDir: s.stackDir, moto });
  }, 300_000);

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
    expect(outputs.queue_workers.jobs.mode).toBe('lambda');
  });

  it('reads back the queue, its DLQ redrive, the function, its event source mapping and the schedule', async () => {
    await assertAsyncTier(awsClientConfig(moto), outputs);
  });

  it('re-plans with nothing but tolerated differences', async () => {
    const verdict = await ws.replan();
    expect(verdict.unexpected).toEqual([]);
  });
});
