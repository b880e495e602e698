/** examples/lambda-worker/backplane.config.ts: the lambda worker mode from a config, with the example's real handler. */
import * as path from 'path';
import config from '../../examples/lambda-worker/backplane.config';
import { defaultBunLambdaOutDir } from '../../src/lambda/package';
import { named, synthTier, type Synthesized } from './helpers';

const EXAMPLE = path.resolve(__dirname, '..', '..', 'examples', 'lambda-worker');

describe('the lambda-worker example config', () => {
  let s: Synthesized;
  beforeAll(() => {
    // The default build cache: the example's own stack test compiles the same handler into it.
    s = synthTier(config as Record<string, unknown>, { configDir: EXAMPLE, packageOutDir: defaultBunLambdaOutDir() });
  }, 300_000);

  it('compiles ./handler.ts into a provided.al2023 arm64 function triggered by the jobs queue', () => {
    expect(named(s.json, 'aws_lambda_function', 'worker_jobs_function')).toMatchObject({
      function_name: 'shop-dev-jobs-worker',
      runtime: 'provided.al2023',
      handler: 'bootstrap',
      architectures: ['arm64'],
      timeout: 60,
      memory_size: 256,
    });
    expect(named(s.json, 'aws_lambda_event_source_mapping', 'worker_jobs_queue')).toMatchObject({
      event_source_arn: '${aws_sqs_queue.queue_jobs.arn}',
      function_response_types: ['ReportBatchItemFailures'],
      scaling_config: { maximum_concurrency: 5 },
    });
    expect(named(s.json, 'aws_sqs_queue', 'queue_jobs').visibility_timeout_seconds).toBe(360);
  });

  it('hands the worker the DATABASE secret by ARN, as handler.ts expects, and the API the value by valueFrom', () => {
    const fn = named(s.json, 'aws_lambda_function', 'worker_jobs_function');
    expect(fn.environment.variables.DATABASE_SECRET_ARN).toBe('${aws_secretsmanager_secret.app_secrets_database.arn}');
    expect(fn.environment.variables.QUEUE_URL_JOBS).toBe('${aws_sqs_queue.queue_jobs.url}');
    expect(named(s.json, 'aws_secretsmanager_secret', 'app_secrets_database').name).toBe('shop-dev/DATABASE');
    expect(s.json.resource.aws_secretsmanager_secret_version).toBeUndefined();
  });
});
