/**
 * Entry point: the API and the in-process queue worker in one process (one ECS Fargate container).
 * SIGTERM (ECS stopping the task) -> stop accepting requests, stop polling, finish the jobs in
 * flight, close the pools, exit 0. ECS sends SIGKILL after stopTimeout (30 s by default), so we
 * give up a little earlier and exit 1.
 */
import { ConfigError, loadConfig } from './config';
import { createRedis, createSes, createSqs } from './clients';
import { createDatabase } from './db';
import { parseJob, runJob } from './jobs';
import { log } from './log';
import { startServer } from './server';
import { startWorker } from './worker';

const SHUTDOWN_DEADLINE_MS = 25_000;

let config;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  log.error('invalid configuration', { error: error.message });
  process.exit(1);
}

const sql = createDatabase(config);
const redis = createRedis(config);
const sqs = createSqs(config);
const ses = createSes(config);
const state = { shuttingDown: false };

const server = startServer({ config, sql, redis, sqs }, state);
const worker = startWorker({
  sqs,
  queueUrl: config.queues.jobs!,
  handle: async (body) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      throw new Error('message body is not JSON');
    }
    const job = parseJob(parsed);
    if (typeof job === 'string') throw new Error(job);
    await runJob(job, { ses, config });
  },
});
log.info('listening', { port: server.port, stage: config.stage, bun: Bun.version });

async function shutdown(signal: string): Promise<void> {
  if (state.shuttingDown) return;
  state.shuttingDown = true;
  log.info('shutting down', { signal });
  const deadline = setTimeout(() => {
    log.error('shutdown deadline exceeded', { ms: SHUTDOWN_DEADLINE_MS });
    process.exit(1);
  }, SHUTDOWN_DEADLINE_MS);
  try {
    await Promise.all([server.stop(), worker.stop()]); // server.stop() lets open requests finish
    await Promise.all([sql.close({ timeout: 5 }), Promise.resolve(redis.close())]);
    sqs.destroy();
    ses.destroy();
    clearTimeout(deadline);
    log.info('shutdown complete');
    process.exit(0);
  } catch (error) {
    log.error('shutdown failed', { error });
    process.exit(1);
  }
}

process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
