"""`netra cases ...` and `netra subject-report`. Thin: parse options, call the library, print in Bahasa Indonesia."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Optional

import typer
from rich.table import Table

from .. import glossary, timefmt
from ..cases import export as case_export, workflow as cases, notify
from ..evidence import subject
from ..people import instansi
from ..atomic import write_private
from ..auth import User
from ..cases.workflow import CaseError
from .common import err, fail, open_store, out, settings
from ..store import Store

cases_app = typer.Typer(help="Kasus pelanggaran: verifikasi, pelaporan, sanksi, tenggat.", no_args_is_help=True)

_AS_HELP = "Nama pengguna yang bertindak (wajib; perannya dan unitnya menentukan apa yang boleh)."
SUBJECT_ROLES = ("admin", "auditor")


def acting_user(store: Store, username: Optional[str]) -> User:
    """The acting user, always named with --as and active: every command here reads personal
    data or acts, and its role and scope are the user's (the CLI is an operator's tool, see
    SECURITY.md, but it does not widen anyone's scope)."""
    if not username:
        raise fail("sebutkan pengguna yang bertindak dengan --as NAMA_PENGGUNA.")
    try:
        return cases.user_from_username(store, username)
    except CaseError as exc:
        raise fail(str(exc))


@contextmanager
def _acting(username: Optional[str]) -> Iterator[tuple[Store, User]]:
    """The store and the acting user for one command; the library's refusals become CLI errors."""
    with open_store() as store:
        actor = acting_user(store, username)
        try:
            yield store, actor
        except (CaseError, ValueError) as exc:
            raise fail(str(exc))


def _send_mail(store: Store, values: dict) -> None:
    if notify.smtp_configured(values):
        counts = notify.send_pending(store, values)
        out.print(f"Surel terkirim: {counts['sent']}, gagal: {counts['failed']}.")


@cases_app.command("list")
def cases_list(
    status: list[str] = typer.Option([], "--status", help="Hanya status ini (boleh berulang)."),
    as_: Optional[str] = typer.Option(None, "--as", help=_AS_HELP),
) -> None:
    """Daftar kasus beserta tenggat pelaporan dan tindakan atasan."""
    values = settings()
    with _acting(as_) as (store, actor):
        found = cases.list_cases(store, actor, settings=values, statuses=status or None)
    table = Table("No.", "Status", "Pegawai", "NIP", "Unit", "Kode", "Lapor s.d.", "Tindakan s.d.", "Empat mata",
                  title=f"{len(found)} kasus")
    for c in found:
        table.add_row(str(c["id"]), glossary.label("case_status", c["status"]), c["employee"], c["nip"] or c["nik"] or "-", c["unit"] or "-",
                      ", ".join(c["codes"]), f"{c['report_due_on']} ({c['report_state']})",
                      f"{c['action_due_on']} ({c['action_state']})", cases.FOUR_EYES_LABELS[c["four_eyes"]])
    out.print(table)


@cases_app.command("open")
def cases_open(
    flag: list[int] = typer.Option(..., "--flag", help="Nomor tanda terkonfirmasi (boleh berulang)."),
    code: list[str] = typer.Option([], "--code", help="Kode pelanggaran usulan, mis. N1 (bawaan: dari tanda)."),
    description_file: Optional[Path] = typer.Option(None, "--description-file",
                                                    help="Berkas teks uraian kejadian (bawaan: disusun dari kiriman)."),
    as_: Optional[str] = typer.Option(None, "--as", help=_AS_HELP),
) -> None:
    """Buka kasus dari tanda yang sudah dikonfirmasi (satu pegawai)."""
    values = settings()
    with open_store() as store:
        actor = acting_user(store, as_)
        try:
            text = description_file.read_text(encoding="utf-8") if description_file else None
            case_id = cases.open_case(store, actor, flag, settings=values, codes=code or None, description=text)
        except (CaseError, OSError, ValueError) as exc:
            raise fail(str(exc))
        case = cases.case_file(store, actor, case_id, settings=values)["case"]
        out.print(f"Kasus [bold]#{case_id}[/] dibuka untuk {case['employee']}: lapor ke Bawaslu s.d. "
                  f"{case['report_due_on']}, tindakan atasan s.d. {case['action_due_on']}.")
        _send_mail(store, values)


@cases_app.command("show")
def cases_show(
    case_id: int = typer.Argument(..., help="Nomor kasus."),
    as_: Optional[str] = typer.Option(None, "--as", help=_AS_HELP),
) -> None:
    """Tampilkan berkas kasus: pegawai, kode, uraian, bukti, riwayat."""
    values = settings()
    with _acting(as_) as (store, actor):
        file = cases.case_file(store, actor, case_id, settings=values)
    if file["blind"]:
        out.print(f"Kasus #{case_id} menunggu tinjauan kedua Anda: keputusan pertama disembunyikan.")
        out.print(f"Pegawai: {file['employee']} (NIP {file['nip'] or '-'}), {file['unit'] or '-'}")
        for item in file["items"]:
            out.print(f"- {item['posted_at'] or item['first_seen_at']} {item['platform'] or ''} "
                      f"@{item['handle'] or '-'}: {item['text'] or item['interaction_kind']} {item['url'] or ''}",
                      markup=False, highlight=False)
        return
    c = file["case"]
    out.print(f"[bold]Kasus #{c['id']}[/] — {cases.STATUS_LABELS[c['status']]}")
    if file["evidence_warning_text"]:
        err.print(f"PERHATIAN: {file['evidence_warning_text']}", style="bold yellow", markup=False, highlight=False)
    out.print(f"Pegawai: {c['employee']} (NIP {c['nip'] or '-'}, NIK {c['nik'] or '-'}), {c['position'] or '-'}, "
              f"{c['rank'] or '-'}, {c['employment_type']}; unit {c['unit'] or '-'}", markup=False)
    for code in file["codes"]:
        out.print(f"  {code.code}: {code.description} — {code.sanction}", markup=False)
    out.print(f"Lapor ke Bawaslu s.d. {c['report_due_on']} ({c['report_state']}); tindakan atasan s.d. "
              f"{c['action_due_on']} ({c['action_state']}); empat mata: {cases.FOUR_EYES_LABELS[c['four_eyes']]}")
    if c["external_ref"]:
        out.print(f"Dilaporkan ke {c['reported_to']} pada {c['reported_on']}, nomor {c['external_ref']}", markup=False)
    if c["recommendation"]:
        out.print(f"Rekomendasi ({c['recommendation_on']}): {c['recommendation']}", markup=False)
    if c["sanction_level"]:
        out.print(f"Sanksi PPK: {c['sanction_level']} pada {c['sanction_on']} {c['sanction_decree'] or ''}", markup=False)
    if c["closed_reason"]:
        out.print(f"Ditutup: {c['closed_reason']}", markup=False)
    out.print("\n[bold]Uraian kejadian[/]")
    out.print(c["description"], markup=False, highlight=False)
    table = Table("Waktu", "Pelaku", "Peristiwa", "Rincian", title="Riwayat")
    zone = timefmt.office_zone(values)
    for event in file["events"]:
        table.add_row(timefmt.format_local(event["ts"], zone=zone), event["actor"], glossary.event_change(event),
                      glossary.event_details(event["details"], when=lambda ts: timefmt.format_local(ts, zone=zone))[:160])
    out.print(table)
    for action in file["actions"]:
        out.print(f"Tindakan atasan {action['acted_on']}: {cases.ACTION_KINDS[action['kind']]} oleh "
                  f"{action['username']} {action['note'] or ''}", markup=False)


@cases_app.command("status")
def cases_status(
    case_id: int = typer.Argument(..., help="Nomor kasus."),
    status: str = typer.Argument(..., help="Status baru: verifikasi, dilaporkan, rekomendasi, sanksi, ditutup."),
    as_: Optional[str] = typer.Option(None, "--as", help=_AS_HELP),
    channel: Optional[str] = typer.Option(None, "--channel", help="Tujuan laporan: Bawaslu, BKN, SP4N-LAPOR!."),
    ref: Optional[str] = typer.Option(None, "--ref", help="Nomor laporan dari Bawaslu/BKN."),
    date: Optional[str] = typer.Option(None, "--date", help="Tanggal peristiwa (YYYY-MM-DD; bawaan hari ini)."),
    recommendation: Optional[str] = typer.Option(None, "--recommendation", help="Isi rekomendasi yang diterima."),
    level: Optional[str] = typer.Option(None, "--level", help="Tingkat sanksi PPK: moral, ringan, sedang, berat."),
    decree: Optional[str] = typer.Option(None, "--decree", help="Nomor keputusan (SK) sanksi."),
    reason: Optional[str] = typer.Option(None, "--reason", help="Alasan penutupan."),
) -> None:
    """Ubah status kasus satu langkah (temuan → verifikasi → dilaporkan → rekomendasi → sanksi/ditutup)."""
    values = settings()
    with _acting(as_) as (store, actor):
        cases.change_status(store, actor, case_id, status, settings=values, reported_to=channel,
                            external_ref=ref, on=date, recommendation=recommendation, level=level,
                            decree=decree, reason=reason)
    out.print(f"Kasus #{case_id} kini berstatus [bold]{status}[/].")


@cases_app.command("review")
def cases_review(
    case_id: int = typer.Argument(..., help="Nomor kasus."),
    decision: str = typer.Option(..., "--decision", help="violation (pelanggaran) atau not_violation (bukan)."),
    code: list[str] = typer.Option([], "--code", help="Kode pelanggaran menurut Anda (boleh berulang)."),
    note: Optional[str] = typer.Option(None, "--note", help="Catatan."),
    as_: Optional[str] = typer.Option(None, "--as", help=_AS_HELP),
) -> None:
    """Tinjauan kedua (empat mata) oleh analis yang tidak mengonfirmasi tandanya."""
    with _acting(as_) as (store, actor):
        agrees = cases.submit_second_review(store, actor, case_id, decision, code, note)
    out.print("Tinjauan kedua dicatat: " + ("sependapat." if agrees else "tidak sependapat; admin akan memutuskan."))


@cases_app.command("resolve")
def cases_resolve(
    case_id: int = typer.Argument(..., help="Nomor kasus."),
    outcome: str = typer.Option(..., "--outcome", help="lanjut atau tutup."),
    reason: str = typer.Option(..., "--reason", help="Alasan keputusan."),
    code: list[str] = typer.Option([], "--code", help="Kode pelanggaran akhir (bila lanjut)."),
    as_: Optional[str] = typer.Option(None, "--as", help=_AS_HELP),
) -> None:
    """Admin memutuskan perbedaan pendapat tinjauan kedua."""
    values = settings()
    with _acting(as_) as (store, actor):
        cases.resolve_disagreement(store, actor, case_id, outcome, reason, settings=values, codes=code or None)
    out.print(f"Keputusan admin untuk kasus #{case_id}: {outcome}.")


@cases_app.command("action")
def cases_action(
    case_id: int = typer.Argument(..., help="Nomor kasus."),
    kind: str = typer.Option(..., "--kind", help="dipanggil, diperiksa, dilaporkan atau lainnya."),
    date: Optional[str] = typer.Option(None, "--date", help="Tanggal tindakan (YYYY-MM-DD; bawaan hari ini)."),
    note: Optional[str] = typer.Option(None, "--note", help="Catatan tindakan."),
    as_: Optional[str] = typer.Option(None, "--as", help=_AS_HELP),
) -> None:
    """Atasan langsung mencatat tindakannya (memanggil, memeriksa, melaporkan)."""
    values = settings()
    with _acting(as_) as (store, actor):
        cases.record_action(store, actor, case_id, kind, settings=values, acted_on=date, note=note)
    out.print(f"Tindakan atasan dicatat pada kasus #{case_id}.")


@cases_app.command("digest")
def cases_digest(
    send: bool = typer.Option(False, "--send", help="Buat notifikasi tenggat dan ringkasan, lalu kirim surel."),
) -> None:
    """Ringkasan harian kasus per pengguna (pratinjau; --send untuk mengirim)."""
    values = settings()
    with open_store() as store:
        try:
            digests = notify.daily_digest(store, values)
            counts = notify.run_daily(store, values, send=True) if send else None
        except ValueError as exc:
            raise fail(str(exc))
    for digest in digests:
        out.print(f"[bold]{digest['username']}[/] ({digest['email'] or 'tanpa surel'}): {digest['subject']}")
        out.print(digest["body"], markup=False, highlight=False)
    if not digests:
        out.print("Tidak ada kasus yang perlu diingatkan hari ini.")
    if counts is not None:
        out.print(f"Notifikasi baru: {counts['action_due']} jatuh tempo, {counts['overdue']} terlambat, "
                  f"{counts['digest']} ringkasan; surel terkirim {counts['sent']}, gagal {counts['failed']}"
                  + ("" if notify.smtp_configured(values) else " (SMTP belum diatur: hanya notifikasi di aplikasi)")
                  + ".")


@cases_app.command("export")
def cases_export(
    case_id: int = typer.Argument(..., help="Nomor kasus."),
    output: Path = typer.Option(..., "--output", "-o", help="Berkas .pdf, .csv atau .xlsx."),
    as_: Optional[str] = typer.Option(None, "--as", help=_AS_HELP),
) -> None:
    """Ekspor laporan kasus untuk Bawaslu/BKN (PDF, atau baris CSV/XLSX)."""
    values = settings()
    with open_store() as store:
        actor = acting_user(store, as_)
        try:
            path = case_export.export(store, actor, case_id, output, settings=values)
        except (CaseError, OSError, ValueError) as exc:
            raise fail(str(exc))
    out.print(f"Laporan kasus #{case_id} ditulis ke [bold]{path}[/].")


@cases_app.command("report")
def cases_report(
    unit: Optional[str] = typer.Option(None, "--unit", help="Kode atau nama unit (termasuk sub-unit)."),
    date_from: str = typer.Option(..., "--from", help="Tanggal awal (YYYY-MM-DD)."),
    date_to: str = typer.Option(..., "--to", help="Tanggal akhir (YYYY-MM-DD)."),
    as_: Optional[str] = typer.Option(None, "--as", help=_AS_HELP),
) -> None:
    """Laporan status kasus per unit untuk satu periode (dibuka, dilaporkan, sanksi, terlambat)."""
    values = settings()
    with _acting(as_) as (store, actor):
        found = cases.status_report(store, actor, settings=values, unit_code=unit, date_from=date_from,
                                    date_to=date_to)
    table = Table("Kode", "Unit", "Dibuka", "Dilaporkan", "Rekomendasi", "Sanksi", "Ditutup", "Terlambat",
                  title=f"Kasus {date_from} s.d. {date_to}")
    for r in found:
        table.add_row(r["unit_code"], r["unit"], *(str(r[k]) for k in
                      ("dibuka", "dilaporkan", "rekomendasi", "sanksi", "ditutup", "terlambat")))
    out.print(table)


@cases_app.command("email")
def cases_email(
    username: str = typer.Argument(..., help="Nama pengguna."),
    address: str = typer.Argument(..., help="Alamat surel untuk notifikasi ('' untuk menghapus)."),
) -> None:
    """Atur alamat surel notifikasi seorang pengguna (mis. atasan)."""
    with open_store() as store:
        try:
            notify.set_email(store, username, address or None, actor="cli")
        except ValueError as exc:
            raise fail(str(exc))
    out.print(f"Surel notifikasi {username}: {address or '(dihapus)'}.")


def subject_report_command(
    nip: str = typer.Argument(..., help="NIP (atau NIK) pegawai yang meminta datanya."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Berkas JSON (bawaan: layar)."),
    as_: Optional[str] = typer.Option(None, "--as", help="Nama pengguna petugas yang melayani permintaan."),
) -> None:
    """Semua data yang disimpan Netra tentang satu pegawai (hak akses, UU 27/2022)."""
    with open_store() as store:
        actor = acting_user(store, as_)
        if actor.role not in SUBJECT_ROLES:
            raise fail(f"Peran {actor.role} tidak boleh membuat laporan data pribadi (hanya admin atau auditor).")
        try:
            report = subject.subject_report(store, nip, actor=actor.username,
                                            unit_ids=instansi.unit_scope(store, actor))
        except ValueError as exc:
            raise fail(str(exc))
    text = subject.to_json(report)
    if output:
        write_private(output, text.encode("utf-8"))
        out.print(subject.summary(report), markup=False, highlight=False)
        out.print(f"Data lengkap (JSON) ditulis ke [bold]{output}[/].")
    else:
        err.print(subject.summary(report), markup=False, highlight=False)
        print(text)
