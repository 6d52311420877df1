"""`netra collect ...` commands. Thin: parse options, call the library, print in Bahasa Indonesia."""

from __future__ import annotations

import typer

from .cli_common import err, fail, open_store, out, settings  # noqa: F401  (used by the commands)

collect_app = typer.Typer(help="Pengumpulan kiriman dan interaksi dari platform; kesehatan kolektor.", no_args_is_help=True)
