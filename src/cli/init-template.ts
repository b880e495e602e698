/**
 * The starter `backplane.config.ts` that `backplane init` writes: the answers as a config object (validated with
 * the real schema before anything is written) and its TypeScript text, with a comment on each choice.
 */
import type { BackplaneConfigInput } from '../config';

export interface InitAnswers {
  readonly name: string;
  readonly domain: string;
  readonly region: string;
  /** dev, staging, prod or any name the schema's stageName admits (validated with the rest of the answers). */
  readonly stage: string;
  /** An existing CloudFront distribution to attach /api/* to; undefined = api.<domain> straight to the ALB. */
  readonly distributionId?: string;
  readonly subdomain: string;
  /** Absent: the stage's default (a NAT instance; a NAT Gateway per AZ on a protected stage). */
  readonly nat?: 'none' | 'instance' | 'gateway';
  readonly database: 'postgres' | 'aurora-serverless' | 'none';
  readonly cache: 'valkey' | 'redis' | 'none';
  /** A Dockerfile sits next to the config: `service.build` (deploy builds, pushes and pins it) instead of a tag. */
  readonly build?: boolean;
  readonly state:
    | { readonly backend: 'local' }
    | { readonly backend: 's3'; readonly bucket: string; readonly region: string; readonly key: string }
    | { readonly backend: 'cloud'; readonly organization: string; readonly workspace: string };
}

export const SNAPSHOT_FILE = 'frontend-distribution.json';

/** The answers as a config input (what the written file exports). */
export function configFromAnswers(a: InitAnswers): BackplaneConfigInput {
  return {
    name: a.name,
    stage: a.stage,
    region: a.region,
    domain: a.domain,
    ...(a.nat ? { network: { nat: a.nat } } : {}),
    service: {
      ...(a.build ? { build: { context: '.' } } : { imageTag: 'v1' }),
      cpu: 256,
      memory: 512,
      architecture: 'arm64',
      scaling: { max: 4 },
    },
    edge: a.distributionId
      ? { mode: 'attach', distributionId: a.distributionId, snapshotFile: SNAPSHOT_FILE, pathPattern: '/api/*' }
      : { mode: 'subdomain', subdomain: a.subdomain },
    dns: { provider: 'manual' },
    ...(a.database === 'none' ? {} : { database: { engine: a.database } }),
    ...(a.cache === 'none' ? {} : { cache: { engine: a.cache } }),
    state: a.state,
  } as BackplaneConfigInput;
}

const q = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

const NAT_COMMENT: Record<NonNullable<InitAnswers['nat']>, string> = {
  none: 'cheapest secure shape: tasks in public subnets, reachable only from the load balancer; data tier private',
  instance: 'a t4g.nano NAT instance (~$6.72/month): tasks in private subnets',
  gateway: 'a managed NAT Gateway (~$36.50/month): highly available egress',
};

/** The TypeScript text of the starter config. */
export function renderConfig(a: InitAnswers): string {
  const edge = a.distributionId
    ? [
        '  edge: {',
        '    // Adds /api/* to your existing distribution; everything else on it stays exactly as it is.',
        '    // Snapshot it first: npx backplane cloudfront snapshot (writes the file below; commit it).',
        "    mode: 'attach',",
        `    distributionId: ${q(a.distributionId)},`,
        `    snapshotFile: ${q(SNAPSHOT_FILE)},`,
        "    pathPattern: '/api/*',",
        '  },',
      ]
    : [
        '  // The API at its own name, straight to the load balancer; nothing that exists is touched.',
        `  edge: { mode: 'subdomain', subdomain: ${q(a.subdomain)} },`,
      ];
  const state =
    a.state.backend === 's3'
      ? [
          `  // Versioned, encrypted bucket with lockfile locking (created by backplane init --backend s3). See docs/state.md.`,
          `  state: { backend: 's3', bucket: ${q(a.state.bucket)}, region: ${q(a.state.region)}, key: ${q(a.state.key)} },`,
        ]
      : a.state.backend === 'cloud'
        ? [
            '  // HCP Terraform runs plan/apply remotely and keeps the state. See docs/state.md.',
            `  state: { backend: 'cloud', organization: ${q(a.state.organization)}, workspace: ${q(a.state.workspace)} },`,
          ]
        : [
            "  // Local state: fine to try things; use 's3' or 'cloud' for real deployments (docs/state.md).",
            "  state: { backend: 'local' },",
          ];
  return [
    '/**',
    ` * Backplane config for ${a.name}. \`npx backplane cost\` prices it, \`npx backplane doctor\` checks your machine,`,
    ' * `npx backplane deploy` deploys it (with service.build it builds and pushes the app image first).',
    ' */',
    "import { defineConfig } from 'backplane';",
    '',
    'export default defineConfig({',
    `  name: ${q(a.name)},`,
    `  stage: ${q(a.stage)},`,
    `  region: ${q(a.region)},`,
    `  domain: ${q(a.domain)},`,
    ...(a.nat
      ? [`  // ${NAT_COMMENT[a.nat]}`, `  network: { nat: ${q(a.nat)} },`]
      : ["  // network.nat: the stage's default, a t4g.nano NAT instance (a NAT Gateway per AZ on prod); see `npx backplane cost`"]),
    '  service: {',
    a.build
      ? "    build: { context: '.' }, // deploy builds ./Dockerfile (docker buildx, linux/arm64), pushes it, pins its digest in backplane.images.json"
      : "    imageTag: 'v1', // no Dockerfile here yet: add one and replace this line with build: { context: '.' } (deploy then builds, pushes and pins it)",
    '    cpu: 256, // 0.25 vCPU',
    '    memory: 512, // MiB',
    "    architecture: 'arm64', // Graviton: ~20 % cheaper than x86_64",
    '    scaling: { max: 4 }, // at least 1 task (2 on prod, spread over AZs)',
    '  },',
    ...edge,
    "  // 'manual': deploy prints the DNS records to create; or { provider: 'route53', zoneId } / { provider: 'cloudflare', zoneId }",
    "  dns: { provider: 'manual' },",
    ...(a.database === 'none'
      ? []
      : [
          `  database: { engine: ${q(a.database)} }, // ${a.database === 'postgres' ? 'RDS PostgreSQL db.t4g.micro, 20 GB gp3' : 'Aurora Serverless v2, 0.5-2 ACU'}`,
        ]),
    ...(a.cache === 'none' ? [] : [`  cache: { engine: ${q(a.cache)} }, // cache.t4g.micro, TLS + auth token`]),
    ...state,
    '});',
    '',
  ].join('\n');
}
