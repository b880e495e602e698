/**
 * `preview`: stages that share a parent stage's infrastructure and so cost only their own tasks. A stage whose name
 * starts with `stagePrefix` (e.g. `pr-123`, deployed with `--stage pr-123`) runs its own service, queues, schedules
 * and secrets in the parent's VPC, behind the parent's load balancer (a listener rule on a request header), from
 * the parent's image repository, on the parent's database instance (its own database name and app role) and cache
 * (its own key prefix). Destroying the preview removes what it created and leaves the parent as it was.
 */
import { z } from 'zod';
import { stageName } from './common';

const headerName = z
  .string()
  .regex(/^[A-Za-z0-9-]{1,40}$/, 'must be an HTTP header name of letters, digits and hyphens, e.g. "X-Backplane-Stage"');

export const previewSchema = z
  .object({
    /** The stage whose network, load balancer, image repository, database instance and cache previews share (deploy it first). */
    parent: stageName,
    /** Stages whose names start with this are previews of `parent`, e.g. "pr-" for pr-123 (what `init --ci github` deploys). */
    stagePrefix: z
      .string()
      .regex(/^[a-z][a-z0-9-]{0,10}$/, 'must be the start of a stage name: a lower-case letter, then letters, digits or hyphens')
      .default('pr-'),
    /** The request header the parent's listener routes a preview on: `<header>: <stage>` reaches the preview, through CloudFront too. */
    header: headerName.default('X-Backplane-Stage'),
  })
  .strict()
  .optional();

export type PreviewConfig = z.output<typeof previewSchema>;
