"""CloudFront VPC origins: CreateVpcOrigin, GetVpcOrigin, UpdateVpcOrigin, DeleteVpcOrigin, ListVpcOrigins.

Gap (moto 5.2.1): moto/cloudfront has no VPC origin API at all (no URL, no model), and its ``Origin``
model drops ``VpcOriginConfig`` from a distribution's origins. Backplane's default edge puts an
internal ALB behind a CloudFront VPC origin (no public IPv4 on the load balancer), so the provider's
``aws_cloudfront_vpc_origin`` and the adopted distribution's origin need both.

Emulation: VPC origins live in memory per backend, are "Deployed" at once (the provider's waiter
polls GetVpcOrigin for Status Deployed), carry an ETag that changes on every update, and answer
EntityNotFound (404) once deleted, and keep the tags they were created with (moto's CloudFront tagger
answers ListTagsForResource for their ARN). A distribution origin keeps the VpcOriginConfig it was sent,
so the provider reads back what it wrote.

CloudFront also creates the security group ``CloudFront-VPCOrigins-Service-SG`` in the VPC of a VPC origin's
endpoint, which carries the traffic it sends to the origin (CloudFront Developer Guide, "Restrict access with
VPC origins": the origin admits that group). The emulation creates it (once per VPC) with the first VPC origin
of that VPC, and deletes it with the last one, as a service-managed group comes and goes with its service.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from moto.cloudfront import models, responses, urls
from moto.core.common_types import TYPE_RESPONSE
from moto.core.responses import ActionResult, EmptyResult
from moto.moto_api._internal import mock_random

from ._util import require

_VO = "{0}/2020-05-31/vpc-origin"


class NoSuchVpcOrigin(Exception):
    pass


def _store(backend: Any) -> dict[str, dict[str, Any]]:
    if not hasattr(backend, "_backplane_vpc_origins"):
        backend._backplane_vpc_origins = {}
    return backend._backplane_vpc_origins


def _now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).isoformat()


def _error(code: str, message: str, status: int) -> TYPE_RESPONSE:
    body = (
        '<?xml version="1.0"?><ErrorResponse xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/">'
        f"<Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error>"
        f"<RequestId>{uuid.uuid4()}</RequestId></ErrorResponse>"
    )
    return status, {"status": status, "content-type": "text/xml"}, body


SERVICE_GROUP = "CloudFront-VPCOrigins-Service-SG"


def _endpoint_vpc(account: str, arn: str) -> tuple[Any, str] | None:
    """(the EC2 backend, the VPC id) of the load balancer a VPC origin points at."""
    from moto.ec2.models import ec2_backends
    from moto.elbv2.models import elbv2_backends

    parts = (arn or "").split(":")
    if len(parts) < 6 or parts[2] != "elasticloadbalancing":
        return None
    lb = elbv2_backends[account][parts[3]].load_balancers.get(arn)
    return (ec2_backends[account][parts[3]], lb.vpc_id) if lb else None


def _service_groups(ec2: Any, vpc_id: str) -> list[Any]:
    return ec2.describe_security_groups(filters={"group-name": [SERVICE_GROUP], "vpc-id": [vpc_id]})


def _sync_service_group(backend: Any, account: str, arn: str) -> None:
    """One service group per VPC while any VPC origin points into it."""
    found = _endpoint_vpc(account, arn)
    if not found:
        return
    ec2, vpc_id = found
    in_use = any(
        (_endpoint_vpc(account, e["origin"]["VpcOriginEndpointConfig"].get("Arn", "")) or (None, ""))[1] == vpc_id
        for e in _store(backend).values()
    )
    groups = _service_groups(ec2, vpc_id)
    if in_use and not groups:
        ec2.create_security_group(SERVICE_GROUP, "CloudFront VPC origins (service-managed)", vpc_id=vpc_id)
    elif not in_use:
        for group in groups:
            ec2.delete_security_group(group_id=group.id)


def apply() -> list[str]:
    require(urls, "url_paths")
    require(responses, "CloudFrontResponse")
    require(models, "Origin")
    cls = responses.CloudFrontResponse

    urls.url_paths[_VO + "$"] = cls.dispatch
    urls.url_paths[_VO + "/(?P<vpc_origin_id>[^/]+)$"] = cls.dispatch

    def create_vpc_origin(self: Any) -> Any:
        config = self._get_param("VpcOriginEndpointConfig", {})
        vo_id = "vo_" + mock_random.get_random_hex(20)
        origin = {
            "Id": vo_id,
            "Arn": f"arn:{self.partition}:cloudfront::{self.current_account}:vpcorigin/{vo_id}",
            "Status": "Deployed",
            "CreatedTime": _now(),
            "LastModifiedTime": _now(),
            "VpcOriginEndpointConfig": config,
        }
        etag = mock_random.get_random_hex(13).upper()
        _store(self.backend)[vo_id] = {"origin": origin, "etag": etag}
        # CreateVpcOrigin takes Tags; the provider reads them back with ListTagsForResource (tags_all).
        tags = self._get_param("Tags.Items", []) or []
        if tags:
            self.backend.tagger.tag_resource(origin["Arn"], tags)
        _sync_service_group(self.backend, self.current_account, config.get("Arn", ""))
        location = f"https://cloudfront.amazonaws.com/2020-05-31/vpc-origin/{vo_id}"
        return ActionResult({"VpcOrigin": origin, "ETag": etag, "Location": location})

    def _found(self: Any) -> dict[str, Any] | None:
        vo_id = self.path.rstrip("/").split("/")[-1]
        return _store(self.backend).get(vo_id)

    def get_vpc_origin(self: Any) -> Any:
        entry = _found(self)
        if entry is None:
            return _error("EntityNotFound", "The VPC origin does not exist.", 404)
        return ActionResult({"VpcOrigin": entry["origin"], "ETag": entry["etag"]})

    def update_vpc_origin(self: Any) -> Any:
        entry = _found(self)
        if entry is None:
            return _error("EntityNotFound", "The VPC origin does not exist.", 404)
        entry["origin"]["VpcOriginEndpointConfig"] = self._get_param("VpcOriginEndpointConfig", {})
        entry["origin"]["LastModifiedTime"] = _now()
        entry["etag"] = mock_random.get_random_hex(13).upper()
        return ActionResult({"VpcOrigin": entry["origin"], "ETag": entry["etag"]})

    def delete_vpc_origin(self: Any) -> Any:
        entry = _found(self)
        if entry is None:
            return _error("EntityNotFound", "The VPC origin does not exist.", 404)
        del _store(self.backend)[entry["origin"]["Id"]]
        self.backend.tagger.delete_all_tags_for_resource(entry["origin"]["Arn"])
        _sync_service_group(self.backend, self.current_account, entry["origin"]["VpcOriginEndpointConfig"].get("Arn", ""))
        entry["origin"]["Status"] = "Deleting"
        return ActionResult({"VpcOrigin": entry["origin"], "ETag": entry["etag"]})

    def list_vpc_origins(self: Any) -> Any:
        items = [
            {
                "Id": e["origin"]["Id"],
                "Name": e["origin"]["VpcOriginEndpointConfig"].get("Name"),
                "Status": e["origin"]["Status"],
                "CreatedTime": e["origin"]["CreatedTime"],
                "LastModifiedTime": e["origin"]["LastModifiedTime"],
                "Arn": e["origin"]["Arn"],
                "OriginEndpointArn": e["origin"]["VpcOriginEndpointConfig"].get("Arn"),
            }
            for e in _store(self.backend).values()
        ]
        return ActionResult({"VpcOriginList": {"Marker": "", "MaxItems": 100, "IsTruncated": False, "Quantity": len(items), "Items": items}})

    for fn in (create_vpc_origin, get_vpc_origin, update_vpc_origin, delete_vpc_origin, list_vpc_origins):
        setattr(cls, fn.__name__, fn)

    origin_init = models.Origin.__init__

    def origin_with_vpc_config(self: Any, origin: dict[str, Any]) -> None:
        origin_init(self, origin)
        self.vpc_origin_config = origin.get("VpcOriginConfig")

    models.Origin.__init__ = origin_with_vpc_config
    _ = EmptyResult
    return ["cloudfront.vpc_origins"]
