/**
 * The generated `dns-external` and `ses` modules under real Terraform 1.11 with hashicorp/aws 5.100 from the
 * offline mirror: the README wiring (SES records + ACM validation records into dns-external) validates, and
 * wrong inputs fail with the message of their validation block.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const PLUGIN_DIR = '/opt/tf-plugins';
const MODULES = path.resolve(__dirname, '..', '..', 'modules');

const PROVIDER = `provider "aws" {
  region                      = "us-east-1"
  access_key                  = "test"
  secret_key                  = "test"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
}
`;

const WIRING = `${PROVIDER}
variable "dns_provider" {
  type    = string
  default = "route53"
}

module "ses" {
  source             = "${MODULES}/ses"
  name               = "shop-dev"
  domain             = "example.com"
  sender_role_names  = ["shop-dev-task"]
  sandbox_recipients = ["me@example.org"]
}

resource "aws_acm_certificate" "origin" {
  domain_name       = "origin-api.example.com"
  validation_method = "DNS"
}

module "dns" {
  source       = "${MODULES}/dns-external"
  dns_provider = var.dns_provider
  zone_id      = "Z0123456789ABC"
  records = concat(module.ses.dns_records, [
    for o in aws_acm_certificate.origin.domain_validation_options : {
      key = o.domain_name, name = o.resource_record_name, type = o.resource_record_type, values = [o.resource_record_value]
    }
  ])
}

resource "aws_acm_certificate_validation" "origin" {
  certificate_arn = aws_acm_certificate.origin.arn
  depends_on      = [module.dns]
}

output "cloudflare_records" {
  value = module.dns.cloudflare_records
}
`;

interface Result {
  readonly code: number;
  readonly out: string;
}

describe('the dns-external and ses modules under real Terraform', () => {
  let tmp: string;
  let env: NodeJS.ProcessEnv;
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dns-modules-tf-'));
    const rc = path.join(tmp, 'terraform.rc');
    fs.writeFileSync(rc, `provider_installation {\n  filesystem_mirror {\n    path = "${PLUGIN_DIR}"\n  }\n}\n`);
    // Nothing here may reach AWS: any HTTPS call goes to a closed local port and fails at once.
    env = {
      ...process.env,
      TF_CLI_CONFIG_FILE: rc,
      CHECKPOINT_DISABLE: '1',
      TF_IN_AUTOMATION: '1',
      NO_COLOR: '1',
      HTTPS_PROXY: 'http://127.0.0.1:9',
      HTTP_PROXY: 'http://127.0.0.1:9',
    };
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  function root(name: string, main: string): (...args: string[]) => Result {
    const dir = path.join(tmp, name);
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'main.tf'), main);
    const tf = (...args: string[]): Result => {
      try {
        return {
          code: 0,
          out: execFileSync('terraform', args, { cwd: dir, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).replace(/\s+/g, ' '),
        };
      } catch (e) {
        const err = e as { status: number; stdout: string; stderr: string };
        return { code: err.status, out: `${err.stdout}${err.stderr}`.replace(/\s+/g, ' ') };
      }
    };
    const init = tf('init', '-input=false', '-backend=false', `-plugin-dir=${PLUGIN_DIR}`, '-no-color');
    expect(init).toMatchObject({ code: 0 });
    return tf;
  }

  it('validates the README wiring: SES records and ACM validation records into dns-external', () => {
    const tf = root('wiring', WIRING);
    const result = JSON.parse(tf('validate', '-json').out) as { valid: boolean; error_count: number; diagnostics: unknown[] };
    expect(result).toMatchObject({ valid: true, error_count: 0 });
  }, 120_000);

  it('plans the Route53 records with plan-time keys although names and values are unknown (DKIM tokens, ACM records)', () => {
    // No data source (which would call AWS at plan time): the unknowns come from resources being created.
    const tf = root(
      'plan',
      `${PROVIDER}
variable "dns_provider" {
  type    = string
  default = "route53"
}
resource "aws_sesv2_email_identity" "identity" {
  email_identity = "example.com"
}
resource "aws_acm_certificate" "origin" {
  domain_name       = "origin-api.example.com"
  validation_method = "DNS"
}
module "dns" {
  source       = "${MODULES}/dns-external"
  dns_provider = var.dns_provider
  zone_id      = "Z0123456789ABC"
  records = concat([
    for i in [0, 1, 2] : {
      key    = "dkim_\${i + 1}"
      name   = "\${aws_sesv2_email_identity.identity.dkim_signing_attributes[0].tokens[i]}._domainkey.example.com"
      type   = "CNAME"
      values = ["\${aws_sesv2_email_identity.identity.dkim_signing_attributes[0].tokens[i]}.dkim.amazonses.com"]
    }], [
    for o in aws_acm_certificate.origin.domain_validation_options : {
      key = o.domain_name, name = o.resource_record_name, type = o.resource_record_type, values = [o.resource_record_value]
    }
  ], [{ key = "api", name = "api.example.com", type = "ALIAS", values = ["my-alb.us-east-1.elb.amazonaws.com"], alias_zone_id = "Z35SXDOTRQ7X7K" }])
}
`,
    );
    const plan = tf('plan', '-input=false', '-no-color', '-refresh=false');
    expect(plan.code).toBe(0);
    for (const key of ['dkim_1', 'dkim_2', 'dkim_3', 'origin-api.example.com', 'api']) {
      expect(plan.out).toContain(`module.dns.aws_route53_record.route53_records["${key}"] will be created`);
    }
    expect(plan.out).toMatch(
      /alias \{ \+ evaluate_target_health = true \+ name = "my-alb\.us-east-1\.elb\.amazonaws\.com" \+ zone_id = "Z35SXDOTRQ7X7K" \}/,
    );
    const manual = tf('plan', '-input=false', '-no-color', '-refresh=false', '-var', 'dns_provider=manual');
    expect(manual.code).toBe(0);
    expect(manual.out).not.toContain('aws_route53_record');
  }, 120_000);

  it('refuses wrong inputs with the message of the validation block', () => {
    const tf = root(
      'wrong',
      `${PROVIDER}
module "dns" {
  source       = "${MODULES}/dns-external"
  dns_provider = "godaddy"
  records      = [{ key = "a", name = "x.example.com", type = "SRV", values = ["1"] }, { key = "a", name = "y.example.com", type = "A", values = ["192.0.2.1"], ttl = 5 }]
}
module "ses" {
  source            = "${MODULES}/ses"
  name              = "shop-dev"
  domain            = "Example.com"
  dmarc_policy      = "strict"
  event_destination = "sqs"
}
`,
    );
    const { code, out } = tf('validate', '-no-color');
    expect(code).not.toBe(0);
    expect(out).toContain('dns_provider must be one of manual, route53, cloudflare.');
    expect(out).toContain('records must use record types CNAME, TXT, MX, A, AAAA, ALIAS.');
    expect(out).toContain('records must give every record its own key.');
    expect(out).toContain('records must use TTLs from 60 to 86400 seconds.');
    expect(out).toContain('domain must be a lower-case domain name such as "example.com".');
    expect(out).toContain('dmarc_policy must be one of none, quarantine, reject.');
    expect(out).toContain('event_destination must be one of sns, eventbridge, none.');
  }, 120_000);

  it('refuses dns_provider "route53" without a zone at plan time', () => {
    const tf = root('nozone', `${PROVIDER}\nmodule "dns" {\n  source       = "${MODULES}/dns-external"\n  dns_provider = "route53"\n}\n`);
    const { code, out } = tf('plan', '-input=false', '-no-color');
    expect(code).not.toBe(0);
    expect(out).toContain('dns_provider "route53" needs zone_id: the Route53 hosted zone id (e.g. Z0123456789ABC) the records go in.');
  }, 120_000);
});
