import { Construct } from 'constructs';
import { SecretsmanagerSecret } from '@cdktn/provider-aws/lib/secretsmanager-secret';
import { Fn } from 'cdktn';
import { ConfigError } from '../modules/module';

export interface AppSecretsProps {
  /** Secret names are `<prefix>/<NAME>`, e.g. "shop-dev/STRIPE_KEY". */
  readonly prefix: string;
  /** NAME (the environment variable the app reads) -> what the secret is for. */
  readonly secrets: Readonly<Record<string, { readonly description: string; readonly recoveryWindowDays?: number }>>;
  /**
   * Days a deleted secret can be restored (0 deletes at once; 7-30), unless an entry sets its own.
   * @default 30
   */
  readonly recoveryWindowDays?: number;
  /**
   * A customer-managed KMS key; the execution role then also needs kms:Decrypt on it.
   * @default the AWS managed key aws/secretsmanager
   */
  readonly kmsKeyId?: string;
  /** @default {} */
  readonly tags?: Record<string, string>;
}

/**
 * App secrets (API keys and the like) as Secrets Manager secrets WITHOUT a value: Terraform creates the secret
 * and never a version, so the value is in neither the config nor the state. Inject `valueFrom` as task secrets;
 * the service's execution role may read exactly these ARNs. Set each value out of band:
 *
 *   aws secretsmanager put-secret-value --secret-id shop-dev/STRIPE_KEY --secret-string file://stripe_key.txt
 *
 * (`putValueCommands` has the line for each secret.) A task that injects a secret with no value yet fails to
 * start, so set the values before the first deploy that uses them.
 */
export class AppSecrets extends Construct {
  /** NAME -> the secret resource. */
  readonly secrets: Readonly<Record<string, SecretsmanagerSecret>>;
  /** NAME -> secret ARN: the task `secrets` valueFrom. */
  readonly valueFrom: Readonly<Record<string, string>>;
  /** NAME -> the `aws secretsmanager put-secret-value` line that sets its value. */
  readonly putValueCommands: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, p: AppSecretsProps) {
    super(scope, id);
    const secrets: Record<string, SecretsmanagerSecret> = {};
    const commands: Record<string, string> = {};
    for (const [name, s] of Object.entries(p.secrets)) {
      if (!/^[A-Z_][A-Z0-9_]*$/.test(name)) {
        throw new ConfigError(`${id}.secrets: "${name}" must be an upper-case environment variable name such as "STRIPE_KEY"`);
      }
      const days = s.recoveryWindowDays ?? p.recoveryWindowDays ?? 30;
      if (!(days === 0 || (Number.isInteger(days) && days >= 7 && days <= 30))) {
        throw new ConfigError(`${id}.secrets.${name}.recoveryWindowDays = ${days} must be 0 (delete at once) or 7 to 30 days`);
      }
      const secret = new SecretsmanagerSecret(this, name.toLowerCase(), {
        name: `${p.prefix}/${name}`,
        description: s.description,
        recoveryWindowInDays: days,
        kmsKeyId: p.kmsKeyId,
        tags: p.tags,
      });
      secrets[name] = secret;
      // file:// keeps the value out of the shell history and the process list.
      commands[name] = Fn.format(`aws secretsmanager put-secret-value --secret-id %s --secret-string file://${name.toLowerCase()}.txt`, [
        secret.arn,
      ]);
    }
    this.secrets = secrets;
    this.valueFrom = Object.fromEntries(Object.entries(secrets).map(([name, secret]) => [name, secret.arn]));
    this.putValueCommands = commands;
  }
}
