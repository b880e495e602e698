/**
 * AWS SDK clients the CLI uses, behind factories so tests point them at a private moto_server. Only clients that
 * are package dependencies (installed for users): S3, ECR, CloudFront, STS.
 */
import { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { ECRClient } from '@aws-sdk/client-ecr';
import { S3Client } from '@aws-sdk/client-s3';
import { STSClient } from '@aws-sdk/client-sts';

export interface AwsClients {
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
  s3: (region) => new S3Client({ region }),
  sts: (region) => new STSClient({ region }),
  ecr: (region) => new ECRClient({ region }),
  cloudfront: () => new CloudFrontClient({ region: 'us-east-1' }),
  credentials: async (region) => {
    const client = new S3Client({ region });
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
