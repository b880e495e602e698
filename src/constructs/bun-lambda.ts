/**
 * BunLambda: a queue consumer (or any event-driven function) in Bun on `provided.al2023`: the handler package
 * (its bundle and a `bootstrap` script, a few hundred KB) on the stack's shared Bun runtime layer (BunRuntimeLayer),
 * so a code change uploads the handler alone. A prebuilt `bootstrapDir` may also hold a single compiled binary.
 *
 * What it creates: the function (handler "bootstrap", the runtime layer), its log group (14-day retention), an execution
 * role whose trust policy only lets Lambda assume it on behalf of this account (aws:SourceAccount), inline
 * policies scoped to exact ARNs (its log group, the queue, the secrets), and optionally the SQS event source
 * mapping with ReportBatchItemFailures. The code is zipped once per build (see ../lambda/zip.ts: the same
 * fflate and settings as cdktn's TerraformAsset ARCHIVE, but cached) and shipped as a TerraformAsset: no
 * `archive` provider.
 *
 * Secrets: Lambda has no `secrets` injection like ECS. Each entry of `secrets` becomes an environment variable
 * `<NAME>_SECRET_ARN` holding the ARN, and the role may call GetSecretValue on exactly those ARNs; the handler
 * reads the values once at init (top level of its module), e.g. with @aws-sdk/client-secrets-manager.
 *
 * Escape hatch: `fn`, `role`, `logGroup` and `eventSourceMapping` are the generated resources; call
 * `addOverride(path, value)` on them to set any attribute this construct does not expose.
 */
import { CloudwatchLogGroup } from '@cdktn/provider-aws/lib/cloudwatch-log-group';
import { DataAwsCallerIdentity } from '@cdktn/provider-aws/lib/data-aws-caller-identity';
import { IamRole } from '@cdktn/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktn/provider-aws/lib/iam-role-policy';
import { LambdaEventSourceMapping } from '@cdktn/provider-aws/lib/lambda-event-source-mapping';
import { LambdaFunction } from '@cdktn/provider-aws/lib/lambda-function';
import { S3Object } from '@cdktn/provider-aws/lib/s3-object';
import { AssetType, Fn, TerraformAsset } from 'cdktn';
import { Construct } from 'constructs';
import * as fs from 'fs';
import * as path from 'path';
import { defaultBunLambdaOutDir, HANDLER_FILE, packageBunLambda } from '../lambda/package';
import { BunRuntimeLayer } from './bun-runtime-layer';
import { checkBunLambdaProps, type BunLambdaProps } from '../lambda/props';
import { isToken } from '../lambda/validate';
import { hashDir, zipBootstrapDir } from '../lambda/zip';

export type { BunLambdaProps, BunLambdaQueueSource } from '../lambda/props';

/** One IAM policy statement for `grant()`. */
export interface PolicyStatement {
  readonly effect?: 'Allow' | 'Deny';
  readonly actions: readonly string[];
  readonly resources: readonly string[];
}

const ELF_MACHINE: Record<string, number> = { arm64: 0xb7, x86_64: 0x3e };

export class BunLambda extends Construct {
  readonly fn: LambdaFunction;
  readonly role: IamRole;
  readonly logGroup: CloudwatchLogGroup;
  readonly eventSourceMapping?: LambdaEventSourceMapping;
  readonly asset: TerraformAsset;
  /** The Bun runtime layer the function runs on (absent for a prebuilt single-binary bootstrap). */
  readonly runtime?: BunRuntimeLayer;
  /** The directory that holds `bootstrap` (what the asset's zip contains). */
  readonly bootstrapDir: string;
  readonly functionName: string;
  readonly functionArn: string;
  readonly roleArn: string;
  readonly roleName: string;
  /** The function timeout (seconds): size the queue's visibility timeout to at least 6 times this. */
  readonly timeoutSeconds: number;

  constructor(scope: Construct, id: string, props: BunLambdaProps) {
    super(scope, id);
    checkBunLambdaProps(props);
    const arch = props.architecture ?? 'arm64';
    this.timeoutSeconds = props.timeout ?? 30;

    const outDir = props.packageOutDir ?? defaultBunLambdaOutDir();
    this.bootstrapDir = props.handler
      ? packageBunLambda({ handlerPath: props.handler, outDir, arch: arch === 'arm64' ? 'arm64' : 'x64' })
      : checkBootstrapDir(path.resolve(props.bootstrapDir as string), arch);
    // A handler package (bootstrap + handler.js) runs on the stack's shared Bun runtime layer; a prebuilt
    // single-binary bootstrap needs none.
    this.runtime = fs.existsSync(path.join(this.bootstrapDir, HANDLER_FILE))
      ? BunRuntimeLayer.of(this, { architecture: arch, outDir, codeBucket: props.codeBucket, tags: props.tags })
      : undefined;
    // packageBunLambda names its directories after a hash of what it compiled; a prebuilt directory is hashed here.
    const hash = props.handler ? path.basename(this.bootstrapDir) : `prebuilt-${hashDir(this.bootstrapDir)}`;
    const zip = zipBootstrapDir(this.bootstrapDir, path.join(outDir, `${hash}.zip`));
    this.asset = zip
      ? new TerraformAsset(this, 'code', { path: zip, type: AssetType.FILE, assetHash: hash })
      : new TerraformAsset(this, 'code', { path: this.bootstrapDir, type: AssetType.ARCHIVE, assetHash: hash });

    const account = new DataAwsCallerIdentity(this, 'account');
    this.logGroup = new CloudwatchLogGroup(this, 'logs', {
      name: `/aws/lambda/${props.functionName}`,
      retentionInDays: props.logRetentionDays ?? 14,
      tags: props.tags,
    });

    this.role = new IamRole(this, 'role', {
      name: roleName(props.functionName),
      description: `Execution role of the Lambda function ${props.functionName}`,
      assumeRolePolicy: Fn.jsonencode({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'lambda.amazonaws.com' },
            Action: 'sts:AssumeRole',
            // Confused-deputy guard: "you can include the aws:SourceAccount and aws:SourceArn global condition
            // context keys in your role trust policy" (Lambda developer guide, permissions-managed-policies).
            Condition: { StringEquals: { 'aws:SourceAccount': account.accountId } },
          },
        ],
      }),
      tags: props.tags,
    });
    this.roleArn = this.role.arn;
    this.roleName = this.role.name;

    // Logging: only its own log group's streams (the group itself is created here, so no CreateLogGroup).
    const logs = this.grant('logs', [{ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [`${this.logGroup.arn}:*`] }]);
    const dependsOn: IamRolePolicy[] = [logs];
    const secretArns = Object.values(props.secrets ?? {});
    if (secretArns.length > 0) {
      dependsOn.push(this.grant('secrets', [{ actions: ['secretsmanager:GetSecretValue'], resources: secretArns }]));
    }
    if (props.vpc) {
      // ENI management for VPC access: these EC2 actions have no resource-level scoping (AWSLambdaVPCAccessExecutionRole uses "*").
      const actions = ['CreateNetworkInterface', 'DescribeNetworkInterfaces', 'DescribeSubnets', 'DeleteNetworkInterface'];
      const ips = ['AssignPrivateIpAddresses', 'UnassignPrivateIpAddresses'];
      dependsOn.push(this.grant('vpc', [{ actions: [...actions, ...ips].map((a) => `ec2:${a}`), resources: ['*'] }]));
    }

    const code = props.codeBucket ? this.s3Code(props.codeBucket, props.functionName, props.tags) : { filename: this.asset.path };
    const secretEnv = Object.fromEntries(Object.entries(props.secrets ?? {}).map(([name, arn]) => [`${name}_SECRET_ARN`, arn]));
    const variables = { ...(props.environment ?? {}), ...secretEnv };

    this.fn = new LambdaFunction(this, 'function', {
      functionName: props.functionName,
      description: props.description,
      role: this.role.arn,
      runtime: 'provided.al2023',
      handler: 'bootstrap',
      architectures: [arch],
      layers: this.runtime ? [this.runtime.arn] : undefined,
      ...code,
      sourceCodeHash: Fn.filebase64sha256(this.asset.path),
      memorySize: props.memorySize ?? 256,
      timeout: this.timeoutSeconds,
      reservedConcurrentExecutions: props.reservedConcurrency,
      environment: Object.keys(variables).length > 0 ? { variables } : undefined,
      loggingConfig: { logFormat: 'JSON', logGroup: this.logGroup.name },
      vpcConfig: props.vpc ? { subnetIds: [...props.vpc.subnetIds], securityGroupIds: [...props.vpc.securityGroupIds] } : undefined,
      tags: props.tags,
      dependsOn: [this.logGroup, ...dependsOn],
    });
    this.functionName = this.fn.functionName;
    this.functionArn = this.fn.arn;

    if (props.queue) {
      const q = props.queue;
      const read = this.grant('queue', [
        {
          actions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ChangeMessageVisibility'],
          resources: [q.queueArn],
        },
        ...(q.kmsKeyArn ? [{ actions: ['kms:Decrypt'], resources: [q.kmsKeyArn] }] : []),
      ]);
      this.eventSourceMapping = new LambdaEventSourceMapping(this, 'queue', {
        eventSourceArn: q.queueArn,
        functionName: this.fn.arn,
        batchSize: q.batchSize ?? 10,
        maximumBatchingWindowInSeconds: q.maximumBatchingWindowSeconds,
        functionResponseTypes: ['ReportBatchItemFailures'],
        scalingConfig: q.maximumConcurrency !== undefined ? { maximumConcurrency: q.maximumConcurrency } : undefined,
        enabled: q.enabled ?? true,
        tags: props.tags,
        // CreateEventSourceMapping checks that the role can already read the queue.
        dependsOn: [read],
      });
    }
  }

  /** Attaches an inline policy to the function's role (the `grant` hook other constructs use). */
  grant(id: string, statements: readonly PolicyStatement[]): IamRolePolicy {
    return new IamRolePolicy(this, `policy_${id.replace(/[^A-Za-z0-9_]/g, '_')}`, {
      name: id,
      role: this.role.id,
      policy: Fn.jsonencode({
        Version: '2012-10-17',
        Statement: statements.map((s) => ({ Effect: s.effect ?? 'Allow', Action: [...s.actions], Resource: [...s.resources] })),
      }),
    });
  }

  private s3Code(bucket: string, functionName: string, tags?: Record<string, string>): { s3Bucket: string; s3Key: string } {
    const object = new S3Object(this, 'code_object', {
      bucket,
      key: `bun-lambda/${functionName}/${this.asset.assetHash}.zip`,
      source: this.asset.path,
      sourceHash: Fn.filemd5(this.asset.path),
      tags,
    });
    return { s3Bucket: object.bucket, s3Key: object.key };
  }
}

/** `<name>-lambda`, cut to IAM's 64-character limit. */
function roleName(functionName: string): string {
  const name = `${functionName}-lambda`;
  return isToken(functionName) ? Fn.substr(name, 0, 64) : name.slice(0, 64);
}

/** The prebuilt directory must hold an executable `bootstrap`; a native binary must match the architecture. */
function checkBootstrapDir(dir: string, arch: 'arm64' | 'x86_64'): string {
  const file = path.join(dir, 'bootstrap');
  if (!fs.existsSync(file) || !fs.statSync(file).isFile()) {
    throw new Error(
      `BunLambda: bootstrapDir ${JSON.stringify(dir)} has no file named "bootstrap"; allowed: a directory from packageBunLambda`,
    );
  }
  const mode = fs.statSync(file).mode;
  if ((mode & 0o111) === 0) {
    throw new Error(
      `BunLambda: bootstrapDir ${JSON.stringify(dir)}: bootstrap has mode ${(mode & 0o777).toString(8)}; allowed: executable (chmod 755)`,
    );
  }
  const head = Buffer.alloc(20);
  const fd = fs.openSync(file, 'r');
  const n = fs.readSync(fd, head, 0, 20, 0);
  fs.closeSync(fd);
  if (n === 20 && head.readUInt32BE(0) === 0x7f454c46) {
    const machine = head.readUInt16LE(18);
    if (machine !== ELF_MACHINE[arch]) {
      const built = Object.keys(ELF_MACHINE).find((k) => ELF_MACHINE[k] === machine) ?? `ELF machine ${machine}`;
      throw new Error(
        `BunLambda: bootstrapDir holds a ${built} binary but architecture is "${arch}"; allowed: a bootstrap built for ${arch}`,
      );
    }
  }
  return dir;
}
