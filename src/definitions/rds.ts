import type { Constraint, CrossCheck } from '../modules/inputs';
import { input, must, patterns } from '../modules/inputs';
import { defineModule } from '../modules/module';
import { nameInput, tagsInput } from './common';

export const DATABASE_ENGINE_MODES = ['postgres', 'aurora-serverless'] as const;
export type DatabaseEngineMode = (typeof DATABASE_ENGINE_MODES)[number];

/** PostgreSQL listens here; the security groups open exactly this port. */
export const POSTGRES_PORT = 5432;

/**
 * Aurora Serverless v2 capacity: 0 to 256 ACUs in steps of 0.5 (0 = automatic pause). Source: "Aurora Serverless v2
 * capacity" in the Aurora user guide (aurora-serverless-v2.how-it-works.html); 0 needs Aurora PostgreSQL 13.15,
 * 14.12, 15.7, 16.3 or later (aurora-serverless-v2-auto-pause.html).
 */
export const acuConstraint = (min: number): Constraint<number> => ({
  test: (v) => v >= min && v <= 256 && Number.isInteger(v * 2),
  hcl: (ref) => `${ref} >= ${min} && ${ref} <= 256 && floor(${ref} * 2) == ${ref} * 2`,
  message: `must be from ${min} to 256 ACUs in steps of 0.5`,
});

const checks: CrossCheck[] = [
  {
    on: 'max_capacity',
    involves: ['min_capacity', 'max_capacity'],
    test: (p) => (p.minCapacity as number) <= (p.maxCapacity as number),
    hcl: 'var.min_capacity <= var.max_capacity',
    message: (p) => `min_capacity = ${String(p.minCapacity)} must not exceed max_capacity = ${String(p.maxCapacity)}`,
    hclMessage: 'min_capacity must not exceed max_capacity.',
  },
  {
    on: 'proxy',
    involves: ['engine_mode', 'min_capacity', 'proxy'],
    // "You can't use automatic pause with RDS Proxy" (aurora-serverless-v2-auto-pause.html, prerequisites).
    test: (p) => !(p.proxy === true && p.engineMode === 'aurora-serverless' && p.minCapacity === 0),
    hcl: '!(var.proxy && var.engine_mode == "aurora-serverless" && var.min_capacity == 0)',
    message: () =>
      'proxy = true cannot be combined with min_capacity = 0: Aurora cannot pause automatically behind RDS Proxy. Set min_capacity to 0.5 or more, or turn the proxy off.',
    hclMessage:
      'proxy = true cannot be combined with an Aurora min_capacity of 0 (automatic pause does not work behind RDS Proxy): use min_capacity >= 0.5 or proxy = false.',
  },
  {
    on: 'max_allocated_storage',
    involves: ['allocated_storage', 'max_allocated_storage'],
    test: (p) => (p.maxAllocatedStorage as number) === 0 || (p.maxAllocatedStorage as number) >= (p.allocatedStorage as number),
    hcl: 'var.max_allocated_storage == 0 || var.max_allocated_storage >= var.allocated_storage',
    message: (p) =>
      `max_allocated_storage = ${String(p.maxAllocatedStorage)} must be 0 (no storage autoscaling) or at least allocated_storage = ${String(p.allocatedStorage)}`,
    hclMessage: 'max_allocated_storage must be 0 (no storage autoscaling) or at least allocated_storage.',
  },
];

export const rdsDefinition = defineModule({
  name: 'rds',
  propsName: 'RdsInputs',
  description:
    'PostgreSQL for the app: an RDS instance (db.t4g.micro, gp3 with storage autoscaling) or an Aurora PostgreSQL Serverless v2 cluster, in private subnets, never publicly accessible, encrypted, with the master password generated and kept by RDS in Secrets Manager (never in config, env or state), TLS forced by a parameter group, 7-day backups, a final snapshot on delete, deletion protection when `protect` is set, PostgreSQL logs in CloudWatch, and an optional RDS Proxy (TLS required) for Lambda consumers. Port 5432 is open only to the given security groups.',
  inputs: {
    name: nameInput('the database, its subnet group, parameter group, security group and proxy'),
    engine_mode: input.string({
      description:
        'What runs PostgreSQL: "postgres" (an RDS instance) or "aurora-serverless" (an Aurora PostgreSQL Serverless v2 cluster with one instance).',
      default: 'postgres',
      constraints: [must.oneOf(DATABASE_ENGINE_MODES)],
    }),
    engine_version: input.string({
      description:
        'PostgreSQL version: a major ("17", RDS picks the default minor and applies minor upgrades in the maintenance window) or a full version ("17.6"). The parameter group family follows the major.',
      default: '17',
      constraints: [must.pattern('^[0-9]{2}(\\.[0-9]+)?$', 'a PostgreSQL major such as "17" or a full version such as "17.6"')],
    }),
    instance_class: input.string({
      description: 'RDS instance class (engine_mode "postgres"). Its memory sets max_connections.',
      default: 'db.t4g.micro',
      constraints: [must.pattern('^db\\.[a-z0-9-]+\\.[a-z0-9]+$', 'an RDS instance class such as db.t4g.micro')],
    }),
    allocated_storage: input.number({
      description: 'Initial gp3 storage in GiB (engine_mode "postgres"; Aurora storage grows by itself).',
      default: 20,
      constraints: [must.range(20, 65536)],
    }),
    max_allocated_storage: input.number({
      description: 'Storage autoscaling ceiling in GiB (engine_mode "postgres"); 0 turns storage autoscaling off.',
      default: 100,
      constraints: [must.range(0, 65536)],
    }),
    multi_az: input.bool({
      description: 'A standby in a second availability zone (engine_mode "postgres"; doubles the instance price).',
      default: false,
    }),
    min_capacity: input.number({
      description:
        'Aurora Serverless v2 minimum capacity in ACUs (engine_mode "aurora-serverless"); 0 pauses the database when idle (needs Aurora PostgreSQL 16.3+, not with a proxy).',
      default: 0.5,
      constraints: [acuConstraint(0)],
    }),
    max_capacity: input.number({
      description: 'Aurora Serverless v2 maximum capacity in ACUs (engine_mode "aurora-serverless"). It also sets max_connections.',
      default: 2,
      constraints: [acuConstraint(1)],
    }),
    aurora_readers: input.number({
      description:
        'Aurora Serverless v2 readers beside the writer (engine_mode "aurora-serverless"): Aurora fails over to a reader in another AZ in about a minute instead of replacing the writer. Each is billed like the writer (min_capacity ACUs at least).',
      default: 0,
      constraints: [must.range(0, 15)],
    }),
    seconds_until_auto_pause: input.number({
      description: 'With min_capacity 0: idle seconds before Aurora pauses (300 to 86400).',
      default: 300,
      constraints: [must.range(300, 86400)],
    }),
    database_name: input.string({
      description: 'The database created at launch (DATABASE_NAME).',
      default: 'app',
      constraints: [must.pattern('^[a-zA-Z][a-zA-Z0-9_]{0,62}$', 'a letter followed by up to 62 letters, digits or underscores')],
    }),
    app_username: input.string({
      description:
        "The app's own role (DATABASE_USER of the app): it logs in with IAM database authentication (no password, the consumers' roles get rds-db:connect on it alone) and is created and granted row access by the migrations, which run as the master user.",
      default: 'app_runtime',
      constraints: [must.pattern('^[a-z_][a-z0-9_]{0,62}$', 'a lower-case PostgreSQL role name (letters, digits, underscores)')],
    }),
    master_username: input.string({
      description:
        'The master user: the owner the migrations run as. Its password is generated by RDS and kept in Secrets Manager; the app never receives it.',
      default: 'app',
      constraints: [
        must.pattern('^[a-zA-Z][a-zA-Z0-9_]{0,62}$', 'a letter followed by up to 62 letters, digits or underscores'),
        {
          test: (v: string) => v.toLowerCase() !== 'rdsadmin',
          hcl: (ref) => `lower(${ref}) != "rdsadmin"`,
          message: 'must not be rdsadmin (reserved by RDS)',
        },
      ],
    }),
    vpc_id: input.string({ description: 'The VPC of the subnets.', constraints: [must.pattern(patterns.vpcId, 'a VPC id (vpc-...)')] }),
    subnet_ids: input.stringList({
      description: 'Private subnets in at least two availability zones (the DB subnet group).',
      constraints: [must.minItems(2)],
    }),
    allowed_security_group_ids: input.stringList({
      description:
        'Security groups whose members may connect on 5432 (the service tasks, workers, Lambdas). Never CIDR blocks. More can be added later with extra aws_vpc_security_group_ingress_rule resources on security_group_id.',
      default: [],
    }),
    protect: input.bool({
      description:
        'Production protection: deletion protection on. (prevent_destroy cannot be set from a variable in Terraform: the TypeScript construct sets it when protect is true; here deletion protection and the final snapshot guard the data.)',
      default: false,
    }),
    backup_retention_days: input.number({
      description: 'Automated backup retention in days.',
      default: 7,
      constraints: [must.range(1, 35)],
    }),
    performance_insights: input.bool({ description: 'Turn on Performance Insights (7 days of history, free tier).', default: false }),
    log_retention_days: input.number({
      description: 'Retention of the exported PostgreSQL log group in CloudWatch Logs.',
      default: 14,
      constraints: [
        must.oneOf(
          [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653],
          'one of the CloudWatch retention periods',
        ),
      ],
    }),
    snapshot_identifier: input.optionalString({
      description:
        'Create the database from this snapshot (e.g. the final snapshot of a destroyed stack: "<name>-final-xxxxxxxx"; an Aurora cluster snapshot with engine_mode "aurora-serverless"). Only read when the database is created: changing it later does not replace an existing database.',
      constraints: [
        must.optionalPattern(
          '^(arn:aws[a-zA-Z-]*:rds:[a-z0-9-]+:[0-9]{12}:(cluster-)?snapshot:)?[a-zA-Z][a-zA-Z0-9-]{0,254}$',
          'a DB snapshot or DB cluster snapshot identifier or ARN',
        ),
      ],
    }),
    proxy: input.bool({
      description: 'Put an RDS Proxy in front (for Lambda consumers): it authenticates with the managed secret and requires TLS.',
      default: false,
    }),
    proxy_max_connections_percent: input.number({
      description: 'The share of max_connections the proxy may open (the rest stays for direct clients such as the ECS tasks).',
      default: 50,
      constraints: [must.range(1, 100)],
    }),
    tags: tagsInput(),
  },
  checks,
  outputs: {
    host: { description: 'Hostname to connect to: the RDS instance address or the Aurora cluster (writer) endpoint.' },
    port: { description: 'PostgreSQL port (5432).' },
    database_name: { description: 'Database name.' },
    username: { description: 'Master user name.' },
    app_username: { description: "The app's own role (IAM authentication)." },
    app_connect_arn: {
      description:
        'The rds-db:connect resource of the app role ("arn:...:rds-db:<region>:<account>:dbuser:<resource id>/<app_username>"): grant it to every consumer role.',
    },
    master_secret_arn: {
      description: 'ARN of the Secrets Manager secret RDS manages for the master user (JSON with username and password).',
    },
    password_value_from: { description: 'The password as an ECS task secret valueFrom: "<secret ARN>:password::".' },
    environment: {
      description:
        "The app's variables: DATABASE_HOST, DATABASE_PORT, DATABASE_NAME, DATABASE_USER (the app role), DATABASE_AUTH (iam) and DATABASE_SSL (verify-full). No secret.",
    },
    secrets: { description: "The app's task secrets: none (IAM authentication). Kept for modules that merge it." },
    migration_environment: {
      description: 'Overrides for the migration container: DATABASE_USER (the master user), DATABASE_AUTH (password), DATABASE_APP_USER.',
    },
    migration_secrets: { description: "The migration container's task secrets: DATABASE_PASSWORD (the managed secret's password key)." },
    security_group_id: { description: "Security group of the database: add ingress rules that reference consumers' security groups." },
    identifier: { description: 'The DB instance identifier, or the Aurora cluster identifier.' },
    arn: { description: 'ARN of the DB instance or Aurora cluster.' },
    proxy_endpoint: { description: 'RDS Proxy endpoint (null without a proxy): what Lambda consumers connect to, with TLS.' },
    proxy_security_group_id: { description: 'Security group of the proxy (null without a proxy).' },
  },
});
