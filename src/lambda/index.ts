/** Bun-on-Lambda: packaging, the runtime loop, and SQS helpers for handlers. */
export {
  packageBunLambda,
  packageBunRuntime,
  bootstrapScript,
  defaultBunLambdaOutDir,
  findBun,
  HANDLER_FILE,
  LAYER_BUN,
  type BunLambdaArch,
  type PackageBunLambdaOptions,
  type PackageBunRuntimeOptions,
} from './package';
export { startRuntime, resolveHandler, formatError, type LambdaContext, type LambdaHandler, type LambdaErrorBody } from './runtime';
export {
  batchResponse,
  processSqsBatch,
  type SqsEvent,
  type SqsRecord,
  type SqsBatchResponse,
  type SqsBatchItemFailure,
  type SqsRecordResult,
  type ProcessSqsBatchOptions,
} from './sqs';
export type { BunLambdaProps, BunLambdaQueueSource } from './props';
