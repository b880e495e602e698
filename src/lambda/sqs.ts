/**
 * SQS helpers for Lambda handlers: the event types and the partial batch response.
 *
 * With `function_response_types = ["ReportBatchItemFailures"]` on the event source mapping, a handler returns
 * `{ batchItemFailures: [{ itemIdentifier: <messageId> }] }`: only those messages go back to the queue (and on
 * to the DLQ after maxReceiveCount); an empty list deletes the whole batch; a thrown error retries the whole
 * batch. For FIFO queues, processing must stop at the first failure and that message plus every later one
 * must be reported, or ordering breaks.
 * Source: https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html
 * (section "Implementing partial batch responses").
 *
 * Plain TypeScript with no imports: it is bundled into the compiled `bootstrap` by bun and also runs under Node.
 */

/** One SQS message as Lambda delivers it (the fields handlers use). */
export interface SqsRecord {
  readonly messageId: string;
  readonly receiptHandle: string;
  readonly body: string;
  readonly attributes: Readonly<Record<string, string | undefined>> & {
    readonly ApproximateReceiveCount?: string;
    readonly MessageGroupId?: string;
  };
  readonly messageAttributes: Readonly<Record<string, unknown>>;
  readonly md5OfBody?: string;
  readonly eventSource: string;
  readonly eventSourceARN: string;
  readonly awsRegion: string;
}

export interface SqsEvent {
  readonly Records: readonly SqsRecord[];
}

export interface SqsBatchItemFailure {
  readonly itemIdentifier: string;
}

/** The partial batch response Lambda reads when `ReportBatchItemFailures` is on. */
export interface SqsBatchResponse {
  readonly batchItemFailures: SqsBatchItemFailure[];
}

/** The outcome of one record: `ok: false` sends it back to the queue. */
export interface SqsRecordResult {
  readonly messageId: string;
  readonly ok: boolean;
}

/** Builds the partial batch response from per-record results (failures keep their input order, no duplicates). */
export function batchResponse(results: Iterable<SqsRecordResult>): SqsBatchResponse {
  const seen = new Set<string>();
  const batchItemFailures: SqsBatchItemFailure[] = [];
  for (const r of results) {
    if (r.ok || seen.has(r.messageId)) continue;
    if (typeof r.messageId !== 'string' || r.messageId === '') {
      // Lambda fails the whole batch when an itemIdentifier is empty or not a message of the batch.
      throw new Error(`batchResponse: every result needs the record's messageId, got ${JSON.stringify(r.messageId)}`);
    }
    seen.add(r.messageId);
    batchItemFailures.push({ itemIdentifier: r.messageId });
  }
  return { batchItemFailures };
}

export interface ProcessSqsBatchOptions {
  /**
   * Treat the batch as coming from a FIFO queue: records run one at a time, and after the first failure the
   * rest are reported as failed without running.
   * @default true when the records' eventSourceARN ends in `.fifo`
   */
  readonly fifo?: boolean;
  /**
   * How many records of a standard-queue batch run at the same time.
   * @default 10
   */
  readonly concurrency?: number;
  /** Called with each record that throws (for logging). @default logs the messageId and error to stderr */
  readonly onError?: (record: SqsRecord, error: unknown) => void;
}

/**
 * Runs `fn` for each record and returns the partial batch response: a record whose `fn` throws (or rejects)
 * is reported as failed, the others are deleted from the queue by Lambda.
 */
export async function processSqsBatch(
  event: SqsEvent,
  fn: (record: SqsRecord) => unknown,
  options: ProcessSqsBatchOptions = {},
): Promise<SqsBatchResponse> {
  const records = event.Records ?? [];
  const fifo = options.fifo ?? records.some((r) => (r.eventSourceARN ?? '').endsWith('.fifo'));
  const onError =
    options.onError ?? ((r: SqsRecord, e: unknown) => console.error(`record ${r.messageId} failed:`, e instanceof Error ? e.stack : e));
  const results: SqsRecordResult[] = new Array(records.length);

  if (fifo) {
    let failed = false;
    for (let i = 0; i < records.length; i++) {
      const record = records[i];
      if (!failed) {
        try {
          await fn(record);
        } catch (e) {
          onError(record, e);
          failed = true;
        }
      }
      results[i] = { messageId: record.messageId, ok: !failed };
    }
    return batchResponse(results);
  }

  const concurrency = Math.max(1, Math.floor(options.concurrency ?? 10));
  let next = 0;
  const worker = async () => {
    while (next < records.length) {
      const i = next++;
      const record = records[i];
      try {
        await fn(record);
        results[i] = { messageId: record.messageId, ok: true };
      } catch (e) {
        onError(record, e);
        results[i] = { messageId: record.messageId, ok: false };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, records.length) }, worker));
  return batchResponse(results);
}
