"""CloudFront distributions: the per-distribution quotas on origins and cache behaviors.

Gap (moto 5.2.1, moto/cloudfront/models.py ``create_distribution_with_tags`` / ``update_distribution``): moto
accepts any number of origins and cache behaviors. CloudFront refuses a distribution with more than 100 origins
(TooManyOrigins) or more than 75 cache behaviors (TooManyCacheBehaviors) unless the account's quota was raised
(Amazon CloudFront Developer Guide, "Quotas", general quotas on distributions: "Origins per distribution: 100",
"Cache behaviors per distribution: 75"; CloudFront API Reference, CreateDistribution / UpdateDistribution errors).
Backplane adds one origin and one behavior to the user's distribution (src/limits checks the snapshot's counts plus
ours at synth); with this patch a regression that skips that check fails on the emulator as it would on AWS.
"""

from __future__ import annotations

from typing import Any

from moto.cloudfront import models
from moto.cloudfront.exceptions import CloudFrontException

from ._util import require

# The default quotas, as the limits module (src/limits) enforces them.
MAX_ORIGINS = 100
MAX_CACHE_BEHAVIORS = 75


class TooMany(CloudFrontException):
    def __init__(self, code: str, what: str, limit: int) -> None:
        super().__init__(code, f"Your request contains more {what} than are allowed per distribution ({limit}).")


def _items(config: dict[str, Any], key: str) -> list[Any]:
    items = (config.get(key) or {}).get("Items") or []
    if isinstance(items, dict):  # one item parsed from XML may arrive unwrapped
        items = next(iter(items.values()), [])
    return items if isinstance(items, list) else [items]


def check(config: dict[str, Any]) -> None:
    if len(_items(config, "Origins")) > MAX_ORIGINS:
        raise TooMany("TooManyOrigins", "origins", MAX_ORIGINS)
    if len(_items(config, "CacheBehaviors")) > MAX_CACHE_BEHAVIORS:
        raise TooMany("TooManyCacheBehaviors", "cache behaviors", MAX_CACHE_BEHAVIORS)


def apply() -> list[str]:
    Backend = models.CloudFrontBackend
    for name in ("create_distribution_with_tags", "update_distribution"):
        require(Backend, name)
    original_create = Backend.create_distribution_with_tags
    original_update = Backend.update_distribution

    def create_distribution_with_tags(self: Any, distribution_config: dict[str, Any], tags: Any) -> Any:
        check(distribution_config)
        return original_create(self, distribution_config, tags)

    def update_distribution(self: Any, dist_config: dict[str, Any], _id: str, if_match: Any) -> Any:
        check(dist_config or {})
        return original_update(self, dist_config, _id, if_match)

    Backend.create_distribution_with_tags = create_distribution_with_tags
    Backend.update_distribution = update_distribution
    return ["cloudfront.quotas"]
