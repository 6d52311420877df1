"""PDF reports in Bahasa Indonesia for an evidence bundle: one per employee, for a hearing file.

Post text is printed as plain text, never interpreted. DejaVu Sans covers Latin, Greek,
Cyrillic and many symbols; a character the font lacks (most emoji, Javanese script) is printed
as its code point, ``[U+1F600]``, so nothing in a post silently disappears from the report.
Without the DejaVu fonts the report falls back to the PDF core font with the same rule.
"""

from __future__ import annotations

import io
import logging
from functools import lru_cache
from datetime import tzinfo
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from .. import glossary, timefmt

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
#: One wording with the dashboard and the CLI (monitor.glossary).
DECISIONS = {**glossary.DECISIONS, "reopen": "Dibuka kembali"}
STATUSES = glossary.FLAG_STATUSES
CATEGORIES = glossary.FLAG_LABELS
_IMAGE_TYPES = {"image/png", "image/jpeg", "image/gif"}


@lru_cache(maxsize=4)
def _font_codepoints(path: Path) -> frozenset[int] | None:
    try:
        from fontTools.ttLib import TTFont

        with TTFont(str(path), lazy=True) as font:
            return frozenset(font.getBestCmap())
    except Exception:  # a missing or broken font: fall back to the core font
        return None


class _Report(FPDF):
    def __init__(self, font_dir: Path = FONT_DIR) -> None:
        super().__init__(format="A4")
        self.set_auto_page_break(auto=True, margin=15)
        self.set_margins(15, 15, 15)
        sans, bold, mono = font_dir / "DejaVuSans.ttf", font_dir / "DejaVuSans-Bold.ttf", font_dir / "DejaVuSansMono.ttf"
        self.covered = _font_codepoints(sans) if sans.exists() and bold.exists() and mono.exists() else None
        if self.covered is not None:
            self.add_font("Sans", "", str(sans))
            self.add_font("Sans", "B", str(bold))
            self.add_font("Mono", "", str(mono))
            self.sans, self.mono = "Sans", "Mono"
        else:
            self.sans, self.mono = "Helvetica", "Courier"
        self.footer_text = ""

    def clean(self, text: object) -> str:
        """Text the font can print; anything else as ``[U+XXXX]``."""
        text = "" if text is None else str(text)
        if self.covered is None:
            ok = lambda ch: ch in "\n\t" or 32 <= ord(ch) < 256 and ord(ch) not in range(127, 160)  # noqa: E731
        else:
            ok = lambda ch: ch in "\n\t" or ord(ch) in self.covered  # noqa: E731
        return "".join(ch if ok(ch) else f"[U+{ord(ch):04X}]" for ch in text)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(self.sans, size=7)
        self.cell(0, 5, self.clean(f"{self.footer_text}  Halaman {self.page_no()}/{{nb}}"), align="C")

    def heading(self, text: str, size: int = 12) -> None:
        self.set_font(self.sans, "B", size)
        self.multi_cell(0, 6, self.clean(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1)

    def para(self, text: object, size: int = 9, mono: bool = False) -> None:
        self.set_font(self.mono if mono else self.sans, size=size)
        self.multi_cell(0, 4.5, self.clean(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def field(self, label: str, value: object, mono: bool = False) -> None:
        self.set_font(self.sans, "B", 8.5)
        self.cell(45, 4.5, self.clean(label))
        self.set_font(self.mono if mono else self.sans, size=8 if mono else 8.5)
        text = self.clean("-" if value in (None, "") else value)
        if "\n" not in text and self.get_string_width(text) < self.epw - 46:
            # One line: cell() is several times faster than multi_cell's line breaking.
            self.cell(0, 4.5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        else:
            self.multi_cell(0, 4.5, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def picture(self, data: bytes) -> None:
        """An image scaled to fit the page width and at most most of a page's height."""
        from PIL import Image

        with Image.open(io.BytesIO(data)) as img:
            width_px, height_px = img.size
        width = min(120.0, self.epw)
        height = width * height_px / max(width_px, 1)
        limit = self.eph - 20
        if height > limit:
            width, height = width * limit / height, limit
        self.image(io.BytesIO(data), w=width, h=height)


def capture_line(capture: dict) -> str:
    """Provenance of one browser capture as the hearing file states it."""
    when = (capture.get("collected_at") or "-").replace("T", " ")[:19]
    return (f"ditangkap oleh {capture.get('captured_by') or '(tidak dicatat)'} dari halaman "
            f"{capture.get('page_url') or '-'} pada {when} UTC; peramban: {capture.get('user_agent') or '-'}")


def render_reports(bundle: dict, media_files: dict[str, bytes], *, created_at: str, actor: str,
                   fingerprint: str, font_dir: Path = FONT_DIR, zone: tzinfo | None = None) -> dict[str, bytes]:
    """``laporan/<NIP>.pdf`` per employee (``laporan/tanpa-pegawai.pdf`` for unregistered posts).

    Times are printed in the office's zone (``office_tz``; issue 14), the same as the case PDF.
    """
    zone = zone or timefmt.office_zone()
    employees = {e["id"]: e for e in bundle["employees"]}
    groups: dict[int | None, list[dict]] = {}
    for post in bundle["posts"]:
        groups.setdefault(post["employee_id"], []).append(post)
    reports = {}
    # fpdf2 logs every glyph a font lacks; we already print those as code points.
    logging.getLogger("fpdf").setLevel(logging.ERROR)
    for employee_id, posts in groups.items():
        employee = employees.get(employee_id)
        key = (employee["nip"] or employee["nik"] or str(employee_id)) if employee else "tanpa-pegawai"
        pdf = _render(employee, posts, media_files, created_at=created_at, actor=actor,
                      fingerprint=fingerprint, font_dir=font_dir, zone=zone)
        reports[f"laporan/{key}.pdf"] = pdf
    return reports


def _render(employee: dict | None, posts: list[dict], media_files: dict[str, bytes], *, created_at: str,
            actor: str, fingerprint: str, font_dir: Path, zone: tzinfo) -> bytes:
    def when(value: object) -> str:
        return timefmt.format_local(value, zone=zone) if isinstance(value, str) and value else "-"

    pdf = _Report(font_dir)
    pdf.footer_text = f"Bundel bukti Netra, dibuat {when(created_at)}"
    pdf.alias_nb_pages()
    pdf.add_page()
    pdf.heading("LAPORAN BUKTI DUGAAN PELANGGARAN NETRALITAS ASN", 14)
    pdf.para(f"Dibuat {when(created_at)} oleh {actor}. Laporan ini bagian dari bundel bukti yang ditandatangani "
             f"dengan kunci Ed25519 instans (sidik jari {fingerprint}); periksa keasliannya dengan "
             "`netra evidence verify`.")
    pdf.para("Tanda (flag) dari sistem adalah permintaan peninjauan oleh manusia, bukan putusan. "
             "Teks kiriman dikutip apa adanya; hash SHA-256 membuktikan kesesuaiannya dengan data mentah.")
    pdf.ln(3)
    pdf.heading("Pegawai")
    if employee:
        pdf.field("Nama", employee["name"])
        pdf.field("NIP/NIK", employee["nip"] or employee["nik"])
        pdf.field("Status kepegawaian", employee["employment_type"])
        pdf.field("Jabatan", employee["position"])
        pdf.field("Pangkat/golongan", employee["rank"])
        pdf.field("Unit kerja", f"{employee['unit'] or '-'} ({employee['unit_code'] or '-'})")
    else:
        pdf.para("Kiriman dari akun yang tidak terdaftar atas nama pegawai (mis. laporan publik).")
    pdf.field("Jumlah kiriman", len(posts))
    for n, post in enumerate(posts, 1):
        pdf.ln(4)
        pdf.heading(f"Kiriman {n} dari {len(posts)}")
        pdf.field("Platform", glossary.label("platform", post["platform"]))
        pdf.field("Akun", post["account"])
        pdf.field("URL", post["url"])
        pdf.field("ID kiriman", post["platform_post_id"])
        pdf.field("Jenis", post["kind"])
        pdf.field("Dibuat", when(post["created_at"]))
        pdf.field("Dikumpulkan", when(post["collected_at"]))
        for capture in post.get("captures", []):
            pdf.field("Tangkapan peramban", capture_line(capture))
        pdf.field("Terakhir terlihat", when(post["last_seen_at"]))
        pdf.field("Dihapus dari platform", when(post["deleted_at"]) if post["deleted_at"] else "tidak")
        pdf.field("Versi", f"{post['version']} (total {len(post['versions'])} versi tersimpan)")
        pdf.field("SHA-256 payload mentah", post["raw_sha256"], mono=True)
        pdf.field("SHA-256 teks", post["text_sha256"], mono=True)
        pdf.set_font(pdf.sans, "B", 8.5)
        pdf.cell(0, 5, "Teks kiriman:", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.para(post["text"] or "(kosong)")
        older = [v for v in post["versions"] if v["superseded_at"]]
        for v in older:
            pdf.ln(1)
            pdf.field(f"Versi {v['version']}", f"dikumpulkan {when(v['collected_at'])}, diganti {when(v['superseded_at'])}")
            pdf.field("SHA-256 mentah / teks", f"{v['raw_sha256']}\n{v['text_sha256']}", mono=True)
            pdf.para(v["text"] or "(kosong)", size=8)
        for f in post["flags"]:
            pdf.ln(2)
            pdf.heading(f"Tanda #{f['id']}: {CATEGORIES.get(f['category'], f['category'])}", 10)
            pdf.field("Skor", f"{f['score']:.3f}")
            pdf.field("Status", STATUSES.get(f["status"], f["status"]))
            pdf.field("Kode usulan sistem", f["proposed_code"])
            pdf.field("Kode terkonfirmasi", f["violation_code"])
            pdf.field("Versi model", f["model_version"])
            pdf.field("Ditandai pada", when(f["created_at"]))
            for reason in f.get("reasons") or []:
                pdf.field("Alasan penandaan", reason)
            for case in f["cases"]:
                pdf.field("Kasus", f"#{case['case_id']} ({glossary.label('case_status', case['status'])}, ditemukan {when(case['found_at'])})")
            if not f["reviews"]:
                pdf.field("Jejak peninjauan", "belum ditinjau")
            for r in f["reviews"]:
                who = r["reviewer_name"] or r["reviewer"]
                line = f"{when(r['created_at'])}: {who} ({r['reviewer']}) - {DECISIONS.get(r['decision'], r['decision'])}"
                if r["violation_code"]:
                    line += f", kode {r['violation_code']}"
                if r["note"]:
                    line += f". Catatan: {r['note']}"
                pdf.field("Peninjauan", line)
        for match in post.get("claim_matches") or []:
            stance = "membantah" if match.get("stance") == "debunks" else "mengulang"
            pdf.field("Klaim hoaks terkait", f"{match.get('title') or match.get('claim_text') or '-'} "
                      f"({stance}; kemiripan {match.get('similarity', 0):.2f}; {match.get('verdict') or '-'}; "
                      f"{match.get('url') or '-'})")
        for m in post["media"]:
            pdf.ln(2)
            label = "Tangkapan layar" if m["kind"] == "screenshot" else "Media"
            if m["origin"] == "upload":
                label += " (unggahan pelapor)"
            if m["failure"]:
                pdf.field(label, f"gagal direkam {when(m['captured_at'])}: {m['failure']} ({m['source_url'] or '-'})")
                continue
            pdf.field(label, f"direkam {when(m['captured_at'])} dari {m['source_url'] or '-'}")
            pdf.field("SHA-256", m["sha256"], mono=True)
            if m.get("ocr_text"):
                pdf.field("Teks dalam gambar (OCR)", m["ocr_text"])
            if m.get("group_id"):
                pdf.field("Grup salinan", f"#{m['group_id']} (gambar yang sama dibagikan beberapa kiriman)")
            data = media_files.get(m["file"] or "")
            if data is None:
                pdf.field("Berkas", m.get("problem") or "tidak tersedia")
            elif (m["content_type"] or "") in _IMAGE_TYPES:
                try:
                    pdf.picture(data)
                except Exception as exc:  # a corrupt image must not stop the whole report
                    pdf.field("Berkas", f"gambar tidak dapat ditampilkan ({exc.__class__.__name__}); lihat {m['file']}")
            else:
                pdf.field("Berkas", m["file"])
    return bytes(pdf.output())
