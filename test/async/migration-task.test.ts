/** OneOffTask: the migration (and scheduled-job) task definition and the exact run-task command. */
import { AwsProvider } from '@cdktn/provider-aws/lib/provider';
import { App, TerraformOutput, Testing } from 'cdktn';
import { OneOffTask, type OneOffTaskProps } from '../../src/constructs/migration-task';
import { NamedStack } from '../../src/constructs/naming';
import { decode, named, type Json } from './helpers';

const BASE: OneOffTaskProps = {
  family: 'shop-dev-migrate',
  containerName: 'migrate',
  image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/shop@sha256:' + 'a'.repeat(64),
  command: ['bun', 'run', 'src/migrate.ts'],
  environment: { APP_STAGE: 'dev', DATABASE_HOST: 'db.internal' },
  secrets: { DATABASE_PASSWORD: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf:password::' },
  cpu: 512,
  memory: 1024,
  taskRoleArn: 'arn:aws:iam::123456789012:role/shop-dev-task',
  executionRoleArn: 'arn:aws:iam::123456789012:role/shop-dev-execution',
  logGroupName: '/ecs/shop-dev',
  region: 'us-east-1',
  run: { clusterName: 'shop-dev', subnetIds: ['subnet-0a', 'subnet-0b'], securityGroupIds: ['sg-0123'], assignPublicIp: false },
};

function synth(props: Partial<OneOffTaskProps> = {}): Json {
  const app = new App({ outdir: '/tmp/async-oneoff-test', skipValidation: true });
  const stack = new NamedStack(app, 'test');
  new AwsProvider(stack, 'aws', { region: 'us-east-1' });
  const task = new OneOffTask(stack, 'migrate_task', { ...BASE, ...props });
  new TerraformOutput(stack, 'cmd', { value: task.runTaskCommand });
  return JSON.parse(Testing.synth(stack)) as Json;
}

describe('OneOffTask', () => {
  const json = synth();
  const td = named(json, 'aws_ecs_task_definition', 'migrate_task_task_definition');

  it('registers a Fargate task definition with the service roles, ARM64, and the given size', () => {
    expect(td).toMatchObject({
      family: 'shop-dev-migrate',
      requires_compatibilities: ['FARGATE'],
      network_mode: 'awsvpc',
      cpu: '512',
      memory: '1024',
      runtime_platform: { cpu_architecture: 'ARM64', operating_system_family: 'LINUX' },
      task_role_arn: BASE.taskRoleArn,
      execution_role_arn: BASE.executionRoleArn,
    });
  });

  it('runs one container with the migrate command, the same env and secrets (by valueFrom), no port and no health check', () => {
    const [container, ...rest] = decode(td.container_definitions) as any[];
    expect(rest).toEqual([]);
    expect(container).toMatchObject({
      name: 'migrate',
      image: BASE.image,
      essential: true,
      command: ['bun', 'run', 'src/migrate.ts'],
      environment: [
        { name: 'APP_STAGE', value: 'dev' },
        { name: 'DATABASE_HOST', value: 'db.internal' },
      ],
      secrets: [{ name: 'DATABASE_PASSWORD', valueFrom: BASE.secrets!.DATABASE_PASSWORD }],
      readonlyRootFilesystem: true,
      logConfiguration: {
        logDriver: 'awslogs',
        options: { 'awslogs-group': '/ecs/shop-dev', 'awslogs-region': 'us-east-1', 'awslogs-stream-prefix': 'migrate' },
      },
    });
    expect(container.portMappings).toBeUndefined();
    expect(container.healthCheck).toBeUndefined();
    expect(container.dependsOn).toBeUndefined();
  });

  it('prints the exact aws ecs run-task line: cluster, this revision, Fargate, the service subnets and security group', () => {
    expect(json.output?.cmd.value).toBe(
      '${format("aws ecs run-task --region %s --cluster %s --task-definition %s --launch-type FARGATE --count 1 --started-by %s --network-configuration \'%s\'", ' +
        '"us-east-1", "shop-dev", aws_ecs_task_definition.migrate_task_task_definition.arn, "migrate", ' +
        'format("awsvpcConfiguration={subnets=[%s],securityGroups=[%s],assignPublicIp=%s}", join(",", ["subnet-0a", "subnet-0b"]), join(",", ["sg-0123"]), "DISABLED"))}',
    );
  });

  it('keeps the image CMD when no command is given (a scheduled job overrides it per run)', () => {
    const [container] = decode(
      named(synth({ command: [] }), 'aws_ecs_task_definition', 'migrate_task_task_definition').container_definitions,
    );
    expect(container.command).toBeNull();
  });
});
