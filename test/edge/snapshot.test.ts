import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { GetDistributionConfigCommand } from '@aws-sdk/client-cloudfront';
import { cloudfrontSnapshotCommand, snapshotDistribution, type CloudFrontSender } from '../../src/edge/snapshot';

const FIXTURE_TEXT = fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'frontend-distribution.json'), 'utf8');
const FIXTURE = JSON.parse(FIXTURE_TEXT);
const NOW = () => new Date('2026-11-23T10:00:00.000Z');

/** A CloudFront client double that answers GetDistributionConfig like the API (or fails like it). */
function fakeClient(answer: { ETag?: string; DistributionConfig?: unknown } | Error) {
  const calls: unknown[] = [];
  const client: CloudFrontSender = {
    async send(command) {
      expect(command).toBeInstanceOf(GetDistributionConfigCommand);
      calls.push(command.input);
      if (answer instanceof Error) throw answer;
      return { $metadata: { httpStatusCode: 200 }, ...answer } as { ETag?: string; DistributionConfig?: unknown };
    },
  };
  return { client, calls };
}

const apiAnswer = () => ({ ETag: FIXTURE.ETag, DistributionConfig: FIXTURE.DistributionConfig });

describe('snapshotDistribution', () => {
  it('reads GetDistributionConfig for the id and returns { Id, ETag, snapshotAt, DistributionConfig }', async () => {
    const { client, calls } = fakeClient(apiAnswer());
    const s = await snapshotDistribution({ id: 'E1FRONTEND0001', client, now: NOW });
    expect(calls).toEqual([{ Id: 'E1FRONTEND0001' }]);
    expect({ Id: s.Id, ETag: s.ETag, snapshotAt: s.snapshotAt, DistributionConfig: s.DistributionConfig }).toEqual(FIXTURE);
  });

  it('writes stable pretty JSON, byte for byte the committed fixture', async () => {
    const { client } = fakeClient(apiAnswer());
    const s = await snapshotDistribution({ id: 'E1FRONTEND0001', client, now: NOW });
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cf-snap-')), 'nested', 'frontend.json');
    s.writeSnapshot(file);
    const written = fs.readFileSync(file, 'utf8');
    expect(JSON.parse(written)).toEqual(FIXTURE);
    expect(written).toBe(s.toJson());
    expect(written).toBe(FIXTURE_TEXT);
  });

  it('leaves out an origin and its behaviors with withoutOrigin (re-snapshot after an attach)', async () => {
    const cfg = structuredClone(FIXTURE.DistributionConfig);
    cfg.Origins.Items.push({ Id: 'backplane-api', DomainName: 'origin-api.example.com' });
    cfg.CacheBehaviors.Items.splice(1, 0, { ...cfg.CacheBehaviors.Items[0], PathPattern: '/api/*', TargetOriginId: 'backplane-api' });
    const { client } = fakeClient({ ETag: 'E3AFTER', DistributionConfig: cfg });
    const s = await snapshotDistribution({ id: 'E1FRONTEND0001', client, now: NOW, withoutOrigin: 'backplane-api' });
    expect(s.ETag).toBe('E3AFTER');
    expect(s.DistributionConfig.Origins?.Items?.map((o) => o.Id)).toEqual(['frontend-s3']);
    expect(s.DistributionConfig.CacheBehaviors?.Items?.map((b) => b.PathPattern)).toEqual(['/assets/*', '/images/*']);
  });

  it('refuses an id that is not a distribution id, before any call', async () => {
    const { client, calls } = fakeClient(apiAnswer());
    await expect(snapshotDistribution({ id: 'frontend.example.com', client })).rejects.toThrow(/not a CloudFront distribution id/);
    expect(calls).toEqual([]);
  });

  it('refuses an answer that is not a distribution config', async () => {
    const { client } = fakeClient({ ETag: 'E1' });
    await expect(snapshotDistribution({ id: 'E1FRONTEND0001', client })).rejects.toThrow(
      /GetDistributionConfig\(E1FRONTEND0001\) is not a GetDistributionConfig answer/,
    );
  });
});

describe('backplane cloudfront snapshot', () => {
  it('prints the snapshot JSON without --out', async () => {
    const { client } = fakeClient(apiAnswer());
    const r = await cloudfrontSnapshotCommand(['--id', 'E1FRONTEND0001'], { client, now: NOW });
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.text)).toEqual(FIXTURE);
  });

  it('writes --out and summarises what it saw', async () => {
    const { client } = fakeClient(apiAnswer());
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cf-snap-')), 'frontend.json');
    const r = await cloudfrontSnapshotCommand(['--id=E1FRONTEND0001', '--out', out], { client, now: NOW });
    expect(r).toEqual({
      exitCode: 0,
      text: `wrote ${out}: distribution E1FRONTEND0001 (ETag E2QWRUHAPOMQZL), 1 origin(s), 2 ordered behavior(s), aliases [www.example.com]`,
    });
    expect(JSON.parse(fs.readFileSync(out, 'utf8'))).toEqual(FIXTURE);
  });

  it.each([
    [[], /--id is required/],
    [['--id', 'E1', '--bogus'], /unknown argument "--bogus"/],
  ])('exits 2 with usage for %j', async (args, message) => {
    const r = await cloudfrontSnapshotCommand(args);
    expect(r.exitCode).toBe(2);
    expect(r.text).toMatch(message);
    expect(r.text).toMatch(/usage: backplane cloudfront snapshot --id <DISTRIBUTION_ID>/);
  });

  it('turns API errors into exit 1 with a hint', async () => {
    const err = Object.assign(new Error('The specified distribution does not exist.'), { name: 'NoSuchDistribution' });
    const { client } = fakeClient(err);
    const r = await cloudfrontSnapshotCommand(['--id', 'E1FRONTEND0001'], { client });
    expect(r).toEqual({
      exitCode: 1,
      text: 'cloudfront snapshot failed: The specified distribution does not exist. (no distribution E1FRONTEND0001 in this account)',
    });
  });
});
