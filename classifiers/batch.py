"""Batch classification of files: JSONL or CSV with a ``text`` and/or ``image`` column and an
optional ``id``.

``image`` is a picture's path relative to the input file (it must stay inside that folder);
its words are read by OCR (``classifiers.ocr``) and scored with the text (``classifiers.pictures``).
Bad rows are reported by line and skipped; they never stop the run. A row whose picture cannot
be read but that has text is classified on its text, and the picture's problem is reported.
Output is JSONL, one object per good row: ``id``, ``scores``, ``flags``, ``codes``,
``explanation`` (and ``penjelasan`` when an ``explain`` function is given), and for rows with a
picture ``image``, ``ocr_text`` and ``ocr_scores``.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator, TextIO

from . import ocr as ocr_engine
from . import pictures, rows
from .model import NeutralityModel

BATCH = 1_000


@dataclass
class BatchReport:
    rows: int = 0
    classified: int = 0
    flagged: dict[str, int] = field(default_factory=dict)
    skipped: list[tuple[int, str]] = field(default_factory=list)
    images: int = 0
    image_errors: list[tuple[int, str]] = field(default_factory=list)  # text still classified


@dataclass
class BatchRow:
    line: int
    id: str
    text: str
    image: str | None = None
    ocr_text: str | None = None
    image_error: str | None = None


def read_rows(path: Path) -> Iterator[tuple[int, str | None, str | None, str | None]]:
    """(line, id, text, error) for each row of a JSONL or CSV file with a ``text`` column."""
    for line, row, error in rows.read_rows(path, formats=("jsonl", "csv"), required_columns=("text",)):
        if error is not None or row is None:
            yield line, None, None, error
            continue
        text = row.get("text")
        if not isinstance(text, str) or not text.strip():
            yield line, None, None, "kolom text tidak ada atau kosong"
            continue
        yield line, _row_id(row, line), text, None


def _row_id(row: dict, line: int) -> str:
    row_id = row.get("id")
    return str(row_id) if row_id not in (None, "") else str(line)


def _header_has_text_or_image(path: Path) -> None:
    if path.suffix.lower() == ".csv":
        header = path.read_text(encoding="utf-8-sig").splitlines()[:1]
        names = {c.strip() for c in next(csv.reader(header))} if header else set()
        if not names & {"text", "image"}:
            raise ValueError("berkas CSV harus memiliki kolom text atau image")


def image_path(base: Path, value: str) -> Path:
    """The picture a row names, relative to the input file's folder; ValueError outside it."""
    folder = base.parent.resolve()
    candidate = (folder / value).resolve()
    if not candidate.is_relative_to(folder):
        raise ValueError(f"path gambar {value!r} di luar folder berkas masukan")
    return candidate


def read_picture_rows(path: Path) -> Iterator[tuple[int, BatchRow | None, str | None]]:
    """(line, row, error) for rows with ``text``, ``image`` or both (no OCR yet)."""
    _header_has_text_or_image(path)
    for line, row, error in rows.read_rows(path, formats=("jsonl", "csv")):
        if error is not None or row is None:
            yield line, None, error
            continue
        text, image = row.get("text"), row.get("image")
        text = text if isinstance(text, str) and text.strip() else ""
        image = image.strip() if isinstance(image, str) and image.strip() else None
        if not text and image is None:
            yield line, None, "kolom text atau image tidak ada atau kosong"
            continue
        yield line, BatchRow(line, _row_id(row, line), text, image), None


def classify_file(model: NeutralityModel, path: str | Path, out: TextIO, *,
                  progress: Callable[[int], None] | None = None,
                  explain: Callable[[str, Any], Any] | None = None,
                  ocr: ocr_engine.OcrEngine | None = None) -> BatchReport:
    """Classify every good row of ``path`` into JSONL on ``out``.

    ``explain(text, prediction)``, when given, adds a ``penjelasan`` field: what a reviewer
    reads (monitor passes classifiers.explain with its violation codes); the other fields stay.
    """
    path = Path(path)
    if not path.is_file():
        raise ValueError(f"berkas {path} tidak ditemukan")
    report = BatchReport()
    pending: list[BatchRow] = []

    def flush() -> None:
        predictions = pictures.predict(model, [(r.text, r.ocr_text) for r in pending])
        with_ocr = [r for r in pending if r.ocr_text]
        alone = dict(zip((r.line for r in with_ocr), pictures.picture_scores(model, [r.ocr_text for r in with_ocr])))
        for row, prediction in zip(pending, predictions):
            record = {"id": row.id, "scores": prediction.scores, "flags": prediction.flags,
                      "codes": prediction.codes, "explanation": prediction.explanation}
            if explain is not None:
                record["penjelasan"] = explain(" ".join(t for t in (row.text, row.ocr_text) if t), prediction)
            if row.image is not None:
                record |= {"image": row.image, "ocr_text": row.ocr_text or "", "ocr_scores": alone.get(row.line)}
                if row.image_error:
                    record["image_error"] = row.image_error
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            for label in prediction.flags:
                report.flagged[label] = report.flagged.get(label, 0) + 1
        report.classified += len(pending)
        if progress:
            progress(len(pending))
        pending.clear()

    for line, row, error in read_picture_rows(path):
        report.rows += 1
        if error or row is None:
            report.skipped.append((line, error or "baris tidak dapat dibaca"))
            continue
        if row.image is not None:
            problem = _read_picture(path, row, ocr)
            if problem and not row.text:
                report.skipped.append((line, problem))
                continue
            if problem:
                row.image_error = problem
                report.image_errors.append((line, problem))
            else:
                report.images += 1
        pending.append(row)
        if len(pending) >= BATCH:
            flush()
    if pending:
        flush()
    return report


def _read_picture(path: Path, row: BatchRow, ocr: ocr_engine.OcrEngine | None) -> str | None:
    """Fill ``row.ocr_text``; the reason when the picture cannot be read."""
    try:
        target = image_path(path, row.image or "")
    except ValueError as exc:
        return str(exc)
    result = ocr_engine.read_file(target, ocr=ocr)
    if result.error:
        return result.error
    row.ocr_text = result.result.text if result.result else ""
    return None
