/**
 * Loads the CLI's heavy half on first use: in the package, dist/cli-heavy.js next to the bundled CLI (dist/cli.js)
 * through V8's code cache (src/code-cache.ts); from source (ts-jest, dist/src) heavy.ts.
 */
import * as fs from 'fs';
import * as path from 'path';
import { loadWithCodeCache } from '../code-cache';

type Heavy = typeof import('./heavy');
let loaded: Heavy | undefined;

export function heavy(): Heavy {
  if (loaded) return loaded;
  const bundle = path.join(__dirname, 'cli-heavy.js');
  const bundled = path.basename(__filename) === 'cli.js' && fs.existsSync(bundle);
  // A literal require for the source layout (scripts/bundle.mjs keeps it out of dist/cli.js).
  loaded = (bundled ? loadWithCodeCache(bundle, module) : require('./heavy')) as Heavy;
  return loaded;
}
