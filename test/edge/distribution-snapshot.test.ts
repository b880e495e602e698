import * as fs from 'fs';
import * as path from 'path';
import {
  assertAttachable,
  behaviorInsertIndex,
  blockToJson,
  distributionBody,
  parseSnapshot,
  SnapshotError,
  snapshotToJson,
  stemOf,
  validatePathPattern,
  withoutOrigin,
  type DistributionSnapshot,
} from '../../src/edge/distribution-snapshot';

const FIXTURE_FILE = path.join(__dirname, '..', 'fixtures', 'frontend-distribution.json');
const FIXTURE = fs.readFileSync(FIXTURE_FILE, 'utf8');
const fixture = (): DistributionSnapshot => JSON.parse(FIXTURE) as DistributionSnapshot;
const API = { pathPattern: '/api/*', originId: 'backplane-api' };

describe('parseSnapshot', () => {
  it('accepts the committed fixture and keeps every field', () => {
    const s = parseSnapshot(FIXTURE);
    expect(s.Id).toBe('E1FRONTEND0001');
    expect(s.ETag).toBe('E2QWRUHAPOMQZL');
    expect(s.DistributionConfig).toEqual(fixture().DistributionConfig);
  });

  it('accepts the raw `aws cloudfront get-distribution-config` answer (no Id, no snapshotAt)', () => {
    const { ETag, DistributionConfig } = fixture();
    const s = parseSnapshot(JSON.stringify({ ETag, DistributionConfig }));
    expect(s.Id).toBeUndefined();
    expect(s.ETag).toBe(ETag);
  });

  it.each([
    ['not JSON', '{"ETag": ', /not valid JSON/],
    ['an array', '[]', /must be a JSON object.*got an array/],
    [
      'a GetDistribution answer',
      JSON.stringify({ ETag: 'E1', Distribution: { Id: 'E1', DistributionConfig: {} } }),
      /GetDistribution answer.*GetDistributionConfig/,
    ],
    ['something else', JSON.stringify({ Foo: 1 }), /not a GetDistributionConfig answer.*got keys \[Foo\]/],
    ['missing its ETag', JSON.stringify({ DistributionConfig: fixture().DistributionConfig }), /has no ETag/],
    [
      'without origins',
      JSON.stringify({ ...fixture(), DistributionConfig: { ...fixture().DistributionConfig, Origins: { Quantity: 0 } } }),
      /Origins\.Items must list/,
    ],
    [
      'without a default behavior',
      JSON.stringify({ ...fixture(), DistributionConfig: { ...fixture().DistributionConfig, DefaultCacheBehavior: undefined } }),
      /DefaultCacheBehavior with TargetOriginId/,
    ],
    [
      'without Enabled',
      JSON.stringify({ ...fixture(), DistributionConfig: { ...fixture().DistributionConfig, Enabled: 'yes' } }),
      /Enabled \(true\/false\)/,
    ],
    [
      'with a behavior lacking its path',
      JSON.stringify({
        ...fixture(),
        DistributionConfig: { ...fixture().DistributionConfig, CacheBehaviors: { Quantity: 1, Items: [{ TargetOriginId: 'x' }] } },
      }),
      /CacheBehaviors\.Items must be a list of behaviors with PathPattern/,
    ],
  ])('refuses a snapshot that is %s, saying how to make one', (_what, json, message) => {
    expect(() => parseSnapshot(json)).toThrow(SnapshotError);
    expect(() => parseSnapshot(json)).toThrow(message);
    if (!/GetDistribution answer|behaviors with PathPattern/.test(String(message))) {
      expect(() => parseSnapshot(json)).toThrow(/backplane cloudfront snapshot --id <DISTRIBUTION_ID>/);
    }
  });
});

describe('assertAttachable', () => {
  it('accepts the fixture for /api/* and backplane-api', () => {
    expect(() => assertAttachable(fixture(), API, 'E1FRONTEND0001')).not.toThrow();
  });

  it('refuses a distribution that already has a behavior with the same path pattern, naming the fix', () => {
    expect(() => assertAttachable(fixture(), { ...API, pathPattern: '/assets/*' }, 'E1FRONTEND0001')).toThrow(
      /already has a cache behavior for path pattern "\/assets\/\*" \(to origin "frontend-s3"\).*--without-origin backplane-api/,
    );
  });

  it('refuses a distribution that already has an origin with the same id', () => {
    expect(() => assertAttachable(fixture(), { ...API, originId: 'frontend-s3' }, 'E1FRONTEND0001')).toThrow(
      /already has an origin with id "frontend-s3" \(example-frontend\.s3\.us-east-1\.amazonaws\.com\)/,
    );
  });

  it('refuses a snapshot of another distribution', () => {
    expect(() => assertAttachable(fixture(), API, 'E9OTHER00000')).toThrow(
      /snapshot of distribution E1FRONTEND0001, but distributionId is E9OTHER00000/,
    );
  });
});

describe('validatePathPattern', () => {
  it.each(['/api/*', '/v1/api*', '/api/v2/*.json'])('accepts %s', (p) => expect(() => validatePathPattern(p)).not.toThrow());
  it.each([
    ['api/*', /must start with "\/"/],
    ['/api /*', /must start with "\/"/],
    ['/*', /take over the whole site/],
    ['/*.html', /take over the whole site/],
  ])('refuses %s', (p, message) => expect(() => validatePathPattern(p)).toThrow(message));
});

describe('behavior ordering', () => {
  it('takes the stem before the first wildcard, adding the leading slash CloudFront implies', () => {
    expect(stemOf('/api/*')).toBe('/api/');
    expect(stemOf('images/*.jpg')).toBe('/images/');
    expect(stemOf('*.js')).toBe('');
    expect(stemOf('/a?c')).toBe('/a');
  });

  it.each([
    [['/assets/*', '/images/*'], 2, 'no broader pattern: last'],
    [['/assets/*', '/*', '/images/*'], 1, 'before "/*"'],
    [['/assets/*', '/a*', '/images/*'], 1, 'before "/a*"'],
    [['*.js', '/assets/*'], 0, 'before "*.js" (matches /api/x.js)'],
    [['/assets/*', 'ap*'], 1, 'before "ap*" (read as "/ap*")'],
    [['/api/v2/*', '/*'], 1, 'after a narrower "/api/v2/*", before "/*"'],
    [['/apiary/*', '/app/*'], 2, 'siblings are not broader'],
    [[], 0, 'no behaviors'],
  ])('%j -> %i (%s)', (patterns, index) => {
    expect(behaviorInsertIndex(patterns as string[], '/api/*')).toBe(index);
  });
});

describe('withoutOrigin', () => {
  it('drops the origin and every behavior that targets it, keeping the others in order', () => {
    const s = fixture();
    const attached: DistributionSnapshot = {
      ...s,
      DistributionConfig: {
        ...s.DistributionConfig,
        Origins: {
          Quantity: 2,
          Items: [...(s.DistributionConfig.Origins?.Items ?? []), { Id: 'backplane-api', DomainName: 'origin-api.example.com' }],
        },
        CacheBehaviors: {
          Quantity: 3,
          Items: [
            s.DistributionConfig.CacheBehaviors!.Items![0],
            { ...s.DistributionConfig.CacheBehaviors!.Items![0], PathPattern: '/api/*', TargetOriginId: 'backplane-api' },
            s.DistributionConfig.CacheBehaviors!.Items![1],
          ],
        },
      },
    };
    expect(withoutOrigin(attached, 'backplane-api').DistributionConfig).toEqual({
      ...s.DistributionConfig,
      Origins: { Quantity: 1, Items: s.DistributionConfig.Origins!.Items },
    });
  });

  it('refuses to strip the origin of the default behavior', () => {
    expect(() => withoutOrigin(fixture(), 'frontend-s3')).toThrow(/default cache behavior.*targets origin "frontend-s3"/);
  });
});

describe('snapshotToJson', () => {
  it('is stable: Id, ETag, snapshotAt first, 2-space indent, trailing newline, same text for the same snapshot', () => {
    const s = fixture();
    const shuffled = { DistributionConfig: s.DistributionConfig, snapshotAt: s.snapshotAt, ETag: s.ETag, Id: s.Id } as DistributionSnapshot;
    const json = snapshotToJson(shuffled);
    expect(json).toBe(snapshotToJson(s));
    expect(Object.keys(JSON.parse(json))).toEqual(['Id', 'ETag', 'snapshotAt', 'DistributionConfig']);
    expect(json.endsWith('}\n')).toBe(true);
    expect(json.split('\n')[1]).toBe('  "Id": "E1FRONTEND0001",');
  });
});

describe('origin rendering: absent fields as the zero values the import stores', () => {
  const body = blockToJson(distributionBody((name) => `local.${name}`)) as {
    dynamic: { origin: { content: Record<string, unknown> & { dynamic: Record<string, { content: Record<string, unknown> }> } } };
  };
  const origin = body.dynamic.origin.content;

  it('renders an origin without path or connection settings as the import reads it back', () => {
    // "" is refused by the provider's validation: no OAC stays null.
    expect(origin.origin_access_control_id).toBe('${try(o.value.OriginAccessControlId, null)}');
    expect(origin.origin_path).toBe('${try(o.value.OriginPath, "")}');
    expect(origin.connection_attempts).toBe('${try(o.value.ConnectionAttempts, 3)}');
    expect(origin.connection_timeout).toBe('${try(o.value.ConnectionTimeout, 10)}');
  });

  it('renders absent custom and VPC origin timeouts as the provider defaults (read 30, keepalive 5)', () => {
    for (const block of ['custom_origin_config', 'vpc_origin_config']) {
      const attrs = origin.dynamic[block].content;
      expect(String(attrs.origin_read_timeout)).toMatch(/^\$\{try\(\w+\.value\.OriginReadTimeout, 30\)\}$/);
      expect(String(attrs.origin_keepalive_timeout)).toMatch(/^\$\{try\(\w+\.value\.OriginKeepaliveTimeout, 5\)\}$/);
    }
  });
});
