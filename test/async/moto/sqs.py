"""SQS redrive policies (proposed for test/e2e/moto/patches/; until then loaded by sitecustomize.py here).

Gap (moto 5.2.1, moto/sqs/models.py): SetQueueAttributes stores ``RedriveAllowPolicy`` on the queue, but
GetQueueAttributes never returns it: ``Queue.attributes`` only walks BASE_ATTRIBUTES, FIFO_ATTRIBUTES and
KMS_ATTRIBUTES, none of which lists it, and asking for it by name fails validation (InvalidAttributeName).
The aws provider's ``aws_sqs_queue_redrive_allow_policy`` sets the attribute and then waits until
GetQueueAttributes shows it, so the apply hangs until the waiter's timeout (observed: still creating after 9m50s).

Gap 2: moto returns RedrivePolicy as ``json.dumps(policy)``, with a space after every ":" and ",". AWS returns
it compact (``{"deadLetterTargetArn":"arn:...","maxReceiveCount":3}``, the GetQueueAttributes example in the SQS
API reference), which is what the provider's jsonencode() writes; moto's spacing made every second plan show
``redrive_policy = jsonencode( # whitespace changes`` on each queue with a DLQ.

Fix: GetQueueAttributes accepts the name ``RedriveAllowPolicy`` and returns the stored value (for "All" too)
when one is set (an empty value, what the provider writes on delete, counts as unset, as on AWS: returning ""
makes the provider's delete waiter, which compares the value as JSON, wait forever), and returns RedrivePolicy
compact.
"""

from __future__ import annotations

import json

from typing import Any

from moto.sqs import models

try:  # inside test/e2e/moto/patches
    from ._util import require
except ImportError:  # loaded on its own

    def require(owner: object, name: str) -> None:
        if not hasattr(owner, name):
            raise AttributeError(f"{getattr(owner, '__name__', owner)!s}.{name} not found")


NAME = "RedriveAllowPolicy"


def apply() -> list[str]:
    Backend = models.SQSBackend
    require(Backend, "get_queue_attributes")
    require(Backend, "get_queue")
    original = Backend.get_queue_attributes
    if getattr(original, "_e2e_redrive_allow", False):
        return ["sqs.redrive_allow_policy", "sqs.compact_redrive_policy"]

    def get_queue_attributes(self: Any, queue_name: str, attribute_names: list[str]) -> dict[str, Any]:
        wanted = NAME in attribute_names or "All" in attribute_names
        rest = [n for n in attribute_names if n != NAME]
        result = original(self, queue_name, rest) if rest else {}
        value = getattr(self.get_queue(queue_name), "redrive_allow_policy", None)
        # Setting "" removes the policy on AWS: never return it empty (the provider's delete waiter parses it as
        # JSON and would wait forever), also when another patch lists the name in Queue.BASE_ATTRIBUTES.
        result = {k: v for k, v in result.items() if k != NAME}
        if wanted and value:
            result = {**result, NAME: value}
        if result.get("RedrivePolicy"):
            result = {**result, "RedrivePolicy": json.dumps(json.loads(result["RedrivePolicy"]), separators=(",", ":"))}
        return result

    get_queue_attributes._e2e_redrive_allow = True  # type: ignore[attr-defined]
    Backend.get_queue_attributes = get_queue_attributes
    return ["sqs.redrive_allow_policy", "sqs.compact_redrive_policy"]
