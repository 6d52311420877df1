"""Batch classification of files: JSONL or CSV with a ``text`` column and an optional ``id``.

Bad rows are reported by line and skipped; they never stop the run. Output is JSONL, one
object per good row: ``id``, ``scores``, ``flags``, ``codes``, ``explanation`` (and ``penjelasan``
when an ``explain`` function is given).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator, TextIO

from . import rows
from .model import NeutralityModel

BATCH = 1_000


@dataclass
class BatchReport:
    rows: int = 0
    classified: int = 0
    flagged: dict[str, int] = field(default_factory=dict)
    skipped: list[tuple[int, str]] = field(default_factory=list)


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
        row_id = row.get("id")
        yield line, str(row_id) if row_id not in (None, "") else str(line), text, None


def classify_file(model: NeutralityModel, path: str | Path, out: TextIO, *,
                  progress: Callable[[int], None] | None = None,
                  explain: Callable[[str, Any], Any] | None = None) -> BatchReport:
    """Classify every good row of ``path`` into JSONL on ``out``.

    ``explain(text, prediction)``, when given, adds a ``penjelasan`` field: what a reviewer
    reads (monitor passes classifiers.explain with its violation codes); the other fields stay.
    """
    path = Path(path)
    if not path.is_file():
        raise ValueError(f"berkas {path} tidak ditemukan")
    report = BatchReport()
    pending: list[tuple[str, str]] = []

    def flush() -> None:
        for (row_id, text), prediction in zip(pending, model.predict([t for _, t in pending])):
            record = {"id": row_id, "scores": prediction.scores, "flags": prediction.flags,
                      "codes": prediction.codes, "explanation": prediction.explanation}
            if explain is not None:
                record["penjelasan"] = explain(text, prediction)
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            for label in prediction.flags:
                report.flagged[label] = report.flagged.get(label, 0) + 1
        report.classified += len(pending)
        if progress:
            progress(len(pending))
        pending.clear()

    for line, row_id, text, error in read_rows(path):
        report.rows += 1
        if error:
            report.skipped.append((line, error))
            continue
        pending.append((row_id, text))  # type: ignore[arg-type]
        if len(pending) >= BATCH:
            flush()
    if pending:
        flush()
    return report
