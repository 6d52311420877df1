"""`netra backup ...` commands. Thin: parse options, call the library, print in Bahasa Indonesia."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.markup import escape
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

from .common import data_dir, err, fail, out, reference_public_key, settings

backup_app = typer.Typer(help="Cadangan basis data, media dan kunci instans: buat, periksa, pulihkan.",
                         no_args_is_help=True)

_STAGES = {"snapshot": "Menyalin basis data (halaman)", "check": "Memeriksa integritas dan jejak audit",
           "archive": "Mengemas arsip (bita)"}


_PUBLIC_KEY_HELP = ("Kunci publik (PEM) pembanding tanda tangan arsip; bawaan: kunci instans ini bila ada. "
                    "Auditor di luar instans memakai kunci dari 'netra evidence pubkey'.")


def _expected_key(public_key: Optional[Path]) -> tuple[Optional[bytes], Optional[str]]:
    from ..evidence import keys

    try:
        return reference_public_key(public_key)
    except (OSError, keys.InstanceKeyError) as exc:
        raise fail(escape(str(exc)))


@backup_app.command("create")
def backup_create(
    output: str = typer.Option(..., "--output", "-o", help="Berkas ZIP cadangan, atau folder (yang ada, atau diakhiri "
                                                           "/; nama berkas dibuat otomatis dengan waktu)."),
    no_media: bool = typer.Option(False, "--no-media", help="Jangan sertakan tangkapan layar dan media."),
    include_key: bool = typer.Option(False, "--include-key", help="Sertakan kunci privat instans (arsip menjadi "
                                                                   "rahasia)."),
    allow_broken_audit: bool = typer.Option(False, "--allow-broken-audit",
                                            help="Tetap cadangkan walau jejak audit rusak (dicatat di BACKUP.json)."),
) -> None:
    """Buat cadangan basis data yang konsisten dan terverifikasi, aman saat pengumpul berjalan."""
    from ..evidence import backup

    db = settings()["db"]
    with Progress(TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(), TimeElapsedColumn(),
                  console=err, transient=True) as progress:
        tasks: dict[str, int] = {}

        def show(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = progress.add_task(_STAGES.get(stage, stage), total=total or None)
            progress.update(tasks[stage], completed=done, total=total or None)

        try:
            result = backup.create(db, output, include_media=not no_media, include_key=include_key,
                                   allow_broken_audit=allow_broken_audit, data_dir=data_dir(), progress=show)
        except backup.BackupError as exc:
            raise fail(escape(str(exc)))
    manifest = result["manifest"]
    for warning in result["warnings"]:
        err.print(f"[bold yellow]Peringatan:[/] {escape(warning)}")
    counts = manifest["row_counts"]
    out.print(f"Cadangan ditulis: [bold]{escape(result['path'])}[/] ({result['size']:,} bita, mode 0600).")
    out.print(f"Versi skema {manifest['schema_version']}; {counts.get('posts', 0)} kiriman, "
              f"{counts.get('flags', 0)} tanda, {counts.get('cases', 0)} kasus, {manifest['media_files']} berkas media; "
              f"kepala jejak audit #{(manifest['audit']['head'] or {}).get('last_id') or 0}.")
    out.print(f"SHA-256 arsip: {result['sha256']}")
    if not manifest["audit"]["ok"]:
        err.print("[bold red]Jejak audit basis data ini rusak; cadangan dibuat hanya karena --allow-broken-audit.[/]")


@backup_app.command("verify")
def backup_verify(
    file: Path = typer.Argument(..., help="Berkas ZIP cadangan."),
    public_key: Optional[Path] = typer.Option(None, "--public-key", help=_PUBLIC_KEY_HELP),
) -> None:
    """Periksa arsip cadangan: tanda tangan, hash setiap berkas, integritas basis data dan jejak audit."""
    from ..evidence import backup

    expected, source = _expected_key(public_key)
    report = backup.verify(file, public_key=expected)
    for warning in report.warnings:
        err.print(f"[bold yellow]Peringatan:[/] {escape(warning)}")
    if not report.ok:
        for problem in report.problems:
            err.print(f"- {escape(problem.file)}: {escape(problem.message)}")
        raise fail(f"cadangan {escape(file.name)} tidak utuh ({len(report.problems)} masalah).")
    manifest = report.manifest or {}
    recorded_ok = (manifest.get("audit") or {}).get("ok")
    if report.audit_ok is None:  # a PostgreSQL dump: its chain is rechecked when it is restored
        chain = "jejak audit tercatat utuh saat dump" if recorded_ok else "jejak audit SUDAH RUSAK saat dump dibuat"
        database = "dump PostgreSQL terbaca utuh (pg_restore --list)"
    else:
        chain = "jejak audit utuh" if report.audit_ok else "jejak audit SUDAH RUSAK saat cadangan dibuat (lihat peringatan)"
        database = "basis data lolos pemeriksaan integritas"
    if source is not None:
        out.print(f"Tanda tangan sah ({escape(source)}).")
    out.print(f"Cadangan utuh: {report.files_checked} berkas cocok dengan BACKUP.json, {database}; {chain} "
              f"(dibuat {manifest.get('created_at')}, mesin {manifest.get('engine') or 'sqlite'}, versi skema "
              f"{manifest.get('schema_version')}).")


@backup_app.command("restore")
def backup_restore(
    file: Path = typer.Argument(..., help="Berkas ZIP cadangan."),
    force: bool = typer.Option(False, "--force", help="Ganti basis data yang sudah ada (yang lama disimpan dengan "
                                                      "nama lain)."),
    public_key: Optional[Path] = typer.Option(None, "--public-key", help=_PUBLIC_KEY_HELP),
    allow_unsigned: bool = typer.Option(False, "--allow-unsigned",
                                        help="Pulihkan juga arsip yang tanda tangannya tidak dapat dipastikan "
                                             "(kunci instans di dalamnya tidak akan dipasang)."),
) -> None:
    """Pulihkan basis data (dan media, kunci) dari cadangan ke --db (berkas SQLite, atau basis data PostgreSQL kosong); hentikan pengumpul dan dasbor dahulu."""
    from ..evidence import backup

    db = settings()["db"]
    try:
        result = backup.restore(file, db, force=force, data_dir=data_dir(), public_key=_expected_key(public_key)[0],
                                allow_unsigned=allow_unsigned)
    except backup.BackupError as exc:
        raise fail(escape(str(exc)))
    for warning in result["warnings"]:
        err.print(f"[bold yellow]Peringatan:[/] {escape(warning)}")
    if result["previous"]:
        out.print(f"Basis data lama disimpan sebagai {escape(result['previous'])}.")
    out.print(f"Dipulihkan ke [bold]{escape(result['db'])}[/]: {result['row_counts'].get('posts', 0)} kiriman, "
              f"{result['media_files']} berkas media" + (", kunci instans" if result["key"] else "")
              + f"; {result['migrations_applied']} migrasi dijalankan.")
    if not result["audit_ok"]:
        raise fail("jejak audit basis data yang dipulihkan tidak lolos verifikasi.")
