"""Collectors: one module per source, registered explicitly in :data:`SOURCES`.

Each entry maps a platform name to ``factory(settings: dict, client: httpx.Client) -> Source``.
Factories import their module on first use (so ``netra --help`` stays fast), and an import
error fails loudly when that platform is collected; it is never skipped silently.
The file import (``file_import``) is not a network source and has no entry here.
"""

from __future__ import annotations

import importlib
from typing import Any, Callable

import httpx

from .base import Source

Factory = Callable[[dict, httpx.Client], Source]


def _lazy(module: str) -> Factory:
    """A factory that imports ``monitor.collect.<module>`` and calls its ``factory``."""

    def factory(settings: dict, client: httpx.Client) -> Source:
        mod: Any = importlib.import_module(f"{__name__}.{module}")
        return mod.factory(settings, client)

    factory.__name__ = f"{module}_factory"
    factory.__qualname__ = factory.__name__
    return factory


SOURCES: dict[str, Factory] = {
    "bluesky": _lazy("bluesky"),
    "mastodon": _lazy("mastodon"),
    "x": _lazy("x"),
    # --- more sources registered below ---
    "youtube": _lazy("youtube"),
    "telegram": _lazy("telegram"),
    "rss": _lazy("rss"),
}

__all__ = ["Factory", "SOURCES"]
