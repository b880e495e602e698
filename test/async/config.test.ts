/** The `queues`, `cron` and `secrets` config sections: defaults, derived values, and errors that name field, value and rule. */
import { resolveConfig } from '../../src/config';
import { isTimeZone, scheduleProblem } from '../../src/config/cron';
import { queueEnvName } from '../../src/config/queues';
import { configWith } from './helpers';

const errorOf = (extra: Record<string, unknown>): string => {
  try {
    resolveConfig(configWith(extra));
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected the config to be rejected');
};

describe('queues', () => {
  it('defaults to an in-process worker with a 30 s timeout, a visibility of 6x that, 3 receives and 4 days', () => {
    const c = resolveConfig(configWith({ queues: { jobs: {} } }));
    expect(c.queues?.jobs).toEqual({
      worker: 'in-process',
      fifo: false,
      contentBasedDeduplication: false,
      retentionDays: 4,
      maxReceiveCount: 3,
      workerTimeoutSeconds: 30,
      visibilityTimeoutSeconds: 180,
    });
  });

  it('derives the visibility timeout from the worker timeout, and from the Lambda timeout in lambda mode', () => {
    const c = resolveConfig(
      configWith({ queues: { a: { workerTimeoutSeconds: 120 }, b: { worker: 'lambda', lambda: { handler: './w.ts', timeout: 45 } } } }),
    );
    expect(c.queues?.a.visibilityTimeoutSeconds).toBe(720);
    expect(c.queues?.b).toMatchObject({ workerTimeoutSeconds: 45, visibilityTimeoutSeconds: 270 });
  });

  it('names queue URLs QUEUE_URL_<KEY> in upper case with underscores', () => {
    expect(queueEnvName('jobs')).toBe('QUEUE_URL_JOBS');
    expect(queueEnvName('email-out')).toBe('QUEUE_URL_EMAIL_OUT');
  });

  it('fills service worker defaults: 0.25 vCPU / 0.5 GB, 0 to 4 tasks, 100 messages per task', () => {
    const c = resolveConfig(configWith({ queues: { jobs: { worker: 'service', service: { command: ['bun', 'worker.ts'] } } } }));
    expect(c.queues?.jobs.service).toEqual({
      command: ['bun', 'worker.ts'],
      cpu: 256,
      memory: 512,
      minCount: 0,
      maxCount: 4,
      messagesPerTask: 100,
      spot: false,
    });
  });

  it.each([
    [{ Jobs: {} }, 'queues.Jobs = {}: the queue name "Jobs" must be 1 to 20 lower-case letters'],
    [{ 'a-very-long-queue-name-here': {} }, 'the queue name "a-very-long-queue-name-here" must be 1 to 20'],
    [{ jobs: { worker: 'threads' } }, 'queues.jobs.worker = "threads": must be one of "in-process", "service", "lambda"'],
    [{ jobs: { worker: 'service' } }, 'queues.jobs.service is missing: is required with worker "service"'],
    [{ jobs: { worker: 'lambda' } }, 'queues.jobs.lambda is missing: is required with worker "lambda"'],
    [
      { jobs: { service: { command: ['x'] } } },
      'queues.jobs.service = {"command":["x"]}: only applies with worker "service" (worker is "in-process")',
    ],
    [
      { jobs: { worker: 'service', service: { command: ['x'], cpu: 256, memory: 4096 } } },
      'queues.jobs.service.memory = 4096: is not valid with cpu 256 on Fargate; allowed: 512, 1024, 2048',
    ],
    [
      { jobs: { worker: 'service', service: { command: ['x'], minCount: 5, maxCount: 2 } } },
      'queues.jobs.service.minCount = 5: must not exceed service.maxCount (2)',
    ],
    [{ jobs: { contentBasedDeduplication: true } }, 'queues.jobs.contentBasedDeduplication = true: only applies to FIFO queues'],
    [{ jobs: { workerTimeoutSeconds: 7201 } }, 'queues.jobs.workerTimeoutSeconds = 7201: must be at most 7200'],
    [
      { jobs: { worker: 'lambda', workerTimeoutSeconds: 30, lambda: { handler: './w.ts', timeout: 60 } } },
      'queues.jobs.lambda.timeout = 60: differs from workerTimeoutSeconds (30)',
    ],
    [
      { jobs: { worker: 'lambda', workerTimeoutSeconds: 1000, lambda: { handler: './w.ts' } } },
      'queues.jobs.workerTimeoutSeconds = 1000: must be at most 900 with worker "lambda"',
    ],
    [
      { jobs: { worker: 'lambda', fifo: true, lambda: { handler: './w.ts', batchSize: 20 } } },
      'queues.jobs.lambda.batchSize = 20: must be at most 10 for a FIFO queue',
    ],
    [
      { jobs: { worker: 'lambda', lambda: { handler: './w.ts', batchSize: 50 } } },
      'queues.jobs.lambda.maxBatchingWindowSeconds is missing: must be at least 1 when lambda.batchSize is above 10',
    ],
    [
      { jobs: { worker: 'lambda', lambda: { handler: './w.py' } } },
      'queues.jobs.lambda.handler = "./w.py": must be the path of a .ts or .js module',
    ],
    [{ jobs: { maxReceiveCount: 0 } }, 'queues.jobs.maxReceiveCount = 0: must be at least 1'],
  ])('rejects %j with a message naming the field, the value and the rule', (queues, message) => {
    expect(errorOf({ queues })).toContain(message);
  });
});

describe('cron', () => {
  it('defaults to UTC, enabled, 2 retries within an hour', () => {
    const c = resolveConfig(configWith({ cron: { nightly: { schedule: 'cron(0 3 * * ? *)', command: ['bun', 'run', 'nightly.ts'] } } }));
    expect(c.cron?.nightly).toEqual({
      schedule: 'cron(0 3 * * ? *)',
      timezone: 'UTC',
      command: ['bun', 'run', 'nightly.ts'],
      enabled: true,
      retries: 2,
      maxEventAgeSeconds: 3600,
    });
  });

  it.each([
    'rate(1 minute)',
    'rate(5 minutes)',
    'rate(12 hours)',
    'rate(1 day)',
    'cron(0 3 * * ? *)',
    'cron(0/15 * * * ? *)',
    'cron(0 9 ? * MON-FRI *)',
    'cron(0 0 L * ? *)',
    'cron(30 2 ? * 2#1 2026-2030)',
    'at(2026-12-01T09:00:00)',
  ])('accepts %s', (expr) => expect(scheduleProblem(expr)).toBeUndefined());

  it.each([
    ['cron(0 3 * * *)', 'cron(...) has 5 fields; it needs 6: minutes hours day-of-month month day-of-week year'],
    ['cron(0 3 * * * *)', 'needs ? in exactly one of day-of-month (field 3) and day-of-week (field 5)'],
    ['cron(0 3 ? * ? *)', 'needs ? in exactly one of day-of-month'],
    ['cron(75 3 * * ? *)', 'field 1 (minutes) "75" must be within 0-59'],
    ['cron(0 24 * * ? *)', 'field 2 (hours) "24" must be within 0-23'],
    ['rate(1 minutes)', 'rate(1 ...) takes the singular unit: "rate(1 minute)"'],
    ['rate(5 minute)', 'rate(5 ...) takes the plural unit: "rate(5 minutes)"'],
    ['rate(0 minutes)', 'needs a value of at least 1'],
    ['rate(5 weeks)', 'rate(...) takes a whole number and a unit: minute(s), hour(s) or day(s)'],
    ['at(2026-02-30T09:00:00)', 'at(...) is not a real date and time'],
    ['0 3 * * *', 'must be rate(<n> minutes|hours|days), cron(<6 fields>) or at(yyyy-mm-ddThh:mm:ss)'],
  ])('rejects %s: %s', (expr, message) => {
    expect(scheduleProblem(expr)).toContain(message);
    expect(errorOf({ cron: { job: { schedule: expr, command: ['x'] } } })).toContain(`cron.job.schedule = ${JSON.stringify(expr)}: `);
  });

  it('accepts IANA zones and their links, rejects anything else with a hint', () => {
    for (const tz of ['Europe/Berlin', 'America/New_York', 'UTC', 'Etc/UTC', 'Asia/Kolkata', 'America/Argentina/Buenos_Aires'])
      expect(isTimeZone(tz)).toBe(true);
    for (const tz of ['europe/berlin', 'CET+1', '+01:00', 'Mars/Olympus_Mons', '']) expect(isTimeZone(tz)).toBe(false);
    expect(errorOf({ cron: { job: { schedule: 'rate(1 hour)', timezone: 'europe/berlin', command: ['x'] } } })).toContain(
      'cron.job.timezone = "europe/berlin": must be an IANA time zone such as "Europe/Berlin", "America/New_York" or "UTC" (did you mean "Europe/Berlin"?)',
    );
  });

  it('needs exactly one of command and lambda', () => {
    expect(errorOf({ cron: { job: { schedule: 'rate(1 hour)' } } })).toContain('cron.job.command is missing: set exactly one of command');
    expect(errorOf({ cron: { job: { schedule: 'rate(1 hour)', command: ['x'], lambda: { handler: './j.ts' } } } })).toContain(
      'cron.job.command = ["x"]: set exactly one of command',
    );
  });

  it('rejects job names that would not fit AWS name limits', () => {
    expect(errorOf({ cron: { 'Nightly Job': { schedule: 'rate(1 day)', command: ['x'] } } })).toContain(
      'the cron job name "Nightly Job" must be 1 to 20 lower-case letters',
    );
  });
});

describe('secrets', () => {
  it('takes a description per upper-case name and no value', () => {
    const c = resolveConfig(configWith({ secrets: { STRIPE_KEY: { description: 'Stripe API key' } } }));
    expect(c.secrets).toEqual({ STRIPE_KEY: { description: 'Stripe API key' } });
  });

  it.each([
    [
      { stripe: { description: 'x' } },
      'secrets.stripe = {"description":"x"}: the secret name "stripe" must be an upper-case environment variable name',
    ],
    [{ STRIPE_KEY: { description: '' } }, 'secrets.STRIPE_KEY.description = "": must say what the secret is for'],
    [{ STRIPE_KEY: { description: 'x', value: 'sk_live_123' } }, 'secrets.STRIPE_KEY.value: unknown setting'],
    [
      { STRIPE_KEY: { description: 'x', recoveryWindowDays: 3 } },
      'secrets.STRIPE_KEY.recoveryWindowDays = 3: must be 0 (delete at once) or 7 to 30 days',
    ],
  ])('rejects %j', (secrets, message) => {
    expect(errorOf({ secrets })).toContain(message);
  });
});
