/**
 * Ingress that references security groups, never CIDR blocks: the data tier (database, proxy, cache) opens its
 * port only to the security groups of its consumers.
 */
import type { Construct } from 'constructs';
import { Fn, Token, TerraformIterator, type IResolvable } from 'cdktn';
import { VpcSecurityGroupIngressRule } from '@cdktn/provider-aws/lib/vpc-security-group-ingress-rule';
import { isToken } from '../modules/module';
import type { Condition } from './tokens';

export interface GroupIngressProps {
  /** The security group that receives the rules. */
  readonly securityGroupId: string;
  readonly port: number;
  /** What may connect, for the rule descriptions, e.g. "PostgreSQL". */
  readonly what: string;
  /** Only when this holds (the security group itself may be optional). @default true */
  readonly enabled?: Condition;
}

/** `label` as a construct id and Terraform name part: `worker jobs` -> `worker_jobs`. */
export const labelId = (label: string) =>
  label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '') || 'consumer';

/**
 * One ingress rule per security group in `groupIds`. A concrete list gives one resource per entry; a token list
 * (a module variable, other resources' ids) gives one resource with `for_each` over the list's indexes, whose keys
 * are known at plan time even when the ids are not (a `toset()` of unknown ids would fail the plan).
 */
export function ingressFromGroups(scope: Construct, id: string, groupIds: string[], props: GroupIngressProps): void {
  const enabled = props.enabled ?? true;
  if (enabled === false) return;
  const rule = (name: string, source: string, extra: { count?: number; forEach?: TerraformIterator }) =>
    new VpcSecurityGroupIngressRule(scope, name, {
      ...extra,
      securityGroupId: props.securityGroupId,
      description: `${props.what} from an allowed security group`,
      ipProtocol: 'tcp',
      fromPort: props.port,
      toPort: props.port,
      referencedSecurityGroupId: source,
    });
  if (!isToken(groupIds)) {
    groupIds.forEach((source, i) => {
      const count = enabled === true ? undefined : Token.asNumber(Fn.conditional(enabled, 1, 0));
      rule(`${id}_${i}`, source, { count });
    });
    return;
  }
  const byIndex = Fn.zipmap(Fn.formatlist('%d', [Fn.range(0, Fn.lengthOf(groupIds))]), groupIds);
  const it = TerraformIterator.fromMap(enabled === true ? byIndex : (Fn.conditional(enabled as IResolvable, byIndex, {}) as IResolvable));
  rule(id, Token.asString(it.value), { forEach: it });
}

/** One ingress rule from one consumer's security group, named after its label. */
export function ingressFromGroup(
  scope: Construct,
  id: string,
  groupId: string,
  label: string,
  props: GroupIngressProps,
): VpcSecurityGroupIngressRule | undefined {
  const enabled = props.enabled ?? true;
  if (enabled === false) return undefined;
  return new VpcSecurityGroupIngressRule(scope, id, {
    count: enabled === true ? undefined : Token.asNumber(Fn.conditional(enabled, 1, 0)),
    securityGroupId: props.securityGroupId,
    description: `${props.what} from ${label}`,
    ipProtocol: 'tcp',
    fromPort: props.port,
    toPort: props.port,
    referencedSecurityGroupId: groupId,
  });
}
