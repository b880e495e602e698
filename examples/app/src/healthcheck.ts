/**
 * `bun run src/healthcheck.ts`: the container health check (liveness) without curl (the image has none).
 * Exits 0 when GET http://127.0.0.1:$PORT/livez answers 200 within 3 s, else 1. In the ECS task
 * definition: healthCheck.command = ["CMD", "bun", "run", "src/healthcheck.ts"]. Shallow on purpose: the
 * deep /healthz (database, cache) is the target group's check, so a dependency outage drains traffic
 * instead of killing every task.
 */
const port = process.env.PORT?.trim() || '8080';

fetch(`http://127.0.0.1:${port}/livez`, { signal: AbortSignal.timeout(3_000) }).then(
  (res) => process.exit(res.status === 200 ? 0 : 1),
  () => process.exit(1),
);
