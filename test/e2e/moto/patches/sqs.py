"""SQS: RedriveAllowPolicy is neither returned nor accepted as an attribute name.

Gap (moto 5.2.1, moto/sqs/models.py): SetQueueAttributes stores ``RedriveAllowPolicy`` on the queue,
but ``Queue.attributes`` never returns it and GetQueueAttributes refuses the name
(InvalidAttributeName). The aws provider's ``aws_sqs_queue_redrive_allow_policy`` waits until the
attribute reads back as set, so it waited until its timeout (reported by the full-stack scenario,
2026-11-23). Fix: the attribute is a regular queue attribute, as on AWS.
"""

from __future__ import annotations

from moto.sqs import models

from ._util import require


def apply() -> list[str]:
    require(models, "Queue")
    require(models.Queue, "BASE_ATTRIBUTES")
    if "RedriveAllowPolicy" not in models.Queue.BASE_ATTRIBUTES:
        models.Queue.BASE_ATTRIBUTES.append("RedriveAllowPolicy")
    # Queues created without it read back no value (the serializer leaves None out).
    models.Queue.redrive_allow_policy = None
    return ["sqs.redrive_allow_policy"]
