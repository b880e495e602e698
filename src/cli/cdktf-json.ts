/**
 * The cdktf.json `backplane init` writes next to the config, so the CDK CLIs drive the same app as `backplane`:
 * `cdktn synth|deploy` (cdktn-cli) and the archived `cdktf synth|deploy` run Backplane's bundled app, which reads
 * ./backplane.config.ts (or BACKPLANE_CONFIG) and keeps the local state next to it, as `backplane deploy` does.
 */
import * as fs from 'fs';
import * as path from 'path';

/** The app command: the bundled app of the installed package, started through V8's code cache (dist/app.js). */
export const CDKTF_APP = 'node node_modules/backplane/dist/app.js';

export function cdktfJson(projectId: string): string {
  const json = {
    language: 'typescript',
    app: CDKTF_APP,
    projectId,
    sendCrashReports: 'false',
    terraformProviders: [],
    terraformModules: [],
    context: {},
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}

/** Writes `<dir>/cdktf.json` unless one exists (a project's own is never overwritten); returns whether it wrote. */
export function writeCdktfJson(dir: string, projectId: string): boolean {
  const file = path.join(dir, 'cdktf.json');
  if (fs.existsSync(file)) return false;
  fs.writeFileSync(file, cdktfJson(projectId));
  return true;
}
