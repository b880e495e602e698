/**
 * `cron`: scheduled jobs on EventBridge Scheduler. Each job runs a command in the app image (an ECS task) or a
 * Bun Lambda, at a `rate(...)`, `cron(...)` or one-time `at(...)` expression in an IANA time zone.
 *
 * Expression rules from the EventBridge Scheduler user guide ("Schedule types on EventBridge Scheduler",
 * docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html): rate(value unit) with unit minute(s),
 * hour(s) or day(s) (singular for 1); cron(minutes hours day-of-month month day-of-week year), six fields, where
 * day-of-month or day-of-week must be `?`; at(yyyy-mm-ddThh:mm:ss).
 */
import { z } from 'zod';
import { commandList, intIn } from './common';
import { checkKeys, handlerPath } from './queues';

const FIELDS = ['minutes', 'hours', 'day-of-month', 'month', 'day-of-week', 'year'] as const;
const FIELD_CHARS: Record<(typeof FIELDS)[number], RegExp> = {
  minutes: /^[0-9,\-*/]+$/,
  hours: /^[0-9,\-*/]+$/,
  'day-of-month': /^([0-9,\-*/LW]+|\?)$/,
  month: /^([0-9,\-*/]|JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)+$/i,
  'day-of-week': /^([1-7,\-*/L#]|SUN|MON|TUE|WED|THU|FRI|SAT|\?)+$/i,
  year: /^[0-9,\-*/]+$/,
};
const RANGES: Partial<Record<(typeof FIELDS)[number], [number, number]>> = {
  minutes: [0, 59],
  hours: [0, 23],
  'day-of-month': [1, 31],
  year: [1970, 2199],
};

export const SCHEDULE_RULE =
  'rate(<n> minutes|hours|days), cron(<6 fields>) or at(yyyy-mm-ddThh:mm:ss), e.g. "cron(0 3 * * ? *)" or "rate(15 minutes)"';

/** Why a schedule expression is invalid, or undefined when it is valid. */
export function scheduleProblem(expr: string): string | undefined {
  const rate = /^rate\((.*)\)$/.exec(expr);
  if (rate) {
    const m = /^(\d+) (minute|minutes|hour|hours|day|days)$/.exec(rate[1]);
    if (!m) return 'rate(...) takes a whole number and a unit: minute(s), hour(s) or day(s), e.g. "rate(15 minutes)"';
    const n = Number(m[1]);
    if (n < 1) return 'rate(...) needs a value of at least 1';
    const plural = m[2].endsWith('s');
    if (n === 1 && plural) return `rate(1 ...) takes the singular unit: "rate(1 ${m[2].slice(0, -1)})"`;
    if (n > 1 && !plural) return `rate(${n} ...) takes the plural unit: "rate(${n} ${m[2]}s)"`;
    return undefined;
  }
  const cron = /^cron\((.*)\)$/.exec(expr);
  if (cron) {
    const fields = cron[1].trim().split(/\s+/);
    if (fields.length !== 6) {
      return `cron(...) has ${fields.length} field${fields.length === 1 ? '' : 's'}; it needs 6: minutes hours day-of-month month day-of-week year, with ? in day-of-month or day-of-week, e.g. "cron(0 3 * * ? *)" (a Unix crontab has 5)`;
    }
    for (const [i, name] of FIELDS.entries()) {
      const f = fields[i];
      if (!FIELD_CHARS[name].test(f)) return `cron(...) field ${i + 1} (${name}) "${f}" is not valid`;
      const range = RANGES[name];
      const numbers = f
        .split(/[,\-/]/)
        .filter((x) => /^\d+$/.test(x))
        .map(Number);
      // After a "/" comes an increment, which may exceed the field's range only for years; keep the check simple.
      if (range && numbers.some((x) => x < range[0] || x > range[1]) && !f.includes('/')) {
        return `cron(...) field ${i + 1} (${name}) "${f}" must be within ${range[0]}-${range[1]}`;
      }
    }
    const dom = fields[2];
    const dow = fields[4];
    if ((dom === '?') === (dow === '?')) {
      return 'cron(...) needs ? in exactly one of day-of-month (field 3) and day-of-week (field 5), e.g. "cron(0 3 * * ? *)" or "cron(0 3 ? * MON *)"';
    }
    return undefined;
  }
  const at = /^at\((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\)$/.exec(expr);
  if (at) {
    const [y, mo, d, h, mi, s] = at.slice(1).map(Number);
    const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
    const same = date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d && h < 24 && mi < 60 && s < 60;
    return same ? undefined : `at(...) is not a real date and time: ${expr}`;
  }
  return `must be ${SCHEDULE_RULE}`;
}

let zones: Set<string> | undefined;

/** IANA time zones: Intl's canonical list, plus links (e.g. "UTC", "Asia/Kolkata") that Intl resolves. */
export function isTimeZone(tz: string): boolean {
  zones ??= new Set(Intl.supportedValuesOf('timeZone'));
  if (zones.has(tz)) return true;
  // Links are not in supportedValuesOf; accept what Intl resolves, spelled as IANA spells it (capitalized segments).
  if (!/^[A-Z][A-Za-z0-9_+-]*(\/[A-Z][A-Za-z0-9_+-]*)*$/.test(tz)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

function timeZoneHint(tz: string): string {
  try {
    const resolved = new Intl.DateTimeFormat('en-US', { timeZone: tz }).resolvedOptions().timeZone;
    return ` (did you mean "${resolved}"?)`;
  } catch {
    return '';
  }
}

export const scheduleExpression = z.string().superRefine((v, ctx) => {
  const problem = scheduleProblem(v);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

export const timeZone = z.string().superRefine((v, ctx) => {
  if (!isTimeZone(v))
    ctx.addIssue({
      code: 'custom',
      message: `must be an IANA time zone such as "Europe/Berlin", "America/New_York" or "UTC"${timeZoneHint(v)}`,
    });
});

const cronJobSchema = z
  .object({
    schedule: scheduleExpression,
    /** Time zone of cron(...) and at(...) expressions (daylight saving time applies). */
    timezone: timeZone.default('UTC'),
    /** Runs this command in the app image as a one-off ECS task. */
    command: commandList.optional(),
    /** Or invokes a Bun Lambda built from this handler. */
    lambda: z
      .object({ handler: handlerPath, memory: intIn(128, 10240).default(256), timeout: intIn(1, 900).default(60) })
      .strict()
      .optional(),
    description: z.string().max(512, 'must be at most 512 characters').optional(),
    enabled: z.boolean().default(true),
    /** Retries of a failed invocation (the target could not be started); 0-185. */
    retries: intIn(0, 185).default(2),
    /** Give up on an invocation this long after its scheduled time; 60-86400 seconds. */
    maxEventAgeSeconds: intIn(60, 86400).default(3600),
  })
  .strict()
  .superRefine((job, ctx) => {
    if ((job.command === undefined) === (job.lambda === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['command'],
        message:
          'set exactly one of command (runs in the app image, e.g. ["bun", "run", "src/nightly.ts"]) or lambda (e.g. { handler: "./jobs/nightly.ts" })',
      });
    }
  });

export const cronSchema = z.record(z.string(), cronJobSchema).superRefine(checkKeys('cron job')).optional();
export type CronConfig = z.output<typeof cronSchema>;
export type CronJobConfig = z.output<typeof cronJobSchema>;
