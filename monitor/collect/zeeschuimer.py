"""Zeeschuimer capture files: NDJSON, one captured item per line, dispatched by ``source_platform``.

Each line is ``{nav_index, item_id, source_platform, source_platform_url, source_url,
user_agent, timestamp_collected, last_updated, data}`` where ``data`` is the platform's own
object. The reader never stops at a bad line: it yields ``(line, item, error)`` so the import
reports exactly which lines were skipped and keeps everything else.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Callable, Iterable, Iterator

from . import facebook, instagram, threads, tiktok, x_web
from .captured import CaptureMeta, Comment, PostRecord

Mapper = Callable[[dict, CaptureMeta], "PostRecord | Comment"]

#: ``source_platform`` (Zeeschuimer's module id) -> (Netra platform, mapper).
MAPPERS: dict[str, tuple[str, Mapper]] = {
    "instagram.com": ("instagram", instagram.map_item),
    "tiktok.com": ("tiktok", tiktok.map_item),
    "tiktok-comments": ("tiktok", tiktok.map_comment),
    "twitter.com": ("x", x_web.map_item),
    "x.com": ("x", x_web.map_item),
    "threads.net": ("threads", threads.map_item),
    "threads.com": ("threads", threads.map_item),
    "facebook.com": ("facebook", facebook.map_item),
}

#: Netra platforms that arrive only through browser captures (collector health watches them).
CAPTURED_PLATFORMS = ("instagram", "tiktok", "facebook", "threads")


@dataclass
class CaptureItem:
    line: int
    meta: CaptureMeta
    data: dict
    text: str  # the line exactly as captured: stored and hashed as the raw payload


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def parse_line(number: int, text: str) -> CaptureItem:
    """One NDJSON line to a :class:`CaptureItem`; ValueError (Bahasa Indonesia) when unusable."""
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"bukan JSON yang sah ({exc.msg}, kolom {exc.colno})") from None
    if not isinstance(obj, dict):
        raise ValueError("baris harus berupa objek JSON")
    platform = str(obj.get("source_platform") or "").strip().lower()
    if not platform:
        raise ValueError("tidak ada 'source_platform'")
    if platform not in MAPPERS:
        raise ValueError(f"platform tangkapan {platform!r} tidak didukung")
    data = obj.get("data")
    if not isinstance(data, dict):
        raise ValueError("'data' tidak ada atau bukan objek")
    meta = CaptureMeta(
        source_platform=platform, item_id=str(obj.get("item_id") or ""), nav_index=str(obj.get("nav_index") or ""),
        source_platform_url=obj.get("source_platform_url") or None, source_url=obj.get("source_url") or None,
        user_agent=obj.get("user_agent") or None, timestamp_collected=_int_or_none(obj.get("timestamp_collected")),
        last_updated=_int_or_none(obj.get("last_updated")))
    return CaptureItem(number, meta, data, text)


def read_lines(lines: Iterable[bytes | str]) -> Iterator[tuple[int, CaptureItem | None, str | None]]:
    """``(line number, item, error)`` per non-blank line; exactly one of item and error is set."""
    for number, raw in enumerate(lines, start=1):
        if isinstance(raw, bytes):
            try:
                raw = raw.decode("utf-8")
            except UnicodeDecodeError:
                yield number, None, "bukan teks UTF-8"
                continue
        text = raw.rstrip("\r\n")
        if not text.strip():
            continue
        try:
            yield number, parse_line(number, text), None
        except ValueError as exc:
            yield number, None, str(exc)


def open_capture(source: str | Path | bytes | IO[bytes]) -> IO[bytes]:
    """A binary line stream over a capture file path, bytes (an upload) or an open file."""
    if isinstance(source, bytes):
        return io.BytesIO(source)
    if isinstance(source, (str, Path)):
        path = Path(source)
        if not path.is_file():
            raise ValueError(f"berkas {path} tidak ditemukan")
        return path.open("rb")
    return source


def map_capture(item: CaptureItem) -> tuple[str, PostRecord | Comment]:
    """(Netra platform, mapped item). Raises SkipItem or ValueError from the platform mapper."""
    platform, mapper = MAPPERS[item.meta.source_platform]
    return platform, mapper(item.data, item.meta)
