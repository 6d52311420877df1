"""`netra retention ...` commands. Thin: parse options, call the library, print in Bahasa Indonesia."""

from __future__ import annotations

from typing import Optional

import typer

from .common import err, fail, open_store, out, settings  # noqa: F401  (used by the commands)

retention_app = typer.Typer(help="Retensi data pribadi (UU 27/2022).", no_args_is_help=True)


@retention_app.command("apply")
def retention_apply(
    days: Optional[int] = typer.Option(None, "--days", help="Masa retensi dalam hari (bawaan: retention_days, 90)."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Hanya hitung yang akan dihapus; tidak menghapus apa pun."),
) -> None:
    """Hapus kiriman dan interaksi tanpa tanda yang melewati masa retensi; yang bertanda dan bukti tetap disimpan."""
    from ..evidence import retention

    with open_store() as store:
        try:
            result = retention.apply(store, days=days if days is not None else settings()["retention_days"],
                                     actor="cli", dry_run=dry_run)
        except ValueError as exc:
            raise fail(str(exc))
    verb = "akan dihapus" if dry_run else "dihapus"
    out.print(f"Masa retensi {result['days']} hari (dikumpulkan sebelum {result['cutoff']}): "
              f"{result['posts']} kiriman {verb}, beserta {result['post_versions']} versi lama dan "
              f"{result['classifications']} hasil klasifikasi.")
    out.print(f"{result['kept']} kiriman lama tetap disimpan karena bertanda atau menjadi bukti.")
    out.print(f"Interaksi dengan akun kampanye: {result['interactions']} {verb}, "
              f"{result['interactions_kept']} lama tetap disimpan karena bertanda.")
    if dry_run:
        out.print("Uji coba: tidak ada yang dihapus.")
