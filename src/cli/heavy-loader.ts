/**
 * Loads the CLI's heavy half on first use: in the package, dist/cli-heavy.js next to the bundled CLI (dist/cli.js)
 * through V8's code cache (src/code-cache.ts); from source (ts-jest, dist/src) heavy.ts.
 */
import * as fs from 'fs';
import * as path from 'path';
import { loadWithCodeCache } from '../code-cache';

type Heavy = typeof import('./heavy');
let loaded: Heavy | undefined;

const bundle = path.join(__dirname, 'cli-heavy.js');
const isBundled = () => path.basename(__filename) === 'cli.js' && fs.existsSync(bundle);

/**
 * What identifies the code of the heavy half (synthesis and its checks): in the package, the bundle's size and
 * modification time, so a rebuilt or reinstalled bundle has a new identity; undefined from source, where the checks
 * are spread over many files (caches keyed on it stay off there).
 */
export function heavyBuildId(): string | undefined {
  if (!isBundled()) return undefined;
  const stat = fs.statSync(bundle);
  return `${stat.size}:${stat.mtimeMs}`;
}

export function heavy(): Heavy {
  if (loaded) return loaded;
  const bundled = isBundled();
  // A literal require for the source layout (scripts/bundle.mjs keeps it out of dist/cli.js).
  loaded = (bundled ? loadWithCodeCache(bundle, module) : require('./heavy')) as Heavy;
  return loaded;
}
