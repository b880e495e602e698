/**
 * `bun run src/migrate.ts`: applies migrations/*.sql in name order, each once, and exits 0 (or 1 on
 * any error). Runs as the ECS init container the app container waits on (dependsOn: SUCCESS).
 *
 * Each file runs in its own transaction together with its schema_migrations row, under a
 * transaction-scoped advisory lock, so two tasks starting at once apply nothing twice. A file that
 * was applied and then edited is an error (its sha256 no longer matches).
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './config';
import { createDatabase } from './db';
import { log } from './log';

const MIGRATIONS_DIR = join(import.meta.dir, '..', 'migrations');
const LOCK_ID = 7_286_111; // any constant shared by every migrate run of this app

const sha256 = (text: string) => new Bun.CryptoHasher('sha256').update(text).digest('hex');

async function main(): Promise<number> {
  const config = loadConfig();
  const sql = createDatabase(config, 1);
  try {
    await sql.begin(async (tx) => {
      await tx`SELECT pg_advisory_xact_lock(${LOCK_ID})`;
      await tx`CREATE TABLE IF NOT EXISTS schema_migrations (
        version text PRIMARY KEY,
        sha256 text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`;
    });

    const files = (await readdir(MIGRATIONS_DIR)).filter((f) => f.endsWith('.sql')).sort();
    const applied: string[] = [];
    for (const file of files) {
      const text = await Bun.file(join(MIGRATIONS_DIR, file)).text();
      const hash = sha256(text);
      const ran = await sql.begin(async (tx) => {
        await tx`SELECT pg_advisory_xact_lock(${LOCK_ID})`;
        const [row] = await tx`SELECT sha256 FROM schema_migrations WHERE version = ${file}`;
        if (row) {
          if (row.sha256 !== hash) throw new Error(`migration ${file} was changed after it was applied`);
          return false;
        }
        await tx.unsafe(text);
        await tx`INSERT INTO schema_migrations (version, sha256) VALUES (${file}, ${hash})`;
        return true;
      });
      if (ran) {
        applied.push(file);
        log.info('migration applied', { version: file });
      }
    }
    log.info('migrations done', { applied, total: files.length });
    return 0;
  } finally {
    await sql.close({ timeout: 5 });
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    log.error('migration failed', { error: error instanceof ConfigError ? error.message : error });
    process.exit(1);
  },
);
