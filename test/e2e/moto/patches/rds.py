"""RDS parameter groups: parameters set by the user read back without their Source.

Gap (moto 5.2.1, moto/rds/models.py ``DBParameterGroup.update_parameters``): parameters set with
ModifyDBParameterGroup are stored as sent, without ``Source``. AWS answers ``Source: user`` for them,
and the aws provider keeps only user-sourced parameters when it reads a group back, so every second
plan re-added ``rds.force_ssl`` (reported by the data-tier scenario, 2026-11-23). Fix: stored
parameters carry ``Source: user``, as on AWS.
"""

from __future__ import annotations

from typing import Any, Iterable

from moto.rds import models

from ._util import require


def apply() -> list[str]:
    require(models, "DBParameterGroup")
    require(models.DBParameterGroup, "update_parameters")
    update = models.DBParameterGroup.update_parameters

    def update_parameters(self: Any, new_parameters: Iterable[dict[str, Any]]) -> None:
        params = list(new_parameters)
        update(self, params)
        for p in params:
            self.parameters[p["ParameterName"]]["Source"] = "user"

    models.DBParameterGroup.update_parameters = update_parameters
    return ["rds.parameter_source"]
