import { Construct } from 'constructs';
import type { SharedServiceSettings } from '../presets/tier';
import type { Service } from './ecs-service';
import { EcsTaskDefinition } from '@cdktn/provider-aws/lib/ecs-task-definition';
import { Fn, Token } from 'cdktn';
import { asString, choose, nameValueList, notEmpty } from './tokens';

export interface OneOffTaskProps {
  /** Task definition family, e.g. "shop-dev-migrate". */
  readonly family: string;
  /** The container's name; RunTask overrides and scheduled jobs address it by this name. */
  readonly containerName: string;
  /** The app image (the same reference the service runs, pinned by digest). */
  readonly image: string;
  /**
   * The command; empty keeps the image CMD (a scheduled job overrides it per run).
   * @default []
   */
  readonly command?: string[];
  /** Plain environment, as the service has it. @default {} */
  readonly environment?: Record<string, string>;
  /** NAME -> Secrets Manager valueFrom, as the service has it (the execution role must already read them). @default {} */
  readonly secrets?: Record<string, string>;
  /** Task CPU units. @default 256 */
  readonly cpu?: number;
  /** Task memory (MiB), a valid Fargate pair with cpu. @default 512 */
  readonly memory?: number;
  /** ARM64 or X86_64, as the image is built. @default 'ARM64' */
  readonly architecture?: string;
  /** @default true */
  readonly readonlyRootFilesystem?: boolean;
  /** The service's task role (the app identity). */
  readonly taskRoleArn: string;
  /** The service's execution role (pulls the image, reads the secrets, writes the log group). */
  readonly executionRoleArn: string;
  /** The service's log group: the execution role may write only there. */
  readonly logGroupName: string;
  readonly region: string;
  /** Where to run it: for the printed `aws ecs run-task` command. */
  readonly run: {
    readonly clusterName: string;
    readonly subnetIds: string[];
    readonly securityGroupIds: string[];
    readonly assignPublicIp: boolean;
  };
  /** @default {} */
  readonly tags?: Record<string, string>;
}

/**
 * A task definition for one-off runs of the app image, outside the service: migrations run by hand, scheduled
 * jobs. It shares the service's image, environment, secrets, roles and log group (so it reaches exactly what the
 * service reaches), but has one container, no port, no health check and no migrate init container.
 *
 * `runTaskCommand` is the exact `aws ecs run-task` line that starts it; ECS keeps the task's exit code
 * (`aws ecs describe-tasks --cluster <cluster> --tasks <arn> --query 'tasks[0].containers[0].exitCode'`).
 */
export class OneOffTask extends Construct {
  readonly taskDefinition: EcsTaskDefinition;
  readonly containerName: string;
  readonly runTaskCommand: string;

  constructor(scope: Construct, id: string, p: OneOffTaskProps) {
    super(scope, id);
    this.containerName = p.containerName;
    const command = p.command ?? [];
    const container = {
      name: p.containerName,
      image: p.image,
      essential: true,
      command: choose(notEmpty(command), command, null),
      environment: nameValueList(p.environment ?? {}, 'value'),
      secrets: nameValueList(p.secrets ?? {}, 'valueFrom'),
      readonlyRootFilesystem: p.readonlyRootFilesystem ?? true,
      mountPoints: [{ sourceVolume: 'tmp', containerPath: '/tmp', readOnly: false }],
      linuxParameters: { initProcessEnabled: true },
      logConfiguration: {
        logDriver: 'awslogs',
        options: { 'awslogs-group': p.logGroupName, 'awslogs-region': p.region, 'awslogs-stream-prefix': p.containerName },
      },
    };
    this.taskDefinition = new EcsTaskDefinition(this, 'task_definition', {
      family: p.family,
      requiresCompatibilities: ['FARGATE'],
      networkMode: 'awsvpc',
      cpu: asString(p.cpu ?? 256),
      memory: asString(p.memory ?? 512),
      runtimePlatform: { cpuArchitecture: p.architecture ?? 'ARM64', operatingSystemFamily: 'LINUX' },
      executionRoleArn: p.executionRoleArn,
      taskRoleArn: p.taskRoleArn,
      volume: [{ name: 'tmp' }],
      containerDefinitions: Token.asString(Fn.jsonencode([container])),
      tags: p.tags,
    });

    const network = Fn.format('awsvpcConfiguration={subnets=[%s],securityGroups=[%s],assignPublicIp=%s}', [
      Fn.join(',', p.run.subnetIds),
      Fn.join(',', p.run.securityGroupIds),
      choose(p.run.assignPublicIp, 'ENABLED', 'DISABLED'),
    ]);
    this.runTaskCommand = Fn.format(
      "aws ecs run-task --region %s --cluster %s --task-definition %s --launch-type FARGATE --count 1 --started-by %s --network-configuration '%s'",
      [p.region, p.run.clusterName, this.taskDefinition.arn, p.containerName, network],
    );
  }
}

/**
 * The props that make a one-off task run as `service` runs: its image, environment, secrets, roles and log group,
 * in its subnets with its security group (so it reaches what the service reaches), on its cluster.
 */
export function likeService(
  service: Service,
  shared: SharedServiceSettings,
  size: { cpu: number; memory: number; architecture: string; readonlyRootFilesystem: boolean },
  tags: Record<string, string>,
): Omit<OneOffTaskProps, 'family' | 'containerName' | 'command'> {
  return {
    image: shared.image,
    environment: shared.environment,
    secrets: shared.secrets,
    ...size,
    taskRoleArn: service.taskRole.arn,
    executionRoleArn: service.executionRole.arn,
    logGroupName: service.logGroup.name,
    region: service.context.region,
    run: {
      clusterName: service.cluster.name,
      subnetIds: shared.subnetIds,
      securityGroupIds: [service.securityGroup.id],
      assignPublicIp: shared.assignPublicIp,
    },
    tags,
  };
}
