import { z } from 'zod';

// Owned by the async-tier work (issue 6): replace this stub with the real section.
export const queuesSchema = z.object({}).strict().optional();
export type QueuesConfig = z.output<typeof queuesSchema>;
