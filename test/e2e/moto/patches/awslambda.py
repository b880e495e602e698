"""Lambda functions: LoggingConfig is dropped.

Gap (moto 5.2.1, moto/awslambda/models.py ``LambdaFunction``): CreateFunction and
UpdateFunctionConfiguration ignore ``LoggingConfig`` and GetFunction never returns it, so the
provider reads ``logging_config`` back empty and every second plan re-sets the JSON log format and
the function's own log group (reported by the Lambda-worker scenario, 2026-11-23). Fix: keep the
LoggingConfig sent and answer it, with AWS's defaults (LogFormat Text, LogGroup /aws/lambda/<name>)
when none was sent.
"""

from __future__ import annotations

from typing import Any

from moto.awslambda import models

from ._util import require


def _logging_config(fn: Any) -> dict[str, Any]:
    sent = getattr(fn, "_e2e_logging_config", None) or {}
    return {"LogFormat": "Text", "LogGroup": f"/aws/lambda/{fn.function_name}", **sent}


def apply() -> list[str]:
    cls = models.LambdaFunction
    for name in ("__init__", "get_configuration", "update_configuration"):
        require(cls, name)
    init, get_configuration, update_configuration = cls.__init__, cls.get_configuration, cls.update_configuration

    def patched_init(self: Any, account_id: str, spec: dict[str, Any], *args: Any, **kwargs: Any) -> None:
        init(self, account_id, spec, *args, **kwargs)
        self._e2e_logging_config = dict(spec.get("LoggingConfig") or {})

    def patched_get_configuration(self: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        config = get_configuration(self, *args, **kwargs)
        config["LoggingConfig"] = _logging_config(self)
        return config

    def patched_update_configuration(self: Any, config_updates: dict[str, Any]) -> dict[str, Any]:
        if "LoggingConfig" in config_updates:
            self._e2e_logging_config = dict(config_updates["LoggingConfig"] or {})
        return update_configuration(self, config_updates)

    cls.__init__ = patched_init
    cls.get_configuration = patched_get_configuration
    cls.update_configuration = patched_update_configuration
    return ["awslambda.logging_config"]
