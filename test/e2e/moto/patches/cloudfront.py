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

3. ``cloudfront.etag`` (models.update_distribution / delete_distribution): moto keeps a distribution's ETag for
   its whole life and accepts any If-Match value. CloudFront gives a distribution a new ETag on every update and
   refuses a request whose If-Match is not the current ETag with PreconditionFailed (HTTP 412) (CloudFront API
   Reference, UpdateDistribution and DeleteDistribution: "IfMatch: the value of the ETag header that you received
   when retrieving the distribution's configuration"; error PreconditionFailed). Without it, Backplane's drift guard
   (live ETag vs the snapshot's / the one our last apply recorded) can never fire on the emulator. Fix: a new ETag
   after every update, PreconditionFailed for a stale If-Match on update and delete.
"""

from __future__ import annotations

from typing import Any

from moto.cloudfront import models
from moto.cloudfront.exceptions import CloudFrontException

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
    return ["cloudfront.readback", *_etag()]


class PreconditionFailed(CloudFrontException):
    def __init__(self) -> None:
        super().__init__("PreconditionFailed", "The precondition given in one or more of the request fields evaluated to false.")


def _etag() -> list[str]:
    Backend = models.CloudFrontBackend
    for name in ("update_distribution", "delete_distribution"):
        require(Backend, name)
    require(models, "random_id")
    original_update = Backend.update_distribution
    original_delete = Backend.delete_distribution

    def current(backend: Any, distribution_id: str, if_match: Any) -> None:
        dist = backend.distributions.get(distribution_id)
        if dist is not None and if_match and if_match != dist.etag:
            raise PreconditionFailed()

    def update_distribution(self: Any, dist_config: dict[str, Any], _id: str, if_match: Any) -> Any:
        current(self, _id, if_match)
        dist, location, _ = original_update(self, dist_config, _id, if_match)
        dist.etag = models.random_id()
        return dist, location, dist.etag

    def delete_distribution(self: Any, distribution_id: str, if_match: Any) -> None:
        current(self, distribution_id, if_match)
        original_delete(self, distribution_id, if_match)

    Backend.update_distribution = update_distribution
    Backend.delete_distribution = delete_distribution
    return ["cloudfront.etag"]
