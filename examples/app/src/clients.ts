/**
 * The Redis client (Bun's RedisClient) and the AWS SDK clients. The SDK reads the region from
 * AWS_REGION, credentials from the ECS task role, and honours AWS_ENDPOINT_URL (the local test
 * points it at moto).
 */
import { RedisClient } from 'bun';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { Config } from './config';

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
