/**
 * The generated modules/sqs under real Terraform 1.11 with hashicorp/aws 5.100 from the offline mirror: a standard
 * and a FIFO+KMS queue validate, and wrong inputs stop the plan with the definition's messages.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const MODULE = path.resolve(__dirname, '..', '..', 'modules', 'sqs');
const PLUGIN_DIR = '/opt/tf-plugins';

describe('modules/sqs under terraform', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const tf = (...args: string[]) => spawnSync('terraform', args, { cwd: dir, env, encoding: 'utf8', timeout: 120_000 });

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sqs-module-'));
    const rc = path.join(dir, 'terraformrc');
    fs.writeFileSync(rc, '');
    env = {
      ...process.env,
      TF_CLI_CONFIG_FILE: rc,
      CHECKPOINT_DISABLE: '1',
      TF_IN_AUTOMATION: '1',
      AWS_ACCESS_KEY_ID: 'x',
      AWS_SECRET_ACCESS_KEY: 'x',
      AWS_REGION: 'us-east-1',
    };
    fs.writeFileSync(
      path.join(dir, 'main.tf'),
      `provider "aws" {
  region                      = "us-east-1"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
}
module "jobs" {
  source                     = "${MODULE}"
  name                       = "shop-dev-jobs"
  visibility_timeout_seconds = 180
}
module "orders" {
  source                      = "${MODULE}"
  name                        = "shop-dev-orders"
  fifo                        = true
  content_based_deduplication = true
  kms_key_arn                 = "arn:aws:kms:us-east-1:123456789012:key/0a1b2c3d"
}
output "urls" { value = [module.jobs.url, module.jobs.dlq_url, module.orders.arn, module.orders.dlq_arn, module.orders.name] }
`,
    );
    const init = tf('init', '-input=false', '-no-color', `-plugin-dir=${PLUGIN_DIR}`);
    if (init.status !== 0) throw new Error(`terraform init failed:\n${init.stdout}\n${init.stderr}`);
  }, 180_000);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('validates with a standard queue and a FIFO queue with a KMS key', () => {
    const r = tf('validate', '-no-color');
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('Success! The configuration is valid.');
  });

  it.each([
    ['name = "shop.dev"', ['name must be 1 to 71 letters, digits, hyphens or underscores']],
    [
      'name = "shop-dev-bad"\n  content_based_deduplication = true\n  message_retention_seconds = 1209600\n  dlq_message_retention_seconds = 86400',
      [
        'content_based_deduplication only applies to FIFO queues',
        'dlq_message_retention_seconds must be at least message_retention_seconds',
      ],
    ],
  ])(
    'stops the plan on %s with what is allowed',
    (body, messages) => {
      fs.writeFileSync(path.join(dir, 'bad.tf'), `module "bad" {\n  source = "${MODULE}"\n  ${body}\n}\n`);
      try {
        expect(tf('init', '-input=false', '-no-color', `-plugin-dir=${PLUGIN_DIR}`).status).toBe(0);
        const r = tf('plan', '-input=false', '-no-color', '-refresh=false');
        expect(r.status).not.toBe(0);
        const text = r.stderr.replace(/\s+/g, ' ');
        for (const m of messages) expect(text).toContain(m);
      } finally {
        fs.rmSync(path.join(dir, 'bad.tf'));
      }
    },
    120_000,
  );
});
