/** The Postgres pool (Bun.SQL) built from the DATABASE_* part of the env contract. */
import { Signer } from '@aws-sdk/rds-signer';
import { SQL } from 'bun';
import type { Config } from './config';

/**
 * The password of each new connection. With DATABASE_AUTH=iam it is a fresh IAM auth token (valid 15 minutes,
 * signed locally with the task role's credentials; RDS User Guide, "IAM database authentication"), so a pool
 * never holds a credential that rotation could invalidate and the app needs no secret at all.
 */
export function passwordSource(config: Config): string | (() => Promise<string>) {
  const db = config.database;
  if (db.auth === 'password') return db.password!;
  const signer = new Signer({ hostname: db.host, port: db.port, username: db.user, region: config.region });
  return () => signer.getAuthToken();
}

export function createDatabase(config: Config, max = 10): SQL {
  const db = config.database;
  return new SQL({
    hostname: db.host,
    port: db.port,
    database: db.name,
    username: db.user,
    password: passwordSource(config),
    // A PostgreSQL sslmode name (https://bun.sh/reference/bun/SQL, PostgresOrMySQLOptions.tls).
    // Checked with Bun 1.4.5: "require" encrypts without verifying the certificate (libpq's meaning);
    // "verify-full" (Backplane's default) verifies the chain and the host name against the CAs Bun trusts,
    // which NODE_EXTRA_CA_CERTS extends: the Dockerfile adds the RDS CA bundle and points it there.
    tls: db.ssl,
    max,
    idleTimeout: 60,
    connectionTimeout: 10,
  });
}
