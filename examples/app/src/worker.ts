/**
 * The in-process worker: long-polls QUEUE_URL_JOBS, runs each job, deletes the message on success
 * and leaves it on failure, so SQS makes it visible again after the visibility timeout and, after
 * maxReceiveCount receives, the queue's redrive policy moves it to the dead-letter queue.
 */
import { DeleteMessageCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { log } from './log';

export interface WorkerOptions {
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  /** Runs one message body; throw to leave the message in the queue. */
  readonly handle: (body: string) => Promise<void>;
  /** Long-poll wait, 1-20 s. */
  readonly waitSeconds?: number;
  /** Messages per receive, 1-10; they run concurrently. */
  readonly batchSize?: number;
}

export interface Worker {
  /** Stops polling, waits for the jobs in flight to finish. */
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function startWorker(options: WorkerOptions): Worker {
  const { sqs, queueUrl, handle } = options;
  let running = true;
  const poll = new AbortController();

  async function processOne(body: string, receiptHandle: string, messageId: string, receives: string) {
    const started = performance.now();
    try {
      await handle(body);
      await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: receiptHandle }));
      log.info('job done', { messageId, ms: Math.round(performance.now() - started) });
    } catch (error) {
      // Not deleted: SQS retries it, then the redrive policy moves it to the DLQ.
      log.error('job failed', { messageId, receiveCount: Number(receives), error });
    }
  }

  async function loop(): Promise<void> {
    log.info('worker started', { queueUrl });
    let backoff = 1_000;
    while (running) {
      try {
        const out = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: queueUrl,
            MaxNumberOfMessages: options.batchSize ?? 10,
            WaitTimeSeconds: options.waitSeconds ?? 20,
            MessageSystemAttributeNames: ['ApproximateReceiveCount'],
          }),
          { abortSignal: poll.signal },
        );
        backoff = 1_000;
        // Messages already received are finished even when stop() is called meanwhile.
        await Promise.all(
          (out.Messages ?? []).map((m) =>
            processOne(m.Body ?? '', m.ReceiptHandle ?? '', m.MessageId ?? '', m.Attributes?.ApproximateReceiveCount ?? '0'),
          ),
        );
      } catch (error) {
        if (!running) break; // the long poll was aborted by stop()
        log.error('receive failed', { error, retryInMs: backoff });
        await sleep(backoff);
        backoff = Math.min(backoff * 2, 30_000);
      }
    }
    log.info('worker stopped');
  }

  const done = loop();
  return {
    async stop() {
      running = false;
      poll.abort();
      await done;
    },
  };
}
