/**
 * Finds and loads the user's config: `--config <file>` (default ./backplane.config.ts, then .js/.cjs/.json),
 * or the built-in example (`--example`, or inside this repository when there is no config). A `.ts` config is
 * compiled in memory with esbuild's `transformSync` (its own `.ts` imports too) — a dependency of Backplane, so nothing
 * else has to be installed, and independent of the `typescript` version a project has (TypeScript 7's native compiler
 * has no transpileModule-compatible JavaScript API); `import ... from 'backplane'` resolves to the running CLI's own
 * package, so a config works even before the package is installed.
 */
import * as fs from 'fs';
import Module from 'module';
import * as path from 'path';
import type { BackplaneConfigInput } from '../config';
import { UserError } from './errors';
import { heavy } from './heavy-loader';
import { cacheKey, userCacheDir, writeCacheEntry } from './user-cache';

export const CONFIG_NAMES = ['backplane.config.ts', 'backplane.config.js', 'backplane.config.cjs', 'backplane.config.json'];

export interface LoadedConfig {
  readonly input: BackplaneConfigInput;
  /** The file, relative to the working directory where possible (for messages). */
  readonly file: string;
  /** Its directory: relative paths in the config (snapshot, handlers) resolve from here. */
  readonly dir: string;
  readonly builtIn: boolean;
}

export interface LoadOptions {
  readonly config?: string;
  readonly example?: boolean;
  readonly cwd: string;
  /** Called with a notice (e.g. "using the built-in example"). */
  readonly notice?: (text: string) => void;
}

/** The directory of this package (holds package.json "name": "backplane"), from src/cli or dist/src/cli. */
export function packageRoot(): string {
  let dir = __dirname;
  for (let i = 0; i < 5; i++) {
    const pj = path.join(dir, 'package.json');
    if (fs.existsSync(pj) && JSON.parse(fs.readFileSync(pj, 'utf8')).name === 'backplane') return dir;
    dir = path.dirname(dir);
  }
  return path.resolve(__dirname, '..', '..');
}

/** The running Backplane's version (package.json). */
export function backplaneVersion(): string {
  return JSON.parse(fs.readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')).version as string;
}

export const BUILT_IN_EXAMPLE = path.join('examples', 'fullstack', 'backplane.config.ts');

function builtInExample(cwd: string): LoadedConfig {
  const root = packageRoot();
  const dir = path.join(root, 'examples', 'fullstack');
  return {
    input: heavy().builtInExample,
    file: path.relative(cwd, path.join(dir, 'backplane.config.ts')) || 'backplane.config.ts',
    dir,
    builtIn: true,
  };
}

const isInside = (child: string, parent: string) => {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
};

export function loadConfig(options: LoadOptions): LoadedConfig {
  if (options.example) return builtInExample(options.cwd);
  let file: string | undefined;
  if (options.config) {
    file = path.resolve(options.cwd, options.config);
    if (!fs.existsSync(file)) throw new UserError(`config file ${options.config} not found (run \`backplane init\` to create one)`);
  } else {
    file = CONFIG_NAMES.map((n) => path.join(options.cwd, n)).find((f) => fs.existsSync(f));
  }
  if (!file) {
    const root = packageRoot();
    if (isInside(options.cwd, root) && fs.existsSync(path.join(root, BUILT_IN_EXAMPLE))) {
      options.notice?.(`no backplane.config.ts here: using the built-in example (${BUILT_IN_EXAMPLE})`);
      return builtInExample(options.cwd);
    }
    throw new UserError(
      `no backplane.config.ts in ${options.cwd}: run \`backplane init\` to create one, pass --config <file>, or --example for the built-in example`,
    );
  }
  const shown = path.relative(options.cwd, file) || path.basename(file);
  return { input: loadConfigFile(file, shown), file: shown, dir: path.dirname(file), builtIn: false };
}

/** Loads a config module and returns its default export (or the JSON). */
export function loadConfigFile(file: string, shown = file): BackplaneConfigInput {
  let mod: unknown;
  try {
    if (file.endsWith('.json')) mod = JSON.parse(fs.readFileSync(file, 'utf8'));
    else mod = withConfigLoader(() => require(file));
  } catch (err) {
    if (err instanceof UserError) throw err;
    const e = err as Error & { code?: string };
    if (e.code === 'ERR_REQUIRE_ESM')
      throw new UserError(`${shown} is an ES module: name it backplane.config.ts (compiled by Backplane) or .cjs`);
    const where = e instanceof SyntaxError ? ' (syntax error)' : '';
    throw new UserError(`could not load ${shown}${where}: ${String(e.message).split('\n')[0]}`);
  }
  return defaultExport(mod, file, shown);
}

/** The config object a module exports: its default export (or `module.exports`), never empty. */
function defaultExport(mod: unknown, file: string, shown: string): BackplaneConfigInput {
  const how = 'must export the config as its default export: export default defineConfig({ name, domain, service, edge, ... })';
  const m = mod as Record<string, unknown> | undefined;
  const isModule = !file.endsWith('.json') && !!m && typeof m === 'object' && m.__esModule === true;
  if (isModule && !('default' in m)) {
    const named = Object.keys(m).filter((k) => k !== '__esModule');
    throw new UserError(`${shown} ${how} (it has ${named.length ? `only named exports: ${named.join(', ')}` : 'no exports'})`);
  }
  const value = isModule ? m.default : mod;
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new UserError(`${shown} ${how} (its default export is ${Array.isArray(value) ? 'a list' : String(value)})`);
  if (Object.keys(value).length === 0) throw new UserError(`${shown} ${how} (it is empty)`);
  return value as BackplaneConfigInput;
}

type Extensions = Record<string, (m: NodeModule, filename: string) => void>;
type Resolver = (request: string, parent: unknown, ...rest: unknown[]) => string;

/**
 * Runs `load` with a `.ts` compiler hook and the `backplane` import alias installed, then removes both. Under a
 * test runner with its own module system (jest) `require.extensions` is not used and the hooks are inert.
 */
function withConfigLoader<T>(load: () => T): T {
  const extensions = (require as unknown as { extensions?: Extensions }).extensions;
  const M = Module as unknown as { _resolveFilename: Resolver };
  const previousTs = extensions?.['.ts'];
  const previousResolve = M._resolveFilename;
  // dist/config-entry.js: defineConfig at once, the rest of the library (dist/lib.js) only if the config uses it.
  const selfEntry = path.join(packageRoot(), 'dist', 'config-entry.js');
  if (extensions && !previousTs) {
    extensions['.ts'] = (m, filename) => {
      (m as unknown as { _compile(code: string, name: string): void })._compile(compileTypeScript(filename), filename);
    };
  }
  if (fs.existsSync(selfEntry)) {
    M._resolveFilename = function (request: string, parent: unknown, ...rest: unknown[]) {
      if (request === 'backplane') return selfEntry;
      return previousResolve.call(this, request, parent, ...rest);
    };
  }
  try {
    return load();
  } finally {
    if (extensions && !previousTs) delete extensions['.ts'];
    M._resolveFilename = previousResolve;
  }
}

interface EsbuildError {
  errors?: { text: string; location?: { line: number } | null }[];
}

/**
 * Where compiled configs are kept (the user's cache directory, never a shared temporary one): compiling starts
 * esbuild's service (~80 ms), so a config that did not change is read back instead. The key covers the source, its
 * path and the Backplane version (which pins esbuild and the options).
 */
function compiledCachePath(filename: string, source: string): string {
  return path.join(userCacheDir('config-js'), `${cacheKey([backplaneVersion(), filename, source])}.js`);
}

/** A `.ts` file as CommonJS (types stripped, no type check: tsc's job), or a SyntaxError naming file and line. */
function compileTypeScript(filename: string): string {
  const source = fs.readFileSync(filename, 'utf8');
  const cached = compiledCachePath(filename, source);
  try {
    return fs.readFileSync(cached, 'utf8');
  } catch {
    // not compiled yet
  }
  const code = transpile(filename, source);
  writeCacheEntry(cached, code);
  return code;
}

function transpile(filename: string, source: string): string {
  // Loaded only for a .ts config: the built-in example and .js/.json configs never pay for it.
  const esbuild = require('esbuild') as typeof import('esbuild');
  try {
    return esbuild.transformSync(source, {
      loader: 'ts',
      format: 'cjs',
      target: 'node20',
      sourcefile: filename,
      sourcemap: 'inline',
    }).code;
  } catch (err) {
    const first = (err as EsbuildError).errors?.[0];
    if (!first) throw err;
    const line = first.location ? `:${first.location.line}` : '';
    throw new SyntaxError(`${path.basename(filename)}${line}: ${first.text}`);
  }
}
