"""Application Auto Scaling tags, and DeleteScalingPolicy's error for a missing policy.

Gap (moto 5.2.1, moto/applicationautoscaling/responses.py): the response class has no
``tag_resource``, ``untag_resource`` or ``list_tags_for_resource``, so BaseResponse.call_action raises
NotImplementedError and the server answers HTTP 500. RegisterScalableTarget also ignores ``Tags``.
The aws provider tags ``aws_appautoscaling_target`` at creation (RegisterScalableTarget.Tags) and
reads tags back with ListTagsForResource on every refresh, so any tagged target fails to apply.

Fix: keep tags per scalable-target ARN on the backend; RegisterScalableTarget stores the Tags of a
new target; TagResource / UntagResource / ListTagsForResource work on known ARNs and answer
ResourceNotFoundException otherwise (API shapes: Application Auto Scaling API Reference,
TagResource / ListTagsForResource: ``{"ResourceARN", "Tags": {k: v}}``, ``{"ResourceARN", "TagKeys"}``).

Gap 2, ``appautoscaling.policy_not_found`` (moto 5.2.1, models.delete_scaling_policy): a policy that does not exist
answers ``ValidationException``; AWS answers ``ObjectNotFoundException`` (Application Auto Scaling API Reference,
DeleteScalingPolicy, Errors), which the aws provider takes as "already deleted" (resourcePolicyDelete). Under load a
delete whose response came late was retried by the client and the retry failed the destroy with moto's error (seen
2026-12-03 in the Lambda-worker scenario). Fix: the AWS error code for a missing policy.
"""

from __future__ import annotations

import json
from typing import Any

from moto.applicationautoscaling import models, responses
from moto.core.exceptions import JsonRESTError

from ._util import require

Backend = models.ApplicationAutoscalingBackend
Response = responses.ApplicationAutoScalingResponse


class ResourceNotFound(JsonRESTError):
    def __init__(self, arn: str) -> None:
        super().__init__("ResourceNotFoundException", f"No scalable target found for ARN: {arn}")


def _tags(backend: Any) -> dict[str, dict[str, str]]:
    store = getattr(backend, "_e2e_tags", None)
    if store is None:
        store = {}
        backend._e2e_tags = store
    return store


def _known_arns(backend: Any) -> set[str]:
    return {t.arn for by_id in backend.targets.values() for t in by_id.values()}


def _require_target(backend: Any, arn: str) -> None:
    if arn not in _known_arns(backend):
        raise ResourceNotFound(arn)


def apply() -> list[str]:
    for name in ("register_scalable_target", "deregister_scalable_target"):
        require(Response, name)
    require(Backend, "_scalable_target_exists")

    original_register = Response.register_scalable_target
    original_deregister = Response.deregister_scalable_target

    def register_scalable_target(self: Any) -> str:
        backend = self.applicationautoscaling_backend
        existed = backend._scalable_target_exists(
            self._get_param("ResourceId"), self._get_param("ScalableDimension")
        )
        body = original_register(self)
        tags = self._get_param("Tags") or {}
        if not existed and tags:
            arn = json.loads(body)["ScalableTargetARN"]
            _tags(backend)[arn] = dict(tags)
        return body

    def deregister_scalable_target(self: Any) -> str:
        backend = self.applicationautoscaling_backend
        before = _known_arns(backend)
        body = original_deregister(self)
        for arn in before - _known_arns(backend):
            _tags(backend).pop(arn, None)
        return body

    def tag_resource(self: Any) -> str:
        backend = self.applicationautoscaling_backend
        arn = self._get_param("ResourceARN")
        _require_target(backend, arn)
        _tags(backend).setdefault(arn, {}).update(self._get_param("Tags") or {})
        return json.dumps({})

    def untag_resource(self: Any) -> str:
        backend = self.applicationautoscaling_backend
        arn = self._get_param("ResourceARN")
        _require_target(backend, arn)
        for key in self._get_param("TagKeys") or []:
            _tags(backend).get(arn, {}).pop(key, None)
        return json.dumps({})

    def list_tags_for_resource(self: Any) -> str:
        backend = self.applicationautoscaling_backend
        arn = self._get_param("ResourceARN")
        _require_target(backend, arn)
        return json.dumps({"Tags": dict(_tags(backend).get(arn, {}))})

    Response.register_scalable_target = register_scalable_target
    Response.deregister_scalable_target = deregister_scalable_target
    Response.tag_resource = tag_resource
    Response.untag_resource = untag_resource
    Response.list_tags_for_resource = list_tags_for_resource
    return ["appautoscaling.tags", *_policy_not_found()]


class ObjectNotFound(JsonRESTError):
    def __init__(self, message: str) -> None:
        super().__init__("ObjectNotFoundException", message)


def _policy_not_found() -> list[str]:
    require(Backend, "delete_scaling_policy")
    original = Backend.delete_scaling_policy

    def delete_scaling_policy(self: Any, policy_name: str, service_namespace: str, resource_id: str, scalable_dimension: str) -> None:
        key = models.FakeApplicationAutoscalingPolicy.formulate_key(service_namespace, resource_id, scalable_dimension, policy_name)
        if key not in self.policies:
            raise ObjectNotFound(
                f"No scaling policy found for service namespace: {service_namespace}, resource ID: {resource_id}, "
                f"scalable dimension: {scalable_dimension}, policy name: {policy_name}"
            )
        original(self, policy_name, service_namespace, resource_id, scalable_dimension)

    Backend.delete_scaling_policy = delete_scaling_policy
    return ["appautoscaling.policy_not_found"]
