"""Lambda functions and layers: the package quotas are not enforced.

Gap (moto 5.2.1, moto/awslambda/models.py ``LambdaBackend``): CreateFunction, UpdateFunctionCode,
UpdateFunctionConfiguration and PublishLayerVersion accept any package size and any number of
layers. AWS refuses (AWS Lambda Developer Guide, "Lambda quotas",
https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html; GetAccountSettings answers
CodeSizeZipped 52428800 and CodeSizeUnzipped 262144000):
- a zip uploaded directly (ZipFile) over 50 MB: RequestEntityTooLargeException (HTTP 413);
- a function whose package plus all its layers is over 250 MB unzipped: InvalidParameterValueException;
- more than five layers on a function: InvalidParameterValueException.
Fix: the same refusals, before anything is stored (a created function over the unzipped quota is
deleted again before the error is answered).
"""

from __future__ import annotations

import base64
import io
import zipfile
from typing import Any

from moto.awslambda import exceptions, models

from ._util import require

CODE_SIZE_ZIPPED = 50 * 1024 * 1024
CODE_SIZE_UNZIPPED = 250 * 1024 * 1024
LAYERS_PER_FUNCTION = 5


class RequestEntityTooLargeException(exceptions.LambdaClientError):
    code = 413

    def __init__(self, bytes_sent: int) -> None:
        super().__init__(
            "RequestEntityTooLargeException",
            f"Request must be smaller than {CODE_SIZE_ZIPPED} bytes for the CreateFunction operation"
            f" (the zip is {bytes_sent} bytes)",
        )


def _decoded(zip_file: str | bytes) -> bytes:
    return base64.b64decode(zip_file)


def _check_direct(content: dict[str, Any] | None) -> bytes | None:
    """The directly uploaded zip's bytes (None for S3 code); refuses one over the quota."""
    if not content or not content.get("ZipFile"):
        return None
    code = _decoded(content["ZipFile"])
    if len(code) > CODE_SIZE_ZIPPED:
        raise RequestEntityTooLargeException(len(code))
    return code


def _unzipped(code: bytes) -> int:
    try:
        with zipfile.ZipFile(io.BytesIO(code)) as z:
            return sum(i.file_size for i in z.infolist())
    except zipfile.BadZipFile:
        return len(code)


def _check_layers(backend: Any, code: bytes, layer_arns: list[str]) -> None:
    if len(layer_arns) > LAYERS_PER_FUNCTION:
        raise exceptions.InvalidParameterValueException(
            f"Cannot reference more than {LAYERS_PER_FUNCTION} layers ({len(layer_arns)} given)."
        )
    total = _unzipped(code)
    for arn in layer_arns:
        layer = backend.layers_versions_by_arn(arn)
        total += _unzipped(layer.code_bytes) if layer else 0
    if total > CODE_SIZE_UNZIPPED:
        raise exceptions.InvalidParameterValueException(
            f"Function code combined with layers exceeds the maximum allowed size of {CODE_SIZE_UNZIPPED} bytes."
            f" The actual size is {total} bytes."
        )


def apply() -> list[str]:
    cls = models.LambdaBackend
    names = ("create_function", "update_function_code", "update_function_configuration", "publish_layer_version")
    for name in (*names, "get_function", "delete_function", "layers_versions_by_arn"):
        require(cls, name)
    create, update_code, update_config, publish = (getattr(cls, n) for n in names)

    def patched_create_function(self: Any, spec: dict[str, Any]) -> Any:
        _check_direct(spec.get("Code"))
        layers = list(spec.get("Layers") or [])
        if len(layers) > LAYERS_PER_FUNCTION:
            _check_layers(self, b"", layers)
        fn = create(self, spec)
        try:
            _check_layers(self, fn.code_bytes, layers)
        except exceptions.InvalidParameterValueException:
            self.delete_function(fn.function_name, None)
            raise
        return fn

    def patched_update_function_code(self: Any, function_name: str, qualifier: str, body: dict[str, Any]) -> Any:
        code = _check_direct(body)
        if code is not None:
            fn = self.get_function(function_name, qualifier)
            _check_layers(self, code, [layer["Arn"] for layer in fn.layers])
        return update_code(self, function_name, qualifier, body)

    def patched_update_function_configuration(
        self: Any, function_name: str, qualifier: str, body: dict[str, Any]
    ) -> Any:
        if "Layers" in body:
            fn = self.get_function(function_name, qualifier)
            _check_layers(self, fn.code_bytes, list(body["Layers"] or []))
        return update_config(self, function_name, qualifier, body)

    def patched_publish_layer_version(self: Any, spec: dict[str, Any]) -> Any:
        _check_direct(spec.get("Content"))
        return publish(self, spec)

    cls.create_function = patched_create_function
    cls.update_function_code = patched_update_function_code
    cls.update_function_configuration = patched_update_function_configuration
    cls.publish_layer_version = patched_publish_layer_version
    return ["awslambda.package_quotas"]
