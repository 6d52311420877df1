"""Public reports (laporan masyarakat): the report rows, the post each one becomes, its flag.

A report is stored as a post of kind ``report`` plus one ``reports`` row per submission (the
reporter's text, contact and screenshot hash), and always has a ``report`` flag, so it reaches
human review whatever the classifier later says. Several reports of the same URL share one
post while its flag is still undecided; once a reviewer has decided, a new report starts a new
post and flag (the earlier decision stands).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

from .db import Store, utcnow
from .posts import PostRecord, upsert_posts

#: Flag statuses that mean "still waiting for, or in, review".
PENDING = ("open", "escalated")


def latest_report_post(store: Store, platform: str, base_id: str) -> dict | None:
    """The newest report post for this URL key (``base_id`` or ``base_id:<n>``) with its flag."""
    row = store.one(
        """SELECT p.id, p.post_id, f.id AS flag_id, f.status AS flag_status
           FROM posts p LEFT JOIN flags f ON f.post_id = p.id AND f.category = 'report'
           WHERE p.platform = ? AND p.kind = 'report' AND (p.post_id = ? OR p.post_id LIKE ? ESCAPE '\\')
           ORDER BY p.id DESC LIMIT 1""",
        (platform, base_id, base_id.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + ":%"))
    return dict(row) if row else None


def report_posts_count(store: Store, platform: str, base_id: str) -> int:
    row = store.one(
        """SELECT COUNT(*) FROM posts WHERE platform = ? AND kind = 'report'
           AND (post_id = ? OR post_id LIKE ? ESCAPE '\\')""",
        (platform, base_id, base_id.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + ":%"))
    return int(row[0]) if row else 0


def account_unit(store: Store, account_id: int | None) -> int | None:
    """The unit of the employee who owns the account (for scoping the flag), if any."""
    if account_id is None:
        return None
    row = store.one("SELECT e.unit_id FROM accounts a JOIN employees e ON e.id = a.employee_id WHERE a.id = ?",
                    (account_id,))
    return int(row[0]) if row and row[0] is not None else None


def account_by_host(store: Store, host: str) -> int | None:
    """A registered RSS/website account on this host (a report about a blog post)."""
    rows = store.query("SELECT id, handle FROM accounts WHERE platform = 'rss' AND active ORDER BY id")
    for row in rows:
        if (urlparse(row["handle"]).hostname or "").lower().removeprefix("www.") == host:
            return int(row["id"])
    return None


def create_report_post(store: Store, record: PostRecord, account_id: int | None) -> int:
    """Insert the post a report becomes; returns its row id."""
    with store.write():
        result = upsert_posts(store, [record], account_id=account_id)
        if not result.new_ids:
            raise ValueError(f"kiriman laporan {record.post_id!r} sudah ada")
        return result.new_ids[0]


def open_report_flag(store: Store, post_id: int, unit_id: int | None) -> int:
    """The post's ``report`` flag, opened for review (score 1: a person asked for review)."""
    now = utcnow()
    with store.write() as conn:
        cur = conn.execute(
            """INSERT INTO flags (post_id, category, score, status, proposed_code, unit_id, created_at, updated_at)
               VALUES (?, 'report', 1.0, 'open', NULL, ?, ?, ?)""", (post_id, unit_id, now, now))
        return int(cur.lastrowid)


def add_report(store: Store, *, post_id: int, url: str, text: str | None, reporter_contact: str | None,
               screenshot_sha256: str | None) -> int:
    with store.write() as conn:
        cur = conn.execute(
            """INSERT INTO reports (post_id, url, text, reporter_contact, screenshot_sha256, created_at)
               VALUES (?, ?, ?, ?, ?, ?)""", (post_id, url, text, reporter_contact, screenshot_sha256, utcnow()))
        return int(cur.lastrowid)


def reports_for_post(store: Store, post_id: int) -> list[dict[str, Any]]:
    """Every report filed about a post, oldest first (reviewers see how many people reported it)."""
    return [dict(r) for r in store.query(
        "SELECT id, url, text, reporter_contact, screenshot_sha256, created_at FROM reports WHERE post_id = ? ORDER BY id",
        (post_id,))]


def link_target(store: Store, flag_id: int) -> dict | None:
    """A flag with its post as linking a report needs it: the platform, the account the report's
    URL named (``handle``, kept in the post's raw payload) and the account the post has, if any."""
    row = store.one(
        """SELECT f.id AS flag_id, f.category, f.status, f.unit_id, p.id AS post_id, p.kind, p.platform,
                  p.account_id, json_extract(p.raw_json, '$.handle') AS handle
           FROM flags f JOIN posts p ON p.id = f.post_id WHERE f.id = ?""", (int(flag_id),))
    return dict(row) if row else None


def unlinked_report_posts(store: Store, platform: str, handle: str) -> list[int]:
    """Other report posts naming the same account that are still without one (earlier reports)."""
    return [int(r[0]) for r in store.query(
        """SELECT id FROM posts WHERE kind = 'report' AND account_id IS NULL AND platform = ?
           AND json_extract(raw_json, '$.handle') = ? ORDER BY id""", (platform, handle))]


def attach_report_posts(store: Store, post_ids: list[int], account_id: int, unit_id: int | None) -> list[dict]:
    """Give report posts their account and move their flags to ``unit_id``; returns each moved
    flag's id and previous unit (for the audit entry)."""
    if not post_ids:
        return []
    marks = ",".join("?" * len(post_ids))
    now = utcnow()
    with store.write() as conn:
        moved = [dict(r) for r in conn.execute(
            f"SELECT id, unit_id AS previous_unit_id, status FROM flags WHERE post_id IN ({marks}) ORDER BY id",
            tuple(post_ids)).fetchall()]
        conn.execute(f"UPDATE posts SET account_id = ? WHERE id IN ({marks}) AND account_id IS NULL",
                     (int(account_id), *post_ids))
        conn.execute(f"UPDATE flags SET unit_id = ?, updated_at = ? WHERE post_id IN ({marks})",
                     (unit_id, now, *post_ids))
    return moved


def named_handle(store: Store, post_id: int) -> str | None:
    """The account handle a report's URL named (None when it named none)."""
    row = store.one("SELECT json_extract(raw_json, '$.handle') FROM posts WHERE id = ? AND kind = 'report'",
                    (int(post_id),))
    return row[0] if row and row[0] else None
