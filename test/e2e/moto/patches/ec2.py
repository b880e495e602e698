"""EC2: descriptions of group- and prefix-list-referencing rules; an instance's security groups.

Gap 1, ``ec2.rule_descriptions`` (moto 5.2.1, moto/ec2/models/security_groups.py): ``SecurityGroupRule.description`` returns
``ip_range["Description"]`` only. A rule that references another security group keeps its
description in ``source_group`` and a prefix-list rule drops it (``__init__`` keeps only the
PrefixListId), so DescribeSecurityGroupRules answers no Description for them. The aws provider's
``aws_vpc_security_group_ingress_rule`` / ``_egress_rule`` reads it back as null and the next plan
wants to set ``description`` again (found by the moto-gaps scenario, 2026-11-23).

Fix: keep the prefix-list entry's Description and fall back to it, or to the referenced group's,
when there is no CIDR description.

Gap 2, ``ec2.instance_groups`` (moto 5.2.1, moto/ec2/models/instances.py ``Instance.__init__``): an
instance launched with its security groups on the primary network interface (what the aws provider
sends when ``associate_public_ip_address`` is set, as for the NAT instance) keeps them on the
interface only; DescribeInstances answers ``SecurityGroups: []``. On AWS an instance's groups are its
primary interface's. The provider read ``vpc_security_group_ids`` back empty and re-added the group
in every plan (found by the Lambda-worker scenario with the NAT instance, 2026-11-23). Fix: an
instance launched without groups of its own takes its primary interface's.

Gap 3, ``ec2.security_group_lock`` (moto 5.2.1, moto/ec2/models/security_groups.py): moto's server answers requests on
several threads, and ``SecurityGroupBackend`` mutates a group's rule lists without a lock: ``revoke_security_group_
egress`` rebuilds ``group.egress_rules`` from a copy (``group.egress_rules = [r for r in ... if r.id not in ...]``)
while ``authorize_security_group_egress`` appends to the old list, so a rule authorized at the same moment is lost
and a later revoke of it answers ``InvalidPermission.NotFound`` (seen twice with the e2e scenarios running in
parallel, 2026-12-02: terraform creates and deletes several rules of one group concurrently; never seen serially).
AWS applies each call atomically. Fix: every SecurityGroupBackend call runs under one re-entrant lock.

Gap 4, ``ec2.prefix_list_weights`` (moto 5.2.1, ``_verify_group_will_respect_rule_count_limit``): moto counts one
rule per CIDR or group and ignores prefix lists, so a group of any number of prefix-list rules is accepted. AWS counts
a reference to a managed prefix list as the list's WEIGHT against the 60 inbound (and 60 outbound) rules of a VPC
security group, 55 for com.amazonaws.global.cloudfront.origin-facing (Amazon VPC User Guide, "AWS-managed prefix
lists" and "Amazon VPC quotas"), and refuses the excess with RulesPerSecurityGroupLimitExceeded: referencing that list
on two ports is refused on a real account. Fix: authorizing a rule counts prefix lists by weight (the AWS figure for the
lists AWS documents, else the list's max entries) and refuses over 60, as AWS does.

Gap 5, ``ec2.rule_id_not_found`` (``revoke_security_group_ingress`` / ``_egress`` with SecurityGroupRuleIds): a rule id
the group does not have answers ``InvalidPermission.NotFound``; AWS answers ``InvalidSecurityGroupRuleId.NotFound``
(Amazon EC2 API Reference, "Error codes"), which the aws provider takes as "already deleted" when it deletes an
``aws_vpc_security_group_*_rule``. A revoke whose response came late was retried by the client and the retry failed
the destroy with moto's code (seen 2026-12-03, hcl-fullstack, the NAT instance's ingress rule). Fix: AWS's code for
an unknown rule id.

Gap 6, ``ec2.revoke_unknown_permissions`` (the same two calls with IpPermissions): a permission the group does not
have fails the whole call with ``InvalidPermission.NotFound``. AWS revokes the rules that match and ignores the
others ("If the values you specify do not match the existing rule's values, no error is returned, and the output
describes the security group rules that were not revoked", Amazon EC2 API Reference, RevokeSecurityGroupIngress /
RevokeSecurityGroupEgress). The aws provider revokes a new group's default egress rule this way right after
CreateSecurityGroup; a retried revoke failed the apply with moto's error (seen 2026-12-03, hcl-fullstack, the ALB's
group). Fix: on that error, revoke each source of the permission on its own and ignore the ones that do not match.
"""

from __future__ import annotations

from typing import Any

from moto.ec2.models import instances, security_groups

from ._util import require

Rule = security_groups.SecurityGroupRule


def apply() -> list[str]:
    require(Rule, "description")
    original_init = Rule.__init__

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        prefix_list = kwargs.get("prefix_list_id")
        if prefix_list is None and len(args) >= 8:
            prefix_list = args[7]
        self.e2e_prefix_list_description = (prefix_list or {}).get("Description")

    def description(self: Any) -> str | None:
        return (
            self.ip_range.get("Description")
            or (self.source_group or {}).get("Description")
            or getattr(self, "e2e_prefix_list_description", None)
        )

    Rule.__init__ = __init__
    Rule.description = property(description)
    return ["ec2.rule_descriptions", *_instance_groups(), *_prefix_list_weights(), *_rule_id_not_found(), *_security_group_lock()]


def _rule_id_not_found() -> list[str]:
    from moto.ec2.exceptions import InvalidSecurityGroupRuleIdNotFoundError

    Backend = security_groups.SecurityGroupBackend
    for direction in ("ingress", "egress"):
        name = f"revoke_security_group_{direction}"
        require(Backend, name)
        original = getattr(Backend, name)

        def revoke(self: Any, *args: Any, _original: Any = original, _direction: str = direction, **kwargs: Any) -> Any:
            rule_ids = kwargs.get("security_rule_ids")
            if rule_ids:
                group = self.get_security_group_by_name_or_id(args[0] if args else kwargs["group_name_or_id"], kwargs.get("vpc_id"))
                if group is not None:
                    known = {r.id for r in getattr(group, f"{_direction}_rules")}
                    for rule_id in rule_ids:
                        if rule_id not in known:
                            raise InvalidSecurityGroupRuleIdNotFoundError(rule_id)
            return _original(self, *args, **kwargs)

        setattr(Backend, name, revoke)
    return ["ec2.rule_id_not_found", *_revoke_unknown_permissions()]


def _revoke_unknown_permissions() -> list[str]:
    from moto.ec2.exceptions import InvalidPermissionNotFoundError

    Backend = security_groups.SecurityGroupBackend
    for direction in ("ingress", "egress"):
        name = f"revoke_security_group_{direction}"
        original = getattr(Backend, name)

        def revoke(self: Any, *args: Any, _original: Any = original, **kwargs: Any) -> Any:
            try:
                return _original(self, *args, **kwargs)
            except InvalidPermissionNotFoundError:
                if kwargs.get("security_rule_ids") or args:
                    raise
            # One source at a time: the ones that match are revoked, the others ignored (as AWS does).
            singles: list[dict[str, Any]] = [{"ip_ranges": [r]} for r in kwargs.get("ip_ranges") or []]
            singles += [{"source_groups": [g]} for g in kwargs.get("source_groups") or []]
            singles += [{"prefix_list_ids": [p]} for p in kwargs.get("prefix_list_ids") or []]
            for single in singles:
                try:
                    _original(self, **{**kwargs, "ip_ranges": [], "source_groups": [], "prefix_list_ids": [], **single})
                except InvalidPermissionNotFoundError:
                    pass
            return None

        setattr(Backend, name, revoke)
    return ["ec2.revoke_unknown_permissions"]


def _instance_groups() -> list[str]:
    Instance = instances.Instance
    require(Instance, "prep_nics")
    prep_nics = Instance.prep_nics

    def patched_prep_nics(self: Any, *args: Any, **kwargs: Any) -> None:
        prep_nics(self, *args, **kwargs)
        primary = self.nics.get(0)
        if not self.security_groups and primary is not None:
            self.security_groups = list(primary._group_set)

    Instance.prep_nics = patched_prep_nics
    return ["ec2.instance_groups"]


def _security_group_lock() -> list[str]:
    import functools
    import threading

    Backend = security_groups.SecurityGroupBackend
    lock = threading.RLock()
    names = [
        n
        for n, f in vars(Backend).items()
        if callable(f) and not n.startswith("__") and ("security_group" in n or "rule" in n)
    ]
    require(Backend, "revoke_security_group_egress")
    require(Backend, "authorize_security_group_egress")

    def locked(f: Any) -> Any:
        @functools.wraps(f)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with lock:
                return f(*args, **kwargs)

        return wrapper

    for n in names:
        setattr(Backend, n, locked(getattr(Backend, n)))
    return ["ec2.security_group_lock"]


# Amazon VPC User Guide, "AWS-managed prefix lists": the weights AWS documents.
PREFIX_LIST_WEIGHTS = {"com.amazonaws.global.cloudfront.origin-facing": 55}
RULES_PER_VPC_SECURITY_GROUP = 60


def _prefix_list_weights() -> list[str]:
    from moto.ec2.exceptions import RulesPerSecurityGroupLimitExceededError

    Backend = security_groups.SecurityGroupBackend
    require(Backend, "authorize_security_group_ingress")
    require(Backend, "authorize_security_group_egress")

    def weight(backend: Any, prefix_list_id: str | None) -> int:
        if not prefix_list_id:
            return 1
        pl = getattr(backend, "managed_prefix_lists", {}).get(prefix_list_id)
        name = getattr(pl, "prefix_list_name", None)
        if name in PREFIX_LIST_WEIGHTS:
            return PREFIX_LIST_WEIGHTS[name]
        entries = getattr(pl, "max_entries", None)
        return int(entries) if entries else 1

    def checked(original: Any, egress: bool) -> Any:
        def wrapper(self: Any, group_name_or_id: str, *args: Any, **kwargs: Any) -> Any:
            group = self.get_security_group_by_name_or_id(group_name_or_id, kwargs.get("vpc_id"))
            prefix_lists = kwargs.get("prefix_list_ids") or []
            if group is not None and group.vpc_id and prefix_lists:
                rules = group.egress_rules if egress else group.ingress_rules
                current = sum(weight(self, r.prefix_list_id) for r in rules)
                adding = sum(weight(self, p.get("PrefixListId")) for p in prefix_lists)
                adding += len(kwargs.get("ip_ranges") or []) + len(kwargs.get("source_groups") or [])
                if current + adding > RULES_PER_VPC_SECURITY_GROUP:
                    raise RulesPerSecurityGroupLimitExceededError()
            return original(self, group_name_or_id, *args, **kwargs)

        return wrapper

    Backend.authorize_security_group_ingress = checked(Backend.authorize_security_group_ingress, egress=False)
    Backend.authorize_security_group_egress = checked(Backend.authorize_security_group_egress, egress=True)
    return ["ec2.prefix_list_weights"]
