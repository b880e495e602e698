/** Configuration for AWS SDK v3 clients that assert against the private moto_server. */
import type { MotoServer } from './moto';

/** The fake credentials every harness call uses (moto accepts any). */
export const FAKE_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' } as const;

/** The region the harness points the default provider at. */
export const E2E_REGION = 'us-east-1';

/** What `new XxxClient(...)` needs to talk to moto. */
export interface AwsClientConfig {
  readonly region: string;
  readonly endpoint: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** Fail fast: moto either answers or it does not. */
  readonly maxAttempts: number;
}

/**
 * `{ region, endpoint, credentials }` for an AWS SDK v3 client against `moto`, e.g.
 * `new ECSClient(awsClientConfig(moto))`. Pass `region` for resources of an aliased provider.
 */
export function awsClientConfig(moto: Pick<MotoServer, 'endpoint'>, region: string = E2E_REGION): AwsClientConfig {
  return { region, endpoint: moto.endpoint, credentials: { ...FAKE_CREDENTIALS }, maxAttempts: 2 };
}

/** {@link awsClientConfig} plus path-style addressing, for `S3Client`. */
export function awsS3ClientConfig(
  moto: Pick<MotoServer, 'endpoint'>,
  region: string = E2E_REGION,
): AwsClientConfig & { readonly forcePathStyle: true } {
  return { ...awsClientConfig(moto, region), forcePathStyle: true };
}
