"""`netra migrate-to URL`: move this office's SQLite database into PostgreSQL. Thin: the copy and
its checks are monitor.evidence.moveup; this parses, shows progress and prints the counts."""

from __future__ import annotations

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from ..redact import redact
from .common import err, fail, open_store, out


def migrate_to_command(
    url: str = typer.Argument(..., help="URL PostgreSQL tujuan (postgresql://pengguna@host:5432/nama); basis data "
                                        "harus kosong. Kata sandi sebaiknya lewat PGPASSWORD atau ~/.pgpass."),
    batch: int = typer.Option(5000, "--batch", min=1, help="Baris per kelompok salinan (membatasi memori)."),
) -> None:
    """Pindahkan basis data SQLite ini (--db) ke PostgreSQL yang kosong, lalu periksa jumlah baris dan jejak audit."""
    from ..evidence import moveup

    with open_store() as source:
        if source.engine != "sqlite":
            raise fail("--db harus berkas SQLite sumber; URL PostgreSQL diberikan sebagai argumen tujuan.")
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      console=err, transient=True) as progress:
            tasks: dict[str, int] = {}

            def show(table: str, done: int, total: int) -> None:
                if table not in tasks:
                    tasks[table] = progress.add_task(f"Menyalin {table}", total=total or None)
                progress.update(tasks[table], completed=done)

            try:
                report = moveup.migrate_to(source, url, batch=batch, progress=show)
            except moveup.MigrateError as exc:
                raise fail(escape(str(exc)))
    table = Table("Tabel", "SQLite", "PostgreSQL", title="Jumlah baris")
    for name, count in report.source_counts.items():
        table.add_row(name, f"{count:,}", f"{report.target_counts.get(name, 0):,}")
    out.print(table)
    head = report.head or {}
    where = escape(redact(url) or "")
    if report.status == "complete":
        out.print(f"Pemindahan ke {where} sudah lengkap: semua baris sudah ada, tidak ada yang disalin ulang.")
    else:
        out.print(f"Dipindahkan ke {where}: {sum(report.source_counts.values()):,} baris dalam "
                  f"{len(report.source_counts)} tabel.")
    out.print(f"Jejak audit utuh di PostgreSQL: {report.audit_entries} entri, kepala #{head.get('last_id') or 0} "
              f"{head.get('hash') or ''} sama dengan SQLite.")
    out.print("Langkah berikut: salin folder data (kunci instans, media) bila NETRA_DATA_DIR berbeda, lalu setel "
              f"NETRA_DB={where}.")
