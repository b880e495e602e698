import { Construct } from 'constructs';
import { AppautoscalingPolicy } from '@cdktn/provider-aws/lib/appautoscaling-policy';
import { AppautoscalingTarget } from '@cdktn/provider-aws/lib/appautoscaling-target';
import { CloudwatchLogGroup } from '@cdktn/provider-aws/lib/cloudwatch-log-group';
import { DataAwsEcsService } from '@cdktn/provider-aws/lib/data-aws-ecs-service';
import { DataAwsVpc } from '@cdktn/provider-aws/lib/data-aws-vpc';
import { EcsCluster } from '@cdktn/provider-aws/lib/ecs-cluster';
import { EcsClusterCapacityProviders } from '@cdktn/provider-aws/lib/ecs-cluster-capacity-providers';
import { EcsService } from '@cdktn/provider-aws/lib/ecs-service';
import { EcsTaskDefinition } from '@cdktn/provider-aws/lib/ecs-task-definition';
import { IamRole } from '@cdktn/provider-aws/lib/iam-role';
import { SecurityGroup } from '@cdktn/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktn/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktn/provider-aws/lib/vpc-security-group-ingress-rule';
import { Fn, Op, Token, ref } from 'cdktn';
import { ecsServiceDefinition } from '../definitions/ecs-service';
import { isToken, resolveInputs, type ModuleOutputs } from '../modules/module';
import type { EcsServiceInputs } from './generated/ecs-service';
import { AwsContext, rolePolicy, serviceRole, type PolicyStatement } from './iam';
import {
  and,
  asString,
  blockWhen,
  choose,
  concat,
  greaterThan,
  isSet,
  listIf,
  mapValues,
  nameValueList,
  notEmpty,
  optionally,
  withSuffix,
  withTags,
} from './tokens';
import { containerDefinitions } from './container-definitions';

/** A secret reference `arn:...:secret:name-AbCdEf:json-key::` names the secret by its first 7 fields. */
const secretArnOf = (valueFrom: string): string =>
  isToken(valueFrom) ? Token.asString(Fn.join(':', Fn.slice(Fn.split(':', valueFrom), 0, 7))) : valueFrom.split(':').slice(0, 7).join(':');
const SECRET_ARN_HCL = 'join(":", slice(split(":", val), 0, 7))';

/** The API container on ECS Fargate (module `ecs-service`). */
export class Service extends Construct {
  readonly cluster: EcsCluster;
  readonly taskDefinition: EcsTaskDefinition;
  readonly service: EcsService;
  readonly securityGroup: SecurityGroup;
  readonly taskRole: IamRole;
  readonly executionRole: IamRole;
  readonly logGroup: CloudwatchLogGroup;
  readonly outputs: ModuleOutputs<typeof ecsServiceDefinition>;
  private readonly ctx: AwsContext;
  private grants = 0;

  constructor(scope: Construct, id: string, props: EcsServiceInputs) {
    super(scope, id);
    const p: Required<EcsServiceInputs> = resolveInputs(ecsServiceDefinition, props, id);
    const tags = withTags(p.tags, { Service: p.name });
    const ctx = (this.ctx = new AwsContext(this, 'aws'));

    // ECS Exec sessions (commands and output) are logged to their own group, for audit (ECS developer guide,
    // "Logging and auditing using ECS Exec").
    const execLogs = new CloudwatchLogGroup(this, 'exec_logs', { name: `/ecs/${p.name}/exec`, retentionInDays: 365, tags });
    this.cluster = new EcsCluster(this, 'cluster', {
      name: p.name,
      setting: [{ name: 'containerInsights', value: 'enabled' }],
      configuration: {
        executeCommandConfiguration: {
          logging: 'OVERRIDE',
          logConfiguration: { cloudWatchLogGroupName: execLogs.name, cloudWatchEncryptionEnabled: false },
        },
      },
      tags,
    });
    new EcsClusterCapacityProviders(this, 'capacity_providers', {
      clusterName: this.cluster.name,
      capacityProviders: ['FARGATE', 'FARGATE_SPOT'],
    });
    this.logGroup = new CloudwatchLogGroup(this, 'logs', { name: `/ecs/${p.name}`, retentionInDays: p.logRetentionDays, tags });

    // ---- identities ----------------------------------------------------------------------------
    const ecsSource = `arn:${ctx.partition}:ecs:${ctx.region}:${ctx.accountId}:*`;
    this.executionRole = serviceRole(this, 'execution_role', {
      name: `${p.name}-execution`,
      service: 'ecs-tasks.amazonaws.com',
      ctx,
      sourceArn: ecsSource,
      tags,
    });
    this.taskRole = serviceRole(this, 'task_role', {
      name: `${p.name}-task`,
      service: 'ecs-tasks.amazonaws.com',
      ctx,
      sourceArn: ecsSource,
      tags,
    });
    const allSecrets = withTags(p.secrets, p.migrateSecrets);
    const secretArns = mapValues(allSecrets, secretArnOf, SECRET_ARN_HCL);
    const pulls = isSet(p.ecrRepositoryArn);
    const executionPolicy = rolePolicy(
      this,
      'execution_policy',
      this.executionRole,
      'pull-image-write-logs-read-secrets',
      concat<PolicyStatement>(
        [
          {
            Sid: 'WriteLogs',
            Effect: 'Allow',
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            Resource: withSuffix(this.logGroup.arn, ':*'),
          },
        ],
        // GetAuthorizationToken has no resource-level permissions: it must be "*" (ECR IAM reference).
        listIf(pulls, { Sid: 'EcrLogin', Effect: 'Allow', Action: ['ecr:GetAuthorizationToken'], Resource: '*' }),
        listIf(pulls, {
          Sid: 'PullImage',
          Effect: 'Allow',
          Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'],
          Resource: p.ecrRepositoryArn as string,
        }),
        listIf(notEmpty(allSecrets), {
          Sid: 'ReadSecrets',
          Effect: 'Allow',
          Action: ['secretsmanager:GetSecretValue'],
          Resource: secretArns,
        }),
      ),
    );
    optionally(p.enableExecuteCommand, (count) => {
      const policy = rolePolicy(this, 'exec_policy', this.taskRole, 'ecs-exec', [
        // ECS Exec's session channels have no resource-level permissions (ECS developer guide, "ECS Exec").
        {
          Effect: 'Allow',
          Action: [
            'ssmmessages:CreateControlChannel',
            'ssmmessages:CreateDataChannel',
            'ssmmessages:OpenControlChannel',
            'ssmmessages:OpenDataChannel',
          ],
          Resource: '*',
        },
        // Session logging: DescribeLogGroups has no resource-level permissions (CloudWatch Logs IAM reference).
        { Effect: 'Allow', Action: ['logs:DescribeLogGroups'], Resource: '*' },
        {
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'],
          Resource: withSuffix(execLogs.arn, ':*'),
        },
      ]);
      if (count !== undefined) policy.count = count;
      return policy;
    });

    // ---- task definition -------------------------------------------------------------------------
    this.taskDefinition = new EcsTaskDefinition(this, 'task_definition', {
      family: p.name,
      requiresCompatibilities: ['FARGATE'],
      networkMode: 'awsvpc',
      cpu: asString(p.cpu),
      memory: asString(p.memory),
      runtimePlatform: { cpuArchitecture: p.architecture, operatingSystemFamily: 'LINUX' },
      executionRoleArn: this.executionRole.arn,
      taskRoleArn: this.taskRole.arn,
      // tmp for the app; the other two let ECS Exec's SSM agent write beside a read-only root filesystem.
      volume: [{ name: 'tmp' }, { name: 'ssm-state' }, { name: 'ssm-logs' }],
      containerDefinitions: containerDefinitions({
        name: p.name,
        image: p.image,
        port: p.containerPort,
        command: p.command,
        environment: nameValueList(withTags(p.environment, { PORT: asString(p.containerPort) }), 'value'),
        secrets: nameValueList(p.secrets, 'valueFrom'),
        migrateEnvironment: nameValueList(
          withTags(withTags(p.environment, p.migrateEnvironment), { PORT: asString(p.containerPort) }),
          'value',
        ),
        migrateSecrets: nameValueList(allSecrets, 'valueFrom'),
        healthCheckCommand: p.healthCheckCommand,
        readonlyRootFilesystem: p.readonlyRootFilesystem,
        migrateCommand: p.migrateCommand,
        logGroup: this.logGroup.name,
        region: ctx.region,
      }),
      tags,
    });

    // ---- network ---------------------------------------------------------------------------------
    const vpc = new DataAwsVpc(this, 'vpc', { id: p.vpcId });
    this.securityGroup = new SecurityGroup(this, 'security_group', {
      name: `${p.name}-tasks`,
      description: `${p.name} tasks`,
      vpcId: p.vpcId,
      tags,
    });
    optionally(
      p.attachLoadBalancer,
      (count) =>
        new VpcSecurityGroupIngressRule(this, 'from_load_balancer', {
          count,
          securityGroupId: this.securityGroup.id,
          description: 'App port from the load balancer only',
          ipProtocol: 'tcp',
          fromPort: p.containerPort,
          toPort: p.containerPort,
          referencedSecurityGroupId: p.loadBalancerSecurityGroupId as string,
        }),
    );
    new VpcSecurityGroupEgressRule(this, 'to_aws_apis', {
      securityGroupId: this.securityGroup.id,
      description: 'HTTPS to AWS APIs, ECR and email',
      ipProtocol: 'tcp',
      fromPort: 443,
      toPort: 443,
      cidrIpv4: '0.0.0.0/0',
    });
    new VpcSecurityGroupEgressRule(this, 'to_vpc', {
      securityGroupId: this.securityGroup.id,
      description: 'TCP inside the VPC (database, cache)',
      ipProtocol: 'tcp',
      fromPort: 0,
      toPort: 65535,
      cidrIpv4: vpc.cidrBlock,
    });

    // ---- service ---------------------------------------------------------------------------------
    this.service = new EcsService(this, 'service', {
      name: p.name,
      cluster: this.cluster.arn,
      taskDefinition: this.taskDefinition.arn,
      desiredCount: p.desiredCount,
      capacityProviderStrategy: [{ capacityProvider: choose(p.spot, 'FARGATE_SPOT', 'FARGATE'), weight: 1, base: 0 }],
      platformVersion: 'LATEST',
      networkConfiguration: { subnets: p.subnetIds, securityGroups: [this.securityGroup.id], assignPublicIp: p.assignPublicIp },
      loadBalancer: blockWhen(
        p.attachLoadBalancer,
        () => ({ targetGroupArn: p.targetGroupArn as string, containerName: 'app', containerPort: p.containerPort }),
        true,
      ),
      healthCheckGracePeriodSeconds: choose(p.attachLoadBalancer, 30, undefined as unknown as number),
      deploymentMinimumHealthyPercent: 100,
      deploymentMaximumPercent: 200,
      deploymentCircuitBreaker: { enable: true, rollback: true },
      waitForSteadyState: p.waitForSteadyState,
      enableExecuteCommand: p.enableExecuteCommand,
      propagateTags: 'SERVICE',
      tags,
      // The policy, not just the role: tasks of the first deploy must be able to pull and read secrets.
      dependsOn: [this.executionRole, executionPolicy],
      // Autoscaling owns the count after the first deploy.
      lifecycle: { ignoreChanges: ['desired_count'] },
    });

    // ECS rolls a failed deployment back to the previous task definition and the service reaches a
    // steady state again, so `wait_for_steady_state` alone reports success (SST #5922,
    // terraform-aws-ecs #325). Reading the service back after the apply and requiring the task
    // definition we registered turns a rollback into a failed apply.
    new DataAwsEcsService(this, 'deployed', {
      clusterArn: this.cluster.arn,
      serviceName: this.service.name,
      dependsOn: [this.service],
      lifecycle: {
        postcondition: [
          {
            condition: Op.or(Op.not(p.waitForSteadyState), Op.eq(ref('self.task_definition'), this.taskDefinition.arn)),
            errorMessage:
              'The ECS deployment did not stick: the service runs another task definition than the one this apply registered, so the circuit breaker rolled it back. Check the stopped tasks and the logs (aws ecs describe-services, CloudWatch Logs) and fix the image or its configuration.',
          },
        ],
      },
    });

    // ---- autoscaling -----------------------------------------------------------------------------
    const resourceId = `service/${this.cluster.name}/${this.service.name}`;
    const target = new AppautoscalingTarget(this, 'scaling_target', {
      serviceNamespace: 'ecs',
      scalableDimension: 'ecs:service:DesiredCount',
      resourceId,
      minCapacity: p.minCount,
      maxCapacity: p.maxCount,
    });
    const tracking = (id: string, metric: string, value: number, label?: string) => ({
      name: `${p.name}-${id}`,
      policyType: 'TargetTrackingScaling',
      serviceNamespace: target.serviceNamespace,
      scalableDimension: target.scalableDimension,
      resourceId: target.resourceId,
      targetTrackingScalingPolicyConfiguration: {
        targetValue: value,
        scaleInCooldown: 300,
        scaleOutCooldown: 60,
        predefinedMetricSpecification: { predefinedMetricType: metric, resourceLabel: label },
      },
    });
    new AppautoscalingPolicy(this, 'scale_on_cpu', tracking('cpu', 'ECSServiceAverageCPUUtilization', p.cpuTarget));
    new AppautoscalingPolicy(this, 'scale_on_memory', tracking('memory', 'ECSServiceAverageMemoryUtilization', p.memoryTarget));
    const byRequests = and(p.attachLoadBalancer, greaterThan(p.requestsPerTarget, 0));
    optionally(
      byRequests,
      (count) =>
        new AppautoscalingPolicy(this, 'scale_on_requests', {
          count,
          ...tracking('requests', 'ALBRequestCountPerTarget', p.requestsPerTarget, `${p.loadBalancerArnSuffix}/${p.targetGroupArnSuffix}`),
        }),
    );

    this.outputs = {
      cluster_arn: this.cluster.arn,
      cluster_name: this.cluster.name,
      service_name: this.service.name,
      task_definition_arn: this.taskDefinition.arn,
      task_definition_family: this.taskDefinition.family,
      security_group_id: this.securityGroup.id,
      task_role_arn: this.taskRole.arn,
      task_role_name: this.taskRole.name,
      execution_role_arn: this.executionRole.arn,
      execution_role_name: this.executionRole.name,
      log_group_name: this.logGroup.name,
    };
  }

  /** Grants the app (task role) the given permissions, as one inline policy. */
  grant(name: string, statements: PolicyStatement[]): void {
    rolePolicy(this, `grant_${this.grants++}_${name.replace(/[^a-z0-9]/gi, '_')}`, this.taskRole, name, statements);
  }

  /** Lets the execution role read more secrets (injected by `secrets` of another container). */
  get context(): AwsContext {
    return this.ctx;
  }
}
