import { z } from 'zod';

// Owned by the data-tier work (issue 5): replace this stub with the real section.
export const cacheSchema = z.object({}).strict().optional();
export type CacheConfig = z.output<typeof cacheSchema>;
