/**
 * The sample app (examples/app) against real services on loopback: PostgreSQL and Redis from
 * scripts/start-local-services.sh, SQS and SES v2 from a private moto_server. It runs the migrate
 * command and the app with bun, exactly as the containers do, and checks the env contract over HTTP
 * and through the backends themselves (psql, redis-cli, moto's state).
 *
 * Needs: bun (repo devDependency), PostgreSQL server binaries, redis-server, moto_server, and
 * `npm ci --prefix examples/app`. A missing one fails the suite with one line; nothing is skipped.
 */
import { CreateEmailIdentityCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { CreateQueueCommand, GetQueueAttributesCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { httpJson, logLines, psqlQuery, redisGetKey, sesSentEmails, sqsQueueDepth } from './probes';
import {
  APP_DIR,
  HoldingProxy,
  BUN,
  freePort,
  preflight,
  Proc,
  run,
  RunResult,
  sleep,
  startMoto,
  startHoldingProxy,
  startServices,
  stopServices,
  waitFor,
  within,
} from './local-env';

const EMAIL_FROM = 'no-reply@example.com';
const APP_ROLE = 'app_runtime';
const APP_ROLE_PASSWORD = `local-${process.pid}`;

let services: Record<string, string> | undefined;
let moto: { proc: Proc; url: string } | undefined;
let proxy: HoldingProxy | undefined; // the app reaches moto through it
let sqs: SQSClient | undefined;
let app: Proc | undefined;
const others: Proc[] = [];
let appEnv: NodeJS.ProcessEnv = {};
let appUrl = '';
const queues = { jobs: '', dlq: '', other: '' };
const migrateRuns: RunResult[] = [];

function startApp(env: NodeJS.ProcessEnv): Proc {
  return new Proc(BUN, ['run', 'src/index.ts'], { cwd: APP_DIR, env });
}

async function waitHealthy(proc: Proc, url: string): Promise<void> {
  await waitFor(
    `${url}/healthz to answer`,
    async () => {
      if (!proc.running) throw new Error(`the app exited (${JSON.stringify(proc.exit)}):\n${proc.tail()}`);
      const res = await fetch(`${url}/healthz`);
      return res.status === 200 ? true : undefined;
    },
    20_000,
  );
}

const http = (method: string, path: string, body?: unknown) => httpJson(appUrl, method, path, body);
const psql = (query: string, as?: { user?: string; password?: string; database?: string }) => psqlQuery(services!, query, as);
const redisGet = (key: string) => redisGetKey(services!, key);
const sentEmails = () => sesSentEmails(moto!.url);
const queueDepth = (url: string) => sqsQueueDepth(sqs!, url);

beforeAll(async () => {
  preflight();
  services = await startServices();
  moto = await startMoto();
  proxy = await startHoldingProxy(moto.url);

  const aws = { region: 'us-east-1', endpoint: moto.url, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } };
  sqs = new SQSClient(aws);
  const ses = new SESv2Client(aws);
  queues.dlq = (await sqs.send(new CreateQueueCommand({ QueueName: 'jobs-dlq' }))).QueueUrl!;
  const dlqArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queues.dlq, AttributeNames: ['QueueArn'] }))).Attributes!
    .QueueArn!;
  // A 1 s visibility timeout and maxReceiveCount 2 make a failing job reach the DLQ in seconds.
  queues.jobs = (
    await sqs.send(
      new CreateQueueCommand({
        QueueName: 'jobs',
        Attributes: { VisibilityTimeout: '1', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 2 }) },
      }),
    )
  ).QueueUrl!;
  queues.other = (await sqs.send(new CreateQueueCommand({ QueueName: 'other' }))).QueueUrl!;
  await ses.send(new CreateEmailIdentityCommand({ EmailIdentity: 'example.com' })); // verified at once in moto
  ses.destroy();

  const port = await freePort();
  appUrl = `http://127.0.0.1:${port}`;
  appEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME ?? '/tmp',
    PORT: String(port),
    APP_STAGE: 'dev',
    AWS_REGION: 'us-east-1',
    AWS_ENDPOINT_URL: proxy.url,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    DATABASE_HOST: services.DATABASE_HOST,
    DATABASE_PORT: services.DATABASE_PORT,
    DATABASE_NAME: services.DATABASE_NAME,
    DATABASE_USER: services.DATABASE_USER,
    DATABASE_PASSWORD: services.DATABASE_PASSWORD,
    DATABASE_SSL: 'disable', // the local server has no TLS; AWS sets require
    REDIS_URL: services.REDIS_URL,
    REDIS_AUTH_TOKEN: services.REDIS_AUTH_TOKEN,
    QUEUE_URL_JOBS: queues.jobs,
    EMAIL_FROM,
  };

  // As on AWS: migrate runs as the owner (the master user) and grants the app's own role; the app logs in as
  // that role. Locally it has a password (no IAM auth on a plain PostgreSQL), on AWS DATABASE_AUTH=iam.
  const migrateEnv = { ...appEnv, DATABASE_APP_USER: APP_ROLE, DATABASE_APP_PASSWORD: APP_ROLE_PASSWORD };
  for (let i = 0; i < 2; i++) {
    migrateRuns.push(await run(BUN, ['run', 'src/migrate.ts'], { cwd: APP_DIR, env: migrateEnv }));
  }
  appEnv = { ...appEnv, DATABASE_USER: APP_ROLE, DATABASE_PASSWORD: APP_ROLE_PASSWORD };
  if (migrateRuns[0]!.code !== 0) throw new Error(`migrate failed: ${migrateRuns[0]!.stdout}${migrateRuns[0]!.stderr}`);

  app = startApp(appEnv);
  await waitHealthy(app, appUrl);
}, 180_000);

afterAll(async () => {
  const problems: string[] = [];
  for (const proc of [app, ...others]) await proc?.stop('SIGTERM', 5_000);
  await proxy?.close();
  await moto?.proc.stop('SIGTERM', 5_000);
  sqs?.destroy();
  if (services?.LOCAL_SERVICES_DIR) {
    await stopServices(services.LOCAL_SERVICES_DIR).catch((e: unknown) => problems.push(String(e)));
  }
  if (problems.length) throw new Error(problems.join('; '));
}, 60_000);

describe('sample app on real Postgres, Redis and moto', () => {
  test('migrate applies 001_items.sql once, records it in schema_migrations, and a rerun applies nothing', async () => {
    const [first, second] = migrateRuns.map((r) => {
      expect(r.code).toBe(0);
      return r.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { msg: string; applied?: string[] });
    });
    expect(first!.find((l) => l.msg === 'migrations done')?.applied).toEqual(['001_items.sql']);
    expect(second!.find((l) => l.msg === 'migrations done')?.applied).toEqual([]);
    expect(await psql('SELECT version FROM schema_migrations ORDER BY version')).toBe('001_items.sql');
    expect(await psql("SELECT to_regclass('public.items') IS NOT NULL")).toBe('t');
  });

  test('the app runs as its own role, which migrate granted rows but no DDL, no role management, no superuser', async () => {
    const asApp = { user: APP_ROLE, password: APP_ROLE_PASSWORD };
    expect(await psql('SELECT rolsuper, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = current_user', asApp)).toBe('f|f|f');
    expect(await psql('SELECT current_user', asApp)).toBe(APP_ROLE);
    // Rows: yes (the app's requests go through this role: see the items test below).
    expect(await psql('SELECT count(*) >= 0 FROM items', asApp)).toBe('t');
    // Schema changes and role management: refused by PostgreSQL itself.
    await expect(psql('CREATE TABLE app_may_not (id int)', asApp)).rejects.toThrow(/permission denied/);
    await expect(psql('DROP TABLE items', asApp)).rejects.toThrow(/must be owner/);
    await expect(psql('CREATE ROLE intruder', asApp)).rejects.toThrow(/permission denied/);
    await expect(psql('SELECT count(*) FROM schema_migrations WHERE false', asApp)).resolves.toBe('0');
  });

  test('DATABASE_AUTH=iam: no password needed; each connection gets a fresh IAM auth token for the app role', async () => {
    const env = { ...appEnv, DATABASE_AUTH: 'iam', DATABASE_PASSWORD: undefined, DATABASE_HOST: 'db.example.internal' };
    const script =
      "import { loadConfig } from './src/config'; import { passwordSource } from './src/db';" +
      "const p = passwordSource(loadConfig()); console.log(typeof p === 'function' ? await p() : 'static');";
    const out = await run(BUN, ['-e', script], { cwd: APP_DIR, env, timeoutMs: 20_000 });
    expect(out.stderr).toBe('');
    const token = new URL(`https://${out.stdout.trim()}`);
    expect(token.host).toBe(`db.example.internal:${appEnv.DATABASE_PORT}`);
    expect(token.searchParams.get('Action')).toBe('connect');
    expect(token.searchParams.get('DBUser')).toBe(APP_ROLE);
    expect(token.searchParams.get('X-Amz-Credential')).toMatch(/^testing\/\d{8}\/us-east-1\/rds-db\/aws4_request$/);
    expect(token.searchParams.get('X-Amz-Expires')).toBe('900');
  });

  test('refuses to start on a bad env value and names the variable', async () => {
    const cases: Array<[NodeJS.ProcessEnv, string]> = [
      [{ ...appEnv, APP_STAGE: 'QA!' }, 'APP_STAGE="QA!" is not allowed'],
      [{ ...appEnv, QUEUE_URL_JOBS: undefined }, 'QUEUE_URL_JOBS is required'],
      [{ ...appEnv, REDIS_URL: 'redis://:secret@127.0.0.1:6379' }, 'REDIS_URL must not carry credentials'],
    ];
    for (const [env, message] of cases) {
      const out = await run(BUN, ['run', 'src/index.ts'], { cwd: APP_DIR, env, timeoutMs: 20_000 });
      expect(out.code).toBe(1);
      const line = JSON.parse(out.stdout.trim()) as { level: string; msg: string; error: string };
      expect(line).toMatchObject({ level: 'error', msg: 'invalid configuration' });
      expect(line.error).toContain(message);
    }
  });

  test('GET /healthz and /livez answer 200 {"ok":true} and the healthcheck script exits 0', async () => {
    expect(await http('GET', '/healthz')).toEqual({ status: 200, body: { ok: true } });
    expect(await http('GET', '/livez')).toEqual({ status: 200, body: { ok: true } });
    const hc = await run(BUN, ['run', 'src/healthcheck.ts'], { cwd: APP_DIR, env: { PATH: process.env.PATH, PORT: appEnv.PORT } });
    expect(hc.code).toBe(0);
  });

  test('/healthz (readiness) answers 503 when Redis rejects the auth token while /livez and the container healthcheck stay green', async () => {
    const port = await freePort();
    const env = { ...appEnv, PORT: String(port), REDIS_AUTH_TOKEN: 'not-the-token', QUEUE_URL_JOBS: queues.other };
    const broken = startApp(env);
    others.push(broken);
    const res = await waitFor('the misconfigured app to answer /healthz', async () => {
      if (!broken.running) throw new Error(`exited: ${broken.tail()}`);
      const r = await fetch(`http://127.0.0.1:${port}/healthz`);
      return { status: r.status, body: (await r.json()) as Record<string, string> };
    });
    expect(res.status).toBe(503);
    expect(res.body.ok).toBe(false);
    expect(res.body.postgres).toBe('ok');
    expect(res.body.redis).not.toBe('ok');
    // Liveness is shallow: a dependency outage drains the task from the target group, ECS does not kill it.
    const live = await fetch(`http://127.0.0.1:${port}/livez`);
    expect(live.status).toBe(200);
    const hc = await run(BUN, ['run', 'src/healthcheck.ts'], { cwd: APP_DIR, env: { PATH: process.env.PATH, PORT: String(port) } });
    expect(hc.code).toBe(0);
    await broken.stop('SIGTERM', 10_000);
  });

  test('POST then GET /api/items round-trips through Postgres', async () => {
    const name = `item-${Date.now()}`;
    const created = await http('POST', '/api/items', { name });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name, id: expect.any(String) });
    expect(await psql(`SELECT name FROM items WHERE id = ${Number(created.body.id)}`)).toBe(name);

    const listed = await http('GET', '/api/items');
    expect(listed.status).toBe(200);
    expect(listed.body.items[0]).toMatchObject({ id: created.body.id, name });

    expect((await http('POST', '/api/items', {})).status).toBe(400);
    expect((await http('POST', '/api/items', '{not json')).status).toBe(400);
  });

  test('POST /api/counter increments a counter in Redis', async () => {
    const a = await http('POST', '/api/counter');
    const b = await http('POST', '/api/counter');
    expect(a.status).toBe(200);
    expect(typeof a.body.value).toBe('number');
    expect(b.body.value).toBe(a.body.value + 1);
    expect(await redisGet('counter')).toBe(String(b.body.value));
  });

  test('a preview stage (pr-7) on the same instance and cache: migrate creates its own database and role; its app keeps to them and to its key prefix', async () => {
    const role = { user: 'app_runtime_pr_7', password: `${APP_ROLE_PASSWORD}-pr-7` };
    // What a Backplane preview's migration container gets (src/presets/preview-tiers.ts): its own database and app role.
    const previewMigrate = {
      ...appEnv,
      APP_STAGE: 'pr-7',
      DATABASE_USER: services!.DATABASE_USER,
      DATABASE_PASSWORD: services!.DATABASE_PASSWORD,
      DATABASE_NAME: 'app_pr_7',
      DATABASE_CREATE: 'true',
      DATABASE_APP_USER: role.user,
      DATABASE_APP_PASSWORD: role.password,
    };
    const runs = [];
    for (let i = 0; i < 2; i++) runs.push(await run(BUN, ['run', 'src/migrate.ts'], { cwd: APP_DIR, env: previewMigrate }));
    for (const r of runs)
      expect({ code: r.code, stderr: r.stderr, failed: r.code === 0 ? '' : r.stdout }).toEqual({ code: 0, stderr: '', failed: '' });
    expect(runs[0]!.stdout).toContain('"database created"');
    expect(runs[1]!.stdout).not.toContain('"database created"');
    expect(await psql('SELECT version FROM schema_migrations', { database: 'app_pr_7' })).toBe('001_items.sql');

    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const preview = startApp({
      ...appEnv,
      PORT: String(port),
      APP_STAGE: 'pr-7',
      DATABASE_NAME: 'app_pr_7',
      DATABASE_USER: role.user,
      DATABASE_PASSWORD: role.password,
      CACHE_KEY_PREFIX: 'pr-7:',
      // A preview has queues of its own (only the database instance and the cache are shared).
      QUEUE_URL_JOBS: queues.other,
    });
    others.push(preview);
    await waitHealthy(preview, url);
    const parentCounter = await redisGet('counter');
    expect((await httpJson(url, 'POST', '/api/counter')).body).toEqual({ value: 1 });
    expect(await redisGet('pr-7:counter')).toBe('1');
    expect(await redisGet('counter')).toBe(parentCounter);
    const item = await httpJson(url, 'POST', '/api/items', { name: 'only in the preview' });
    expect(item.status).toBe(201);
    expect(await psql(`SELECT name FROM items WHERE id = ${Number(item.body.id)}`, { database: 'app_pr_7' })).toBe('only in the preview');
    expect(await psql("SELECT count(*) FROM items WHERE name = 'only in the preview'")).toBe('0');
    await preview.stop('SIGTERM', 5_000);
  });

  test('a posted email job is consumed by the in-process worker, sent through SES v2 and deleted', async () => {
    const subject = `welcome ${Date.now()}`;
    const posted = await http('POST', '/api/jobs', { type: 'email', to: 'user@example.org', subject, text: 'Hello from the worker' });
    expect(posted.status).toBe(202);
    expect(posted.body.messageId).toEqual(expect.any(String));

    const email = await waitFor('SES to record the email', async () => (await sentEmails()).find((m) => m.subject === subject));
    expect(email).toMatchObject({ source: EMAIL_FROM, body: 'Hello from the worker', destinations: { ToAddresses: ['user@example.org'] } });
    await waitFor('the jobs queue to drain', async () => {
      const depth = await queueDepth(queues.jobs);
      return depth.visible === 0 && depth.inFlight === 0 ? true : undefined;
    });
    // Deleted, not redelivered: after two visibility timeouts there is still one email and no DLQ entry.
    await sleep(2_500);
    expect((await sentEmails()).filter((m) => m.subject === subject)).toHaveLength(1);
    expect(await queueDepth(queues.dlq)).toEqual({ visible: 0, inFlight: 0 });
    expect(logLines(app!).some((l) => l.msg === 'job done' && l.messageId === posted.body.messageId)).toBe(true);

    expect((await http('POST', '/api/jobs', { type: 'sms', to: 'x' })).status).toBe(400);
  });

  test('a failing job is left in the queue and the redrive policy moves it to the DLQ', async () => {
    const before = (await sentEmails()).length;
    const sent = await sqs!.send(
      new SendMessageCommand({
        QueueUrl: queues.jobs,
        MessageBody: JSON.stringify({ type: 'email', to: 'not-an-address', subject: 's', text: 't' }),
      }),
    );
    await waitFor('the failed job to reach the DLQ', async () => ((await queueDepth(queues.dlq)).visible === 1 ? true : undefined), 30_000);
    expect(await queueDepth(queues.jobs)).toEqual({ visible: 0, inFlight: 0 });
    const failures = logLines(app!).filter((l) => l.msg === 'job failed' && l.messageId === sent.MessageId);
    expect(failures.map((l) => l.receiveCount)).toEqual([1, 2]);
    expect((await sentEmails()).length).toBe(before);
  });

  test('unknown routes answer 404', async () => {
    expect(await http('GET', '/api/nope')).toEqual({ status: 404, body: { error: 'not found' } });
  });

  test('SIGTERM while the worker long-polls: the poll is cut short, pools close, exit 0', async () => {
    const port = await freePort();
    const idle = startApp({ ...appEnv, PORT: String(port), QUEUE_URL_JOBS: queues.other });
    others.push(idle);
    await waitHealthy(idle, `http://127.0.0.1:${port}`);
    await sleep(500); // the worker is now inside a 20 s ReceiveMessage on an empty queue
    const started = Date.now();
    idle.child.kill('SIGTERM');
    expect(await within(idle.exited, 15_000)).toEqual({ code: 0, signal: null });
    expect(Date.now() - started).toBeLessThan(5_000);
    const msgs = logLines(idle).map((l) => l.msg);
    const order = ['shutting down', 'worker stopped', 'shutdown complete'].map((m) => msgs.indexOf(m));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  });

  test('SIGTERM while a job is in flight: the job finishes (sent once, deleted) before the process exits 0', async () => {
    const subject = `in flight ${Date.now()}`;
    const sesCall = proxy!.holdNext('/v2/email/outbound-emails'); // SES v2 SendEmail
    const posted = await http('POST', '/api/jobs', { type: 'email', to: 'user@example.org', subject, text: 'bye' });
    expect(posted.status).toBe(202);
    expect(await within(sesCall, 10_000)).not.toBe('timeout'); // the worker is waiting on SES now

    app!.child.kill('SIGTERM');
    await sleep(1_000);
    expect(app!.running).toBe(true); // still finishing the job
    expect((await http('GET', '/healthz').catch(() => ({ status: 0 }))).status).not.toBe(200); // no longer serving
    proxy!.release();
    expect(await within(app!.exited, 15_000)).toEqual({ code: 0, signal: null });

    const logs = logLines(app!);
    const done = logs.findIndex((l) => l.msg === 'job done' && l.messageId === posted.body.messageId);
    expect(done).toBeGreaterThan(logs.findIndex((l) => l.msg === 'shutting down'));
    expect(done).toBeLessThan(logs.findIndex((l) => l.msg === 'shutdown complete'));
    expect((await sentEmails()).filter((m) => m.subject === subject)).toHaveLength(1);
    await sleep(1_500); // a message received but not deleted would be visible again by now
    expect(await queueDepth(queues.jobs)).toEqual({ visible: 0, inFlight: 0 });
  });

  test('every line the app wrote to stdout is a JSON object with time, level and msg', () => {
    const lines = [...app!.stdoutLines, ...others.flatMap((p) => p.stdoutLines)];
    expect(lines.length).toBeGreaterThan(10);
    for (const line of lines) {
      const parsed = JSON.parse(line) as Record<string, unknown>;
      expect(typeof parsed.time).toBe('string');
      expect(['debug', 'info', 'warn', 'error']).toContain(parsed.level);
      expect(typeof parsed.msg).toBe('string');
    }
  });
});
