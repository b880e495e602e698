/**
 * The load balancer's optional WAF web ACL and access logs (edge.waf, edge.accessLogs; module `alb` inputs waf,
 * access_logs): nothing when off; the web ACL, its rules and association, the log bucket, its policy and the ALB's
 * access_logs block when on; the same in the generated HCL module; and what `backplane cost` says about them.
 */
import * as fs from 'fs';
import * as path from 'path';
import { resolveConfig, type BackplaneConfigInput } from '../../src/config';
import { estimateCost } from '../../src/cost';
import { patterns } from '../../src/modules/inputs';
import { decodeJsonencode } from '../lambda/synth-helpers';
import { all, exampleConfig, named, repoRoot, synth, type TfJson } from '../support/synth';

const edge = (settings: Record<string, unknown>) => exampleConfig({ edge: settings });
const types = (json: TfJson, match: RegExp) => Object.keys(json.resource).filter((t) => match.test(t));

describe('ALB WAF and access logs', () => {
  describe('GIVEN the defaults (waf and accessLogs off)', () => {
    const json = synth(edge({}));

    it('THEN creates no web ACL, no bucket, and no access_logs block on the load balancer', () => {
      expect(types(json, /^aws_wafv2_/)).toEqual([]);
      expect(types(json, /^aws_s3_bucket/)).toEqual([]);
      const lb = named(json, 'aws_lb', 'load_balancer_load_balancer');
      expect(lb.access_logs).toBeUndefined();
      expect(lb.depends_on).toBeUndefined();
    });
  });

  describe('GIVEN edge.waf with a rate limit of 500', () => {
    const json = synth(edge({ waf: true, wafRateLimit: 500 }));
    const acl = named(json, 'aws_wafv2_web_acl', 'load_balancer_waf');
    const rules: any[] = acl.rule;

    it('THEN creates a regional web ACL that allows by default, with CloudWatch metrics and sampled requests', () => {
      expect(acl).toMatchObject({
        name: 'shop-dev',
        scope: 'REGIONAL',
        default_action: { allow: {} },
        visibility_config: { cloudwatch_metrics_enabled: true, sampled_requests_enabled: true },
      });
      for (const r of rules)
        expect(r.visibility_config).toMatchObject({ cloudwatch_metrics_enabled: true, sampled_requests_enabled: true });
      expect(new Set(rules.map((r) => r.priority)).size).toBe(rules.length);
    });

    it('THEN runs the three AWS managed rule groups with their own actions (override_action none)', () => {
      const managed = rules.filter((r) => r.statement.managed_rule_group_statement);
      expect(managed.map((r) => r.statement.managed_rule_group_statement.name).sort()).toEqual([
        'AWSManagedRulesAmazonIpReputationList',
        'AWSManagedRulesCommonRuleSet',
        'AWSManagedRulesKnownBadInputsRuleSet',
      ]);
      for (const r of managed) {
        expect(r.statement.managed_rule_group_statement.vendor_name).toBe('AWS');
        expect(r.override_action).toEqual({ none: {} });
        expect(r.action).toBeUndefined();
      }
    });

    it('THEN blocks an IP above the rate limit', () => {
      const rate = rules.filter((r) => r.statement.rate_based_statement);
      expect(rate).toHaveLength(1);
      expect(rate[0].statement.rate_based_statement).toEqual({ limit: 500, aggregate_key_type: 'IP' });
      expect(rate[0].action).toEqual({ block: {} });
    });

    it('THEN associates the web ACL with the load balancer', () => {
      expect(named(json, 'aws_wafv2_web_acl_association', 'load_balancer_waf_association')).toMatchObject({
        resource_arn: '${aws_lb.load_balancer_load_balancer.arn}',
        web_acl_arn: '${aws_wafv2_web_acl.load_balancer_waf.arn}',
      });
    });

    it('THEN creates no access-log bucket', () => {
      expect(types(json, /^aws_s3_bucket/)).toEqual([]);
    });
  });

  describe('GIVEN edge.accessLogs kept 30 days', () => {
    const json = synth(edge({ accessLogs: true, accessLogRetentionDays: 30 }));
    const bucketRef = 'aws_s3_bucket.load_balancer_access_logs';
    const account = '${data.aws_caller_identity.aws_account.account_id}';

    it('THEN creates a bucket named for the stack and the account, destroyable on an unprotected stage', () => {
      expect(named(json, 'aws_s3_bucket', 'load_balancer_access_logs')).toMatchObject({
        bucket: `shop-dev-alb-logs-${account}`,
        force_destroy: true,
      });
    });

    it('THEN encrypts with SSE-S3 (the only encryption ALB log delivery supports), owner-enforced, public access blocked', () => {
      expect(named(json, 'aws_s3_bucket_server_side_encryption_configuration', 'load_balancer_access_logs_encryption').rule).toEqual([
        { apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' } },
      ]);
      expect(named(json, 'aws_s3_bucket_ownership_controls', 'load_balancer_access_logs_ownership').rule).toEqual({
        object_ownership: 'BucketOwnerEnforced',
      });
      expect(named(json, 'aws_s3_bucket_public_access_block', 'load_balancer_access_logs_public_access')).toMatchObject({
        block_public_acls: true,
        block_public_policy: true,
        ignore_public_acls: true,
        restrict_public_buckets: true,
      });
    });

    it('THEN expires every log after the retention days', () => {
      const lifecycle = named(json, 'aws_s3_bucket_lifecycle_configuration', 'load_balancer_access_logs_lifecycle');
      expect(lifecycle.bucket).toBe(`\${${bucketRef}.id}`);
      expect(lifecycle.rule).toEqual([
        { id: 'expire-access-logs', status: 'Enabled', filter: [{ prefix: '' }], expiration: [{ days: 30 }] },
      ]);
    });

    it('THEN lets only the ELB log delivery service write, under AWSLogs/<account>, and refuses requests without TLS', () => {
      const policy = named(json, 'aws_s3_bucket_policy', 'load_balancer_access_logs_policy');
      const doc = decodeJsonencode(policy.policy) as { Statement: any[] };
      const allow = doc.Statement.filter((s) => s.Effect === 'Allow');
      expect(allow).toEqual([
        {
          Sid: 'AllowElbLogDelivery',
          Effect: 'Allow',
          Principal: { Service: 'logdelivery.elasticloadbalancing.amazonaws.com' },
          Action: 's3:PutObject',
          Resource: `\${${bucketRef}.arn}/AWSLogs/${account}/*`,
        },
      ]);
      const deny = doc.Statement.filter((s) => s.Effect === 'Deny');
      expect(deny).toEqual([
        expect.objectContaining({
          Principal: '*',
          Action: 's3:*',
          Resource: [`\${${bucketRef}.arn}`, `\${${bucketRef}.arn}/*`],
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      ]);
    });

    it('THEN turns on the access_logs block of the load balancer, after the bucket policy exists', () => {
      const lb = named(json, 'aws_lb', 'load_balancer_load_balancer');
      expect(lb.access_logs).toEqual({ bucket: `\${${bucketRef}.bucket}`, enabled: true });
      expect(lb.depends_on).toEqual(['aws_s3_bucket_policy.load_balancer_access_logs_policy']);
    });

    it('THEN creates no web ACL', () => {
      expect(types(json, /^aws_wafv2_/)).toEqual([]);
    });
  });

  it('keeps the logs of a protected stage: no force_destroy on prod', () => {
    const json = synth({
      ...edge({ accessLogs: true }),
      stage: 'prod',
      network: {},
      service: { imageDigest: `sha256:${'a'.repeat(64)}` },
      state: { backend: 's3', bucket: 'shop-tfstate' },
    } as BackplaneConfigInput);
    const [bucket] = all(json, 'aws_s3_bucket');
    expect(bucket.force_destroy).toBe(false);
  });

  it('fits the bucket name in 63 characters for the longest allowed name (no truncation needed)', () => {
    const longest = `a${'b'.repeat(31)}`;
    expect(new RegExp(patterns.name).test(longest)).toBe(true);
    expect(new RegExp(patterns.name).test(`${longest}c`)).toBe(false);
    expect(`${longest}-alb-logs-123456789012`.length).toBeLessThanOrEqual(63);
  });
});

describe('the alb module (generated HCL)', () => {
  const main = fs.readFileSync(path.join(repoRoot, 'modules', 'alb', 'main.tf'), 'utf8');

  it('writes the WAF rule statements as nested blocks (the bindings type them `any`)', () => {
    expect(main).toMatch(/statement \{\s*managed_rule_group_statement \{/);
    expect(main).toMatch(/statement \{\s*rate_based_statement \{\s*limit\s*= var\.waf_rate_limit/);
    expect(main).not.toMatch(/statement\s*=/);
  });

  it('switches the web ACL, the bucket and the access_logs block with the variables', () => {
    expect(main).toMatch(/resource "aws_wafv2_web_acl" "waf" \{[\s\S]*?count\s*= var\.waf \? 1 : 0/);
    expect(main).toMatch(/resource "aws_s3_bucket" "access_logs" \{[\s\S]*?count\s*= var\.access_logs \? 1 : 0/);
    expect(main).toMatch(/dynamic "access_logs" \{\s*for_each = var\.access_logs \? \[1\] : \[\]/);
  });
});

describe('the cost of the WAF and the access logs', () => {
  const cost = (settings: Record<string, unknown>, requestsPerMonth = 0) =>
    estimateCost(resolveConfig(edge(settings)), { requestsPerMonth });

  it('adds no line and no unpriced item when both are off', () => {
    const e = cost({});
    expect(e.lines.filter((l) => /WAF/.test(l.item))).toEqual([]);
    expect(e.unpriced.filter((u) => /access logs/.test(u))).toEqual([]);
  });

  it('prices the web ACL: $5 + 4 rules x $1, plus $0.60 per million requests', () => {
    const [idle] = cost({ waf: true }).lines.filter((l) => /WAF/.test(l.item));
    expect(idle).toMatchObject({ component: 'edge', monthly: 9 });
    const [busy] = cost({ waf: true }, 10_000_000).lines.filter((l) => /WAF/.test(l.item));
    expect(busy.monthly).toBe(15);
    expect(busy.detail).toContain('4 x $1');
  });

  it('names the log storage as unpriced (S3 is not in the price table)', () => {
    expect(cost({ accessLogs: true, accessLogRetentionDays: 30 }).unpriced).toEqual(
      expect.arrayContaining([expect.stringMatching(/ALB access logs: S3 storage .*30 days/)]),
    );
  });
});
