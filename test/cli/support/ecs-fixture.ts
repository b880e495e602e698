/**
 * What the ECS-facing command tests (run, migrate, status) set up in moto the way a deployed stack has it: a task
 * network (VPC, subnet, security group) and Fargate task definitions logging to `/ecs/shop-dev`.
 */
import { CreateSecurityGroupCommand, CreateSubnetCommand, CreateVpcCommand, EC2Client } from '@aws-sdk/client-ec2';
import { ECSClient, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import type { AwsClientConfig } from '../../../src/cli/aws';

/** One subnet and security group in a new VPC, as the service's awsvpc configuration. */
export async function taskNetwork(aws: AwsClientConfig) {
  const ec2 = new EC2Client(aws);
  try {
    const vpc = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }))).Vpc?.VpcId;
    const subnet = (await ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: '10.0.1.0/24' }))).Subnet?.SubnetId as string;
    const sg = (await ec2.send(new CreateSecurityGroupCommand({ VpcId: vpc, GroupName: 'app', Description: 'app' }))).GroupId as string;
    return { subnet, awsvpcConfiguration: { subnets: [subnet], securityGroups: [sg], assignPublicIp: 'DISABLED' as const } };
  } finally {
    ec2.destroy();
  }
}

/**
 * A 256/512 Fargate task definition with one container logging to `/ecs/shop-dev` under `streamPrefix`;
 * `containerMemory` undefined sizes it at the task level only, as the stack does.
 */
export function registerFargateTask(
  ecs: ECSClient,
  o: { family: string; container: string; streamPrefix: string; containerMemory?: number },
) {
  const logConfiguration = {
    logDriver: 'awslogs' as const,
    options: { 'awslogs-group': '/ecs/shop-dev', 'awslogs-region': 'us-east-1', 'awslogs-stream-prefix': o.streamPrefix },
  };
  return ecs.send(
    new RegisterTaskDefinitionCommand({
      family: o.family,
      requiresCompatibilities: ['FARGATE'],
      networkMode: 'awsvpc',
      cpu: '256',
      memory: '512',
      containerDefinitions: [{ name: o.container, image: 'x', cpu: 256, memory: o.containerMemory, logConfiguration }],
    }),
  );
}
