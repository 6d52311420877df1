"""The one XLSX writer every export uses: real dates, rounded scores, widths, filters (issue 14).

Auditors work in Excel. Each table becomes a sheet with a frozen, filtered header row and
readable column widths; times are real datetime cells in the office's zone (the header names
the zone), scores are numbers rounded to 3 decimals, and a "Keterangan" sheet explains every
column. Text cells that a spreadsheet would run as a formula are prefixed with an apostrophe.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from typing import Any, Iterable, Literal, Mapping, Sequence

from . import timefmt

Kind = Literal["text", "time", "date", "score", "number"]

TIME_FORMAT = "DD-MM-YYYY HH:MM"
DATE_FORMAT = "DD-MM-YYYY"
SCORE_FORMAT = "0.000"
MIN_WIDTH, MAX_WIDTH = 8, 60
NOTES_SHEET = "Keterangan"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    """One column: the row key it reads, its Bahasa header, its kind and what it means."""

    key: str
    header: str
    kind: Kind = "text"
    description: str = ""


@dataclass
class Sheet:
    """One table: a title (max 31 characters, Excel's limit), its columns and row dicts."""

    title: str
    columns: Sequence[Column]
    rows: Iterable[Mapping[str, Any]] = field(default_factory=list)


def safe_text(value: Any) -> str:
    """A value as cell text; lists one per line; a would-be formula kept as text."""
    if isinstance(value, (list, tuple)):
        value = "\n".join(str(v) for v in value)
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in _FORMULA_START else text


def header_of(column: Column, zone: tzinfo) -> str:
    """The header a person reads: times say their zone ("Waktu kiriman (WIB)")."""
    if column.kind == "time":
        return f"{column.header} ({timefmt.zone_name(zone, datetime.now(zone))})"
    return column.header


def cell_value(column: Column, value: Any, zone: tzinfo) -> Any:
    """The cell for one value: naive local datetime / date, rounded float, or safe text."""
    if value is None or value == "":
        return None
    if column.kind == "time":
        try:
            # Excel keeps milliseconds at best; people read minutes. The exact value stays in the CSV.
            return timefmt.parse_utc(value).astimezone(zone).replace(tzinfo=None, microsecond=0)
        except (TypeError, ValueError):
            return safe_text(value)
    if column.kind == "date":
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value)[:10])
        except ValueError:
            return safe_text(value)
    if column.kind in ("score", "number"):
        try:
            number = float(value)
        except (TypeError, ValueError):
            return safe_text(value)
        return round(number, 3) if column.kind == "score" else (int(number) if number.is_integer() else number)
    return safe_text(value)


_FORMATS = {"time": TIME_FORMAT, "date": DATE_FORMAT, "score": SCORE_FORMAT}


def _width(values: list[Any]) -> float:
    longest = 0
    for value in values:
        if isinstance(value, datetime):
            length = 16
        elif isinstance(value, date):
            length = 10
        else:
            length = max((len(line) for line in str(value or "").splitlines()), default=0)
        longest = max(longest, length)
    return float(min(MAX_WIDTH, max(MIN_WIDTH, longest + 2)))


def workbook_bytes(sheets: Sequence[Sheet], *, settings: Mapping[str, Any] | None = None,
                   zone: tzinfo | None = None, notes: bool = True) -> bytes:
    """The XLSX file for ``sheets`` (plus "Keterangan" unless ``notes`` is False), as bytes."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    zone = zone or timefmt.office_zone(settings)
    book = Workbook()
    book.remove(book.active)
    for spec in sheets:
        sheet = book.create_sheet(spec.title[:31])
        headers = [header_of(c, zone) for c in spec.columns]
        sheet.append(headers)
        columns_seen: list[list[Any]] = [[h] for h in headers]
        for row in spec.rows:
            values = [cell_value(c, row.get(c.key), zone) for c in spec.columns]
            sheet.append(values)
            for seen, value in zip(columns_seen, values):
                seen.append(value)
        for index, column in enumerate(spec.columns, start=1):
            letter = get_column_letter(index)
            sheet.column_dimensions[letter].width = _width(columns_seen[index - 1])
            number_format = _FORMATS.get(column.kind)
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                if number_format and not isinstance(cell.value, str):
                    cell.number_format = number_format
                if isinstance(cell.value, str) and "\n" in cell.value:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = sheet.dimensions
    if notes:
        _notes_sheet(book, sheets, zone)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


_KIND_NOTES = {"time": "tanggal dan jam zona kantor", "date": "tanggal", "score": "angka 0–1, tiga desimal",
               "number": "angka", "text": "teks"}


def _notes_sheet(book, sheets: Sequence[Sheet], zone: tzinfo) -> None:
    """Every sheet's columns: header, kind and meaning, so an auditor needs no other document."""
    from openpyxl.styles import Font

    sheet = book.create_sheet(NOTES_SHEET)
    sheet.append(["Lembar", "Kolom", "Jenis isi", "Keterangan"])
    for spec in sheets:
        for column in spec.columns:
            sheet.append([spec.title[:31], header_of(column, zone), _KIND_NOTES[column.kind], column.description])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCD", (14, 32, 26, 80)):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
