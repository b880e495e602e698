/**
 * `database`: PostgreSQL for the app, absent = no database. An RDS instance (`engine: 'postgres'`, the default:
 * db.t4g.micro, gp3 20 GB growing to 100 GB) or Aurora PostgreSQL Serverless v2 (`engine: 'aurora-serverless'`,
 * 0.5 to 2 ACUs by default; `minCapacity: 0` pauses it when idle). `proxy: true` adds RDS Proxy for Lambda
 * consumers. `poolSize` is the connection pool of each task: the connection budget (connection-budget.ts)
 * refuses a configuration whose pools can exhaust max_connections.
 */
import { z } from 'zod';
import { DATABASE_ENGINE_MODES } from '../definitions/rds';
import { intIn, oneOf } from './common';
import { KNOWN_INSTANCE_CLASSES, instanceClassMemoryGiB } from './connection-budget';

const identifier = z
  .string()
  .regex(/^[a-zA-Z][a-zA-Z0-9_]{0,62}$/, 'must be a letter followed by up to 62 letters, digits or underscores')
  .refine((v) => v.toLowerCase() !== 'rdsadmin', 'must not be rdsadmin (reserved by RDS)');

/** Aurora Serverless v2 capacity in ACUs: steps of 0.5 up to 256. */
const acu = (min: number) =>
  z
    .number({ error: () => `must be a number of ACUs from ${min} to 256 in steps of 0.5` })
    .refine((v) => v >= min && v <= 256 && Number.isInteger(v * 2), `must be from ${min} to 256 ACUs in steps of 0.5 (e.g. 0.5, 1, 2, 4)`);

const instanceClass = z
  .string()
  .refine(
    (v) => instanceClassMemoryGiB(v) !== undefined,
    `must be an RDS instance class Backplane can size connections for: ${KNOWN_INSTANCE_CLASSES}, e.g. "db.t4g.micro"`,
  );

export const DATABASE_DEFAULTS = {
  instanceClass: 'db.t4g.micro',
  minCapacity: 0.5,
  maxCapacity: 2,
} as const;

const POSTGRES_ONLY = ['instanceClass', 'allocatedStorage', 'maxAllocatedStorage', 'multiAz'] as const;
const AURORA_ONLY = ['minCapacity', 'maxCapacity', 'autoPauseSeconds', 'readers'] as const;

export const databaseSchema = z
  .object({
    /** "postgres": an RDS instance; "aurora-serverless": Aurora PostgreSQL Serverless v2. */
    engine: oneOf(DATABASE_ENGINE_MODES).default('postgres'),
    /** PostgreSQL major ("17", minor upgrades automatic) or full version ("17.6"). */
    engineVersion: z
      .string()
      .regex(/^[0-9]{2}(\.[0-9]+)?$/, 'must be a PostgreSQL major such as "17" or a full version such as "17.6"')
      .default('17'),
    /** engine "postgres": the instance class (its memory sets max_connections). @default "db.t4g.micro" */
    instanceClass: instanceClass.optional(),
    /** engine "postgres": initial gp3 storage, GB. @default 20 */
    allocatedStorage: intIn(20, 65536).optional(),
    /** engine "postgres": storage autoscaling ceiling, GB (0 = off). @default 100 */
    maxAllocatedStorage: intIn(0, 65536).optional(),
    /** engine "postgres": a standby in a second AZ with automatic failover. @default false (true on a protected stage) */
    multiAz: z.boolean().optional(),
    /** engine "aurora-serverless": minimum ACUs; 0 pauses when idle. @default 0.5 */
    minCapacity: acu(0).optional(),
    /** engine "aurora-serverless": maximum ACUs (also sets max_connections). @default 2 */
    maxCapacity: acu(1).optional(),
    /** engine "aurora-serverless": readers beside the writer, to fail over to in another AZ (each billed like the writer). @default 0 (1 on a protected stage) */
    readers: intIn(0, 15).optional(),
    /** engine "aurora-serverless" with minCapacity 0: idle seconds before pausing. @default 300 */
    autoPauseSeconds: intIn(300, 86400).optional(),
    /** The database created on the instance for the app. */
    databaseName: identifier.default('app'),
    /** The master user name (its password is managed by RDS in Secrets Manager). */
    username: identifier.default('app'),
    /** Connections each task's pool may open (the API and worker services). */
    poolSize: intIn(1, 1000).default(10),
    /** RDS Proxy in front, for Lambda consumers (TLS required). */
    proxy: z.boolean().default(false),
    /** Days of automated backups (point-in-time recovery window). */
    backupRetentionDays: intIn(1, 35).default(7),
    /** Create the database from a snapshot (e.g. the final snapshot of a destroyed stack); read only at create. */
    restoreFromSnapshot: z
      .string()
      .regex(
        /^(arn:aws[a-zA-Z-]*:rds:[a-z0-9-]+:[0-9]{12}:(cluster-)?snapshot:)?[a-zA-Z][a-zA-Z0-9-]{0,254}$/,
        'must be a DB snapshot (or, for Aurora, DB cluster snapshot) identifier or ARN, e.g. "shop-prod-final-1a2b3c4d"',
      )
      .optional(),
    /** Turn on Performance Insights (query-level monitoring; 7 days free). */
    performanceInsights: z.boolean().default(false),
  })
  .strict()
  .superRefine((d, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    const other = d.engine === 'postgres' ? 'aurora-serverless' : 'postgres';
    for (const key of d.engine === 'postgres' ? AURORA_ONLY : POSTGRES_ONLY) {
      if (d[key] !== undefined)
        issue(key, `only applies to engine "${other}" (engine is "${d.engine}"): remove it or set engine: "${other}"`);
    }
    const min = d.minCapacity ?? DATABASE_DEFAULTS.minCapacity;
    const max = d.maxCapacity ?? DATABASE_DEFAULTS.maxCapacity;
    if (d.engine === 'aurora-serverless' && min > max) issue('minCapacity', `must not exceed maxCapacity (${max})`);
    if (d.engine === 'aurora-serverless' && d.proxy && min === 0) {
      issue(
        'minCapacity',
        'cannot be 0 with proxy: true: Aurora does not pause automatically behind RDS Proxy; use 0.5 or more, or proxy: false',
      );
    }
    if (d.autoPauseSeconds !== undefined && min !== 0) issue('autoPauseSeconds', 'only applies with minCapacity: 0 (automatic pause)');
    const storage = d.allocatedStorage ?? 20;
    if (d.maxAllocatedStorage !== undefined && d.maxAllocatedStorage !== 0 && d.maxAllocatedStorage < storage) {
      issue('maxAllocatedStorage', `must be 0 (no storage autoscaling) or at least allocatedStorage (${storage})`);
    }
  })
  .transform((d) => ({
    ...d,
    instanceClass: d.instanceClass ?? DATABASE_DEFAULTS.instanceClass,
    allocatedStorage: d.allocatedStorage ?? 20,
    maxAllocatedStorage: d.maxAllocatedStorage ?? 100,
    multiAz: d.multiAz ?? false,
    minCapacity: d.minCapacity ?? DATABASE_DEFAULTS.minCapacity,
    maxCapacity: d.maxCapacity ?? DATABASE_DEFAULTS.maxCapacity,
    autoPauseSeconds: d.autoPauseSeconds ?? 300,
    readers: d.readers ?? 0,
  }))
  .optional();

export type DatabaseConfig = z.output<typeof databaseSchema>;
/** The database section when present, with defaults applied. */
export type ResolvedDatabaseConfig = NonNullable<DatabaseConfig>;
