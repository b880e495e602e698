import { Construct } from 'constructs';
import { DataAwsCallerIdentity } from '@cdktn/provider-aws/lib/data-aws-caller-identity';
import { DataAwsPartition } from '@cdktn/provider-aws/lib/data-aws-partition';
import { DataAwsRegion } from '@cdktn/provider-aws/lib/data-aws-region';
import { IamRole } from '@cdktn/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktn/provider-aws/lib/iam-role-policy';
import { Fn } from 'cdktn';

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: string[];
  readonly Resource: string | string[];
  readonly Condition?: Record<string, Record<string, string | string[]>>;
}

/** The account, region and partition the stack deploys into, read once per construct that needs them. */
export class AwsContext extends Construct {
  readonly accountId: string;
  readonly region: string;
  readonly partition: string;
  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.accountId = new DataAwsCallerIdentity(this, 'account').accountId;
    // `name` exists in both provider majors (6.x adds `region` and deprecates `name`).
    this.region = new DataAwsRegion(this, 'region').name;
    this.partition = new DataAwsPartition(this, 'partition').partition;
  }
}

/**
 * A role a service principal assumes, with confused-deputy protection: the trust policy requires the
 * calling resource to be in this account (`aws:SourceAccount`) and, where given, to match `sourceArn`.
 */
export function serviceRole(
  scope: Construct,
  id: string,
  props: { name: string; service: string; ctx: AwsContext; sourceArn?: string; tags: Record<string, string> },
): IamRole {
  const condition: Record<string, Record<string, string>> = { StringEquals: { 'aws:SourceAccount': props.ctx.accountId } };
  if (props.sourceArn) condition.ArnLike = { 'aws:SourceArn': props.sourceArn };
  return new IamRole(scope, id, {
    name: props.name,
    assumeRolePolicy: Fn.jsonencode({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: props.service }, Action: 'sts:AssumeRole', Condition: condition }],
    }),
    tags: props.tags,
  });
}

/** An inline policy on a role. `statements` may be a token list (optional statements via concat). */
export function rolePolicy(
  scope: Construct,
  id: string,
  role: IamRole,
  name: string,
  statements: PolicyStatement[] | unknown,
): IamRolePolicy {
  return new IamRolePolicy(scope, id, {
    name,
    role: role.name,
    policy: Fn.jsonencode({ Version: '2012-10-17', Statement: statements }),
  });
}
