/**
 * Proof of the CloudFront attachment against moto, with the real terraform binary and aws provider:
 * a "frontend" distribution created through the SDK (shaped like test/fixtures/frontend-distribution.json, made
 * richer: two S3 origins without origin access control, a custom origin with custom headers, custom error responses,
 * a geo restriction, five behaviors including a broad "/*.html" one to prove the ordering) is snapshotted, adopted
 * by an `import` block, gets ONE origin and ONE behavior, re-plans clean, refuses drift, is detached back to its snapshot,
 * forgotten with a `removed` block and survives `terraform destroy` exactly as it was.
 *
 * moto 5.2.1 does not keep some fields (moto/cloudfront/models.py): OriginAccessControlId,
 * S3OriginConfig, Function/LambdaFunctionAssociations; those are covered by the unit tests
 * (test/edge/cf-origin.test.ts), not here. Its ForwardedValues and CloudFrontDefaultCertificate read-back
 * is fixed by the shim, and so is its ETag: a new one on every update, PreconditionFailed for a stale
 * If-Match, as CloudFront does (test/e2e/moto/patches/cloudfront.py, "cloudfront.readback", "cloudfront.etag"),
 * so the drift guard is proven with a real out-of-band edit.
 */
import * as fs from 'fs';
import * as path from 'path';
import { isDeepStrictEqual } from 'util';
import execa from 'execa';
import { App, TerraformStack, TerraformVariable, Testing } from 'cdktn';
import { AwsProvider } from '@cdktn/provider-aws/lib/provider';
import {
  CloudFrontClient,
  CreateDistributionWithTagsCommand,
  GetDistributionCommand,
  GetDistributionConfigCommand,
  ListTagsForResourceCommand,
  UpdateDistributionCommand,
  type DistributionConfig,
} from '@aws-sdk/client-cloudfront';
import { CloudFrontOrigin, MANAGED_POLICIES, type CloudFrontOriginProps } from '../../src/constructs/cf-origin';
import { behaviorInsertIndex } from '../../src/edge/distribution-snapshot';
import { snapshotDistribution, type Snapshot } from '../../src/edge/snapshot';
import { awsClientConfig, describeWithEngine, E2E_WORK_ROOT, startMoto, TerraformWorkspace, type MotoServer } from './lib';
import {
  canonicalDistributionConfig as canon,
  differences,
  FRONTEND_FIXTURE,
  liveDistributionConfig,
  withoutApi as withoutAdditions,
} from './lib/frontend-distribution';
import { plannedChanges } from './lib/plan-diff';

const FIXTURE = JSON.parse(fs.readFileSync(FRONTEND_FIXTURE, 'utf8')) as {
  DistributionConfig: DistributionConfig;
};
/** Per-process names: two runs of the suite at once (e.g. the full suite and this file) must not share work dirs. */
const RUN = `cloudfront-${process.pid}`;
const SRC = path.join(E2E_WORK_ROOT, `${RUN}-src`);
const SECRET = 'e2e-origin-verify-token';
const TAGS = [
  { Key: 'team', Value: 'web' },
  { Key: 'cost-center', Value: 'frontend' },
];

// ---- the stack ------------------------------------------------------------------------------------

/** Synthesize a stack with the construct into `<SRC>/<name>` and return its cdk.tf.json directory. */
function synthStack(name: string, props: CloudFrontOriginProps): string {
  const outdir = path.join(SRC, name);
  fs.rmSync(outdir, { recursive: true, force: true });
  const app = new App({ outdir, skipValidation: true });
  const stack = new TerraformStack(app, 'cloudfront');
  new AwsProvider(stack, 'aws', { region: 'us-east-1' });
  stack.addOverride('terraform.required_providers.aws.version', '>= 5.100, < 7');
  new CloudFrontOrigin(stack, 'frontend', props);
  app.synth();
  return path.join(outdir, 'stacks', 'cloudfront');
}

/**
 * The fixture made as varied as production frontends are (issue 14): a second S3 origin without origin access
 * control, a custom origin with custom headers, a behavior on each, and a geo restriction, next to the fixture's S3
 * origin, custom error responses and behaviors. The adoption's first plan must still change only the additions.
 */
function richFrontend(cfg: DistributionConfig): DistributionConfig {
  const s3 = cfg.Origins!.Items![0]!;
  const media = { ...s3, Id: 'media-s3', DomainName: 'shop-media.s3.us-east-1.amazonaws.com', OriginAccessControlId: '' };
  const legacy = {
    Id: 'legacy-app',
    DomainName: 'legacy.example.com',
    OriginPath: '/v1',
    CustomHeaders: {
      Quantity: 2,
      Items: [
        { HeaderName: 'X-From-CloudFront', HeaderValue: 'frontend' },
        { HeaderName: 'X-Tenant', HeaderValue: 'shop' },
      ],
    },
    CustomOriginConfig: {
      HTTPPort: 80,
      HTTPSPort: 443,
      OriginProtocolPolicy: 'https-only' as const,
      OriginSslProtocols: { Quantity: 1, Items: ['TLSv1.2' as const] },
      OriginReadTimeout: 30,
      OriginKeepaliveTimeout: 5,
    },
    ConnectionAttempts: 3,
    ConnectionTimeout: 10,
    OriginShield: { Enabled: false },
  };
  cfg.Origins = { Quantity: 3, Items: [s3, media, legacy] };
  const behavior = cfg.CacheBehaviors!.Items![0]!;
  cfg.CacheBehaviors!.Items!.push(
    { ...behavior, PathPattern: '/legacy/*', TargetOriginId: 'legacy-app' },
    { ...behavior, PathPattern: '/media/*', TargetOriginId: 'media-s3' },
  );
  cfg.Restrictions = { GeoRestriction: { RestrictionType: 'whitelist', Quantity: 2, Items: ['DE', 'US'] } };
  return cfg;
}

/** Replace the workspace's configuration by another synthesis of the same stack (same state). */
function switchConfig(ws: TerraformWorkspace, stackDir: string): void {
  fs.copyFileSync(path.join(stackDir, 'cdk.tf.json'), path.join(ws.configDir, 'cdk.tf.json'));
}

describeWithEngine('CloudFront: adopt an existing distribution and add /api/* (moto, real Terraform)', () => {
  let moto: MotoServer;
  let cf: CloudFrontClient;
  let ws: TerraformWorkspace;
  let id: string;
  let snapshot: Snapshot;
  let before: DistributionConfig;
  let props: CloudFrontOriginProps;

  const liveConfig = () => liveDistributionConfig(cf, id);
  const tags = async () => {
    const { Distribution } = await cf.send(new GetDistributionCommand({ Id: id }));
    return (await cf.send(new ListTagsForResourceCommand({ Resource: Distribution?.ARN }))).Tags?.Items;
  };

  beforeAll(async () => {
    moto = await startMoto();
    cf = new CloudFrontClient(awsClientConfig(moto));
    const cfg = richFrontend(structuredClone(FIXTURE.DistributionConfig));
    cfg.CallerReference = `backplane-e2e-${Date.now()}`;
    // A broad pattern (stem "/", matches /api/x.html): the new behavior must go before it.
    cfg.CacheBehaviors!.Items!.push({ ...cfg.CacheBehaviors!.Items![0], PathPattern: '/*.html' });
    cfg.CacheBehaviors!.Quantity = cfg.CacheBehaviors!.Items!.length;
    const created = await cf.send(
      new CreateDistributionWithTagsCommand({ DistributionConfigWithTags: { DistributionConfig: cfg, Tags: { Items: TAGS } } }),
    );
    id = created.Distribution!.Id!;
    snapshot = await snapshotDistribution({ id, client: cf });
    snapshot.writeSnapshot(path.join(SRC, 'frontend-distribution.json'));
    before = snapshot.DistributionConfig;
    props = {
      distributionId: id,
      snapshotJson: snapshot.toJson(),
      apiOriginDomainName: 'origin-api.example.com',
      originCustomHeaders: [{ name: 'X-Origin-Verify', value: SECRET }],
    };
    ws = TerraformWorkspace.create({ name: RUN, sourceDir: synthStack('attach', props), moto });
  });

  afterAll(async () => {
    try {
      if (ws && (await ws.resourceAddresses()).length > 0) {
        // Never leave a prevent_destroy distribution behind: detach, forget, then destroy.
        switchConfig(ws, synthStack('cleanup', { ...props, release: true }));
        await ws.apply();
        await ws.destroy();
      }
    } finally {
      ws?.printSummary();
      cf?.destroy();
      await moto?.stop();
    }
  });

  it('snapshots the frontend through the SDK: the config as created, the live ETag', async () => {
    const live = await cf.send(new GetDistributionConfigCommand({ Id: id }));
    expect(snapshot.ETag).toBe(live.ETag);
    expect(snapshot.DistributionConfig.CacheBehaviors?.Items?.map((b) => b.PathPattern)).toEqual([
      '/assets/*',
      '/images/*',
      '/legacy/*',
      '/media/*',
      '/*.html',
    ]);
    expect(snapshot.DistributionConfig.Aliases?.Items).toEqual(['www.example.com']);
    expect(JSON.parse(fs.readFileSync(path.join(SRC, 'frontend-distribution.json'), 'utf8')).ETag).toBe(live.ETag);
  });

  it('refuses a stale snapshot at plan time (live ETag differs), changing nothing', async () => {
    const stale = TerraformWorkspace.create({
      name: `${RUN}-stale`,
      sourceDir: synthStack('stale', {
        ...props,
        snapshotJson: JSON.stringify({ ...JSON.parse(props.snapshotJson), ETag: 'E0LDSNAPSHOT' }),
      }),
      moto,
    });
    await stale.init();
    const stderr = await stale.planFailure();
    expect(stderr).toMatch(/Resource precondition failed/);
    expect(stderr.replace(/\s+/g, ' ')).toContain(
      `frontend: distribution ${id} changed since the snapshot (live ETag ${snapshot.ETag}, snapshot ETag E0LDSNAPSHOT)`,
    );
    expect(await stale.resourceAddresses()).toEqual([]);
    expect(differences(canon(await liveConfig()), canon(before))).toEqual([]);
  });

  it('plans the adoption as the additions only: S3 origins without OAC, a custom origin with headers, a geo restriction, kept as they are', async () => {
    // moto's GetDistributionConfig omits OriginAccessControlId (module comment): the import stores "" for it.
    for (const s3 of ['frontend-s3', 'media-s3'])
      expect(before.Origins?.Items?.find((o) => o.Id === s3)).not.toHaveProperty('OriginAccessControlId');
    expect(before.Origins?.Items?.find((o) => o.Id === 'legacy-app')?.CustomHeaders?.Quantity).toBe(2);
    expect(before.Restrictions?.GeoRestriction).toMatchObject({ RestrictionType: 'whitelist', Quantity: 2 });
    expect(before.CustomErrorResponses?.Quantity).toBe(2);
    await ws.init();
    await ws.validate();
    const { planFile } = await ws.plan();
    const plan = await ws.showPlan(planFile!);
    type Blocks = Record<string, unknown[]>;
    const dist = plan.resource_changes!.find((rc) => rc.address === 'aws_cloudfront_distribution.frontend')!;
    const change = dist.change as unknown as { before: Blocks; after: Blocks };
    const added = (block: string) => change.after[block].filter((a) => !change.before[block].some((b) => isDeepStrictEqual(a, b)));
    // The one difference the config cannot remove: the import stores origin_access_control_id "" for an origin
    // without OAC, and hashicorp/aws 5.100 refuses "" in config ("must not be empty", validate), so the rendering
    // leaves it null. An origin that differs in nothing else is the same origin (the re-plan below is empty).
    const sansOac = (o: unknown) => ({ ...(o as Record<string, unknown>), origin_access_control_id: null });
    const beforeIds = change.before.origin.map((o) => (o as { origin_id: string }).origin_id);
    expect(change.before.origin.map(sansOac)).toEqual(
      change.after.origin.filter((o) => beforeIds.includes((o as { origin_id: string }).origin_id)).map(sansOac),
    );
    expect(added('origin').map((o) => (o as { origin_id: string }).origin_id)).toContain('backplane-api');
    expect(change.after.origin.length).toBe(change.before.origin.length + 1);
    // Same for behaviors: realtime_log_config_arn "" (validated as an ARN in config) and grpc_config (computed,
    // unknown until apply) are the provider's representation, not a change to the behavior.
    const sansRepr = (b: unknown) => ({ ...(b as Record<string, unknown>), realtime_log_config_arn: null, grpc_config: null });
    const patterns = (bs: unknown[]) => bs.map((b) => (b as { path_pattern: string }).path_pattern);
    expect(change.before.ordered_cache_behavior.map(sansRepr)).toEqual(
      change.after.ordered_cache_behavior
        .filter((b) => patterns(change.before.ordered_cache_behavior).includes((b as { path_pattern: string }).path_pattern))
        .map(sansRepr),
    );
    expect(patterns(change.after.ordered_cache_behavior)).toEqual(['/assets/*', '/images/*', '/legacy/*', '/media/*', '/api/*', '/*.html']);
    const changed = plannedChanges(plan).find((c) => c.address === 'aws_cloudfront_distribution.frontend')!;
    expect(changed.actions).toEqual(['update']);
    // Only the two lists change; every other argument plans exactly as imported (paths like "origin.1.x").
    expect([...new Set(changed.paths.map((p) => p.split('.')[0]))].sort()).toEqual(['ordered_cache_behavior', 'origin']);
    await ws.apply({ planFile });
  });

  it('imports the distribution and applies: one origin and one behavior added, before the broad pattern', async () => {
    expect(await ws.resourceAddresses()).toEqual(
      expect.arrayContaining([
        'aws_cloudfront_distribution.frontend',
        'terraform_data.frontend_snapshot_guard',
        'terraform_data.frontend_applied_etag',
        'terraform_data.frontend_drift_guard',
      ]),
    );
    const after = await liveConfig();
    expect(after.CacheBehaviors?.Items?.map((b) => b.PathPattern)).toEqual([
      '/assets/*',
      '/images/*',
      '/legacy/*',
      '/media/*',
      '/api/*',
      '/*.html',
    ]);
    expect(after.Origins?.Items?.map((o) => o.Id).sort()).toEqual(['backplane-api', 'frontend-s3', 'legacy-app', 'media-s3']);
  });

  it('adds exactly the API origin: HTTPS-only TLSv1.2 to the origin name, with the verify header', async () => {
    const origin = (await liveConfig()).Origins?.Items?.find((o) => o.Id === 'backplane-api');
    expect(origin).toMatchObject({
      DomainName: 'origin-api.example.com',
      OriginPath: '',
      CustomHeaders: { Quantity: 1, Items: [{ HeaderName: 'X-Origin-Verify', HeaderValue: SECRET }] },
      CustomOriginConfig: {
        HTTPPort: 80,
        HTTPSPort: 443,
        OriginProtocolPolicy: 'https-only',
        OriginSslProtocols: { Quantity: 1, Items: ['TLSv1.2'] },
        OriginReadTimeout: 30,
        OriginKeepaliveTimeout: 5,
      },
      ConnectionAttempts: 3,
      ConnectionTimeout: 10,
    });
  });

  it('adds exactly the API behavior: all methods, CachingDisabled, AllViewerExceptHostHeader, redirect-to-https', async () => {
    const api = (await liveConfig()).CacheBehaviors?.Items?.find((b) => b.PathPattern === '/api/*');
    expect(api).toMatchObject({
      TargetOriginId: 'backplane-api',
      ViewerProtocolPolicy: 'redirect-to-https',
      Compress: true,
      CachePolicyId: MANAGED_POLICIES.cachingDisabled,
      OriginRequestPolicyId: MANAGED_POLICIES.allViewerExceptHostHeader,
    });
    expect([...(api?.AllowedMethods?.Items ?? [])].sort()).toEqual(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT']);
    expect([...(api?.AllowedMethods?.CachedMethods?.Items ?? [])].sort()).toEqual(['GET', 'HEAD']);
  });

  it('leaves everything that existed deep-equal to before, tags included', async () => {
    const after = await liveConfig();
    expect(differences(canon(withoutAdditions(after)), canon(before))).toEqual([]);
    expect(await tags()).toEqual(expect.arrayContaining(TAGS));
  });

  it('re-plans with no change at all (the import left nothing to reconcile)', async () => {
    const replan = await ws.replan();
    expect(replan.unexpected).toEqual([]);
    expect(replan.tolerated).toEqual([]);
    expect(replan.empty).toBe(true);
  });

  it('refuses to plan once the distribution changed outside Terraform after our apply (drift guard 2), until re-snapshotted', async () => {
    // A console edit made after our apply: CloudFront (and the shim, "cloudfront.etag") gives the distribution a new ETag.
    const recorded = (await cf.send(new GetDistributionConfigCommand({ Id: id }))).ETag!;
    const edit = async (comment: string) => {
      const live = await cf.send(new GetDistributionConfigCommand({ Id: id }));
      const updated = await cf.send(
        new UpdateDistributionCommand({
          Id: id,
          IfMatch: live.ETag,
          DistributionConfig: { ...live.DistributionConfig!, Comment: comment },
        }),
      );
      return { from: live.ETag!, to: updated.ETag! };
    };
    const drift = await edit('edited in the console');
    expect(drift.to).not.toBe(drift.from);
    // A stale If-Match is refused, as CloudFront does: an apply racing a console edit cannot overwrite it.
    await expect(cf.send(new UpdateDistributionCommand({ Id: id, IfMatch: recorded, DistributionConfig: before }))).rejects.toMatchObject({
      name: 'PreconditionFailed',
    });

    const stderr = (await ws.planFailure()).replace(/\s+/g, ' ');
    expect(stderr).toContain(
      `frontend: distribution ${id} was changed outside Terraform since Backplane's last apply (live ETag ${drift.to}, expected ${recorded})`,
    );
    expect(stderr).not.toContain('changed since the snapshot');

    // The way out the message names: take the edit back (or keep it) and re-snapshot without our own origin.
    await edit(before.Comment ?? '');
    const resnapshot = await snapshotDistribution({ id, client: cf, withoutOrigin: props.apiOriginId ?? 'backplane-api' });
    props = { ...props, snapshotJson: resnapshot.toJson() };
    switchConfig(ws, synthStack('resnapshot', props));
    // The new snapshot re-arms guard 1 and the recorder (their terraform_data are replaced); the distribution is as live.
    await ws.apply();
    expect(differences(canon(withoutAdditions(await liveConfig())), canon(before))).toEqual([]);
    const replan = await ws.replan();
    expect(replan.unexpected).toEqual([]);
  });

  it('detaches (attach: false): the distribution is back to the snapshot', async () => {
    switchConfig(ws, synthStack('detach', { ...props, attach: false }));
    await ws.apply();
    const after = await liveConfig();
    // Origins are a set to CloudFront (their order carries no meaning): compared as one.
    expect(after.Origins?.Items?.map((o) => o.Id).sort()).toEqual(['frontend-s3', 'legacy-app', 'media-s3']);
    expect(after.CacheBehaviors?.Items?.map((b) => b.PathPattern)).toEqual(['/assets/*', '/images/*', '/legacy/*', '/media/*', '/*.html']);
    expect(differences(canon(after), canon(before))).toEqual([]);
  });

  it('forgets it with a removed block (destroy = false), then destroys the rest: the frontend survives as it was', async () => {
    switchConfig(ws, synthStack('release', { ...props, attach: false, release: true }));
    await ws.apply();
    expect(await ws.resourceAddresses()).not.toContain('aws_cloudfront_distribution.frontend');
    await ws.destroy();
    const after = await liveConfig();
    expect(differences(canon(after), canon(before))).toEqual([]);
    expect((await cf.send(new GetDistributionCommand({ Id: id }))).Distribution?.DistributionConfig?.Enabled).toBe(true);
    expect(await tags()).toEqual(expect.arrayContaining(TAGS));
  });
});

describeWithEngine('CloudFront: what Terraform itself evaluates (no cloud)', () => {
  const dir = path.join(E2E_WORK_ROOT, `${RUN}-eval`);
  const base = JSON.parse(fs.readFileSync(FRONTEND_FIXTURE, 'utf8'));

  beforeAll(() => {
    // The construct's locals in module form (every prop a variable), alone: `terraform console` needs no init.
    const stack = new TerraformStack(new App({ skipValidation: true }), 'eval');
    const variable = (name: string) => new TerraformVariable(stack, name, { type: 'string' }).stringValue;
    new CloudFrontOrigin(stack, 'frontend', {
      distributionId: variable('distribution_id'),
      snapshotJson: variable('distribution_snapshot_json'),
      apiOriginDomainName: variable('api_origin_domain_name'),
      pathPattern: variable('path_pattern'),
      adopt: false,
    });
    const synthesized = JSON.parse(Testing.synth(stack));
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(
      path.join(dir, 'main.tf.json'),
      JSON.stringify({ variable: synthesized.variable, locals: synthesized.locals }, null, 2),
    );
  });

  async function evaluate(expression: string, patterns: string[], pathPattern = '/api/*'): Promise<unknown> {
    const snap = structuredClone(base);
    const template = snap.DistributionConfig.CacheBehaviors.Items[0];
    snap.DistributionConfig.CacheBehaviors = { Quantity: patterns.length, Items: patterns.map((p) => ({ ...template, PathPattern: p })) };
    const vars = path.join(dir, `vars-${patterns.length}-${Math.random().toString(36).slice(2)}.json`);
    fs.writeFileSync(
      vars,
      JSON.stringify({
        distribution_id: 'E1FRONTEND0001',
        distribution_snapshot_json: JSON.stringify(snap),
        api_origin_domain_name: 'origin-api.example.com',
        path_pattern: pathPattern,
      }),
    );
    const { stdout } = await execa('terraform', ['console', `-var-file=${vars}`], {
      cwd: dir,
      input: `jsonencode(${expression})`,
      env: { TF_CLI_CONFIG_FILE: '/dev/null', CHECKPOINT_DISABLE: '1', PATH: process.env.PATH },
    });
    return JSON.parse(JSON.parse(stdout.trim()));
  }

  it.each([
    [['/assets/*', '/images/*']],
    [['/assets/*', '/*', '/images/*']],
    [['/assets/*', '/a*', '/images/*']],
    [['*.js', '/assets/*']],
    [['/assets/*', 'ap*', 'images/*']],
    [['/api/v2/*', '/*']],
    [['/apiary/*', '/app/*']],
    [[]],
  ])('orders %j exactly as behaviorInsertIndex says', async (patterns) => {
    const expected = [...patterns];
    expected.splice(behaviorInsertIndex(patterns, '/api/*'), 0, '/api/*');
    expect(await evaluate('[for b in local.frontend_behaviors : b.PathPattern]', patterns)).toEqual(expected);
  });

  it('keeps the snapshot origins and adds the API origin last, names only (values stay in the sensitive map)', async () => {
    expect(
      await evaluate('[for o in local.frontend_origins : [o.Id, try(o.CustomOriginConfig.OriginProtocolPolicy, null)]]', ['/assets/*']),
    ).toEqual([
      ['frontend-s3', null],
      ['backplane-api', 'https-only'],
    ]);
  });
});

describeWithEngine('CloudFront: every aws_cloudfront_distribution argument of the provider is rendered', () => {
  it('covers the hashicorp/aws 5.100 schema (all arguments and nested blocks), tags left to their owner', async () => {
    const dir = path.join(E2E_WORK_ROOT, `${RUN}-schema`);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(
      path.join(dir, 'main.tf.json'),
      JSON.stringify({ terraform: { required_providers: { aws: { source: 'hashicorp/aws', version: '>= 5.100, < 7' } } } }),
    );
    const rc = path.join(dir, 'terraformrc');
    fs.writeFileSync(rc, 'provider_installation {\n  filesystem_mirror {\n    path = "/opt/tf-plugins"\n  }\n}\n');
    const env = { TF_CLI_CONFIG_FILE: rc, CHECKPOINT_DISABLE: '1', PATH: process.env.PATH };
    await execa('terraform', ['init', '-input=false', '-no-color'], { cwd: dir, env });
    const schema = JSON.parse(
      (await execa('terraform', ['providers', 'schema', '-json'], { cwd: dir, env, maxBuffer: 512 * 1024 * 1024 })).stdout,
    );
    const block = schema.provider_schemas['registry.terraform.io/hashicorp/aws'].resource_schemas.aws_cloudfront_distribution.block;

    interface SchemaBlock {
      attributes?: Record<string, { optional?: boolean; required?: boolean }>;
      block_types?: Record<string, { block: SchemaBlock }>;
    }
    const settable = (b: SchemaBlock, at: string): string[] => [
      ...Object.entries(b.attributes ?? {})
        .filter(([, a]) => a.optional || a.required)
        .map(([n]) => `${at}${n}`),
      ...Object.entries(b.block_types ?? {}).flatMap(([n, t]) => [`${at}${n}`, ...settable(t.block, `${at}${n}.`)]),
    ];
    const stack = new TerraformStack(new App({ skipValidation: true }), 'schema');
    new CloudFrontOrigin(stack, 'frontend', {
      distributionId: 'E1FRONTEND0001',
      snapshotJson: JSON.stringify(base()),
      apiOriginDomainName: 'origin-api.example.com',
    });
    const resource = JSON.parse(Testing.synth(stack)).resource.aws_cloudfront_distribution.frontend;
    const rendered = (b: Record<string, unknown>, at: string): string[] =>
      Object.entries(b).flatMap(([k, v]) => {
        if (k === '//' || k === 'lifecycle') return [];
        if (k === 'dynamic')
          return Object.entries(v as Record<string, { content: Record<string, unknown> }>).flatMap(([n, d]) => [
            `${at}${n}`,
            ...rendered(d.content, `${at}${n}.`),
          ]);
        if (typeof v === 'object' && v !== null && !Array.isArray(v))
          return [`${at}${k}`, ...rendered(v as Record<string, unknown>, `${at}${k}.`)];
        return [`${at}${k}`];
      });
    const missing = settable(block, '').filter((a) => !rendered(resource, '').includes(a));
    // id: the import address; tags/tags_all: ignore_changes, they belong to whoever tagged the distribution.
    expect(missing.sort()).toEqual(['id', 'tags', 'tags_all']);
  });

  function base(): unknown {
    return JSON.parse(fs.readFileSync(FRONTEND_FIXTURE, 'utf8'));
  }
});
