/**
 * The cdktn app (cdktf.json "app"): synthesizes the config named by BACKPLANE_CONFIG, else the backplane.config.ts
 * in the current directory (a project `backplane init` set up), else the built-in example (relative paths in a
 * config resolve from its directory; the local state lives next to it, as with `backplane deploy`). BACKPLANE_STAGE
 * names another stage, as `backplane --stage` does.
 * `npm run build` bundles it into dist/app.bundle.js (one file: no module resolution, no inline source maps to
 * parse); dist/app.js (src/app-launcher.ts) runs the bundle through V8's code cache.
 */
import * as fs from 'fs';
import * as path from 'path';
import builtInExample from './examples/fullstack/backplane.config';
import { synthesize } from './src/app';
import { UserError } from './src/cli/errors';
import { describeFailure, isDebug } from './src/cli/failure';
import { CONFIG_NAMES, loadConfigFile } from './src/cli/load-config';
import { withStage } from './src/cli/stage-override';
import { type BackplaneConfigInput } from './src/config';

const repoRoot = path.basename(__dirname) === 'dist' ? path.dirname(__dirname) : __dirname;

/** BACKPLANE_CONFIG, else a backplane.config.ts in the current directory (a project's cdktf.json), else the built-in example. */
function loadConfig(): { config: BackplaneConfigInput; dir: string; file: string } {
  const file = process.env.BACKPLANE_CONFIG || CONFIG_NAMES.find((name) => fs.existsSync(path.resolve(name)));
  if (!file)
    return { config: builtInExample, dir: path.join(repoRoot, 'examples', 'fullstack'), file: 'examples/fullstack/backplane.config.ts' };
  const abs = path.resolve(file);
  if (!fs.existsSync(abs)) throw new UserError(`BACKPLANE_CONFIG=${file}: no such file (give the path of a backplane.config.ts)`);
  return { config: loadConfigFile(abs, file), dir: path.dirname(abs), file };
}

// Token creation stacks only help to debug a token resolution error, and capturing one per token costs about a
// tenth of the synth time; CDKTN_DISABLE_CREATION_STACK=0 turns them back on.
process.env.CDKTN_DISABLE_CREATION_STACK ??= '1';

function main(): void {
  const started = process.hrtime.bigint();
  const loaded = loadConfig();
  const { dir, file } = loaded;
  // BACKPLANE_STAGE deploys the config as another stage (a preview per pull request), as `backplane --stage` does.
  const config = withStage(loaded.config, process.env.BACKPLANE_STAGE || undefined);
  // Under the cdktn/cdktf CLI, CDKTF_OUTDIR names the output directory; empty counts as unset.
  const outdir = process.env.CDKTF_OUTDIR || path.resolve('cdktf.out');
  const result = synthesize(config, {
    outdir,
    configDir: dir,
    configFile: file,
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (process.env.CDKTF_OUTDIR) return; // under the cdktn/cdktf CLI: it prints its own summary
  const total = Object.values(result.resources).reduce((a, b) => a + b, 0);
  const lines = Object.entries(result.resources)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([type, n]) => `  ${String(n).padStart(3)}  ${type}`);
  console.log(`Synthesized ${result.stackName} from ${file}: ${total} resources in ${ms.toFixed(0)} ms`);
  console.log(`  -> ${path.relative(process.cwd(), path.join(result.stackDir, 'cdk.tf.json'))}`);
  console.log(lines.join('\n'));
}

// The one error path (src/cli/failure.ts): a config or user error is its message and exit code 1; anything else is
// reported as a bug with how to get its stack (BACKPLANE_DEBUG=1). synthesize() removed the stack it could not finish.
try {
  main();
} catch (e) {
  const failure = describeFailure(e, { debug: isDebug(), rerun: 'e.g. BACKPLANE_DEBUG=1 npm run synth' });
  console.error(failure.text);
  process.exitCode = failure.exitCode;
}
