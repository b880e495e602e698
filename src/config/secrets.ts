/**
 * `secrets`: app secrets whose values never pass through the config or the Terraform state. Each entry becomes
 * a Secrets Manager secret `<name>-<stage>/<NAME>` WITHOUT a value (no secret version in Terraform) and the task
 * secret `NAME` (injected by `valueFrom`). Set the value out of band, before the service needs it:
 *
 *   aws secretsmanager put-secret-value --secret-id <name>-<stage>/STRIPE_KEY --secret-string file://stripe_key.txt
 *
 * Until a value exists, tasks that inject the secret fail to start (ECS: "ResourceNotFoundException ... AWSCURRENT").
 */
import { z } from 'zod';

const appSecretSchema = z
  .object({
    /** What the secret is for; shown in the Secrets Manager console. */
    description: z.string().min(1, 'must say what the secret is for').max(2048, 'must be at most 2048 characters'),
    /**
     * Days a deleted secret can be restored: 0 (delete at once) or 7-30.
     * @default 30 on prod, 0 elsewhere (so a destroyed dev stack can be re-created with the same names)
     */
    recoveryWindowDays: z
      .number()
      .int('must be a whole number of days')
      .refine((d) => d === 0 || (d >= 7 && d <= 30), 'must be 0 (delete at once) or 7 to 30 days')
      .optional(),
  })
  .strict();

const ENV_NAME = /^[A-Z_][A-Z0-9_]*$/;

export const secretsSchema = z
  .record(z.string(), appSecretSchema)
  .superRefine((record, ctx) => {
    for (const key of Object.keys(record)) {
      if (!ENV_NAME.test(key)) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `the secret name "${key}" must be an upper-case environment variable name such as "STRIPE_KEY" (it is injected under that name)`,
        });
      }
    }
  })
  .optional();
export type SecretsConfig = z.output<typeof secretsSchema>;
export type AppSecretConfig = z.output<typeof appSecretSchema>;
