import * as fs from 'fs';
import * as path from 'path';
import { App, Testing, TerraformStack, TerraformVariable } from 'cdktn';
import { CloudFrontOrigin, MANAGED_POLICIES, type CloudFrontOriginProps } from '../../src/constructs/cf-origin';

const FIXTURE = fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'frontend-distribution.json'), 'utf8');
const ID = 'E1FRONTEND0001';
const BASE: CloudFrontOriginProps = {
  distributionId: ID,
  snapshotJson: FIXTURE,
  apiOriginDomainName: 'origin-api.example.com',
  originCustomHeaders: [{ name: 'X-Origin-Verify', value: '${var.origin_secret}' }],
};

type Json = any;

function synth(props: Partial<CloudFrontOriginProps> = {}, hcl = false): Json {
  const stack = new TerraformStack(new App({ skipValidation: true }), 'cf');
  new CloudFrontOrigin(stack, 'frontend', { ...BASE, ...props });
  return hcl ? Testing.synthHcl(stack) : JSON.parse(Testing.synth(stack));
}

/** The distribution resource of a synthesized stack. */
const dist = (tf: Json) => tf.resource.aws_cloudfront_distribution.frontend;
const content = (tf: Json, block: string) => dist(tf).dynamic[block].content;

describe('CloudFrontOrigin: adoption', () => {
  const tf = synth();

  it('adopts the distribution with an import block and reads it with a data source', () => {
    expect(tf.import).toEqual([{ id: ID, to: 'aws_cloudfront_distribution.frontend' }]);
    expect(tf.data.aws_cloudfront_distribution.frontend.id).toBe(ID);
  });

  it('protects it: prevent_destroy, tags never touched', () => {
    expect(dist(tf).lifecycle).toMatchObject({ prevent_destroy: true, ignore_changes: ['tags', 'tags_all'] });
  });

  it('carries the snapshot as data, every string escaped for Terraform templates', () => {
    const snap = JSON.parse(FIXTURE);
    snap.DistributionConfig.Comment = 'shop ${env} %{if x}';
    const withTemplate = synth({ snapshotJson: JSON.stringify(snap) });
    expect(withTemplate.locals.frontend_snapshot.DistributionConfig.Comment).toBe('shop $${env} %%{if x}');
    expect(tf.locals.frontend_snapshot).toEqual(JSON.parse(FIXTURE));
  });

  it('outputs the distribution arn, domain name and id', () => {
    expect(Object.keys(tf.output).sort()).toEqual([
      'frontend_distribution_arn',
      'frontend_distribution_domain_name',
      'frontend_distribution_id',
    ]);
    const outputs = Object.values(tf.output as Record<string, { value: string }>).map((o) => o.value);
    expect(outputs.sort()).toEqual([
      '${aws_cloudfront_distribution.frontend.arn}',
      '${aws_cloudfront_distribution.frontend.domain_name}',
      '${aws_cloudfront_distribution.frontend.id}',
    ]);
  });

  it('emits no import block with adopt: false (the HCL module: imports live in the root)', () => {
    expect(synth({ adopt: false }).import).toBeUndefined();
  });

  it('forgets the distribution with release: true (removed block, destroy = false), emitting nothing else', () => {
    const released = synth({ release: true });
    expect(released.removed).toEqual([{ from: 'aws_cloudfront_distribution.frontend', lifecycle: { destroy: false } }]);
    expect(released.resource).toBeUndefined();
    expect(released.import).toBeUndefined();
  });

  it('refuses two CloudFrontOrigin with the same id in one stack (their Terraform names would clash)', () => {
    const stack = new TerraformStack(new App({ skipValidation: true }), 'cf');
    const scope = new TerraformStack(new App({ skipValidation: true }), 'other');
    new CloudFrontOrigin(stack, 'frontend', BASE);
    expect(() => new CloudFrontOrigin(scope, 'frontend', BASE)).not.toThrow();
    expect(() => new CloudFrontOrigin(stack.node.children[0], 'frontend', BASE)).toThrow(/id "frontend" is used twice in stack cf/);
  });
});

describe('CloudFrontOrigin: the additions', () => {
  it('adds one HTTPS-only origin (TLSv1.2) to the snapshot origins, only when attached', () => {
    const tf = synth();
    expect(tf.locals.frontend_origins).toBe(
      '${concat(local.frontend_existing_origins, [for o in [local.frontend_api_origin] : o if local.frontend_inputs.attach])}',
    );
    expect(tf.locals.frontend_api_origin).toMatch(
      /Id = local\.frontend_inputs\.origin_id, DomainName = local\.frontend_inputs\.domain_name/,
    );
    expect(tf.locals.frontend_api_origin).toMatch(/OriginProtocolPolicy = "https-only", OriginSslProtocols = \{ Items = \["TLSv1\.2"\] \}/);
    expect(tf.locals.frontend_inputs).toMatchObject({
      origin_id: 'backplane-api',
      domain_name: 'origin-api.example.com',
      attach: true,
      vpc_origin_id: '${null}',
    });
    expect(synth({ attach: false }).locals.frontend_inputs.attach).toBe(false);
  });

  it('adds one behavior: all 7 methods, GET/HEAD cached, CachingDisabled, redirect-to-https, compressed', () => {
    const api = synth().locals.frontend_api_behavior;
    expect(api).toContain(
      'AllowedMethods = { Items = ["GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"], CachedMethods = { Items = ["GET", "HEAD"] } }',
    );
    expect(api).toContain(`CachePolicyId = "${MANAGED_POLICIES.cachingDisabled}"`);
    expect(api).toContain('ViewerProtocolPolicy = "redirect-to-https"');
    expect(api).toContain('Compress = true');
  });

  it('forwards everything but Host by default, and Host too with forwardHostHeader', () => {
    expect(MANAGED_POLICIES).toEqual({
      cachingDisabled: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad',
      allViewerExceptHostHeader: 'b689b0a8-53d0-40ab-baf2-68738e2966ac',
      allViewer: '216adef6-5c7f-47e4-b989-5492eafa07d3',
    });
    const tf = synth();
    expect(tf.locals.frontend_api_behavior).toContain(
      `OriginRequestPolicyId = local.frontend_inputs.forward_host_header ? "${MANAGED_POLICIES.allViewer}" : "${MANAGED_POLICIES.allViewerExceptHostHeader}"`,
    );
    expect(tf.locals.frontend_inputs.forward_host_header).toBe(false);
    expect(synth({ forwardHostHeader: true }).locals.frontend_inputs.forward_host_header).toBe(true);
  });

  it('inserts the behavior before the first broader pattern, keeping the others in order', () => {
    const tf = synth();
    expect(tf.locals.frontend_insert_at).toBe(
      '${min(concat([for i, s in local.frontend_existing_stems : i if startswith(regex("^[^*?]*", local.frontend_inputs.path_pattern), s)], [length(local.frontend_existing_behaviors)])...)}',
    );
    expect(tf.locals.frontend_behaviors).toBe(
      '${concat(slice(local.frontend_existing_behaviors, 0, local.frontend_insert_at), [for b in [local.frontend_api_behavior] : b if local.frontend_inputs.attach], slice(local.frontend_existing_behaviors, local.frontend_insert_at, length(local.frontend_existing_behaviors)))}',
    );
    expect(dist(tf).dynamic.ordered_cache_behavior.for_each).toBe('${local.frontend_behaviors}');
  });

  it('keeps custom header values out of the iterated origins (names only) and looks them up by name', () => {
    const tf = synth();
    expect(tf.locals.frontend_inputs.header_names).toEqual(['X-Origin-Verify']);
    expect(tf.locals.frontend_header_values).toEqual({ 'X-Origin-Verify': '${var.origin_secret}' });
    expect(JSON.stringify(tf.locals.frontend_api_origin)).not.toContain('origin_secret');
    expect(content(tf, 'origin').dynamic.custom_header.content.value).toBe(
      '${try(h.value.HeaderValue, local.frontend_header_values[h.value.HeaderName])}',
    );
  });

  it('uses a VPC origin instead of a custom origin when vpcOriginId is set', () => {
    const tf = synth({ vpcOriginId: 'vo_0123456789abcdef' });
    expect(tf.locals.frontend_inputs.vpc_origin_id).toBe('vo_0123456789abcdef');
    expect(tf.locals.frontend_api_origin).toMatch(/CustomOriginConfig = local\.frontend_inputs\.vpc_origin_id == null \? \{.*\} : null/);
    expect(tf.locals.frontend_api_origin).toMatch(
      /VpcOriginConfig = local\.frontend_inputs\.vpc_origin_id == null \? null : \{ VpcOriginId = local\.frontend_inputs\.vpc_origin_id/,
    );
    expect(content(tf, 'origin').dynamic.vpc_origin_config.content.vpc_origin_id).toBe('${vo.value.VpcOriginId}');
  });
});

describe('CloudFrontOrigin: synth-time refusals (concrete snapshot)', () => {
  it.each([
    [{ pathPattern: '/assets/*' }, /already has a cache behavior for path pattern "\/assets\/\*"/],
    [{ apiOriginId: 'frontend-s3' }, /already has an origin with id "frontend-s3"/],
    [{ snapshotJson: '{"Distribution": {}}' }, /GetDistribution answer/],
    [{ snapshotJson: 'nope' }, /snapshotJson is not valid JSON/],
    [{ distributionId: 'E9OTHER00000' }, /snapshot of distribution E1FRONTEND0001, but distributionId is E9OTHER00000/],
    [{ pathPattern: '/*' }, /would take over the whole site/],
  ])('%j', (props, message) => {
    expect(() => synth(props as Partial<CloudFrontOriginProps>)).toThrow(message);
  });
});

describe('CloudFrontOrigin: plan-time checks (also the module form)', () => {
  const tf = synth();
  const conditions = (dist(tf).lifecycle.precondition as { condition: string }[]).map((p) => p.condition);

  it('refuses a non-snapshot, another distribution, a taken path pattern or origin id', () => {
    expect(conditions).toEqual(
      expect.arrayContaining([
        '${can(local.frontend_snapshot.DistributionConfig.Origins.Items[0].Id) && can(local.frontend_snapshot.DistributionConfig.DefaultCacheBehavior.TargetOriginId) && can(local.frontend_snapshot.ETag)}',
        '${try(local.frontend_snapshot.Id, local.frontend_inputs.distribution_id) == local.frontend_inputs.distribution_id}',
        '${!contains(local.frontend_existing_patterns, local.frontend_inputs.path_pattern)}',
        '${!contains([for o in local.frontend_existing_origins : try(o.Id, "")], local.frontend_inputs.origin_id)}',
      ]),
    );
  });

  it('refuses a distribution changed since the snapshot in the adoption run (drift guard 1)', () => {
    expect(conditions).toContain(
      '${data.aws_cloudfront_distribution.frontend.etag == local.frontend_snapshot.ETag || terraform_data.frontend_snapshot_guard.input != plantimestamp()}',
    );
    expect(tf.resource.terraform_data.frontend_snapshot_guard).toMatchObject({
      input: '${plantimestamp()}',
      triggers_replace: '${local.frontend_snapshot.ETag}',
      lifecycle: { ignore_changes: ['input'] },
    });
  });

  it('refuses a distribution changed outside Terraform after our apply, accepting our own ETag (drift guard 2)', () => {
    const data = tf.resource.terraform_data;
    expect(data.frontend_applied_etag).toMatchObject({
      input: { etag: '${data.aws_cloudfront_distribution.frontend_applied.etag}', at: '${plantimestamp()}' },
      triggers_replace: '${local.frontend_config_hash}',
      lifecycle: { ignore_changes: ['input'] },
    });
    expect(tf.data.aws_cloudfront_distribution.frontend_applied).toMatchObject({
      id: '${aws_cloudfront_distribution.frontend.id}',
      depends_on: ['aws_cloudfront_distribution.frontend'],
    });
    expect(data.frontend_drift_guard.lifecycle.precondition[0].condition).toBe(
      '${data.aws_cloudfront_distribution.frontend.etag == local.frontend_snapshot.ETag || data.aws_cloudfront_distribution.frontend.etag == terraform_data.frontend_applied_etag.output.etag || terraform_data.frontend_applied_etag.output.at == plantimestamp()}',
    );
    expect(tf.locals.frontend_config_hash).toBe(
      '${sha256(jsonencode([local.frontend_snapshot.DistributionConfig, local.frontend_origins, local.frontend_behaviors, local.frontend_header_values]))}',
    );
  });

  it('decodes a snapshot given as a Terraform token (module variable) at plan time, with no synth-time refusal', () => {
    const stack = new TerraformStack(new App({ skipValidation: true }), 'mod');
    const v = (name: string, type = 'string') => new TerraformVariable(stack, name, { type });
    new CloudFrontOrigin(stack, 'frontend', {
      distributionId: v('distribution_id').stringValue,
      snapshotJson: v('distribution_snapshot_json').stringValue,
      apiOriginDomainName: v('api_origin_domain_name').stringValue,
      pathPattern: v('path_pattern').stringValue,
      attach: v('attach', 'bool').booleanValue,
      originCustomHeaders: v('origin_custom_headers', 'list(object({ name = string, value = string }))').listValue as never,
      adopt: false,
    });
    const mod = JSON.parse(Testing.synth(stack));
    expect(mod.locals.frontend_snapshot).toBe('${try(jsondecode(var.distribution_snapshot_json), {})}');
    expect(mod.locals.frontend_inputs).toMatchObject({
      path_pattern: '${var.path_pattern}',
      attach: '${var.attach}',
      header_names: '${nonsensitive([for h in var.origin_custom_headers : h.name])}',
    });
    expect(mod.locals.frontend_header_values).toBe('${{ for h in var.origin_custom_headers : h.name => h.value }}');
    expect(mod.import).toBeUndefined();
  });
});

describe('CloudFrontOrigin: rendering of every snapshot field (as the provider reads it back)', () => {
  const tf = synth();
  const d = dist(tf);
  const S = 'local.frontend_snapshot.DistributionConfig';

  it.each([
    ['enabled', `${S}.Enabled`],
    ['aliases', `try(${S}.Aliases.Items, [])`],
    ['comment', `try(${S}.Comment, null)`],
    ['default_root_object', `try(${S}.DefaultRootObject, null)`],
    ['http_version', `try(${S}.HttpVersion, "http2")`],
    ['is_ipv6_enabled', `try(${S}.IsIPV6Enabled, false)`],
    ['price_class', `try(${S}.PriceClass, "PriceClass_All")`],
    ['web_acl_id', `try(${S}.WebACLId, null)`],
    ['staging', `try(${S}.Staging, false)`],
    ['continuous_deployment_policy_id', `try(${S}.ContinuousDeploymentPolicyId, null)`],
    ['wait_for_deployment', 'local.frontend_inputs.wait_for_deployment'],
  ])('%s <- %s', (arg, expr) => expect(d[arg]).toBe(`\${${expr}}`));

  it('sets the non-API arguments to what the importer sets (retain_on_delete = false)', () => {
    expect(d.retain_on_delete).toBe(false);
  });

  it('renders ViewerCertificate (ssl_support_method only for ACM/IAM certificates) and the geo restriction', () => {
    const vc = `${S}.ViewerCertificate`;
    expect(d.viewer_certificate).toEqual({
      acm_certificate_arn: `\${try(${vc}.ACMCertificateArn, null)}`,
      cloudfront_default_certificate: `\${try(${vc}.CloudFrontDefaultCertificate, null)}`,
      iam_certificate_id: `\${try(${vc}.IAMCertificateId, null)}`,
      minimum_protocol_version: `\${try(${vc}.MinimumProtocolVersion, null)}`,
      ssl_support_method: `\${try(${vc}.ACMCertificateArn, "") != "" || try(${vc}.IAMCertificateId, "") != "" ? ${vc}.SSLSupportMethod : null}`,
    });
    expect(d.restrictions).toEqual({
      geo_restriction: {
        restriction_type: `\${try(${S}.Restrictions.GeoRestriction.RestrictionType, "none")}`,
        locations: `\${try(${S}.Restrictions.GeoRestriction.Items, [])}`,
      },
    });
  });

  it('renders every origin field: OAC, OAI (only when set), custom origin, shield (only when enabled), timeouts, headers, VPC origin', () => {
    const o = d.dynamic.origin;
    expect(o.for_each).toBe('${local.frontend_origins}');
    expect(o.content).toMatchObject({
      origin_id: '${o.value.Id}',
      domain_name: '${o.value.DomainName}',
      origin_path: '${try(o.value.OriginPath, "")}',
      connection_attempts: '${try(o.value.ConnectionAttempts, 3)}',
      connection_timeout: '${try(o.value.ConnectionTimeout, 10)}',
      origin_access_control_id: '${try(o.value.OriginAccessControlId, null)}',
    });
    const dyn = o.content.dynamic;
    expect(dyn.s3_origin_config.for_each).toBe(
      '${[for x in [try(o.value.S3OriginConfig, null)] : x if try(x.OriginAccessIdentity, "") != ""]}',
    );
    expect(dyn.origin_shield).toMatchObject({ for_each: '${[for x in [try(o.value.OriginShield, null)] : x if try(x.Enabled, false)]}' });
    expect(dyn.origin_shield.content).toEqual({
      enabled: '${os.value.Enabled}',
      origin_shield_region: '${try(os.value.OriginShieldRegion, null)}',
    });
    expect(dyn.custom_origin_config.content).toEqual({
      http_port: '${c.value.HTTPPort}',
      https_port: '${c.value.HTTPSPort}',
      origin_protocol_policy: '${c.value.OriginProtocolPolicy}',
      origin_ssl_protocols: '${try(c.value.OriginSslProtocols.Items, [])}',
      origin_read_timeout: '${try(c.value.OriginReadTimeout, 30)}',
      origin_keepalive_timeout: '${try(c.value.OriginKeepaliveTimeout, 5)}',
    });
    expect(dyn.custom_header.for_each).toBe('${try(o.value.CustomHeaders.Items, [])}');
    expect(Object.keys(dyn).sort()).toEqual([
      'custom_header',
      'custom_origin_config',
      'origin_shield',
      's3_origin_config',
      'vpc_origin_config',
    ]);
  });

  it.each(['default_cache_behavior', 'ordered_cache_behavior'])(
    'renders every %s field, legacy ForwardedValues/TTLs and associations included',
    (block) => {
      const b = d.dynamic[block].content;
      expect(b).toMatchObject({
        target_origin_id: '${b.value.TargetOriginId}',
        viewer_protocol_policy: '${b.value.ViewerProtocolPolicy}',
        allowed_methods: '${b.value.AllowedMethods.Items}',
        cached_methods: '${try(b.value.AllowedMethods.CachedMethods.Items, ["GET", "HEAD"])}',
        compress: '${try(b.value.Compress, false)}',
        smooth_streaming: '${try(b.value.SmoothStreaming, null)}',
        cache_policy_id: '${try(b.value.CachePolicyId, null)}',
        origin_request_policy_id: '${try(b.value.OriginRequestPolicyId, null)}',
        response_headers_policy_id: '${try(b.value.ResponseHeadersPolicyId, null)}',
        field_level_encryption_id: '${try(b.value.FieldLevelEncryptionId, null)}',
        realtime_log_config_arn: '${try(b.value.RealtimeLogConfigArn, "") != "" ? b.value.RealtimeLogConfigArn : null}',
        min_ttl: '${try(b.value.MinTTL, null)}',
        default_ttl: '${try(b.value.DefaultTTL, null)}',
        max_ttl: '${try(b.value.MaxTTL, null)}',
        trusted_key_groups: '${try(b.value.TrustedKeyGroups.Items, [])}',
        trusted_signers: '${try(b.value.TrustedSigners.Items, [])}',
      });
      expect(b.path_pattern).toBe(block === 'ordered_cache_behavior' ? '${b.value.PathPattern}' : undefined);
      const fv = b.dynamic.forwarded_values;
      expect(fv.content).toMatchObject({
        query_string: '${fv.value.QueryString}',
        headers: '${try(fv.value.Headers.Items, [])}',
        query_string_cache_keys: '${try(fv.value.QueryStringCacheKeys.Items, [])}',
      });
      expect(fv.content.dynamic.cookies.content).toEqual({
        forward: '${ck.value.Forward}',
        whitelisted_names: '${try(ck.value.WhitelistedNames.Items, [])}',
      });
      expect(b.dynamic.function_association).toEqual({
        for_each: '${try(b.value.FunctionAssociations.Items, [])}',
        iterator: 'fa',
        content: { event_type: '${fa.value.EventType}', function_arn: '${fa.value.FunctionARN}' },
      });
      expect(b.dynamic.lambda_function_association.content).toEqual({
        event_type: '${la.value.EventType}',
        lambda_arn: '${la.value.LambdaFunctionARN}',
        include_body: '${try(la.value.IncludeBody, false)}',
      });
      expect(b.dynamic.grpc_config.content).toEqual({ enabled: '${try(gc.value.Enabled, false)}' });
    },
  );

  it('renders custom error responses (ResponseCode is a string in the API, a number in the provider), origin groups and logging (only when enabled)', () => {
    expect(d.dynamic.custom_error_response).toEqual({
      for_each: `\${try(${S}.CustomErrorResponses.Items, [])}`,
      iterator: 'e',
      content: {
        error_code: '${e.value.ErrorCode}',
        response_code: '${try(tonumber(e.value.ResponseCode), null)}',
        response_page_path: '${try(e.value.ResponsePagePath, null)}',
        error_caching_min_ttl: '${try(e.value.ErrorCachingMinTTL, null)}',
      },
    });
    expect(d.dynamic.origin_group.content).toEqual({
      origin_id: '${og.value.Id}',
      failover_criteria: { status_codes: '${og.value.FailoverCriteria.StatusCodes.Items}' },
      dynamic: { member: { for_each: '${og.value.Members.Items}', iterator: 'm', content: { origin_id: '${m.value.OriginId}' } } },
    });
    expect(d.dynamic.logging_config.for_each).toBe(`\${[for x in [try(${S}.Logging, null)] : x if try(x.Enabled, false)]}`);
    expect(d.dynamic.logging_config.content).toEqual({
      bucket: '${lg.value.Bucket}',
      include_cookies: '${try(lg.value.IncludeCookies, false)}',
      prefix: '${try(lg.value.Prefix, "")}',
    });
  });
});

describe('CloudFrontOrigin: HCL synthesis (the generated module)', () => {
  it('renders nested dynamic and static blocks as blocks, not as attributes', () => {
    const stack = new TerraformStack(new App({ skipValidation: true, hclOutput: true }), 'hcl');
    new CloudFrontOrigin(stack, 'frontend', { ...BASE, adopt: false });
    const hcl = Testing.synthHcl(stack) as string;
    for (const block of [
      'origin',
      'custom_header',
      'custom_origin_config',
      's3_origin_config',
      'default_cache_behavior',
      'ordered_cache_behavior',
      'forwarded_values',
      'cookies',
      'function_association',
      'custom_error_response',
      'logging_config',
      'member',
    ]) {
      expect(hcl).toContain(`dynamic "${block}" {`);
    }
    expect(hcl).toMatch(/restrictions \{\s*geo_restriction \{/);
    expect(hcl).toMatch(/failover_criteria \{/);
    expect(hcl).not.toMatch(/dynamic = \{/);
    expect(hcl).not.toMatch(/content = \{/);
  });
});
