import { z } from 'zod';

// Owned by the data-tier work (issue 5): replace this stub with the real section.
export const databaseSchema = z.object({}).strict().optional();
export type DatabaseConfig = z.output<typeof databaseSchema>;
