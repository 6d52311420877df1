"""The evidence PDF speaks like the rest of Netra (issue 14): office-zone times, glossary labels,
and the reviewer's explanation of each flag with its code and sanction range."""

from __future__ import annotations

import json
import re
import zlib

from evidence_data import ANI
from monitor.cases.codes import VIOLATION_CODES
from monitor.evidence import bundle as evidence
from monitor.evidence.pdf import render_reports
from test_evidence import data, key_dir, members  # noqa: F401  (fixtures)


def _pdf_text(pdf: bytes) -> str:
    """Literal strings of every (Flate) content stream: the core font writes text as (…) Tj."""
    chunks = []
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            chunks.append(zlib.decompress(match.group(1)).decode("latin-1"))
        except zlib.error:
            chunks.append(match.group(1).decode("latin-1"))
    return "".join(chunks)


def test_manifest_and_pdf_carry_reasons_and_office_times(store, data, tmp_path, key_dir):  # noqa: F811
    path = tmp_path / "b.zip"
    evidence.export_bundle(store, actor="a", output=path, employee_nip=ANI, key_dir=key_dir)
    manifest = json.loads(members(path)["manifest.json"])
    flags = [f for p in manifest["posts"] for f in p["flags"]]
    n1 = next(f for f in flags if f["proposed_code"] == "N1")
    assert any(VIOLATION_CODES["N1"].description in line and VIOLATION_CODES["N1"].sanction in line
               for line in n1["reasons"])
    reports = render_reports(manifest, {}, created_at="2024-10-01T00:00:00Z", actor="a", fingerprint="ab" * 32,
                             font_dir=tmp_path / "tidak-ada")
    text = _pdf_text(reports[f"laporan/{ANI}.pdf"])
    assert "01-10-2024 07:00 WIB" in text                 # created_at, in the office's zone
    assert "2024-10-01T08:00:00Z" not in text             # the post's own time is not UTC ISO either
    assert "01-10-2024 15:00 WIB" in text
    assert "Alasan penandaan" in text and "Keberpihakan" in text
    assert "(UTC)" not in text
