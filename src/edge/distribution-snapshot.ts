/**
 * A CloudFront distribution snapshot: the `GetDistributionConfig` answer (`{ ETag, DistributionConfig }`,
 * the shape of `aws cloudfront get-distribution-config --id <ID>`), plus `Id` and `snapshotAt` when our
 * own `backplane cloudfront snapshot` wrote it. Parsing, the refusals that run at synth time when the
 * snapshot is a concrete string, and the TypeScript mirror of the behavior-ordering rule that the
 * emitted Terraform applies (test/e2e/cloudfront.e2e.test.ts checks the two agree), and the mapping
 * of every DistributionConfig field onto the `aws_cloudfront_distribution` arguments (a block tree of
 * HCL expressions over the decoded snapshot, rendered for JSON and for HCL synthesis).
 */
import type { CacheBehavior, DistributionConfig, Origin } from '@aws-sdk/client-cloudfront';

/** A parsed snapshot. */
export interface DistributionSnapshot {
  /** The distribution id (absent in a raw `aws cloudfront get-distribution-config` answer). */
  readonly Id?: string;
  /** The ETag the config was read with: the "version" the plan-time drift check compares. */
  readonly ETag: string;
  /** When the snapshot was taken (ISO 8601), absent in a raw CLI answer. */
  readonly snapshotAt?: string;
  readonly DistributionConfig: DistributionConfig;
}

/** What Backplane adds to the distribution. */
export interface Attachment {
  /** The ordered cache behavior's path pattern, e.g. `/api/*`. */
  readonly pathPattern: string;
  /** The id of the origin that points at the API. */
  readonly originId: string;
}

/**
 * How messages name the settings the user can change: the construct's props by default; the config's settings
 * (`edge.snapshotFile (<path>)`, `edge.pathPattern`, ...) when the preset builds it.
 */
export interface SettingNames {
  readonly snapshot: string;
  readonly distributionId: string;
  readonly pathPattern: string;
  readonly apiOriginId: string;
}
export const PROP_NAMES: SettingNames = {
  snapshot: 'snapshotJson',
  distributionId: 'distributionId',
  pathPattern: 'pathPattern',
  apiOriginId: 'apiOriginId',
};

/** A snapshot the construct cannot use; the message names the problem and the fix. */
export class SnapshotError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SnapshotError';
  }
}

const HOW_TO_SNAPSHOT =
  'create one with `backplane cloudfront snapshot --id <DISTRIBUTION_ID> --out frontend-distribution.json` ' +
  '(or `aws cloudfront get-distribution-config --id <DISTRIBUTION_ID> > frontend-distribution.json`)';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `{ Quantity, Items }` -> Items (or []), as the SDK omits Items when Quantity is 0. */
export function itemsOf<T>(list: { Items?: T[] } | undefined): T[] {
  return list?.Items ?? [];
}

/**
 * Parse and check a snapshot. Accepts our own snapshot file and the raw `get-distribution-config`
 * answer. Throws {@link SnapshotError} naming what is wrong and how to get a valid one.
 */
export function parseSnapshot(json: string, source = 'snapshotJson'): DistributionSnapshot {
  let doc: unknown;
  try {
    doc = JSON.parse(json);
  } catch (err) {
    throw new SnapshotError(`${source} is not valid JSON (${(err as Error).message}); ${HOW_TO_SNAPSHOT}`);
  }
  if (!isObject(doc))
    throw new SnapshotError(
      `${source} must be a JSON object { ETag, DistributionConfig }, got ${Array.isArray(doc) ? 'an array' : typeof doc}; ${HOW_TO_SNAPSHOT}`,
    );
  if (isObject(doc.Distribution) && !doc.DistributionConfig) {
    throw new SnapshotError(
      `${source} looks like a GetDistribution answer (it has "Distribution"); Backplane needs the GetDistributionConfig ` +
        `answer { ETag, DistributionConfig }: ${HOW_TO_SNAPSHOT}`,
    );
  }
  const cfg = doc.DistributionConfig;
  if (!isObject(cfg)) {
    throw new SnapshotError(
      `${source} is not a GetDistributionConfig answer: expected { ETag, DistributionConfig }, got keys ` +
        `[${Object.keys(doc).join(', ')}]; ${HOW_TO_SNAPSHOT}`,
    );
  }
  if (typeof doc.ETag !== 'string' || doc.ETag === '') {
    throw new SnapshotError(`${source} has no ETag: the plan-time drift check needs it; ${HOW_TO_SNAPSHOT}`);
  }
  const origins = isObject(cfg.Origins) ? cfg.Origins.Items : undefined;
  if (
    !Array.isArray(origins) ||
    origins.length === 0 ||
    !origins.every((o) => isObject(o) && typeof o.Id === 'string' && typeof o.DomainName === 'string')
  ) {
    throw new SnapshotError(
      `${source}: DistributionConfig.Origins.Items must list the distribution's origins (each with Id and DomainName); ${HOW_TO_SNAPSHOT}`,
    );
  }
  const dcb = cfg.DefaultCacheBehavior;
  if (!isObject(dcb) || typeof dcb.TargetOriginId !== 'string' || typeof dcb.ViewerProtocolPolicy !== 'string') {
    throw new SnapshotError(
      `${source}: DistributionConfig.DefaultCacheBehavior with TargetOriginId and ViewerProtocolPolicy is missing; ${HOW_TO_SNAPSHOT}`,
    );
  }
  if (typeof cfg.Enabled !== 'boolean')
    throw new SnapshotError(`${source}: DistributionConfig.Enabled (true/false) is missing; ${HOW_TO_SNAPSHOT}`);
  const behaviors = cfg.CacheBehaviors === undefined ? [] : isObject(cfg.CacheBehaviors) ? (cfg.CacheBehaviors.Items ?? []) : undefined;
  if (
    !Array.isArray(behaviors) ||
    !behaviors.every((b) => isObject(b) && typeof b.PathPattern === 'string' && typeof b.TargetOriginId === 'string')
  ) {
    throw new SnapshotError(
      `${source}: DistributionConfig.CacheBehaviors.Items must be a list of behaviors with PathPattern and TargetOriginId`,
    );
  }
  for (const key of ['Id', 'snapshotAt'] as const) {
    if (doc[key] !== undefined && typeof doc[key] !== 'string')
      throw new SnapshotError(`${source}: "${key}" must be a string, got ${typeof doc[key]}`);
  }
  return doc as unknown as DistributionSnapshot;
}

/** The refusals that need the snapshot's content: the distribution must not already have our path or origin. */
export function assertAttachable(
  snapshot: DistributionSnapshot,
  attachment: Attachment,
  distributionId?: string,
  names: SettingNames = PROP_NAMES,
): void {
  const cfg = snapshot.DistributionConfig;
  const id = distributionId ?? snapshot.Id ?? '<DISTRIBUTION_ID>';
  if (distributionId && snapshot.Id && snapshot.Id !== distributionId) {
    throw new SnapshotError(
      `${names.snapshot} is a snapshot of distribution ${snapshot.Id}, but ${names.distributionId} is ${distributionId}: snapshot ${distributionId} or fix ${names.distributionId}`,
    );
  }
  const resnapshot = `backplane cloudfront snapshot --id ${id} --without-origin ${attachment.originId}`;
  const clash = itemsOf<CacheBehavior>(cfg.CacheBehaviors).find((b) => b.PathPattern === attachment.pathPattern);
  if (clash) {
    throw new SnapshotError(
      `distribution ${id} already has a cache behavior for path pattern "${attachment.pathPattern}" (to origin "${clash.TargetOriginId}"). ` +
        `Choose another ${names.pathPattern}, or remove that behavior in CloudFront and re-snapshot; if it is Backplane's own from an ` +
        `earlier attach, re-snapshot without it: \`${resnapshot}\``,
    );
  }
  const origin = itemsOf<Origin>(cfg.Origins).find((o) => o.Id === attachment.originId);
  if (origin) {
    throw new SnapshotError(
      `distribution ${id} already has an origin with id "${attachment.originId}" (${origin.DomainName}). Choose another ${names.apiOriginId}, ` +
        `or, if it is Backplane's own from an earlier attach, re-snapshot without it: \`${resnapshot}\``,
    );
  }
}

/** CloudFront path patterns allow these characters (CloudFront Developer Guide, "Path pattern"). */
const PATH_PATTERN = /^\/[A-Za-z0-9_\-.*$/~"'@:+&?]*$/;

/** Checks a concrete path pattern: starts with "/", CloudFront's characters only, and not the whole site. */
export function validatePathPattern(pathPattern: string, name = PROP_NAMES.pathPattern): void {
  if (!PATH_PATTERN.test(pathPattern) || pathPattern.length > 255) {
    throw new SnapshotError(
      `${name} "${pathPattern}" is not a CloudFront path pattern: it must start with "/", be at most 255 characters and use ` +
        `only A-Z a-z 0-9 _ - . * $ / ~ " ' @ : + & ?, e.g. "/api/*"`,
    );
  }
  if (stemOf(pathPattern) === '/') {
    throw new SnapshotError(
      `${name} "${pathPattern}" would take over the whole site; use a prefix such as "/api/*" (or an api.<domain> origin instead)`,
    );
  }
}

/** The literal part of a pattern before its first wildcard; patterns without a leading "/" are treated as if they had one. */
export function stemOf(pattern: string): string {
  const normalized = pattern.startsWith('/') || pattern.startsWith('*') ? pattern : `/${pattern}`;
  return /^[^*?]*/.exec(normalized)?.[0] ?? '';
}

/**
 * Where the new behavior goes among the existing ones: before the first behavior whose pattern could
 * also match a request under the new pattern (its stem is a prefix of ours: "/*", "/a*", "*.js"),
 * otherwise last. The others keep their relative order. CloudFront evaluates ordered behaviors
 * first-match in list order, so this is the latest position where every `/api/...` request still
 * reaches the API while no existing behavior moves relative to another.
 */
export function behaviorInsertIndex(existingPatterns: readonly string[], pathPattern: string): number {
  const stem = stemOf(pathPattern);
  const broader = existingPatterns.findIndex((p) => stem.startsWith(stemOf(p)));
  return broader < 0 ? existingPatterns.length : broader;
}

/**
 * A snapshot with one origin (and every behavior that targets it) left out: for re-snapshotting a
 * distribution that already carries Backplane's additions. Throws if the default behavior targets it.
 */
export function withoutOrigin(snapshot: DistributionSnapshot, originId: string): DistributionSnapshot {
  const cfg = snapshot.DistributionConfig;
  if (cfg.DefaultCacheBehavior?.TargetOriginId === originId) {
    throw new SnapshotError(
      `the default cache behavior of ${snapshot.Id ?? 'the distribution'} targets origin "${originId}": it is not an attachment Backplane made, refusing to strip it`,
    );
  }
  const origins = itemsOf<Origin>(cfg.Origins).filter((o) => o.Id !== originId);
  const behaviors = itemsOf<CacheBehavior>(cfg.CacheBehaviors).filter((b) => b.TargetOriginId !== originId);
  return {
    ...snapshot,
    DistributionConfig: {
      ...cfg,
      Origins: { Quantity: origins.length, Items: origins },
      CacheBehaviors: behaviors.length > 0 ? { Quantity: behaviors.length, Items: behaviors } : { Quantity: 0 },
    },
  };
}

/** Stable pretty JSON: keys in a fixed order at the top, the config as the SDK returned it, newline-terminated. */
export function snapshotToJson(snapshot: DistributionSnapshot): string {
  const { Id, ETag, snapshotAt, DistributionConfig } = snapshot;
  return `${JSON.stringify({ Id, ETag, snapshotAt, DistributionConfig }, null, 2)}\n`;
}

// ---------------------------------------------------------------------------------------------
// Rendering: snapshot fields -> aws_cloudfront_distribution arguments (hashicorp/aws >= 5.100, < 7).
// Every field is rendered exactly as the provider reads it back (internal/service/cloudfront,
// distribution_configuration_structure.go: flatten*), so an imported distribution plans no change:
// absent optional fields as the zero value the import stores ("" or the provider default, never null where the
// state holds one: a null inside a set element replaces it), numbers and booleans as read, sets as lists.
// ---------------------------------------------------------------------------------------------

/** A block body: attributes (HCL expressions, or literal booleans), nested blocks, and `dynamic` blocks. */
export interface Block {
  readonly attrs?: Readonly<Record<string, string | boolean>>;
  readonly blocks?: Readonly<Record<string, Block>>;
  readonly dynamic?: Readonly<Record<string, Dynamic>>;
}

/** A `dynamic "<name>" { for_each = ..., iterator = ..., content { ... } }` block. */
export interface Dynamic {
  readonly forEach: string;
  readonly iterator: string;
  readonly content: Block;
}

const expr = (e: string | boolean): string | boolean => (typeof e === 'string' ? `\${${e.replace(/\s*\n\s*/g, ' ')}}` : e);

/** Terraform JSON syntax (`cdk.tf.json`). */
export function blockToJson(b: Block): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(b.attrs ?? {})) out[k] = expr(v);
  for (const [k, v] of Object.entries(b.blocks ?? {})) out[k] = blockToJson(v);
  if (b.dynamic) {
    out.dynamic = Object.fromEntries(
      Object.entries(b.dynamic).map(([k, d]) => [k, { for_each: expr(d.forEach), iterator: d.iterator, content: blockToJson(d.content) }]),
    );
  }
  return out;
}

/**
 * cdktn's HCL synthesis (SYNTH_HCL_OUTPUT): top-level dynamic blocks under `dynamic`, nested ones and
 * nested static blocks as the attribute descriptors its renderer turns into blocks (cdktn/lib/hcl/render.js).
 */
export function blockToHcl(b: Block, top = true): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(b.attrs ?? {})) out[k] = expr(v);
  for (const [k, v] of Object.entries(b.blocks ?? {}))
    out[k] = { value: blockToHcl(v, false), isBlock: true, type: 'struct', storageClassType: k };
  const dyn = Object.entries(b.dynamic ?? {}).map(
    ([k, d]) => [k, { for_each: expr(d.forEach), iterator: d.iterator, content: blockToHcl(d.content, false) }] as const,
  );
  if (top && dyn.length > 0) out.dynamic = Object.fromEntries(dyn);
  if (!top) for (const [k, d] of dyn) out[k] = { dynamic: { value: d } };
  return out;
}

/** `for_each` over an optional single object: `[x]` when present (and `cond` holds), else `[]`. */
const optional = (value: string, cond = 'x != null') => `[for x in [try(${value}, null)] : x if ${cond}]`;
/** `try(v, null)`: absent and "" mean the same to the provider. */
const opt = (v: string) => `try(${v}, null)`;
/** `try(v, zero)`: an absent field as the provider's zero value, i.e. what the import stores in state. */
const zero = (v: string, zeroValue: string) => `try(${v}, ${zeroValue})`;

function behaviorContent(b: string, ordered: boolean): Block {
  return {
    attrs: {
      ...(ordered ? { path_pattern: `${b}.PathPattern` } : {}),
      target_origin_id: `${b}.TargetOriginId`,
      viewer_protocol_policy: `${b}.ViewerProtocolPolicy`,
      allowed_methods: `${b}.AllowedMethods.Items`,
      cached_methods: `try(${b}.AllowedMethods.CachedMethods.Items, ["GET", "HEAD"])`,
      compress: `try(${b}.Compress, false)`,
      smooth_streaming: opt(`${b}.SmoothStreaming`),
      cache_policy_id: opt(`${b}.CachePolicyId`),
      origin_request_policy_id: opt(`${b}.OriginRequestPolicyId`),
      response_headers_policy_id: opt(`${b}.ResponseHeadersPolicyId`),
      field_level_encryption_id: opt(`${b}.FieldLevelEncryptionId`),
      // The provider validates it as an ARN: "" must become null.
      realtime_log_config_arn: `try(${b}.RealtimeLogConfigArn, "") != "" ? ${b}.RealtimeLogConfigArn : null`,
      // Legacy TTLs (behaviors without a cache policy); read back as sent either way.
      min_ttl: opt(`${b}.MinTTL`),
      default_ttl: opt(`${b}.DefaultTTL`),
      max_ttl: opt(`${b}.MaxTTL`),
      trusted_key_groups: `try(${b}.TrustedKeyGroups.Items, [])`,
      trusted_signers: `try(${b}.TrustedSigners.Items, [])`,
    },
    dynamic: {
      forwarded_values: {
        forEach: optional(`${b}.ForwardedValues`),
        iterator: 'fv',
        content: {
          attrs: {
            query_string: 'fv.value.QueryString',
            headers: 'try(fv.value.Headers.Items, [])',
            query_string_cache_keys: 'try(fv.value.QueryStringCacheKeys.Items, [])',
          },
          dynamic: {
            cookies: {
              forEach: '[fv.value.Cookies]',
              iterator: 'ck',
              content: { attrs: { forward: 'ck.value.Forward', whitelisted_names: 'try(ck.value.WhitelistedNames.Items, [])' } },
            },
          },
        },
      },
      function_association: {
        forEach: `try(${b}.FunctionAssociations.Items, [])`,
        iterator: 'fa',
        content: { attrs: { event_type: 'fa.value.EventType', function_arn: 'fa.value.FunctionARN' } },
      },
      lambda_function_association: {
        forEach: `try(${b}.LambdaFunctionAssociations.Items, [])`,
        iterator: 'la',
        content: {
          attrs: {
            event_type: 'la.value.EventType',
            lambda_arn: 'la.value.LambdaFunctionARN',
            include_body: 'try(la.value.IncludeBody, false)',
          },
        },
      },
      grpc_config: {
        forEach: optional(`${b}.GrpcConfig`),
        iterator: 'gc',
        content: { attrs: { enabled: 'try(gc.value.Enabled, false)' } },
      },
    },
  };
}

const originContent: Block = {
  attrs: {
    origin_id: 'o.value.Id',
    domain_name: 'o.value.DomainName',
    // Absent fields render as the value the import stores (hashicorp/aws 5.100 resource_cloudfront_distribution.go:
    // origin_path Default "", connection_attempts Default 3, connection_timeout Default 10; the same defaults as the
    // CloudFront API Reference, "Origin" and "CustomOriginConfig": 3 attempts, 10 s connect, 30 s read, 5 s keep-alive).
    origin_path: zero('o.value.OriginPath', '""'),
    connection_attempts: zero('o.value.ConnectionAttempts', '3'),
    connection_timeout: zero('o.value.ConnectionTimeout', '10'),
    // Not "": hashicorp/aws 5.100 refuses it at validate ("origin_access_control_id must not be empty"), so an
    // origin without OAC stays null, which the provider reads as no OAC (proven by the adoption e2e's first plan).
    origin_access_control_id: opt('o.value.OriginAccessControlId'),
  },
  dynamic: {
    custom_header: {
      forEach: 'try(o.value.CustomHeaders.Items, [])',
      iterator: 'h',
      // Backplane's own header values live in a separate (sensitive) map: a sensitive value inside the
      // origins list would make the whole for_each sensitive.
      content: { attrs: { name: 'h.value.HeaderName', value: 'try(h.value.HeaderValue, HEADER_VALUES[h.value.HeaderName])' } },
    },
    custom_origin_config: {
      forEach: optional('o.value.CustomOriginConfig'),
      iterator: 'c',
      content: {
        attrs: {
          http_port: 'c.value.HTTPPort',
          https_port: 'c.value.HTTPSPort',
          origin_protocol_policy: 'c.value.OriginProtocolPolicy',
          origin_ssl_protocols: 'try(c.value.OriginSslProtocols.Items, [])',
          // Provider defaults: origin_read_timeout 30, origin_keepalive_timeout 5.
          origin_read_timeout: zero('c.value.OriginReadTimeout', '30'),
          origin_keepalive_timeout: zero('c.value.OriginKeepaliveTimeout', '5'),
        },
      },
    },
    // An OAC origin reads back with S3OriginConfig.OriginAccessIdentity "": the provider keeps no block then.
    s3_origin_config: {
      forEach: optional('o.value.S3OriginConfig', 'try(x.OriginAccessIdentity, "") != ""'),
      iterator: 's3',
      content: { attrs: { origin_access_identity: 's3.value.OriginAccessIdentity' } },
    },
    origin_shield: {
      forEach: optional('o.value.OriginShield', 'try(x.Enabled, false)'),
      iterator: 'os',
      content: { attrs: { enabled: 'os.value.Enabled', origin_shield_region: opt('os.value.OriginShieldRegion') } },
    },
    vpc_origin_config: {
      forEach: optional('o.value.VpcOriginConfig'),
      iterator: 'vo',
      content: {
        attrs: {
          vpc_origin_id: 'vo.value.VpcOriginId',
          origin_read_timeout: zero('vo.value.OriginReadTimeout', '30'),
          origin_keepalive_timeout: zero('vo.value.OriginKeepaliveTimeout', '5'),
        },
      },
    },
  },
};

/**
 * The whole `aws_cloudfront_distribution` body. `L(name)` names a local of the construct:
 * `snapshot` (decoded), `origins` and `behaviors` (snapshot + additions, ordered), `header_values`,
 * `inputs` (wait_for_deployment).
 */
export function distributionBody(L: (name: string) => string): Block {
  const cfg = `${L('snapshot')}.DistributionConfig`;
  const vc = `${cfg}.ViewerCertificate`;
  const origin = JSON.parse(JSON.stringify(originContent).replace(/HEADER_VALUES/g, L('header_values'))) as Block;
  return {
    attrs: {
      enabled: `${cfg}.Enabled`,
      aliases: `try(${cfg}.Aliases.Items, [])`,
      comment: opt(`${cfg}.Comment`),
      default_root_object: opt(`${cfg}.DefaultRootObject`),
      http_version: `try(${cfg}.HttpVersion, "http2")`,
      is_ipv6_enabled: `try(${cfg}.IsIPV6Enabled, false)`,
      price_class: `try(${cfg}.PriceClass, "PriceClass_All")`,
      web_acl_id: opt(`${cfg}.WebACLId`),
      // staging forces replacement when it differs (terraform-provider-aws #32936): always as read.
      staging: `try(${cfg}.Staging, false)`,
      continuous_deployment_policy_id: opt(`${cfg}.ContinuousDeploymentPolicyId`),
      // The values the provider's importer sets (non-API attributes): no diff after import.
      retain_on_delete: false,
      wait_for_deployment: `${L('inputs')}.wait_for_deployment`,
    },
    blocks: {
      restrictions: {
        blocks: {
          geo_restriction: {
            attrs: {
              restriction_type: `try(${cfg}.Restrictions.GeoRestriction.RestrictionType, "none")`,
              locations: `try(${cfg}.Restrictions.GeoRestriction.Items, [])`,
            },
          },
        },
      },
      viewer_certificate: {
        attrs: {
          acm_certificate_arn: opt(`${vc}.ACMCertificateArn`),
          cloudfront_default_certificate: opt(`${vc}.CloudFrontDefaultCertificate`),
          iam_certificate_id: opt(`${vc}.IAMCertificateId`),
          minimum_protocol_version: opt(`${vc}.MinimumProtocolVersion`),
          // Read back only for ACM/IAM certificates.
          ssl_support_method: `try(${vc}.ACMCertificateArn, "") != "" || try(${vc}.IAMCertificateId, "") != "" ? ${vc}.SSLSupportMethod : null`,
        },
      },
    },
    dynamic: {
      origin: { forEach: L('origins'), iterator: 'o', content: origin },
      origin_group: {
        forEach: `try(${cfg}.OriginGroups.Items, [])`,
        iterator: 'og',
        content: {
          attrs: { origin_id: 'og.value.Id' },
          blocks: { failover_criteria: { attrs: { status_codes: 'og.value.FailoverCriteria.StatusCodes.Items' } } },
          dynamic: { member: { forEach: 'og.value.Members.Items', iterator: 'm', content: { attrs: { origin_id: 'm.value.OriginId' } } } },
        },
      },
      default_cache_behavior: { forEach: `[${cfg}.DefaultCacheBehavior]`, iterator: 'b', content: behaviorContent('b.value', false) },
      ordered_cache_behavior: { forEach: L('behaviors'), iterator: 'b', content: behaviorContent('b.value', true) },
      custom_error_response: {
        forEach: `try(${cfg}.CustomErrorResponses.Items, [])`,
        iterator: 'e',
        content: {
          attrs: {
            error_code: 'e.value.ErrorCode',
            // The API has it as a string, "" when unset; the provider as a number, 0 when unset.
            response_code: 'try(tonumber(e.value.ResponseCode), null)',
            response_page_path: opt('e.value.ResponsePagePath'),
            error_caching_min_ttl: opt('e.value.ErrorCachingMinTTL'),
          },
        },
      },
      // The provider keeps logging_config only when logging is enabled.
      logging_config: {
        forEach: optional(`${cfg}.Logging`, 'try(x.Enabled, false)'),
        iterator: 'lg',
        content: {
          attrs: { bucket: 'lg.value.Bucket', include_cookies: 'try(lg.value.IncludeCookies, false)', prefix: 'try(lg.value.Prefix, "")' },
        },
      },
    },
  };
}
