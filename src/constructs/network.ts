import { Construct } from 'constructs';
import { Fn, Op, Token, TerraformCount, type TerraformResource } from 'cdktn';
import { CloudwatchLogGroup } from '@cdktn/provider-aws/lib/cloudwatch-log-group';
import { DataAwsAvailabilityZones } from '@cdktn/provider-aws/lib/data-aws-availability-zones';
import { DataAwsSsmParameter } from '@cdktn/provider-aws/lib/data-aws-ssm-parameter';
import { DefaultSecurityGroup } from '@cdktn/provider-aws/lib/default-security-group';
import { Eip } from '@cdktn/provider-aws/lib/eip';
import { FlowLog } from '@cdktn/provider-aws/lib/flow-log';
import type { IamRole } from '@cdktn/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktn/provider-aws/lib/iam-role-policy';
import { Instance } from '@cdktn/provider-aws/lib/instance';
import { InternetGateway } from '@cdktn/provider-aws/lib/internet-gateway';
import { NatGateway } from '@cdktn/provider-aws/lib/nat-gateway';
import { Route } from '@cdktn/provider-aws/lib/route';
import { RouteTable } from '@cdktn/provider-aws/lib/route-table';
import { RouteTableAssociation } from '@cdktn/provider-aws/lib/route-table-association';
import { SecurityGroup } from '@cdktn/provider-aws/lib/security-group';
import { Subnet } from '@cdktn/provider-aws/lib/subnet';
import { Vpc } from '@cdktn/provider-aws/lib/vpc';
import { VpcSecurityGroupEgressRule } from '@cdktn/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktn/provider-aws/lib/vpc-security-group-ingress-rule';
import { vpcDefinition } from '../definitions/vpc';
import { resolveInputs, type ModuleOutputs } from '../modules/module';
import type { VpcInputs } from './generated/vpc';
import { AwsContext, serviceRole, type PolicyStatement } from './iam';
import { attr, choose, counted, eq, not, optionally, splat, withSuffix, withTags } from './tokens';

/**
 * Enables forwarding and masquerading on Amazon Linux 2023, as in the AWS guide "Create a NAT AMI"
 * (docs.aws.amazon.com/vpc/latest/userguide/work-with-nat-instances.html).
 */
const NAT_USER_DATA = `#!/bin/bash
set -euo pipefail
dnf install -y iptables-services
echo 'net.ipv4.ip_forward = 1' > /etc/sysctl.d/90-nat.conf
sysctl -p /etc/sysctl.d/90-nat.conf
iface=$(ip route show default | awk '{print $5; exit}')
iptables -t nat -A POSTROUTING -o "$iface" -j MASQUERADE
iptables -F FORWARD
service iptables save
systemctl enable --now iptables
`;

/** The resources of the VPC's flow log (present when `flowLogs` is not false). */
export interface NetworkFlowLogs {
  readonly logGroup: CloudwatchLogGroup;
  readonly role: IamRole;
  readonly policy: IamRolePolicy;
  readonly flowLog: FlowLog;
}

/** VPC, subnets and egress (module `vpc`). */
export class Network extends Construct {
  readonly vpc: Vpc;
  /** The flow log and what it writes with; undefined with `flowLogs: false`. */
  readonly flowLogs?: NetworkFlowLogs;
  readonly publicSubnets: Subnet;
  readonly privateSubnets: Subnet;
  readonly outputs: ModuleOutputs<typeof vpcDefinition>;
  /** Subnets the service's tasks run in. */
  readonly appSubnetIds: string[];
  readonly privateSubnetIds: string[];
  readonly assignPublicIp: boolean;

  constructor(scope: Construct, id: string, props: VpcInputs) {
    super(scope, id);
    const p: Required<VpcInputs> = resolveInputs(vpcDefinition, props, id);
    const tags = (name: string) => withTags(p.tags, { Name: `${p.name}-${name}` });
    const azCount = TerraformCount.of(Token.asNumber(p.azCount));
    const zones = new DataAwsAvailabilityZones(this, 'zones', {
      state: 'available',
    });

    this.vpc = new Vpc(this, 'vpc', {
      cidrBlock: p.cidr,
      enableDnsHostnames: true,
      enableDnsSupport: true,
      tags: tags('vpc'),
    });
    // The default security group allows all traffic between its members: strip it (CIS AWS 5.4).
    new DefaultSecurityGroup(this, 'default_security_group', {
      vpcId: this.vpc.id,
      tags: tags('default-deny'),
    });
    this.flowLogs = this.createFlowLogs(p, tags('flow-logs'));
    const igw = new InternetGateway(this, 'internet_gateway', {
      vpcId: this.vpc.id,
      tags: tags('igw'),
    });

    const newbits = Op.sub(24, Fn.tonumber(Fn.element(Fn.split('/', p.cidr), 1)));
    const subnet = (kind: 'public' | 'private', offset: number) =>
      new Subnet(this, `${kind}_subnets`, {
        count: azCount,
        vpcId: this.vpc.id,
        // /24 subnets: public ones at indexes 0..2, private ones at 3..5.
        cidrBlock: Fn.cidrsubnet(p.cidr, Token.asNumber(newbits), Token.asNumber(Op.add(azCount.index, offset))),
        availabilityZone: Fn.element(zones.names, azCount.index),
        mapPublicIpOnLaunch: false,
        tags: tags(`${kind}-${Token.asString(azCount.index)}`),
      });
    this.publicSubnets = subnet('public', 0);
    this.privateSubnets = subnet('private', 3);

    const publicRoutes = new RouteTable(this, 'public_route_table', {
      vpcId: this.vpc.id,
      tags: tags('public'),
    });
    new Route(this, 'public_default_route', {
      routeTableId: publicRoutes.id,
      destinationCidrBlock: '0.0.0.0/0',
      gatewayId: igw.id,
    });
    new RouteTableAssociation(this, 'public_route_table_association', {
      count: azCount,
      subnetId: Fn.element(splat(this.publicSubnets, 'id'), azCount.index),
      routeTableId: publicRoutes.id,
    });

    const isGateway = eq(p.natMode, 'gateway');
    const isInstance = eq(p.natMode, 'instance');
    const gatewayCount = Token.asNumber(choose(isGateway, choose(p.natGatewayPerAz, p.azCount, 1), 0));
    const natIps = counted(
      gatewayCount,
      (count) =>
        new Eip(this, 'nat_gateway_ip', {
          count,
          domain: 'vpc',
          tags: tags('nat'),
          dependsOn: [igw],
        }),
    );
    const natGateways = counted(gatewayCount, (n) => {
      const gateways = TerraformCount.of(n);
      return new NatGateway(this, 'nat_gateway', {
        count: gateways,
        allocationId: Fn.element(splat(natIps, 'id'), gateways.index),
        subnetId: Fn.element(splat(this.publicSubnets, 'id'), gateways.index),
        tags: tags('nat'),
      });
    });

    const instanceCount = Token.asNumber(choose(isInstance, 1, 0));
    const natSecurityGroup = counted(
      instanceCount,
      (count) =>
        new SecurityGroup(this, 'nat_instance_security_group', {
          count,
          name: `${p.name}-nat-instance`,
          description: 'NAT instance: forwards traffic from the VPC to the internet',
          vpcId: this.vpc.id,
          tags: tags('nat-instance'),
        }),
    );
    counted(
      instanceCount,
      (count) =>
        new VpcSecurityGroupIngressRule(this, 'nat_instance_from_vpc', {
          count,
          securityGroupId: Fn.element(splat(natSecurityGroup, 'id'), 0),
          description: 'Traffic to forward, from the VPC',
          ipProtocol: '-1',
          cidrIpv4: p.cidr,
        }),
    );
    counted(
      instanceCount,
      (count) =>
        new VpcSecurityGroupEgressRule(this, 'nat_instance_to_internet', {
          count,
          securityGroupId: Fn.element(splat(natSecurityGroup, 'id'), 0),
          description: 'Forwarded traffic, to the internet',
          ipProtocol: '-1',
          cidrIpv4: '0.0.0.0/0',
        }),
    );
    const natInstance = counted(
      instanceCount,
      (count) =>
        new Instance(this, 'nat_instance', {
          count,
          ami: new DataAwsSsmParameter(this, 'nat_instance_ami', {
            name: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64',
          }).value,
          instanceType: p.natInstanceType,
          subnetId: Fn.element(splat(this.publicSubnets, 'id'), 0),
          associatePublicIpAddress: true,
          sourceDestCheck: false,
          vpcSecurityGroupIds: splat(natSecurityGroup, 'id'),
          userData: NAT_USER_DATA,
          metadataOptions: { httpTokens: 'required', httpEndpoint: 'enabled' },
          // 8 GB: the AL2023 AMI's own root size, named so the cost estimate's 8 GB line is exact.
          rootBlockDevice: { encrypted: true, volumeType: 'gp3', volumeSize: 8 },
          tags: tags('nat-instance'),
          lifecycle: { ignoreChanges: ['ami'] },
        }),
    );

    const privateRoutes = new RouteTable(this, 'private_route_tables', {
      count: azCount,
      vpcId: this.vpc.id,
      tags: tags(`private-${Token.asString(azCount.index)}`),
    });
    new RouteTableAssociation(this, 'private_route_table_association', {
      count: azCount,
      subnetId: Fn.element(splat(this.privateSubnets, 'id'), azCount.index),
      routeTableId: Fn.element(splat(privateRoutes, 'id'), azCount.index),
    });
    counted(Token.asNumber(choose(not(eq(p.natMode, 'none')), p.azCount, 0)), (n) => {
      const routeCount = TerraformCount.of(n);
      return new Route(this, 'private_default_route', {
        count: routeCount,
        routeTableId: Fn.element(splat(privateRoutes, 'id'), routeCount.index),
        destinationCidrBlock: '0.0.0.0/0',
        natGatewayId: choose(isGateway, Fn.element(splat(natGateways, 'id'), routeCount.index), undefined as unknown as string),
        networkInterfaceId: choose(
          isInstance,
          Fn.element(splat(natInstance, 'primary_network_interface_id'), 0),
          undefined as unknown as string,
        ),
      });
    });

    const none = eq(p.natMode, 'none');
    this.privateSubnetIds = splat(this.privateSubnets, 'id');
    this.appSubnetIds = choose(none, splat(this.publicSubnets, 'id'), this.privateSubnetIds);
    this.assignPublicIp = choose(none, true, false);
    this.outputs = {
      vpc_id: this.vpc.id,
      vpc_cidr: this.vpc.cidrBlock,
      public_subnet_ids: splat(this.publicSubnets, 'id'),
      private_subnet_ids: this.privateSubnetIds,
      app_subnet_ids: this.appSubnetIds,
      assign_public_ip: this.assignPublicIp,
    };
  }

  /**
   * VPC flow logs to CloudWatch Logs (AWS FSBP EC2.6), after the Amazon VPC User Guide, "IAM role for publishing flow
   * logs to CloudWatch Logs" (docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html):
   * - the role trusts `vpc-flow-logs.amazonaws.com` with the guide's confused-deputy conditions: `aws:SourceAccount`
   *   (StringEquals, this account) and `aws:SourceArn` (ArnLike, `arn:<partition>:ec2:<region>:<account>:vpc-flow-log/*`;
   *   the guide's wildcard for a flow log id not known before the flow log exists);
   * - of the guide's minimum permissions, logs:CreateLogGroup is left out (the group is created here, with its
   *   retention), the stream actions are scoped to this group's streams (`<arn>:*`), and logs:DescribeLogGroups gets
   *   `*` (no resource-level permissions, CloudWatch Logs permissions reference).
   * Arguments of `aws_flow_log` used here exist in hashicorp/aws 5.x and 6.x; max_aggregation_interval 600 s is the
   * API's default, written out.
   */
  private createFlowLogs(p: Required<VpcInputs>, tags: Record<string, string>): NetworkFlowLogs | undefined {
    if (p.flowLogs === false) return undefined;
    // Each resource exists exactly when flow logs are on (`count` in the module).
    const withFlowLogs = <T extends TerraformResource>(make: (count: number | undefined) => T): T => optionally(p.flowLogs, make) as T;
    const ctx = new AwsContext(this, 'flow_logs_aws');
    const logGroup = withFlowLogs(
      (count) =>
        new CloudwatchLogGroup(this, 'flow_logs', {
          count,
          name: `/vpc/${p.name}/flow-logs`,
          retentionInDays: p.flowLogRetentionDays,
          tags,
        }),
    );
    const role = withFlowLogs((count) => {
      const r = serviceRole(this, 'flow_logs_role', {
        name: `${p.name}-vpc-flow-logs`,
        service: 'vpc-flow-logs.amazonaws.com',
        ctx,
        sourceArn: `arn:${ctx.partition}:ec2:${ctx.region}:${ctx.accountId}:vpc-flow-log/*`,
        tags,
      });
      if (count !== undefined) r.count = count;
      return r;
    });
    const statements: PolicyStatement[] = [
      {
        Sid: 'WriteFlowLogRecords',
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
        Resource: withSuffix(attr(logGroup, 'arn'), ':*'),
      },
      { Sid: 'FindTheLogGroup', Effect: 'Allow', Action: ['logs:DescribeLogGroups'], Resource: '*' },
    ];
    const policy = withFlowLogs(
      (count) =>
        new IamRolePolicy(this, 'flow_logs_policy', {
          count,
          name: 'publish-flow-logs',
          role: attr(role, 'name'),
          policy: Fn.jsonencode({ Version: '2012-10-17', Statement: statements }),
        }),
    );
    const flowLog = withFlowLogs(
      (count) =>
        new FlowLog(this, 'flow_log', {
          count,
          vpcId: this.vpc.id,
          trafficType: p.flowLogTrafficType,
          logDestinationType: 'cloud-watch-logs',
          logDestination: attr(logGroup, 'arn'),
          iamRoleArn: attr(role, 'arn'),
          maxAggregationInterval: 600,
          tags,
          // Delivery starts at once: the role's permissions first.
          dependsOn: [policy],
        }),
    );
    return { logGroup, role, policy, flowLog };
  }
}
