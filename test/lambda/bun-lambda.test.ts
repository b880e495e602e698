/**
 * (d) synth assertions on the BunLambda construct. A stand-in `bootstrap` keeps these fast; the real compiled
 * binary is synthesized and validated with Terraform in bun-lambda.e2e.test.ts (the e2e stage).
 */
import { SecretsmanagerSecret } from '@cdktn/provider-aws/lib/secretsmanager-secret';
import { SqsQueue } from '@cdktn/provider-aws/lib/sqs-queue';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BunLambda, type BunLambdaProps } from '../../src/constructs/bun-lambda';
import { all, decodeJsonencode, only, synthStack, zipEntries, type Synthesized } from './synth-helpers';

const QUEUE = 'arn:aws:sqs:us-east-1:123456789012:jobs';
const SECRET = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf';
let tmp: string;
let bootstrapDir: string;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bun-lambda-construct-'));
  bootstrapDir = path.join(tmp, 'pkg');
  fs.mkdirSync(bootstrapDir);
  fs.writeFileSync(path.join(bootstrapDir, 'bootstrap'), '#!/bin/sh\necho stand-in\n', { mode: 0o755 });
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Synthesizes into the suite's temp directory (removed after the suite). */
const synth = (build: Parameters<typeof synthStack>[0]): Synthesized => synthStack(build, fs.mkdtempSync(path.join(tmp, 'out-')));
const base = (): BunLambdaProps => ({ functionName: 'worker', bootstrapDir, packageOutDir: path.join(tmp, 'cache') });

describe('BunLambda synth', () => {
  it('creates a provided.al2023 arm64 function with handler bootstrap, its 14-day log group and the zipped asset', () => {
    const s = synth((stack) => new BunLambda(stack, 'worker', base()));
    const fn = only(s, 'aws_lambda_function');
    expect(fn).toMatchObject({
      function_name: 'worker',
      runtime: 'provided.al2023',
      architectures: ['arm64'],
      handler: 'bootstrap',
      memory_size: 256,
      timeout: 30,
      logging_config: { log_format: 'JSON' },
    });
    expect(fn.reserved_concurrent_executions).toBeUndefined();
    const filename = fn.filename as string;
    expect(filename).toMatch(/^assets\/.+\/prebuilt-[0-9a-f]{16}\.zip$/);
    expect(fn.source_code_hash).toBe(`\${filebase64sha256("${filename}")}`);
    const zip = zipEntries(path.join(s.stackDir, filename));
    expect(zip).toEqual([{ name: 'bootstrap', mode: 0o100755, size: fs.statSync(path.join(bootstrapDir, 'bootstrap')).size }]);

    const logs = only(s, 'aws_cloudwatch_log_group');
    expect(logs).toMatchObject({ name: '/aws/lambda/worker', retention_in_days: 14 });
    expect(String((fn.logging_config as Record<string, unknown>).log_group)).toMatch(/^\$\{aws_cloudwatch_log_group\.[\w-]+\.name\}$/);
    expect((fn.depends_on as string[]).some((d) => d.startsWith('aws_cloudwatch_log_group.'))).toBe(true);
    expect(s.json.resource.aws_lambda_event_source_mapping).toBeUndefined();
  });

  it('lets only Lambda acting for this account assume the role, and scopes logging to its log group', () => {
    const s = synth((stack) => new BunLambda(stack, 'worker', base()));
    const role = only(s, 'aws_iam_role');
    expect(role.name).toBe('worker-lambda');
    const trust = decodeJsonencode(role.assume_role_policy) as { Statement: Record<string, unknown>[] };
    expect(trust.Statement).toEqual([
      {
        Effect: 'Allow',
        Principal: { Service: 'lambda.amazonaws.com' },
        Action: 'sts:AssumeRole',
        Condition: {
          StringEquals: { 'aws:SourceAccount': expect.stringMatching(/^\$\{data\.aws_caller_identity\.[\w-]+\.account_id\}$/) },
        },
      },
    ]);
    const [logs] = all(s, 'aws_iam_role_policy');
    expect(logs.name).toBe('logs');
    expect(decodeJsonencode(logs.policy)).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: [expect.stringMatching(/^\$\{aws_cloudwatch_log_group\.[\w-]+\.arn\}:\*$/)],
        },
      ],
    });
  });

  it('maps the SQS queue with ReportBatchItemFailures, batching and a concurrency cap, and grants only that queue', () => {
    const s = synth(
      (stack) =>
        new BunLambda(stack, 'worker', {
          ...base(),
          queue: { queueArn: QUEUE, batchSize: 50, maximumBatchingWindowSeconds: 5, maximumConcurrency: 20 },
        }),
    );
    const esm = only(s, 'aws_lambda_event_source_mapping');
    expect(esm).toMatchObject({
      event_source_arn: QUEUE,
      function_response_types: ['ReportBatchItemFailures'],
      batch_size: 50,
      maximum_batching_window_in_seconds: 5,
      scaling_config: { maximum_concurrency: 20 },
      enabled: true,
    });
    expect(String(esm.function_name)).toMatch(/^\$\{aws_lambda_function\.[\w-]+\.arn\}$/);
    const queuePolicy = all(s, 'aws_iam_role_policy').find((p) => p.name === 'queue');
    expect(decodeJsonencode(queuePolicy?.policy).Statement).toEqual([
      {
        Effect: 'Allow',
        Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ChangeMessageVisibility'],
        Resource: [QUEUE],
      },
    ]);
    expect((esm.depends_on as string[]).some((d) => d.startsWith('aws_iam_role_policy.'))).toBe(true);
  });

  it('grants GetSecretValue on exactly the given secret ARNs and tells the handler where they are', () => {
    const s = synth(
      (stack) => new BunLambda(stack, 'worker', { ...base(), environment: { STAGE: 'prod' }, secrets: { DATABASE: SECRET } }),
    );
    const secrets = all(s, 'aws_iam_role_policy').find((p) => p.name === 'secrets');
    expect(decodeJsonencode(secrets?.policy).Statement).toEqual([
      { Effect: 'Allow', Action: ['secretsmanager:GetSecretValue'], Resource: [SECRET] },
    ]);
    expect(only(s, 'aws_lambda_function').environment).toEqual({ variables: { STAGE: 'prod', DATABASE_SECRET_ARN: SECRET } });
  });

  it('takes tokens from other resources without validating them', () => {
    const s = synth((stack) => {
      const q = new SqsQueue(stack, 'jobs', { name: 'jobs' });
      const secret = new SecretsmanagerSecret(stack, 'db', { name: 'db' });
      new BunLambda(stack, 'worker', { ...base(), queue: { queueArn: q.arn }, secrets: { DB: secret.arn } });
    });
    expect(String(only(s, 'aws_lambda_event_source_mapping').event_source_arn)).toMatch(/^\$\{aws_sqs_queue\.[\w-]+\.arn\}$/);
    const secrets = all(s, 'aws_iam_role_policy').find((p) => p.name === 'secrets');
    expect(decodeJsonencode(secrets?.policy).Statement).toEqual([
      {
        Effect: 'Allow',
        Action: ['secretsmanager:GetSecretValue'],
        Resource: [expect.stringMatching(/^\$\{aws_secretsmanager_secret\.[\w-]+\.arn\}$/)],
      },
    ]);
  });

  it('uploads through S3 when codeBucket is set, runs in a VPC, and applies memory, timeout and reserved concurrency', () => {
    const s = synth(
      (stack) =>
        new BunLambda(stack, 'worker', {
          ...base(),
          codeBucket: 'artifacts',
          memorySize: 1024,
          timeout: 120,
          reservedConcurrency: 5,
          vpc: { subnetIds: ['subnet-0a'], securityGroupIds: ['sg-0b'] },
        }),
    );
    const fn = only(s, 'aws_lambda_function');
    const object = only(s, 'aws_s3_object');
    expect(fn.filename).toBeUndefined();
    expect(String(fn.s3_bucket)).toMatch(/^\$\{aws_s3_object\.[\w-]+\.bucket\}$/);
    expect(object).toMatchObject({ bucket: 'artifacts', key: expect.stringMatching(/^bun-lambda\/worker\/prebuilt-[0-9a-f]{16}\.zip$/) });
    expect(object.source).toMatch(/^assets\/.+\.zip$/);
    expect(fn).toMatchObject({
      memory_size: 1024,
      timeout: 120,
      reserved_concurrent_executions: 5,
      vpc_config: { subnet_ids: ['subnet-0a'], security_group_ids: ['sg-0b'] },
    });
    const vpc = all(s, 'aws_iam_role_policy').find((p) => p.name === 'vpc');
    expect((decodeJsonencode(vpc?.policy).Statement as { Action: string[] }[])[0].Action).toContain('ec2:CreateNetworkInterface');
  });

  it('exposes the role through grant() for other constructs', () => {
    const s = synth((stack) => {
      const fn = new BunLambda(stack, 'worker', base());
      fn.grant('send-email', [{ actions: ['ses:SendEmail'], resources: ['arn:aws:ses:us-east-1:123456789012:identity/example.com'] }]);
    });
    const policy = all(s, 'aws_iam_role_policy').find((p) => p.name === 'send-email');
    expect(String(policy?.role)).toMatch(/^\$\{aws_iam_role\.[\w-]+\.id\}$/);
    expect(decodeJsonencode(policy?.policy).Statement).toEqual([
      { Effect: 'Allow', Action: ['ses:SendEmail'], Resource: ['arn:aws:ses:us-east-1:123456789012:identity/example.com'] },
    ]);
  });
});

describe('BunLambda on the Bun runtime layer (a handler package: bootstrap + handler.js)', () => {
  // The runtime (bun for linux-aarch64, ~49 MiB zipped) is cached across runs, as a project's package cache is.
  const cache = path.join(os.tmpdir(), 'backplane-async-test-bun-lambda');
  let handlerPackage: string;
  beforeAll(() => {
    handlerPackage = path.join(tmp, 'handler-pkg');
    fs.mkdirSync(handlerPackage);
    fs.writeFileSync(path.join(handlerPackage, 'bootstrap'), '#!/bin/sh\nexec /opt/bin/bun "$LAMBDA_TASK_ROOT/handler.js"\n', {
      mode: 0o755,
    });
    fs.writeFileSync(path.join(handlerPackage, 'handler.js'), 'export const handler = () => 1;\n');
  });
  const props = (functionName: string, extra: Partial<BunLambdaProps> = {}): BunLambdaProps => ({
    functionName,
    bootstrapDir: handlerPackage,
    packageOutDir: cache,
    ...extra,
  });

  it('publishes one layer per architecture for the stack, which every function runs on; the function zip is the package', () => {
    const s = synth((stack) => {
      new BunLambda(stack, 'a', props('a'));
      new BunLambda(stack, 'b', props('b'));
    });
    const layer = only(s, 'aws_lambda_layer_version');
    expect(layer).toMatchObject({
      layer_name: 'test-bun-arm64',
      compatible_runtimes: ['provided.al2023'],
      compatible_architectures: ['arm64'],
    });
    expect(String(layer.description)).toMatch(/^Bun \d+\.\d+\.\d+ for provided\.al2023 \(arm64\), \/opt\/bin\/bun$/);
    const layerZip = zipEntries(path.join(s.stackDir, layer.filename as string));
    expect(layerZip).toEqual([{ name: 'bin/bun', mode: 0o100755, size: expect.any(Number) }]);
    expect(layerZip[0].size).toBeGreaterThan(50 * 1024 * 1024);
    const name = Object.keys(s.json.resource.aws_lambda_layer_version)[0];
    for (const fn of all(s, 'aws_lambda_function')) {
      expect(fn.layers).toEqual([`\${aws_lambda_layer_version.${name}.arn}`]);
      expect(zipEntries(path.join(s.stackDir, fn.filename as string)).map((e) => e.name)).toEqual(['bootstrap', 'handler.js']);
    }
  });

  it('uploads the layer through S3 too when codeBucket is set, under a key of its own', () => {
    const s = synth((stack) => new BunLambda(stack, 'a', props('a', { codeBucket: 'code-bucket' })));
    const layer = only(s, 'aws_lambda_layer_version');
    expect(layer.filename).toBeUndefined();
    expect(String(layer.s3_key)).toMatch(/^\$\{aws_s3_object\.[\w-]+\.key\}$/);
    const keys = all(s, 'aws_s3_object').map((o) => String(o.key));
    expect(keys.some((k) => /^bun-lambda\/test-bun-arm64\/runtime-arm64-[\d.]+\.zip$/.test(k))).toBe(true);
  });

  it('a prebuilt single-binary bootstrap (no handler.js) runs without a layer', () => {
    const s = synth((stack) => new BunLambda(stack, 'worker', base()));
    expect(s.json.resource.aws_lambda_layer_version).toBeUndefined();
    expect(only(s, 'aws_lambda_function').layers).toBeUndefined();
  });
});

describe('BunLambda validation names the field, the value and what is allowed', () => {
  const cases: [string, Partial<BunLambdaProps>, string][] = [
    ['function name', { functionName: 'my worker' }, 'functionName is "my worker"; allowed: 1-64 letters'],
    ['memory', { memorySize: 64 }, 'memorySize is 64; allowed: a whole number from 128 to 10240'],
    ['timeout', { timeout: 901 }, 'timeout is 901; allowed: a whole number from 1 to 900'],
    ['architecture', { architecture: 'x86' as never }, 'architecture is "x86"; allowed: "arm64", "x86_64"'],
    ['retention', { logRetentionDays: 10 }, 'logRetentionDays is 10; allowed: 1, 3, 5, 7, 14'],
    [
      'batch size',
      { queue: { queueArn: QUEUE, batchSize: 10001, maximumBatchingWindowSeconds: 1 } },
      'queue.batchSize is 10001; allowed: a whole number from 1 to 10000',
    ],
    ['batch without window', { queue: { queueArn: QUEUE, batchSize: 100 } }, 'needs maximumBatchingWindowSeconds of at least 1'],
    [
      'fifo batch',
      { queue: { queueArn: `${QUEUE}.fifo`, batchSize: 11 } },
      'queue.batchSize is 11; allowed: a whole number from 1 to 10 for a FIFO queue',
    ],
    ['fifo window', { queue: { queueArn: `${QUEUE}.fifo`, maximumBatchingWindowSeconds: 2 } }, 'for a FIFO queue; allowed: 0 or unset'],
    [
      'window',
      { queue: { queueArn: QUEUE, maximumBatchingWindowSeconds: 301 } },
      'maximumBatchingWindowSeconds is 301; allowed: a whole number from 0 to 300',
    ],
    [
      'concurrency',
      { queue: { queueArn: QUEUE, maximumConcurrency: 1 } },
      'queue.maximumConcurrency is 1; allowed: a whole number from 2 to 1000',
    ],
    ['queue arn', { queue: { queueArn: 'jobs' } }, 'queue.queueArn is "jobs"; allowed: an SQS queue ARN'],
    ['secret arn', { secrets: { DB: 'db-password' } }, 'secrets.DB is "db-password"; allowed: a Secrets Manager secret ARN'],
    ['reserved env', { environment: { AWS_REGION: 'x' } }, 'environment key "AWS_REGION" is reserved by Lambda'],
    ['env name', { environment: { '1X': 'x' } }, 'environment key is "1X"; allowed: an environment variable name'],
    ['no code', { bootstrapDir: undefined }, 'handler is undefined and bootstrapDir is undefined; allowed: exactly one of them'],
    ['empty vpc', { vpc: { subnetIds: [], securityGroupIds: ['sg-1'] } }, 'vpc.subnetIds is []; allowed: at least one id'],
  ];
  it.each(cases)('%s', (_name, override, message) => {
    expect(() => synth((stack) => new BunLambda(stack, 'worker', { ...base(), ...override }))).toThrow(message);
  });

  it('refuses a bootstrap directory without an executable bootstrap, or built for the other CPU', () => {
    const empty = fs.mkdtempSync(path.join(tmp, 'empty-'));
    expect(() => synth((stack) => new BunLambda(stack, 'w', { ...base(), functionName: 'w', bootstrapDir: empty }))).toThrow(
      'has no file named "bootstrap"',
    );
    fs.writeFileSync(path.join(empty, 'bootstrap'), 'x', { mode: 0o644 });
    expect(() => synth((stack) => new BunLambda(stack, 'w', { ...base(), functionName: 'w', bootstrapDir: empty }))).toThrow(
      'bootstrap has mode 644; allowed: executable (chmod 755)',
    );
    const elf = Buffer.alloc(64);
    elf.writeUInt32BE(0x7f454c46, 0);
    elf.writeUInt16LE(0x3e, 18); // x86-64
    fs.writeFileSync(path.join(empty, 'bootstrap'), elf, { mode: 0o755 });
    fs.chmodSync(path.join(empty, 'bootstrap'), 0o755);
    expect(() => synth((stack) => new BunLambda(stack, 'w', { ...base(), functionName: 'w', bootstrapDir: empty }))).toThrow(
      'bootstrapDir holds a x86_64 binary but architecture is "arm64"',
    );
  });
});
