/**
 * The monthly baseline of a configured stack: each component the RESOLVED config turns on, priced from the table
 * in ./prices.ts. Every line carries the arithmetic that produced it (`detail`), so a user can redo it by hand.
 * Usage-driven items (requests, emails, log volume, NAT data) come from {@link CostAssumptions}; at the defaults
 * the stack is idle: the baseline is what it costs to exist.
 */
import type { BackplaneConfig } from '../config';
import { previewOf } from '../config/preview-plan';
import { alarmCount } from '../definitions/alarm-count';
import { priceCache, priceDatabase } from './data-tier';
import { LineSink, shown, type CostLine } from './lines';
import * as P from './prices';
import { appSecretNames, cacheOf, databaseOf, emailEnabled, invocationsPerMonth, queuesOf, schedulesOf } from './sections';

/** Usage the baseline assumes. */
export interface CostAssumptions {
  /** Requests per month through CloudFront to the ALB. @default 0 (idle) */
  readonly requestsPerMonth: number;
  /** Average bytes per request + response, KB (ALB processed bytes, CloudFront transfer). @default 10 */
  readonly kbPerRequest: number;
  /** CloudWatch Logs ingested per month, GB. @default 1 */
  readonly logsGbPerMonth: number;
  /** Log retention (the service's log group), days. @default 14 */
  readonly logRetentionDays: number;
  /** Images kept in ECR, GB. @default 1 */
  readonly ecrStorageGb: number;
  /** Data through NAT per month (image pulls, AWS APIs without endpoints), GB. @default 1 */
  readonly natDataGbPerMonth: number;
  /** Emails sent per month. @default 0 */
  readonly emailsPerMonth: number;
  /** Aurora storage used, GB (billed as used). @default 1 */
  readonly auroraStorageGb: number;
}

export const DEFAULT_ASSUMPTIONS: CostAssumptions = {
  requestsPerMonth: 0,
  kbPerRequest: 10,
  logsGbPerMonth: 1,
  logRetentionDays: 14,
  ecrStorageGb: 1,
  natDataGbPerMonth: 1,
  emailsPerMonth: 0,
  auroraStorageGb: 1,
};

export interface CostEstimate {
  readonly lines: readonly CostLine[];
  /** Sum of the rounded lines. */
  readonly total: number;
  /** Things the stack creates that the table has no price for (named, never silently zero). */
  readonly unpriced: readonly string[];
  readonly notes: readonly string[];
  readonly assumptions: CostAssumptions;
  readonly region: string;
  readonly pricesRead: string;
}

const H = P.HOURS_PER_MONTH;
const $ = shown;
/** Lambda polls an idle SQS queue with about 5 concurrent long-pollers (AWS Lambda developer guide, services-sqs-scaling). */
const LAMBDA_SQS_POLLERS = 5;
/** Consumers long-poll with a 20 s wait (examples/app/src/worker.ts): one ReceiveMessage per 20 s per poller. */
const LONG_POLL_SECONDS = 20;
/** Rules of the ALB's web ACL, each billed per month: the per-IP rate limit and three AWS managed rule groups. */
const WAF_RULES = 4;
const gb = (mib: number): number => mib / 1024;
const vcpu = (units: number): number => units / 1024;

/** Fargate on-demand monthly cost of one task. */
export function fargateTaskMonth(cpuUnits: number, memoryMiB: number, architecture: string, spot: boolean): number {
  const [cpuPrice, memPrice] =
    architecture === 'arm64' ? [P.FARGATE_ARM_VCPU_HOUR, P.FARGATE_ARM_GB_HOUR] : [P.FARGATE_X86_VCPU_HOUR, P.FARGATE_X86_GB_HOUR];
  const onDemand = (vcpu(cpuUnits) * cpuPrice.usd + gb(memoryMiB) * memPrice.usd) * H;
  return spot ? onDemand * (1 - P.FARGATE_SPOT_DISCOUNT.usd) : onDemand;
}

function fargateDetail(tasks: number, cpuUnits: number, memoryMiB: number, architecture: string, spot: boolean): string {
  const [cpuPrice, memPrice] =
    architecture === 'arm64' ? [P.FARGATE_ARM_VCPU_HOUR, P.FARGATE_ARM_GB_HOUR] : [P.FARGATE_X86_VCPU_HOUR, P.FARGATE_X86_GB_HOUR];
  const spotPart = spot ? ` x (1 - ${P.FARGATE_SPOT_DISCOUNT.usd}) Spot` : '';
  return `${tasks} x (${vcpu(cpuUnits)} vCPU x ${$(cpuPrice)} + ${gb(memoryMiB)} GB x ${$(memPrice)}) x ${H} h${spotPart}`;
}

/** Whether the ALB is internet-facing (and so holds a public IPv4 per AZ). */
export function albIsPublic(config: BackplaneConfig): boolean {
  return config.edge.mode === 'subdomain' || config.edge.albAccess === 'public';
}

export function estimateCost(config: BackplaneConfig, overrides: Partial<CostAssumptions> = {}): CostEstimate {
  const a: CostAssumptions = { ...DEFAULT_ASSUMPTIONS, ...overrides };
  const sink = new LineSink();
  const { unpriced, notes } = sink;
  const add = sink.add.bind(sink);
  const s = config.service;
  const azs = config.network.azCount;
  // A preview stage shares its parent's network, load balancer, database, cache, repository and edge: only what it
  // creates is priced here (its tasks, queues, schedules, secrets and logs); the parent's estimate carries the rest.
  const preview = previewOf(config);
  const own = preview === undefined;
  if (preview)
    notes.push(
      `Preview of "${preview.parent}": its network, load balancer, database instance, cache, image repository and edge are the parent's, priced in the parent's estimate (backplane cost --stage ${preview.parent}); this is what the preview adds.`,
    );

  // ---- compute -------------------------------------------------------------------------------------------
  const apiTasks = s.scaling.min;
  add(
    'compute',
    `Fargate: api (${apiTasks} task${apiTasks === 1 ? '' : 's'}, ${vcpu(s.cpu)} vCPU / ${gb(s.memory)} GB, ${s.architecture}${s.spot ? ', Spot' : ''})`,
    apiTasks * fargateTaskMonth(s.cpu, s.memory, s.architecture, s.spot),
    fargateDetail(apiTasks, s.cpu, s.memory, s.architecture, s.spot),
  );
  let tasksAtIdle = apiTasks;
  const queues = queuesOf(config);
  for (const q of queues) {
    if (q.worker === 'lambda')
      notes.push(
        `Lambda worker "${q.key}": pay per use (${$(P.LAMBDA_ARM_GB_SECOND)} per GB-second arm64 + ${$(P.LAMBDA_MILLION_REQUESTS)} per million requests), $0 at idle.`,
      );
    if (!q.service) continue;
    const w = q.service;
    tasksAtIdle += w.minCount;
    add(
      'compute',
      `Fargate: worker ${q.key} (${w.minCount} task${w.minCount === 1 ? '' : 's'} at idle, scales on queue depth)`,
      w.minCount * fargateTaskMonth(w.cpu, w.memory, s.architecture, w.spot),
      fargateDetail(w.minCount, w.cpu, w.memory, s.architecture, w.spot),
    );
  }

  // ---- load balancing ------------------------------------------------------------------------------------
  if (own) priceLoadBalancer(config, a, sink);

  // ---- NAT -----------------------------------------------------------------------------------------------
  const nat = config.network.nat;
  // A preview's egress goes through the parent's NAT (priced there); with nat "none" its tasks have their own IPs.
  if (!own && nat !== 'none') {
    notes.push(`Egress through the parent's NAT (nat "${nat}"): priced in the parent's estimate.`);
  } else if (nat === 'instance') {
    add('network', 'NAT instance (t4g.nano)', P.EC2_T4G_NANO_HOUR.usd * H, `${H} h x ${$(P.EC2_T4G_NANO_HOUR)}`);
    add('network', 'Public IPv4: NAT instance', P.PUBLIC_IPV4_HOUR.usd * H, `${H} h x ${$(P.PUBLIC_IPV4_HOUR)}`);
    unpriced.push('NAT instance root volume (8 GB gp3 EBS): no EBS price in the table');
  } else if (nat === 'gateway') {
    const gateways = config.network.natGatewayPerAz ? azs : 1;
    add('network', `NAT Gateway (${gateways})`, gateways * P.NAT_GATEWAY_HOUR.usd * H, `${gateways} x ${H} h x ${$(P.NAT_GATEWAY_HOUR)}`);
    add(
      'network',
      `NAT Gateway data (${a.natDataGbPerMonth} GB)`,
      a.natDataGbPerMonth * P.NAT_GATEWAY_GB.usd,
      `${a.natDataGbPerMonth} GB x ${$(P.NAT_GATEWAY_GB)}`,
    );
    add(
      'network',
      `Public IPv4: NAT Gateway Elastic IP${gateways === 1 ? '' : 's'} (${gateways})`,
      gateways * P.PUBLIC_IPV4_HOUR.usd * H,
      `${gateways} x ${H} h x ${$(P.PUBLIC_IPV4_HOUR)}`,
    );
  } else {
    add(
      'network',
      `Public IPv4: one per task (nat "none", ${tasksAtIdle} task${tasksAtIdle === 1 ? '' : 's'} at idle)`,
      tasksAtIdle * P.PUBLIC_IPV4_HOUR.usd * H,
      `${tasksAtIdle} x ${H} h x ${$(P.PUBLIC_IPV4_HOUR)}`,
    );
  }

  // ---- data tier -----------------------------------------------------------------------------------------
  const db = databaseOf(config);
  const cache = cacheOf(config);
  if (own) priceDatabase(db, a, sink);
  if (own) priceCache(cache, sink);

  // ---- async, email --------------------------------------------------------------------------------------
  if (queues.length > 0) {
    const perPoller = (H * 3600) / LONG_POLL_SECONDS;
    let requests = 0;
    let fifo = 0;
    for (const q of queues) {
      const pollers = q.worker === 'in-process' ? apiTasks : q.worker === 'service' ? (q.service?.minCount ?? 0) : LAMBDA_SQS_POLLERS;
      requests += pollers * perPoller;
      if (q.fifo) fifo += pollers * perPoller;
    }
    const billed = Math.max(0, requests - P.SQS_FREE_REQUESTS);
    const fifoShare = requests > 0 ? fifo / requests : 0;
    const usd = (billed / 1e6) * (fifoShare * P.SQS_FIFO_MILLION_REQUESTS.usd + (1 - fifoShare) * P.SQS_STANDARD_MILLION_REQUESTS.usd);
    add(
      'async',
      `SQS (${queues.length} queue${queues.length === 1 ? '' : 's'} + dead-letter queues)`,
      usd,
      `~${Math.round(requests).toLocaleString('en-US')} long-poll requests/month - ${P.SQS_FREE_REQUESTS.toLocaleString('en-US')} free = ${Math.round(billed).toLocaleString('en-US')} billed x ${$(P.SQS_STANDARD_MILLION_REQUESTS)}/M`,
    );
  }
  const schedules = schedulesOf(config);
  if (schedules.length > 0) {
    const invocations = schedules.reduce((n, sc) => n + invocationsPerMonth(sc.schedule), 0);
    const billed = Math.max(0, invocations - P.SCHEDULER_FREE_INVOCATIONS);
    add(
      'async',
      `EventBridge Scheduler (${schedules.length} schedule${schedules.length === 1 ? '' : 's'})`,
      (billed / 1e6) * P.SCHEDULER_MILLION_INVOCATIONS.usd,
      `~${invocations.toLocaleString('en-US')} invocations/month - ${P.SCHEDULER_FREE_INVOCATIONS.toLocaleString('en-US')} free = ${billed.toLocaleString('en-US')} billed x ${$(P.SCHEDULER_MILLION_INVOCATIONS)}/M`,
    );
    notes.push('Scheduled ECS tasks are billed as Fargate time while they run (not in the baseline).');
  }
  if (emailEnabled(config)) {
    add(
      'email',
      `SES outbound (${a.emailsPerMonth.toLocaleString('en-US')} emails)`,
      (a.emailsPerMonth / 1000) * P.SES_THOUSAND_EMAILS.usd,
      `${a.emailsPerMonth} / 1,000 x ${$(P.SES_THOUSAND_EMAILS)}`,
    );
  }

  // ---- secrets -------------------------------------------------------------------------------------------
  const secrets: string[] = [];
  if (db && own) secrets.push('database master (RDS-managed)');
  if (cache && !cache.serverless && own) secrets.push('cache auth token');
  if (config.edge.mode === 'attach' && config.edge.albAccess === 'public' && own) secrets.push('origin-verify header');
  for (const name of appSecretNames(config)) secrets.push(`app secret ${name}`);
  const referenced = new Set(Object.values(s.secrets).map((arn) => arn.split(':').slice(0, 7).join(':')));
  for (const arn of referenced) secrets.push(`referenced ${arn.split(':')[6]}`);
  if (secrets.length > 0) {
    add(
      'secrets',
      `Secrets Manager (${secrets.length} secret${secrets.length === 1 ? '' : 's'}: ${secrets.join(', ')})`,
      secrets.length * P.SECRETS_MANAGER_SECRET_MONTH.usd,
      `${secrets.length} x ${$(P.SECRETS_MANAGER_SECRET_MONTH)} (API calls at task start: negligible)`,
    );
  }

  // ---- observability, registry, edge ---------------------------------------------------------------------
  const stored = (a.logsGbPerMonth * a.logRetentionDays) / 30;
  add(
    'observability',
    `CloudWatch Logs (${a.logsGbPerMonth} GB ingested, ${a.logRetentionDays}-day retention)`,
    a.logsGbPerMonth * P.CLOUDWATCH_LOGS_INGEST_GB.usd + stored * P.CLOUDWATCH_LOGS_STORED_GB_MONTH.usd,
    `${a.logsGbPerMonth} GB x ${$(P.CLOUDWATCH_LOGS_INGEST_GB)} + ${stored.toFixed(3)} GB stored x ${$(P.CLOUDWATCH_LOGS_STORED_GB_MONTH)}`,
  );
  unpriced.push('Container Insights metrics (on for the cluster): not in the price table');
  if (config.network.flowLogs)
    notes.push(
      `VPC flow logs: $${P.CLOUDWATCH_LOGS_INGEST_GB.usd.toFixed(2)} per GB ingested (CloudWatch Logs), volume depends on traffic: not in the baseline.`,
    );
  if (config.alarms.enabled && own) {
    const alarms = alarmCount({
      deadLetterQueues: queues.length + schedules.length,
      cron: false,
      database: db ? (db.engine === 'aurora-serverless' ? 'cluster' : 'instance') : undefined,
      cache: cache !== undefined,
      maxConnections: db !== undefined,
    });
    // The two 5xx-rate alarms are metric math over two metrics each, billed per metric.
    const metrics = alarms + 2;
    add(
      'observability',
      `CloudWatch alarms (${alarms} alarms, ${metrics} metrics)`,
      metrics * P.CLOUDWATCH_ALARM_METRIC_MONTH.usd,
      `${metrics} alarm metrics x ${$(P.CLOUDWATCH_ALARM_METRIC_MONTH)} (SNS email notifications: free tier)`,
    );
  }
  if (!s.image && own)
    add(
      'registry',
      `ECR storage (${a.ecrStorageGb} GB of images)`,
      a.ecrStorageGb * P.ECR_GB_MONTH.usd,
      `${a.ecrStorageGb} GB x ${$(P.ECR_GB_MONTH)}`,
    );
  if (a.requestsPerMonth > 0 && own) {
    const req = Math.max(0, a.requestsPerMonth - P.CLOUDFRONT_FREE_REQUESTS);
    const transfer = Math.max(0, (a.requestsPerMonth * a.kbPerRequest) / 1e6 - P.CLOUDFRONT_FREE_GB);
    add(
      'edge',
      'CloudFront /api/* requests and transfer (beyond the free 10 M requests and 1 TB)',
      (req / 10_000) * P.CLOUDFRONT_10K_HTTPS_REQUESTS.usd + transfer * P.CLOUDFRONT_GB.usd,
      `${req.toLocaleString('en-US')} / 10,000 x ${$(P.CLOUDFRONT_10K_HTTPS_REQUESTS)} + ${transfer.toFixed(1)} GB x ${$(P.CLOUDFRONT_GB)}`,
    );
  }
  if (config.edge.waf && own) {
    add(
      'edge',
      `AWS WAF web ACL on the ALB (${WAF_RULES} rules, ${a.requestsPerMonth.toLocaleString('en-US')} requests/month)`,
      P.WAF_ACL_MONTH.usd + WAF_RULES * P.WAF_RULE_MONTH.usd + (a.requestsPerMonth / 1e6) * P.WAF_MILLION_REQUESTS.usd,
      `${$(P.WAF_ACL_MONTH)} + ${WAF_RULES} x ${$(P.WAF_RULE_MONTH)} + ${a.requestsPerMonth / 1e6} M requests x ${$(P.WAF_MILLION_REQUESTS)}`,
    );
  }
  if (config.edge.accessLogs && own)
    unpriced.push(
      `ALB access logs: S3 storage of the logs (kept ${config.edge.accessLogRetentionDays} days; no S3 price in the table, log delivery itself is free)`,
    );
  if (config.region !== P.PRICE_REGION) notes.push(`Prices are ${P.PRICE_REGION}'s; ${config.region} may differ by a few percent.`);
  if (config.edge.mode === 'attach' && own)
    notes.push(`The API rides the existing distribution ${config.edge.distributionId}: no new distribution, ACM certificates are free.`);

  return {
    lines: sink.lines,
    total: sink.total(),
    unpriced,
    notes,
    assumptions: a,
    region: P.PRICE_REGION,
    pricesRead: P.FARGATE_ARM_VCPU_HOUR.read,
  };
}

/** The load balancer's hours, its LCUs at the assumed traffic, and its public addresses when internet-facing. */
function priceLoadBalancer(config: BackplaneConfig, a: CostAssumptions, sink: LineSink): void {
  const add = sink.add.bind(sink);
  const azs = config.network.azCount;
  add('load-balancing', 'Application Load Balancer (hours)', P.ALB_HOUR.usd * H, `${H} h x ${$(P.ALB_HOUR)}`);
  const perSecond = a.requestsPerMonth / (H * 3600);
  const gbPerHour = (a.requestsPerMonth * a.kbPerRequest) / 1e6 / H;
  // LCU: the largest of new connections (25/s per LCU, one per request assumed) and processed bytes (1 GB/h).
  const lcu = Math.max(perSecond / 25, gbPerHour);
  add(
    'load-balancing',
    `ALB LCUs (${a.requestsPerMonth.toLocaleString('en-US')} requests/month)`,
    lcu * H * P.ALB_LCU_HOUR.usd,
    `${lcu.toFixed(4)} LCU x ${H} h x ${$(P.ALB_LCU_HOUR)} (max of ${perSecond.toFixed(3)} new conn/s / 25 and ${gbPerHour.toFixed(4)} GB/h)`,
  );
  if (albIsPublic(config)) {
    add(
      'network',
      `Public IPv4: internet-facing ALB (${azs} AZs)`,
      azs * P.PUBLIC_IPV4_HOUR.usd * H,
      `${azs} x ${H} h x ${$(P.PUBLIC_IPV4_HOUR)}`,
    );
  } else {
    sink.notes.push('ALB is internal behind a CloudFront VPC origin: no public IPv4 addresses for it.');
  }
}
