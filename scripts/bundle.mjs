#!/usr/bin/env node
/**
 * Bundles what the package runs (esbuild; `npm run build` calls it after tsc, which only adds the .d.ts files):
 *
 *   dist/lib.js        the library (`require('backplane')`): src/index.ts with the provider classes it uses
 *   dist/cli.js        the `backplane` command's light half: argument parsing, help, dispatch (starts in ~0.1 s)
 *   dist/cli-heavy.js  the CLI's heavy half (synthesis, cost, diagram, Terraform, the AWS calls), loaded by a
 *                      command when it runs (src/cli/heavy.ts)
 *   dist/app.bundle.js the cdktn app (main.ts), what `cdktf.json` runs through dist/app.js
 *
 * Every package in `dependencies` stays external (installed next to Backplane). Everything else the code imports is
 * bundled: the @cdktn/provider-aws classes (one module per resource, ~100 of the package's 476 MB are used) and the
 * generated Cloudflare bindings (@cdktf/provider-cloudflare, built against HashiCorp's cdktf and aliased to cdktn here,
 * so a user never installs either package nor needs npm `overrides`). No binding is written by hand.
 *
 * Usage: node scripts/bundle.mjs [--outdir dist] [--root .]
 */
import * as fs from 'fs';
import * as path from 'path';
import { fileURLToPath } from 'url';
import * as esbuild from 'esbuild';

const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const root = path.resolve(option('--root', repo));
const outdir = path.resolve(option('--outdir', path.join(root, 'dist')));
const pkg = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8'));

/** Installed with Backplane: resolved at run time, never copied into a bundle. */
const external = Object.keys(pkg.dependencies ?? {}).flatMap((name) => [name, `${name}/*`]);

/**
 * The AWS SDK clients the CLI uses, one bundle each (dist/sdk/client-ecs.js, ...), loaded by the first command that
 * builds such a client. Installed as packages they would be ~60 MB (each ships ES modules and type declarations
 * beside the CommonJS build Node runs); bundled they are ~1 MB each.
 */
const SDK_CLIENTS = [
  'acm',
  'cloudfront',
  'cloudwatch',
  'cloudwatch-logs',
  'ecr',
  'ecs',
  'elastic-load-balancing-v2',
  'elasticache',
  'rds',
  's3',
  'secrets-manager',
  'sesv2',
  'sqs',
  'ssm',
  'sts',
].map((c) => `@aws-sdk/client-${c}`);

/** Any other bundle reaches an SDK client through its own bundle (required at run time, relative to dist/). */
const sdkIsExternal = {
  name: 'sdk-external',
  setup(build) {
    build.onResolve({ filter: /^@aws-sdk\/client-[a-z0-9-]+$/ }, (a) => {
      if (!SDK_CLIENTS.includes(a.path))
        throw new Error(`${a.importer} imports ${a.path}: add it to SDK_CLIENTS in scripts/bundle.mjs (and devDependencies)`);
      return { path: `./sdk/${a.path.slice('@aws-sdk/'.length)}.js`, external: true };
    });
  },
};

/** The CLI's light half reaches its heavy half only through `require('./heavy')` (src/cli/heavy-loader.ts). */
const heavyIsExternal = {
  name: 'cli-heavy-external',
  setup(build) {
    build.onResolve({ filter: /^\.\/heavy$/ }, (a) =>
      a.resolveDir.endsWith(path.join('src', 'cli')) ? { path: './cli-heavy.js', external: true } : undefined,
    );
  },
};

const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external,
  // The Cloudflare bindings import HashiCorp's `cdktf`; cdktn is its API-compatible continuation.
  alias: { cdktf: 'cdktn' },
  // `await import('@aws-sdk/client-ecs')` (a command's lazy SDK load) becomes require() + esbuild's ESM interop: a
  // real import() of a CommonJS bundle exposes only `default` (Node cannot see a bundle's named exports), so
  // `new ecs.ECSClient(...)` would not be a constructor.
  supported: { 'dynamic-import': false },
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
};

const builds = [
  { entryPoints: ['src/index.ts'], outfile: path.join(outdir, 'lib.js'), plugins: [sdkIsExternal] },
  { entryPoints: ['src/cli/index.ts'], outfile: path.join(outdir, 'cli.js'), plugins: [heavyIsExternal, sdkIsExternal] },
  { entryPoints: ['src/cli/heavy.ts'], outfile: path.join(outdir, 'cli-heavy.js'), plugins: [sdkIsExternal] },
  { entryPoints: ['src/config-entry.ts'], outfile: path.join(outdir, 'config-entry.js') },
  { entryPoints: ['main.ts'], outfile: path.join(outdir, 'app.bundle.js'), sourcemap: 'external', plugins: [sdkIsExternal] },
  { entryPoints: ['src/app-launcher.ts'], outfile: path.join(outdir, 'app.js'), minifyWhitespace: false, minifySyntax: false },
  ...SDK_CLIENTS.map((client) => ({
    stdin: { contents: `module.exports = require(${JSON.stringify(client)});`, resolveDir: repo, loader: 'js' },
    outfile: path.join(outdir, 'sdk', `${client.slice('@aws-sdk/'.length)}.js`),
    external: [],
  })),
];

const results = await Promise.all(builds.map((b) => esbuild.build({ ...common, ...b })));
if (args.includes('--report')) {
  for (const [i, r] of results.entries()) {
    const bytes = Object.values(r.metafile.outputs).reduce((a, o) => a + o.bytes, 0);
    console.log(`${path.relative(root, builds[i].outfile)}: ${(bytes / 1e6).toFixed(2)} MB`);
  }
}
