/**
 * The data tier under real Terraform 1.11 and the offline hashicorp/aws 5.100 provider: the generated `rds` and
 * `elasticache` modules and a synthesized stack with the tier validate, and a wrong module input fails the plan
 * with the definition's message. No cloud: the provider's endpoints point at a closed local port.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { generateModule } from '../../src/modules/build';
import { catalog } from '../../src/modules/catalog';
import { propsInterface } from '../../src/modules/docs';
import { baseConfig, synthTier } from './helpers';

const repo = path.resolve(__dirname, '..', '..');
let tmp: string;
let env: NodeJS.ProcessEnv;

function terraform(dir: string, ...args: string[]): { ok: boolean; out: string } {
  try {
    const out = execFileSync('terraform', [...args, '-no-color'], { cwd: dir, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return { ok: true, out };
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string };
    return { ok: false, out: `${err.stdout ?? ''}${err.stderr ?? ''}` };
  }
}

function validates(dir: string): void {
  const init = terraform(dir, 'init', '-input=false', '-backend=false');
  expect(init.out).toContain('Terraform has been successfully initialized');
  const validate = terraform(dir, 'validate');
  if (!validate.ok) throw new Error(validate.out);
  expect(validate.out).toContain('The configuration is valid');
}

const PROVIDER = `
provider "aws" {
  region                      = "us-east-1"
  access_key                  = "test"
  secret_key                  = "test"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  max_retries                 = 1
  endpoints {
    sts            = "http://127.0.0.1:9"
    iam            = "http://127.0.0.1:9"
    ec2            = "http://127.0.0.1:9"
    rds            = "http://127.0.0.1:9"
    elasticache    = "http://127.0.0.1:9"
    secretsmanager = "http://127.0.0.1:9"
    logs           = "http://127.0.0.1:9"
  }
}
`;

function root(name: string, body: string): string {
  const dir = path.join(tmp, name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'main.tf'),
    `terraform {\n  required_providers {\n    aws = { source = "hashicorp/aws", version = ">= 5.100, < 7" }\n  }\n}\n${PROVIDER}\n${body}`,
  );
  return dir;
}

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'data-tier-tf-'));
  const rc = path.join(tmp, 'terraform.rc');
  fs.writeFileSync(rc, 'provider_installation {\n  filesystem_mirror {\n    path = "/opt/tf-plugins"\n  }\n}\n');
  env = { ...process.env, TF_CLI_CONFIG_FILE: rc, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1' };
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('the generated modules', () => {
  it.each(['rds', 'elasticache'])('modules/%s is what the definition and construct generate', async (name) => {
    const entry = catalog.find((e) => e.definition.name === name)!;
    const files = await generateModule(entry, path.join(tmp, `gen-${name}`));
    for (const [file, text] of Object.entries(files)) expect(fs.readFileSync(path.join(repo, 'modules', name, file), 'utf8')).toBe(text);
    expect(fs.readFileSync(path.join(repo, 'src', 'constructs', 'generated', `${name}.ts`), 'utf8')).toBe(propsInterface(entry.definition));
  });

  it('validate as RDS PostgreSQL, Aurora Serverless v2 behind RDS Proxy, and Valkey', () => {
    const common = `vpc_id = "vpc-0123456789abcdef0"\n  subnet_ids = ["subnet-0aaa", "subnet-0bbb"]\n  allowed_security_group_ids = [aws_security_group.app.id]`;
    const dir = root(
      'modules',
      `resource "aws_security_group" "app" {
  name   = "app"
  vpc_id = "vpc-0123456789abcdef0"
}
module "postgres" {
  source = "${repo}/modules/rds"
  name   = "shop-dev"
  ${common}
}
module "aurora" {
  source       = "${repo}/modules/rds"
  name         = "shop-prod"
  engine_mode  = "aurora-serverless"
  min_capacity = 0.5
  max_capacity = 4
  proxy        = true
  protect      = true
  ${common}
}
module "cache" {
  source             = "${repo}/modules/elasticache"
  name               = "shop-dev"
  multi_az           = true
  num_cache_clusters = 2
  ${common}
}
output "database_environment" { value = module.postgres.environment }
output "cache_environment" { value = module.cache.environment }
`,
    );
    validates(dir);
  });

  // Terraform checks single-variable rules before rules over several variables: one plan per kind.
  it.each([
    [
      'single-input rules',
      [
        ['rds', 'max_capacity = 2.3', 'max_capacity must be from 1 to 256 ACUs in steps of 0.5.'],
        ['elasticache', 'engine = "memcached"', 'engine must be one of valkey, redis.'],
      ],
    ],
    [
      'rules over several inputs',
      [
        ['rds', 'engine_mode = "aurora-serverless"\n  min_capacity = 0\n  proxy = true', 'automatic pause does not work behind RDS Proxy'],
        [
          'rds',
          'allocated_storage = 50\n  max_allocated_storage = 40',
          'max_allocated_storage must be 0 (no storage autoscaling) or at least allocated_storage.',
        ],
        ['elasticache', 'multi_az = true', 'multi_az = true needs num_cache_clusters >= 2'],
      ],
    ],
  ] as [string, [string, string, string][]][])("refuse wrong inputs at plan time (%s) with the definition's messages", (kind, cases) => {
    const blocks = cases.map(
      ([module, inputs], i) => `module "bad_${i}" {
  source     = "${repo}/modules/${module}"
  name       = "shop-dev"
  vpc_id     = "vpc-0123456789abcdef0"
  subnet_ids = ["subnet-0aaa", "subnet-0bbb"]
  ${inputs}
}`,
    );
    const dir = root(`bad-${kind.replace(/\W+/g, '-')}`, blocks.join('\n'));
    expect(terraform(dir, 'init', '-input=false', '-backend=false').ok).toBe(true);
    const plan = terraform(dir, 'plan', '-input=false', '-refresh=false');
    expect(plan.ok).toBe(false);
    const out = plan.out.replace(/\s+/g, ' ');
    for (const [, , message] of cases) expect(out).toContain(message);
    expect(out.match(/Invalid value for variable/g)).toHaveLength(cases.length);
  });
});

describe('a synthesized stack with the data tier', () => {
  it.each([
    ['RDS PostgreSQL with RDS Proxy and Valkey (dev)', { database: { proxy: true }, cache: {} }],
    [
      'Aurora Serverless v2 with auto-pause and a Multi-AZ cache (prod)',
      { stage: 'prod', database: { engine: 'aurora-serverless', minCapacity: 0, maxCapacity: 4 }, cache: { multiAz: true } },
    ],
  ])('validates: %s', (_, extra) => {
    const { json } = synthTier(baseConfig(extra), [{ label: 'worker jobs' }]);
    validates(json.dir);
  });
});
