"""Retention of personal data (UU 27/2022 on personal data protection).

Netra collects only registered accounts' public posts, and keeps a post that never raised a
flag only for the retention period (setting ``retention_days``, default 90 days, counted from
when its current version was collected). After that the post, its earlier versions, its
classifications and its search-index entry are deleted. Anything flagged (whatever the review
decided) is kept, and so is everything evidence points at: public reports, screenshots and
media, and confirmed cases, whose flags keep their posts. Deletion runs with SQLite's
``secure_delete`` so the text does not linger in free pages, and every real run is audited
with its counts.

Interactions with campaign accounts (likes, reposts, follows, first seen more than the period
ago) follow the posts' rule exactly: one that raised a flag is kept whatever the review decided
(the flag, and any case or bundle built on it, needs it), one nothing points at is deleted.
They are counted apart from posts.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from . import audit
from .. import config
from ..store import Store
from ..store import retention as rows


def _now(now: datetime | str | None) -> datetime:
    if now is None:
        return datetime.now(timezone.utc)
    if isinstance(now, str):
        now = datetime.fromisoformat(now.replace("Z", "+00:00"))
    return now if now.tzinfo else now.replace(tzinfo=timezone.utc)


def apply(store: Store, *, days: int | None = None, actor: str, dry_run: bool = False,
          now: datetime | str | None = None) -> dict:
    """Purge unflagged posts and interactions older than ``days`` (default: ``retention_days``).

    Returns ``{"days", "cutoff", "dry_run", "posts", "post_versions", "classifications",
    "claim_matches", "kept", "interactions", "interactions_kept"}`` where ``kept`` and
    ``interactions_kept`` count rows past the period kept because something refers to them.
    """
    if days is None:
        days = int(config.load()["retention_days"])
    if isinstance(days, bool) or not isinstance(days, int) or days < 1:
        raise ValueError(f"masa retensi harus bilangan bulat minimal 1 hari, bukan {days!r}")
    cutoff = (_now(now) - timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    previous = rows.set_secure_delete(store, True) if not dry_run else None
    try:
        with store.write() as conn:
            ids, kept = rows.expired(conn, cutoff)
            counts = rows.count_derived(conn, ids) if dry_run else rows.purge(conn, ids)
            interaction_ids, interactions_kept = rows.expired_interactions(conn, cutoff)
            interactions = len(interaction_ids) if dry_run else rows.purge_interactions(conn, interaction_ids)
            result = {"days": days, "cutoff": cutoff, "dry_run": dry_run, "kept": kept, **counts,
                      "interactions": interactions, "interactions_kept": interactions_kept}
            if not dry_run:
                audit.record(store, actor, "retention.apply", "posts", **result)
    finally:
        if previous is not None:
            rows.set_secure_delete(store, previous)
    if not dry_run and (result["posts"] or result["interactions"]):
        rows.checkpoint(store)
    return result
