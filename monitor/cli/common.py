"""What every ``netra`` sub-command shares: the consoles, the --db option's value, errors.

Kept apart from ``monitor.cli`` so command groups in their own modules (``cli_collect``,
``cli_evidence`` ...) can use it without importing the whole CLI.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from .. import config
from ..redact import redact
from ..store import Store, StoreError, connect

#: Width of tables when the output is piped or redirected: rich would cut them at 80 columns,
#: and a piped table goes to a file or another program, not a person's terminal (issue 14).
PIPED_WIDTH = 240


def _console(*, stderr: bool = False) -> Console:
    """A console as wide as the terminal, or PIPED_WIDTH when not a terminal (COLUMNS wins)."""
    stream = sys.stderr if stderr else sys.stdout
    piped = not (hasattr(stream, "isatty") and stream.isatty())
    width = PIPED_WIDTH if piped and not os.environ.get("COLUMNS") else None
    return Console(stderr=stderr, width=width)


out = _console()
err = _console(stderr=True)
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
        raise fail(redact(str(exc)))


def data_dir() -> Path:
    """The instance's data folder (keys, media) for the configured database."""
    from ..evidence import keys

    values = settings()
    return keys.data_dir(values["db"], values["data_dir"])


def reference_public_key(public_key: Optional[Path]) -> tuple[Optional[bytes], Optional[str]]:
    """The key a signed file must verify with: the one given, else this instance's own (if any).

    Never a key carried inside the file itself: a forger would sign with their own.
    """
    from ..evidence import keys

    if public_key is not None:
        return public_key.read_bytes(), str(public_key)
    local = keys.instance_public_key(data_dir())
    if local is not None:
        return keys.public_pem(local), "kunci instans ini"
    return None, None
