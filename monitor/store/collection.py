"""Collector state: what to collect, pages with their cursors, account status, runs, errors,
budgets, interactions and health figures.

Crash safety lives in :func:`save_page`: the posts of a page, the deletion marks, the day
counter and the cursor that covers them commit in ONE transaction. A process killed at any
moment therefore either has the whole page with its cursor, or neither.
"""

from __future__ import annotations

import hashlib
import os
import socket
from datetime import datetime, timedelta, timezone
from typing import Any, Iterable, Sequence

from ..redact import redact
from .db import Store, utcnow
from .leases import hold
from .posts import PostRecord, UpsertResult, canonical_json, sha256_text, upsert_posts


def _day(now: str) -> str:
    return now[:10]


# --- selecting work ------------------------------------------------------------------------------

def _filters(platforms: Sequence[str] | None, handle: str | None, alias: str) -> tuple[str, list]:
    where, params = [f"{alias}.active"], []
    if platforms:
        where.append(f"{alias}.platform IN ({','.join('?' * len(platforms))})")
        params += list(platforms)
    if handle:
        where.append(f"{alias}.handle = ?")
        params.append(handle.strip().lstrip("@").lower())
    return " AND ".join(where), params


def accounts_to_collect(store: Store, *, platforms: Sequence[str], handle: str | None = None) -> list[dict]:
    """Active registered accounts on these platforms (of active employees or unlinked)."""
    where, params = _filters(platforms, handle, "a")
    rows = store.query(
        f"""SELECT a.id, a.platform, a.handle, a.platform_user_id, a.cursor, a.status
            FROM accounts a LEFT JOIN employees e ON e.id = a.employee_id
            WHERE {where} AND (e.id IS NULL OR e.active)
            ORDER BY a.platform, a.id""", tuple(params))
    return [dict(r) for r in rows]


def campaign_accounts_to_check(store: Store, *, platforms: Sequence[str], handle: str | None = None) -> list[dict]:
    where, params = _filters(platforms, handle, "c")
    rows = store.query(
        f"SELECT c.id, c.platform, c.handle, c.platform_user_id, c.owner FROM campaign_accounts c WHERE {where} "
        "ORDER BY c.platform, c.id", tuple(params))
    return [dict(r) for r in rows]


def recent_post_ids(store: Store, account_id: int, *, limit: int, days: int = 7) -> list[str]:
    """Platform ids of this account's newest stored, not-deleted posts (for edit/delete re-checks)."""
    if limit <= 0:
        return []
    since = (datetime.now(timezone.utc) - timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")
    rows = store.query(
        """SELECT post_id FROM posts WHERE account_id = ? AND deleted_at IS NULL AND kind != 'repost'
           AND created_at >= ? ORDER BY created_at DESC LIMIT ?""", (account_id, since, limit))
    return [r[0] for r in rows]


def registered_index(store: Store, platform: str) -> dict[str, int]:
    """Identifiers (platform user id, handle, lower-cased) of registered ASN accounts -> account id.

    Only these are ever matched against campaign-side likers/followers.
    """
    index: dict[str, int] = {}
    rows = store.query(
        """SELECT a.id, a.handle, a.platform_user_id FROM accounts a
           JOIN employees e ON e.id = a.employee_id
           WHERE a.platform = ? AND a.active AND e.active""", (platform,))
    for row in rows:
        index[str(row["handle"]).lower()] = int(row["id"])
        if row["platform_user_id"]:
            index[str(row["platform_user_id"]).lower()] = int(row["id"])
    return index


# --- writing pages -------------------------------------------------------------------------------

def save_page(store: Store, account_id: int, platform: str, records: Sequence[PostRecord], cursor: str | None,
              deleted_ids: Iterable[str] = (), *, lease: tuple[str, float] | None = None) -> tuple[UpsertResult, int]:
    """Store one page and its cursor atomically. Returns the upsert result and posts marked deleted.

    ``lease`` (worker id, lease seconds), for collectors on many hosts: the page is stored only
    while that worker still holds the account's lease, which it extends in the same transaction
    (:func:`monitor.store.leases.hold` raises ``LeaseLost`` otherwise, and nothing is written).
    """
    now = utcnow()
    deleted = list(deleted_ids)
    with store.write() as conn:
        if lease is not None:
            hold(store, lease[0], account_id, lease[1])
        result = upsert_posts(store, records, account_id=account_id) if records else UpsertResult()
        marked = 0
        if deleted:
            cur = conn.executemany(
                "UPDATE posts SET deleted_at = ? WHERE platform = ? AND post_id = ? AND deleted_at IS NULL",
                [(now, platform, pid) for pid in deleted])
            marked = cur.rowcount
        if cursor is not None:
            conn.execute("UPDATE accounts SET cursor = ?, last_collected_at = ? WHERE id = ?",
                         (cursor, now, account_id))
        if result.new_ids:
            conn.execute(
                """INSERT INTO collect_daily (account_id, day, items) VALUES (?, ?, ?)
                   ON CONFLICT(account_id, day) DO UPDATE SET items = collect_daily.items + excluded.items""",
                (account_id, _day(now), len(result.new_ids)))
    return result, marked


def set_platform_user_id(store: Store, account_id: int, platform_user_id: str | None) -> None:
    with store.write() as conn:
        conn.execute("UPDATE accounts SET platform_user_id = ?, updated_at = ? WHERE id = ?",
                     (platform_user_id, utcnow(), account_id))


def mark_success(store: Store, account_id: int) -> None:
    now = utcnow()
    with store.write() as conn:
        conn.execute(
            """UPDATE accounts SET status = 'ok', status_reason = NULL, last_success_at = ?,
               last_collected_at = ? WHERE id = ?""", (now, now, account_id))


def mark_unavailable(store: Store, account_id: int, status: str, reason: str) -> None:
    now = utcnow()
    with store.write() as conn:
        conn.execute(
            """UPDATE accounts SET status = ?, status_reason = ?, last_collected_at = ?, last_error = ?,
               last_error_at = ?, updated_at = ? WHERE id = ?""",
            (status, redact(reason), now, redact(f"{status}: {reason}"), now, now, account_id))


def mark_error(store: Store, account_id: int, message: str) -> None:
    now = utcnow()
    with store.write() as conn:
        conn.execute("UPDATE accounts SET last_error = ?, last_error_at = ?, last_collected_at = ? WHERE id = ?",
                     (redact(message)[:2000], now, now, account_id))


def log_error(store: Store, *, run_id: int | None, platform: str, kind: str, message: str,
              account_id: int | None = None, campaign_account_id: int | None = None,
              url: str | None = None, body: bytes | None = None) -> int:
    """Keep an error, with the raw response body when there is one (never altered)."""
    with store.write() as conn:
        cur = conn.execute(
            """INSERT INTO collect_errors (run_id, platform, account_id, campaign_account_id, kind, message, url,
               raw_body, raw_sha256, created_at) VALUES (?,?,?,?,?,?,?,?,?,?)""",
            (run_id, platform, account_id, campaign_account_id, kind, redact(message)[:2000], redact(url), body,
             hashlib.sha256(body).hexdigest() if body is not None else None, utcnow()))
    return int(cur.lastrowid)


def errors(store: Store, *, run_id: int | None = None, limit: int = 100) -> list[dict]:
    where, params = ("WHERE run_id = ?", (run_id,)) if run_id is not None else ("", ())
    rows = store.query(f"""SELECT id, run_id, platform, account_id, campaign_account_id, kind, message, url,
                           raw_body, raw_sha256, created_at FROM collect_errors {where}
                           ORDER BY id DESC LIMIT ?""", (*params, limit))
    return [dict(r) for r in rows]


# --- runs and budgets ----------------------------------------------------------------------------

INTERRUPTED = "terputus: proses pengumpul berhenti sebelum selesai (dimatikan atau mesin mati)"


def _alive(pid: int | None, host: str | None) -> bool:
    """Whether the process that started a run may still be running it. A run from before its
    owner was recorded is not; one from another machine cannot be checked and is left alone."""
    if pid is None:
        return False
    if host != socket.gethostname():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def start_run(store: Store, *, platforms: Sequence[str] | None, account: str | None) -> int:
    """Record a new run; runs left "running" by a process that no longer exists are first marked
    failed with the reason ``INTERRUPTED`` (issue 15, item 12: a killed run stayed running forever)."""
    with store.write() as conn:
        for run in conn.execute("SELECT id, pid, host FROM collect_runs WHERE status = 'running'").fetchall():
            if not _alive(run["pid"], run["host"]):
                conn.execute("UPDATE collect_runs SET status = 'failed', end_reason = ?, finished_at = ? WHERE id = ?",
                             (INTERRUPTED, utcnow(), run["id"]))
        cur = conn.execute("INSERT INTO collect_runs (started_at, platforms, account, pid, host) VALUES (?, ?, ?, ?, ?)",
                           (utcnow(), ",".join(platforms) if platforms else None, account, os.getpid(),
                            socket.gethostname()))
    return int(cur.lastrowid)


def finish_run(store: Store, run_id: int, counts: dict[str, int], *, status: str = "done") -> None:
    fields = ("accounts", "new_posts", "edited_posts", "deleted_posts", "interactions", "flags", "errors")
    with store.write() as conn:
        conn.execute(
            f"UPDATE collect_runs SET finished_at = ?, status = ?, {', '.join(f'{f} = ?' for f in fields)} WHERE id = ?",
            (utcnow(), status, *[int(counts.get(f, 0)) for f in fields], run_id))


def last_runs(store: Store, limit: int = 5) -> list[dict]:
    return [dict(r) for r in store.query("SELECT * FROM collect_runs ORDER BY id DESC LIMIT ?", (limit,))]


def budget_used(store: Store, name: str, period: str) -> int:
    row = store.one("SELECT used FROM collect_budgets WHERE name = ? AND period = ?", (name, period))
    return int(row[0]) if row else 0


def save_budget(store: Store, name: str, period: str, used: int) -> None:
    with store.write() as conn:
        conn.execute(
            """INSERT INTO collect_budgets (name, period, used) VALUES (?, ?, ?)
               ON CONFLICT(name, period) DO UPDATE SET used = MAX(collect_budgets.used, excluded.used)""", (name, period, used))


# --- campaign accounts and interactions ----------------------------------------------------------

def campaign_checked(store: Store, campaign_id: int, *, platform_user_id: str | None = None,
                     error: str | None = None, status: str | None = None, reason: str | None = None) -> None:
    now = utcnow()
    with store.write() as conn:
        if platform_user_id:
            conn.execute("UPDATE campaign_accounts SET platform_user_id = ? WHERE id = ?", (platform_user_id, campaign_id))
        if error is None and status is None:
            conn.execute("""UPDATE campaign_accounts SET last_collected_at = ?, last_success_at = ?, status = 'ok',
                            status_reason = NULL WHERE id = ?""", (now, now, campaign_id))
        else:
            conn.execute("""UPDATE campaign_accounts SET last_collected_at = ?, last_error = ?,
                            status = COALESCE(?, status), status_reason = COALESCE(?, status_reason) WHERE id = ?""",
                         (now, redact(error), status, redact(reason), campaign_id))


INTERACTION_CODES = {"like": "N3", "reply": "N3", "comment": "N3", "repost": "N2", "quote": "N2", "follow": "N4"}


def save_interactions(store: Store, campaign_account_id: int, found: Iterable[Any]) -> dict[str, int]:
    """Store interactions of registered ASN accounts; each new one opens a review flag.

    ``found`` holds objects with ``account_id, kind, raw, target_post_id, target_url`` (see
    ``monitor.collect.base.Interaction``). Seen-before interactions change nothing.
    """
    now = utcnow()
    counts = {"interactions": 0, "flags": 0}
    with store.write() as conn:
        for item in found:
            raw_json = canonical_json(item.raw)
            cur = conn.execute(
                """INSERT INTO interactions (account_id, campaign_account_id, kind, target_post_id, target_url,
                   first_seen_at, raw_json, raw_sha256) VALUES (?,?,?,?,?,?,?,?)
                   ON CONFLICT(account_id, campaign_account_id, kind, target_post_id) DO NOTHING""",
                (item.account_id, campaign_account_id, item.kind, item.target_post_id or "", item.target_url,
                 now, raw_json, sha256_text(raw_json)))
            if not cur.rowcount:
                continue
            counts["interactions"] += 1
            unit = conn.execute(
                "SELECT e.unit_id FROM accounts a JOIN employees e ON e.id = a.employee_id WHERE a.id = ?",
                (item.account_id,)).fetchone()
            conn.execute(
                """INSERT INTO flags (post_id, interaction_id, category, score, status, proposed_code, unit_id,
                   created_at, updated_at) VALUES (NULL, ?, 'interaction', 1.0, 'open', ?, ?, ?, ?)""",
                (cur.lastrowid, INTERACTION_CODES.get(item.kind), unit[0] if unit else None, now, now))
            counts["flags"] += 1
    return counts


def list_interactions(store: Store, *, unit_ids: set[int] | None = None, limit: int = 200) -> list[dict]:
    """Interactions with employee, unit and campaign account; ``unit_ids`` scope enforced in SQL."""
    where, params = "1 = 1", []
    if unit_ids is not None:
        where = f"e.unit_id IN ({','.join('?' * len(unit_ids)) or 'NULL'})"
        params = sorted(unit_ids)
    rows = store.query(
        f"""SELECT i.id, i.kind, i.target_post_id, i.target_url, i.first_seen_at, i.raw_sha256,
                   a.platform, a.handle, e.name AS employee, e.nip, u.name AS unit,
                   c.handle AS campaign_handle, c.owner AS campaign_owner, f.id AS flag_id, f.proposed_code,
                   f.status AS flag_status
            FROM interactions i JOIN accounts a ON a.id = i.account_id
            LEFT JOIN employees e ON e.id = a.employee_id LEFT JOIN units u ON u.id = e.unit_id
            JOIN campaign_accounts c ON c.id = i.campaign_account_id
            LEFT JOIN flags f ON f.interaction_id = i.id
            WHERE {where} ORDER BY i.id DESC LIMIT ?""", (*params, limit))
    return [dict(r) for r in rows]


# --- health --------------------------------------------------------------------------------------

def account_health_rows(store: Store, *, unit_ids: set[int] | None = None) -> list[dict]:
    week_ago = (datetime.now(timezone.utc) - timedelta(days=7)).strftime("%Y-%m-%d")
    where, params = "1 = 1", []
    if unit_ids is not None:
        where = f"e.unit_id IN ({','.join('?' * len(unit_ids)) or 'NULL'})"
        params = sorted(unit_ids)
    rows = store.query(
        f"""SELECT a.platform, a.handle, e.name AS employee, u.name AS unit, a.status, a.status_reason,
                   a.last_success_at, a.last_error, a.last_error_at,
                   COALESCE((SELECT SUM(d.items) FROM collect_daily d WHERE d.account_id = a.id AND d.day > ?), 0)
                       AS items_7d
            FROM accounts a LEFT JOIN employees e ON e.id = a.employee_id LEFT JOIN units u ON u.id = e.unit_id
            WHERE a.active AND {where}
            ORDER BY a.platform, e.name, a.handle""", (week_ago, *params))
    return [dict(r) for r in rows]


def platform_activity(store: Store, now: datetime) -> list[dict]:
    """Per platform: posts collected in the last 24 h and the 7 days before, last run time,
    and how many active accounts last failed (error newer than success)."""
    day = (now - timedelta(hours=24)).strftime("%Y-%m-%dT%H:%M:%S")
    week = (now - timedelta(days=8)).strftime("%Y-%m-%dT%H:%M:%S")
    rows = store.query(
        """SELECT a.platform,
                  COUNT(*) AS accounts,
                  MAX(a.last_collected_at) AS last_collected_at,
                  SUM(CASE WHEN a.last_error_at IS NOT NULL
                            AND (a.last_success_at IS NULL OR a.last_error_at > a.last_success_at)
                      THEN 1 ELSE 0 END) AS failing,
                  (SELECT COUNT(*) FROM posts p WHERE p.platform = a.platform AND p.collected_at >= ?) AS last_24h,
                  (SELECT COUNT(*) FROM posts p WHERE p.platform = a.platform
                      AND p.collected_at >= ? AND p.collected_at < ?) AS before_7d
           FROM accounts a WHERE a.active GROUP BY a.platform ORDER BY a.platform""", (day, week, day))
    return [dict(r) for r in rows]
