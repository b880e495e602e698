import { z } from 'zod';
import { LOG_RETENTION_DAYS } from '../definitions/ecs-service';
import { FLOW_LOG_TRAFFIC_TYPES } from '../definitions/vpc';
import { intIn, oneOf } from './common';

const cidr16to21 = z.string().refine((v) => {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(v);
  if (!m) return false;
  const o = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  const ip = o.reduce((a, x) => a * 256 + x, 0);
  return o.every((x) => x <= 255) && prefix >= 16 && prefix <= 21 && ip % 2 ** (32 - prefix) === 0;
}, 'must be an IPv4 network block from /16 to /21 with no host bits set, e.g. "10.0.0.0/16"');

// A CloudWatch Logs retention period (the list in src/definitions/ecs-service.ts), as a closed set of values:
// the type itself is the rule, rendered as the allowed values in docs/configuration.md.
const retentionDays = z.union(
  LOG_RETENTION_DAYS.map((d) => z.literal(d)),
  { error: () => `must be one of the CloudWatch Logs retention periods: ${LOG_RETENTION_DAYS.join(', ')}` },
);

export const networkSchema = z
  .object({
    /** The VPC address range; subnets are carved from it per AZ. */
    cidr: cidr16to21.default('10.0.0.0/16'),
    /** Availability Zones to spread subnets (and tasks) over; the ALB needs at least 2. */
    azCount: intIn(2, 3).default(2),
    /** instance: t4g.nano NAT (cheap); gateway: managed NAT Gateway (HA); none: tasks in public subnets (not on a protected stage). A protected stage defaults to gateway with natGatewayPerAz. */
    nat: oneOf(['instance', 'gateway', 'none']).default('instance'),
    /** With nat "gateway": one NAT Gateway per AZ (no single point of failure) instead of one shared; a protected stage defaults to true. */
    natGatewayPerAz: z.boolean().default(false),
    /** VPC flow logs to CloudWatch Logs (AWS FSBP EC2.6): rejected traffic by default; about $0.50 per GB ingested. */
    flowLogs: z.boolean().default(false),
    /** With flowLogs: which traffic to record. REJECT (what security groups and network ACLs blocked) keeps the volume small; ALL records every flow. */
    flowLogTrafficType: oneOf(FLOW_LOG_TRAFFIC_TYPES).default('REJECT'),
    /** With flowLogs: days CloudWatch Logs keeps the records (one of the CloudWatch retention periods). */
    flowLogRetentionDays: retentionDays.default(30),
  })
  .strict()
  .default({
    cidr: '10.0.0.0/16',
    azCount: 2,
    nat: 'instance',
    natGatewayPerAz: false,
    flowLogs: false,
    flowLogTrafficType: 'REJECT',
    flowLogRetentionDays: 30,
  });

export type NetworkConfig = z.output<typeof networkSchema>;
