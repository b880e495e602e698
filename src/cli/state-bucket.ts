/**
 * The S3 bucket for Terraform state (`backplane init --backend s3`): versioned (every state write can be rolled
 * back), encrypted at rest (SSE-KMS with a bucket key, or SSE-S3), all public access blocked, ACLs off, and a
 * policy that refuses any request not made over TLS. Locking is Terraform's native S3 lockfile (`use_lockfile`,
 * Terraform >= 1.10): no DynamoDB table.
 *
 * Idempotent, and safe on an existing bucket of the account: it reads what is there first and never weakens it.
 * The owner's policy statements and lifecycle rules are kept (only the `DenyInsecureTransport` statement and the
 * `backplane-state-history` rule are ours), a customer-managed KMS key is never replaced (init refuses instead),
 * and every call after CreateBucket carries ExpectedBucketOwner so another account's bucket is never touched.
 */
import {
  BucketAlreadyOwnedByYou,
  CreateBucketCommand,
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketPolicyCommand,
  GetBucketVersioningCommand,
  HeadBucketCommand,
  PutBucketEncryptionCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketOwnershipControlsCommand,
  PutBucketPolicyCommand,
  PutBucketVersioningCommand,
  PutPublicAccessBlockCommand,
  type BucketLocationConstraint,
  type BucketVersioningStatus,
  type LifecycleRule,
  type PutBucketLifecycleConfigurationCommandInput,
  type S3Client,
  type ServerSideEncryptionByDefault,
  type ServerSideEncryptionRule,
  type TransitionDefaultMinimumObjectSize,
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
  /**
   * The caller's account id (STS GetCallerIdentity), sent as ExpectedBucketOwner on every call after CreateBucket:
   * S3 then answers 403 for a bucket of another account instead of acting on it.
   */
  readonly expectedBucketOwner?: string;
}

export interface StateBucketResult {
  readonly bucket: string;
  readonly created: boolean;
  /** What was applied (for an existing bucket: what was kept and what was added), for the summary. */
  readonly settings: readonly string[];
}

export const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

const TLS_SID = 'DenyInsecureTransport';
const HISTORY_RULE_ID = 'backplane-state-history';

/** `{ Bucket, ExpectedBucketOwner? }`: the common part of every call after CreateBucket. */
interface Target {
  readonly Bucket: string;
  readonly ExpectedBucketOwner?: string;
}

interface Wanted {
  readonly sse: 'aws:kms' | 'AES256';
  readonly key?: string;
}

type PolicyStatement = { Sid?: string } & Record<string, unknown>;
type PolicyDocument = { Statement?: PolicyStatement | PolicyStatement[] } & Record<string, unknown>;

/** What the bucket has now. */
interface Current {
  readonly encryption?: ServerSideEncryptionRule;
  readonly policy?: PolicyDocument;
  readonly lifecycle: { readonly rules: LifecycleRule[]; readonly minObjectSize?: TransitionDefaultMinimumObjectSize };
  readonly versioning?: BucketVersioningStatus;
}

/** One setting: what to write (nothing when it is already right) and what to say about it. */
interface Step<T> {
  readonly put?: T;
  readonly note: string;
}

function partition(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

function tlsStatement(bucket: string, region: string): PolicyStatement {
  const arn = `arn:${partition(region)}:s3:::${bucket}`;
  return {
    Sid: TLS_SID,
    Effect: 'Deny',
    Principal: '*',
    Action: 's3:*',
    Resource: [arn, `${arn}/*`],
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  };
}

/** Deny every request that is not over TLS (AWS: "s3-bucket-ssl-requests-only"). */
export function tlsOnlyPolicy(bucket: string, region: string): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: [tlsStatement(bucket, region)] });
}

const plural = (n: number, what: string): string => `${n} ${what}${n === 1 ? '' : 's'}`;

async function exists(s3: S3Client, target: Target): Promise<boolean> {
  try {
    await s3.send(new HeadBucketCommand(target));
    return true;
  } catch (err) {
    const e = err as Error & { $metadata?: { httpStatusCode?: number } };
    const status = e.$metadata?.httpStatusCode;
    if (status === 404 || e.name === 'NotFound' || e.name === 'NoSuchBucket') return false;
    // With ExpectedBucketOwner, S3 answers 403 Access Denied when the bucket belongs to another account (S3 API
    // reference, HeadBucket; S3 User Guide, "Verifying bucket ownership with bucket owner condition").
    if (status === 403 && target.ExpectedBucketOwner)
      throw new UserError(
        `bucket ${target.Bucket} is not in account ${target.ExpectedBucketOwner} (or you may not read it: S3 answered 403): bucket names are global, choose another --bucket`,
      );
    if (status === 403)
      throw new UserError(
        `bucket ${target.Bucket} exists and belongs to another account (bucket names are global): choose another --bucket`,
      );
    throw err;
  }
}

/** Creates the bucket unless it exists; true when created. */
async function createIfMissing(s3: S3Client, target: Target, region: string): Promise<boolean> {
  if (await exists(s3, target)) return false;
  try {
    await s3.send(
      new CreateBucketCommand({
        Bucket: target.Bucket,
        ObjectOwnership: 'BucketOwnerEnforced',
        // us-east-1 takes no LocationConstraint (S3 API reference, CreateBucket).
        ...(region === 'us-east-1' ? {} : { CreateBucketConfiguration: { LocationConstraint: region as BucketLocationConstraint } }),
      }),
    );
    return true;
  } catch (err) {
    if (err instanceof BucketAlreadyOwnedByYou || (err as Error).name === 'BucketAlreadyOwnedByYou') return false;
    if ((err as Error).name === 'BucketAlreadyExists')
      throw new UserError(`bucket ${target.Bucket} is taken (bucket names are global): choose another --bucket`);
    throw err;
  }
}

/** The result of a Get call, or undefined when S3 answers `code` (the setting is absent). */
async function unlessAbsent<T>(call: Promise<T>, code: string): Promise<T | undefined> {
  try {
    return await call;
  } catch (err) {
    if ((err as Error).name === code) return undefined;
    throw err;
  }
}

async function readCurrent(s3: S3Client, target: Target): Promise<Current> {
  const [encryption, policy, lifecycle, versioning] = await Promise.all([
    unlessAbsent(s3.send(new GetBucketEncryptionCommand(target)), 'ServerSideEncryptionConfigurationNotFoundError'),
    unlessAbsent(s3.send(new GetBucketPolicyCommand(target)), 'NoSuchBucketPolicy'),
    unlessAbsent(s3.send(new GetBucketLifecycleConfigurationCommand(target)), 'NoSuchLifecycleConfiguration'),
    s3.send(new GetBucketVersioningCommand(target)),
  ]);
  return {
    encryption: encryption?.ServerSideEncryptionConfiguration?.Rules?.find((r) => r.ApplyServerSideEncryptionByDefault),
    policy: policy?.Policy ? (JSON.parse(policy.Policy) as PolicyDocument) : undefined,
    lifecycle: { rules: lifecycle?.Rules ?? [], minObjectSize: lifecycle?.TransitionDefaultMinimumObjectSize },
    versioning: versioning.Status,
  };
}

/** The AWS-managed key: no key id, "alias/aws/s3", or its ARN. */
const isAwsManagedKey = (key: string | undefined): boolean => !key || key === 'alias/aws/s3' || key.endsWith(':alias/aws/s3');

/** The customer-managed KMS key of an SSE-KMS (or DSSE-KMS) default encryption, if any. */
function customerKey(d: ServerSideEncryptionByDefault | undefined): string | undefined {
  const key = d?.KMSMasterKeyID;
  return d?.SSEAlgorithm?.startsWith('aws:kms') && !isAwsManagedKey(key) ? key : undefined;
}

function describe(d: ServerSideEncryptionByDefault): string {
  const key = customerKey(d);
  if (d.SSEAlgorithm === 'AES256') return 'SSE-S3 (AES256)';
  if (d.SSEAlgorithm === 'aws:kms') return key ? `SSE-KMS key ${key}` : 'SSE-KMS (aws/s3)';
  if (d.SSEAlgorithm === 'aws:kms:dsse') return key ? `DSSE-KMS key ${key}` : 'DSSE-KMS (aws/s3)';
  return String(d.SSEAlgorithm);
}

const describeRule = (r: ServerSideEncryptionRule): string =>
  `${describe(r.ApplyServerSideEncryptionByDefault ?? { SSEAlgorithm: undefined })}${r.BucketKeyEnabled ? ' with a bucket key' : ''}`;

/**
 * A customer-managed key (or DSSE-KMS) is kept only by asking for exactly it: anything else would be a downgrade
 * (SSE-S3, the aws/s3 key) or swap the key the owner chose, so init refuses before changing anything.
 */
function refuseDowngrade(bucket: string, now: ServerSideEncryptionByDefault | undefined, want: Wanted): void {
  const key = customerKey(now);
  if (!now || (!key && now.SSEAlgorithm !== 'aws:kms:dsse')) return;
  if (want.sse === 'aws:kms' && want.key === key) return;
  const asked = want.sse === 'AES256' ? '--sse AES256' : want.key ? `--kms-key-id ${want.key}` : 'the aws/s3 key (no --kms-key-id)';
  const keep = key ? `--kms-key-id ${key}` : '--sse aws:kms and no --kms-key-id';
  throw new UserError(
    `bucket ${bucket} is encrypted with ${describe(now)}: init does not replace it with ${asked}; rerun with ${keep} to keep it`,
  );
}

function encryptionRule(want: Wanted, keep?: ServerSideEncryptionRule): ServerSideEncryptionRule {
  return {
    ApplyServerSideEncryptionByDefault: { SSEAlgorithm: want.sse, ...(want.key ? { KMSMasterKeyID: want.key } : {}) },
    BucketKeyEnabled: want.sse === 'aws:kms',
    // PutBucketEncryption replaces the whole configuration: keep the owner's block on SSE-C uploads.
    ...(keep?.BlockedEncryptionTypes ? { BlockedEncryptionTypes: keep.BlockedEncryptionTypes } : {}),
  };
}

function planEncryption(bucket: string, current: ServerSideEncryptionRule | undefined, want: Wanted): Step<ServerSideEncryptionRule> {
  const now = current?.ApplyServerSideEncryptionByDefault;
  refuseDowngrade(bucket, now, want);
  // DSSE-KMS (two layers) is stronger than anything init writes: left as it is.
  if (now?.SSEAlgorithm === 'aws:kms:dsse') return { note: `kept ${describe(now)}` };
  const ours = encryptionRule(want, current);
  if (now?.SSEAlgorithm === want.sse && customerKey(now) === customerKey(ours.ApplyServerSideEncryptionByDefault)) {
    // The same encryption: written only to turn the bucket key on (fewer KMS requests).
    const put = !!current?.BucketKeyEnabled === ours.BucketKeyEnabled ? undefined : ours;
    return { put, note: `kept ${describeRule(ours)}` };
  }
  return { put: ours, note: now ? `${describeRule(ours)} (was ${describe(now)})` : describeRule(ours) };
}

/** Every statement of the owner's policy kept; ours added unless a statement with its Sid is there. */
function planPolicy(doc: PolicyDocument | undefined, bucket: string, region: string): Step<string> {
  const kept = doc?.Statement === undefined ? [] : Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
  if (kept.some((s) => s.Sid === TLS_SID)) return { note: `kept ${plural(kept.length, 'policy statement')} (TLS-only among them)` };
  const merged = { Version: '2012-10-17', ...doc, Statement: [...kept, tlsStatement(bucket, region)] };
  const note = kept.length ? `kept ${plural(kept.length, 'policy statement')}, added TLS-only` : 'TLS-only bucket policy';
  return { put: JSON.stringify(merged), note };
}

/** The owner's lifecycle rules kept; ours (by ID) replaced in place, or added. */
function planLifecycle(current: Current['lifecycle'], days: number): Step<Omit<PutBucketLifecycleConfigurationCommandInput, 'Bucket'>> {
  const ours: LifecycleRule = {
    ID: HISTORY_RULE_ID,
    Status: 'Enabled',
    Filter: { Prefix: '' },
    NoncurrentVersionExpiration: { NoncurrentDays: days },
    AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
  };
  const others = current.rules.filter((r) => r.ID !== HISTORY_RULE_ID);
  const Rules =
    others.length === current.rules.length ? [...others, ours] : current.rules.map((r) => (r.ID === HISTORY_RULE_ID ? ours : r));
  const history = `old state versions kept ${days} days`;
  return {
    // The PUT replaces the whole configuration, this bucket-wide setting included: keep the owner's value.
    put: {
      LifecycleConfiguration: { Rules },
      ...(current.minObjectSize ? { TransitionDefaultMinimumObjectSize: current.minObjectSize } : {}),
    },
    note: others.length ? `kept ${plural(others.length, 'lifecycle rule')}, ${history}` : history,
  };
}

/** Turned on when off or suspended; never rewritten when on (a bucket with MFA delete would need the MFA token). */
function planVersioning(status: BucketVersioningStatus | undefined): Step<true> {
  if (status === 'Enabled') return { note: 'versioning on' };
  return { put: true, note: `versioning turned on (was ${status ? status.toLowerCase() : 'off'})` };
}

interface Plan {
  readonly versioning: Step<true>;
  readonly encryption: Step<ServerSideEncryptionRule>;
  readonly policy: Step<string>;
  readonly lifecycle: Step<Omit<PutBucketLifecycleConfigurationCommandInput, 'Bucket'>>;
}

async function apply(s3: S3Client, target: Target, plan: Plan): Promise<void> {
  const OwnershipControls = { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' as const }] };
  await s3.send(new PutBucketOwnershipControlsCommand({ ...target, OwnershipControls }));
  // Before the public access block: with BlockPublicPolicy on, S3 rejects a PutBucketPolicy whose statements grant
  // public access (S3 API reference, PublicAccessBlockConfiguration), and the owner's statements are written back too.
  if (plan.policy.put) await s3.send(new PutBucketPolicyCommand({ ...target, Policy: plan.policy.put }));
  await s3.send(
    new PutPublicAccessBlockCommand({
      ...target,
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        IgnorePublicAcls: true,
        BlockPublicPolicy: true,
        RestrictPublicBuckets: true,
      },
    }),
  );
  if (plan.versioning.put) await s3.send(new PutBucketVersioningCommand({ ...target, VersioningConfiguration: { Status: 'Enabled' } }));
  if (plan.encryption.put)
    await s3.send(new PutBucketEncryptionCommand({ ...target, ServerSideEncryptionConfiguration: { Rules: [plan.encryption.put] } }));
  if (plan.lifecycle.put) await s3.send(new PutBucketLifecycleConfigurationCommand({ ...target, ...plan.lifecycle.put }));
}

function wanted(o: StateBucketOptions): Wanted {
  if (!BUCKET_NAME.test(o.bucket))
    throw new UserError(`--bucket "${o.bucket}" is not an S3 bucket name (3-63 lower-case letters, digits, dots, hyphens)`);
  const sse = o.sse ?? 'aws:kms';
  if (o.kmsKeyId && sse !== 'aws:kms') throw new UserError('--kms-key-id needs --sse aws:kms');
  return { sse, key: o.kmsKeyId };
}

export async function ensureStateBucket(s3: S3Client, o: StateBucketOptions): Promise<StateBucketResult> {
  const want = wanted(o);
  const target: Target = { Bucket: o.bucket, ...(o.expectedBucketOwner ? { ExpectedBucketOwner: o.expectedBucketOwner } : {}) };
  const created = await createIfMissing(s3, target, o.region);
  // Everything is read and decided before the first write: a refusal leaves the bucket as it was.
  const current = await readCurrent(s3, target);
  const days = o.noncurrentVersionDays ?? 90;
  const plan: Plan = {
    versioning: planVersioning(current.versioning),
    encryption: planEncryption(o.bucket, current.encryption, want),
    policy: planPolicy(current.policy, o.bucket, o.region),
    lifecycle: planLifecycle(current.lifecycle, days),
  };
  await apply(s3, target, plan);
  const blocked = 'public access blocked, ACLs disabled';
  const settings = created
    ? ['versioning on', describeRule(encryptionRule(want)), blocked, 'TLS-only bucket policy', `old state versions kept ${days} days`]
    : [plan.versioning.note, plan.encryption.note, blocked, plan.policy.note, plan.lifecycle.note];
  return { bucket: o.bucket, created, settings };
}
