"""`netra collect report URL ...`: file a public report (laporan masyarakat) from the shell.

Kept in its own module so the collector CLI's owner registers it with one line:
``collect_app.command("report")(cli_reports.report)``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from .common import fail, open_store, out

MAX_SCREENSHOT_BYTES = 10 * 1024 * 1024


def report(
    url: str = typer.Argument(..., help="URL kiriman yang dilaporkan (http/https)."),
    text: Optional[str] = typer.Option(None, "--text", help="Keterangan laporan: apa yang dilihat pelapor."),
    screenshot: Optional[Path] = typer.Option(None, "--screenshot", help="Berkas tangkapan layar (PNG, JPEG, GIF, WebP)."),
    contact: Optional[str] = typer.Option(None, "--contact", help="Kontak pelapor (tidak wajib; tidak ikut dalam bukti)."),
    actor: str = typer.Option("publik", "--actor", help="Nama pencatat laporan di jejak audit."),
) -> None:
    """Catat laporan masyarakat; laporan selalu masuk antrean tinjauan."""
    from ..collect.reports import ReportError, submit_report

    data = None
    if screenshot is not None:
        if not screenshot.is_file():
            raise fail(f"berkas tangkapan layar {screenshot} tidak ditemukan")
        if screenshot.stat().st_size > MAX_SCREENSHOT_BYTES:
            raise fail(f"berkas tangkapan layar lebih dari {MAX_SCREENSHOT_BYTES // (1024 * 1024)} MB")
        data = screenshot.read_bytes()
    store = open_store()
    try:
        flag_id = submit_report(store, url=url, text=text, screenshot=data, reporter_contact=contact, actor=actor)
    except ReportError as exc:
        raise fail(str(exc))
    finally:
        store.close()
    out.print(f"Laporan diterima dan masuk antrean tinjauan (flag #{flag_id}).")
