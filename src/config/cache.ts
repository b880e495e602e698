/**
 * `cache`: ElastiCache for the app, absent = no cache. Valkey by default (Redis OSS with `engine: 'redis'`), one
 * cache.t4g.micro node, TLS and AUTH always on. `multiAz: true` adds a replica and automatic failover. Snapshots
 * are kept 7 days on `prod` and not taken elsewhere unless `snapshotRetentionDays` says otherwise.
 */
import { z } from 'zod';
import { CACHE_ENGINES } from '../definitions/elasticache';
import { intIn, oneOf } from './common';

export const cacheSchema = z
  .object({
    /** valkey (cheaper, wire-compatible) or redis (Redis OSS). */
    engine: oneOf(CACHE_ENGINES).default('valkey'),
    /** Engine version, e.g. "8.0" (Valkey) or "7.1" (Redis OSS). @default per engine */
    engineVersion: z
      .string()
      .regex(/^[0-9]+\.[0-9x]+$/, 'must be a major.minor version such as "8.0"')
      .optional(),
    /** The ElastiCache node type, e.g. cache.t4g.micro. */
    nodeType: z
      .string()
      .regex(/^cache\.[a-z0-9-]+\.[a-z0-9]+$/, 'must be a cache node type such as "cache.t4g.micro"')
      .default('cache.t4g.micro'),
    /** Nodes: 1 primary plus replicas. @default 2 with multiAz, else 1 */
    nodes: intIn(1, 6).optional(),
    /** Automatic failover to a replica in another AZ; a protected stage defaults to true. */
    multiAz: z.boolean().default(false),
    /** Bump to rotate the AUTH token (old and new both work until the revoke step; redeploy so tasks read the new one). */
    authTokenVersion: intIn(1, 1000000).default(1),
    /** The revoke step of a rotation: true makes the old token stop working (once the app runs with the new one); back to false with the next bump. */
    revokeOldAuthToken: z.boolean().default(false),
    /** Days of automatic snapshots. @default 7 on prod, 0 elsewhere */
    snapshotRetentionDays: intIn(0, 35).optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.multiAz && c.nodes !== undefined && c.nodes < 2) {
      ctx.addIssue({
        code: 'custom',
        path: ['nodes'],
        message: 'must be at least 2 with multiAz: true (a primary and a replica to fail over to)',
      });
    }
  })
  .transform((c) => ({ ...c, nodes: c.nodes ?? (c.multiAz ? 2 : 1) }))
  .optional();

export type CacheConfig = z.output<typeof cacheSchema>;
export type ResolvedCacheConfig = NonNullable<CacheConfig>;
