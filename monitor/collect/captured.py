"""What the per-platform capture mappers return, shared by them and the Zeeschuimer reader.

A mapper turns the platform's own object into a :class:`PostRecord` (a post, repost or quote),
a :class:`Comment` (which may be an interaction with a campaign account), or raises
:class:`SkipItem` for items that are not posts at all (ads, deleted placeholders).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urlparse

from ..store import PostRecord

__all__ = ["CaptureMeta", "Comment", "PostRecord", "SkipItem", "epoch_utc", "handle_from_url", "dig"]


class SkipItem(ValueError):
    """An item that is deliberately not imported. ``reason`` is a count key: ``ad`` or ``deleted``."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass
class CaptureMeta:
    """The envelope Zeeschuimer writes around each item (everything but ``data``)."""

    source_platform: str
    item_id: str = ""
    nav_index: str = ""
    source_platform_url: str | None = None
    source_url: str | None = None
    user_agent: str | None = None
    timestamp_collected: int | None = None  # ms since the epoch
    last_updated: int | None = None


@dataclass
class Comment:
    """A comment (or reply) on someone's post. ``target_author`` is the post's author handle
    when the capture shows it (the video page a TikTok comment was captured on, say)."""

    platform: str
    comment_id: str
    author: str
    text: str
    raw: Any
    target_post_id: str
    target_author: str | None = None
    target_url: str | None = None
    created_at: str | None = None
    media: list[str] = field(default_factory=list)
    url: str | None = None  # the comment's own address, when the platform has one

    def as_record(self, raw: Any) -> PostRecord:
        return PostRecord(platform=self.platform, post_id=self.comment_id, text=self.text, raw=raw,
                          url=self.url or self.target_url, created_at=self.created_at, kind="reply",
                          account_handle=self.author, media=list(self.media))


def epoch_utc(value: Any) -> str | None:
    """Epoch seconds (or milliseconds, if that large) as UTC ``YYYY-MM-DDTHH:MM:SSZ``."""
    if value in (None, ""):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    if number > 1e11:  # milliseconds
        number /= 1000
    return datetime.fromtimestamp(number, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def handle_from_url(url: str | None) -> str | None:
    """``@name`` (or the first path part) of a profile or post URL, lower-cased, ``@`` stripped."""
    if not url:
        return None
    parts = [p for p in urlparse(url).path.split("/") if p]
    for part in parts:
        if part.startswith("@"):
            return part[1:].lower() or None
    return parts[0].lower() if parts and re.fullmatch(r"[A-Za-z0-9_.]+", parts[0]) else None


def dig(obj: Any, *path: Any) -> Any:
    """``obj[a][b]...`` or None when any step is missing (platform objects omit fields freely)."""
    for step in path:
        if isinstance(obj, dict):
            obj = obj.get(step)
        elif isinstance(obj, list) and isinstance(step, int) and -len(obj) <= step < len(obj):
            obj = obj[step]
        else:
            return None
    return obj


def lower_handle(value: Any) -> str:
    """A handle as matched against the registry: stripped, no ``@``, lower-case."""
    return str(value or "").strip().lstrip("@").lower()
