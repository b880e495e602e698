/**
 * Every rule the TypeScript config enforces beyond a field's own type and pattern (each `.refine`, `ctx.addIssue` and
 * `issue(...)` in src/config) is either enforced by the HCL module that takes the same input — the condition is in
 * its variables.tf, so plain-Terraform users get the same refusal at plan time — or listed here as config-only, with
 * the reason no module input can carry it. The list is checked against the source: a new rule that is not classified
 * here fails this test. (Plan-time proof with real terraform: test/e2e/modules.e2e.test.ts.)
 */
import * as fs from 'fs';
import * as path from 'path';
import { repoRoot } from '../support/synth';

interface InModule {
  /** The config file and a piece of the rule's message there. */
  readonly file: string;
  readonly marker: string;
  readonly module: string;
  /** A piece of the module's validation condition. */
  readonly hcl: string;
}
interface ConfigOnly {
  readonly file: string;
  readonly marker: string;
  readonly configOnly: string;
}
type Rule = InModule | ConfigOnly;

const NO_SCHEDULER_MODULE = 'schedules are composed by the TypeScript preset only; no generated module takes a schedule';
const NO_LAMBDA_MODULE = 'the Bun Lambda worker is composed by the TypeScript preset only; no generated module takes it';
const NO_SECRETS_MODULE = 'app secrets are composed by the TypeScript preset only; no generated module takes them';

const RULES: readonly Rule[] = [
  // the stage (src/config/schema.ts)
  {
    file: 'schema.ts',
    marker: '(name-stage) is',
    configOnly:
      'the modules take finished resource names, not a name and a stage; each name is checked against its own AWS length by the module or at synth (src/limits)',
  },
  // service (modules/ecs-service)
  {
    file: 'service.ts',
    marker: 'FARGATE_CPUS.includes(v)',
    module: 'ecs-service',
    hcl: 'contains([256, 512, 1024, 2048, 4096, 8192, 16384], var.cpu)',
  },
  { file: 'service.ts', marker: "'min must not exceed max'", module: 'ecs-service', hcl: 'var.min_count <= var.max_count' },
  { file: 'service.ts', marker: 'on Fargate; allowed', module: 'ecs-service', hcl: 'tostring(var.cpu), []), var.memory)' },
  {
    file: 'service.ts',
    marker: 'set exactly one of imageTag, imageDigest',
    configOnly: 'the module takes one `image` reference; the three ways to name it exist only in the config',
  },
  // queues (modules/sqs, and modules/ecs-service for a worker service)
  {
    file: 'queues.ts',
    marker: 'FARGATE_CPUS.includes(v)',
    module: 'ecs-service',
    hcl: 'contains([256, 512, 1024, 2048, 4096, 8192, 16384], var.cpu)',
  },
  {
    file: 'queues.ts',
    marker: 'is required with worker "service"',
    configOnly: "worker modes are the preset's; modules/sqs has no worker",
  },
  { file: 'queues.ts', marker: 'only applies with worker', configOnly: "worker modes are the preset's; modules/sqs has no worker" },
  { file: 'queues.ts', marker: 'only applies to FIFO queues', module: 'sqs', hcl: '!var.content_based_deduplication || var.fifo' },
  { file: 'queues.ts', marker: "issue(['service', 'memory']", module: 'ecs-service', hcl: 'tostring(var.cpu), []), var.memory)' },
  { file: 'queues.ts', marker: 'must not exceed service.maxCount', module: 'ecs-service', hcl: 'var.min_count <= var.max_count' },
  { file: 'queues.ts', marker: 'they are the same setting in lambda mode', configOnly: NO_LAMBDA_MODULE },
  { file: 'queues.ts', marker: 'the Lambda timeout limit', configOnly: NO_LAMBDA_MODULE },
  { file: 'queues.ts', marker: 'must be at most 10 for a FIFO queue', configOnly: NO_LAMBDA_MODULE },
  { file: 'queues.ts', marker: 'must be 0 or unset for a FIFO queue', configOnly: NO_LAMBDA_MODULE },
  { file: 'queues.ts', marker: "Lambda's rule", configOnly: NO_LAMBDA_MODULE },
  {
    file: 'queues.ts',
    marker: 'the ${what} name',
    configOnly: 'queue and job keys become parts of resource names in the preset; a module instance is named by its `name` input',
  },
  // database (modules/rds)
  { file: 'database.ts', marker: 'rdsadmin', module: 'rds', hcl: 'lower(var.master_username) != "rdsadmin"' },
  { file: 'database.ts', marker: 'ACUs in steps of 0.5', module: 'rds', hcl: 'floor(var.min_capacity * 2) == var.min_capacity * 2' },
  {
    file: 'database.ts',
    marker: 'instanceClassMemoryGiB(v) !== undefined',
    configOnly: "the config sizes the connection budget from the class's memory; the module accepts any class (its pattern is checked)",
  },
  {
    file: 'database.ts',
    marker: 'only applies to engine',
    configOnly: 'module inputs always have values (defaults), so "set for the other engine" cannot be told apart from unset',
  },
  { file: 'database.ts', marker: 'must not exceed maxCapacity', module: 'rds', hcl: 'var.min_capacity <= var.max_capacity' },
  {
    file: 'database.ts',
    marker: 'cannot be 0 with proxy: true',
    module: 'rds',
    hcl: '!(var.proxy && var.engine_mode == "aurora-serverless" && var.min_capacity == 0)',
  },
  {
    file: 'database.ts',
    marker: 'only applies with minCapacity: 0',
    configOnly: 'seconds_until_auto_pause always has a value (default 300); it is ignored unless min_capacity is 0',
  },
  {
    file: 'database.ts',
    marker: 'or at least allocatedStorage',
    module: 'rds',
    hcl: 'var.max_allocated_storage == 0 || var.max_allocated_storage >= var.allocated_storage',
  },
  // cache (modules/elasticache), network (modules/vpc)
  {
    file: 'cache.ts',
    marker: 'must be at least 2 with multiAz',
    module: 'elasticache',
    hcl: '!var.multi_az || var.num_cache_clusters >= 2',
  },
  { file: 'network.ts', marker: 'from /16 to /21', module: 'vpc', hcl: 'tonumber(element(split("/", var.cidr), 1)) >= 16' },
  // cron, secrets
  { file: 'cron.ts', marker: 'scheduleProblem(v)', configOnly: NO_SCHEDULER_MODULE },
  { file: 'cron.ts', marker: 'must be an IANA time zone', configOnly: NO_SCHEDULER_MODULE },
  { file: 'cron.ts', marker: 'set exactly one of command', configOnly: NO_SCHEDULER_MODULE },
  { file: 'secrets.ts', marker: 'must be 0 (delete at once) or 7 to 30 days', configOnly: NO_SECRETS_MODULE },
  { file: 'secrets.ts', marker: 'ctx.addIssue', configOnly: NO_SECRETS_MODULE },
];

const CONFIG_DIR = path.join(repoRoot, 'src', 'config');
const source = (file: string) => fs.readFileSync(path.join(CONFIG_DIR, file), 'utf8');

/** The lines of a config file that raise a problem: `.refine(`, `ctx.addIssue(`, `issue(` (not the helper's definition). */
function ruleSites(text: string): string[] {
  return text.split('\n').filter((l) => /\.refine\(|ctx\.addIssue\(|(?<![\w.])issue\(/.test(l) && !/const issue =/.test(l));
}

describe('the HCL modules refuse what the TypeScript config refuses', () => {
  it('every rule in src/config is classified here (a new rule fails until it is)', () => {
    const files = fs.readdirSync(CONFIG_DIR).filter((f) => f.endsWith('.ts'));
    const counts = Object.fromEntries(files.map((f) => [f, ruleSites(source(f)).length]).filter(([, n]) => (n as number) > 0));
    const listed: Record<string, number> = {};
    for (const r of RULES) listed[r.file] = (listed[r.file] ?? 0) + 1;
    expect(listed).toEqual(counts);
  });

  it.each(RULES.map((r) => [`${r.file}: ${r.marker}`, r] as const))('%s is where this list says', (_name, rule) => {
    expect(source(rule.file)).toContain(rule.marker);
  });

  const inModules = RULES.filter((r): r is InModule => 'module' in r);
  it.each(inModules.map((r) => [`${r.module}: ${r.hcl}`, r] as const))('modules/%s has the validation', (_name, rule) => {
    const variables = fs.readFileSync(path.join(repoRoot, 'modules', rule.module, 'variables.tf'), 'utf8');
    const conditions = variables.split('\n').filter((l) => l.trim().startsWith('condition'));
    expect(conditions.some((c) => c.includes(rule.hcl))).toBe(true);
  });

  it('says why each config-only rule has no module counterpart', () => {
    for (const r of RULES) if ('configOnly' in r) expect(r.configOnly.length).toBeGreaterThan(20);
  });
});
