"""ECS ExecuteCommand (ECS Exec) for `backplane exec`.

Gap (moto 5.2.1, moto/ecs/responses.py): ExecuteCommand is not implemented (the server answers an HTML
404 page). Fix: ExecuteCommand answers as the ECS API reference documents (ExecuteCommand response
syntax: clusterArn, containerArn, containerName, interactive, session {sessionId, streamUrl,
tokenValue}, taskArn) for a RUNNING-desired task of the cluster, and refuses like ECS: unknown cluster
ClusterNotFoundException; unknown task, container not in the task, a task no longer meant to run, or
interactive not true ("Interactive is the only mode supported currently") InvalidParameterException.
No session is actually opened: there is no container to attach to. Containers get a runtimeId (ECS
DescribeTasks containers[].runtimeId, the last part of the ECS Exec SSM target) when they have none.

Gap 2 (moto 5.2.1, moto/ecs/models.py Task.__init__ line ~383): RunTask with an awsvpc
networkConfiguration (every Fargate task, `backplane run`) fails with HTTP 500: it reads
``private_dns_name`` from the new EC2 NetworkInterface, which has no such attribute. Fix: the
attribute, built as EC2 names private hosts (ip-A-B-C-D.ec2.internal in us-east-1,
ip-A-B-C-D.<region>.compute.internal elsewhere: EC2 User Guide, "Amazon EC2 instance hostname types").

Gap 3 (moto 5.2.1, moto/ecs/models.py _calculate_task_resource_requirements): RunTask of a task
definition whose containers set no container-level memory fails with HTTP 500 (int += None). On
Fargate, container-level memory and memoryReservation are optional when the task sets memory
(ECS Developer Guide, task definition parameters, "memory": "If using the Fargate launch type, this
parameter is optional"); Backplane's task definitions size the task only. Fix: a container without
them counts as 0 MiB, the task-level memory applying, as ECS does.
"""

from __future__ import annotations

from typing import Any

from moto.core.responses import ActionResult
from moto.ecs import responses
from moto.ecs.exceptions import InvalidParameterException
from moto.moto_api._internal import mock_random

from ._util import require

Response = responses.EC2ContainerServiceResponse


def _find_task(backend: Any, cluster: str, task: str) -> Any:
    for found in backend.describe_tasks(cluster, [task]):
        if found.task_arn.split("/")[-1] == task.split("/")[-1]:
            return found
    raise InvalidParameterException(f"The specified task {task} was not found in the cluster.")


def _with_runtime_ids(task: Any) -> Any:
    for container in task.containers:
        if not getattr(container, "runtime_id", None):
            container.runtime_id = mock_random.get_random_hex(32)
    return task


def _private_dns_name(eni: Any) -> str:
    host = "ip-" + str(eni.private_ip_address).replace(".", "-")
    region = eni.ec2_backend.region_name
    return f"{host}.ec2.internal" if region == "us-east-1" else f"{host}.{region}.compute.internal"


def apply() -> list[str]:
    from moto.ec2.models.elastic_network_interfaces import NetworkInterface

    require(Response, "describe_tasks")
    if not hasattr(NetworkInterface, "private_dns_name"):
        # A property with a setter: moto's own __init__ assigns private_dns_name in a VPC with DNS hostnames
        # enabled (RunInstances of a NAT instance); what it assigned wins, otherwise the name is built from the IP.
        def _get(eni: Any) -> str:
            return eni.__dict__.get("_private_dns_name") or _private_dns_name(eni)

        def _set(eni: Any, value: str) -> None:
            eni.__dict__["_private_dns_name"] = value

        NetworkInterface.private_dns_name = property(_get, _set)
    original_describe = Response.describe_tasks

    def describe_tasks(self: Any) -> Any:
        for cluster_tasks in self.ecs_backend.tasks.values():
            for task in cluster_tasks.values():
                _with_runtime_ids(task)
        return original_describe(self)

    def execute_command(self: Any) -> ActionResult:
        cluster = self.ecs_backend._get_cluster(self._get_param("cluster", "default"))
        task = _with_runtime_ids(_find_task(self.ecs_backend, cluster.name, self._get_param("task")))
        if self._get_param("interactive") is not True:
            raise InvalidParameterException("Interactive is the only mode supported currently.")
        if task.desired_status != "RUNNING":
            raise InvalidParameterException("The execute command failed because the task is not running.")
        name = self._get_param("container") or task.containers[0].name
        container = next((c for c in task.containers if c.name == name), None)
        if container is None:
            raise InvalidParameterException(f"The container {name} does not exist in the task.")
        session_id = f"ecs-execute-command-{mock_random.get_random_hex(17)}"
        return ActionResult({
            "clusterArn": cluster.arn,
            "containerArn": container.container_arn,
            "containerName": name,
            "interactive": True,
            "session": {
                "sessionId": session_id,
                "streamUrl": f"wss://ssmmessages.{self.region}.amazonaws.com/v1/data-channel/{session_id}",
                "tokenValue": mock_random.get_random_hex(64),
            },
            "taskArn": task.task_arn,
        })

    Response.describe_tasks = describe_tasks
    Response.execute_command = execute_command
    _patch_task_memory()
    return ["ecs.execute_command", "ecs.run_task_eni", "ecs.run_task_memory"]


def _patch_task_memory() -> None:
    from moto.ecs.models import EC2ContainerServiceBackend

    require(EC2ContainerServiceBackend, "_calculate_task_resource_requirements")
    original = EC2ContainerServiceBackend._calculate_task_resource_requirements

    def calculate(task_definition: Any) -> Any:
        keys = ("memory", "Memory", "memoryReservation", "MemoryReservation")
        unset = [c for c in task_definition.container_definitions if all(c.get(k) is None for k in keys)]
        for container in unset:
            container["memory"] = 0
        try:
            return original(task_definition)
        finally:
            for container in unset:  # read back as registered: no container-level memory
                del container["memory"]

    EC2ContainerServiceBackend._calculate_task_resource_requirements = staticmethod(calculate)
