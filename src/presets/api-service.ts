/**
 * The API service and the settings every service built from the app image shares, from the config and the tiers:
 * one definition for a full stack (FullstackBackend) and a preview stage (PreviewBackend).
 */
import { dependable, type ITerraformDependable } from 'cdktn';
import { Service } from '../constructs/ecs-service';
import { inProcessQueues } from './async-tier';
import { withSuffix } from '../constructs/tokens';
import type { Consumer, NetworkRefs, SharedServiceSettings, Tier, TierContext } from './tier';

/** Where the API's tasks register: a target group behind a load balancer. */
export interface ApiTarget {
  readonly targetGroupArn: string;
  readonly targetGroupArnSuffix: string;
  readonly loadBalancerArnSuffix: string;
  readonly loadBalancerSecurityGroupId: string;
}

/** The shared settings, with what the tiers change for the migration container alone. */
export interface ServiceSettings extends SharedServiceSettings {
  readonly migrationOverrides: { readonly environment: Record<string, string>; readonly secrets: Record<string, string> };
}

/** The image, environment and secrets of every app-image service: the config's, APP_STAGE and each tier's. */
export function sharedServiceSettings(
  ctx: TierContext,
  tiers: Tier[],
  registry: { readonly repositoryUrl: string; readonly arn: string },
  network: NetworkRefs,
): ServiceSettings {
  const { config } = ctx;
  const environment: Record<string, string> = { APP_STAGE: config.stage, ...config.service.environment };
  const secrets: Record<string, string> = { ...config.service.secrets };
  const migrateEnvironment: Record<string, string> = {};
  const migrateSecrets: Record<string, string> = {};
  for (const t of tiers) {
    Object.assign(environment, t.environment ?? {});
    Object.assign(secrets, t.secrets ?? {});
    Object.assign(migrateEnvironment, t.migrationEnvironment ?? {});
    Object.assign(migrateSecrets, t.migrationSecrets ?? {});
  }
  const s = config.service;
  const image = s.image ?? withSuffix(registry.repositoryUrl, s.imageDigest ? `@${s.imageDigest}` : `:${s.imageTag}`);
  return {
    image,
    ecrRepositoryArn: s.image ? null : registry.arn,
    environment,
    secrets,
    migrationEnvironment: { ...environment, ...migrateEnvironment },
    migrationSecrets: { ...secrets, ...migrateSecrets },
    vpcId: network.vpc.id,
    subnetIds: network.appSubnetIds,
    assignPublicIp: network.assignPublicIp,
    migrationOverrides: { environment: migrateEnvironment, secrets: migrateSecrets },
  };
}

/** The API service on Fargate, registered in `target`. */
export function apiService(ctx: TierContext, shared: ServiceSettings, target: ApiTarget): Service {
  const s = ctx.config.service;
  return new Service(ctx.scope, 'service', {
    name: ctx.prefix,
    image: shared.image,
    ecrRepositoryArn: shared.ecrRepositoryArn,
    cpu: s.cpu,
    memory: s.memory,
    architecture: s.architecture === 'arm64' ? 'ARM64' : 'X86_64',
    containerPort: s.port,
    command: s.command ?? [],
    environment: shared.environment,
    secrets: shared.secrets,
    healthCheckCommand: s.healthCheckCommand,
    readonlyRootFilesystem: s.readonlyRootFilesystem,
    migrateCommand: s.migrateCommand ?? [],
    migrateEnvironment: shared.migrationOverrides.environment,
    migrateSecrets: shared.migrationOverrides.secrets,
    vpcId: shared.vpcId,
    subnetIds: shared.subnetIds,
    assignPublicIp: shared.assignPublicIp,
    attachLoadBalancer: true,
    ...target,
    desiredCount: Math.max(1, s.scaling.min),
    minCount: s.scaling.min,
    maxCount: s.scaling.max,
    cpuTarget: s.scaling.cpuTarget,
    memoryTarget: s.scaling.memoryTarget,
    requestsPerTarget: s.scaling.requestsPerTarget,
    spot: s.spot,
    enableExecuteCommand: s.executeCommand,
    tags: ctx.tags,
  });
}

/**
 * The compute consumers around the API service: the service itself (registered once `forwarder`, the listener or rule
 * that forwards to its target group, exists), then what each tier attaches (workers, Lambdas); every tier then lets
 * every consumer reach it.
 */
export function wireConsumers(
  ctx: TierContext,
  api: Service,
  tiers: Tier[],
  shared: SharedServiceSettings,
  forwarder: ITerraformDependable,
): Consumer[] {
  api.service.dependsOn = [...(api.service.dependsOn ?? []), dependable(forwarder)];
  const consumers: Consumer[] = [
    { label: 'api', securityGroupId: api.securityGroup.id, role: api.taskRole, consumesQueues: inProcessQueues(ctx.config) },
  ];
  for (const t of tiers) consumers.push(...(t.attach?.(api, shared) ?? []));
  for (const t of tiers) for (const c of consumers) t.allow?.(c);
  return consumers;
}
