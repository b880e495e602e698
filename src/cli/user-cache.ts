/**
 * The user's cache directory for Backplane (`$XDG_CACHE_HOME/backplane`, else `~/.cache/backplane`; never a shared
 * temporary directory) and the one way entries are written there. Everything kept here is a speed-up that can be
 * thrown away: an entry that cannot be read or written only costs the time it saved.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** `$XDG_CACHE_HOME/backplane/<part>` (or `~/.cache/backplane/<part>`). */
export function userCacheDir(part: string): string {
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'backplane', part);
}

/** A 32-hex-digit key over the parts (NUL-separated, so ["ab", "c"] and ["a", "bc"] differ). */
export function cacheKey(parts: readonly string[]): string {
  return createHash('sha256').update(parts.join('\0')).digest('hex').slice(0, 32);
}

/** Writes through a temporary name and a rename, so a concurrent run never reads half an entry; never throws. */
export function writeCacheEntry(file: string, data: string): void {
  const tmp = `${file}.${process.pid}`;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, file);
  } catch {
    fs.rmSync(tmp, { force: true });
  }
}
