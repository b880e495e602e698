import { input, must } from '../modules/inputs';
import { defineModule } from '../modules/module';
import { nameInput, tagsInput } from './common';
import { LOG_RETENTION_DAYS } from './ecs-service';

export const NAT_MODES = ['instance', 'gateway', 'none'] as const;
export type NatMode = (typeof NAT_MODES)[number];

/** Which traffic a flow log records (EC2 API, CreateFlowLogs `TrafficType`). */
export const FLOW_LOG_TRAFFIC_TYPES = ['ACCEPT', 'REJECT', 'ALL'] as const;

export const vpcDefinition = defineModule({
  name: 'vpc',
  propsName: 'VpcInputs',
  description:
    'A VPC over 2 or 3 availability zones with public and private subnets. Egress for private subnets through a NAT instance (t4g.nano, the cheap default), NAT Gateways (managed, HA), or none (tasks run in public subnets with public IPs, locked down by security groups).',
  inputs: {
    name: nameInput('the VPC and its subnets'),
    cidr: input.string({
      description: 'The VPC CIDR block; subnets are carved from it as /24s (public first, then private).',
      default: '10.0.0.0/16',
      constraints: [must.ipv4Cidr(16, 21)],
    }),
    az_count: input.number({
      description: 'How many availability zones to spread subnets over.',
      default: 2,
      constraints: [must.oneOf([2, 3])],
    }),
    nat_mode: input.string({
      description:
        'Egress for private subnets: "instance" (a t4g.nano NAT instance, ~$6.7/month), "gateway" (managed NAT Gateway, $32.85/month per gateway plus $0.045/GB), or "none" (no NAT; run tasks in public subnets).',
      default: 'instance',
      constraints: [must.oneOf(NAT_MODES)],
    }),
    nat_gateway_per_az: input.bool({
      description: 'With nat_mode "gateway": one NAT Gateway per AZ (survives an AZ outage) instead of one shared.',
      default: false,
    }),
    nat_instance_type: input.string({
      description: 'Instance type of the NAT instance (ARM64 Graviton types only: the AMI is Amazon Linux 2023 arm64).',
      default: 't4g.nano',
      constraints: [must.pattern('^(t4g|c6g|c6gn|c7g|m6g|m7g)\\.[a-z0-9]+$', 'a Graviton instance type, e.g. t4g.nano')],
    }),
    flow_logs: input.bool({
      description:
        'VPC flow logs to CloudWatch Logs (AWS FSBP EC2.6): a log group `/vpc/<name>/flow-logs`, a role only VPC Flow Logs acting for this account may assume, and the flow log on the VPC. About $0.50 per GB ingested.',
      default: false,
    }),
    flow_log_retention_days: input.number({
      description: 'With flow_logs: how many days CloudWatch Logs keeps the flow log records.',
      default: 30,
      constraints: [must.oneOf(LOG_RETENTION_DAYS, 'one of the CloudWatch retention periods')],
    }),
    flow_log_traffic_type: input.string({
      description:
        'With flow_logs: which traffic to record. "REJECT" (the cheap default: only what security groups and network ACLs blocked), "ACCEPT" or "ALL".',
      default: 'REJECT',
      constraints: [must.oneOf(FLOW_LOG_TRAFFIC_TYPES)],
    }),
    tags: tagsInput(),
  },
  outputs: {
    vpc_id: { description: 'VPC id.' },
    vpc_cidr: { description: 'VPC CIDR block.' },
    public_subnet_ids: { description: 'Public subnet ids, one per AZ.' },
    private_subnet_ids: { description: 'Private subnet ids, one per AZ (data tier).' },
    app_subnet_ids: { description: 'Where the service tasks run: the private subnets, or the public ones with nat_mode "none".' },
    assign_public_ip: { description: 'Whether tasks need a public IP (true only with nat_mode "none").' },
  },
});
