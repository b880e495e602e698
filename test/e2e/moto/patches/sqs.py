"""SQS: RedriveAllowPolicy is neither returned nor accepted as an attribute name; RedrivePolicy JSON.

Gap (moto 5.2.1, moto/sqs/models.py): SetQueueAttributes stores ``RedriveAllowPolicy`` on the queue,
but ``Queue.attributes`` never returns it and GetQueueAttributes refuses the name
(InvalidAttributeName). The aws provider's ``aws_sqs_queue_redrive_allow_policy`` waits until the
attribute reads back as set, so it waited until its timeout (reported by the full-stack scenario,
2026-11-23); and its delete, which sets the attribute to "", waited for it to disappear. Fix: the
attribute is a regular queue attribute, and "" removes it, as on AWS.

Also: ``Queue.attributes`` serializes RedrivePolicy with ``json.dumps`` defaults (spaces after ":" and
","); AWS answers compact JSON, and the provider showed a "whitespace changes" update of
``redrive_policy`` in every second plan. Fix: compact JSON, as AWS returns it.
"""

from __future__ import annotations

import json

from moto.sqs import models

from ._util import require


def apply() -> list[str]:
    require(models, "Queue")
    require(models.Queue, "BASE_ATTRIBUTES")
    if "RedriveAllowPolicy" not in models.Queue.BASE_ATTRIBUTES:
        models.Queue.BASE_ATTRIBUTES.append("RedriveAllowPolicy")

    # Queues created without it read back no value (the serializer leaves None out), and setting it to ""
    # removes it, as on AWS (the provider's delete waits for the attribute to disappear).
    def get(self: object) -> object:
        return getattr(self, "_redrive_allow_policy", None)

    def set_(self: object, value: object) -> None:
        setattr(self, "_redrive_allow_policy", value or None)

    models.Queue.redrive_allow_policy = property(get, set_)

    attributes = models.Queue.attributes

    def compact_attributes(self: object) -> dict:
        result = attributes.fget(self)  # type: ignore[union-attr]
        policy = getattr(self, "redrive_policy", None)
        if policy and "RedrivePolicy" in result:
            result["RedrivePolicy"] = json.dumps(policy, separators=(",", ":"))
        return result

    models.Queue.attributes = property(compact_attributes)
    return ["sqs.redrive_allow_policy", "sqs.redrive_policy_json"]
