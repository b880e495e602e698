"""Patches that fill moto 5.2.1's gaps for the real-engine harness (see ../serve.py for the list).

Every module of this package (except those starting with "_") exposes ``apply() -> list[str]`` and
returns the names of the patches it installed; ``apply_all`` finds them, so adding a patch is adding
a module. A patch checks that what it wraps still exists and raises otherwise, so a moto upgrade
that moves an internal fails the harness at start-up with a clear message instead of misbehaving.
"""

from __future__ import annotations

import importlib
import pkgutil


def module_names() -> list[str]:
    """The patch modules, in name order."""
    return sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_"))


def apply_all(skip: set[str] | None = None) -> list[str]:
    """Apply every patch module, except those named in ``skip`` (e.g. {"ecs"}: to observe a gap)."""
    applied: list[str] = []
    for name in module_names():
        if name in (skip or set()):
            continue
        module = importlib.import_module(f"{__name__}.{name}")
        applied.extend(module.apply())
    return applied
