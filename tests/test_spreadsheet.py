"""Every XLSX export through one writer: real dates, rounded scores, widths, frozen filtered header,
one sheet per table and a "Keterangan" sheet (issue 14). Files are opened with openpyxl."""

from __future__ import annotations

import io
from datetime import date, datetime

import openpyxl
import pytest

from monitor.flagging import review
from monitor.spreadsheet import Column, Sheet, workbook_bytes
from monitor.store.review import FlagQuery


def _open(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data))


def _check_table_sheet(sheet) -> None:
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == sheet.dimensions
    widths = [sheet.column_dimensions[c.column_letter].width for c in sheet[1]]
    assert all(8 <= w <= 60 for w in widths) and len(set(widths)) > 1


def test_writer_makes_real_cells_and_explains_columns():
    columns = [Column("when", "Waktu kiriman", "time", "Saat diunggah."), Column("day", "Batas", "date"),
               Column("score", "Skor", "score", "Keyakinan model."), Column("text", "Teks", "text", "Isi.")]
    rows = [{"when": "2026-12-02T05:39:36.517240Z", "day": "2026-12-09", "score": 0.9994000196456909,
             "text": "=HYPERLINK(\"http://x\")"},
            {"when": None, "day": "", "score": None, "text": "biasa saja, teks yang cukup panjang untuk lebar"}]
    book = _open(workbook_bytes([Sheet("Temuan", columns, rows)], settings={"office_tz": "WITA"}))
    assert book.sheetnames == ["Temuan", "Keterangan"]
    sheet = book["Temuan"]
    assert [c.value for c in sheet[1]] == ["Waktu kiriman (WITA)", "Batas", "Skor", "Teks"]
    when, day, score, text = (c for c in sheet[2])
    assert when.value == datetime(2026, 12, 2, 13, 39, 36) and when.number_format == "DD-MM-YYYY HH:MM"
    assert day.value == datetime(2026, 12, 9) and day.number_format == "DD-MM-YYYY"
    assert score.value == 0.999 and score.number_format == "0.000"
    assert text.value == "'=HYPERLINK(\"http://x\")" and text.data_type == "s"
    assert [c.value for c in sheet[3]][:3] == [None, None, None]
    _check_table_sheet(sheet)
    notes = book["Keterangan"]
    explained = {(r[0], r[1]): r[3] for r in notes.iter_rows(min_row=2, values_only=True)}
    assert explained[("Temuan", "Skor")] == "Keyakinan model."
    assert explained[("Temuan", "Waktu kiriman (WITA)")] == "Saat diunggah."
    assert notes.freeze_panes == "A2"


@pytest.fixture
def review_world(store, tmp_path):
    from test_review import build_world

    return build_world(store, tmp_path)


def test_flag_export_uses_the_writer_and_csv_says_utc(store, review_world):
    table = review.export_rows(store, review_world["users"]["auditor"], FlagQuery(statuses=()))
    csv_text = review.rows_to_csv(table).decode("utf-8-sig")
    assert "Waktu kiriman (UTC)" in csv_text.splitlines()[0]
    assert "partisan" not in csv_text.splitlines()[1] and "Keberpihakan" in csv_text
    book = _open(review.rows_to_xlsx(table, settings={"office_tz": "WIB"}))
    assert book.sheetnames == ["Temuan", "Keterangan"]
    sheet = book["Temuan"]
    headers = [c.value for c in sheet[1]]
    assert "Waktu kiriman (WIB)" in headers and "Skor" in headers
    times = [r[headers.index("Waktu kiriman (WIB)")] for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert times and all(isinstance(t, datetime) for t in times if t is not None)
    scores = [r[headers.index("Skor")] for r in sheet.iter_rows(min_row=2, values_only=True) if r[headers.index("Skor")]]
    assert scores and all(round(s, 3) == s for s in scores)
    _check_table_sheet(sheet)


@pytest.fixture
def case_world(store, tmp_path):
    from test_cases import build_world

    return build_world(store, tmp_path)


def test_case_export_has_a_case_sheet_an_evidence_sheet_and_notes(store, case_world, tmp_path):
    from monitor.cases import export as case_export, workflow as cases
    from test_cases import NOW, SETTINGS

    users = case_world["users"]
    case_id = cases.open_case(store, users["analis1"], case_world["flags"][:2], settings=SETTINGS, now=NOW)
    output = case_export.write_xlsx(store, users["auditor"], [case_id], tmp_path / "k.xlsx",
                                    settings=SETTINGS | {"office_tz": "WIB"})
    book = openpyxl.load_workbook(output)
    assert book.sheetnames == ["Kasus", "Bukti", "Keterangan"]
    cases_sheet, items = book["Kasus"], book["Bukti"]
    headers = [c.value for c in cases_sheet[1]]
    found = cases_sheet.cell(2, headers.index("Pelanggaran diketahui (WIB)") + 1)
    assert found.value == datetime(2024, 10, 4, 9, 0) and found.number_format == "DD-MM-YYYY HH:MM"
    due = cases_sheet.cell(2, headers.index("Batas lapor Bawaslu") + 1).value
    assert due == datetime.combine(date(2024, 10, 11), datetime.min.time())
    item_headers = [c.value for c in items[1]]
    assert items.max_row == 3  # two flags, two evidence rows
    posted = [r[item_headers.index("Waktu kejadian (WIB)")] for r in items.iter_rows(min_row=2, values_only=True)]
    assert all(isinstance(p, datetime) for p in posted)
    for sheet in (cases_sheet, items):
        _check_table_sheet(sheet)
    # Stored keys read as words (glossary): platform names, statuses, interactions.
    from monitor import glossary

    assert {r[item_headers.index("Platform")] for r in items.iter_rows(min_row=2, values_only=True)} == {"X"}
    everything = " ".join(str(v) for sheet in (cases_sheet, items) for r in sheet.iter_rows(values_only=True)
                          for v in r if v is not None)
    assert glossary.find_internal_keys(everything) == []
