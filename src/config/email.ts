import { z } from 'zod';

// Owned by the async-tier work (issue 6): replace this stub with the real section.
export const emailSchema = z.object({}).strict().optional();
export type EmailConfig = z.output<typeof emailSchema>;
