import { z } from 'zod';

export const stateSchema = z
  .discriminatedUnion(
    'backend',
    [
      /** Local state file: for the offline example and experiments only. */
      z.object({ backend: z.literal('local') }).strict(),
      /** S3 with native lockfile locking (Terraform >= 1.10), versioned and encrypted; `backplane init --backend s3` creates the bucket. */
      z
        .object({
          /** local (a file, for trying things), s3 (a bucket, recommended) or cloud (HCP Terraform). */
          backend: z.literal('s3'),
          /** The S3 bucket holding the state (`backplane init --backend s3` creates it). */
          bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name'),
          /** The object key of the state in the bucket; by default `<name>/<stage>/terraform.tfstate`, so the stacks that share a bucket never overwrite each other's state. */
          key: z.string().min(1).optional(),
          /** The bucket's Region. */
          region: z.string().default('us-east-1'),
        })
        .strict(),
      /** HCP Terraform / Terraform Cloud: runs remotely, state encrypted and access-controlled there. */
      z
        .object({
          backend: z.literal('cloud'),
          /** The HCP Terraform organization. */
          organization: z.string().min(1),
          /** The HCP Terraform workspace that runs the plans and applies. */
          workspace: z.string().min(1),
        })
        .strict(),
    ],
    { error: () => 'state.backend must be "local", "s3" or "cloud"' },
  )
  .default({ backend: 'local' });

export type StateConfig = z.output<typeof stateSchema>;
