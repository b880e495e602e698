import { z } from 'zod';
import { cacheSchema } from './cache';
import { appName, domainName, oneOf, STAGES } from './common';
import { cronSchema } from './cron';
import { databaseSchema } from './database';
import { dnsSchema, edgeSchema } from './edge';
import { emailSchema } from './email';
import { networkSchema } from './network';
import { queuesSchema } from './queues';
import { secretsSchema } from './secrets';
import { serviceSchema } from './service';
import { stateSchema } from './state';

export const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;

/** The whole user configuration (`backplane.config.ts`). */
export const configSchema = z
  .object({
    /** Short app name used in every resource name, e.g. "shop". */
    name: appName,
    stage: oneOf(STAGES).default('dev'),
    region: z.string().regex(REGION, 'must be an AWS region such as "us-east-1"').default('us-east-1'),
    /** The site's domain (its DNS may live outside Route53). */
    domain: domainName,
    tags: z.record(z.string(), z.string()).default({}),
    network: networkSchema,
    service: serviceSchema,
    registry: z
      .object({ keepLastImages: z.number().int().min(1).max(1000).default(30) })
      .strict()
      .default({ keepLastImages: 30 }),
    /** An existing ACM certificate for the origin name; by default Backplane requests one and validates it by DNS. */
    certificateArn: z
      .string()
      .regex(/^arn:aws[a-zA-Z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate\/.+$/, 'must be an ACM certificate ARN')
      .optional(),
    edge: edgeSchema,
    dns: dnsSchema.default({ provider: 'manual', waitForValidation: true }),
    database: databaseSchema,
    cache: cacheSchema,
    queues: queuesSchema,
    cron: cronSchema,
    email: emailSchema,
    secrets: secretsSchema,
    state: stateSchema,
  })
  .strict();

/** What the user writes. */
export type BackplaneConfigInput = z.input<typeof configSchema>;
/** The validated configuration with defaults applied. */
export type BackplaneConfig = z.output<typeof configSchema>;
