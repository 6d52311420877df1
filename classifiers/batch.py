"""Batch classification of files: JSONL or CSV with a ``text`` column and an optional ``id``.

Bad rows are reported by line and skipped; they never stop the run. Output is JSONL, one
object per good row: ``id``, ``scores``, ``flags``, ``codes``, ``explanation``.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator, TextIO

from .model import NeutralityModel

BATCH = 1_000


@dataclass
class BatchReport:
    rows: int = 0
    classified: int = 0
    flagged: dict[str, int] = field(default_factory=dict)
    skipped: list[tuple[int, str]] = field(default_factory=list)


def read_rows(path: Path) -> Iterator[tuple[int, str | None, str | None, str | None]]:
    """(line, id, text, error) for each row."""
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        with path.open(encoding="utf-8") as handle:
            for line, raw in enumerate(handle, start=1):
                if not raw.strip():
                    continue
                try:
                    row = json.loads(raw)
                except json.JSONDecodeError as exc:
                    yield line, None, None, f"JSON tidak valid: {exc.msg}"
                    continue
                if not isinstance(row, dict) or not isinstance(row.get("text"), str) or not row["text"].strip():
                    yield line, None, None, "kolom text tidak ada atau kosong"
                    continue
                yield line, str(row.get("id", line)), row["text"], None
    elif suffix == ".csv":
        reader = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline=""))
        if "text" not in (reader.fieldnames or []):
            raise ValueError("berkas CSV harus memiliki kolom text")
        previous = reader.line_num
        for row in reader:
            line, previous = previous + 1, reader.line_num
            text = row.get("text")
            if None in row:
                yield line, None, None, "jumlah kolom lebih banyak dari tajuk"
            elif not text or not text.strip():
                yield line, None, None, "kolom text kosong"
            else:
                yield line, row.get("id") or str(line), text, None
    else:
        raise ValueError(f"format {suffix or '(tanpa ekstensi)'} tidak didukung; gunakan JSONL atau CSV")


def classify_file(model: NeutralityModel, path: str | Path, out: TextIO, *,
                  progress: Callable[[int], None] | None = None) -> BatchReport:
    path = Path(path)
    if not path.is_file():
        raise ValueError(f"berkas {path} tidak ditemukan")
    report = BatchReport()
    pending: list[tuple[str, str]] = []

    def flush() -> None:
        for (row_id, _), prediction in zip(pending, model.predict([t for _, t in pending])):
            out.write(json.dumps({"id": row_id, "scores": prediction.scores, "flags": prediction.flags,
                                  "codes": prediction.codes, "explanation": prediction.explanation},
                                 ensure_ascii=False) + "\n")
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
