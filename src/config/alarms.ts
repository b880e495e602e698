/**
 * `alarms`: CloudWatch alarms on what breaks a backend (5xx rate, unhealthy targets, p99 latency, CPU and memory,
 * dead letters, failed schedules, database CPU, storage and connections, cache memory and evictions) and on a
 * deployment ECS rolled back, all to one SNS topic. On by default on every stage (about $0.10 per alarm-month);
 * `email` subscribes an address (AWS mails a confirmation link first). See docs/production.md.
 */
import { z } from 'zod';

export const alarmsSchema = z
  .object({
    /** Create the alarms and their SNS topic. */
    enabled: z.boolean().default(true),
    /** An address the topic mails every alarm and recovery to (confirm the subscription from the first email). */
    email: z
      .string()
      .regex(
        /^[A-Za-z0-9._%+-]+@([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
        'must be an email address such as "oncall@example.com"',
      )
      .optional(),
  })
  .strict()
  .default({ enabled: true });

export type AlarmsConfig = z.output<typeof alarmsSchema>;
