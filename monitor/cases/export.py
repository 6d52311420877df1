"""Case reports for Bawaslu and BKN's portal: one PDF per case, CSV/XLSX rows for bulk upload.

The fields follow what a report needs (regulation.md): the reporter; the reported person's name,
NIP/NIK, position, rank/golongan, employment type and unit; the time of the posts and of their
collection; platform, account and URL; the chronological description; the evidence list with
hashes; the violated items and their sanction references. Post text is untrusted: spreadsheet
cells that would start a formula are prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime, timezone
from pathlib import Path
from typing import Mapping, Sequence

from ..atomic import write_private
from .. import glossary, timefmt
from ..evidence import audit
from . import deadlines
from ..auth import User, current
from .workflow import (
    ACTION_KINDS,
    EVIDENCE_CHANGES,
    CaseError,
    STATUS_LABELS,
    VIOLATION_CODES,
    _load,
    _warning_text,
    evidence_warning,
    needs_blind,
    scope_of,
)
from ..store import Store
from ..store import cases as rows

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")

#: Column order of the bulk CSV/XLSX (Indonesian headers, as the forms call them).
COLUMNS = (
    ("nomor_kasus", "Nomor kasus"), ("status", "Status"), ("pelapor", "Pelapor"),
    ("instansi_pelapor", "Instansi pelapor"), ("tanggal_laporan", "Tanggal laporan"),
    ("nama", "Nama terlapor"), ("nip", "NIP"), ("nik", "NIK"), ("jabatan", "Jabatan"),
    ("pangkat_golongan", "Pangkat/golongan"), ("jenis_kepegawaian", "Jenis kepegawaian"),
    ("unit_kerja", "Unit kerja"), ("waktu_kejadian", "Waktu kejadian"), ("waktu_pengumpulan", "Waktu pengumpulan"),
    ("platform", "Platform"), ("akun", "Akun"), ("url", "URL"), ("kode_pelanggaran", "Kode pelanggaran"),
    ("pelanggaran", "Pelanggaran"), ("rujukan_sanksi", "Rujukan sanksi"), ("uraian", "Uraian kejadian"),
    ("bukti", "Daftar bukti"), ("ditemukan", "Pelanggaran diketahui"), ("batas_lapor", "Batas lapor Bawaslu"),
    ("tujuan_laporan", "Tujuan laporan"), ("nomor_laporan", "Nomor laporan eksternal"),
    ("tindakan_atasan", "Tindakan atasan"), ("sanksi", "Sanksi PPK"), ("perubahan_bukti", "Perubahan bukti"),
)
_SETTLED = {"confirmed": "dikonfirmasi ulang", "removed": "dikeluarkan dari kasus"}


def _local(ts: str | None, settings: Mapping) -> str:
    """Office time as every page and PDF prints it ("04-10-2024 09:00 WIB"); "" when empty."""
    return timefmt.format_local(ts, settings) if ts else ""


def evidence_lines(store: Store, case: Mapping, settings: Mapping) -> list[str]:
    """Every recorded change of the case's evidence and how it ended, for the report's reader.

    A flag that is not confirmed but has no recorded change (changed before Netra recorded
    them) is listed too: the report must never present doubtful evidence as settled.
    """
    lines, mentioned = [], set()
    pending = {f["flag_id"]: f for f in evidence_warning(store, case)}
    for change in rows.evidence_changes(store, case["id"]):
        mentioned.add(change["flag_id"])
        line = (f"Tanda #{change['flag_id']} {EVIDENCE_CHANGES.get(change['kind'], change['kind'])} "
                f"{_local(change['changed_at'], settings)}")
        if change["reason"]:
            line += f" (alasan: {change['reason']})"
        if change["resolved_at"]:
            settled = _SETTLED.get(change["resolution"], change["resolution"])
            line += f"; {settled} {_local(change['resolved_at'], settings)}"
        elif case["status"] in ("sanksi", "ditutup"):
            line += "; kasus sudah selesai"
        elif change["flag_id"] in pending:
            line += "; BELUM dikonfirmasi ulang"
        else:
            line += "; kini dikonfirmasi"
        lines.append(line)
    for flag in pending.values():
        if flag["flag_id"] not in mentioned:
            lines.append(f"Tanda #{flag['flag_id']} tidak lagi dikonfirmasi (status "
                         f"{glossary.label('flag_status', flag['status']).lower()})")
    return lines


def report_fields(store: Store, actor: User, case_id: int, *, settings: Mapping) -> dict:
    """The report's fields for one case (scope and a live session enforced); lists stay lists."""
    current(store, actor)
    case = _load(store, case_id, actor)
    if needs_blind(store, actor, case):
        raise CaseError(f"Kasus #{case_id} menunggu tinjauan kedua yang dapat Anda lakukan; ekspor akan "
                        "membuka keputusan pertama. Minta analis lain atau admin mengekspor.")
    items = rows.case_items(store, case_id)
    reporter = rows.user_by_id(store, case["opened_by"]) if case["opened_by"] else None
    evidence = []
    for item in items:
        if item["post_id"]:
            evidence.append(
                f"Kiriman {glossary.label('platform', item['platform'])} {item['platform_post_id']} @{item['handle'] or '-'}, "
                f"diunggah {_local(item['posted_at'], settings) or '-'}, dikumpulkan {_local(item['collected_at'], settings)}, "
                f"versi {item['version']}, SHA-256 data mentah {item['raw_sha256']}"
                + (f", dihapus dari platform {_local(item['deleted_at'], settings)}" if item["deleted_at"] else "")
                + (f", URL {item['url']}" if item["url"] else ""))
        else:
            evidence.append(
                f"Interaksi ({glossary.label('interaction', item['interaction_kind'])}) @{item['handle'] or '-'} pada akun kampanye "
                f"@{item['campaign_handle'] or '-'}, terlihat {_local(item['first_seen_at'], settings)}, "
                f"SHA-256 {item['interaction_sha256']}" + (f", URL {item['target_url']}" if item["target_url"] else ""))
    actions = rows.actions(store, case_id)
    return {
        "nomor_kasus": case_id,
        "status": STATUS_LABELS[case["status"]],
        "pelapor": (reporter["full_name"] or reporter["username"]) if reporter else "",
        "instansi_pelapor": settings.get("agency_name") or "",
        "tanggal_laporan": case["reported_on"] or deadlines.today(settings).isoformat(),
        "nama": case["employee"], "nip": case["nip"] or "", "nik": case["nik"] or "",
        "jabatan": case["position"] or "", "pangkat_golongan": case["rank"] or "",
        "jenis_kepegawaian": case["employment_type"], "unit_kerja": case["unit"] or "",
        "waktu_kejadian": [_local(i["posted_at"] or i["first_seen_at"], settings) for i in items],
        "waktu_pengumpulan": [_local(i["collected_at"] or i["first_seen_at"], settings) for i in items],
        "platform": sorted({glossary.label("platform", i["platform"]) for i in items if i["platform"]}),
        "akun": sorted({f"@{i['handle']}" for i in items if i["handle"]}),
        "url": [i["url"] or i["target_url"] for i in items if i["url"] or i["target_url"]],
        "kode_pelanggaran": case["codes"],
        "pelanggaran": [VIOLATION_CODES[c].description for c in case["codes"] if c in VIOLATION_CODES],
        "rujukan_sanksi": [VIOLATION_CODES[c].sanction for c in case["codes"] if c in VIOLATION_CODES],
        "uraian": case["description"],
        "bukti": evidence,
        "ditemukan": _local(case["found_at"], settings),
        "batas_lapor": case["report_due_on"] or "",
        "tujuan_laporan": case["reported_to"] or "",
        "nomor_laporan": case["external_ref"] or "",
        "tindakan_atasan": [f"{a['acted_on']} {ACTION_KINDS.get(a['kind'], a['kind'])}" + (f": {a['note']}" if a["note"] else "")
                            for a in actions],
        "sanksi": (f"{case['sanction_level']} ({case['sanction_on']}"
                   + (f", {case['sanction_decree']}" if case["sanction_decree"] else "") + ")")
        if case["sanction_level"] else "",
        "perubahan_bukti": evidence_lines(store, case, settings),
        "peringatan_bukti": _warning_text(case_id, warning) if (warning := evidence_warning(store, case)) else "",
    }


def _flat(value) -> str:
    if isinstance(value, (list, tuple)):
        return "\n".join(str(v) for v in value)
    return "" if value is None else str(value)


def _cell(value) -> str:
    text = _flat(value)
    # Formula injection: spreadsheets run cells starting with these characters.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def export_rows(store: Store, actor: User, case_ids: Sequence[int], *, settings: Mapping) -> list[dict]:
    """One flat row per case, keyed by the Indonesian column headers."""
    result = []
    for case_id in case_ids:
        fields = report_fields(store, actor, case_id, settings=settings)
        result.append({header: _cell(fields[key]) for key, header in COLUMNS})
    return result


def csv_bytes(store: Store, actor: User, case_ids: Sequence[int], *, settings: Mapping) -> bytes:
    """The rows as UTF-8 CSV with a BOM, so Excel opens Indonesian text correctly."""
    data = export_rows(store, actor, case_ids, settings=settings)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=[h for _, h in COLUMNS])
    writer.writeheader()
    writer.writerows(data)
    return buffer.getvalue().encode("utf-8-sig")


def write_csv(store: Store, actor: User, case_ids: Sequence[int], output: Path, *, settings: Mapping) -> Path:
    write_private(output, csv_bytes(store, actor, case_ids, settings=settings))
    _audit(store, actor, case_ids, output, "csv")
    return output


#: Columns of the XLSX "Kasus" sheet that are dates or times (the rest is text as in the CSV).
_CASE_KINDS = {"tanggal_laporan": "date", "ditemukan": "time", "batas_lapor": "date", "nomor_kasus": "number"}
_CASE_NOTES = {"ditemukan": "Saat pelanggaran diketahui (awal hitungan tenggat).",
               "batas_lapor": "Batas melapor ke Bawaslu.", "uraian": "Kronologi kejadian (dokumen hukum).",
               "bukti": "Setiap bukti dengan SHA-256 data mentahnya.",
               "rujukan_sanksi": "Rujukan aturan sanksi untuk tiap kode."}
#: The "Bukti" sheet: one row per piece of evidence, times as real cells.
_ITEM_COLUMNS = (
    ("nomor_kasus", "Nomor kasus", "number", "Kasus yang memuat bukti ini."),
    ("flag_id", "Tanda", "number", "Nomor temuan di Netra."),
    ("platform", "Platform", "text", "Media sosial asal bukti."),
    ("handle", "Akun", "text", "Akun ASN."),
    ("kind", "Jenis", "text", "Kiriman, atau jenis interaksi dengan akun kampanye."),
    ("posted_at", "Waktu kejadian", "time", "Waktu kiriman diunggah atau interaksi terlihat."),
    ("collected_at", "Waktu pengumpulan", "time", "Waktu Netra menyimpan bukti."),
    ("deleted_at", "Dihapus dari platform", "time", "Waktu kiriman terlihat dihapus (bila ada)."),
    ("score", "Skor", "score", "Keyakinan model 0–1 saat ditandai; bukan bukti pelanggaran."),
    ("url", "URL", "text", "Alamat bukti di platform."),
    ("sha256", "SHA-256", "text", "Sidik data mentah yang disimpan (integritas bukti)."),
    ("text", "Teks", "text", "Isi kiriman apa adanya."),
)


def xlsx_bytes(store: Store, actor: User, case_ids: Sequence[int], *, settings: Mapping) -> bytes:
    """Sheets "Kasus" (one row per case), "Bukti" (one row per evidence item) and "Keterangan"."""
    from ..spreadsheet import Column, Sheet, workbook_bytes

    case_rows, item_rows = [], []
    for case_id in case_ids:
        fields = report_fields(store, actor, case_id, settings=settings)  # scope and blind review checked here
        case = _load(store, case_id, actor)
        case_rows.append(fields | {"ditemukan": case["found_at"], "batas_lapor": case["report_due_on"]})
        for item in rows.case_items(store, case_id):
            item_rows.append({
                "nomor_kasus": case_id, "flag_id": item["flag_id"], "platform": glossary.label("platform", item["platform"]),
                "handle": f"@{item['handle']}" if item["handle"] else "",
                "kind": "kiriman" if item["post_id"] else f"interaksi: {glossary.label('interaction', item['interaction_kind'])}",
                "posted_at": item["posted_at"] or item["first_seen_at"],
                "collected_at": item["collected_at"] or item["first_seen_at"], "deleted_at": item["deleted_at"],
                "score": item["score"], "url": item["url"] or item["target_url"],
                "sha256": item["raw_sha256"] or item["interaction_sha256"], "text": item["text"]})
    case_columns = [Column(key, header, _CASE_KINDS.get(key, "text"), _CASE_NOTES.get(key, header + "."))
                    for key, header in COLUMNS]
    item_columns = [Column(*spec) for spec in _ITEM_COLUMNS]
    return workbook_bytes([Sheet("Kasus", case_columns, case_rows), Sheet("Bukti", item_columns, item_rows)],
                          settings=settings)


def write_xlsx(store: Store, actor: User, case_ids: Sequence[int], output: Path, *, settings: Mapping) -> Path:
    write_private(output, xlsx_bytes(store, actor, case_ids, settings=settings))
    _audit(store, actor, case_ids, output, "xlsx")
    return output


def pdf_bytes(store: Store, actor: User, case_id: int, *, settings: Mapping) -> bytes:
    """The case report as a PDF (DejaVu Sans: Indonesian text and any emoji-free Unicode)."""
    from fpdf import FPDF

    fields = report_fields(store, actor, case_id, settings=settings)
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.set_title(f"Laporan kasus #{case_id}")
    pdf.set_creator("Netra")
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 14)
    pdf.multi_cell(0, 8, f"Laporan Dugaan Pelanggaran Netralitas ASN — Kasus #{case_id}",
                   new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.set_font("DejaVu", "", 8)
    pdf.multi_cell(0, 5, "Disusun dengan Netra. Tanda dari sistem adalah permintaan peninjauan, bukan putusan; "
                   "setiap keputusan diambil manusia.", new_x="LMARGIN", new_y="NEXT", align="L")
    if fields["peringatan_bukti"]:
        pdf.set_font("DejaVu", "B", 10)
        pdf.multi_cell(0, 6, _safe("PERHATIAN: " + fields["peringatan_bukti"]), new_x="LMARGIN", new_y="NEXT",
                       align="L")
    pdf.ln(2)
    for key, header in COLUMNS:
        if key in ("nomor_kasus", "uraian", "bukti"):
            continue
        value = _flat(fields[key]) or "-"
        pdf.set_font("DejaVu", "B", 9)
        pdf.cell(50, 6, header)
        pdf.set_font("DejaVu", "", 9)
        pdf.multi_cell(0, 6, _safe(value), new_x="LMARGIN", new_y="NEXT", align="L")
    for key, title in (("uraian", "Uraian kejadian (kronologis)"), ("bukti", "Daftar bukti")):
        pdf.ln(2)
        pdf.set_font("DejaVu", "B", 11)
        pdf.cell(0, 7, title, new_x="LMARGIN", new_y="NEXT", align="L")
        pdf.set_font("DejaVu", "", 9)
        value = fields[key]
        text = "\n".join(f"{n}. {v}" for n, v in enumerate(value, 1)) if isinstance(value, list) else value
        pdf.multi_cell(0, 5, _safe(text or "-"), new_x="LMARGIN", new_y="NEXT", align="L")
    return bytes(pdf.output())


def _safe(text: str) -> str:
    """Drop characters DejaVu Sans has no glyph for (emoji), which fpdf2 would refuse."""
    return "".join(ch if ord(ch) < 0x1F000 and not 0xD800 <= ord(ch) <= 0xDFFF else "□" for ch in text)


def write_pdf(store: Store, actor: User, case_id: int, output: Path, *, settings: Mapping) -> Path:
    write_private(output, pdf_bytes(store, actor, case_id, settings=settings))
    _audit(store, actor, [case_id], output, "pdf")
    return output


def export(store: Store, actor: User, case_id: int, output: Path, *, settings: Mapping) -> Path:
    """Write ``output`` in the format its suffix names (.pdf, .csv or .xlsx)."""
    suffix = output.suffix.lower()
    if suffix == ".pdf":
        return write_pdf(store, actor, case_id, output, settings=settings)
    if suffix == ".csv":
        return write_csv(store, actor, [case_id], output, settings=settings)
    if suffix == ".xlsx":
        return write_xlsx(store, actor, [case_id], output, settings=settings)
    raise CaseError(f"Format {suffix or '(tanpa akhiran)'} tidak didukung: gunakan .pdf, .csv atau .xlsx.")


def _audit(store: Store, actor: User, case_ids: Sequence[int], output: Path, fmt: str) -> None:
    with store.write():
        for case_id in case_ids:
            audit.record(store, actor.username, "case.export", f"case:{case_id}", format=fmt, file=str(output),
                         cases=len(case_ids), exported_at=datetime.now(timezone.utc).isoformat())


def record_download(store: Store, actor: User, case_id: int, fmt: str) -> None:
    """Audit a dashboard download (the button's callback; the bytes were built already)."""
    _audit(store, actor, [case_id], Path(f"kasus-{case_id}.{fmt}"), fmt)


def visible_case_ids(store: Store, actor: User, statuses: Sequence[str] | None = None) -> list[int]:
    """Ids of cases the actor may export (bulk)."""
    return [c["id"] for c in rows.list_cases(store, unit_ids=scope_of(store, actor), statuses=statuses)]
