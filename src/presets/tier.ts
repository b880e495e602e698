/**
 * How the preset composes tiers around the API service. A tier (data, async, email, secrets) builds its
 * resources from the validated config, tells the service what env and secrets it needs, and then lets
 * every compute consumer (the API service, worker services, Lambda consumers) reach it.
 */
import type { Construct } from 'constructs';
import type { IamRole } from '@cdktn/provider-aws/lib/iam-role';
import type { BackplaneConfig } from '../config';
import type { Service } from '../constructs/ecs-service';
import type { AwsContext } from '../constructs/iam';

/** What the tiers need of the network: the stack's own VPC (`Network`) or a parent stage's, looked up by a preview. */
export interface NetworkRefs {
  readonly vpc: { readonly id: string; readonly cidrBlock: string };
  readonly privateSubnetIds: string[];
  /** Subnets the tasks run in (private ones, or public ones with nat "none"). */
  readonly appSubnetIds: string[];
  readonly assignPublicIp: boolean;
}

export interface TierContext {
  readonly scope: Construct;
  readonly config: BackplaneConfig;
  /** `<name>-<stage>`: the prefix of every resource name. */
  readonly prefix: string;
  readonly tags: Record<string, string>;
  /** prod: deletion protection, prevent_destroy, snapshots kept. */
  readonly protect: boolean;
  readonly network: NetworkRefs;
  readonly aws: AwsContext;
}

/** Something that runs code and needs to reach tiers: the API service, a worker service, a Lambda. */
export interface Consumer {
  readonly label: string;
  /** Security group of its tasks/ENIs, when it runs in the VPC. */
  readonly securityGroupId?: string;
  /** The identity its code runs as (task role, Lambda role). */
  readonly role: IamRole;
  /** Whether it consumes queues (in-process workers and worker services do; the API without workers does not). */
  readonly consumesQueues?: readonly string[];
  /** Where it runs: ECS tasks take task secrets and IAM database auth; a Lambda reads secrets by ARN. @default "ecs" */
  readonly runtime?: 'ecs' | 'lambda';
}

/** Settings shared by every Fargate service built from the app image (API and workers). */
export interface SharedServiceSettings {
  readonly image: string;
  readonly ecrRepositoryArn: string | null;
  readonly environment: Record<string, string>;
  readonly secrets: Record<string, string>;
  /** The migration container's environment and secrets (the shared ones with the tiers' migration overrides). */
  readonly migrationEnvironment: Record<string, string>;
  readonly migrationSecrets: Record<string, string>;
  readonly vpcId: string;
  readonly subnetIds: string[];
  readonly assignPublicIp: boolean;
}

export interface Tier {
  /** Plain environment variables for every service built from the app image. */
  readonly environment?: Record<string, string>;
  /** NAME -> Secrets Manager valueFrom, injected as task secrets. */
  readonly secrets?: Record<string, string>;
  /** Overrides of `environment` for the migration container only (e.g. the database owner instead of the app role). */
  readonly migrationEnvironment?: Record<string, string>;
  /** Secrets for the migration container only (e.g. the database owner's password). */
  readonly migrationSecrets?: Record<string, string>;
  /** Builds compute of its own (worker services, Lambdas, schedules) once the API service exists. */
  attach?(api: Service, shared: SharedServiceSettings): Consumer[];
  /** Lets a consumer reach this tier: security group ingress, IAM grants scoped to this tier's ARNs. */
  allow?(consumer: Consumer): void;
}
