/**
 * Looking at the sample app's backends directly (not through the app): psql, redis-cli, moto's
 * recorded state and SQS queue attributes, plus a small JSON HTTP client for the app itself.
 */
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { findBinary, Proc, run } from './local-env';

/** The KEY=VALUE lines scripts/start-local-services.sh prints. */
export type Services = Record<string, string>;

export async function httpJson(baseUrl: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  try {
    return { status: res.status, body: JSON.parse(text) };
  } catch {
    return { status: res.status, body: text };
  }
}

/** One query through psql as the app's database user; the rows unaligned (-At). */
/** Runs one query with psql, as the owner (`app`) unless `as` names another role and its password. */
export async function psqlQuery(
  services: Services,
  query: string,
  as?: { user?: string; password?: string; database?: string },
): Promise<string> {
  const user = as?.user ?? 'app';
  const args = [
    '-h',
    '127.0.0.1',
    '-p',
    services.DATABASE_PORT!,
    '-U',
    user,
    '-d',
    as?.database ?? 'app',
    '-At',
    '-v',
    'ON_ERROR_STOP=1',
    '-c',
    query,
  ];
  const out = await run(findBinary('psql')!, args, { env: { ...process.env, PGPASSWORD: as?.password ?? services.DATABASE_PASSWORD } });
  if (out.code !== 0) throw new Error(`psql failed: ${out.stderr}`);
  return out.stdout.trim();
}

export async function redisGetKey(services: Services, key: string): Promise<string> {
  const port = new URL(services.REDIS_URL!).port;
  const out = await run(findBinary('redis-cli')!, ['-h', '127.0.0.1', '-p', port, 'GET', key], {
    env: { ...process.env, REDISCLI_AUTH: services.REDIS_AUTH_TOKEN },
  });
  if (out.code !== 0) throw new Error(`redis-cli failed: ${out.stderr}`);
  return out.stdout.trim();
}

export interface SentEmail {
  source: string;
  subject: string;
  body: string;
  destinations: { ToAddresses?: string[] };
}

/**
 * What moto's SES backend recorded as sent. SES v2 SendEmail lands in the v1 backend's `Message`
 * model (moto 5.2.1: sesv2/responses.py send_email -> ses_backend.send_email), which
 * /moto-api/data.json lists with its attributes.
 */
export async function sesSentEmails(motoUrl: string): Promise<SentEmail[]> {
  const res = await fetch(`${motoUrl}/moto-api/data.json`);
  const data = (await res.json()) as { ses?: { Message?: SentEmail[] } };
  return data.ses?.Message ?? [];
}

export async function sqsQueueDepth(sqs: SQSClient, url: string): Promise<{ visible: number; inFlight: number }> {
  const out = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: url,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return {
    visible: Number(out.Attributes?.ApproximateNumberOfMessages ?? NaN),
    inFlight: Number(out.Attributes?.ApproximateNumberOfMessagesNotVisible ?? NaN),
  };
}

/** The app's stdout as parsed JSON lines (throws on a line that is not JSON). */
export function logLines(proc: Proc): Array<Record<string, unknown>> {
  return proc.stdoutLines.map((line) => JSON.parse(line) as Record<string, unknown>);
}
