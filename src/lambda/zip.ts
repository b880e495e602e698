/**
 * The Lambda zip of a bootstrap directory, made once per build and cached next to it.
 *
 * Why not let TerraformAsset(ARCHIVE) zip the directory at every synth: cdktn archives with fflate at level 9,
 * which for a ~104 MiB Bun binary took 12 s in node and 30 s under jest here, on every synth, for every
 * function. Level 9 is worth keeping: it gives 51.46 MB where Node's zlib gives 52.6 MB, and CreateFunction's
 * request limit (69,905,067 bytes of base64) caps a directly uploaded zip at ~52.4 MB. So this uses the same
 * fflate that cdktn bundles (resolved from cdktn's own dependencies) with cdktn's settings, and the asset is
 * the finished zip (TerraformAsset FILE), which a synth only copies.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

interface Fflate {
  zipSync(
    files: Record<string, [Uint8Array, { os?: number; attrs?: number; level?: number }]>,
    opts: { level: number; mtime: Date },
  ): Uint8Array;
}

let fflate: Fflate | null | undefined;

/** cdktn's bundled fflate, or null when this installation does not have it where expected. */
export function loadFflate(): Fflate | null {
  if (fflate !== undefined) return fflate;
  try {
    const cdktnDir = path.dirname(require.resolve('cdktn/package.json'));
    fflate = require(require.resolve('fflate', { paths: [cdktnDir] })) as Fflate;
  } catch {
    fflate = null;
  }
  return fflate;
}

/**
 * Zips every file of `dir` (flat: a bootstrap and perhaps a few more) into `zipPath`, keeping unix modes, with
 * fixed timestamps so equal inputs give equal bytes. Reuses `zipPath` when it already exists. Returns null
 * (and writes nothing) when fflate is unavailable; the caller then falls back to TerraformAsset(ARCHIVE).
 */
export function zipBootstrapDir(dir: string, zipPath: string): string | null {
  const entries = fs
    .readdirSync(dir)
    .sort()
    .map((name): [string, string] => [name, path.join(dir, name)]);
  for (const [, full] of entries)
    if (!fs.statSync(full).isFile())
      throw new Error(`zipBootstrapDir: ${full} is not a regular file; a Lambda bootstrap directory is flat`);
  return zipEntries(entries, zipPath);
}

/**
 * Zips files under the given entry names (e.g. ["bin/bun", <path>] for a layer, which Lambda extracts to /opt),
 * with the same settings as {@link zipBootstrapDir}. Reuses `zipPath` when it exists; null without fflate.
 */
export function zipEntries(entries: readonly (readonly [string, string])[], zipPath: string): string | null {
  if (fs.existsSync(zipPath)) return zipPath;
  const lib = loadFflate();
  if (!lib) return null;
  const files: Record<string, [Uint8Array, { os: number; attrs: number }]> = {};
  for (const [name, full] of entries) {
    const stat = fs.statSync(full);
    // "version made by" unix (3) and the st_mode in the high 16 bits, so Lambda keeps bootstrap executable.
    files[name] = [fs.readFileSync(full), { os: 3, attrs: ((0o100000 | (stat.mode & 0o7777)) << 16) >>> 0 }];
  }
  // cdktn's own settings (lib/private/fs.js archiveSync): level 9, entries dated 1980-01-01 local time.
  const bytes = lib.zipSync(files, { level: 9, mtime: new Date(1980, 0, 1) });
  const tmp = `${zipPath}.${process.pid}.tmp`;
  fs.mkdirSync(path.dirname(zipPath), { recursive: true });
  fs.writeFileSync(tmp, bytes);
  fs.renameSync(tmp, zipPath);
  return zipPath;
}

/** A short content hash of a directory's files (names, modes and bytes), for prebuilt bootstrap directories. */
export function hashDir(dir: string): string {
  const h = createHash('sha256');
  for (const name of fs.readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    h.update(`${name}\0${fs.statSync(full).mode & 0o7777}\0`).update(fs.readFileSync(full));
  }
  return h.digest('hex').slice(0, 16);
}
