/** AppSecrets: one Secrets Manager secret per entry and never a value in Terraform. */
import { AwsProvider } from '@cdktn/provider-aws/lib/provider';
import { App, TerraformOutput, Testing } from 'cdktn';
import { AppSecrets, type AppSecretsProps } from '../../src/constructs/app-secrets';
import { NamedStack } from '../../src/constructs/naming';
import { named, type Json } from './helpers';

function synth(props: Partial<AppSecretsProps> = {}): { json: Json; secrets: AppSecrets } {
  const app = new App({ outdir: '/tmp/async-secrets-test', skipValidation: true });
  const stack = new NamedStack(app, 'test');
  new AwsProvider(stack, 'aws', { region: 'us-east-1' });
  const secrets = new AppSecrets(stack, 'app_secrets', {
    prefix: 'shop-dev',
    secrets: { STRIPE_KEY: { description: 'Stripe API key' }, SENTRY_DSN: { description: 'Sentry DSN', recoveryWindowDays: 7 } },
    tags: { app: 'shop' },
    ...props,
  });
  new TerraformOutput(stack, 'put', { value: secrets.putValueCommands.STRIPE_KEY });
  new TerraformOutput(stack, 'value_from', { value: secrets.valueFrom });
  return { json: JSON.parse(Testing.synth(stack)) as Json, secrets };
}

describe('AppSecrets', () => {
  const { json, secrets } = synth();

  it('creates <prefix>/<NAME> with its description and the recovery window', () => {
    expect(named(json, 'aws_secretsmanager_secret', 'app_secrets_stripe_key')).toMatchObject({
      name: 'shop-dev/STRIPE_KEY',
      description: 'Stripe API key',
      recovery_window_in_days: 30,
      tags: { app: 'shop' },
    });
    expect(named(json, 'aws_secretsmanager_secret', 'app_secrets_sentry_dsn')).toMatchObject({
      name: 'shop-dev/SENTRY_DSN',
      recovery_window_in_days: 7,
    });
  });

  it('never creates a secret version: the value stays out of the config and the state', () => {
    expect(json.resource.aws_secretsmanager_secret_version).toBeUndefined();
    expect(JSON.stringify(json)).not.toMatch(/secret_string/);
  });

  it('exposes the ARNs as valueFrom and the put-secret-value line that sets each value from a file', () => {
    expect(Object.keys(secrets.valueFrom)).toEqual(['STRIPE_KEY', 'SENTRY_DSN']);
    expect(json.output?.value_from.value).toEqual({
      STRIPE_KEY: '${aws_secretsmanager_secret.app_secrets_stripe_key.arn}',
      SENTRY_DSN: '${aws_secretsmanager_secret.app_secrets_sentry_dsn.arn}',
    });
    expect(json.output?.put.value).toBe(
      '${format("aws secretsmanager put-secret-value --secret-id %s --secret-string file://stripe_key.txt", aws_secretsmanager_secret.app_secrets_stripe_key.arn)}',
    );
  });

  it.each<[string, Partial<AppSecretsProps>, string]>([
    [
      'a lower-case name',
      { secrets: { stripe: { description: 'x' } } },
      'app_secrets.secrets: "stripe" must be an upper-case environment variable name',
    ],
    [
      'a 3-day window',
      { secrets: { STRIPE_KEY: { description: 'x', recoveryWindowDays: 3 } } },
      'app_secrets.secrets.STRIPE_KEY.recoveryWindowDays = 3 must be 0 (delete at once) or 7 to 30 days',
    ],
  ])('rejects %s', (_label, props, message) => {
    expect(() => synth(props)).toThrow(message);
  });
});
