"""``netra instansi add|list``: the offices sharing one database (issue 20)."""

from __future__ import annotations

from typing import Optional

import typer
from rich.table import Table

from ..people import instansi
from .common import fail, open_store, out

instansi_app = typer.Typer(help="Instansi (Pemda, BKD provinsi, BKN) dalam satu basis data.", no_args_is_help=True)
KIND_LABELS = {"pemda": "Pemda", "provinsi": "Provinsi", "nasional": "Nasional"}


def _actor(store, username: Optional[str]):
    """The acting admin (``--as``), or None: the operator on the server, who administers the database."""
    if not username:
        return None
    from .cases import acting_user

    return acting_user(store, username)


@instansi_app.command("add")
def instansi_add(
    code: str = typer.Argument(..., help="Kode instansi (huruf, angka, '-' dan '_'), mis. KAB-BOGOR."),
    name: str = typer.Option(..., "--name", help="Nama instansi, mis. \"BKPSDM Kabupaten Bogor\"."),
    kind: str = typer.Option("pemda", "--kind", help="Jenis: pemda, provinsi atau nasional."),
    parent: Optional[str] = typer.Option(None, "--parent", help="Kode instansi induk (provinsi atau nasional)."),
    as_: Optional[str] = typer.Option(None, "--as", help="Admin yang menambah (admin instansi induk); tanpa ini: "
                                                         "operator basis data."),
) -> None:
    """Tambah instansi (admin instansi induk atau operator basis data)."""
    with open_store() as store:
        try:
            instansi.add_instansi(store, _actor(store, as_), code, name, kind=kind, parent_code=parent)
        except instansi.InstansiError as exc:
            raise fail(str(exc))
    out.print(f"Instansi [bold]{code}[/] ({KIND_LABELS.get(kind, kind)}) ditambahkan.")


@instansi_app.command("list")
def instansi_list(
    as_: Optional[str] = typer.Option(None, "--as", help="Pengguna yang membaca (hanya instansinya dan yang di "
                                                         "bawahnya); tanpa ini: semua."),
) -> None:
    """Daftar instansi beserta induknya."""
    with open_store() as store:
        rows = instansi.list_instansi(store, _actor(store, as_))
    table = Table("Kode", "Nama", "Jenis", "Induk", title=f"{len(rows)} instansi")
    for r in rows:
        table.add_row(r["code"], r["name"], KIND_LABELS.get(r["kind"], r["kind"]), r["parent_code"] or "-")
    out.print(table)
