"""What every ``netra`` sub-command shares: the consoles, the --db option's value, errors.

Kept apart from ``monitor.cli`` so command groups in their own modules (``cli_collect``,
``cli_evidence`` ...) can use it without importing the whole CLI.
"""

from __future__ import annotations

from typing import Optional

import typer
from rich.console import Console

from . import config
from .store import Store, StoreError, connect

out = Console()
err = Console(stderr=True)
_state: dict[str, Optional[str]] = {"db": None}


def fail(message: str, code: int = 1) -> typer.Exit:
    err.print(f"[bold red]Gagal:[/] {message}")
    return typer.Exit(code)


def settings() -> dict:
    try:
        return config.load({"db": _state["db"]})
    except config.ConfigError as exc:
        raise fail(f"konfigurasi: {exc}")


def open_store(*, create: bool = False) -> Store:
    try:
        return connect(settings()["db"], create=create)
    except StoreError as exc:
        raise fail(str(exc))
