/**
 * packageBunLambda and packageBunRuntime: deterministic, cached output; clear errors; a code change that ships a
 * handler package of a few hundred KB while the runtime layer stays; and (c) the arm64 runtime that Lambda's
 * Graviton functions need, running the handler under qemu-user.
 */
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { findBun, HANDLER_FILE, packageBunLambda, packageBunRuntime } from '../../src/lambda/package';
import { zipBootstrapDir, zipEntries } from '../../src/lambda/zip';
import { expectLoopBehaviour, runLoopScenario } from './bootstrap-scenario';

const fixtures = path.join(__dirname, 'fixtures');
const hostArch = process.arch === 'arm64' ? 'arm64' : 'x64';
const QEMU = '/usr/bin/qemu-aarch64-static';
const ARM64_SYSROOT = '/usr/aarch64-linux-gnu';
const canRunArm64 =
  process.arch === 'arm64' || (fs.existsSync(QEMU) && fs.existsSync(path.join(ARM64_SYSROOT, 'lib', 'ld-linux-aarch64.so.1')));

let outDir: string;
beforeAll(() => {
  outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bun-lambda-pkg-'));
});
afterAll(() => fs.rmSync(outDir, { recursive: true, force: true }));

/** A copy of the fixture handler (and its imports) in a scratch directory, so tests can change it. */
function scratchHandler(): string {
  const dir = fs.mkdtempSync(path.join(outDir, 'src-'));
  const src = fs
    .readFileSync(path.join(fixtures, 'sqs-handler.ts'), 'utf8')
    .replace(/'\.\.\/\.\.\/\.\.\/src\/lambda\//g, `'${path.resolve(__dirname, '../../src/lambda')}/`);
  fs.writeFileSync(path.join(dir, 'handler.ts'), src);
  return path.join(dir, 'handler.ts');
}

describe('packageBunLambda output', () => {
  it('reuses the same directory for unchanged code and a new one when the code changes', () => {
    const handlerPath = scratchHandler();
    const first = packageBunLambda({ handlerPath, outDir, arch: hostArch });
    expect(path.basename(first)).toMatch(new RegExp(`^${hostArch}-[0-9a-f]{16}$`));
    const mtime = fs.statSync(path.join(first, 'bootstrap')).mtimeMs;

    // Same code (even in another file with the same content): same directory, binary not rebuilt.
    const copy = path.join(path.dirname(handlerPath), 'copy.ts');
    fs.copyFileSync(handlerPath, copy);
    expect(packageBunLambda({ handlerPath: copy, outDir, arch: hostArch })).toBe(first);
    expect(fs.statSync(path.join(first, 'bootstrap')).mtimeMs).toBe(mtime);

    // Changed code: a different directory; the old one stays for other stacks that still use it.
    fs.appendFileSync(handlerPath, '\nexport const version = 2;\n');
    const second = packageBunLambda({ handlerPath, outDir, arch: hostArch });
    expect(second).not.toBe(first);
    expect(fs.existsSync(path.join(second, 'bootstrap'))).toBe(true);
    // No staging directories are left behind.
    expect(fs.readdirSync(outDir).filter((n) => n.startsWith('.'))).toEqual([]);
  });

  it('prunes the least recently used builds but never one this process uses', () => {
    const cache = path.join(outDir, 'lru');
    const handlerPath = scratchHandler();
    const builds: string[] = [];
    for (let v = 1; v <= 3; v++) {
      fs.appendFileSync(handlerPath, `\nexport const v${v} = ${v};\n`);
      builds.push(packageBunLambda({ handlerPath, outDir: cache, arch: hostArch, keepBuilds: 2 }));
      fs.writeFileSync(`${builds[builds.length - 1]}.zip`, 'zip'); // as the construct would leave it
    }
    // Builds returned in this process are in use (a synth copies them later), so all three survive here...
    expect(builds.every((b) => fs.existsSync(path.join(b, 'bootstrap')))).toBe(true);
    // ...while older builds left by earlier processes are pruned down to keepBuilds.
    const stale = ['x64-00000000000000a1', 'x64-00000000000000a2'].map((n) => path.join(cache, n));
    for (const [i, dir] of stale.entries()) {
      fs.mkdirSync(dir);
      fs.writeFileSync(`${dir}.zip`, 'zip');
      fs.utimesSync(dir, new Date(2020, 0, 1 + i), new Date(2020, 0, 1 + i));
    }
    fs.appendFileSync(handlerPath, '\nexport const v4 = 4;\n');
    packageBunLambda({ handlerPath, outDir: cache, arch: hostArch, keepBuilds: 1 });
    expect(stale.map((d) => fs.existsSync(d) || fs.existsSync(`${d}.zip`))).toEqual([false, false]);
    expect(builds.every((b) => fs.existsSync(path.join(b, 'bootstrap')))).toBe(true);
  });

  it('bundles the same code to a byte-identical package', () => {
    const handlerPath = scratchHandler();
    const a = packageBunLambda({ handlerPath, outDir: path.join(outDir, 'a'), arch: hostArch });
    const b = packageBunLambda({ handlerPath, outDir: path.join(outDir, 'b'), arch: hostArch });
    expect(path.basename(a)).toBe(path.basename(b));
    for (const f of ['bootstrap', HANDLER_FILE])
      expect(fs.readFileSync(path.join(a, f)).equals(fs.readFileSync(path.join(b, f)))).toBe(true);
  });

  it('a code-only change uploads a new handler package of well under 1 MB; the runtime layer stays the same', () => {
    const cache = path.join(outDir, 'code-change');
    const handlerPath = scratchHandler();
    const layerZip = (dir: string) =>
      zipEntries([['bin/bun', path.join(dir, 'bin', 'bun')]], path.join(cache, `${path.basename(dir)}.zip`));
    const runtime = packageBunRuntime({ outDir: cache, arch: 'arm64' });
    const layer = layerZip(runtime.dir) as string;
    const before = packageBunLambda({ handlerPath, outDir: cache, arch: 'arm64' });
    fs.appendFileSync(handlerPath, '\nexport const release = 2;\n');
    const after = packageBunLambda({ handlerPath, outDir: cache, arch: 'arm64' });
    expect(after).not.toBe(before);
    // The layer is keyed by bun's version and the architecture only: the same directory and zip after the change.
    expect(packageBunRuntime({ outDir: cache, arch: 'arm64' }).dir).toBe(runtime.dir);
    const uploaded = fs.statSync(zipBootstrapDir(after, `${after}.zip`) as string).size;
    const layerBytes = fs.statSync(layer).size;
    console.log(`code-only change: handler package ${uploaded} bytes uploaded; the runtime layer (${layerBytes} bytes) is not`);
    expect(uploaded).toBeLessThan(1024 * 1024);
    expect(layerBytes).toBeGreaterThan(30 * 1024 * 1024);
    expect(layerBytes).toBeLessThanOrEqual(50 * 1024 * 1024); // Lambda's direct-upload quota (src/limits/lambda.ts)
  });
});

describe('packageBunLambda errors', () => {
  it('names how to get bun when it is nowhere to be found', () => {
    expect(() => findBun([os.tmpdir()], { PATH: '' })).toThrow(/bun was not found.*npm i -D bun/s);
  });

  it('rejects an unknown arch and a missing handler, naming the value', () => {
    const handlerPath = path.join(fixtures, 'sqs-handler.ts');
    expect(() => packageBunLambda({ handlerPath, outDir, arch: 'riscv' as never })).toThrow(`arch is "riscv"; allowed: 'arm64'`);
    expect(() => packageBunLambda({ handlerPath: 'nope/handler.ts', outDir })).toThrow('handlerPath "nope/handler.ts" is not a file');
  });

  it('reports a handler that does not compile with bun output', () => {
    const dir = fs.mkdtempSync(path.join(outDir, 'broken-'));
    fs.writeFileSync(path.join(dir, 'h.ts'), "import { nothing } from './missing';\nexport const handler = () => nothing;\n");
    expect(() => packageBunLambda({ handlerPath: path.join(dir, 'h.ts'), outDir, arch: hostArch })).toThrow(
      /bundling the handler failed.*Could not resolve: "\.\/missing"/s,
    );
  });

  it('explains a cross-compile whose runtime download fails (offline, empty cache)', async () => {
    // An empty bun cache and an HTTPS proxy on a closed local port stand in for "no network".
    const closed = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const port = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(port));
      });
    });
    const cache = fs.mkdtempSync(path.join(outDir, 'empty-cache-'));
    const other = hostArch === 'x64' ? 'arm64' : 'x64';
    const env = {
      ...process.env,
      BUN_INSTALL_CACHE_DIR: cache,
      HTTPS_PROXY: `http://127.0.0.1:${closed}`,
      https_proxy: `http://127.0.0.1:${closed}`,
    };
    expect(() => packageBunRuntime({ outDir: path.join(outDir, 'offline'), arch: other, env })).toThrow(
      /needs the bun-linux-(aarch64|x64)-v[\d.]+ runtime, which bun downloads once from registry\.npmjs\.org.*download failed \(ConnectionRefused\)/s,
    );
  });
});

describe('(c) the arm64 runtime layer for Graviton', () => {
  let dir: string;
  let runtime: string;
  beforeAll(() => {
    dir = packageBunLambda({ handlerPath: path.join(fixtures, 'sqs-handler.ts'), outDir, arch: 'arm64' });
    // Needs bun's linux-aarch64 runtime: downloaded once from registry.npmjs.org into ~/.bun/install/cache.
    runtime = packageBunRuntime({ outDir, arch: 'arm64' }).dir;
  });

  it('the layer holds bin/bun, an aarch64 ELF executable', () => {
    expect(fs.readdirSync(runtime)).toEqual(['bin']);
    const file = path.join(runtime, 'bin', 'bun');
    const head = fs.readFileSync(file).subarray(0, 20);
    expect(head.subarray(0, 4).toString('latin1')).toBe('\x7fELF');
    expect(head[4]).toBe(2); // 64-bit
    expect(head.readUInt16LE(18)).toBe(0xb7); // EM_AARCH64
    expect(fs.statSync(file).mode & 0o777).toBe(0o755);
    // Dynamically linked against glibc's aarch64 loader, which provided.al2023 (glibc 2.34) has.
    expect(fs.readFileSync(file).includes(Buffer.from('/lib/ld-linux-aarch64.so.1'))).toBe(true);
  });

  // Never a silent skip: without qemu-user-static + libc6-arm64-cross (.ci/run installs them) this fails,
  // unless BACKPLANE_ARM64=optional says the run may go without it (then it says so loudly).
  it('runs the same Runtime API loop on aarch64 (qemu-user here)', async () => {
    if (!canRunArm64) {
      const why = `cannot run an aarch64 binary here: install qemu-user-static and libc6-arm64-cross (apt-get), or set BACKPLANE_ARM64=optional`;
      if (process.env.BACKPLANE_ARM64 === 'optional') {
        console.warn(`SKIPPED (BACKPLANE_ARM64=optional): ${why}`);
        return;
      }
      throw new Error(why);
    }
    // What the package's bootstrap execs on Lambda: the layer's bun with the handler bundle.
    const bun = path.join(runtime, 'bin', 'bun');
    const handler = path.join(dir, HANDLER_FILE);
    const [cmd, args] = process.arch === 'arm64' ? [bun, [handler]] : [QEMU, ['-L', ARM64_SYSROOT, bun, handler]];
    const r = await runLoopScenario(cmd, args, 60_000, { BUN_RUNTIME_TRANSPILER_CACHE_PATH: '0' });
    expectLoopBehaviour(r, 'arm64');
    console.log(`arm64 runtime layer${process.arch === 'arm64' ? '' : ' under qemu'}: first GET /next after ${r.msToFirstNext} ms`);
  });
});
