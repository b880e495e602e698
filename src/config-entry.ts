/**
 * What `import ... from 'backplane'` resolves to while the CLI loads a backplane.config.ts (src/cli/load-config.ts):
 * `defineConfig` at once, anything else from the library (dist/lib.js next to this bundle, ~3 MB to compile) only
 * when the config uses it. A config needs only `defineConfig` and types, so `backplane cost` never compiles the
 * library beside the CLI's own copy.
 */
import * as path from 'path';

/** The same identity as the library's `defineConfig` (src/config): the typing is all it adds. */
const defineConfig = <T>(config: T): T => config;

const library = () => require(path.join(__dirname, 'lib.js')) as Record<string | symbol, unknown>;

module.exports = new Proxy({ defineConfig } as Record<string | symbol, unknown>, {
  get: (own, name) => (name in own ? own[name] : library()[name]),
  has: (own, name) => name in own || name in library(),
});
