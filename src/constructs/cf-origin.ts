/**
 * CloudFrontOrigin (`cf-origin`): adopt an EXISTING CloudFront distribution and add the API at
 * `/api/*` without disturbing anything. The distribution is rendered from its snapshot (the
 * GetDistributionConfig answer) by `dynamic` blocks over `jsondecode`d data, plus ONE origin and ONE
 * ordered cache behavior, and adopted with an `import` block. The same rendering serves the
 * TypeScript construct (concrete snapshot) and the generated HCL module (every prop a variable).
 *
 * Field notes this answers: terraform-provider-aws #19388 (an imported distribution plans a
 * recreate: `staging` forces replacement when unset), #12065/#38092 (adding one origin diffs every
 * origin: the set hashes differ unless every field is rendered exactly as read back).
 */
import { Construct } from 'constructs';
import { DataResource, Lazy, TerraformLocal, TerraformOutput, TerraformStack, Token, type IResolvable, type IResolveContext } from 'cdktn';
import { CloudfrontDistribution, type CloudfrontDistributionConfig } from '@cdktn/provider-aws/lib/cloudfront-distribution';
import { DataAwsCloudfrontDistribution } from '@cdktn/provider-aws/lib/data-aws-cloudfront-distribution';
import { cfOriginDefinition } from '../definitions/cf-origin';
import { resolveInputs } from '../modules/module';
import {
  assertAttachable,
  blockToHcl,
  blockToJson,
  distributionBody,
  parseSnapshot,
  validatePathPattern,
  PROP_NAMES,
  type SettingNames,
  type Block,
  type DistributionSnapshot,
} from '../edge/distribution-snapshot';

/** AWS managed policies (CloudFront Developer Guide, "Use managed cache policies" / "Use managed origin request policies"). */
export const MANAGED_POLICIES = {
  /** Managed-CachingDisabled: TTL 0, nothing in the cache key. */
  cachingDisabled: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad',
  /** Managed-AllViewerExceptHostHeader: every viewer header, cookie and query string except Host (the origin sees its own name). */
  allViewerExceptHostHeader: 'b689b0a8-53d0-40ab-baf2-68738e2966ac',
  /** Managed-AllViewer: every viewer header including Host (the origin must accept the site's host name). */
  allViewer: '216adef6-5c7f-47e4-b989-5492eafa07d3',
} as const;

/** A header CloudFront adds to every request it sends to the API origin. */
export interface OriginCustomHeader {
  /** Header name, e.g. `X-Origin-Verify`. */
  readonly name: string;
  /** Header value; a secret the ALB listener rule checks (pass a sensitive token). */
  readonly value: string;
}

export interface CloudFrontOriginProps {
  /** Id of the existing distribution, e.g. `E1A2B3C4D5E6F7`. */
  readonly distributionId: string;
  /**
   * The snapshot file's content: `backplane cloudfront snapshot --id <ID>` output, or the raw
   * `aws cloudfront get-distribution-config --id <ID>` answer. A Terraform token (module variable)
   * is decoded with `jsondecode` at plan time.
   */
  readonly snapshotJson: string;
  /** A DNS name we own that points at the ALB, with a certificate valid for it, e.g. `origin-api.example.com`. */
  readonly apiOriginDomainName: string;
  /**
   * Id of the added origin.
   * @default "backplane-api"
   */
  readonly apiOriginId?: string;
  /**
   * Path pattern of the added ordered cache behavior.
   * @default "/api/*"
   */
  readonly pathPattern?: string;
  /**
   * Forward the viewer's Host header to the API (managed origin request policy AllViewer); otherwise
   * AllViewerExceptHostHeader, so the origin sees its own name and its certificate matches.
   * @default false
   */
  readonly forwardHostHeader?: boolean | IResolvable;
  /**
   * Headers CloudFront adds to every API request, e.g. `[{ name: 'X-Origin-Verify', value: token }]`
   * checked by the ALB listener rule.
   * @default []
   */
  readonly originCustomHeaders?: readonly OriginCustomHeader[] | IResolvable;
  /**
   * A CloudFront VPC origin (`aws_cloudfront_vpc_origin`) in front of an internal ALB: the origin then
   * uses `vpc_origin_config` instead of `custom_origin_config`.
   * @default undefined (a public, HTTPS-only custom origin)
   */
  readonly vpcOriginId?: string;
  /**
   * Add the origin and the behavior. `false` ("detach") renders the snapshot exactly: the first step
   * of removing Backplane from the distribution.
   * @default true
   */
  readonly attach?: boolean | IResolvable;
  /**
   * Emit the `import` block that adopts the distribution. `false` for the HCL module: Terraform only
   * accepts `import` blocks in the root module (`import { to = module.<name>.aws_cloudfront_distribution.this ... }`).
   * @default true
   */
  readonly adopt?: boolean;
  /**
   * Declare the distribution's arn, domain name and id as stack outputs (`<id>_distribution_*`). `false` for the
   * HCL module, whose outputs come from its definition.
   * @default true
   */
  readonly outputs?: boolean;
  /**
   * Forget the distribution: emit a `removed { lifecycle { destroy = false } }` block (Terraform >= 1.7)
   * instead of the resource, so the next apply drops it from the state WITHOUT deleting it. Apply with
   * `attach: false` first. Stack-level block: JSON synthesis only.
   * @default false
   */
  readonly release?: boolean;
  /**
   * How error messages name the settings behind these props (the preset passes the config's `edge.*` names and the
   * snapshot file's path), so a refusal says what the user can change.
   * @default the prop names (snapshotJson, distributionId, pathPattern, apiOriginId)
   */
  readonly settingNames?: Partial<SettingNames>;
  /**
   * Wait until CloudFront reports the change deployed (minutes on AWS).
   * @default true
   */
  readonly waitForDeployment?: boolean | IResolvable;
}

/** terraform_data's `input`/`triggers_replace` take any value; the binding types them as objects. */
const anyValue = (v: string): Record<string, unknown> => v as unknown as Record<string, unknown>;

const DEFAULT_ORIGIN_ID = 'backplane-api';
const DEFAULT_PATH = '/api/*';
const registered = new WeakMap<TerraformStack, Set<string>>();

/** Escape a literal string for Terraform's template syntax (`${` and `%{` start interpolations/directives). */
function literal(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
  if (Array.isArray(value)) return value.map(literal);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, literal(v)]));
  return value;
}

/**
 * An expression around Terraform tokens: `build(ref)` gets `ref(token)`, the token as a bare HCL
 * expression (`var.x`), and returns the expression; the result is one `${...}` interpolation.
 */
function around(build: (ref: (token: unknown) => string) => string): string {
  return Lazy.stringValue({
    produce: (context: IResolveContext) => {
      const ref = (token: unknown): string => {
        const resolved = context.resolve(token) as unknown;
        if (typeof resolved === 'string') {
          const whole = /^\$\{(.*)\}$/s.exec(resolved);
          if (whole && !whole[1].includes('${')) return whole[1];
          return JSON.stringify(resolved);
        }
        return JSON.stringify(resolved);
      };
      return `\${${build(ref)}}`;
    },
  });
}

/** The distribution resource, rendered from the snapshot's block tree (dynamic blocks) in both JSON and HCL synthesis. */
class SnapshotDistribution extends CloudfrontDistribution {
  constructor(
    scope: Construct,
    id: string,
    private readonly body: Block,
    meta: Pick<CloudfrontDistributionConfig, 'lifecycle'>,
  ) {
    // Placeholder config: the real attributes come from `body` (see synthesizeAttributes).
    super(scope, id, {
      ...meta,
      enabled: true,
      origin: [],
      defaultCacheBehavior: { allowedMethods: [], cachedMethods: [], targetOriginId: '', viewerProtocolPolicy: '' },
      restrictions: { geoRestriction: { restrictionType: 'none' } },
      viewerCertificate: {},
    });
  }
  protected synthesizeAttributes(): Record<string, unknown> {
    return blockToJson(this.body);
  }
  protected synthesizeHclAttributes(): Record<string, unknown> {
    return blockToHcl(this.body);
  }
}

export class CloudFrontOrigin extends Construct {
  /** ARN of the distribution. */
  readonly distributionArn: string;
  /** The distribution's `*.cloudfront.net` name. */
  readonly distributionDomainName: string;
  /** The distribution id. */
  readonly distributionId: string;
  /** The Terraform address of the distribution, e.g. `aws_cloudfront_distribution.frontend`. */
  readonly address: string;
  /** The adopted distribution (undefined with `release: true`): the escape hatch for overrides. */
  readonly distribution?: CloudfrontDistribution;

  constructor(scope: Construct, id: string, props: CloudFrontOriginProps) {
    super(scope, id);
    const name = id
      .replace(/[^A-Za-z0-9_]/g, '_')
      .replace(/^([^A-Za-z_])/, '_$1')
      .toLowerCase();
    const stack = TerraformStack.of(this);
    const names = registered.get(stack) ?? new Set<string>();
    if (names.has(name))
      throw new Error(
        `CloudFrontOrigin id "${id}" is used twice in stack ${stack.node.id}: its Terraform names (${name}_*) must be unique`,
      );
    names.add(name);
    registered.set(stack, names);

    const originId = props.apiOriginId ?? DEFAULT_ORIGIN_ID;
    const pathPattern = props.pathPattern ?? DEFAULT_PATH;
    this.address = `aws_cloudfront_distribution.${name}`;
    this.distributionId = props.distributionId;
    if (props.release) {
      stack.addOverride('removed', [{ from: this.address, lifecycle: { destroy: false } }]);
      this.distributionArn = '';
      this.distributionDomainName = '';
      return;
    }

    // Synth-time refusals when the values are concrete (the same checks run as preconditions at plan time).
    let snapshot: DistributionSnapshot | undefined;
    const settings: SettingNames = { ...PROP_NAMES, ...props.settingNames };
    if (!Token.isUnresolved(props.snapshotJson)) snapshot = parseSnapshot(props.snapshotJson, settings.snapshot);
    // Then the module definition's constraints (src/definitions/cf-origin.ts), after the snapshot's own precise checks.
    resolveInputs(
      cfOriginDefinition,
      {
        distributionId: props.distributionId,
        distributionSnapshotJson: props.snapshotJson,
        apiOriginDomainName: props.apiOriginDomainName,
        apiOriginId: props.apiOriginId,
        pathPattern: props.pathPattern,
        vpcOriginId: props.vpcOriginId ?? null,
      },
      id,
    );
    if (!Token.isUnresolved(pathPattern)) validatePathPattern(pathPattern, settings.pathPattern);
    if (snapshot && !Token.isUnresolved(originId) && !Token.isUnresolved(pathPattern) && !Token.isUnresolved(props.distributionId)) {
      assertAttachable(snapshot, { pathPattern, originId }, props.distributionId, settings);
    }

    const L = (n: string) => `local.${name}_${n}`;
    const local = (n: string, value: unknown) => new TerraformLocal(this, n, value).overrideLogicalId(`${name}_${n}`);
    local('snapshot', snapshot ? literal(snapshot) : around((ref) => `try(jsondecode(${ref(props.snapshotJson)}), {})`));
    const headers = props.originCustomHeaders ?? [];
    const headerToken = Token.isUnresolved(headers) ? headers : undefined;
    local('inputs', {
      distribution_id: props.distributionId,
      origin_id: originId,
      domain_name: props.apiOriginDomainName,
      path_pattern: pathPattern,
      forward_host_header: props.forwardHostHeader ?? false,
      // `${null}`: cdktn's HCL renderer cannot print a literal null inside an object.
      vpc_origin_id: props.vpcOriginId ?? '${null}',
      attach: props.attach ?? true,
      wait_for_deployment: props.waitForDeployment ?? true,
      // Header names are not secret; only the values stay sensitive (a sensitive for_each is refused).
      header_names: headerToken
        ? around((ref) => `nonsensitive([for h in ${ref(headerToken)} : h.name])`)
        : (headers as readonly OriginCustomHeader[]).map((h) => h.name),
    });
    local(
      'header_values',
      headerToken
        ? around((ref) => `{ for h in ${ref(headerToken)} : h.name => h.value }`)
        : Object.fromEntries((headers as readonly OriginCustomHeader[]).map((h) => [h.name, h.value])),
    );
    const derived = derivedLocals(L);
    for (const [n, expr] of Object.entries(derived)) local(n, `\${${expr.replace(/\s*\n\s*/g, ' ')}}`);

    const live = new DataAwsCloudfrontDistribution(this, 'live', { id: props.distributionId });
    live.overrideLogicalId(name);
    const liveEtag = `data.aws_cloudfront_distribution.${name}.etag`;

    // Drift guard 1 (the adoption run and every re-snapshot): the live ETag must be the snapshot's.
    // `input` keeps the plan time of the run that created it (ignore_changes); equal to plantimestamp()
    // only in that run. Re-armed by a new snapshot ETag.
    const snapshotGuard = new DataResource(this, 'snapshot_guard', {
      input: anyValue('${plantimestamp()}'),
      triggersReplace: anyValue(`\${${L('snapshot')}.ETag}`),
      lifecycle: { ignoreChanges: ['input'] },
    });
    snapshotGuard.overrideLogicalId(`${name}_snapshot_guard`);

    const S = L('snapshot');
    const notSnapshot = `${name}: distribution_snapshot_json is not a GetDistributionConfig answer { ETag, DistributionConfig } (Origins.Items, DefaultCacheBehavior): create it with \`backplane cloudfront snapshot --id <ID> --out file.json\``;
    const distribution = new SnapshotDistribution(this, 'distribution', distributionBody(L), {
      lifecycle: {
        preventDestroy: true,
        // Tags are not part of the distribution config and belong to whoever tagged it: never touched.
        ignoreChanges: ['tags', 'tags_all'],
        precondition: [
          {
            condition: `\${can(${S}.DistributionConfig.Origins.Items[0].Id) && can(${S}.DistributionConfig.DefaultCacheBehavior.TargetOriginId) && can(${S}.ETag)}`,
            errorMessage: notSnapshot,
          },
          {
            condition: `\${try(${S}.Id, ${L('inputs')}.distribution_id) == ${L('inputs')}.distribution_id}`,
            errorMessage: `${name}: the snapshot is of distribution \${try(${S}.Id, "?")}, not \${${L('inputs')}.distribution_id}: snapshot the right distribution`,
          },
          {
            condition: `\${!contains(${L('existing_patterns')}, ${L('inputs')}.path_pattern)}`,
            errorMessage: `${name}: distribution \${${L('inputs')}.distribution_id} already has a cache behavior for \${${L('inputs')}.path_pattern}: choose another path_pattern, or re-snapshot without Backplane's own (backplane cloudfront snapshot --id \${${L('inputs')}.distribution_id} --without-origin \${${L('inputs')}.origin_id})`,
          },
          {
            condition: `\${!contains([for o in ${L('existing_origins')} : try(o.Id, "")], ${L('inputs')}.origin_id)}`,
            errorMessage: `${name}: distribution \${${L('inputs')}.distribution_id} already has an origin with id \${${L('inputs')}.origin_id}: choose another api_origin_id, or re-snapshot without it (--without-origin \${${L('inputs')}.origin_id})`,
          },
          {
            condition: `\${${liveEtag} == ${S}.ETag || terraform_data.${name}_snapshot_guard.input != plantimestamp()}`,
            errorMessage: `${name}: distribution \${${L('inputs')}.distribution_id} changed since the snapshot (live ETag \${${liveEtag}}, snapshot ETag \${${S}.ETag}); applying would revert those changes. Re-snapshot (backplane cloudfront snapshot --id \${${L('inputs')}.distribution_id}) and review the diff.`,
          },
        ],
      },
    });
    distribution.overrideLogicalId(name);
    if (props.adopt ?? true) distribution.importFrom(props.distributionId);
    this.distribution = distribution;

    // Drift guard 2 (every later run): the live ETag must be the snapshot's or the one our last
    // change produced, recorded after apply (read through a data source that waits for the
    // distribution, so the recorder never plans a value that apply would contradict).
    const applied = new DataAwsCloudfrontDistribution(this, 'applied', { id: distribution.id, dependsOn: [distribution] });
    applied.overrideLogicalId(`${name}_applied`);
    const appliedEtag = new DataResource(this, 'applied_etag', {
      input: { etag: `\${data.aws_cloudfront_distribution.${name}_applied.etag}`, at: '${plantimestamp()}' },
      triggersReplace: anyValue(`\${${L('config_hash')}}`),
      lifecycle: { ignoreChanges: ['input'] },
    });
    appliedEtag.overrideLogicalId(`${name}_applied_etag`);
    const rec = `terraform_data.${name}_applied_etag.output`;
    new DataResource(this, 'drift_guard', {
      input: anyValue(props.distributionId),
      lifecycle: {
        precondition: [
          {
            condition: `\${${liveEtag} == ${S}.ETag || ${liveEtag} == ${rec}.etag || ${rec}.at == plantimestamp()}`,
            errorMessage: `${name}: distribution \${${L('inputs')}.distribution_id} was changed outside Terraform since Backplane's last apply (live ETag \${${liveEtag}}, expected \${${rec}.etag}); applying would revert it. Re-snapshot without Backplane's additions (backplane cloudfront snapshot --id \${${L('inputs')}.distribution_id} --without-origin \${${L('inputs')}.origin_id}) to keep the change.`,
          },
        ],
      },
    }).overrideLogicalId(`${name}_drift_guard`);

    this.distributionArn = distribution.arn;
    this.distributionDomainName = distribution.domainName;
    const outputs = {
      distribution_arn: { value: distribution.arn, description: 'ARN of the adopted CloudFront distribution' },
      distribution_domain_name: { value: distribution.domainName, description: 'The distribution domain name (*.cloudfront.net)' },
      distribution_id: { value: distribution.id, description: 'The distribution id' },
    };
    if (props.outputs ?? true) {
      for (const [n, o] of Object.entries(outputs)) new TerraformOutput(this, n, o).overrideLogicalId(`${name}_${n}`);
    }
  }
}

/**
 * The computed locals (HCL expressions, `L(n)` names a local): the API origin and behavior in the
 * snapshot's own shape, the merged origin and behavior lists, and the hash that re-arms drift guard 2.
 */
function derivedLocals(L: (n: string) => string): Record<string, string> {
  const I = L('inputs');
  const cfg = `${L('snapshot')}.DistributionConfig`;
  return {
    existing_origins: `try(${cfg}.Origins.Items, [])`,
    existing_behaviors: `try(${cfg}.CacheBehaviors.Items, [])`,
    existing_patterns: `[for b in ${L('existing_behaviors')} : try(b.PathPattern, "")]`,
    api_origin: `{
      Id = ${I}.origin_id, DomainName = ${I}.domain_name, OriginPath = "", ConnectionAttempts = 3, ConnectionTimeout = 10,
      CustomHeaders = { Items = [for n in ${I}.header_names : { HeaderName = n }] },
      CustomOriginConfig = ${I}.vpc_origin_id == null ? { HTTPPort = 80, HTTPSPort = 443, OriginProtocolPolicy = "https-only", OriginSslProtocols = { Items = ["TLSv1.2"] }, OriginReadTimeout = 30, OriginKeepaliveTimeout = 5 } : null,
      VpcOriginConfig = ${I}.vpc_origin_id == null ? null : { VpcOriginId = ${I}.vpc_origin_id, OriginReadTimeout = 30, OriginKeepaliveTimeout = 5 }
    }`,
    api_behavior: `{
      PathPattern = ${I}.path_pattern, TargetOriginId = ${I}.origin_id, ViewerProtocolPolicy = "redirect-to-https",
      AllowedMethods = { Items = ["GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"], CachedMethods = { Items = ["GET", "HEAD"] } },
      Compress = true, SmoothStreaming = false, CachePolicyId = "${MANAGED_POLICIES.cachingDisabled}",
      OriginRequestPolicyId = ${I}.forward_host_header ? "${MANAGED_POLICIES.allViewer}" : "${MANAGED_POLICIES.allViewerExceptHostHeader}"
    }`,
    // The stem (text before the first wildcard) of each pattern; "images/*" is treated as "/images/*".
    existing_stems: `[for p in ${L('existing_patterns')} : regex("^[^*?]*", startswith(p, "/") || startswith(p, "*") ? p : "/${'$'}{p}")]`,
    insert_at: `min(concat([for i, s in ${L('existing_stems')} : i if startswith(regex("^[^*?]*", ${I}.path_pattern), s)], [length(${L('existing_behaviors')})])...)`,
    origins: `concat(${L('existing_origins')}, [for o in [${L('api_origin')}] : o if ${I}.attach])`,
    behaviors: `concat(slice(${L('existing_behaviors')}, 0, ${L('insert_at')}), [for b in [${L('api_behavior')}] : b if ${I}.attach], slice(${L('existing_behaviors')}, ${L('insert_at')}, length(${L('existing_behaviors')})))`,
    config_hash: `sha256(jsonencode([${cfg}, ${L('origins')}, ${L('behaviors')}, ${L('header_values')}]))`,
  };
}
