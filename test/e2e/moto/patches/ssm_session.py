"""SSM StartSession for `backplane db tunnel` (port forwarding through a service task).

Gap (moto 5.2.1, moto/ssm/responses.py): StartSession is not implemented. Fix: StartSession answers as
the Systems Manager API reference documents (StartSession response syntax: SessionId, StreamUrl,
TokenValue) and refuses like SSM: no Target ValidationException; a DocumentName other than an
AWS-StartPortForwardingSession* / AWS-StartInteractiveCommand / AWS-StartSSHSession document
InvalidDocument; an ECS target ("ecs:<cluster>_<taskId>_<runtimeId>") whose task is not running in
that cluster TargetNotConnected. The request is kept (last_start_session) so a test can read it. No
session is opened: there is nothing to connect to.
"""

from __future__ import annotations

from typing import Any

from moto.core.exceptions import JsonRESTError
from moto.core.responses import ActionResult
from moto.moto_api._internal import mock_random
from moto.ssm import responses

from ._util import require

Response = responses.SimpleSystemManagerResponse
DOCUMENTS = ("AWS-StartPortForwardingSession", "AWS-StartPortForwardingSessionToRemoteHost",
             "AWS-StartInteractiveCommand", "AWS-StartSSHSession", "SSM-SessionManagerRunShell")


def _ecs_task_running(account: str, region: str, target: str) -> bool:
    from moto.ecs.models import ecs_backends

    cluster, task_id, _runtime = target[len("ecs:"):].rsplit("_", 2)
    tasks = ecs_backends[account][region].tasks.get(cluster, {})
    return any(arn.split("/")[-1] == task_id and t.desired_status == "RUNNING" for arn, t in tasks.items())


def apply() -> list[str]:
    require(Response, "send_command")

    def start_session(self: Any) -> ActionResult:
        target = self._get_param("Target")
        document = self._get_param("DocumentName")
        if not target:
            raise JsonRESTError("ValidationException", "1 validation error detected: Value null at 'target' failed to satisfy constraint: Member must not be null")
        if document is not None and document not in DOCUMENTS:
            raise JsonRESTError("InvalidDocument", f"Document {document} does not exist")
        if target.startswith("ecs:") and not _ecs_task_running(self.current_account, self.region, target):
            raise JsonRESTError("TargetNotConnected", f"{target} is not connected.")
        session_id = f"backplane-{mock_random.get_random_hex(17)}"
        return ActionResult({
            "SessionId": session_id,
            "StreamUrl": f"wss://ssmmessages.{self.region}.amazonaws.com/v1/data-channel/{session_id}",
            "TokenValue": mock_random.get_random_hex(64),
        })

    Response.start_session = start_session
    return ["ssm.start_session"]
