/**
 * The CDK CLIs, installed once into a cache outside the repo (~/.cache/backplane/cli-tools, or BACKPLANE_CLI_TOOLS):
 * cdktn-cli 0.24 (CDK Terrain's CLI, which needs Node >= 22: a Node 22 comes from the npm registry's `node` package)
 * and the archived cdktf-cli 0.21 (runs on this machine's Node 20).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import execa from 'execa';

export const CLI_TOOLS = process.env.BACKPLANE_CLI_TOOLS ?? path.join(os.homedir(), '.cache', 'backplane', 'cli-tools');
const VERSIONS = { node: '22', 'cdktn-cli': '0.24.0', 'cdktf-cli': '0.21.0' };

/** A binary of the installed tools, e.g. `cliToolBin('cdktn')`. */
export const cliToolBin = (name: string) => path.join(CLI_TOOLS, 'node_modules', '.bin', name);
/** The directory of Node 22's `node` (put first on PATH for cdktn-cli). */
export const NODE22_BIN_DIR = path.join(CLI_TOOLS, 'node_modules', 'node', 'bin');

export async function ensureCliTools(): Promise<void> {
  const stamp = path.join(CLI_TOOLS, 'versions.json');
  if (fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === JSON.stringify(VERSIONS) && fs.existsSync(cliToolBin('cdktn'))) return;
  fs.mkdirSync(CLI_TOOLS, { recursive: true });
  const specs = Object.entries(VERSIONS).map(([pkg, v]) => `${pkg}@${v}`);
  await execa('npm', ['install', '--no-audit', '--no-fund', '--prefix', CLI_TOOLS, ...specs], { stdio: 'inherit', timeout: 10 * 60_000 });
  fs.writeFileSync(stamp, JSON.stringify(VERSIONS));
}
