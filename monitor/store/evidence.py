"""Evidence: selecting flags for a bundle, the facts a bundle carries, and captured media rows.

Scope (a supervisor's units) is applied in SQL here, so a bundle can never contain a post of
an employee outside the caller's units, whatever the other filters say.
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from typing import Iterable, Iterator, Sequence

from .db import Store, utcnow

_CHUNK = 500


def _in(ids: Sequence) -> str:
    return ",".join("?" * len(ids)) or "NULL"


def _chunked(store: Store, sql: str, ids: Iterable, extra: tuple = ()) -> list[dict]:
    """Run ``sql`` (with one ``{ids}`` placeholder list) over ``ids`` in chunks."""
    ids = sorted(set(ids))
    found: list[dict] = []
    for i in range(0, len(ids), _CHUNK):
        chunk = ids[i : i + _CHUNK]
        found += [dict(r) for r in store.query(sql.format(ids=_in(chunk)), (*extra, *chunk))]
    return found


@contextmanager
def snapshot(store: Store) -> Iterator[None]:
    """A read transaction: every query inside sees the database as of its first read (WAL), so
    a bundle never mixes a flag's old status with a review made while it was being gathered."""
    if store.conn.in_transaction:
        yield
        return
    store.conn.execute("BEGIN")
    try:
        yield
    finally:
        store.conn.execute("COMMIT")


def flag_statuses(store: Store, flag_ids: Iterable[int]) -> dict[int, str]:
    """Current status per flag id (ids not in the database are absent)."""
    return {r["id"]: r["status"] for r in _chunked(store, "SELECT id, status FROM flags WHERE id IN ({ids})", flag_ids)}


def employee_id_by_nip(store: Store, nip: str) -> int:
    row = store.one("SELECT id FROM employees WHERE nip = ? OR nik = ?", (nip, nip))
    if row is None:
        raise ValueError(f"pegawai dengan NIP/NIK {nip!r} tidak ditemukan")
    return int(row["id"])


def select_flags(
    store: Store,
    *,
    flag_ids: Sequence[int] | None = None,
    employee_id: int | None = None,
    unit_ids: set[int] | None = None,
    date_from: str | None = None,
    date_before: str | None = None,
    scope: set[int] | None = None,
    statuses: Sequence[str] | None = None,
) -> list[dict]:
    """Post flags matching every given filter, oldest first.

    ``unit_ids`` is a filter the caller chose (a unit and its sub-units); ``scope`` is what the
    caller may see (None: everything). Both apply to the post's employee's unit, or to the
    flag's own unit when the post has no registered employee (a public report). Dates compare
    with the post's creation time, or its collection time when the platform gave none.
    """
    where, params = ["f.post_id IS NOT NULL"], []
    unit_expr = "COALESCE(e.unit_id, f.unit_id)"
    if flag_ids is not None:
        where.append(f"f.id IN ({_in(flag_ids)})")
        params += list(flag_ids)
    if employee_id is not None:
        where.append("e.id = ?")
        params.append(employee_id)
    for units in (unit_ids, scope):
        if units is not None:
            where.append(f"{unit_expr} IN ({_in(sorted(units))})")
            params += sorted(units)
    if date_from:
        where.append("COALESCE(p.created_at, p.collected_at) >= ?")
        params.append(date_from)
    if date_before:
        where.append("COALESCE(p.created_at, p.collected_at) < ?")
        params.append(date_before)
    if statuses:
        where.append(f"f.status IN ({_in(statuses)})")
        params += list(statuses)
    rows = store.query(
        f"""SELECT f.* FROM flags f JOIN posts p ON p.id = f.post_id
            LEFT JOIN accounts a ON a.id = p.account_id
            LEFT JOIN employees e ON e.id = a.employee_id
            WHERE {' AND '.join(where)} ORDER BY f.id""",
        tuple(params),
    )
    return [dict(r) for r in rows]


def posts_with_people(store: Store, post_ids: Iterable[int]) -> list[dict]:
    """Posts with their account, employee and unit, by post id."""
    return _chunked(store, """
        SELECT p.id, p.platform, p.post_id, p.account_id, p.url, p.text, p.lang, p.created_at,
               p.collected_at, p.last_seen_at, p.kind, p.original_author, p.media_json, p.raw_sha256,
               p.text_sha256, p.version, p.edited_at, p.deleted_at,
               a.handle, e.id AS employee_id, e.nip, e.nik, e.name AS employee, e.position, e.rank,
               e.employment_type, un.id AS unit_id, un.code AS unit_code, un.name AS unit
        FROM posts p
        LEFT JOIN accounts a ON a.id = p.account_id
        LEFT JOIN employees e ON e.id = a.employee_id
        LEFT JOIN units un ON un.id = e.unit_id
        WHERE p.id IN ({ids}) ORDER BY p.id""", post_ids)


def classifications_for(store: Store, post_ids: Iterable[int]) -> list[dict]:
    rows = _chunked(store, """SELECT post_id, model_version, scores_json, created_at FROM classifications
                              WHERE post_id IN ({ids}) ORDER BY post_id, created_at""", post_ids)
    return [{**r, "scores": json.loads(r.pop("scores_json"))} for r in rows]


def reviews_for(store: Store, flag_ids: Iterable[int]) -> list[dict]:
    return _chunked(store, """
        SELECT r.id, r.flag_id, r.decision, r.violation_code, r.note, r.created_at,
               u.username AS reviewer, u.full_name AS reviewer_name, u.role AS reviewer_role
        FROM reviews r JOIN users u ON u.id = r.reviewer_id
        WHERE r.flag_id IN ({ids}) ORDER BY r.created_at, r.id""", flag_ids)


def cases_for(store: Store, flag_ids: Iterable[int]) -> list[dict]:
    return _chunked(store, """
        SELECT cf.flag_id, c.id AS case_id, c.status, c.found_at, c.created_at, c.updated_at
        FROM case_flags cf JOIN cases c ON c.id = cf.case_id
        WHERE cf.flag_id IN ({ids}) ORDER BY c.id""", flag_ids)


def reports_for(store: Store, post_ids: Iterable[int]) -> list[dict]:
    """Public reports about these posts. The reporter's contact stays out of bundles (privacy)."""
    return _chunked(store, """SELECT id, post_id, url, text, screenshot_sha256, created_at FROM reports
                              WHERE post_id IN ({ids}) ORDER BY id""", post_ids)


def add_review(store: Store, *, flag_id: int, reviewer_id: int, decision: str,
               violation_code: str | None = None, note: str | None = None, when: str | None = None) -> int:
    """Insert a review row as-is. For tests and imports; the review workflow lives in monitor.review."""
    with store.write() as conn:
        cur = conn.execute(
            "INSERT INTO reviews (flag_id, reviewer_id, decision, violation_code, note, created_at) VALUES (?,?,?,?,?,?)",
            (flag_id, reviewer_id, decision, violation_code, note, when or utcnow()))
    return int(cur.lastrowid)


# --- media ---------------------------------------------------------------------------------

def insert_media(store: Store, *, post_id: int | None, kind: str, origin: str = "capture",
                 source_url: str | None = None, sha256: str | None = None, content_type: str | None = None,
                 size: int | None = None, failure: str | None = None, captured_at: str | None = None) -> int:
    with store.write() as conn:
        cur = conn.execute(
            """INSERT INTO media (post_id, kind, origin, source_url, sha256, content_type, size, captured_at, failure)
               VALUES (?,?,?,?,?,?,?,?,?)""",
            (post_id, kind, origin, source_url, sha256, content_type, size, captured_at or utcnow(), failure))
    return int(cur.lastrowid)


def media_for(store: Store, post_ids: Iterable[int]) -> list[dict]:
    return _chunked(store, "SELECT * FROM media WHERE post_id IN ({ids}) ORDER BY post_id, id", post_ids)


def posts_to_capture(store: Store, *, limit: int, max_failures: int) -> list[dict]:
    """Flagged (not dismissed) posts with a URL and no screenshot yet, newest flag first.

    A post whose screenshot failed ``max_failures`` times is left alone: a login wall does not
    go away by retrying every run, and it must not starve newly flagged posts.
    """
    rows = store.query(
        """SELECT p.id, p.url, p.media_json, MAX(f.created_at) AS flagged_at
           FROM posts p JOIN flags f ON f.post_id = p.id
           WHERE f.status != 'dismissed' AND p.url IS NOT NULL AND p.url != ''
             AND NOT EXISTS (SELECT 1 FROM media m WHERE m.post_id = p.id AND m.kind = 'screenshot'
                             AND m.sha256 IS NOT NULL)
             AND (SELECT COUNT(*) FROM media m WHERE m.post_id = p.id AND m.kind = 'screenshot'
                  AND m.sha256 IS NULL) < ?
           GROUP BY p.id ORDER BY flagged_at DESC, p.id DESC LIMIT ?""",
        (max_failures, limit))
    return [dict(r) for r in rows]


def captured_media_urls(store: Store, post_id: int) -> set[str]:
    """Media URLs of a post already downloaded successfully."""
    return {r[0] for r in store.query(
        "SELECT source_url FROM media WHERE post_id = ? AND kind = 'media' AND sha256 IS NOT NULL", (post_id,))}


def media_failures(store: Store, post_id: int, url: str) -> int:
    row = store.one("SELECT COUNT(*) FROM media WHERE post_id = ? AND kind = 'media' AND source_url = ? "
                    "AND sha256 IS NULL", (post_id, url))
    return int(row[0])
