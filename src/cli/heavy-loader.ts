/** Loads the CLI's heavy half (heavy.ts; dist/cli-heavy.js in the package) on first use: Node caches the module. */
export function heavy(): typeof import('./heavy') {
  // A literal require: scripts/bundle.mjs points it at dist/cli-heavy.js; under ts-jest it is heavy.ts.
  return require('./heavy') as typeof import('./heavy');
}
