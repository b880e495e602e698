/**
 * `dist/app.js`, what `npm run synth`, `cdktn synth` and `cdktf synth` run: loads the bundled app
 * (`dist/app.bundle.js`, main.ts bundled by `npm run bundle`) through V8's code cache.
 *
 * Compiling ~3.5 MB of JavaScript, and then every function the synth calls, is about a quarter of a synth's
 * time. V8 can serialize the compiled code after a run (`createCachedData`, functions compiled during the run
 * included) and accept it back on the next one. The cache lives next to the bundle (`app.bundle.js.cache`), is
 * written after the first run of each build, and V8 rejects it by itself when the bundle, the Node version or the
 * V8 flags differ (then it is written again). Node >= 22 has the same built in (`module.enableCompileCache`);
 * this works on Node 20 too. A cache that cannot be read or written only costs the speed-up.
 */
import * as fs from 'fs';
import Module from 'module';
import * as path from 'path';
import * as vm from 'vm';

const bundle = path.join(__dirname, 'app.bundle.js');
const cacheFile = `${bundle}.cache`;

function readCache(): Buffer | undefined {
  try {
    return fs.readFileSync(cacheFile);
  } catch {
    return undefined;
  }
}

/** Written to a temporary name and renamed, so a concurrent run never reads half a cache. */
function writeCache(data: Buffer): void {
  const tmp = `${cacheFile}.${process.pid}`;
  try {
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, cacheFile);
  } catch {
    fs.rmSync(tmp, { force: true });
  }
}

const cachedData = readCache();
const script = new vm.Script(Module.wrap(fs.readFileSync(bundle, 'utf8')), { filename: bundle, cachedData });
if (!cachedData || script.cachedDataRejected) process.once('exit', () => writeCache(script.createCachedData()));

const mod = new Module(bundle, module);
mod.filename = bundle;
mod.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(__dirname);
(script.runInThisContext() as (...args: unknown[]) => void).call(
  mod.exports,
  mod.exports,
  Module.createRequire(bundle),
  mod,
  bundle,
  __dirname,
);
