"""`netra evidence ...` commands. Thin: parse options, call the library, print in Bahasa Indonesia."""

from __future__ import annotations

import typer

from .cli_common import err, fail, open_store, out, settings  # noqa: F401  (used by the commands)

evidence_app = typer.Typer(help="Berkas bukti bertanda tangan dan verifikasinya.", no_args_is_help=True)
