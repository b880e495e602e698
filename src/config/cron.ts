import { z } from 'zod';

// Owned by the async-tier work (issue 6): replace this stub with the real section.
export const cronSchema = z.object({}).strict().optional();
export type CronConfig = z.output<typeof cronSchema>;
