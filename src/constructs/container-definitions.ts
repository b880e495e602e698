import { Fn, Token } from 'cdktn';
import { choose, concat, listIf, notEmpty } from './tokens';

export interface ContainerSpec {
  readonly name: string;
  readonly image: string;
  readonly port: number;
  readonly command: string[];
  /** `[{ name, value }]`, possibly a token. */
  readonly environment: unknown;
  /** `[{ name, valueFrom }]`, possibly a token. */
  readonly secrets: unknown;
  /** The migrate container's `[{ name, value }]` and `[{ name, valueFrom }]`: the app's with its own over them. */
  readonly migrateEnvironment: unknown;
  readonly migrateSecrets: unknown;
  readonly healthCheckCommand: string[];
  readonly readonlyRootFilesystem: boolean;
  readonly migrateCommand: string[];
  readonly logGroup: string;
  readonly region: string;
}

const logs = (s: ContainerSpec, prefix: string) => ({
  logDriver: 'awslogs',
  options: {
    'awslogs-group': s.logGroup,
    'awslogs-region': s.region,
    'awslogs-stream-prefix': prefix,
    // Never block the app on a slow log pipe.
    mode: 'non-blocking',
    'max-buffer-size': '25m',
  },
});

/**
 * The task's containers as `jsonencode(...)`: the app, and before it an optional `migrate` init container
 * with the same image, env and secrets (plus its own over them) that must exit 0 (`dependsOn` SUCCESS) first.
 */
export function containerDefinitions(s: ContainerSpec): string {
  const migrates = notEmpty(s.migrateCommand);
  const tmp = [{ sourceVolume: 'tmp', containerPath: '/tmp', readOnly: false }];
  const app: Record<string, unknown> = {
    name: 'app',
    image: s.image,
    essential: true,
    command: choose(notEmpty(s.command), s.command, null),
    portMappings: [{ containerPort: s.port, protocol: 'tcp' }],
    environment: s.environment,
    secrets: s.secrets,
    readonlyRootFilesystem: s.readonlyRootFilesystem,
    mountPoints: [
      ...tmp,
      // ECS Exec's SSM agent writes its state and logs here; with a read-only root filesystem it crashes without
      // them (aws/containers-roadmap#1359; the workaround the ECS team published in amazon-ecs-exec-checker#21).
      { sourceVolume: 'ssm-state', containerPath: '/var/lib/amazon', readOnly: false },
      { sourceVolume: 'ssm-logs', containerPath: '/var/log/amazon', readOnly: false },
    ],
    // An init process reaps zombies and forwards SIGTERM, so the app can drain on deploys.
    linuxParameters: { initProcessEnabled: true },
    stopTimeout: 30,
    healthCheck: choose(
      notEmpty(s.healthCheckCommand),
      { command: s.healthCheckCommand, interval: 15, timeout: 5, retries: 3, startPeriod: 30 },
      null,
    ),
    dependsOn: choose(migrates, [{ containerName: 'migrate', condition: 'SUCCESS' }], null),
    logConfiguration: logs(s, 'app'),
  };
  const migrate: Record<string, unknown> = {
    name: 'migrate',
    image: s.image,
    essential: false,
    command: s.migrateCommand,
    environment: s.migrateEnvironment,
    secrets: s.migrateSecrets,
    readonlyRootFilesystem: s.readonlyRootFilesystem,
    mountPoints: tmp,
    logConfiguration: logs(s, 'migrate'),
  };
  return Token.asString(Fn.jsonencode(concat(listIf(migrates, migrate), [app])));
}
