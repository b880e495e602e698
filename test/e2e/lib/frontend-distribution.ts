/**
 * The "existing frontend" CloudFront distribution scenarios attach the API to: created in moto through the
 * SDK from test/fixtures/frontend-distribution.json, and compared the way CloudFront means its config.
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  CreateDistributionCommand,
  GetDistributionConfigCommand,
  type CloudFrontClient,
  type DistributionConfig,
} from '@aws-sdk/client-cloudfront';
import { REPO_ROOT } from './paths';

/** test/fixtures/frontend-distribution.json: a static site on S3 with an alias, two behaviors, error pages. */
export const FRONTEND_FIXTURE = path.join(REPO_ROOT, 'test', 'fixtures', 'frontend-distribution.json');

/** Creates the fixture's distribution in moto (a fresh CallerReference each time) and returns its id. */
export async function createFrontendDistribution(cf: CloudFrontClient, callerReferencePrefix: string): Promise<string> {
  const fixture = JSON.parse(fs.readFileSync(FRONTEND_FIXTURE, 'utf8')) as { DistributionConfig: DistributionConfig };
  const config: DistributionConfig = { ...fixture.DistributionConfig, CallerReference: `${callerReferencePrefix}-${Date.now()}` };
  const { Distribution } = await cf.send(new CreateDistributionCommand({ DistributionConfig: config }));
  if (!Distribution?.Id) throw new Error('CreateDistribution answered no distribution id');
  return Distribution.Id;
}

/** The live DistributionConfig. */
export async function liveDistributionConfig(cf: CloudFrontClient, id: string): Promise<DistributionConfig> {
  const { DistributionConfig: config } = await cf.send(new GetDistributionConfigCommand({ Id: id }));
  if (!config) throw new Error(`GetDistributionConfig ${id} answered no DistributionConfig`);
  return config;
}

/** Lists CloudFront treats as sets (order is not significant); CacheBehaviors and origin group Members are ordered. */
const SETS = new Set([
  'Aliases',
  'AllowedMethods',
  'CachedMethods',
  'Headers',
  'QueryStringCacheKeys',
  'WhitelistedNames',
  'OriginSslProtocols',
  'CustomErrorResponses',
  'Origins',
  'FunctionAssociations',
  'LambdaFunctionAssociations',
  'TrustedSigners',
  'TrustedKeyGroups',
  'GeoRestriction',
  'StatusCodes',
  'OriginGroups',
  'CustomHeaders',
]);
/** Read-only fields CloudFront derives from others (deprecated in the API); moto drops them after an update. */
const DERIVED = new Set(['Certificate', 'CertificateSource']);

const isEmpty = (v: unknown): boolean =>
  v === undefined ||
  v === null ||
  v === '' ||
  (Array.isArray(v) && v.length === 0) ||
  (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0);

/**
 * A DistributionConfig as CloudFront means it, for "deep-equal to before": `{ Quantity, Items }` wrappers become
 * their items (sorted where CloudFront treats the list as a set), and "" / null / empty fields and the derived
 * certificate fields go away. The same rule as test/e2e/cloudfront.e2e.test.ts.
 */
export function canonicalDistributionConfig(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) {
    const items = value.map((v) => canonicalDistributionConfig(v));
    return SETS.has(key) ? items.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))) : items;
  }
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (k === 'Quantity' || DERIVED.has(k)) continue;
    const c = k === 'Items' ? canonicalDistributionConfig(v, key) : canonicalDistributionConfig(v, k);
    if (!isEmpty(c)) out[k] = c;
  }
  return out;
}

/** `config` without the origin `originId` and the behavior `pathPattern` (what attaching the API adds). */
export function withoutApi(config: DistributionConfig, originId = 'backplane-api', pathPattern = '/api/*'): DistributionConfig {
  const origins = (config.Origins?.Items ?? []).filter((o) => o.Id !== originId);
  const behaviors = (config.CacheBehaviors?.Items ?? []).filter((b) => b.PathPattern !== pathPattern);
  return {
    ...config,
    Origins: { Quantity: origins.length, Items: origins },
    CacheBehaviors: { Quantity: behaviors.length, Items: behaviors },
  };
}

/** Dot paths where two canonical values differ. */
export function differences(a: unknown, b: unknown, at: string[] = []): string[] {
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null && Array.isArray(a) === Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].flatMap((k) => differences((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], [...at, k]));
  }
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [at.join('.')];
}
