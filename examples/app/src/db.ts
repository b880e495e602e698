/** The Postgres pool (Bun.SQL) built from the DATABASE_* part of the env contract. */
import { SQL } from 'bun';
import type { Config } from './config';

export function createDatabase(config: Config, max = 10): SQL {
  const db = config.database;
  return new SQL({
    hostname: db.host,
    port: db.port,
    database: db.name,
    username: db.user,
    password: db.password,
    // A PostgreSQL sslmode name (https://bun.sh/reference/bun/SQL, PostgresOrMySQLOptions.tls).
    // Checked with Bun 1.4.5: "require" encrypts without verifying the certificate (libpq's meaning),
    // so it works with RDS as is; "verify-full" verifies against the CAs Bun trusts, which
    // NODE_EXTRA_CA_CERTS extends (point it at the RDS CA bundle to use verify-full on RDS).
    tls: db.ssl,
    max,
    idleTimeout: 60,
    connectionTimeout: 10,
  });
}
