import { z } from 'zod';

// Owned by the async-tier work (issue 6): replace this stub with the real section.
export const secretsSchema = z.object({}).strict().optional();
export type SecretsConfig = z.output<typeof secretsSchema>;
