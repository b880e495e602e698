/**
 * Tests of the harness itself: the config scanner and the plan judge (pure), then a real-engine
 * run of a cdktn-shaped `cdk.tf.json` (provider alias, synthesized local backend, a module at
 * `../../modules/queue`, outside the source dir) whose plan must fail a module variable validation.
 */
import * as fs from 'fs';
import * as path from 'path';
import { GetQueueAttributesCommand, GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { hclBlocks, hclLiteralAttribute, scanConfigDir } from './config-scan';
import {
  awsClientConfig,
  describeWithEngine,
  E2E_WORK_ROOT,
  judgePlan,
  startMoto,
  TerraformWorkspace,
  type MotoServer,
  type ToleratedDifference,
} from '.';

describe('config scanner', () => {
  const hcl = `
# provider "aws" { alias = "in_a_comment" }
provider "aws" {
  region = var.region # not a literal
  assume_role {
    role_arn = "arn:aws:iam::1:role/x"
  }
}
provider "aws" {
  alias  = "us_east_1"
  region = "us-east-1"
  default_tags {
    tags = { a = "}" }
  }
}
locals {
  doc = <<EOT
provider "aws" { alias = "in_a_heredoc" }
EOT
}
module "net" {
  source = "../../modules/network"
  name   = "x-\${var.n}"
}
module "registry" {
  source = "terraform-aws-modules/vpc/aws"
}
terraform {
  backend "s3" {
    bucket = "b"
  }
}`;

  it('finds providers, their alias and literal region, skipping comments and heredocs', () => {
    const providers = hclBlocks(hcl).filter((b) => b.type === 'provider');
    expect(providers.map((p) => [hclLiteralAttribute(p.body, 'alias'), hclLiteralAttribute(p.body, 'region')])).toEqual([
      [undefined, undefined],
      ['us_east_1', 'us-east-1'],
    ]);
  });

  it('reports local module sources and the backend, from HCL and JSON alike', () => {
    fs.mkdirSync(E2E_WORK_ROOT, { recursive: true });
    const dir = fs.mkdtempSync(path.join(E2E_WORK_ROOT, 'scan-'));
    fs.writeFileSync(path.join(dir, 'main.tf'), hcl);
    fs.writeFileSync(
      path.join(dir, 'cdk.tf.json'),
      JSON.stringify({ provider: { aws: [{ alias: 'edge', region: 'us-east-1' }] }, module: { q: { source: './q' } } }),
    );
    const scan = scanConfigDir(dir);
    expect(scan.awsProviders).toEqual([
      { alias: 'edge', region: 'us-east-1' },
      { alias: undefined, region: undefined },
      { alias: 'us_east_1', region: 'us-east-1' },
    ]);
    expect(scan.localModuleSources).toEqual(['./q', '../../modules/network']);
    expect(scan.backend).toBe('s3');
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('plan judge', () => {
  const tolerated: ToleratedDifference[] = [
    { id: 'svc-tags', resourceType: 'aws_ecs_service', attributes: ['tags_all'], motoBehaviour: 'm', reason: 'r' },
    {
      id: 'rg-sg',
      resourceType: 'aws_elasticache_replication_group',
      attributes: ['security_group_ids'],
      mayReplace: true,
      motoBehaviour: 'm',
      reason: 'r',
    },
  ];
  const change = (type: string, actions: string[], before: unknown, after: unknown, extra: object = {}) => ({
    address: `${type}.x`,
    type,
    mode: 'managed',
    change: { actions, before, after, after_unknown: {}, ...extra },
  });

  it('tolerates covered paths and rejects everything else with the reason', () => {
    const verdict = judgePlan(
      {
        resource_changes: [
          change('aws_ecs_service', ['update'], { tags_all: { a: '1' }, n: 1 }, { tags_all: { a: '2' }, n: 1 }),
          change('aws_ecs_service', ['update'], { desired_count: 1 }, { desired_count: 2 }),
          change(
            'aws_elasticache_replication_group',
            ['delete', 'create'],
            { security_group_ids: [] },
            { security_group_ids: ['sg-1'] },
            { replace_paths: [['security_group_ids']] },
          ),
          change('aws_sqs_queue', ['create'], null, { name: 'q' }),
          change('aws_vpc', ['no-op'], { a: 1 }, { a: 1 }),
        ] as never,
      },
      tolerated,
    );
    expect(verdict.tolerated.map((c) => [c.type, c.matchedBy])).toEqual([
      ['aws_ecs_service', ['svc-tags']],
      ['aws_elasticache_replication_group', ['rg-sg']],
    ]);
    expect(verdict.unexpected.map((c) => [c.type, c.problem])).toEqual([
      ['aws_ecs_service', 'changes no tolerated entry covers: desired_count'],
      ['aws_sqs_queue', 'planned to create (only in-place updates or listed replacements are tolerated)'],
    ]);
  });
});

describeWithEngine('TerraformWorkspace on a cdktn-shaped stack with a relative module', () => {
  const src = path.join(E2E_WORK_ROOT, 'harness-src');
  const stackDir = path.join(src, 'cdktf.out', 'stacks', 'app');
  let moto: MotoServer;
  let ws: TerraformWorkspace;
  let sqs: SQSClient;

  beforeAll(async () => {
    fs.rmSync(src, { recursive: true, force: true });
    fs.mkdirSync(stackDir, { recursive: true });
    fs.mkdirSync(path.join(src, 'modules', 'queue'), { recursive: true });
    fs.writeFileSync(
      path.join(src, 'modules', 'queue', 'main.tf'),
      `variable "name" {
  type = string
  validation {
    condition     = can(regex("^[a-z0-9-]{3,40}$", var.name))
    error_message = "name must be 3-40 lowercase letters, digits or dashes."
  }
}
resource "aws_sqs_queue" "this" {
  name                    = var.name
  sqs_managed_sse_enabled = true
}
output "url" {
  value = aws_sqs_queue.this.url
}
`,
    );
    fs.writeFileSync(
      path.join(stackDir, 'cdk.tf.json'),
      JSON.stringify({
        '//': { metadata: { backend: 'local', stackName: 'app', version: '0.24.0' } },
        terraform: {
          required_providers: { aws: { source: 'hashicorp/aws', version: '>= 5.100, < 7' } },
          backend: { local: { path: path.join(src, 'terraform.app.tfstate') } },
        },
        provider: { aws: [{ region: 'eu-west-1' }, { alias: 'us_east_1', region: 'us-east-1' }] },
        variable: { queue_name: { type: 'string', default: 'bp-harness-jobs' } },
        module: { queue: { source: '../../../modules/queue', name: '${var.queue_name}' } },
        data: { aws_caller_identity: { edge: { provider: 'aws.us_east_1' } } },
        output: {
          queue_url: { value: '${module.queue.url}' },
          edge_account: { value: '${data.aws_caller_identity.edge.account_id}' },
        },
      }),
    );
    moto = await startMoto();
    ws = TerraformWorkspace.create({ name: 'harness', sourceDir: stackDir, moto });
    sqs = new SQSClient(awsClientConfig(moto));
  });

  afterAll(async () => {
    try {
      if (ws && fs.existsSync(path.join(ws.workDir, 'terraform.tfstate')) && (await ws.resourceAddresses()).length > 0) await ws.destroy();
    } finally {
      ws?.printSummary();
      sqs?.destroy();
      await moto?.stop();
    }
  });

  it('copies the module next to the stack at the same relative path and overrides both providers and the backend', () => {
    expect(fs.existsSync(path.resolve(ws.configDir, '../../../modules/queue/main.tf'))).toBe(true);
    const override = JSON.parse(fs.readFileSync(path.join(ws.configDir, 'zz_moto_override.tf.json'), 'utf8'));
    expect(override.provider.aws.map((p: { alias?: string; region: string }) => [p.alias, p.region])).toEqual([
      [undefined, 'us-east-1'],
      ['us_east_1', 'us-east-1'],
    ]);
    expect(override.provider.aws[0].endpoints[0].sqs).toBe(moto.endpoint);
    expect(override.terraform.backend.local.path).toBe(path.join(ws.workDir, 'terraform.tfstate'));
  });

  it('returns the error of a plan that must fail a module variable validation', async () => {
    await ws.init();
    await ws.validate();
    const stderr = await ws.planFailure({ vars: { queue_name: 'Not_Valid!' } });
    expect(stderr).toMatch(/Invalid value for variable/);
    expect(stderr).toMatch(/name must be 3-40 lowercase letters, digits or dashes\./);
  });

  it('applies, keeps the state in the work dir, re-plans empty and destroys', async () => {
    const plan = await ws.plan();
    await ws.apply({ planFile: plan.planFile });
    expect(fs.existsSync(path.join(ws.workDir, 'terraform.tfstate'))).toBe(true);
    expect(fs.existsSync(path.join(src, 'terraform.app.tfstate'))).toBe(false);
    const out = await ws.output<{ queue_url: string; edge_account: string }>();
    expect(out.edge_account).toBe('123456789012');
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: 'bp-harness-jobs' }));
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['SqsManagedSseEnabled'] }));
    expect(Attributes?.SqsManagedSseEnabled).toBe('true');
    expect((await ws.replan()).empty).toBe(true);
    await ws.destroy();
    expect(await ws.resourceAddresses()).toEqual([]);
  });
});
