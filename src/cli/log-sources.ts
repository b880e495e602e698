/**
 * Where each part of a stack logs (the names the constructs give their log groups and awslogs stream prefixes):
 * - the API service: /ecs/<prefix>, streams app/...            (src/constructs/ecs-service.ts, container-definitions.ts)
 * - the migration task: /ecs/<prefix>, streams migrate/...     (src/constructs/migration-task.ts)
 * - scheduled jobs in the app image: /ecs/<prefix>, streams job/... (one task definition for every ECS job)
 * - a worker service: /ecs/<prefix>-<queue>, streams app/...   (src/presets/async-tier.ts workerService)
 * - a Lambda worker or job: /aws/lambda/<prefix>-<key>-worker | -cron (src/constructs/bun-lambda.ts)
 * The API's and a worker's in-process consumers log with the API (worker "in-process" runs inside it).
 */
import type { BackplaneConfig } from '../config';
import { UsageError } from './errors';

export interface LogSource {
  /** What `--source` names it and each printed line shows: api, migrate, worker:jobs, cron:nightly. */
  readonly label: string;
  readonly group: string;
  readonly streamPrefix?: string;
}

/** Every source the config has, in the order `logs` lists them. */
export function logSources(config: BackplaneConfig): LogSource[] {
  const prefix = `${config.name}-${config.stage}`;
  const ecs = `/ecs/${prefix}`;
  const sources: LogSource[] = [{ label: 'api', group: ecs, streamPrefix: 'app/' }];
  if (config.service.migrateCommand?.length) sources.push({ label: 'migrate', group: ecs, streamPrefix: 'migrate/' });
  for (const [key, q] of Object.entries(config.queues ?? {})) {
    if (q.worker === 'service') sources.push({ label: `worker:${key}`, group: `/ecs/${prefix}-${key}`, streamPrefix: 'app/' });
    if (q.worker === 'lambda') sources.push({ label: `worker:${key}`, group: `/aws/lambda/${prefix}-${key}-worker` });
  }
  const jobs = Object.entries(config.cron ?? {});
  for (const [key, job] of jobs) if (job.lambda) sources.push({ label: `cron:${key}`, group: `/aws/lambda/${prefix}-${key}-cron` });
  // ECS jobs share one task definition, hence one stream prefix: their output is one source, "cron".
  if (jobs.some(([, job]) => !job.lambda)) sources.push({ label: 'cron', group: ecs, streamPrefix: 'job/' });
  return sources;
}

/** The sources `--source` selects: one label, `worker` (every worker) or `cron` (every job); all without it. */
export function selectSources(config: BackplaneConfig, wanted: string | undefined): LogSource[] {
  const all = logSources(config);
  if (!wanted) return all;
  const ecsJob = wanted.startsWith('cron:') && config.cron?.[wanted.slice(5)] && !config.cron[wanted.slice(5)].lambda;
  const chosen = all.filter((s) => s.label === wanted || s.label.startsWith(`${wanted}:`) || (ecsJob && s.label === 'cron'));
  if (!chosen.length)
    throw new UsageError(`--source "${wanted}" is not a part of this stack: it has ${all.map((s) => s.label).join(', ')}`);
  return chosen;
}

/** 10m, 2h, 1d, 30s or an ISO date → epoch milliseconds. */
export function parseSince(value: string, now: Date): number {
  const rel = /^(\d+)\s*([smhd])$/.exec(value.trim());
  if (rel) return now.getTime() - Number(rel[1]) * { s: 1e3, m: 60e3, h: 3600e3, d: 86400e3 }[rel[2] as 's' | 'm' | 'h' | 'd'];
  const abs = Date.parse(value);
  if (Number.isNaN(abs))
    throw new UsageError(`--since "${value}" must be a duration such as 10m, 2h, 1d or a date such as 2026-12-01T09:00Z`);
  return abs;
}
