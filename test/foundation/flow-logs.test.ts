/**
 * VPC flow logs (AWS FSBP EC2.6) through the full preset: off by default (nothing extra), on with `network.flowLogs`
 * (a log group with retention, a role only VPC Flow Logs acting for this account may assume, a policy scoped to the
 * group, the flow log on the VPC), the same resources behind `count` in modules/vpc, and the cost note.
 */
import * as fs from 'fs';
import * as path from 'path';
import { resolveConfig } from '../../src/config';
import { estimateCost } from '../../src/cost';
import { exampleConfig, named, repoRoot, synth, type TfJson } from '../support/synth';

const FLOW_LOG_NOTE = 'VPC flow logs: $0.50 per GB ingested (CloudWatch Logs), volume depends on traffic: not in the baseline';

/**
 * Reads back a `${jsonencode({...})}` policy as cdktn writes it (HCL: `"key" = value`, references bare, a suffix as
 * `format("%s:*", ref)`): each reference becomes its `${...}` string form, then it is plain JSON.
 */
function policyOf(expr: unknown): any {
  const m = /^\$\{jsonencode\(([\s\S]*)\)\}$/.exec(String(expr));
  if (!m) throw new Error(`not a jsonencode expression: ${String(expr)}`);
  const json = m[1]
    .replace(/format\("%s([^"]*)", ((?:data\.)?aws_[\w.]+)\)/g, '"${$2}$1"')
    .replace(/= ((?:data\.)?aws_[\w.]+)(?=[,}\]])/g, '= "${$1}"')
    .replace(/" = /g, '": ');
  return JSON.parse(json);
}

const roleNames = (json: TfJson) => Object.values(json.resource.aws_iam_role ?? {}).map((r: any) => r.name as string);
const withFlowLogs = (network: Record<string, unknown> = {}) => synth(exampleConfig({ network: { flowLogs: true, ...network } }));

describe('VPC flow logs', () => {
  describe('GIVEN the example config without flowLogs', () => {
    it('creates no flow log, no log group, no role or policy for it', () => {
      const json = synth(exampleConfig());
      expect(json.resource.aws_flow_log).toBeUndefined();
      expect(Object.keys(json.resource.aws_cloudwatch_log_group ?? {}).filter((k) => k.includes('flow'))).toEqual([]);
      expect(Object.keys(json.resource.aws_iam_role_policy ?? {}).filter((k) => k.includes('flow'))).toEqual([]);
      expect(roleNames(json)).not.toContain('shop-dev-vpc-flow-logs');
      expect(Object.keys(json.data?.aws_caller_identity ?? {})).not.toContain('network_flow_logs_aws_account');
    });
  });

  describe('GIVEN network.flowLogs: true', () => {
    const off = synth(exampleConfig());
    const json = withFlowLogs();

    it('adds exactly one role, the flow-log delivery role', () => {
      expect(roleNames(json).sort()).toEqual([...roleNames(off), 'shop-dev-vpc-flow-logs'].sort());
    });

    it('creates the log group /vpc/<name>/flow-logs with 30 days retention', () => {
      expect(named(json, 'aws_cloudwatch_log_group', 'network_flow_logs')).toMatchObject({
        name: '/vpc/shop-dev/flow-logs',
        retention_in_days: 30,
      });
    });

    it('lets only VPC Flow Logs acting for this account, for a flow log of this account and region, assume the role', () => {
      const trust = policyOf(named(json, 'aws_iam_role', 'network_flow_logs_role').assume_role_policy);
      const account = '${data.aws_caller_identity.network_flow_logs_aws_account.account_id}';
      expect(trust.Statement).toEqual([
        {
          Effect: 'Allow',
          Principal: { Service: 'vpc-flow-logs.amazonaws.com' },
          Action: 'sts:AssumeRole',
          Condition: {
            StringEquals: { 'aws:SourceAccount': account },
            ArnLike: {
              'aws:SourceArn': `arn:\${data.aws_partition.network_flow_logs_aws_partition.partition}:ec2:\${data.aws_region.network_flow_logs_aws_region.name}:${account}:vpc-flow-log/*`,
            },
          },
        },
      ]);
    });

    it("allows writing records to this log group's streams only, and DescribeLogGroups (no resource-level permissions)", () => {
      const policy = named(json, 'aws_iam_role_policy', 'network_flow_logs_policy');
      expect(policy.role).toBe('${aws_iam_role.network_flow_logs_role.name}');
      expect(policyOf(policy.policy).Statement).toEqual([
        {
          Sid: 'WriteFlowLogRecords',
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
          Resource: '${aws_cloudwatch_log_group.network_flow_logs.arn}:*',
        },
        { Sid: 'FindTheLogGroup', Effect: 'Allow', Action: ['logs:DescribeLogGroups'], Resource: '*' },
      ]);
    });

    it('records rejected traffic of the VPC into the log group with the role, after the policy exists', () => {
      expect(named(json, 'aws_flow_log', 'network_flow_log')).toMatchObject({
        vpc_id: '${aws_vpc.network_vpc.id}',
        traffic_type: 'REJECT',
        log_destination_type: 'cloud-watch-logs',
        log_destination: '${aws_cloudwatch_log_group.network_flow_logs.arn}',
        iam_role_arn: '${aws_iam_role.network_flow_logs_role.arn}',
        max_aggregation_interval: 600,
        depends_on: ['aws_iam_role_policy.network_flow_logs_policy'],
      });
    });

    it('takes the traffic type and retention from the config', () => {
      const custom = withFlowLogs({ flowLogTrafficType: 'ALL', flowLogRetentionDays: 90 });
      expect(named(custom, 'aws_flow_log', 'network_flow_log').traffic_type).toBe('ALL');
      expect(named(custom, 'aws_cloudwatch_log_group', 'network_flow_logs').retention_in_days).toBe(90);
    });
  });

  describe('config', () => {
    const refusal = (network: Record<string, unknown>): string => {
      try {
        resolveConfig(exampleConfig({ network }));
      } catch (e) {
        return (e as Error).message;
      }
      throw new Error('the config was accepted');
    };

    it('defaults to off, REJECT, 30 days', () => {
      expect(resolveConfig(exampleConfig()).network).toMatchObject({
        flowLogs: false,
        flowLogTrafficType: 'REJECT',
        flowLogRetentionDays: 30,
      });
    });

    it('refuses a retention CloudWatch Logs does not offer, and an unknown traffic type, naming the setting', () => {
      const retention = refusal({ flowLogs: true, flowLogRetentionDays: 2 });
      expect(retention).toContain('network.flowLogRetentionDays');
      expect(retention).toContain('1, 3, 5, 7, 14, 30');
      const traffic = refusal({ flowLogs: true, flowLogTrafficType: 'DENY' });
      expect(traffic).toContain('network.flowLogTrafficType');
      expect(traffic).toContain('"ACCEPT", "REJECT", "ALL"');
    });
  });

  describe('modules/vpc', () => {
    const main = fs.readFileSync(path.join(repoRoot, 'modules', 'vpc', 'main.tf'), 'utf8');
    const block = (type: string, name: string) => {
      const start = main.indexOf(`resource "${type}" "${name}" {`);
      if (start < 0) throw new Error(`no ${type}.${name} in modules/vpc/main.tf`);
      return main.slice(start, main.indexOf('\n}\n', start));
    };

    it.each([
      ['aws_cloudwatch_log_group', 'flow_logs'],
      ['aws_iam_role', 'flow_logs_role'],
      ['aws_iam_role_policy', 'flow_logs_policy'],
      ['aws_flow_log', 'flow_log'],
    ])('creates %s.%s only with var.flow_logs', (type, name) => {
      expect(block(type, name)).toMatch(/\n {2}count += var\.flow_logs \? 1 : 0$/);
    });

    it('wires the flow log to the counted log group and role by one(...[*])', () => {
      const flowLog = block('aws_flow_log', 'flow_log');
      expect(flowLog).toContain('log_destination          = one(aws_cloudwatch_log_group.flow_logs[*].arn)');
      expect(flowLog).toContain('iam_role_arn             = one(aws_iam_role.flow_logs_role[*].arn)');
      expect(flowLog).toContain('traffic_type             = var.flow_log_traffic_type');
    });
  });

  describe('cost', () => {
    it('notes the per-GB price only when flow logs are on', () => {
      const on = estimateCost(resolveConfig(exampleConfig({ network: { flowLogs: true } })));
      const off = estimateCost(resolveConfig(exampleConfig()));
      expect(on.notes.some((n) => n.startsWith(FLOW_LOG_NOTE))).toBe(true);
      expect(off.notes.some((n) => n.startsWith('VPC flow logs'))).toBe(false);
      expect(on.total).toBe(off.total);
    });
  });
});
