/**
 * How the load balancer admits CloudFront (issue 14): behind a VPC origin (edge.albAccess "vpc-origin", the default
 * of attach mode) the internal ALB admits the security group CloudFront creates in the VPC with the VPC origin
 * (CloudFront-VPCOrigins-Service-SG; CloudFront Developer Guide, "Restrict access with VPC origins"), on 443 only,
 * and not the public origin-facing prefix list; a public ALB keeps the prefix list. Applied on the emulator, whose
 * shim creates that group with the VPC origin, in the fullstack and cloudfront e2e scenarios.
 */
import { stackLimitFindings, type StackJson } from '../../src/limits';
import { VPC_ORIGINS_SERVICE_GROUP } from '../../src/presets/edge';
import { all, exampleConfig, synth } from '../support/synth';

describe('the ALB behind a CloudFront VPC origin (the built-in example)', () => {
  const json = synth();
  const rules = json.resource.aws_vpc_security_group_ingress_rule as Record<string, any>;

  it('admits CloudFront-VPCOrigins-Service-SG on 443 alone, looked up in the VPC once the VPC origin exists', () => {
    const [lookupName, lookup] = Object.entries(json.data?.aws_security_group ?? {})[0] as [string, any];
    expect(lookup.filter).toEqual([{ name: 'group-name', values: [VPC_ORIGINS_SERVICE_GROUP] }]);
    expect(lookup.vpc_id).toMatch(/^\$\{aws_vpc\.\w+\.id\}$/);
    const [vpcOrigin] = Object.keys(json.resource.aws_cloudfront_vpc_origin);
    expect(lookup.depends_on).toEqual([`aws_cloudfront_vpc_origin.${vpcOrigin}`]);

    const rule = rules.load_balancer_from_cloudfront_vpc_origins;
    expect(rule).toMatchObject({
      from_port: 443,
      to_port: 443,
      ip_protocol: 'tcp',
      referenced_security_group_id: `\${data.aws_security_group.${lookupName}.id}`,
      security_group_id: '${aws_security_group.load_balancer_security_group.id}',
    });
  });

  it('does not admit the public origin-facing prefix list, nor anything on port 80', () => {
    expect(all(json, 'aws_vpc_security_group_ingress_rule').filter((r) => r.prefix_list_id)).toEqual([]);
    const onAlb = Object.values(rules).filter((r) => r.security_group_id === '${aws_security_group.load_balancer_security_group.id}');
    // The per-CIDR rules iterate edge ingress CIDRs, which attach mode leaves empty: they create nothing.
    expect(onAlb.filter((r) => r.for_each).map((r) => r.for_each)).toEqual(['${toset([])}', '${toset([])}']);
    expect(onAlb.filter((r) => !r.for_each).map((r) => r.from_port)).toEqual([443]);
    expect(stackLimitFindings(json as StackJson)).toEqual([]);
  });

  it('a public ALB behind CloudFront keeps the prefix list and looks up no service group', () => {
    const pub = synth(exampleConfig({ edge: { albAccess: 'public' } }));
    expect(pub.data?.aws_security_group).toBeUndefined();
    expect(all(pub, 'aws_vpc_security_group_ingress_rule').filter((r) => r.prefix_list_id)).toHaveLength(1);
  });
});
