/**
 * The AWS limits checked at synth (src/limits): each at both sides of its boundary, and the refusal through
 * synthesize() — one line per finding, no stack file left behind.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { synthesize } from '../../src/app';
import {
  CACHE_BEHAVIORS_PER_DISTRIBUTION,
  distributionFindings,
  NAME_LIMITS,
  ORIGINS_PER_DISTRIBUTION,
  RULES_PER_SECURITY_GROUP,
  stackLimitFindings,
  TASK_DEFINITION_BYTES,
  type StackJson,
} from '../../src/limits';
import { all, exampleConfig, exampleDir, synth, type TfJson } from '../support/synth';

const PREFIX_LIST = 'com.amazonaws.global.cloudfront.origin-facing';
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v));

describe('the ALB security group fits the 60-rule quota counting prefix-list weights', () => {
  // A public ALB behind CloudFront (edge.albAccess "public") admits the origin-facing prefix list; behind a VPC origin
  // (the default) CloudFront's service security group is admitted instead (test/edge/vpc-origin-access.test.ts).
  const json = synth(exampleConfig({ edge: { albAccess: 'public' } }));

  it('a public ALB admits CloudFront once, on 443 only (weight 55), with no finding', () => {
    const fromPrefixList = all(json, 'aws_vpc_security_group_ingress_rule').filter((r) => r.prefix_list_id);
    expect(fromPrefixList).toHaveLength(1);
    expect(fromPrefixList[0]).toMatchObject({ from_port: 443, to_port: 443, ip_protocol: 'tcp' });
    expect(Object.values(json.data?.aws_ec2_managed_prefix_list ?? {}).map((d: any) => d.name)).toEqual([PREFIX_LIST]);
    expect(stackLimitFindings(json as StackJson)).toEqual([]);
  });

  /** The example's ALB group plus `extra` single-CIDR rules (and optionally the old second prefix-list rule). */
  function withAlbRules(extra: number, secondPrefixListRule = false): StackJson {
    const j = clone(json) as TfJson;
    const rules = j.resource.aws_vpc_security_group_ingress_rule;
    const base = rules.load_balancer_from_cloudfront_443;
    for (let i = 0; i < extra; i++)
      rules[`extra_${i}`] = {
        security_group_id: base.security_group_id,
        ip_protocol: 'tcp',
        from_port: 443,
        to_port: 443,
        cidr_ipv4: `10.0.${i}.0/24`,
      };
    if (secondPrefixListRule) rules.from_cloudfront_80 = { ...base, from_port: 80, to_port: 80 };
    return j as StackJson;
  }

  it(`accepts 55 + 5 = ${RULES_PER_SECURITY_GROUP} and refuses 55 + 6 = 61, naming the group and AWS's error`, () => {
    expect(stackLimitFindings(withAlbRules(5))).toEqual([]);
    expect(stackLimitFindings(withAlbRules(6))).toEqual([
      expect.stringMatching(/^aws_security_group\.load_balancer_security_group: 61 inbound rules .* RulesPerSecurityGroupLimitExceeded$/),
    ]);
  });

  it('refuses the old shape: the origin-facing list referenced on both 80 and 443 (110 rules)', () => {
    expect(stackLimitFindings(withAlbRules(0, true))[0]).toMatch(/load_balancer_security_group: 110 inbound rules/);
  });

  it('counts a literal for_each by its size', () => {
    const j = withAlbRules(0) as any;
    j.resource.aws_vpc_security_group_ingress_rule.load_balancer_from_cidrs_443.for_each =
      '${toset(["1.0.0.0/8","2.0.0.0/8","3.0.0.0/8","4.0.0.0/8","5.0.0.0/8","6.0.0.0/8"])}';
    expect(stackLimitFindings(j)[0]).toMatch(/61 inbound rules/);
  });
});

describe('name lengths', () => {
  it.each(NAME_LIMITS.map((l) => [l.type, l.attribute, l.max] as const))(
    '%s.%s: %i characters pass, one more is refused',
    (type, attribute, max) => {
      const stack = (value: string): StackJson => ({ resource: { [type]: { x: { [attribute]: value } } } });
      expect(stackLimitFindings(stack('a'.repeat(max)))).toEqual([]);
      const [finding] = stackLimitFindings(stack('a'.repeat(max + 1)));
      expect(finding).toContain(`${type}.x: ${attribute} "${'a'.repeat(max + 1)}" is ${max + 1} characters, over AWS's ${max}`);
    },
  );

  it('leaves names Terraform computes (tokens) to the engine', () => {
    expect(stackLimitFindings({ resource: { aws_lb: { x: { name: '${var.name}-' + 'a'.repeat(40) } } } })).toEqual([]);
  });
});

describe('the task definition size', () => {
  it(`accepts ${TASK_DEFINITION_BYTES} bytes of container definitions and refuses one more`, () => {
    const td = (bytes: number): StackJson => ({
      resource: { aws_ecs_task_definition: { t: { container_definitions: 'x'.repeat(bytes) } } },
    });
    expect(stackLimitFindings(td(TASK_DEFINITION_BYTES))).toEqual([]);
    expect(stackLimitFindings(td(TASK_DEFINITION_BYTES + 1))[0]).toMatch(/container definitions are 65537 bytes, over ECS's 65536/);
  });
});

describe('the adopted distribution stays within CloudFront quotas', () => {
  const snapshot = JSON.parse(fs.readFileSync(path.join(exampleDir, 'frontend-distribution.json'), 'utf8'));
  const withCounts = (behaviors: number, origins: number) => {
    const s = clone(snapshot);
    const b = s.DistributionConfig.CacheBehaviors.Items?.[0] ?? { PathPattern: '/x/*', TargetOriginId: 'site' };
    s.DistributionConfig.CacheBehaviors = {
      Quantity: behaviors,
      Items: Array.from({ length: behaviors }, (_, i) => ({ ...b, PathPattern: `/p${i}/*` })),
    };
    const o = s.DistributionConfig.Origins.Items[0];
    s.DistributionConfig.Origins = { Quantity: origins, Items: Array.from({ length: origins }, (_, i) => ({ ...o, Id: `o${i}` })) };
    return s;
  };

  it(`counts ours: ${CACHE_BEHAVIORS_PER_DISTRIBUTION - 1} behaviors + /api/* pass, ${CACHE_BEHAVIORS_PER_DISTRIBUTION} + 1 are refused`, () => {
    expect(distributionFindings(withCounts(CACHE_BEHAVIORS_PER_DISTRIBUTION - 1, 1), 'f.json')).toEqual([]);
    expect(distributionFindings(withCounts(CACHE_BEHAVIORS_PER_DISTRIBUTION, 1), 'f.json')).toEqual([
      expect.stringMatching(
        /^edge\.snapshotFile \(f\.json\): the distribution would have 76 cache behaviors with \/api\/\*, over CloudFront's default quota of 75/,
      ),
    ]);
  });

  it(`counts ours: ${ORIGINS_PER_DISTRIBUTION - 1} origins + the API's pass, ${ORIGINS_PER_DISTRIBUTION} + 1 are refused`, () => {
    expect(distributionFindings(withCounts(1, ORIGINS_PER_DISTRIBUTION - 1), 'f.json')).toEqual([]);
    expect(distributionFindings(withCounts(1, ORIGINS_PER_DISTRIBUTION), 'f.json')[0]).toMatch(
      /101 origins with the API's, over CloudFront's default quota of 100/,
    );
  });

  it('refuses through synthesize(): one line per finding, and no stack file left behind', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'limits-'));
    fs.writeFileSync(path.join(dir, 'frontend-distribution.json'), JSON.stringify(withCounts(CACHE_BEHAVIORS_PER_DISTRIBUTION, 1)));
    const outdir = path.join(dir, 'cdktf.out');
    const config = exampleConfig({ edge: { snapshotFile: 'frontend-distribution.json' } });
    expect(() => synthesize(config, { outdir, configDir: dir, configFile: 'backplane.config.ts' })).toThrow(
      /^backplane\.config\.ts: the stack would break 1 AWS limit \(nothing was written or deployed\):\n {2}- edge\.snapshotFile \(frontend-distribution\.json\): the distribution would have 76 cache behaviors/,
    );
    expect(fs.existsSync(path.join(outdir, 'stacks', 'shop-dev', 'cdk.tf.json'))).toBe(false);
  });
});
