/**
 * Watches the stack's ECS deployments while `backplane deploy` applies (issue 14), for the two failures Terraform
 * reports slowly or not at all:
 * - A first deploy that cannot start (bad image, a crash at start, a missing secret): nothing to roll back to, so the
 *   service never reaches a steady state and the provider's `wait_for_steady_state` waits out its timeout (~20 min),
 *   then says only that. ECS marks the deployment FAILED once its circuit breaker trips (a few failed tasks); the
 *   watch then interrupts Terraform (SIGINT: it stops cleanly and saves the state) and fails with the stopped task's
 *   reason read from ECS.
 * - A deployment ECS rolled back (circuit breaker): the service is steady again on the previous deployment, so the
 *   apply succeeds. The stack's postcondition catches a rollback to another task definition; a deployment that did not
 *   register one (a network or secret change, a forced redeploy) rolls back to the same task definition and passes.
 *   After the apply, a rollback event newer than the apply's start fails the deploy, with its reason.
 * "New" is decided by ECS's own ids (deployments and events seen before the apply are not new), not by clocks.
 */
import * as fs from 'fs';
import * as path from 'path';
import { setTimeout as sleep } from 'timers/promises';
import type { Context } from './command';
import { isRollbackEvent, serviceStatus, type ServiceStatus, type StoppedTask } from './status/service';

/** Each service's cluster has the service's name (src/constructs/ecs-service.ts). */
export function stackServices(stackDir: string): string[] {
  const json = JSON.parse(fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8')) as {
    resource?: Record<string, Record<string, { name?: unknown }>>;
  };
  return Object.values(json.resource?.aws_ecs_service ?? {})
    .map((s) => s.name)
    .filter((n): n is string => typeof n === 'string' && !n.includes('${'));
}

/** "task 1a2b: Essential container in task exited (app: exit 1)" for the newest stopped task. */
export function stoppedTaskReason(tasks: readonly StoppedTask[]): string | undefined {
  const t = tasks[0];
  if (!t) return undefined;
  const containers = t.containers
    .filter((c) => c.reason || (c.exitCode !== undefined && c.exitCode !== 0))
    .map(
      (c) =>
        `${c.name ?? 'container'}: ${[c.exitCode !== undefined ? `exit ${c.exitCode}` : '', c.reason ?? ''].filter(Boolean).join(', ')}`,
    );
  const id = t.taskArn?.split('/').pop()?.slice(0, 8) ?? '?';
  return `task ${id}: ${t.stoppedReason ?? t.stopCode ?? 'stopped'}${containers.length ? ` (${containers.join('; ')})` : ''}`;
}

interface Seen {
  readonly deployments: Set<string>;
  readonly events: Set<string>;
}

const reasonWithTasks = (what: string, status: ServiceStatus) => {
  const task = stoppedTaskReason(status.stoppedTasks);
  return `${what}${task ? `; the last stopped task: ${task}` : ''}. \`backplane status\` and \`backplane logs\` show more.`;
};

/** A new deployment that ECS marked FAILED with nothing to roll back to (the first deploy, or rollback off). */
export function failedDeployment(status: ServiceStatus, seen: Seen | undefined): string | undefined {
  const isNew = (id?: string) => id !== undefined && !seen?.deployments.has(id);
  const failed = status.deployments.find((d) => d.rolloutState === 'FAILED' && isNew(d.id));
  if (!failed) return undefined;
  const fallback = status.deployments.some((d) => d !== failed && d.rolloutState === 'COMPLETED');
  if (fallback) return undefined; // ECS keeps (or rolls back to) a working deployment: the check after the apply decides
  return reasonWithTasks(
    `ECS could not start service ${status.name}: ${failed.rolloutStateReason ?? 'its deployment failed'} (${failed.failedTasks ?? 0} failed task(s), nothing to roll back to)`,
    status,
  );
}

/** A rollback event newer than the apply's start. */
export function rollbackSince(status: ServiceStatus, seen: Seen | undefined): string | undefined {
  const fresh = status.recentEvents.filter((e) => !e.id || !seen?.events.has(e.id));
  const rollback = fresh.find((e) => isRollbackEvent(e.message));
  if (!rollback) return undefined;
  const failed = fresh.find((e) => /deployment failed/.test(e.message)) ?? rollback;
  return reasonWithTasks(`ECS rolled back the deployment of service ${status.name}: ${failed.message}`, status);
}

export interface WatchOptions {
  readonly region: string;
  /** Between two DescribeServices rounds. */
  readonly pollMs: number;
}

export class DeploymentWatch {
  private readonly seen = new Map<string, Seen>();
  private readonly abort = new AbortController();
  private loop?: Promise<void>;

  constructor(
    private readonly ctx: Context,
    private readonly services: readonly string[],
    private readonly options: WatchOptions,
  ) {}

  private async status(service: string): Promise<ServiceStatus | undefined> {
    return serviceStatus(this.ctx, this.options.region, service);
  }

  /** What exists before the apply: its deployments and events are not this deploy's. */
  async baseline(): Promise<void> {
    for (const service of this.services) {
      const s = await this.status(service);
      if (s)
        this.seen.set(service, {
          deployments: new Set(s.deployments.map((d) => d.id).filter((id): id is string => !!id)),
          events: new Set(s.recentEvents.map((e) => e.id).filter((id): id is string => !!id)),
        });
    }
  }

  /** Polls until stopped; calls `onFailure` once with the first failed first-deploy found. */
  start(onFailure: (reason: string) => void): void {
    const { signal } = this.abort;
    this.loop = (async () => {
      while (!signal.aborted) {
        await sleep(this.options.pollMs, undefined, { signal });
        for (const service of this.services) {
          if (signal.aborted) return;
          const s = await this.status(service).catch(() => undefined); // a poll that fails is retried next round
          const reason = s && failedDeployment(s, this.seen.get(service));
          if (reason) {
            this.abort.abort();
            onFailure(reason);
            return;
          }
        }
      }
    })().catch(() => undefined); // aborted while sleeping
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
  }

  /** After a successful apply: the first rollback of this deploy, if ECS rolled one back. */
  async rollback(): Promise<string | undefined> {
    for (const service of this.services) {
      const s = await this.status(service);
      const reason = s && rollbackSince(s, this.seen.get(service));
      if (reason) return reason;
    }
    return undefined;
  }
}
