/**
 * The async tier's Lambda modes applied to moto with real Terraform: a queue consumed by a compiled Bun Lambda
 * (event source mapping with partial batch responses) and a Lambda cron job, in a VPC with the default NAT mode
 * (the NAT instance: its route, forwarding security group and instance settings are asserted too), asserted with test/e2e/assertions/async-tier.ts, re-planned and destroyed.
 */
import { DescribeInstancesCommand, DescribeRouteTablesCommand, DescribeVolumesCommand, EC2Client } from '@aws-sdk/client-ec2';
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

  it('routes the private subnets through the NAT instance (the default NAT mode)', async () => {
    const ec2 = new EC2Client(awsClientConfig(moto));
    try {
      const { Reservations } = await ec2.send(
        new DescribeInstancesCommand({
          Filters: [
            { Name: 'tag:Name', Values: ['*-nat-instance'] },
            { Name: 'instance-state-name', Values: ['running'] },
          ],
        }),
      );
      const instances = (Reservations ?? []).flatMap((r) => r.Instances ?? []);
      expect(instances).toHaveLength(1);
      const nat = instances[0]!;
      expect(nat).toMatchObject({
        InstanceType: 't4g.nano',
        SourceDestCheck: false,
        MetadataOptions: expect.objectContaining({ HttpTokens: 'required' }),
      });
      expect(nat.PublicIpAddress).toBeTruthy();
      const rootVolumeId = nat.BlockDeviceMappings?.find((b) => b.DeviceName === nat.RootDeviceName)?.Ebs?.VolumeId;
      const { Volumes } = await ec2.send(new DescribeVolumesCommand({ VolumeIds: [rootVolumeId!] }));
      expect(Volumes?.[0]).toMatchObject({ Encrypted: true, VolumeType: 'gp3', Size: 8 });
      const eni = nat.NetworkInterfaces?.[0]?.NetworkInterfaceId;
      const { RouteTables } = await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [nat.VpcId!] }] }));
      const viaNat = (RouteTables ?? []).filter((t) =>
        t.Routes?.some((r) => r.DestinationCidrBlock === '0.0.0.0/0' && r.NetworkInterfaceId === eni),
      );
      expect(viaNat).toHaveLength(2); // one private route table per AZ
    } finally {
      ec2.destroy();
    }
  });

  it('re-plans with nothing but tolerated differences', async () => {
    const verdict = await ws.replan();
    expect(verdict.unexpected).toEqual([]);
  });
});
