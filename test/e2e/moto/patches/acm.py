"""ACM gap in moto 5.2.1 that makes every plan after an apply replace an EC certificate.

Written to the convention of test/e2e/moto/patches (``apply() -> list[str]``): the harness owner can copy
this file into that package and add it to ``apply_all``.

Gap (moto/acm/responses.py ``request_certificate``, moto/acm/models.py ``CertBundle.generate_cert``):
RequestCertificate ignores ``KeyAlgorithm`` and always issues an RSA 2048 key, so DescribeCertificate answers
``KeyAlgorithm: RSA_2048``. ``aws_acm_certificate.key_algorithm`` forces replacement, so a certificate
requested with ``EC_prime256v1`` (what an ALB/CloudFront origin certificate may use) is planned for
replacement after every apply (measured: "key_algorithm = "RSA_2048" -> "EC_prime256v1" # forces replacement").
Fix: remember the requested algorithm and report it (the emulated key material stays RSA; nothing reads it).
"""

from __future__ import annotations

import json
from typing import Any

from moto.acm import models, responses

Response = responses.AWSCertificateManagerResponse
CertBundle = models.CertBundle


def require(owner: object, name: str) -> None:
    if not hasattr(owner, name):
        raise AttributeError(f"{getattr(owner, '__name__', owner)!s}.{name} not found")


def apply() -> list[str]:
    require(Response, "request_certificate")
    require(CertBundle, "describe")
    original_request = Response.request_certificate
    original_describe = CertBundle.describe

    def request_certificate(self: Any) -> Any:
        result = original_request(self)
        body = result[0] if isinstance(result, tuple) else result
        algorithm = self._get_param("KeyAlgorithm")
        if algorithm:
            arn = json.loads(body).get("CertificateArn")
            if arn:
                self.acm_backend.get_certificate(arn).requested_key_algorithm = algorithm
        return result

    def describe(self: Any) -> dict[str, Any]:
        out = original_describe(self)
        algorithm = getattr(self, "requested_key_algorithm", None)
        if algorithm:
            out["Certificate"]["KeyAlgorithm"] = algorithm
        return out

    Response.request_certificate = request_certificate  # type: ignore[method-assign]
    CertBundle.describe = describe  # type: ignore[method-assign]
    return ["acm.key_algorithm"]
