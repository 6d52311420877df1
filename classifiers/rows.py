"""Row readers for user files (JSONL, CSV, XLSX), shared by batch classification and post import.

Each yields ``(line, row, error)``: the 1-based line (or spreadsheet row) a record starts on,
the record as a dict (None when unusable) and the reason in Bahasa Indonesia. A bad row is
reported, never fatal, so one broken line does not cost the rest of a file. Lives in
``classifiers`` because ``monitor`` may import ``classifiers`` but not the other way round.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any, Iterator, Sequence

Row = tuple[int, dict[str, Any] | None, str | None]

_NAMES = {"jsonl": "JSONL", "csv": "CSV", "xlsx": "XLSX"}
NOT_UTF8 = "baris memuat byte yang bukan UTF-8 (simpan berkas sebagai UTF-8)"
_SUFFIXES = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".xlsx": "xlsx"}


def read_rows(path: str | Path, *, formats: Sequence[str] = ("jsonl", "csv", "xlsx"),
              required_columns: Sequence[str] = ()) -> Iterator[Row]:
    """Rows of a file chosen by suffix. ValueError (before any row) for an unsupported format or
    a CSV/XLSX header lacking ``required_columns``."""
    path = Path(path)
    kind = _SUFFIXES.get(path.suffix.lower())
    if kind not in formats:
        names = [_NAMES[f] for f in formats]
        allowed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " atau " + names[-1]
        raise ValueError(f"format {path.suffix or '(tanpa ekstensi)'} tidak didukung; gunakan {allowed}")
    if kind == "jsonl":
        return _jsonl_rows(path)
    if kind == "csv":
        return _csv_rows(path, required_columns)
    return _xlsx_rows(path, required_columns)


def utf16_text(raw: bytes) -> str | None:
    """The text of a UTF-16 file (Excel's "Unicode text", Windows tools), or None if it is not.

    Detected by its byte-order mark, or without one by the NUL byte in every other position
    that ASCII-range UTF-16 has; read as UTF-8 such a file yields one column named with NULs
    and "kolom ... tidak ditemukan" (issue 15, item 12).
    """
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    sample = raw[:4096]
    if len(sample) >= 4:
        even, odd = sample[0::2], sample[1::2]
        for zeros, encoding in ((odd, "utf-16-le"), (even, "utf-16-be")):
            if zeros.count(0) >= 0.9 * len(zeros) and (even if zeros is odd else odd).count(0) < 0.1 * len(zeros):
                try:
                    return raw.decode(encoding)
                except UnicodeDecodeError:
                    return None
    return None


def decode_lenient(raw: bytes) -> str:
    """UTF-16 when detected, else UTF-8 (BOM dropped) with each invalid byte kept as a lone
    surrogate, so the row holding it can be reported and the rest of the file still read."""
    text = utf16_text(raw)
    if text is not None:
        return text.removeprefix("\ufeff")
    return raw.decode("utf-8", errors="surrogateescape").removeprefix("\ufeff")


def has_bad_bytes(value: Any) -> bool:
    """True if a decoded value still holds an undecodable byte (see ``decode_lenient``)."""
    if isinstance(value, str):
        return any("\udc80" <= ch <= "\udcff" for ch in value)
    if isinstance(value, dict):
        return any(has_bad_bytes(k) or has_bad_bytes(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return any(has_bad_bytes(v) for v in value)
    return False


def _missing(header: Sequence[str], required: Sequence[str], kind: str) -> None:
    absent = [c for c in required if c not in header]
    if absent:
        raise ValueError(f"berkas {kind} harus memiliki kolom {', '.join(absent)}")


def _jsonl_rows(path: Path) -> Iterator[Row]:
    with io.StringIO(decode_lenient(path.read_bytes()), newline=None) as handle:
        for line, text in enumerate(handle, start=1):
            if not text.strip():
                continue
            if has_bad_bytes(text):
                yield line, None, NOT_UTF8
                continue
            try:
                row = json.loads(text)
            except json.JSONDecodeError as exc:
                yield line, None, f"JSON tidak valid: {exc.msg}"
                continue
            if not isinstance(row, dict):
                yield line, None, "baris JSON harus berupa objek"
                continue
            yield line, row, None


def _csv_rows(path: Path, required: Sequence[str]) -> Iterator[Row]:
    reader = csv.DictReader(io.StringIO(decode_lenient(path.read_bytes()), newline=""))
    _missing(reader.fieldnames or [], required, "CSV")
    previous_end = reader.line_num
    for row in reader:
        start, previous_end = previous_end + 1, reader.line_num
        if has_bad_bytes(row):
            yield start, None, NOT_UTF8
            continue
        if None in row:
            yield start, None, "jumlah kolom lebih banyak dari tajuk"
            continue
        yield start, dict(row), None


def _xlsx_rows(path: Path, required: Sequence[str]) -> Iterator[Row]:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        header = [str(h or "").strip() for h in next(rows, [])]
        _missing(header, required, "XLSX")
        for line, cells in enumerate(rows, start=2):
            if any(c not in (None, "") for c in cells):
                yield line, dict(zip(header, cells)), None
    finally:
        workbook.close()
