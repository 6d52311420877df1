"""The source interface every collector implements, its errors, and the resumable cursor.

A source turns one registered account into pages of :class:`PostRecord`. It knows nothing about
the database: the pipeline stores each page *together with* the page's cursor in one
transaction, so a crash (kill -9) at any moment resumes exactly where the last commit ended.

Cursor semantics (see :class:`CursorState`): a run pages from the newest item towards older
ones until it reaches the stored high-water mark (the newest item of the last *finished* run).
While a run is in progress the state also holds the platform's paging cursor for the next page
and the pending high-water mark (the newest item of this run); the pending mark becomes the
high-water mark only when the run reaches the old mark or the end of the timeline. Sources for
platforms without useful paging (RSS, a channel's 15 newest videos) can simply yield one page
whose cursor is ``CursorState(hw=...).dump()``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator, Protocol, runtime_checkable

from ..store import PostRecord

__all__ = [
    "AccountRef", "AccountUnavailable", "BudgetExhausted", "CollectError", "CursorState",
    "MalformedPayload", "Page", "PlatformError", "PostRecord", "RateLimited", "Source",
    "UNAVAILABLE_STATUSES", "walk_newest_first", "CampaignRef", "Interaction", "INTERACTION_CODES",
    "Matcher", "to_utc", "id_key",
]


# --- what flows between the pipeline and a source --------------------------------------------

@dataclass
class AccountRef:
    """One account to collect, as the pipeline hands it to a source.

    ``cursor`` is the stored state text (``CursorState.dump()``), or None on the first run.
    ``recent_post_ids`` are platform ids of this account's recently stored posts, for sources
    that can re-check them (edits become versions, missing ones are marked deleted).
    """

    id: int
    platform: str
    handle: str
    platform_user_id: str | None = None
    cursor: str | None = None
    recent_post_ids: list[str] = field(default_factory=list)
    status: str = "ok"  # accounts.status; the pipeline re-resolves an account that is not "ok"


@dataclass
class Page:
    """One page of results. ``cursor`` is the state to commit with these records (None: leave
    the stored cursor as it is, e.g. for a page of re-checked old posts)."""

    records: list[PostRecord]
    cursor: str | None
    deleted_ids: list[str] = field(default_factory=list)


@runtime_checkable
class Source(Protocol):
    """A platform collector. ``resolve`` returns the stable platform id (or None if the
    platform has none); ``fetch`` yields pages newest first. Both raise :class:`CollectError`
    subclasses."""

    platform: str

    def resolve(self, account: AccountRef) -> str | None: ...

    def fetch(self, account: AccountRef) -> Iterator[Page]: ...


# --- errors ----------------------------------------------------------------------------------

class CollectError(Exception):
    """Anything that stops collecting one account. Other accounts are unaffected."""


#: Values of accounts.status a source may report.
UNAVAILABLE_STATUSES = ("suspended", "private", "not_found", "opted_out", "deactivated")


class AccountUnavailable(CollectError):
    """The account cannot be read: suspended, private, gone, or opted out of collection."""

    def __init__(self, status: str, reason: str = "") -> None:
        if status not in UNAVAILABLE_STATUSES:
            raise ValueError(f"unknown account status {status!r}")
        super().__init__(f"{status}: {reason}" if reason else status)
        self.status = status
        self.reason = reason


class RateLimited(CollectError):
    """The platform asked us to wait until ``retry_at`` (epoch seconds), longer than we wait in a run."""

    def __init__(self, retry_at: float, message: str = "") -> None:
        super().__init__(message or f"rate limited until epoch {retry_at:.0f}")
        self.retry_at = retry_at


class MalformedPayload(CollectError):
    """A response that is not the JSON (or markup) we expect. ``body`` keeps the raw bytes as
    received, so the pipeline can save them for diagnosis."""

    def __init__(self, body: bytes | str, message: str = "", *, url: str | None = None) -> None:
        super().__init__(message or "malformed payload")
        self.body = body.encode("utf-8", "replace") if isinstance(body, str) else bytes(body)
        self.url = url


class PlatformError(CollectError):
    """The platform answered with an error we cannot fix by retrying (or after all retries)."""

    def __init__(self, message: str, *, status: int | None = None, body: bytes | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.body = body


class BudgetExhausted(PlatformError):
    """A request budget (X monthly post reads, YouTube daily quota units) is used up."""


# --- resumable cursor ------------------------------------------------------------------------

@dataclass
class CursorState:
    """What accounts.cursor holds (as JSON).

    ``hw``: sort key of the newest item of the last finished run (we stop when we reach it).
    ``page``: the platform's cursor for the next page of an unfinished run (None = start at top).
    ``pending``: sort key of the newest item seen by the unfinished run.
    ``extra``: per-source data (e.g. a YouTube uploads playlist id, RSS ETag).
    """

    hw: str | None = None
    page: str | None = None
    pending: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def load(cls, text: str | None) -> "CursorState":
        if not text:
            return cls()
        try:
            data = json.loads(text)
        except json.JSONDecodeError:
            # A pre-existing plain cursor: treat it as a high-water mark.
            return cls(hw=text)
        if not isinstance(data, dict):
            return cls(hw=str(data))
        return cls(hw=data.get("hw"), page=data.get("page"), pending=data.get("pending"),
                   extra=dict(data.get("extra") or {}))

    def dump(self) -> str:
        data: dict[str, Any] = {"hw": self.hw}
        if self.page is not None:
            data["page"] = self.page
        if self.pending is not None:
            data["pending"] = self.pending
        if self.extra:
            data["extra"] = self.extra
        return json.dumps(data, sort_keys=True, separators=(",", ":"))

    @property
    def in_progress(self) -> bool:
        return self.page is not None


def walk_newest_first(
    state: CursorState,
    fetch_page: Callable[[str | None], tuple[list[Any], str | None]],
    *,
    key: Callable[[Any], str],
    to_records: Callable[[list[Any]], list[PostRecord]],
    max_pages: int | None = None,
) -> Iterator[Page]:
    """Generic newest-to-oldest paging with the crash-safe cursor.

    ``fetch_page(cursor)`` returns (raw items newest first, next cursor or None at the end).
    ``key(raw)`` is a sort key that grows with recency (compare as text: pad numbers, use
    ISO times). Items with a key <= the high-water mark are old and end the run. Every yielded
    page carries the state to commit with it. ``max_pages`` bounds a first backfill: when it
    is hit, the run ends as if the timeline ended (the next run starts from the top again).
    """
    hw = state.hw
    pending = state.pending if state.in_progress else None
    cursor = state.page if state.in_progress else None
    pages = 0
    while True:
        items, next_cursor = fetch_page(cursor)
        pages += 1
        fresh = [item for item in items if hw is None or key(item) > hw]
        reached_old = len(fresh) < len(items)
        if fresh:
            newest = max(key(item) for item in fresh)
            if pending is None or newest > pending:
                pending = newest
        done = reached_old or next_cursor is None or (max_pages is not None and pages >= max_pages)
        extra = dict(state.extra)
        if done:
            final = CursorState(hw=pending if pending is not None else hw, extra=extra)
            yield Page(records=to_records(fresh), cursor=final.dump())
            return
        yield Page(records=to_records(fresh),
                   cursor=CursorState(hw=hw, page=next_cursor, pending=pending, extra=extra).dump())
        cursor = next_cursor


def id_key(value: str) -> str:
    """A sort key for numeric-string ids (X, Mastodon): zero-padded so text order = number order."""
    return value.rjust(24, "0") if value.isdigit() else value


def map_all(raws: Iterable[Any], map_item: Callable[[Any], PostRecord]) -> list[PostRecord]:
    return [map_item(raw) for raw in raws]


def to_utc(value: Any, *, ms: bool = False) -> str | None:
    """Any ISO-8601 / RFC 3339 time as UTC text ``YYYY-MM-DDTHH:MM:SS[.mmm]Z`` (sortable);
    naive times are taken as UTC; None or unparsable gives None."""
    if value in (None, ""):
        return None
    from datetime import datetime, timezone

    text = str(value).strip().replace("Z", "+00:00").replace("z", "+00:00")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    moment = moment.astimezone(timezone.utc)
    if ms:
        return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


# --- campaign-side interactions ----------------------------------------------------------------

#: Netra's proposed violation code per interaction kind (regulation.md: N2 share, N3 like or
#: comment, N4 follow). Every interaction goes to human review; the code is only a proposal.
INTERACTION_CODES = {"like": "N3", "reply": "N3", "comment": "N3", "repost": "N2", "quote": "N2", "follow": "N4"}


@dataclass
class CampaignRef:
    """A registered campaign account (candidate, party, team) to watch."""

    id: int
    platform: str
    handle: str
    platform_user_id: str | None = None


@dataclass
class Interaction:
    """A registered ASN account's like/repost/reply/follow on a campaign account or its post.

    ``raw`` is an excerpt: only the matched entry of the platform's list, never the whole page
    (other people's identities are not stored).
    """

    account_id: int
    kind: str
    raw: Any
    target_post_id: str = ""
    target_url: str | None = None


Matcher = Callable[[Iterable[str | None]], "int | None"]
"""Given an actor's identifiers (platform id, handle), the registered ASN account id or None."""
