"""`netra capture serve`, `netra collect capture FILE` and `netra users token NAME`: browser
captures (Zeeschuimer) from the command line. Thin: parse options, call the library, print in
Bahasa Indonesia."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Optional

import typer

from .common import err, fail, open_store, out, settings

capture_app = typer.Typer(help="Tangkapan peramban (Zeeschuimer): penerima unggahan langsung ke basis data Netra.",
                          no_args_is_help=True)

_LABELS = {"items": "baris", "new": "baru", "edited": "berubah (versi baru)", "duplicates": "duplikat",
           "dropped_unregistered": "dibuang (akun tidak terdaftar)", "ads": "iklan dilewati",
           "deleted": "sudah dihapus", "interactions": "interaksi", "flags": "flag baru", "errors": "baris rusak"}


def summary_line(counts: dict) -> str:
    """The counts of one capture import as one Indonesian sentence (CLI and receiver logs)."""
    return ", ".join(f"{counts.get(key, 0)} {label}" for key, label in _LABELS.items()) + "."


def capture_file(
    file: Path = typer.Argument(..., help="Berkas NDJSON ekspor Zeeschuimer."),
    captured_by: Optional[str] = typer.Option(None, "--captured-by", help="Pengguna (analis) yang menangkap."),
    media: bool = typer.Option(True, "--media/--no-media", help="Unduh media ke penyimpanan bukti saat impor."),
    classify: bool = typer.Option(True, "--classify/--no-classify", help="Nilai kiriman baru dengan model."),
) -> None:
    """Impor tangkapan peramban (Zeeschuimer); hanya akun terdaftar yang disimpan."""
    from ..collect import capture_import
    from ..evidence import audit
    from ..store import users as user_rows

    with open_store(create=True) as store:
        if captured_by and user_rows.get_user(store, captured_by) is None:
            raise fail(f"pengguna {captured_by!r} tidak ada")
        try:
            report = capture_import.import_capture(
                store, file, captured_by=captured_by,
                fetch_media=capture_import.fetch_media_bytes if media else None)
        except ValueError as exc:
            raise fail(str(exc))
        audit.record(store, captured_by or "cli", "capture_import", target=f"capture:{report.import_id}",
                     file=file.name, **report.counts)
        for line, reason in report.errors:
            err.print(f"baris {line}: {reason}")
        out.print(f"Impor #{report.import_id}: {summary_line(report.counts)}")
        if media and report.media_saved:
            out.print(f"{report.media_saved} berkas media disimpan ke penyimpanan bukti.")
        if classify and report.new_ids:
            from ..flagging.classify import classify_pending
            from ..pipeline import current_model

            model, version = current_model(store)
            counts = classify_pending(store, model, version)
            out.print(f"{counts['classified']} kiriman dinilai, {counts['flags_opened']} flag baru.")
            values = settings()
            if counts["flags_opened"] and int(values.get("capture_on_flag", 1)):
                from ..evidence import capture as screenshots  # the same screenshot step as `netra collect`

                screenshots.capture_flagged(store, limit=int(values.get("capture_limit", 50)))
    if report.counts["items"] and report.counts["errors"] == report.counts["items"]:
        raise fail("tidak ada baris yang dapat diimpor.")


def users_token(username: str = typer.Argument(..., help="Nama pengguna (analis atau admin).")) -> None:
    """Buat token unggah tangkapan untuk pengguna (token lama tidak berlaku lagi)."""
    from ..evidence import audit
    from ..store import captures as capture_rows
    from ..store import users as user_rows

    with open_store() as store:
        user = user_rows.get_user(store, username)
        if user is None:
            raise fail(f"pengguna {username!r} tidak ada")
        if user["role"] not in ("admin", "analyst"):
            raise fail("hanya analis atau admin yang boleh mengunggah tangkapan")
        token = secrets.token_urlsafe(32)
        capture_rows.set_token(store, int(user["id"]), token)
        audit.record(store, "cli", "capture_token", target=f"user:{username}")
    out.print(f"Token unggah untuk {username} (disimpan hanya sebagai hash; catat sekarang):")
    out.print(token, markup=False, highlight=False)
    out.print("Buka http://ALAMAT-NETRA:PORT/masuk?token=TOKEN sekali di Firefox yang memakai Zeeschuimer.")


@capture_app.command("serve")
def serve(
    port: int = typer.Option(8765, "--port", help="Port penerima."),
    host: str = typer.Option("127.0.0.1", "--host", help="Alamat yang didengarkan."),
    max_mb: int = typer.Option(25, "--max-mb", help="Ukuran unggahan maksimum (MB)."),
    media: bool = typer.Option(True, "--media/--no-media", help="Unduh media saat impor."),
) -> None:
    """Jalankan penerima unggahan Zeeschuimer (POST /api/import-dataset/) yang mengimpor kiriman ke Netra."""
    from ..collect import capture_import, receiver

    db = settings()["db"]
    open_store().close()
    out.print(f"Penerima tangkapan di http://{host}:{port} (batas {max_mb} MB). Ctrl+C untuk berhenti.")
    receiver.serve(db, host=host, port=port, max_bytes=max_mb * 1024 * 1024,
                   fetch_media=capture_import.fetch_media_bytes if media else None)
