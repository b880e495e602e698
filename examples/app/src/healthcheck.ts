/**
 * `bun run src/healthcheck.ts`: the container health check without curl (the image has none).
 * Exits 0 when GET http://127.0.0.1:$PORT/healthz answers 200 within 3 s, else 1. In the ECS task
 * definition: healthCheck.command = ["CMD", "bun", "run", "src/healthcheck.ts"].
 */
const port = process.env.PORT?.trim() || '8080';

fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(3_000) }).then(
  (res) => process.exit(res.status === 200 ? 0 : 1),
  () => process.exit(1),
);
