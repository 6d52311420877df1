"""`netra datasets ...` commands. Thin: parse options, call the library, print in Bahasa Indonesia."""

from __future__ import annotations

import typer

from .cli_common import err, fail, open_store, out, settings  # noqa: F401  (used by the commands)

datasets_app = typer.Typer(help="Dataset publik untuk pelatihan (unduh setelah menyetujui lisensi).", no_args_is_help=True)
