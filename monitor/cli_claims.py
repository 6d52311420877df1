"""`netra claims ...` commands. Thin: parse options, call the library, print in Bahasa Indonesia."""

from __future__ import annotations

import typer

from .cli_common import err, fail, open_store, out, settings  # noqa: F401  (used by the commands)

claims_app = typer.Typer(help="Klaim hoaks yang sudah dibantah pemeriksa fakta.", no_args_is_help=True)
