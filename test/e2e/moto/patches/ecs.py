"""ECS services: steady state, kept create parameters, and an unhealthy-image emulation.

Gaps (moto 5.2.1, moto/ecs/models.py Service.__init__ and update_service, responses.create_service):

1. A new service has runningCount = MOTO_ECS_SERVICE_RUNNING (default 0) and a deployment whose
   rolloutState is IN_PROGRESS, forever: there is no task runtime. The aws provider's
   ``wait_for_steady_state`` polls DescribeServices until there is exactly one deployment and
   runningCount == desiredCount (internal/service/ecs/service.go, statusServiceWaitForStable), so it
   waits out its 20-minute timeout. The environment variable is one global number, wrong for any
   service whose desired count differs. Fix: every deployment (create, new task definition, forced
   new deployment, desired count change) reaches its desired count at once, as a healthy service
   does: one PRIMARY deployment, rolloutState COMPLETED, runningCount == desiredCount, and a
   "has reached a steady state" service event.

2. CreateService ignores deploymentConfiguration (min/max percent, deploymentCircuitBreaker),
   enableECSManagedTags, availabilityZoneRebalancing, healthCheckGracePeriodSeconds,
   enableExecuteCommand, capacityProviderStrategy, placement*, serviceConnectConfiguration,
   volumeConfigurations, vpcLatticeConfigurations: they read back empty and show as changes in the
   next plan. (UpdateService already stores every parameter it gets.) Fix: store them on the service
   under the attribute names moto's serializer reads (botocore xform_name of the API member name).

3. Emulation (not a gap): a deployment whose task definition has a container image containing
   ``e2e-unhealthy`` never gets healthy tasks. As ECS does with ``deploymentCircuitBreaker``
   {enable, rollback}: on an update the deployment fails and the service rolls back to the previous
   task definition, then reaches a steady state on it (so ``wait_for_steady_state`` returns success:
   the silent rollback the product must catch). With the breaker but no rollback, the failed
   deployment stays next to the old one; without the breaker it stays IN_PROGRESS; on a create there
   is nothing to roll back to, so runningCount stays 0. In those cases a steady-state wait times out,
   as it would on AWS. Each failed deployment leaves one STOPPED task of the service (group
   ``service:<name>``, startedBy the deployment id) with the reasons ECS gives for a container that exits
   at start (stoppedReason "Essential container in task exited", stopCode EssentialContainerExited, the
   container's exitCode 1 and reason), as a failing task does on AWS: ``backplane deploy`` reads it.

4. Gap and emulation: moto's UpdateService starts no deployment when only the network configuration
   changes; ECS does (ECS Developer Guide, "Updating an Amazon ECS service": a new network
   configuration is rolled out by a new deployment of the same task definition). Fix: such an update
   plays a deployment of the unchanged task definition. Emulation: with E2E_ECS_FAIL_REDEPLOYS=1 in
   the server's environment, that deployment (and a forced new deployment) fails and the circuit
   breaker rolls back to the same task definition, so the apply's steady-state wait and the
   task-definition postcondition both pass, as on AWS: the rollback only the events show.
"""

from __future__ import annotations

import os
from typing import Any

from moto.core.utils import camelcase_to_underscores, utcnow
from moto.ecs import models, responses
from moto.moto_api._internal import mock_random

from ._util import require

Backend = models.EC2ContainerServiceBackend
Response = responses.EC2ContainerServiceResponse
UNHEALTHY_MARKER = "e2e-unhealthy"

# CreateService members moto's create_service drops (API: ECS CreateService request syntax).
KEPT_CREATE_PARAMS = (
    "deploymentConfiguration",
    "enableECSManagedTags",
    "availabilityZoneRebalancing",
    "healthCheckGracePeriodSeconds",
    "enableExecuteCommand",
    "capacityProviderStrategy",
    "placementConstraints",
    "placementStrategy",
    "serviceConnectConfiguration",
    "volumeConfigurations",
    "vpcLatticeConfigurations",
)


def _is_unhealthy(backend: Any, task_definition: str | None) -> bool:
    if not task_definition:
        return False
    try:
        td = backend.describe_task_definition(task_definition)
    except Exception:
        return False
    return any(UNHEALTHY_MARKER in str(c.get("image", "")) for c in td.container_definitions)


def _event(service: Any, message: str) -> None:
    service.events.insert(
        0, {"id": str(mock_random.uuid4()), "createdAt": utcnow(), "message": f"(service {service.name}) {message}"}
    )


def _deployment(service: Any, template: dict[str, Any] | None, task_definition: str, running: int,
                state: str, status: str = "PRIMARY") -> dict[str, Any]:
    dep_id = f"ecs-svc/{mock_random.randint(0, 32**12)}"
    now = utcnow()
    dep = dict(template or {})
    dep.update(
        {
            "id": dep_id,
            "status": status,
            "taskDefinition": task_definition,
            "desiredCount": service.desired_count,
            "runningCount": running,
            "pendingCount": 0,
            "failedTasks": service.desired_count if state == "FAILED" else 0,
            "launchType": service.launch_type,
            "createdAt": now,
            "updatedAt": now,
            "rolloutState": state,
            "rolloutStateReason": {
                "COMPLETED": f"ECS deployment {dep_id} completed.",
                "FAILED": f"ECS deployment circuit breaker: tasks failed to start ({UNHEALTHY_MARKER}).",
                "IN_PROGRESS": f"ECS deployment {dep_id} in progress.",
            }[state],
        }
    )
    return dep


STOPPED_REASON = "Essential container in task exited"
CONTAINER_REASON = f"exit status 1: the image {UNHEALTHY_MARKER} exits at start"


def _stopped_task(backend: Any, service: Any, task_definition: str, deployment_id: str) -> None:
    """One STOPPED task of the failed deployment, with ECS's reasons (DescribeTasks reads them back)."""
    cluster = backend._get_cluster(service.cluster_name)
    td = backend.describe_task_definition(task_definition)
    task = models.Task(
        cluster,
        td,
        None,
        None,
        backend,
        group=f"service:{service.name}",
        launch_type="FARGATE",
        started_by=deployment_id,
        networking_configuration=getattr(service, "network_configuration", None),
    )
    task.desired_status = "STOPPED"
    task.last_status = "STOPPED"
    task.stopped_reason = STOPPED_REASON
    task.stop_code = "EssentialContainerExited"
    task.stopped_at = utcnow()
    for container in task.containers:
        container.last_status = "STOPPED"
        container.exitCode = 1
        container.exit_code = 1
        container.reason = CONTAINER_REASON
    backend.tasks.setdefault(cluster.name, {})[task.task_arn] = task


def _set_counts(backend: Any, service: Any, running: int) -> None:
    cluster = backend._get_cluster(service.cluster_name)
    backend.update_cluster_resources(cluster, running - service.running_count, task_state="RUNNING")
    backend.update_cluster_resources(cluster, -service.pending_count, task_state="PENDING")
    service.running_count = running
    service.pending_count = 0


def _deploy(backend: Any, service: Any, previous_td: str | None, fail: bool = False) -> None:
    """Play a whole deployment of service.task_definition to its end state (``fail``: its tasks never start)."""
    if service.deployment_controller.get("type", "ECS") != "ECS":
        return
    template = service.deployments[0] if service.deployments else None
    desired = service.desired_count
    new_td = service.task_definition
    if not fail and not _is_unhealthy(backend, new_td):
        service.deployments = [_deployment(service, template, new_td, desired, "COMPLETED")]
        _set_counts(backend, service, desired)
        _event(service, "has reached a steady state.")
        return

    breaker = (getattr(service, "deployment_configuration", None) or {}).get("deploymentCircuitBreaker") or {}
    failed_state = "FAILED" if breaker.get("enable") else "IN_PROGRESS"
    failed = _deployment(service, template, new_td, 0, failed_state)
    _stopped_task(backend, service, new_td, failed["id"])
    if previous_td and breaker.get("enable") and breaker.get("rollback"):
        service.task_definition = previous_td
        rollback = _deployment(service, template, previous_td, desired, "COMPLETED")
        service.deployments = [rollback]
        _set_counts(backend, service, desired)
        _event(service, f"deployment {failed['id']} deployment failed: tasks failed to start.")
        _event(service, f"rolling back to deployment {rollback['id']}.")
        _event(service, "has reached a steady state.")
    elif previous_td:
        old = _deployment(service, template, previous_td, desired, "COMPLETED", status="ACTIVE")
        service.deployments = [failed, old]
        _set_counts(backend, service, desired)
        _event(service, f"deployment {failed['id']} has not reached a steady state: tasks failed to start.")
    else:
        service.deployments = [failed]
        _set_counts(backend, service, 0)
        _event(service, f"was unable to place a task: tasks failed to start ({UNHEALTHY_MARKER}).")


def apply() -> list[str]:
    require(Response, "create_service")
    require(Backend, "update_service")
    require(Backend, "update_cluster_resources")

    original_create = Response.create_service
    original_update = Backend.update_service

    def create_service(self: Any) -> Any:
        result = original_create(self)
        service = self.ecs_backend._get_service(
            self._get_param("cluster", "default"), self._get_param("serviceName")
        )
        for key in KEPT_CREATE_PARAMS:
            value = self._get_param(key)
            if value is not None:
                setattr(service, camelcase_to_underscores(key), value)
        _deploy(self.ecs_backend, service, previous_td=None)
        return result

    def update_service(self: Any, service_properties: dict[str, Any]) -> Any:
        props = dict(service_properties)
        service = self._get_service(props.get("cluster", "default"), props["service"].split("/")[-1])
        previous_td, previous_desired = service.task_definition, service.desired_count
        previous_network = getattr(service, "network_configuration", None)
        updated = original_update(self, service_properties)
        new_td = props.get("task_definition")
        if new_td and new_td != previous_td:
            _deploy(self, updated, previous_td=previous_td)
        elif props.get("force_new_deployment") or (
            props.get("network_configuration") is not None and updated.network_configuration != previous_network
        ):
            _deploy(self, updated, previous_td=previous_td, fail=os.environ.get("E2E_ECS_FAIL_REDEPLOYS") == "1")
        elif updated.desired_count != previous_desired and updated.deployments:
            dep = updated.deployments[0]
            dep.update({"desiredCount": updated.desired_count, "runningCount": updated.desired_count,
                        "pendingCount": 0, "updatedAt": utcnow()})
            _set_counts(self, updated, updated.desired_count)
        return updated

    Response.create_service = create_service
    Backend.update_service = update_service
    return ["ecs.steady_state", "ecs.create_params", "ecs.unhealthy_image", "ecs.network_redeploy"]
