import { z } from 'zod';

/** S3 bucket names (Amazon S3 User Guide, "General purpose bucket naming rules"): 3 to 63 characters. */
const bucketName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name: 3 to 63 lower-case letters, digits, "." or "-"');

export const lambdaSchema = z
  .object({
    /**
     * An existing S3 bucket in the stack's Region that the code of Lambda workers and Lambda cron jobs is uploaded
     * through (one object per code version) instead of the direct upload, which Lambda limits to 50 MB zipped; the
     * synth refuses a bigger package without it.
     */
    codeBucket: bucketName.optional(),
  })
  .strict()
  .default({});

export type LambdaConfig = z.output<typeof lambdaSchema>;
