/**
 * Packages a TypeScript/JavaScript Lambda handler as a single Bun binary named `bootstrap` for the
 * `provided.al2023` runtime (no layer): `bun build --compile --target=bun-linux-<arch> --minify`.
 *
 * Two steps, so the output path depends only on what ends up in the binary:
 *  1. bundle a generated entry (the runtime loop of ./runtime + a lazy import of the handler) into one JS file;
 *  2. hash that bundle with the compile flags and bun's version; if `<outDir>/<arch>-<hash>/bootstrap` exists, reuse it,
 *     otherwise compile the bundle into it. Repeated synths of unchanged code therefore neither recompile nor
 *     change the asset (compiling the same bundle to the same file name gives byte-identical binaries here).
 *
 * Cross-compiling (arm64 on an x64 host) makes bun download the target's runtime once from registry.npmjs.org
 * (`@oven/bun-linux-aarch64`, ~40 MB) into ~/.bun/install/cache (or $BUN_INSTALL_CACHE_DIR). Offline with an
 * empty cache bun prints `Failed to download 'bun-linux-aarch64-v<version>': ConnectionRefused` and exits 1;
 * that is turned into an error that says what to do. The host's own target needs no download.
 */
import { spawnSync } from 'child_process';
import { createHash, randomBytes } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export type BunLambdaArch = 'arm64' | 'x64';

export interface PackageBunLambdaOptions {
  /** The handler module: exports `handler(event, context)` (or a default export that is one). */
  readonly handlerPath: string;
  /** Where packages are kept: each build goes to `<outDir>/<arch>-<hash>/bootstrap`. */
  readonly outDir: string;
  /**
   * CPU architecture of the Lambda function.
   * @default 'arm64'
   */
  readonly arch?: BunLambdaArch;
  /**
   * The bun executable.
   * @default $BUN_PATH, else node_modules/.bin/bun found upward from the handler, the working directory or this
   * package, else `bun` on the PATH
   */
  readonly bunPath?: string;
  /** Environment for the bun processes (e.g. BUN_INSTALL_CACHE_DIR). @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /**
   * Builds kept in `outDir` (each ~105 MiB plus its zip); after a new build, the least recently used beyond
   * this are deleted, never one this process has returned. A deleted build is simply compiled again when needed.
   * @default 8
   */
  readonly keepBuilds?: number;
}

const TARGETS: Record<BunLambdaArch, string> = { arm64: 'bun-linux-arm64', x64: 'bun-linux-x64' };

/** Compiles the handler into `<outDir>/<arch>-<hash>/bootstrap` (mode 755) and returns that directory. */
export function packageBunLambda(options: PackageBunLambdaOptions): string {
  const arch = options.arch ?? 'arm64';
  if (!(arch in TARGETS)) {
    throw new Error(`packageBunLambda: arch is ${JSON.stringify(arch)}; allowed: 'arm64' (Graviton, the default) or 'x64'`);
  }
  const handlerPath = path.resolve(options.handlerPath);
  if (!fs.existsSync(handlerPath) || !fs.statSync(handlerPath).isFile()) {
    throw new Error(`packageBunLambda: handlerPath ${JSON.stringify(options.handlerPath)} is not a file (resolved to ${handlerPath})`);
  }
  const outDir = path.resolve(options.outDir);
  const bun = options.bunPath ?? findBun([path.dirname(handlerPath), process.cwd(), __dirname], options.env ?? process.env);
  const env = options.env ?? process.env;
  const version = bunVersion(bun, env);
  const target = TARGETS[arch];

  fs.mkdirSync(outDir, { recursive: true });
  const staging = fs.mkdtempSync(path.join(outDir, '.staging-'));
  try {
    const entry = path.join(staging, 'entry.ts');
    fs.writeFileSync(entry, entrySource(runtimeModule(), handlerPath));
    const bundle = path.join(staging, 'bundle.js');
    run(bun, ['build', entry, '--target=bun', '--minify', '--outfile', bundle], env, 'bundling the handler');

    // The binary takes its configuration from the Lambda environment only: no .env or bunfig.toml from the cwd.
    const flags = ['--compile', `--target=${target}`, '--minify', '--no-compile-autoload-dotenv', '--no-compile-autoload-bunfig'];
    const hash = createHash('sha256')
      .update(`${flags.join(' ')}\0bun ${version}\0`)
      .update(fs.readFileSync(bundle));
    const name = `${arch}-${hash.digest('hex').slice(0, 16)}`;
    const dir = path.join(outDir, name);
    const bootstrap = path.join(dir, 'bootstrap');
    inUse.add(dir);
    if (fs.existsSync(bootstrap)) {
      const now = new Date();
      fs.utimesSync(dir, now, now); // most recently used: kept by pruneBuilds
      return dir;
    }

    const tmp = path.join(outDir, `.${name}-${randomBytes(4).toString('hex')}`);
    fs.mkdirSync(tmp);
    try {
      const args = ['build', bundle, ...flags, '--outfile', path.join(tmp, 'bootstrap')];
      run(bun, args, env, `compiling for ${target}`);
      fs.chmodSync(path.join(tmp, 'bootstrap'), 0o755);
      try {
        fs.renameSync(tmp, dir);
      } catch (e) {
        // Another process built the same hash first: theirs is identical.
        if (!fs.existsSync(bootstrap)) throw e;
      }
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
    pruneBuilds(outDir, options.keepBuilds ?? 8);
    return dir;
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

/** Builds returned in this process: a synth of many functions copies them after every constructor ran. */
const inUse = new Set<string>();

/** Deletes the least recently used `<arch>-<hash>` builds (and their zips) beyond the newest `keep`. */
function pruneBuilds(outDir: string, keep: number): void {
  const builds = fs
    .readdirSync(outDir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && /^(arm64|x64)-[0-9a-f]{16}$/.test(e.name))
    .map((e) => ({ name: e.name, used: fs.statSync(path.join(outDir, e.name)).mtimeMs }))
    .sort((a, b) => b.used - a.used);
  for (const old of builds.slice(Math.max(0, keep)).filter((b) => !inUse.has(path.join(outDir, b.name)))) {
    fs.rmSync(path.join(outDir, old.name), { recursive: true, force: true });
    fs.rmSync(path.join(outDir, `${old.name}.zip`), { force: true });
  }
}

/** The default package cache: node_modules/.cache/backplane/bun-lambda under the working directory, else the temp dir. */
export function defaultBunLambdaOutDir(cwd = process.cwd()): string {
  const nm = path.join(cwd, 'node_modules');
  return fs.existsSync(nm) ? path.join(nm, '.cache', 'backplane', 'bun-lambda') : path.join(os.tmpdir(), 'backplane-bun-lambda');
}

/**
 * The runtime loop's source next to this file (.ts under ts-jest/ts-node, .js once compiled), or, from the
 * bundled app (dist/app.js, `npm run bundle`), the compiled copy under dist/src/lambda.
 */
function runtimeModule(): string {
  for (const dir of [__dirname, path.join(__dirname, 'src', 'lambda')]) {
    for (const ext of ['.ts', '.js']) {
      const p = path.join(dir, `runtime${ext}`);
      if (fs.existsSync(p)) return p;
    }
  }
  throw new Error(`packageBunLambda: the runtime loop (runtime.ts or runtime.js) is missing from ${__dirname}`);
}

function entrySource(runtime: string, handler: string): string {
  return [
    '// Generated by backplane packageBunLambda: the Lambda runtime loop around the handler.',
    `import { startRuntime } from ${JSON.stringify(runtime)};`,
    `startRuntime(() => import(${JSON.stringify(handler)}));`,
    '',
  ].join('\n');
}

/** Locates bun: $BUN_PATH, node_modules/.bin/bun upward from each start directory, then `bun` on the PATH. */
export function findBun(starts: readonly string[], env: NodeJS.ProcessEnv = process.env): string {
  if (env.BUN_PATH) return env.BUN_PATH;
  for (const start of starts) {
    for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
      const candidate = path.join(dir, 'node_modules', '.bin', 'bun');
      if (fs.existsSync(candidate)) return candidate;
      if (path.dirname(dir) === dir) break;
    }
  }
  for (const dir of (env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, 'bun');
    if (fs.existsSync(candidate)) return candidate;
  }
  throw new Error(
    'packageBunLambda: bun was not found (looked for $BUN_PATH, node_modules/.bin/bun and `bun` on the PATH). ' +
      'Install it in the project with `npm i -D bun` (or see https://bun.sh/docs/installation), or pass bunPath.',
  );
}

function bunVersion(bun: string, env: NodeJS.ProcessEnv): string {
  const r = spawnSync(bun, ['--version'], { env, encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    throw new Error(`packageBunLambda: could not run ${bun} --version: ${r.error?.message ?? r.stderr.trim()}`);
  }
  return r.stdout.trim();
}

function run(bun: string, args: string[], env: NodeJS.ProcessEnv, what: string): void {
  const r = spawnSync(bun, args, { env, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (r.error) throw new Error(`packageBunLambda: ${what} failed: could not run ${bun}: ${r.error.message}`);
  if (r.status === 0) return;
  const output = `${r.stderr}\n${r.stdout}`.trim();
  const download = /Failed to download '([^']+)': *(\S+)/.exec(output);
  if (download) {
    throw new Error(
      `packageBunLambda: ${what} needs the ${download[1]} runtime, which bun downloads once from registry.npmjs.org ` +
        `and caches in ~/.bun/install/cache (or $BUN_INSTALL_CACHE_DIR); the download failed (${download[2]}). ` +
        'Run the build once with network access to fill the cache, build on a host of the target architecture, ' +
        "or use arch 'x64' (the host target needs no download on an x64 machine).",
    );
  }
  throw new Error(`packageBunLambda: ${what} failed (bun exited ${r.status ?? r.signal}):\n${output}`);
}
