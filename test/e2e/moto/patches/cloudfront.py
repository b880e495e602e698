"""CloudFront distributions: read-back of ForwardedValues and CloudFrontDefaultCertificate.

Gaps (moto 5.2.1, moto/cloudfront/models.py), reported by the CloudFront scenario
(test/e2e/cloudfront.e2e.test.ts, 2026-11-23):

1. ``DefaultCacheBehaviour.__init__`` always builds ``ForwardedValues`` (QueryString false, Cookies
   none), also for a behavior sent with a CachePolicyId and no ForwardedValues. AWS returns no
   ForwardedValues then, and the aws provider reads back a ``forwarded_values`` block it never sent.
   Fix: no ForwardedValues in the answer when the request had none.

2. ``ViewerCertificate.__init__`` defaults CloudFrontDefaultCertificate to True when the request
   omits it, also next to an ACMCertificateArn or IAMCertificateId (the provider omits it then);
   AWS reads back false. Fix: false when a certificate is given and the flag is not.
"""

from __future__ import annotations

from typing import Any

from moto.cloudfront import models

from ._util import require


def apply() -> list[str]:
    require(models, "DefaultCacheBehaviour")
    require(models, "ViewerCertificate")
    behaviour_init = models.DefaultCacheBehaviour.__init__
    certificate_init = models.ViewerCertificate.__init__

    def default_cache_behaviour_init(self: Any, config: dict[str, Any]) -> None:
        sent_forwarded_values = "ForwardedValues" in (config or {})
        behaviour_init(self, config)
        if not sent_forwarded_values:
            self.forwarded_values = None

    def viewer_certificate_init(self: Any, config: dict[str, Any]) -> None:
        certificate_init(self, config)
        if "CloudFrontDefaultCertificate" not in config and (config.get("ACMCertificateArn") or config.get("IAMCertificateId")):
            self.cloud_front_default_certificate = False

    models.DefaultCacheBehaviour.__init__ = default_cache_behaviour_init
    models.ViewerCertificate.__init__ = viewer_certificate_init
    return ["cloudfront.readback"]
