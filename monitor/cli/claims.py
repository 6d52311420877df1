"""`netra claims ...` commands. Thin: parse options, call the library, print in Bahasa Indonesia."""

from __future__ import annotations

from typing import Optional

import typer
from rich.markup import escape
from rich.table import Table

from .common import err, fail, open_store, out, settings  # noqa: F401  (used by the commands)

claims_app = typer.Typer(help="Klaim hoaks yang sudah dibantah pemeriksa fakta.", no_args_is_help=True)

#: How many bad rows are printed; the rest are only counted.
_SHOWN_SKIPPED = 20


@claims_app.command("import")
def claims_import(
    target: str = typer.Argument(..., help="Berkas CSV/JSONL (termasuk format turnbackhoax2024) atau URL umpan "
                                          "RSS/Atom situs cek fakta."),
    source: Optional[str] = typer.Option(None, "--source", help="Nama sumber untuk klaim dari berkas "
                                                                "(bawaan: nama berkas)."),
    match: bool = typer.Option(False, "--match", help="Sesudah impor, cocokkan semua kiriman dengan klaim."),
) -> None:
    """Impor klaim yang sudah dibantah (duplikat dilewati, baris rusak dilaporkan)."""
    from ..claims import check as claim_check, importers as importer

    with open_store() as store:
        try:
            report = importer.import_target(store, target, actor="cli", source=source)
        except importer.ClaimImportError as exc:
            raise fail(str(exc))
        out.print(f"Impor klaim dari [bold]{escape(report.source)}[/] (format {report.format}): "
                  f"{report.read} dibaca, {report.added} baru, {report.duplicates} duplikat dilewati, "
                  f"{len(report.skipped)} baris rusak.")
        for line, reason in report.skipped[:_SHOWN_SKIPPED]:
            where = f"baris {line}" if line else "baris"
            err.print(f"[yellow]{where}: {escape(reason)}[/]")
        if len(report.skipped) > _SHOWN_SKIPPED:
            err.print(f"[yellow]… dan {len(report.skipped) - _SHOWN_SKIPPED} baris rusak lainnya.[/]")
        if match:
            _print_match(claim_check.match_all(store))


@claims_app.command("list")
def claims_list(
    limit: int = typer.Option(50, "--limit", min=1, help="Jumlah klaim yang ditampilkan."),
    search: Optional[str] = typer.Option(None, "--search", help="Cari dalam teks, judul atau sumber klaim."),
) -> None:
    """Daftar klaim yang tersimpan, terbaru lebih dulu."""
    from ..store import claims as rows

    with open_store() as store:
        claims = rows.list_claims(store, limit=limit, search=search)
        total = rows.count_claims(store)
    if not claims:
        out.print("Belum ada klaim yang cocok." if search else
                  "Belum ada klaim. Impor dengan [bold]netra claims import BERKAS|URL[/].")
        return
    table = Table(title=f"Klaim ({len(claims)} dari {total})")
    for column in ("ID", "Judul / klaim", "Putusan", "Sumber", "Tanggal", "Cocok", "Tautan"):
        table.add_column(column)
    for claim in claims:
        name = claim["title"] or claim["claim_text"]
        table.add_row(str(claim["id"]), escape(name[:90]), escape(claim["verdict"] or "-"),
                      escape(claim["source"] or "-"), claim["published_at"] or "-", str(claim["matches"]),
                      escape(claim["url"] or "-"))
    out.print(table)


@claims_app.command("match")
def claims_match() -> None:
    """Cocokkan semua kiriman dengan klaim yang sudah dibantah; buka atau naikkan tanda hoaks."""
    from ..claims import check as claim_check

    with open_store() as store:
        _print_match(claim_check.match_all(store))


def _print_match(totals: dict) -> None:
    out.print(f"Pencocokan klaim: {totals.get('posts', 0)} kiriman diperiksa terhadap {totals.get('claims', 0)} klaim; "
              f"{totals.get('matched', 0)} kiriman mirip klaim yang sudah dibantah. Tanda hoaks: "
              f"{totals.get('flags_opened', 0)} baru, {totals.get('flags_raised', 0)} dinaikkan, "
              f"{totals.get('flags_decided', 0)} sudah diputuskan (tidak diubah).")
