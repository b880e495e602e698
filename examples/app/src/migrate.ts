/**
 * `bun run src/migrate.ts`: applies migrations/*.sql in name order, each once, and exits 0 (or 1 on
 * any error). Runs as the ECS init container the app container waits on (dependsOn: SUCCESS).
 *
 * Each file runs in its own transaction together with its schema_migrations row, under a
 * transaction-scoped advisory lock, so two tasks starting at once apply nothing twice. A file that
 * was applied and then edited is an error (its sha256 no longer matches).
 *
 * It runs as the database owner (the RDS master user, its password injected into this container only) and then
 * makes sure the app's own role (DATABASE_APP_USER) exists with no more than it needs: log in (through IAM on
 * RDS: the rds_iam role), read and write rows, use sequences. No DDL, no other database, no role management.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { SQL } from 'bun';
import { ConfigError, loadConfig, type Config } from './config';
import { createDatabase } from './db';
import { log } from './log';

const MIGRATIONS_DIR = join(import.meta.dir, '..', 'migrations');
const LOCK_ID = 7_286_111; // any constant shared by every migrate run of this app

const sha256 = (text: string) => new Bun.CryptoHasher('sha256').update(text).digest('hex');

/**
 * DATABASE_CREATE=true (a preview stage on its parent's instance): creates DATABASE_NAME, owned by this user, when it
 * does not exist, connected to the maintenance database `postgres` (CREATE DATABASE cannot run in a transaction).
 */
async function ensureDatabase(config: Config): Promise<void> {
  const { name } = config.database;
  if (!config.database.create) return;
  const admin = createDatabase({ ...config, database: { ...config.database, name: 'postgres' } }, 1);
  try {
    const [found] = await admin`SELECT 1 AS one FROM pg_database WHERE datname = ${name}`;
    if (found) return;
    await admin.unsafe(`CREATE DATABASE "${name}"`);
    log.info('database created', { database: name });
  } catch (error) {
    // Two migrate runs racing: the other one created it.
    if ((error as { errno?: string }).errno !== '42P04') throw error;
  } finally {
    await admin.close({ timeout: 5 });
  }
}

/** Creates or updates the app's role and its grants (idempotent; identifiers were checked by loadConfig). */
async function grantAppRole(sql: SQL, config: Config): Promise<void> {
  const { appUser, appPassword, name } = config.database;
  if (!appUser) return;
  const role = `"${appUser}"`;
  await sql.begin(async (tx) => {
    await tx`SELECT pg_advisory_xact_lock(${LOCK_ID})`;
    const [found] = await tx`SELECT 1 AS one FROM pg_roles WHERE rolname = ${appUser}`;
    if (!found) await tx.unsafe(`CREATE ROLE ${role} LOGIN`);
    // rds_iam exists on RDS and Aurora only: granted, the role logs in with IAM auth tokens and nothing else.
    const [iam] = await tx`SELECT 1 AS one FROM pg_roles WHERE rolname = 'rds_iam'`;
    if (iam) await tx.unsafe(`GRANT rds_iam TO ${role}`);
    if (appPassword) await tx.unsafe(`ALTER ROLE ${role} PASSWORD '${appPassword.replaceAll("'", "''")}'`);
    await tx.unsafe(`GRANT CONNECT ON DATABASE "${name}" TO ${role}`);
    await tx.unsafe(`GRANT USAGE ON SCHEMA public TO ${role}`);
    await tx.unsafe(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${role}`);
    await tx.unsafe(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${role}`);
    // Tables and sequences later migrations create (as this same owner) get the same grants.
    await tx.unsafe(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${role}`);
    await tx.unsafe(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO ${role}`);
  });
  log.info('app role granted', { role: appUser });
}

async function main(): Promise<number> {
  const config = loadConfig();
  await ensureDatabase(config);
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
    await grantAppRole(sql, config);
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
