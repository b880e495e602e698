"""Helpers shared by the patch modules."""

from __future__ import annotations


def require(owner: object, name: str) -> None:
    """Raise if ``owner.name`` is missing (a moto internal a patch depends on moved)."""
    if not hasattr(owner, name):
        raise AttributeError(f"{getattr(owner, '__name__', owner)!s}.{name} not found")
