/**
 * The async tier: SQS queues with their workers (in-process, a Fargate worker service, or a Bun Lambda),
 * scheduled jobs on EventBridge Scheduler, the one-off migration task, and app secrets.
 *
 * Wiring (src/presets/fullstack.ts): `const async = asyncTier(ctx, { configDir })`, push it onto `tiers` before
 * the API service is built (its `environment` has QUEUE_URL_<NAME>, its `secrets` the app secrets), then
 * `attach` and `allow` as for every tier.
 */
import * as fs from 'fs';
import * as path from 'path';
import { AppautoscalingPolicy } from '@cdktn/provider-aws/lib/appautoscaling-policy';
import type { AppautoscalingTarget } from '@cdktn/provider-aws/lib/appautoscaling-target';
import type { IamRole } from '@cdktn/provider-aws/lib/iam-role';
import { SecurityGroup } from '@cdktn/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktn/provider-aws/lib/vpc-security-group-egress-rule';
import { TerraformOutput } from 'cdktn';
import { ConfigError } from '../modules/module';
import type { BackplaneConfig } from '../config';
import { checkAsyncComposition, queueEnvName, type QueueConfig } from '../config/queues';
import { AppSecrets } from '../constructs/app-secrets';
import { BunLambda } from '../constructs/bun-lambda';
import { Cron } from '../constructs/cron';
import { rolePolicy } from '../constructs/iam';
import { Service } from '../constructs/ecs-service';
import { likeService, OneOffTask } from '../constructs/migration-task';
import { Queue } from '../constructs/queue';
import type { Consumer, SharedServiceSettings, Tier, TierContext } from './tier';

export interface AsyncTierOptions {
  /** Directory of the config file: handler paths resolve from here. @default process.cwd() */
  readonly configDir?: string;
  /** Where compiled Bun Lambdas are cached. @default BunLambda's default (node_modules/.cache/backplane/bun-lambda) */
  readonly packageOutDir?: string;
}

export interface AsyncTier extends Tier {
  readonly queues: Readonly<Record<string, Queue>>;
  readonly appSecrets?: AppSecrets;
  /** Queue key -> its worker service or Lambda (after `attach`). */
  readonly workers: Record<string, Service | BunLambda>;
  /** Cron key -> its schedule (after `attach`). */
  readonly cronJobs: Record<string, Cron>;
  /** The one-off migration task definition (after `attach`, when service.migrateCommand is set). */
  migrateTask?: OneOffTask;
}

/** The queues the API service consumes itself (worker "in-process"). */
export const inProcessQueues = (config: BackplaneConfig): string[] =>
  Object.entries(config.queues ?? {})
    .filter(([, q]) => q.worker === 'in-process')
    .map(([key]) => key);

export function asyncTier(ctx: TierContext, options: AsyncTierOptions = {}): AsyncTier {
  const { config, prefix, tags, protect, scope } = ctx;
  const queueConfigs = config.queues ?? {};
  const cronConfigs = config.cron ?? {};
  const secretConfigs = config.secrets ?? {};
  checkAsyncComposition(config, prefix);

  // ---- queues (+ DLQs) and app secrets: they exist before the API service ---------------------------
  const queues: Record<string, Queue> = {};
  for (const [key, q] of Object.entries(queueConfigs)) {
    queues[key] = new Queue(scope, `queue_${key}`, {
      name: `${prefix}-${key}`,
      fifo: q.fifo,
      contentBasedDeduplication: q.contentBasedDeduplication,
      visibilityTimeoutSeconds: q.visibilityTimeoutSeconds,
      messageRetentionSeconds: q.retentionDays * 24 * 3600,
      maxReceiveCount: q.maxReceiveCount,
      tags,
      preventDestroy: protect,
    });
  }
  const appSecrets =
    Object.keys(secretConfigs).length > 0
      ? new AppSecrets(scope, 'app_secrets', { prefix, secrets: secretConfigs, recoveryWindowDays: protect ? 30 : 0, tags })
      : undefined;

  const environment = Object.fromEntries(Object.entries(queues).map(([key, queue]) => [queueEnvName(key), queue.url]));
  const granted = new Map<IamRole, Set<string>>();
  let apiRole: IamRole | undefined;
  const configDir = options.configDir ?? process.cwd();
  const handlerFile = (field: string, file: string): string => {
    const resolved = path.resolve(configDir, file);
    if (!fs.existsSync(resolved))
      throw new ConfigError(
        `${field} = ${JSON.stringify(file)}: no such file (resolved to ${resolved}); give a path relative to the config file`,
      );
    return resolved;
  };
  const out = (name: string, value: unknown, description: string) =>
    new TerraformOutput(scope, `output_${name}`, { value, description }).overrideLogicalId(name);

  const tier: AsyncTier = {
    environment,
    secrets: appSecrets?.valueFrom ?? {},
    queues,
    appSecrets,
    workers: {},
    cronJobs: {},

    attach(api: Service, shared: SharedServiceSettings): Consumer[] {
      apiRole = api.taskRole;
      const consumers: Consumer[] = [];
      const lambdaDefaults = () => lambdaSettings(ctx, shared, options.packageOutDir);

      // ---- workers --------------------------------------------------------------------------------
      for (const [key, q] of Object.entries(queueConfigs)) {
        if (q.worker === 'service') {
          const worker = workerService(ctx, shared, key, q, queues[key]);
          tier.workers[key] = worker;
          consumers.push({
            label: `worker-${key}`,
            securityGroupId: worker.securityGroup.id,
            role: worker.taskRole,
            consumesQueues: [key],
          });
        } else if (q.worker === 'lambda') {
          const l = q.lambda!;
          const settings = lambdaDefaults();
          const fn = new BunLambda(scope, `worker_${key}`, {
            ...settings.props,
            functionName: `${prefix}-${key}-worker`,
            description: `Consumes the ${key} queue`,
            handler: handlerFile(`queues.${key}.lambda.handler`, l.handler),
            memorySize: l.memory,
            timeout: q.workerTimeoutSeconds,
            queue: {
              queueArn: queues[key].arn,
              batchSize: l.batchSize,
              maximumBatchingWindowSeconds: l.maxBatchingWindowSeconds,
              maximumConcurrency: l.maxConcurrency,
            },
          });
          tier.workers[key] = fn;
          // BunLambda grants itself consume on its queue (the event source mapping needs it first).
          grantedTo(fn.role).add(key);
          consumers.push({
            label: `worker-${key}`,
            securityGroupId: settings.securityGroupId,
            role: fn.role,
            consumesQueues: [key],
            runtime: 'lambda',
          });
        }
      }

      // ---- one-off task definitions: scheduled jobs and migrations ----------------------------------
      const sc = config.service;
      const base = likeService(
        api,
        shared,
        {
          cpu: sc.cpu,
          memory: sc.memory,
          architecture: sc.architecture === 'arm64' ? 'ARM64' : 'X86_64',
          readonlyRootFilesystem: sc.readonlyRootFilesystem,
        },
        tags,
      );
      const oneOff = (id: string, family: string, containerName: string, command: string[]) =>
        new OneOffTask(scope, id, { ...base, family, containerName, command });
      const ecsJobs = Object.values(cronConfigs).some((j) => j.command !== undefined);
      const jobsTask = ecsJobs ? oneOff('jobs_task', `${prefix}-jobs`, 'job', []) : undefined;

      for (const [key, job] of Object.entries(cronConfigs)) {
        const common = {
          name: `${prefix}-${key}`,
          schedule: job.schedule,
          timezone: job.timezone,
          description: job.description,
          enabled: job.enabled,
          retries: job.retries,
          maxEventAgeSeconds: job.maxEventAgeSeconds,
          ctx: ctx.aws,
          tags,
        };
        if (job.command && jobsTask) {
          tier.cronJobs[key] = new Cron(scope, `cron_${key}`, {
            ...common,
            ecs: {
              clusterArn: api.cluster.arn,
              taskDefinitionArn: jobsTask.taskDefinition.arn,
              taskDefinitionFamily: jobsTask.taskDefinition.family,
              containerName: jobsTask.containerName,
              command: job.command,
              subnetIds: shared.subnetIds,
              securityGroupIds: [api.securityGroup.id],
              assignPublicIp: shared.assignPublicIp,
              taskRoleArn: api.taskRole.arn,
              executionRoleArn: api.executionRole.arn,
            },
          });
        } else if (job.lambda) {
          const settings = lambdaDefaults();
          const fn = new BunLambda(scope, `cron_${key}_lambda`, {
            ...settings.props,
            functionName: `${prefix}-${key}-cron`,
            description: `Scheduled job ${key} (${job.schedule})`,
            handler: handlerFile(`cron.${key}.lambda.handler`, job.lambda.handler),
            memorySize: job.lambda.memory,
            timeout: job.lambda.timeout,
          });
          tier.cronJobs[key] = new Cron(scope, `cron_${key}`, { ...common, lambda: { functionArn: fn.functionArn } });
          consumers.push({ label: `cron-${key}`, securityGroupId: settings.securityGroupId, role: fn.role, runtime: 'lambda' });
        }
      }

      const migrate = config.service.migrateCommand;
      if (migrate) {
        tier.migrateTask = new OneOffTask(scope, 'migrate_task', {
          ...base,
          environment: shared.migrationEnvironment,
          secrets: shared.migrationSecrets,
          family: `${prefix}-migrate`,
          containerName: 'migrate',
          command: migrate,
        });
        out(
          'migrate_command',
          tier.migrateTask.runTaskCommand,
          'Runs the migrations by hand as a one-off ECS task (same image, env, secrets and roles as the service).',
        );
        out('migrate_task_definition_arn', tier.migrateTask.taskDefinition.arn, 'The one-off migration task definition.');
      }
      outputs();
      return consumers;
    },

    allow(consumer: Consumer): void {
      if (Object.keys(queues).length === 0) return;
      // The API consumes its in-process queues even when the preset does not say so.
      const consumes = consumer.consumesQueues ?? (consumer.role === apiRole ? inProcessQueues(config) : []);
      const done = grantedTo(consumer.role);
      const statements = Object.entries(queues).flatMap(([key, queue]) => {
        const consume = consumes.includes(key) && !done.has(key);
        if (consume) done.add(key);
        // Sids must be unique within a policy: suffix them with the queue key.
        const sid = key.replace(/(^|-)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());
        return [...queue.sendStatements(sid), ...(consume ? queue.consumeStatements(sid) : [])];
      });
      const id = consumer.label.replace(/[^A-Za-z0-9]/g, '_');
      // One inline policy per consumer: every queue may be sent to; consumption only where the consumer works.
      rolePolicy(scope, `queues_${id}`, consumer.role, `${consumer.label}-queues`, statements);
    },
  };

  function grantedTo(role: IamRole): Set<string> {
    let set = granted.get(role);
    if (!set) granted.set(role, (set = new Set()));
    return set;
  }

  /** What the tier's e2e assertions read (test/e2e/assertions/async-tier.ts); one map per kind, keyed like the config. */
  function outputs(): void {
    const map = <T>(record: Record<string, T>, name: string, fn: (key: string, v: T) => unknown, description: string) => {
      if (Object.keys(record).length > 0) out(name, Object.fromEntries(Object.entries(record).map(([k, v]) => [k, fn(k, v)])), description);
    };
    map(
      queues,
      'queues',
      (key, queue) => {
        const q = queueConfigs[key];
        const settings = {
          worker: q.worker,
          env: queueEnvName(key),
          visibility_timeout_seconds: q.visibilityTimeoutSeconds,
          max_receive_count: q.maxReceiveCount,
        };
        return { ...queue.outputs, ...settings };
      },
      'Queues: url, arn, name, dlq_url, dlq_arn, dlq_name, worker mode.',
    );
    map(
      tier.workers,
      'queue_workers',
      (_, w) =>
        w instanceof Service
          ? { mode: 'service', cluster_name: w.cluster.name, service_name: w.service.name, task_role_arn: w.taskRole.arn }
          : { mode: 'lambda', function_name: w.functionName, role_arn: w.roleArn },
      'Worker services and Lambdas per queue.',
    );
    map(
      tier.cronJobs,
      'cron_jobs',
      (key, c) => ({
        schedule_name: c.schedule.name,
        group_name: 'default',
        role_arn: c.role.arn,
        dlq_url: c.dlq.url,
        dlq_arn: c.dlq.arn,
        target: cronConfigs[key].command ? 'ecs' : 'lambda',
      }),
      'Scheduled jobs: schedule name, scheduler role, dead-letter queue.',
    );
    if (appSecrets)
      out(
        'app_secrets',
        appSecrets.valueFrom,
        'App secret ARNs (no value in Terraform): set each with `backplane secrets set NAME` (or aws secretsmanager put-secret-value).',
      );
  }

  return tier;
}

/** A worker service from the app image: no load balancer, its own command, 0..N tasks on the queue's backlog. */
function workerService(ctx: TierContext, shared: SharedServiceSettings, key: string, q: QueueConfig, queue: Queue): Service {
  const s = q.service!;
  const worker = new Service(ctx.scope, `worker_${key}`, {
    name: `${ctx.prefix}-${key}`,
    image: shared.image,
    ecrRepositoryArn: shared.ecrRepositoryArn,
    cpu: s.cpu,
    memory: s.memory,
    architecture: ctx.config.service.architecture === 'arm64' ? 'ARM64' : 'X86_64',
    containerPort: ctx.config.service.port,
    command: s.command,
    environment: shared.environment,
    secrets: shared.secrets,
    healthCheckCommand: [],
    readonlyRootFilesystem: ctx.config.service.readonlyRootFilesystem,
    migrateCommand: [],
    vpcId: shared.vpcId,
    subnetIds: shared.subnetIds,
    assignPublicIp: shared.assignPublicIp,
    targetGroupArn: null,
    desiredCount: s.minCount,
    minCount: s.minCount,
    maxCount: s.maxCount,
    requestsPerTarget: 0,
    spot: s.spot,
    enableExecuteCommand: ctx.config.service.executeCommand,
    tags: ctx.tags,
  });
  // The queue decides the count: CPU/memory tracking may add tasks but must not remove them while messages wait
  // (escape hatch until the Service construct can switch those policies off).
  for (const id of ['scale_on_cpu', 'scale_on_memory']) {
    (worker.node.findChild(id) as AppautoscalingPolicy).addOverride('target_tracking_scaling_policy_configuration.disable_scale_in', true);
  }
  queue.scaleWorker({
    name: `${ctx.prefix}-${key}`,
    target: worker.node.findChild('scaling_target') as AppautoscalingTarget,
    messagesPerTask: s.messagesPerTask,
  });
  return worker;
}

/**
 * What every Bun Lambda of the tier shares: the app's plain environment, its secrets as `<NAME>_SECRET_ARN`
 * (Lambda has no valueFrom; a JSON key of the ECS reference goes to `<NAME>_SECRET_JSON_KEY`), and a security
 * group in the app subnets (egress HTTPS to AWS APIs and TCP within the VPC, as the service has).
 */
function lambdaSettings(ctx: TierContext, shared: SharedServiceSettings, packageOutDir?: string) {
  const existing = ctx.scope.node.tryFindChild('lambda_security_group') as SecurityGroup | undefined;
  const sg =
    existing ??
    new SecurityGroup(ctx.scope, 'lambda_security_group', {
      name: `${ctx.prefix}-lambda`,
      description: `${ctx.prefix} Lambda functions`,
      vpcId: shared.vpcId,
      tags: ctx.tags,
    });
  if (!existing) {
    new VpcSecurityGroupEgressRule(ctx.scope, 'lambda_to_aws_apis', {
      securityGroupId: sg.id,
      description: 'HTTPS to AWS APIs',
      ipProtocol: 'tcp',
      fromPort: 443,
      toPort: 443,
      cidrIpv4: '0.0.0.0/0',
    });
    new VpcSecurityGroupEgressRule(ctx.scope, 'lambda_to_vpc', {
      securityGroupId: sg.id,
      description: 'TCP inside the VPC (database, cache)',
      ipProtocol: 'tcp',
      fromPort: 0,
      toPort: 65535,
      cidrIpv4: ctx.network.vpc.cidrBlock,
    });
  }
  const secrets: Record<string, string> = {};
  const environment: Record<string, string> = { ...shared.environment };
  for (const [name, valueFrom] of Object.entries(shared.secrets)) {
    const parts = valueFrom.split(':');
    secrets[name] = parts.slice(0, 7).join(':');
    if (parts.length > 7 && parts[7]) environment[`${name}_SECRET_JSON_KEY`] = parts[7];
  }
  return {
    securityGroupId: sg.id,
    props: {
      environment,
      secrets,
      vpc: { subnetIds: shared.subnetIds, securityGroupIds: [sg.id] },
      packageOutDir,
      codeBucket: ctx.config.lambda.codeBucket,
      tags: ctx.tags,
    },
  };
}
