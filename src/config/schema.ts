import { z } from 'zod';
import { alarmsSchema } from './alarms';
import { cacheSchema } from './cache';
import { appName, domainName, MAX_PREFIX_LENGTH, stageName } from './common';
import { cronSchema } from './cron';
import { databaseSchema } from './database';
import { dnsSchema, edgeSchema } from './edge';
import { emailSchema } from './email';
import { lambdaSchema } from './lambda';
import { networkSchema } from './network';
import { previewSchema } from './preview';
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
    /** Which copy of the app this is: dev, staging, prod or any short name such as "pr-123" (`--stage` / BACKPLANE_STAGE override it). */
    stage: stageName.default('dev'),
    /** Protect stateful resources (deletion protection, final snapshots, images pinned by digest, redundancy defaults); default: true on "prod" only. */
    protect: z.boolean().optional(),
    /** The AWS Region everything is created in (the adopted CloudFront distribution is global). */
    region: z.string().regex(REGION, 'must be an AWS region such as "us-east-1"').default('us-east-1'),
    /** The site's domain (its DNS may live outside Route53). */
    domain: domainName,
    /** Tags added to every resource, next to backplane:app and backplane:stage (cost allocation, ownership). */
    tags: z.record(z.string(), z.string()).default({}),
    /** The VPC: subnets, AZs and how tasks reach the internet (NAT). */
    network: networkSchema,
    /** The API container on ECS Fargate: image, size, environment, secrets, scaling. */
    service: serviceSchema,
    /** The ECR repository the image is pushed to. */
    registry: z
      .object({
        /** Release images (by releaseTagPrefixes) and, apart, other tagged images the lifecycle policy keeps; older ones expire. */
        keepLastImages: z.number().int().min(1).max(1000).default(30),
        /**
         * Tag prefixes of releases ("v" for v1.4.2), counted apart so other builds never expire the release a stage runs;
         * with service.build the stage's own deploy tags ("<stage>-") are added.
         */
        releaseTagPrefixes: z
          .array(z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, 'must be the start of a Docker tag, e.g. "v"'))
          .default(['v']),
        /** Days after which untagged images (interrupted or superseded pushes) expire. */
        untaggedExpireDays: z.number().int().min(1).max(3650).default(7),
      })
      .strict()
      .default({ keepLastImages: 30, releaseTagPrefixes: ['v'], untaggedExpireDays: 7 }),
    /** An existing ACM certificate for the origin name; by default Backplane requests one and validates it by DNS. */
    certificateArn: z
      .string()
      .regex(/^arn:aws[a-zA-Z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate\/.+$/, 'must be an ACM certificate ARN')
      .optional(),
    /** Where the API meets viewers: /api/* on the existing CloudFront distribution, or api.<domain>. */
    edge: edgeSchema,
    /** Where the DNS records Backplane needs (certificate validation, the API, email) are created. */
    dns: dnsSchema.default({ provider: 'manual', waitForValidation: true }),
    /** PostgreSQL on RDS or Aurora Serverless v2 (omit for no database). */
    database: databaseSchema,
    /** Valkey or Redis on ElastiCache (omit for no cache). */
    cache: cacheSchema,
    /** SQS queues with a dead-letter queue and a worker each, keyed by name. */
    queues: queuesSchema,
    /** Scheduled jobs (EventBridge Scheduler), keyed by name. */
    cron: cronSchema,
    /** How Lambda workers and Lambda cron jobs are packaged (their code bucket, for packages over the direct-upload quota). */
    lambda: lambdaSchema,
    /** Transactional email through SES v2 from the domain (omit for none). */
    email: emailSchema,
    /** App secrets Backplane creates empty in Secrets Manager (values set out of band) and injects by name. */
    secrets: secretsSchema,
    /** Alarms on errors, latency, saturation, dead letters and rolled-back deployments, to an SNS topic (and an email). */
    alarms: alarmsSchema,
    /** Where Terraform keeps its state: local, S3 (recommended) or HCP Terraform. */
    state: stateSchema,
    /** Preview stages (e.g. pr-123) that share a parent stage's network, load balancer, image repository, database instance and cache, so they cost only their tasks. */
    preview: previewSchema,
  })
  .strict()
  .superRefine((config, ctx) => {
    const prefix = `${config.name}-${config.stage}`;
    if (prefix.length > MAX_PREFIX_LENGTH)
      ctx.addIssue({
        code: 'custom',
        path: ['stage'],
        message: `"${prefix}" (name-stage) is ${prefix.length} characters: at most ${MAX_PREFIX_LENGTH}, so every AWS name derived from it fits; shorten the name or the stage`,
      });
  });

/** What the user writes. */
export type BackplaneConfigInput = z.input<typeof configSchema>;
/** The validated configuration with defaults applied. */
export type BackplaneConfig = z.output<typeof configSchema>;
