import { z } from 'zod';
import { FARGATE_CPUS, FARGATE_MEMORY_BY_CPU } from '../definitions/fargate';
import { commandList, envName, intIn, oneOf, secretArn } from './common';

export const serviceSchema = z
  .object({
    /** Image tag in the Backplane ECR repository (e.g. "v1.4.2"); prefer `imageDigest` for prod. */
    imageTag: z
      .string()
      .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, 'must be a Docker tag such as "v1.2.3"')
      .optional(),
    /** Image digest in the Backplane ECR repository ("sha256:<64 hex>"), what `backplane image push` prints. */
    imageDigest: z
      .string()
      .regex(/^sha256:[a-f0-9]{64}$/, 'must be "sha256:" followed by 64 hex digits')
      .optional(),
    /** A full image reference outside the Backplane repository (e.g. "public.ecr.aws/org/app:1.0"). */
    image: z
      .string()
      .regex(
        /^[a-z0-9][a-z0-9./_:-]*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[a-f0-9]{64})$/,
        'must be an image reference with a tag or digest',
      )
      .optional(),
    /**
     * Build the image at `backplane deploy` (docker buildx, for the service's architecture), push it to the stack's
     * ECR repository (created first on an empty account) and pin its digest in backplane.images.json next to the
     * config, which every tool's synth reads. Paths are relative to the config file.
     */
    build: z
      .object({
        /** Build context directory. */
        context: z.string().min(1, 'must name the build context directory, e.g. "."').default('.'),
        /** Dockerfile (default: <context>/Dockerfile). */
        dockerfile: z.string().min(1, 'must name the Dockerfile, e.g. "Dockerfile"').optional(),
      })
      .strict()
      .optional(),
    /** Fargate vCPU units (256 = 0.25 vCPU); with memory it must be a valid Fargate pair. */
    cpu: z
      .number({ error: () => `must be one of the Fargate CPU sizes ${FARGATE_CPUS.join(', ')} (a number, not a string)` })
      .refine((v) => FARGATE_CPUS.includes(v), `must be one of the Fargate CPU sizes ${FARGATE_CPUS.join(', ')}`)
      .default(256),
    /** Fargate memory in MiB; must be valid for the cpu (256 -> 512, 1024, 2048). */
    memory: z
      .number({ error: () => 'must be a whole number of MiB valid for the cpu, such as 512 (a number, not a string)' })
      .int('must be a whole number of MiB')
      .default(512),
    /** CPU architecture of the image and tasks; arm64 (Graviton) is ~20 % cheaper. */
    architecture: oneOf(['arm64', 'x86_64']).default('arm64'),
    /** The port the container listens on; the load balancer forwards to it. */
    port: intIn(1, 65535).default(8080),
    /** Overrides the image's CMD. */
    command: commandList.optional(),
    /** Plain environment variables (never secrets: values land in the task definition and the state). */
    environment: z.record(envName, z.string()).default({}),
    /** Extra secrets to inject: NAME -> Secrets Manager ARN (values set out of band). */
    secrets: z.record(envName, secretArn).default({}),
    /** The container health check ECS runs inside the task (the image needs the command's program). */
    healthCheckCommand: commandList.default(['CMD', 'bun', 'run', 'src/healthcheck.ts']),
    /** Mount the root filesystem read-only (a compromised process cannot change the image). */
    readonlyRootFilesystem: z.boolean().default(true),
    /** Run by an init container before every deploy's app container; the deploy fails if it fails. */
    migrateCommand: commandList.optional(),
    /** Task count bounds and the target-tracking targets autoscaling keeps. */
    scaling: z
      .object({
        /** Fewest running tasks (autoscaling never goes below); a protected stage defaults to 2, spread over AZs. */
        min: intIn(0, 1000).default(1),
        /** Most running tasks (autoscaling never goes above); must be at least min. */
        max: intIn(1, 1000).default(4),
        /** Average CPU % autoscaling keeps the service at. */
        cpuTarget: intIn(10, 95).default(60),
        /** Average memory % autoscaling keeps the service at. */
        memoryTarget: intIn(10, 95).default(75),
        /** ALB requests per task per minute autoscaling keeps (0 turns request scaling off). */
        requestsPerTarget: intIn(0, 100000).default(1000),
      })
      .strict()
      .default({ min: 1, max: 4, cpuTarget: 60, memoryTarget: 75, requestsPerTarget: 1000 })
      .refine((s) => s.min <= s.max, { message: 'min must not exceed max', path: ['min'] }),
    /** Run tasks on Fargate Spot (~70 % cheaper, can be interrupted with 2 minutes notice). */
    spot: z.boolean().default(false),
    /** Allow ECS Exec (a shell in a running task), audited in CloudTrail. */
    executeCommand: z.boolean().default(false),
  })
  .strict()
  .superRefine((s, ctx) => {
    const valid = FARGATE_MEMORY_BY_CPU[s.cpu];
    if (valid && !valid.includes(s.memory)) {
      const allowed = valid.length <= 3 ? valid.join(', ') : `${valid[0]} to ${valid[valid.length - 1]} in steps of ${valid[1] - valid[0]}`;
      ctx.addIssue({ code: 'custom', path: ['memory'], message: `is not valid with cpu ${s.cpu} on Fargate; allowed: ${allowed}` });
    }
    const sources = [s.imageTag, s.imageDigest, s.image, s.build].filter((x) => x !== undefined).length;
    if (sources !== 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['imageTag'],
        message:
          'set exactly one of imageTag, imageDigest (both for the Backplane ECR repository), image (a full reference) or build (`backplane deploy` builds, pushes and pins it)',
      });
    }
  });

export type ServiceConfig = z.output<typeof serviceSchema>;
