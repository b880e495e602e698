/**
 * AWS SDK clients the CLI uses, behind factories so tests point them at a private moto_server. Only clients that
 * are package dependencies (installed for users). Commands that need another client build it from
 * `clientConfig(region)` and load its package inside `run` (`await import('@aws-sdk/client-ecs')`), so a command
 * that does not use it never pays its load time.
 */
import type { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import type { ECRClient } from '@aws-sdk/client-ecr';
import type { S3Client } from '@aws-sdk/client-s3';
import type { STSClient } from '@aws-sdk/client-sts';

// Each SDK package is loaded by the first client built from it (tens of ms each): `backplane --help` loads none.
const sdk = {
  s3: () => require('@aws-sdk/client-s3') as typeof import('@aws-sdk/client-s3'),
  sts: () => require('@aws-sdk/client-sts') as typeof import('@aws-sdk/client-sts'),
  ecr: () => require('@aws-sdk/client-ecr') as typeof import('@aws-sdk/client-ecr'),
  cloudfront: () => require('@aws-sdk/client-cloudfront') as typeof import('@aws-sdk/client-cloudfront'),
};

/** What every `new XxxClient(...)` of the CLI gets: the region, and in tests the emulator's endpoint and credentials. */
export interface AwsClientConfig {
  readonly region: string;
  readonly endpoint?: string;
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string } | (() => Promise<never>);
  readonly forcePathStyle?: boolean;
  readonly maxAttempts?: number;
}

export interface AwsClients {
  /** The configuration for any other client, e.g. `new ECSClient(ctx.deps.aws.clientConfig(region))`. */
  clientConfig(region: string): AwsClientConfig;
  s3(region: string): S3Client;
  /** For the caller's account id (GetCallerIdentity). */
  sts(region: string): STSClient;
  ecr(region: string): ECRClient;
  /** CloudFront's API lives in us-east-1. */
  cloudfront(): CloudFrontClient;
  /** Resolves credentials through the default chain (env, profile, SSO, container, instance); throws when none. */
  credentials(region: string): Promise<{ readonly accessKeyId: string }>;
}

export const defaultAwsClients: AwsClients = {
  clientConfig: (region) => ({ region }),
  s3: (region) => new (sdk.s3().S3Client)({ region }),
  sts: (region) => new (sdk.sts().STSClient)({ region }),
  ecr: (region) => new (sdk.ecr().ECRClient)({ region }),
  cloudfront: () => new (sdk.cloudfront().CloudFrontClient)({ region: 'us-east-1' }),
  credentials: async (region) => {
    const client = new (sdk.s3().S3Client)({ region });
    try {
      const provider = client.config.credentials;
      return await provider();
    } finally {
      client.destroy();
    }
  },
};

/** AKIA****WXYZ: enough to tell which key is in use, not enough to leak it. */
export const maskKey = (id: string): string => (id.length > 8 ? `${id.slice(0, 4)}****${id.slice(-4)}` : '****');
