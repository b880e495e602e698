"""ElastiCache replication groups: member clusters, deletion, subnet-group deletion.

Gaps (moto 5.2.1, moto/elasticache/models.py and responses.py):

1. ``create_replication_group`` lists member cluster ids (``<group>-001`` ...) in MemberClusters and
   NodeGroupMembers but never creates those CacheCluster objects. The aws provider's replication
   group read calls DescribeCacheClusters(NodeGroupMembers[0].CacheClusterId) and sets node_type,
   engine, engine_version, subnet_group_name, security_group_ids, parameter_group_name,
   maintenance_window, at_rest_encryption_enabled, transit_encryption_enabled from that cluster
   (terraform-provider-aws internal/service/elasticache/replication_group.go, "This section reads
   settings that require checking the underlying cache clusters"; cluster.go setFromCacheCluster).
   Moto answers CacheClusterNotFound (404) and the apply fails. Even when a cluster exists, moto's
   CacheCluster has no ``security_groups``, ``cache_parameter_group`` or ``at_rest_encryption_enabled``
   attributes, so its serializer omits SecurityGroups, CacheParameterGroup and
   AtRestEncryptionEnabled: the provider reads security_group_ids = [] and
   at_rest_encryption_enabled = false, both of which force a replacement in the next plan.
   Fix: create a CacheCluster per member, inheriting the group's settings, and give CacheCluster
   the missing attributes (SecurityGroups as ``[{SecurityGroupId, Status: "active"}]``, the shape of
   the ElastiCache API's SecurityGroupMembership).

2. ``delete_replication_group`` only sets Status = "deleting" and never removes the group, so the
   provider's deletion waiter polls DescribeReplicationGroups until its timeout (40 min default).
   Fix: answer with the group in "deleting" (as AWS does), then remove it and its member clusters,
   so the next Describe answers ReplicationGroupNotFoundFault, which the waiter treats as deleted.

3. DeleteCacheSubnetGroup is not implemented (HTTP 500). Fix: implement it, answering
   CacheSubnetGroupNotFoundFault for an unknown name and CacheSubnetGroupInUse while a cluster or
   replication group still uses it (as AWS does).

4. ``elasticache.num_cache_clusters``: with cluster mode disabled, ``_set_node_members_clusters_disabled``
   overwrites NumCacheClusters with ``ReplicasPerNodeGroup + 1`` (1 when that is absent), so a group created with
   NumCacheClusters = 2 (a primary and a replica, what automatic failover needs) has one member, and the provider
   plans ``num_cache_clusters`` and ``member_clusters`` again every time (seen by the production scenario,
   2026-12-03). AWS creates NumCacheClusters clusters (ElastiCache API Reference, CreateReplicationGroup).
   Fix: without ReplicasPerNodeGroup, create NumCacheClusters members.

5. With cluster mode disabled, a node group has a PrimaryEndpoint but no ReaderEndpoint (the model keeps only
   ``reader_endpoint_address``), so DescribeReplicationGroups omits NodeGroups[].ReaderEndpoint. AWS returns both
   endpoints for such a group (ElastiCache API Reference, NodeGroup: "ReaderEndpoint ... the endpoint of the replica
   nodes in this node group"); the aws provider's ``aws_elasticache_replication_group`` data source dereferences it
   and crashes with a nil pointer (replication_group_data_source.go, seen by the preview scenario, 2026-12-04).
   Fix: the node group gets ``reader_endpoint`` {address, port} from its reader address.
"""

from __future__ import annotations

from typing import Any

from moto.core.responses import EmptyResult
from moto.elasticache import models, responses
from moto.elasticache.exceptions import CacheSubnetGroupNotFound, ElastiCacheException

from ._util import require

Backend = models.ElastiCacheBackend
Response = responses.ElastiCacheResponse
CacheCluster = models.CacheCluster


class CacheSubnetGroupInUse(ElastiCacheException):
    code = "CacheSubnetGroupInUse"

    def __init__(self, name: str) -> None:
        super().__init__(f"Cache subnet group {name} is currently in use by a cache cluster.")


def _security_groups(self: Any) -> list[dict[str, str]]:
    return [{"SecurityGroupId": sg, "Status": "active"} for sg in (self.security_group_ids or [])]


def _cache_parameter_group(self: Any) -> dict[str, Any] | None:
    name = getattr(self, "cache_parameter_group_name", None)
    if not name:
        return None
    return {"CacheParameterGroupName": name, "ParameterApplyStatus": "in-sync", "CacheNodeIdsToReboot": []}


def _member_azs(group: Any) -> dict[str, str]:
    azs: dict[str, str] = {}
    for node_group in group.node_groups:
        for member in node_group.get("node_group_members", []):
            azs[member["cache_cluster_id"]] = member.get("preferred_availability_zone", "us-east-1a")
    return azs


def _create_members(backend: Any, group: Any) -> None:
    azs = _member_azs(group)
    for cluster_id in list(group.member_clusters):
        if cluster_id in backend.cache_clusters:
            continue
        cluster = CacheCluster(
            account_id=backend.account_id,
            region_name=backend.region_name,
            cache_cluster_id=cluster_id,
            cache_node_type=group.cache_node_type,
            replication_group_id=group.replication_group_id,
            az_mode="single-az",
            preferred_availability_zone=azs.get(cluster_id, "us-east-1a"),
            num_cache_nodes=1,
            engine=group.engine,
            engine_version=group.engine_version,
            cache_parameter_group_name=group.cache_parameter_group_name,
            cache_subnet_group_name=group.cache_subnet_group_name,
            transit_encryption_enabled=group.transit_encryption_enabled,
            network_type=group.network_type,
            ip_discovery=group.ip_discovery,
            snapshot_name=None,
            preferred_maintenance_window=group.preferred_maintenance_window,
            port=group.port,
            notification_topic_arn=group.notification_topic_arn,
            auto_minor_version_upgrade=group.auto_minor_version_upgrade,
            snapshot_retention_limit=group.snapshot_retention_limit,
            snapshot_window=group.snapshot_window,
            auth_token="set" if group.auth_token_enabled else None,
            outpost_mode=None,
            preferred_outpost_arn=None,
            preferred_availability_zones=None,
            cache_security_group_names=None,
            security_group_ids=list(group.security_group_ids or []),
            tags=None,
            snapshot_arns=None,
            preferred_outpost_arns=None,
            log_delivery_configurations=[],
            cache_node_ids_to_remove=None,
            cache_node_ids_to_reboot=None,
        )
        # CacheCluster.__init__ only sets these for engine == "redis"; valkey members need them too.
        cluster.num_cache_nodes = 1
        cluster.replication_group_id = group.replication_group_id
        cluster.snapshot_window = group.snapshot_window
        cluster.at_rest_encryption_enabled = bool(group.at_rest_encryption_enabled)
        cluster.transit_encryption_enabled = bool(group.transit_encryption_enabled)
        cluster.transit_encryption_mode = group.transit_encryption_mode or (
            "required" if group.transit_encryption_enabled else None
        )
        cluster.replication_group_log_delivery_enabled = bool(group.log_delivery_configurations)
        backend.cache_clusters[cluster_id] = cluster


def apply() -> list[str]:
    for name in ("create_replication_group", "delete_replication_group", "describe_cache_subnet_groups"):
        require(Backend, name)
    require(models, "ReplicationGroup")

    # 1. Missing attributes on every CacheCluster (class-level defaults; members set their own).
    CacheCluster.security_groups = property(_security_groups)
    CacheCluster.cache_parameter_group = property(_cache_parameter_group)
    CacheCluster.at_rest_encryption_enabled = False
    CacheCluster.transit_encryption_mode = None

    original_create = Backend.create_replication_group
    original_delete = Backend.delete_replication_group

    def create_replication_group(self: Any, *args: Any, **kwargs: Any) -> Any:
        group = original_create(self, *args, **kwargs)
        _create_members(self, group)
        # 5. The reader endpoint of each cluster-mode-disabled node group.
        for node_group in group.node_groups:
            if "reader_endpoint_address" in node_group and "reader_endpoint" not in node_group:
                node_group["reader_endpoint"] = {"address": node_group["reader_endpoint_address"], "port": node_group["port"]}
        return group

    # 2. Deletion completes.
    def delete_replication_group(self: Any, replication_group_id: str, retain_primary_cluster: bool | None) -> Any:
        group = self.replication_groups.get(replication_group_id)
        members = list(group.member_clusters) if group is not None else []
        primary = members[0] if members else None
        result = original_delete(self, replication_group_id, retain_primary_cluster)
        for cluster_id in members:
            if retain_primary_cluster and cluster_id == primary:
                self.cache_clusters[cluster_id].replication_group_id = None
                continue
            self.cache_clusters.pop(cluster_id, None)
        self.replication_groups.pop(replication_group_id, None)
        self.tagging_service.delete_all_tags_for_resource(result.arn)
        return result

    # 3. DeleteCacheSubnetGroup.
    def delete_cache_subnet_group(self: Any, cache_subnet_group_name: str) -> Any:
        if cache_subnet_group_name not in self.cache_subnet_groups:
            raise CacheSubnetGroupNotFound(cache_subnet_group_name)
        users = list(self.replication_groups.values()) + list(self.cache_clusters.values())
        if any(getattr(u, "cache_subnet_group_name", None) == cache_subnet_group_name for u in users):
            raise CacheSubnetGroupInUse(cache_subnet_group_name)
        group = self.cache_subnet_groups.pop(cache_subnet_group_name)
        self.tagging_service.delete_all_tags_for_resource(group.arn)
        return group

    def delete_cache_subnet_group_response(self: Any) -> Any:
        self.elasticache_backend.delete_cache_subnet_group(self._get_param("CacheSubnetGroupName"))
        return EmptyResult()

    # 4. NumCacheClusters members with cluster mode disabled.
    group_class = models.ReplicationGroup
    require(group_class, "_set_node_members_clusters_disabled")
    original_members = group_class._set_node_members_clusters_disabled

    def set_members(self: Any, **kwargs: Any) -> None:
        wanted = kwargs.get("num_cache_clusters") or 1
        if not kwargs.get("replicas_per_node_group") and wanted > 1:
            kwargs["replicas_per_node_group"] = wanted - 1
        original_members(self, **kwargs)

    group_class._set_node_members_clusters_disabled = set_members
    Backend.create_replication_group = create_replication_group
    Backend.delete_replication_group = delete_replication_group
    Backend.delete_cache_subnet_group = delete_cache_subnet_group
    Response.delete_cache_subnet_group = delete_cache_subnet_group_response
    return [
        "elasticache.member_clusters",
        "elasticache.delete_group",
        "elasticache.delete_subnet_group",
        "elasticache.num_cache_clusters",
        "elasticache.reader_endpoint",
    ]
