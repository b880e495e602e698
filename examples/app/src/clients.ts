/**
 * Connections built from the env contract: a Postgres pool (Bun.SQL), a Redis client (Bun's
 * RedisClient) and the AWS SDK clients. The SDK reads the region from AWS_REGION, credentials from
 * the ECS task role, and honours AWS_ENDPOINT_URL (the local test points it at moto).
 */
import { RedisClient, SQL } from 'bun';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { Config } from './config';

export function createDatabase(config: Config, max = 10): SQL {
  const db = config.database;
  return new SQL({
    hostname: db.host,
    port: db.port,
    database: db.name,
    username: db.user,
    password: db.password,
    // A PostgreSQL sslmode name; see https://bun.sh/reference/bun/SQL (PostgresOrMySQLOptions.tls).
    // RDS forces TLS (rds.force_ssl); for verify-full, set NODE_EXTRA_CA_CERTS to the RDS CA bundle.
    tls: db.ssl,
    max,
    idleTimeout: 60,
    connectionTimeout: 10,
  });
}

/** REDIS_URL carries no credentials; the ElastiCache auth token (if any) is added here. */
export function redisConnectionUrl(config: Config): string {
  const url = new URL(config.redis.url);
  if (config.redis.authToken) url.password = config.redis.authToken; // percent-encoded by URL
  return url.toString();
}

export function createRedis(config: Config): RedisClient {
  return new RedisClient(redisConnectionUrl(config), {
    connectionTimeout: 5_000,
    autoReconnect: true,
    enableOfflineQueue: true,
  });
}

export function createSqs(config: Config): SQSClient {
  return new SQSClient({ region: config.region });
}

export function createSes(config: Config): SESv2Client {
  return new SESv2Client({ region: config.region });
}
