/**
 * Loads a bundled CommonJS file through V8's code cache (`<file>.cache`, next to it).
 *
 * Compiling a few MB of JavaScript, and then every function a run calls, is a large part of a short command's time.
 * V8 can serialize the compiled code after a run (`createCachedData`, functions compiled during the run included)
 * and accept it back on the next one. The cache is written after the first run of each build, and V8 rejects it by
 * itself when the file, the Node version or the V8 flags differ (then it is written again). Node >= 22 has the same
 * built in (`module.enableCompileCache`); this works on Node 20 too. A cache that cannot be read or written (a
 * read-only node_modules) only costs the speed-up.
 */
import * as fs from 'fs';
import Module from 'module';
import * as path from 'path';
import * as vm from 'vm';

function readCache(file: string): Buffer | undefined {
  try {
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}

/** Written to a temporary name and renamed, so a concurrent run never reads half a cache. */
function writeCache(file: string, data: Buffer): void {
  const tmp = `${file}.${process.pid}`;
  try {
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, file);
  } catch {
    fs.rmSync(tmp, { force: true });
  }
}

/** Runs `file` as a CommonJS module (its own `require`, `module`, `__dirname`) and returns its exports. */
export function loadWithCodeCache(file: string, parent?: NodeModule): unknown {
  const cacheFile = `${file}.cache`;
  const cachedData = readCache(cacheFile);
  const script = new vm.Script(Module.wrap(fs.readFileSync(file, 'utf8')), { filename: file, cachedData });
  if (!cachedData || script.cachedDataRejected) process.once('exit', () => writeCache(cacheFile, script.createCachedData()));
  const mod = new Module(file, parent);
  mod.filename = file;
  mod.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(path.dirname(file));
  (script.runInThisContext() as (...args: unknown[]) => void).call(
    mod.exports,
    mod.exports,
    Module.createRequire(file),
    mod,
    file,
    path.dirname(file),
  );
  return mod.exports;
}
