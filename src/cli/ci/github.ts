/**
 * `backplane init --ci github`: a GitHub Actions workflow (plan on pull requests with the summary as a comment, a
 * preview stage per pull request and its teardown on close, deploy on push to the main branch) and the Terraform
 * that creates what it authenticates with: GitHub's OIDC provider in IAM and two roles, no long-lived keys.
 *
 * - `<name>-github-deploy`: assumable only by workflows of the repository running on the main branch
 *   (sub = repo:<owner>/<repo>:ref:refs/heads/<branch>); deploys the stages, scoped to resources named `<name>-*`.
 * - `<name>-github-pr`: assumable only by pull-request workflows of the repository (sub = repo:<owner>/<repo>:pull_request);
 *   reads everything a plan reads, and changes only preview stages' resources (`<name>-pr-*`).
 * GitHub: "Configuring OpenID Connect in Amazon Web Services" (audience sts.amazonaws.com, the sub claim's forms);
 * IAM User Guide, "Create a role for OpenID Connect federation". Pull requests from forks get no id-token.
 */

export const GITHUB_OIDC_URL = 'https://token.actions.githubusercontent.com';
const ISSUER = 'token.actions.githubusercontent.com';

export interface GithubCi {
  /** The app name (the config's `name`). */
  readonly name: string;
  readonly region: string;
  /** owner/repo */
  readonly repository: string;
  /** The branch whose pushes deploy. */
  readonly branch: string;
  /** The config's stage (deployed from the main branch). */
  readonly stage: string;
  /** The S3 state bucket (when the state is in S3): the roles read and write its `<name>/` keys. */
  readonly stateBucket?: string;
  /** The config's `preview.parent`: pull-request previews add and remove their listener rule on its load balancer. */
  readonly previewParent?: string;
}

type Statement = {
  Sid?: string;
  Effect: 'Allow';
  Action: string | string[];
  Resource?: string | string[];
  Principal?: { Federated: string };
  Condition?: object;
};
export interface PolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: Statement[];
}

export const REPOSITORY = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;

/** The files `init --ci github` writes, relative to the project. */
export function githubCiFiles(ci: GithubCi): Record<string, string> {
  return { '.github/workflows/backplane.yml': githubWorkflow(ci), 'ci/github-oidc/main.tf': oidcTerraform(ci) };
}

/** Who may assume the role: GitHub's OIDC tokens for this repository and this `sub`, audience STS. */
export function trustPolicy(providerArn: string, sub: string): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: 'sts:AssumeRoleWithWebIdentity',
        Principal: { Federated: providerArn },
        Condition: { StringEquals: { [`${ISSUER}:aud`]: 'sts.amazonaws.com', [`${ISSUER}:sub`]: sub } },
      },
    ],
  };
}

export const deploySubject = (ci: GithubCi) => `repo:${ci.repository}:ref:refs/heads/${ci.branch}`;
export const pullRequestSubject = (ci: GithubCi) => `repo:${ci.repository}:pull_request`;

/**
 * What a deploy of stacks named `<prefix>*` changes, scoped by name where the service supports resource-level
 * permissions. EC2 networking, ACM, CloudFront's create calls, ELB's Describe* and SES identities take no name in
 * their ARN at create time (or support none): those statements use "*" and say so.
 */
export function deployPolicy(ci: GithubCi, prefix: string): PolicyDocument {
  const p = prefix;
  const byName: Statement[] = [
    {
      Sid: 'Ecs',
      Effect: 'Allow',
      Action: 'ecs:*',
      Resource: [
        `arn:aws:ecs:*:*:cluster/${p}*`,
        `arn:aws:ecs:*:*:service/${p}*/*`,
        `arn:aws:ecs:*:*:task/${p}*/*`,
        `arn:aws:ecs:*:*:task-definition/${p}*:*`,
      ],
    },
    {
      Sid: 'LoadBalancers',
      Effect: 'Allow',
      Action: 'elasticloadbalancing:*',
      Resource: [
        `arn:aws:elasticloadbalancing:*:*:loadbalancer/app/${p}*/*`,
        `arn:aws:elasticloadbalancing:*:*:targetgroup/${p}*/*`,
        `arn:aws:elasticloadbalancing:*:*:listener/app/${p}*/*`,
        `arn:aws:elasticloadbalancing:*:*:listener-rule/app/${p}*/*`,
      ],
    },
    {
      Sid: 'Roles',
      Effect: 'Allow',
      Action: ['iam:*Role*', 'iam:PassRole', 'iam:*InstanceProfile*'],
      Resource: [`arn:aws:iam::*:role/${p}*`, `arn:aws:iam::*:instance-profile/${p}*`],
    },
    {
      Sid: 'Data',
      Effect: 'Allow',
      Action: ['rds:*', 'elasticache:*'],
      Resource: [`arn:aws:rds:*:*:*:${p}*`, `arn:aws:elasticache:*:*:*:${p}*`],
    },
    {
      Sid: 'Messaging',
      Effect: 'Allow',
      Action: ['sqs:*', 'sns:*', 'scheduler:*', 'lambda:*'],
      Resource: [
        `arn:aws:sqs:*:*:${p}*`,
        `arn:aws:sns:*:*:${p}*`,
        `arn:aws:scheduler:*:*:schedule/*/${p}*`,
        `arn:aws:scheduler:*:*:schedule-group/${p}*`,
        `arn:aws:lambda:*:*:function:${p}*`,
        `arn:aws:lambda:*:*:layer:${p}*`,
      ],
    },
    { Sid: 'Secrets', Effect: 'Allow', Action: 'secretsmanager:*', Resource: `arn:aws:secretsmanager:*:*:secret:${p}*` },
    {
      Sid: 'Logs',
      Effect: 'Allow',
      Action: 'logs:*',
      Resource: [
        `arn:aws:logs:*:*:log-group:/ecs/${p}*`,
        `arn:aws:logs:*:*:log-group:/aws/lambda/${p}*`,
        `arn:aws:logs:*:*:log-group:/aws/rds/*/${p}*`,
        `arn:aws:logs:*:*:log-group:/vpc/${p}*`,
      ],
    },
    { Sid: 'Images', Effect: 'Allow', Action: 'ecr:*', Resource: `arn:aws:ecr:*:*:repository/${ci.name}*` },
    { Sid: 'Alarms', Effect: 'Allow', Action: 'cloudwatch:*', Resource: `arn:aws:cloudwatch:*:*:alarm:${p}*` },
  ];
  const unscoped: Statement = {
    Sid: 'NoResourceLevelPermissions',
    Effect: 'Allow',
    // These APIs take no resource name at create time or support no resource-level permissions (EC2 VPC resources,
    // Describe*/List* calls, ACM certificates, SES identities, CloudFront's VPC origins and distribution config, ECR's
    // GetAuthorizationToken, application auto scaling): the role cannot be narrowed further by name.
    Action: [
      'ec2:*',
      'acm:*',
      'ses:*',
      'cloudfront:*',
      'application-autoscaling:*',
      'ecr:GetAuthorizationToken',
      'elasticloadbalancing:Describe*',
      'ecs:Describe*',
      'ecs:List*',
      'ecs:RegisterTaskDefinition',
      'ecs:DeregisterTaskDefinition',
      'iam:CreateServiceLinkedRole',
      'iam:List*',
      'iam:Get*',
      'logs:Describe*',
      'kms:DescribeKey',
      'sts:GetCallerIdentity',
      'route53:*',
    ],
    Resource: '*',
  };
  return { Version: '2012-10-17', Statement: [...byName, unscoped, ...stateStatements(ci)] };
}

/**
 * The pull-request role: a deploy of `<name>-pr-*` stacks and, when previews share a parent stage (`preview.parent`),
 * its listener rules on the parent's HTTPS listener and nothing else of the parent (CreateRule authorizes on the
 * listener and the new rule, ModifyRule/DeleteRule/SetRulePriorities on the rule, AddTags on the rule:
 * Service Authorization Reference, "Actions, resources, and condition keys for Elastic Load Balancing V2").
 */
export function pullRequestPolicy(ci: GithubCi): PolicyDocument {
  const policy = deployPolicy(ci, `${ci.name}-pr-`);
  if (!ci.previewParent) return policy;
  const parent = `${ci.name}-${ci.previewParent}`;
  const rules: Statement = {
    Sid: 'PreviewRulesOnTheParentListener',
    Effect: 'Allow',
    Action: [
      'elasticloadbalancing:CreateRule',
      'elasticloadbalancing:ModifyRule',
      'elasticloadbalancing:DeleteRule',
      'elasticloadbalancing:SetRulePriorities',
      'elasticloadbalancing:AddTags',
      'elasticloadbalancing:RemoveTags',
    ],
    Resource: [
      `arn:aws:elasticloadbalancing:*:*:listener/app/${parent}/*`,
      `arn:aws:elasticloadbalancing:*:*:listener-rule/app/${parent}/*`,
    ],
  };
  return { ...policy, Statement: [...policy.Statement, rules] };
}

/** Read everything a plan reads (AWS's managed ReadOnlyAccess is attached beside it) and lock/write the state. */
export function stateStatements(ci: GithubCi): Statement[] {
  if (!ci.stateBucket) return [];
  return [
    { Sid: 'StateBucket', Effect: 'Allow', Action: 's3:ListBucket', Resource: `arn:aws:s3:::${ci.stateBucket}` },
    {
      Sid: 'StateObjects',
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
      Resource: `arn:aws:s3:::${ci.stateBucket}/${ci.name}/*`,
    },
  ];
}

const heredoc = (doc: PolicyDocument) => `<<-JSON\n${JSON.stringify(doc, null, 2).replace(/^/gm, '    ')}\n  JSON`;

/** ci/github-oidc/main.tf: apply it once by hand (`terraform init && terraform apply`) with an admin's credentials. */
export function oidcTerraform(ci: GithubCi): string {
  const role = (id: string, name: string, sub: string, policy: PolicyDocument, readOnly: boolean) =>
    [
      `resource "aws_iam_role" "${id}" {`,
      `  name                 = "${name}"`,
      `  description          = "GitHub Actions of ${ci.repository} (${sub})"`,
      '  max_session_duration = 3600',
      `  assume_role_policy   = ${heredoc(trustPolicy('${aws_iam_openid_connect_provider.github.arn}', sub))}`,
      '}',
      '',
      `resource "aws_iam_role_policy" "${id}" {`,
      `  name   = "backplane"`,
      `  role   = aws_iam_role.${id}.id`,
      `  policy = ${heredoc(policy)}`,
      '}',
      ...(readOnly
        ? [
            '',
            `resource "aws_iam_role_policy_attachment" "${id}_read_only" {`,
            `  role       = aws_iam_role.${id}.name`,
            '  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"',
            '}',
          ]
        : []),
    ].join('\n');
  return [
    `# GitHub Actions -> AWS without stored keys, for ${ci.repository} (written by \`backplane init --ci github\`).`,
    '# Apply once with an administrator: terraform init && terraform apply; then set the repository variables',
    '# BACKPLANE_DEPLOY_ROLE_ARN and BACKPLANE_PR_ROLE_ARN to the outputs (Settings > Secrets and variables > Actions).',
    'terraform {',
    '  required_version = ">= 1.10"',
    '  required_providers {',
    '    aws = { source = "hashicorp/aws", version = ">= 5.100, < 7" }',
    '  }',
    '}',
    '',
    `provider "aws" {\n  region = "${ci.region}"\n}`,
    '',
    '# One per account: import it (terraform import aws_iam_openid_connect_provider.github <arn>) if it exists already.',
    'resource "aws_iam_openid_connect_provider" "github" {',
    `  url            = "${GITHUB_OIDC_URL}"`,
    '  client_id_list = ["sts.amazonaws.com"]',
    '}',
    '',
    role('deploy', `${ci.name}-github-deploy`, deploySubject(ci), deployPolicy(ci, `${ci.name}-`), false),
    '',
    role('pull_request', `${ci.name}-github-pr`, pullRequestSubject(ci), pullRequestPolicy(ci), true),
    '',
    'output "deploy_role_arn" {\n  value = aws_iam_role.deploy.arn\n}',
    '',
    'output "pr_role_arn" {\n  value = aws_iam_role.pull_request.arn\n}',
    '',
  ].join('\n');
}

/** .github/workflows/backplane.yml */
export function githubWorkflow(ci: GithubCi): string {
  const pr = 'pr-${{ github.event.pull_request.number }}';
  const setup = (roleVar: string) => `    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: 22
          cache: npm
      - uses: hashicorp/setup-terraform@v3
        with:
          terraform_wrapper: false
      - run: npm ci
      - uses: aws-actions/configure-aws-credentials@v4
        with:
          role-to-assume: \${{ vars.${roleVar} }}
          aws-region: ${ci.region}`;
  return `# Written by \`backplane init --ci github\`. Authenticates to AWS through OIDC (no stored keys): apply
# ci/github-oidc/main.tf once, then set the repository variables BACKPLANE_DEPLOY_ROLE_ARN and BACKPLANE_PR_ROLE_ARN.
name: backplane

on:
  push:
    branches: [${ci.branch}]
  pull_request:
    types: [opened, synchronize, reopened, closed]

permissions:
  contents: read
  id-token: write

defaults:
  run:
    shell: bash # -eo pipefail: a failing backplane fails the step even through | tee

jobs:
  plan:
    if: github.event_name == 'pull_request' && github.event.action != 'closed'
    runs-on: ubuntu-latest
    permissions:
      contents: read
      id-token: write
      pull-requests: write
    concurrency:
      group: backplane-plan-\${{ github.event.pull_request.number }}
      cancel-in-progress: true
${setup('BACKPLANE_PR_ROLE_ARN')}
      - name: plan ${ci.stage} (what merging changes)
        run: npx backplane plan --stage ${ci.stage} 2>&1 | tee plan.txt
      - name: deploy the preview stage ${pr}
        run: npx backplane deploy --stage ${pr} --yes 2>&1 | tee -a preview.txt
      - name: comment the plan summary
        if: always()
        uses: actions/github-script@v7
        with:
          script: |
            const fs = require('fs');
            const read = (f) => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : '(not run)').slice(-60000);
            const marker = '<!-- backplane-plan -->';
            const body = [marker, '### backplane plan (${ci.stage})', '\`\`\`', read('plan.txt'), '\`\`\`',
              '### preview stage ${pr}', '\`\`\`', read('preview.txt'), '\`\`\`'].join('\\n');
            const { owner, repo } = context.repo;
            const issue_number = context.payload.pull_request.number;
            const comments = await github.paginate(github.rest.issues.listComments, { owner, repo, issue_number });
            const mine = comments.find((c) => c.body && c.body.startsWith(marker));
            if (mine) await github.rest.issues.updateComment({ owner, repo, comment_id: mine.id, body });
            else await github.rest.issues.createComment({ owner, repo, issue_number, body });

  teardown:
    if: github.event_name == 'pull_request' && github.event.action == 'closed'
    runs-on: ubuntu-latest
    concurrency:
      group: backplane-plan-\${{ github.event.pull_request.number }}
      cancel-in-progress: false
${setup('BACKPLANE_PR_ROLE_ARN')}
      - name: destroy the preview stage ${pr}
        run: npx backplane destroy --stage ${pr} --yes

  deploy:
    if: github.event_name == 'push'
    runs-on: ubuntu-latest
    concurrency:
      group: backplane-deploy-${ci.stage}
      cancel-in-progress: false
${setup('BACKPLANE_DEPLOY_ROLE_ARN')}
      - name: deploy ${ci.stage}
        run: npx backplane deploy --yes
`;
}
