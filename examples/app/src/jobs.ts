/**
 * Background jobs: what POST /api/jobs accepts, how a job travels through SQS (a JSON body), and
 * what the worker does with each type.
 */
import { SendEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Config } from './config';
import { log } from './log';

export interface EmailJob {
  readonly type: 'email';
  readonly to: string;
  readonly subject: string;
  readonly text: string;
}

export type Job = EmailJob;

const EMAIL = /^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$/;

/** Checks an untrusted value (a request body or a queue message); returns the job or an error text. */
export function parseJob(value: unknown): Job | string {
  if (typeof value !== 'object' || value === null) return 'a job must be a JSON object';
  const job = value as Record<string, unknown>;
  if (job.type !== 'email') return `job.type=${JSON.stringify(job.type)} is not allowed: use "email"`;
  if (typeof job.to !== 'string' || !EMAIL.test(job.to)) return 'job.to must be an email address';
  if (typeof job.subject !== 'string' || job.subject.length < 1 || job.subject.length > 200) {
    return 'job.subject must be a string of 1 to 200 characters';
  }
  if (typeof job.text !== 'string' || job.text.length > 10_000) {
    return 'job.text must be a string of at most 10000 characters';
  }
  return { type: 'email', to: job.to, subject: job.subject, text: job.text };
}

export async function enqueue(sqs: SQSClient, queueUrl: string, job: Job): Promise<string> {
  const out = await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(job) }));
  return out.MessageId ?? '';
}

/** Runs one job; throws on failure so the worker leaves the message for a retry / the DLQ. */
export async function runJob(job: Job, deps: { ses: SESv2Client; config: Config }): Promise<void> {
  switch (job.type) {
    case 'email': {
      const out = await deps.ses.send(
        new SendEmailCommand({
          FromEmailAddress: deps.config.email.from,
          Destination: { ToAddresses: [job.to] },
          Content: {
            Simple: {
              Subject: { Data: job.subject, Charset: 'UTF-8' },
              Body: { Text: { Data: job.text, Charset: 'UTF-8' } },
            },
          },
          ...(deps.config.email.configurationSet ? { ConfigurationSetName: deps.config.email.configurationSet } : {}),
        }),
      );
      log.info('email sent', { to: job.to, sesMessageId: out.MessageId });
      return;
    }
  }
}
