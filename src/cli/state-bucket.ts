/**
 * The S3 bucket for Terraform state (`backplane init --backend s3`): versioned (every state write can be rolled
 * back), encrypted at rest (SSE-KMS with a bucket key, or SSE-S3), all public access blocked, ACLs off, and a
 * policy that refuses any request not made over TLS. Locking is Terraform's native S3 lockfile (`use_lockfile`,
 * Terraform >= 1.10): no DynamoDB table. Idempotent: on an existing bucket of the account, it applies the settings.
 */
import {
  BucketAlreadyOwnedByYou,
  CreateBucketCommand,
  HeadBucketCommand,
  PutBucketEncryptionCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketOwnershipControlsCommand,
  PutBucketPolicyCommand,
  PutBucketVersioningCommand,
  PutPublicAccessBlockCommand,
  type BucketLocationConstraint,
  type S3Client,
} from '@aws-sdk/client-s3';
import { UserError } from './errors';

export interface StateBucketOptions {
  readonly bucket: string;
  readonly region: string;
  /**
   * Server-side encryption: "aws:kms" (the AWS-managed aws/s3 key unless `kmsKeyId`, with an S3 bucket key) or
   * "AES256" (SSE-S3).
   * @default "aws:kms"
   */
  readonly sse?: 'aws:kms' | 'AES256';
  /** A customer-managed KMS key id or ARN (sse "aws:kms" only). @default the AWS-managed key */
  readonly kmsKeyId?: string;
  /** Days old state versions are kept. @default 90 */
  readonly noncurrentVersionDays?: number;
}

export interface StateBucketResult {
  readonly bucket: string;
  readonly created: boolean;
  /** What was applied, for the summary. */
  readonly settings: readonly string[];
}

export const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

function partition(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** Deny every request that is not over TLS (AWS: "s3-bucket-ssl-requests-only"). */
export function tlsOnlyPolicy(bucket: string, region: string): string {
  const arn = `arn:${partition(region)}:s3:::${bucket}`;
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'DenyInsecureTransport',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: [arn, `${arn}/*`],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
    ],
  });
}

async function exists(s3: S3Client, bucket: string): Promise<boolean> {
  try {
    await s3.send(new HeadBucketCommand({ Bucket: bucket }));
    return true;
  } catch (err) {
    const e = err as Error & { $metadata?: { httpStatusCode?: number } };
    const status = e.$metadata?.httpStatusCode;
    if (status === 404 || e.name === 'NotFound' || e.name === 'NoSuchBucket') return false;
    if (status === 403)
      throw new UserError(`bucket ${bucket} exists and belongs to another account (bucket names are global): choose another --bucket`);
    throw err;
  }
}

export async function ensureStateBucket(s3: S3Client, o: StateBucketOptions): Promise<StateBucketResult> {
  if (!BUCKET_NAME.test(o.bucket))
    throw new UserError(`--bucket "${o.bucket}" is not an S3 bucket name (3-63 lower-case letters, digits, dots, hyphens)`);
  const sse = o.sse ?? 'aws:kms';
  if (o.kmsKeyId && sse !== 'aws:kms') throw new UserError('--kms-key-id needs --sse aws:kms');
  const Bucket = o.bucket;
  let created = false;
  if (!(await exists(s3, Bucket))) {
    try {
      await s3.send(
        new CreateBucketCommand({
          Bucket,
          ObjectOwnership: 'BucketOwnerEnforced',
          // us-east-1 takes no LocationConstraint (S3 API reference, CreateBucket).
          ...(o.region === 'us-east-1' ? {} : { CreateBucketConfiguration: { LocationConstraint: o.region as BucketLocationConstraint } }),
        }),
      );
      created = true;
    } catch (err) {
      if (!(err instanceof BucketAlreadyOwnedByYou) && (err as Error).name !== 'BucketAlreadyOwnedByYou') {
        if ((err as Error).name === 'BucketAlreadyExists')
          throw new UserError(`bucket ${Bucket} is taken (bucket names are global): choose another --bucket`);
        throw err;
      }
    }
  }
  await s3.send(
    new PutBucketOwnershipControlsCommand({ Bucket, OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] } }),
  );
  await s3.send(
    new PutPublicAccessBlockCommand({
      Bucket,
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        IgnorePublicAcls: true,
        BlockPublicPolicy: true,
        RestrictPublicBuckets: true,
      },
    }),
  );
  await s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled' } }));
  await s3.send(
    new PutBucketEncryptionCommand({
      Bucket,
      ServerSideEncryptionConfiguration: {
        Rules: [
          {
            ApplyServerSideEncryptionByDefault: { SSEAlgorithm: sse, ...(o.kmsKeyId ? { KMSMasterKeyID: o.kmsKeyId } : {}) },
            BucketKeyEnabled: sse === 'aws:kms',
          },
        ],
      },
    }),
  );
  await s3.send(new PutBucketPolicyCommand({ Bucket, Policy: tlsOnlyPolicy(Bucket, o.region) }));
  const days = o.noncurrentVersionDays ?? 90;
  await s3.send(
    new PutBucketLifecycleConfigurationCommand({
      Bucket,
      LifecycleConfiguration: {
        Rules: [
          {
            ID: 'backplane-state-history',
            Status: 'Enabled',
            Filter: { Prefix: '' },
            NoncurrentVersionExpiration: { NoncurrentDays: days },
            AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
          },
        ],
      },
    }),
  );
  return {
    bucket: Bucket,
    created,
    settings: [
      'versioning on',
      sse === 'aws:kms' ? `SSE-KMS (${o.kmsKeyId ?? 'aws/s3'}) with a bucket key` : 'SSE-S3 (AES256)',
      'public access blocked, ACLs disabled',
      'TLS-only bucket policy',
      `old state versions kept ${days} days`,
    ],
  };
}
