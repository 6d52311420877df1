"""`netra datasets ...` commands. Thin: parse options, call the library, print in Bahasa Indonesia."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.table import Table

from .common import err, fail, out

datasets_app = typer.Typer(help="Dataset publik untuk pelatihan (unduh setelah menyetujui lisensi).", no_args_is_help=True)


@datasets_app.command("list")
def datasets_list() -> None:
    """Daftar dataset publik di katalog: lisensi, format, berkas yang dapat diunduh."""
    from classifiers.catalogue import load_catalogue

    table = Table("Nama", "Lisensi", "Format", "Berkas unduhan", "Berkas turunan", "Keterangan")
    for dataset in load_catalogue():
        derived = [f.name for f in dataset.files if not f.raw_url]
        table.add_row(dataset.name, dataset.licence, dataset.format,
                      ", ".join(f.name for f in dataset.downloadable) or "-", ", ".join(derived) or "-",
                      dataset.description)
    out.print(table)
    out.print("Unduh: [bold]netra datasets fetch NAMA --accept-license[/] (baca lisensinya dahulu).")


@datasets_app.command("fetch")
def datasets_fetch(
    name: str = typer.Argument(..., help="Nama dataset (lihat `netra datasets list`)."),
    accept_license: bool = typer.Option(False, "--accept-license", help="Saya telah membaca dan menyetujui lisensinya."),
    dest: Path = typer.Option(Path("datasets"), "--dest", help="Folder tujuan (berkas masuk ke DEST/NAMA/)."),
    base_url: Optional[str] = typer.Option(None, "--base-url", envvar="NETRA_DATASETS_BASE_URL",
                                           help="Ganti https://raw.githubusercontent.com (cermin atau uji)."),
) -> None:
    """Tampilkan lisensi, lalu unduh dataset dengan httpx dan periksa bahwa berkasnya terbaca."""
    from classifiers.catalogue import FetchError, LicenseNotAccepted, fetch, find

    try:
        dataset = find(name)
    except ValueError as exc:
        raise fail(str(exc))
    out.print(dataset.licence_text(), markup=False, highlight=False)
    try:
        result = fetch(name, dest, accept_license=accept_license, base_url=base_url or None,
                       progress=lambda m: err.print(m, markup=False, highlight=False))
    except LicenseNotAccepted as exc:
        raise fail(str(exc))
    except (FetchError, ValueError) as exc:
        raise fail(f"unduhan dihentikan: {exc}")
    for item in result.files:
        out.print(f"{item['name']}: {item['bytes']:,} byte, {item['rows']} baris terbaca, {item['skipped']} dilewati, "
                  f"sha256 {item['sha256'][:12]}")
    for item in result.not_fetched:
        out.print(f"[yellow]{item['name']} tidak diunduh (berkas turunan):[/] {item['note']}")
    out.print(f"Tersimpan di [bold]{result.folder}[/]. Latih: netra model train --data {result.folder}/<berkas>")
