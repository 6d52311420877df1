"""File import: posts exported by social-listening tools, or Netra's own JSONL.

A pure ``map_item(raw, mapping)`` turns one row into a :class:`PostRecord`; the column mapping
says which source column holds each field, so an office can import another tool's export
without editing code. Bad rows are reported by line number with the reason; the rest import.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator, Mapping

from classifiers.rows import read_rows

from ..people.handles import PLATFORMS, normalize_handle
from ..store import PostRecord, Store
from ..store import people
from ..store.posts import refresh_search_index, upsert_posts

#: Netra's own field names; a mapping renames source columns onto these.
DEFAULT_MAPPING: dict[str, str] = {
    "platform": "platform",
    "account": "account",
    "post_id": "post_id",
    "url": "url",
    "text": "text",
    "created_at": "created_at",
    "kind": "kind",
    "original_author": "original_author",
    "lang": "lang",
    "media": "media",
}

BATCH = 1_000


def parse_time(value: Any) -> str | None:
    """Any ISO 8601 time (or epoch seconds) as UTC ``YYYY-MM-DDTHH:MM:SSZ``; naive means UTC."""
    if value in (None, ""):
        return None
    if isinstance(value, (int, float)):
        moment = datetime.fromtimestamp(float(value), tz=timezone.utc)
    else:
        text = str(value).strip().replace("Z", "+00:00")
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            raise ValueError(f"waktu {value!r} bukan format ISO 8601") from None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def map_item(raw: Mapping[str, Any], mapping: Mapping[str, str] | None = None, *,
             platform: str | None = None) -> PostRecord:
    """One source row to a PostRecord; raises ValueError (Indonesian) for a row that cannot be used."""
    columns = {**DEFAULT_MAPPING, **(mapping or {})}
    get = lambda f: raw.get(columns[f])  # noqa: E731
    plat = str(get("platform") or platform or "").strip().lower()
    if plat not in PLATFORMS:
        raise ValueError(f"platform {plat!r} tidak dikenal")
    post_id = str(get("post_id") or "").strip()
    if not post_id:
        raise ValueError("id kiriman kosong")
    text = get("text")
    if text is None:
        raise ValueError("teks kiriman tidak ada")
    account = get("account")
    media = get("media") or []
    if isinstance(media, str):
        media = [m for m in media.split() if m]
    return PostRecord(
        platform=plat, post_id=post_id, text=str(text), raw=dict(raw),
        url=get("url") or None, created_at=parse_time(get("created_at")),
        kind=str(get("kind") or "post").lower(), original_author=get("original_author") or None,
        lang=get("lang") or None, media=list(media),
        account_handle=normalize_handle(plat, account) if account else None,
    )


def _rows(path: Path) -> Iterator[tuple[int, dict[str, Any] | None, str | None]]:
    """(line, row, error) for each data row of a JSONL, CSV or XLSX file (shared reader)."""
    return read_rows(path, formats=("jsonl", "csv", "xlsx"))


@dataclass
class FileImportReport:
    rows: int = 0
    new: int = 0
    edited: int = 0
    unchanged: int = 0
    unlinked: int = 0  # posts whose account is not in the registry
    skipped: list[tuple[int, str]] = field(default_factory=list)
    new_ids: list[int] = field(default_factory=list)


def import_posts(store: Store, path: str | Path, *, mapping: Mapping[str, str] | None = None,
                 platform: str | None = None, progress=None) -> FileImportReport:
    """Import a file in batches; each batch is one transaction. Returns the row report."""
    path = Path(path)
    if not path.is_file():
        raise ValueError(f"berkas {path} tidak ditemukan")
    report = FileImportReport()
    accounts = people.account_ids_by_handle(store)
    batch: list[PostRecord] = []

    def flush() -> None:
        result = upsert_posts(store, batch, account_ids=accounts)
        report.new += len(result.new_ids)
        report.new_ids += result.new_ids
        report.edited += len(result.edited_ids)
        report.unchanged += result.unchanged
        if progress:
            progress(len(batch))
        batch.clear()

    for line, row, error in _rows(path):
        report.rows += 1
        if error is None:
            try:
                record = map_item(row, mapping, platform=platform)  # type: ignore[arg-type]
            except ValueError as exc:
                error = str(exc)
        if error is not None:
            report.skipped.append((line, error))
            continue
        if (record.platform, record.account_handle) not in accounts:
            report.unlinked += 1
        batch.append(record)
        if len(batch) >= BATCH:
            flush()
    if batch:
        flush()
    refresh_search_index(store)
    return report
