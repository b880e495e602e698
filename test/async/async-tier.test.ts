/** The async tier composed around a real API Service: env, grants, the three worker modes, cron, migrations, secrets. */
import { resolveConfig } from '../../src/config';
import { asyncTier } from '../../src/presets/async-tier';
import { configWith, decode, names, named, synthTier, type Synthesized } from './helpers';

const statementsOf = (s: Synthesized, policy: string) => decode(named(s.json, 'aws_iam_role_policy', policy).policy).Statement as any[];
const envOf = (s: Synthesized, taskDefinition: string, container = 'app') => {
  const defs = decode(named(s.json, 'aws_ecs_task_definition', taskDefinition).container_definitions) as any[];
  return defs.find((c) => c.name === container);
};

describe('async tier: in-process worker, a cron job, migrations and an app secret', () => {
  const s = synthTier(
    configWith({
      service: { imageTag: 'v1', migrateCommand: ['bun', 'run', 'src/migrate.ts'] },
      queues: { jobs: {} },
      cron: { nightly: { schedule: 'cron(0 3 * * ? *)', timezone: 'Europe/Berlin', command: ['bun', 'run', 'src/nightly.ts'] } },
      secrets: { STRIPE_KEY: { description: 'Stripe API key' } },
    }),
  );

  it('gives the service QUEUE_URL_JOBS and injects the app secret by valueFrom', () => {
    expect(Object.keys(s.tier.environment ?? {})).toEqual(['QUEUE_URL_JOBS']);
    expect(Object.keys(s.tier.secrets ?? {})).toEqual(['STRIPE_KEY']);
    const read = String(named(s.json, 'aws_iam_role_policy', 'service_execution_policy').policy);
    // The execution role may read it (its ARN without a JSON key), next to the service's own secrets.
    expect(read).toMatch(/"Sid" = "ReadSecrets".*"Resource" = \[[^\]]*aws_secretsmanager_secret\.app_secrets_stripe_key\.arn/);
  });

  it('passes the queue URL and the secret ARN to the service containers as references, not as quoted text', () => {
    // The Service renders its containers with concat(): read them as text. A quoted "aws_sqs_queue...url" would
    // reach ECS as that literal string (seen on moto: QUEUE_URL_JOBS=aws_sqs_queue.queue_jobs.url).
    const defs = String(named(s.json, 'aws_ecs_task_definition', 'service_task_definition').container_definitions);
    expect(defs).not.toContain('"aws_sqs_queue.queue_jobs.url"');
    expect(defs).not.toContain('"aws_secretsmanager_secret.app_secrets_stripe_key.arn"');
    expect(defs).toContain('{"name" = "QUEUE_URL_JOBS", "value" = aws_sqs_queue.queue_jobs.url}');
    expect(defs).toContain('{"name" = "STRIPE_KEY", "valueFrom" = aws_secretsmanager_secret.app_secrets_stripe_key.arn}');
  });

  it('lets the API (in-process worker) send to and consume exactly its queue, nothing else', () => {
    const policy = named(s.json, 'aws_iam_role_policy', 'queues_api');
    expect(policy).toMatchObject({ name: 'api-queues', role: '${aws_iam_role.service_task_role.name}' });
    expect(statementsOf(s, 'queues_api')).toEqual([
      {
        Sid: 'SendToQueueJobs',
        Effect: 'Allow',
        Action: ['sqs:SendMessage', 'sqs:GetQueueAttributes'],
        Resource: ['${aws_sqs_queue.queue_jobs.arn}'],
      },
      {
        Sid: 'ConsumeQueueJobs',
        Effect: 'Allow',
        Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueAttributes'],
        Resource: ['${aws_sqs_queue.queue_jobs.arn}'],
      },
    ]);
  });

  it('wires the queue to its DLQ (3 receives, 14 days) with a visibility of 6x the worker timeout', () => {
    const q = named(s.json, 'aws_sqs_queue', 'queue_jobs');
    expect(q).toMatchObject({ name: 'shop-dev-jobs', visibility_timeout_seconds: 180, sqs_managed_sse_enabled: true });
    expect(decode(q.redrive_policy)).toEqual({ deadLetterTargetArn: '${aws_sqs_queue.queue_jobs_dlq.arn}', maxReceiveCount: 3 });
    expect(named(s.json, 'aws_sqs_queue', 'queue_jobs_dlq')).toMatchObject({
      name: 'shop-dev-jobs-dlq',
      message_retention_seconds: 1209600,
    });
    // dev: the DLQ may be destroyed with the stack.
    expect(named(s.json, 'aws_sqs_queue', 'queue_jobs_dlq').lifecycle).toBeUndefined();
  });

  it('keeps the migration init container in the service (dependsOn SUCCESS)', () => {
    const defs = String(named(s.json, 'aws_ecs_task_definition', 'service_task_definition').container_definitions);
    expect(defs).toContain('"name" = "migrate"');
    expect(defs).toContain('"command" = ["bun", "run", "src/migrate.ts"]');
    expect(defs).toContain('"dependsOn" = [{"containerName" = "migrate", "condition" = "SUCCESS"}]');
  });

  it('adds a one-off migration task definition with the service image, roles, env and secrets, and the run-task output', () => {
    const td = named(s.json, 'aws_ecs_task_definition', 'migrate_task_task_definition');
    expect(td).toMatchObject({
      family: 'shop-dev-migrate',
      task_role_arn: '${aws_iam_role.service_task_role.arn}',
      execution_role_arn: '${aws_iam_role.service_execution_role.arn}',
    });
    const migrate = envOf(s, 'migrate_task_task_definition', 'migrate');
    expect(migrate.command).toEqual(['bun', 'run', 'src/migrate.ts']);
    expect(migrate.secrets).toEqual([{ name: 'STRIPE_KEY', valueFrom: '${aws_secretsmanager_secret.app_secrets_stripe_key.arn}' }]);
    // The queue URL is a reference, not the literal text of one.
    expect(migrate.environment).toContainEqual({ name: 'QUEUE_URL_JOBS', value: '${aws_sqs_queue.queue_jobs.url}' });
    const cmd = s.json.output?.migrate_command.value as string;
    expect(cmd).toContain('aws ecs run-task --region %s --cluster %s --task-definition %s --launch-type FARGATE');
    expect(cmd).toContain('aws_ecs_task_definition.migrate_task_task_definition.arn');
    expect(cmd).toContain('aws_ecs_cluster.service_cluster.name');
    expect(cmd).toContain('aws_security_group.service_security_group.id');
  });

  it('schedules the cron job as RunTask of a jobs task definition (no migrate container, no health check) on the API cluster', () => {
    const schedule = named(s.json, 'aws_scheduler_schedule', 'cron_nightly_schedule');
    expect(schedule.target.arn).toBe('${aws_ecs_cluster.service_cluster.arn}');
    expect(schedule.target.ecs_parameters.task_definition_arn).toBe('${aws_ecs_task_definition.jobs_task_task_definition.arn}');
    expect(schedule.target.ecs_parameters.network_configuration.security_groups).toEqual([
      '${aws_security_group.service_security_group.id}',
    ]);
    expect(decode(schedule.target.input)).toEqual({ containerOverrides: [{ name: 'job', command: ['bun', 'run', 'src/nightly.ts'] }] });
    const defs = decode(named(s.json, 'aws_ecs_task_definition', 'jobs_task_task_definition').container_definitions) as any[];
    expect(defs.map((c) => c.name)).toEqual(['job']);
    expect(defs[0].healthCheck).toBeUndefined();
    const pass = statementsOf(s, 'cron_nightly_policy').find((st) => st.Sid === 'PassJobRoles');
    expect(pass.Resource).toEqual(['${aws_iam_role.service_task_role.arn}', '${aws_iam_role.service_execution_role.arn}']);
  });

  it('creates the secret without a value and outputs what the e2e assertions read', () => {
    expect(named(s.json, 'aws_secretsmanager_secret', 'app_secrets_stripe_key')).toMatchObject({
      name: 'shop-dev/STRIPE_KEY',
      recovery_window_in_days: 0,
    });
    expect(s.json.resource.aws_secretsmanager_secret_version).toBeUndefined();
    expect(Object.keys(s.json.output ?? {}).sort()).toEqual([
      'app_secrets',
      'cron_jobs',
      'migrate_command',
      'migrate_task_definition_arn',
      'queues',
      'task_definition_arn',
    ]);
    expect(s.json.output?.queues.value.jobs).toMatchObject({
      worker: 'in-process',
      env: 'QUEUE_URL_JOBS',
      visibility_timeout_seconds: 180,
      max_receive_count: 3,
    });
  });
});

describe('async tier: a worker service that scales 0..N on the queue', () => {
  const s = synthTier(
    configWith({
      queues: {
        jobs: {},
        mail: {
          worker: 'service',
          workerTimeoutSeconds: 60,
          service: { command: ['bun', 'run', 'src/worker.ts'], maxCount: 6, messagesPerTask: 20 },
        },
      },
    }),
  );

  it('runs the app image with its own command, no load balancer, no health check, starting at 0 tasks', () => {
    const svc = named(s.json, 'aws_ecs_service', 'worker_mail_service');
    expect(svc.name).toBe('shop-dev-mail');
    expect(svc.load_balancer).toBeUndefined();
    expect(svc.desired_count).toBe(0);
    const defs = String(named(s.json, 'aws_ecs_task_definition', 'worker_mail_task_definition').container_definitions);
    expect(defs).toContain('"command" = ["bun", "run", "src/worker.ts"]');
    expect(defs).toContain('"image" = "123456789012.dkr.ecr.us-east-1.amazonaws.com/shop:v1"');
    expect(defs).toContain('"healthCheck" = null');
    expect(defs).not.toContain('"name" = "migrate"');
    expect(named(s.json, 'aws_appautoscaling_target', 'worker_mail_scaling_target')).toMatchObject({ min_capacity: 0, max_capacity: 6 });
  });

  it('scales on the queue backlog, and CPU/memory tracking never scales it in', () => {
    expect(names(s.json, 'aws_cloudwatch_metric_alarm').sort()).toEqual(['queue_mail_backlog_alarm', 'queue_mail_idle_alarm']);
    expect(named(s.json, 'aws_cloudwatch_metric_alarm', 'queue_mail_backlog_alarm').dimensions).toEqual({
      QueueName: '${aws_sqs_queue.queue_mail.name}',
    });
    const out = named(s.json, 'aws_appautoscaling_policy', 'queue_mail_scale_out');
    expect(out.resource_id).toBe('${aws_appautoscaling_target.worker_mail_scaling_target.resource_id}');
    expect(out.step_scaling_policy_configuration.step_adjustment[0]).toMatchObject({ metric_interval_upper_bound: '20' });
    for (const p of ['worker_mail_scale_on_cpu', 'worker_mail_scale_on_memory']) {
      expect(named(s.json, 'aws_appautoscaling_policy', p).target_tracking_scaling_policy_configuration.disable_scale_in).toBe(true);
    }
    // The API service keeps its own policies untouched.
    expect(
      named(s.json, 'aws_appautoscaling_policy', 'service_scale_on_cpu').target_tracking_scaling_policy_configuration.disable_scale_in,
    ).toBeUndefined();
  });

  it('lets the worker consume only its queue; the API consumes only the in-process one; both may send to both', () => {
    const worker = statementsOf(s, 'queues_worker_mail');
    expect(named(s.json, 'aws_iam_role_policy', 'queues_worker_mail').role).toBe('${aws_iam_role.worker_mail_task_role.name}');
    expect(worker.map((st) => st.Sid)).toEqual(['SendToQueueJobs', 'SendToQueueMail', 'ConsumeQueueMail']);
    expect(statementsOf(s, 'queues_api').map((st) => st.Sid)).toEqual(['SendToQueueJobs', 'ConsumeQueueJobs', 'SendToQueueMail']);
  });

  it('sizes the visibility timeout from the worker timeout', () => {
    expect(named(s.json, 'aws_sqs_queue', 'queue_mail').visibility_timeout_seconds).toBe(360);
  });
});

describe('async tier: a Bun Lambda worker and a Lambda cron job (compiled with bun)', () => {
  let s: Synthesized;
  beforeAll(() => {
    s = synthTier(
      configWith({
        service: {
          imageTag: 'v1',
          secrets: { DATABASE_PASSWORD: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf:password::' },
        },
        queues: { jobs: { worker: 'lambda', lambda: { handler: './jobs-worker.ts', timeout: 60, batchSize: 5, maxConcurrency: 4 } } },
        cron: { report: { schedule: 'rate(1 day)', lambda: { handler: './jobs-worker.ts' } } },
        lambda: { codeBucket: 'shop-artifacts' },
      }),
    );
  }, 180_000);

  it('uploads each function through the configured code bucket (lambda.codeBucket), one object per code version', () => {
    for (const name of ['worker_jobs_function', 'cron_report_lambda_function']) {
      const fn = named(s.json, 'aws_lambda_function', name);
      expect(fn.filename).toBeUndefined();
      const object = /^\$\{aws_s3_object\.([A-Za-z0-9_-]+)\.key\}$/.exec(fn.s3_key)![1]!;
      expect(fn.s3_bucket).toBe(`\${aws_s3_object.${object}.bucket}`);
      const upload = named(s.json, 'aws_s3_object', object);
      expect(upload.bucket).toBe('shop-artifacts');
      expect(upload.key).toMatch(/^bun-lambda\/shop-dev-[a-z]+-(worker|cron)\/arm64-[0-9a-f]+\.zip$/);
    }
  });

  it('consumes the queue with partial batch responses; the queue is 6x the function timeout', () => {
    expect(named(s.json, 'aws_lambda_function', 'worker_jobs_function')).toMatchObject({
      function_name: 'shop-dev-jobs-worker',
      runtime: 'provided.al2023',
      handler: 'bootstrap',
      architectures: ['arm64'],
      timeout: 60,
    });
    expect(named(s.json, 'aws_lambda_event_source_mapping', 'worker_jobs_queue')).toMatchObject({
      event_source_arn: '${aws_sqs_queue.queue_jobs.arn}',
      batch_size: 5,
      function_response_types: ['ReportBatchItemFailures'],
      scaling_config: { maximum_concurrency: 4 },
    });
    expect(named(s.json, 'aws_sqs_queue', 'queue_jobs').visibility_timeout_seconds).toBe(360);
  });

  it('runs in the app subnets with the app env, and reads secrets by ARN (the JSON key in its own variable)', () => {
    const fn = named(s.json, 'aws_lambda_function', 'worker_jobs_function');
    expect(fn.vpc_config.security_group_ids).toEqual(['${aws_security_group.lambda_security_group.id}']);
    expect(fn.environment.variables).toMatchObject({
      QUEUE_URL_JOBS: '${aws_sqs_queue.queue_jobs.url}',
      DATABASE_PASSWORD_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf',
      DATABASE_PASSWORD_SECRET_JSON_KEY: 'password',
    });
    const secrets = named(s.json, 'aws_iam_role_policy', 'worker_jobs_policy_secrets');
    expect(decode(secrets.policy).Statement[0].Resource).toEqual(['arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf']);
  });

  it('does not grant the API consumption of a Lambda-consumed queue, nor the Lambda a second consume policy', () => {
    expect(statementsOf(s, 'queues_api').map((st) => st.Sid)).toEqual(['SendToQueueJobs']);
    expect(statementsOf(s, 'queues_worker_jobs').map((st) => st.Sid)).toEqual(['SendToQueueJobs']);
    expect(s.consumers.map((c) => c.label)).toEqual(['api', 'worker-jobs', 'cron-report']);
  });

  it('invokes the cron Lambda from a schedule allowed to call exactly that function', () => {
    const schedule = named(s.json, 'aws_scheduler_schedule', 'cron_report_schedule');
    expect(schedule.target.arn).toBe('${aws_lambda_function.cron_report_lambda_function.arn}');
    const policy = String(named(s.json, 'aws_iam_role_policy', 'cron_report_policy').policy);
    expect(policy).toContain(
      '"Action" = ["lambda:InvokeFunction"], "Resource" = [aws_lambda_function.cron_report_lambda_function.arn, format("%s:*", aws_lambda_function.cron_report_lambda_function.arn)]',
    );
    expect(s.json.resource.aws_ecs_task_definition.jobs_task_task_definition).toBeUndefined();
  });
});

describe('async tier: a handler that does not exist', () => {
  it('names the config field and where it looked', () => {
    expect(() =>
      synthTier(configWith({ network: { nat: 'instance' }, queues: { jobs: { worker: 'lambda', lambda: { handler: './missing.ts' } } } })),
    ).toThrow(/queues\.jobs\.lambda\.handler = "\.\/missing\.ts": no such file \(resolved to .*test\/async\/fixtures\/missing\.ts\)/);
  });
});

describe('async tier: prod protection', () => {
  const s = synthTier(configWith({ stage: 'prod', queues: { jobs: {} }, secrets: { STRIPE_KEY: { description: 'x' } } }));
  it('protects the DLQ from destroy and keeps deleted secrets recoverable for 30 days', () => {
    expect(named(s.json, 'aws_sqs_queue', 'queue_jobs_dlq').lifecycle).toEqual({ prevent_destroy: true });
    expect(named(s.json, 'aws_secretsmanager_secret', 'app_secrets_stripe_key').recovery_window_in_days).toBe(30);
  });
});

describe('async tier: cross-section rules', () => {
  const errorOf = (extra: Record<string, unknown>) => {
    const config = resolveConfig(configWith(extra));
    try {
      asyncTier({
        scope: undefined as never,
        config,
        prefix: `${config.name}-${config.stage}`,
        tags: {},
        protect: false,
        network: undefined as never,
        aws: undefined as never,
      });
    } catch (e) {
      return (e as Error).message;
    }
    throw new Error('expected the tier to reject the config');
  };

  it.each([
    [
      'a queue URL that collides with service.environment',
      { service: { imageTag: 'v1', environment: { QUEUE_URL_JOBS: 'x' } }, queues: { jobs: {} } },
      'service.environment.QUEUE_URL_JOBS collides with the URL of queue "jobs"',
    ],
    [
      'an app secret also in service.secrets',
      {
        service: { imageTag: 'v1', secrets: { STRIPE_KEY: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:s-AbCdEf' } },
        secrets: { STRIPE_KEY: { description: 'x' } },
      },
      'secrets.STRIPE_KEY is also set in service.secrets',
    ],
    [
      'a worker service name over 32 characters',
      { name: 'a-rather-long-app-name', stage: 'staging', queues: { 'outgoing-mail': { worker: 'service', service: { command: ['x'] } } } },
      'queues.outgoing-mail: the worker service would be named "a-rather-long-app-name-staging-outgoing-mail" (44 characters); allowed: at most 32',
    ],
    [
      'a Lambda worker without NAT',
      { network: { nat: 'none' }, queues: { jobs: { worker: 'lambda', lambda: { handler: './w.ts' } } } },
      'queues.jobs.worker = "lambda" needs network.nat "instance" or "gateway" (network.nat is "none")',
    ],
  ])('rejects %s', (_label, extra, message) => {
    expect(errorOf(extra)).toContain(message);
  });
});
