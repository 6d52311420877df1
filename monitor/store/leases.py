"""Collectors on many hosts (issue 20): rounds, account leases and shared request budgets.

Many ``netra collect --worker`` processes share one database. Each round every due account is
collected once: a worker *claims* a batch of due accounts by writing its name and an expiry
into their leases, collects them with the ordinary per-account code path (each page committed
with its cursor), and *finishes* each one, which marks it done for the round. A worker that dies
stops renewing; once its leases expire another worker claims those accounts and resumes from
the committed cursor, so nothing is lost or stored twice.

On PostgreSQL the claim is ``SELECT ... FOR UPDATE SKIP LOCKED`` inside one transaction, so
concurrent workers never wait on, or take, each other's rows. SQLite has one writer at a time
(``BEGIN IMMEDIATE``), which gives the same outcome on one host.

Every write that depends on holding a lease re-checks it in the same transaction
(:func:`hold`): a worker that lost its lease (it stalled past the expiry and another worker took
over) can no longer move the cursor or mark the account done.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Sequence

from .db import Store, utcnow


class LeaseLost(RuntimeError):
    """This worker no longer holds the account's lease (it expired and was taken over)."""


def _at(seconds_from_now: float, now: datetime | None = None) -> str:
    moment = (now or datetime.now(timezone.utc)) + timedelta(seconds=seconds_from_now)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


# --- rounds --------------------------------------------------------------------------------------

def latest_round(store: Store) -> dict | None:
    row = store.one("SELECT id, started_at, started_by FROM collect_rounds ORDER BY id DESC LIMIT 1")
    return dict(row) if row else None


def new_round(store: Store, worker: str) -> int:
    """Start the next round (every account becomes due again); returns its number. Two workers
    starting it together insert the same number: one wins, both get that round."""
    with store.write() as conn:
        row = conn.execute("SELECT COALESCE(MAX(id), 0) FROM collect_rounds").fetchone()
        number = int(row[0]) + 1
        conn.execute("INSERT INTO collect_rounds (id, started_at, started_by) VALUES (?, ?, ?) "
                     "ON CONFLICT(id) DO NOTHING", (number, utcnow(), worker))
    return int(latest_round(store)["id"])  # type: ignore[index]


def current_round(store: Store, worker: str, *, interval_seconds: float) -> int:
    """The round to work on: the latest one, or a new one when the latest started more than
    ``interval_seconds`` ago (or there is none yet)."""
    latest = latest_round(store)
    if latest is not None and latest["started_at"] > _at(-interval_seconds):
        return int(latest["id"])
    return new_round(store, worker)


# --- leases --------------------------------------------------------------------------------------

def _due_where(platforms: Sequence[str] | None) -> tuple[str, list]:
    """Accounts collected by a run (active, of an active employee or unlinked) on these platforms."""
    where, params = "a.active AND (e.id IS NULL OR e.active)", []
    if platforms:
        where += f" AND a.platform IN ({','.join('?' * len(platforms))})"
        params += list(platforms)
    return where, params


def claim_accounts(store: Store, worker: str, *, limit: int, lease_seconds: float, round_id: int,
                   platforms: Sequence[str] | None = None) -> list[dict]:
    """Claim up to ``limit`` accounts due in ``round_id`` whose lease is free or expired.

    Returns them as :func:`monitor.store.collection.accounts_to_collect` does. Accounts without
    a lease row get one first (idempotent), so the claim itself only locks existing lease rows.
    """
    now = utcnow()
    where, params = _due_where(platforms)
    with store.write() as conn:
        conn.execute(
            f"""INSERT INTO collect_leases (account_id)
                SELECT a.id FROM accounts a LEFT JOIN employees e ON e.id = a.employee_id
                WHERE {where} AND NOT EXISTS (SELECT 1 FROM collect_leases l WHERE l.account_id = a.id)
                ON CONFLICT(account_id) DO NOTHING""", tuple(params))
        rows = conn.execute(
            f"""SELECT l.account_id FROM collect_leases l
                JOIN accounts a ON a.id = l.account_id LEFT JOIN employees e ON e.id = a.employee_id
                WHERE {where} AND l.done_round < ? AND (l.worker IS NULL OR l.expires_at <= ?)
                ORDER BY l.done_round, a.platform, a.id LIMIT ?{store.dialect.skip_locked('l')}""",
            (*params, round_id, now, limit)).fetchall()
        ids = [int(r[0]) for r in rows]
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        conn.execute(
            f"""UPDATE collect_leases SET worker = ?, expires_at = ?, claim_round = ?, claims = claims + 1
                WHERE account_id IN ({marks})""", (worker, _at(lease_seconds), round_id, *ids))
        found = conn.execute(
            f"""SELECT id, platform, handle, platform_user_id, cursor, status FROM accounts
                WHERE id IN ({marks}) ORDER BY platform, id""", tuple(ids)).fetchall()
    return [dict(r) for r in found]


def hold(store: Store, worker: str, account_id: int, lease_seconds: float) -> None:
    """Inside a write: extend this worker's lease on the account, or raise :class:`LeaseLost`.
    Called in the same transaction as the write that needs the lease (a page and its cursor)."""
    with store.write() as conn:
        cur = conn.execute(
            "UPDATE collect_leases SET expires_at = ? WHERE account_id = ? AND worker = ? AND expires_at > ?",
            (_at(lease_seconds), account_id, worker, utcnow()))
        if cur.rowcount != 1:
            raise LeaseLost(f"sewa akun #{account_id} sudah tidak dipegang {worker}")


def renew(store: Store, worker: str, account_ids: Sequence[int], lease_seconds: float) -> set[int]:
    """Extend this worker's unexpired leases; returns the accounts it still holds."""
    if not account_ids:
        return set()
    marks = ",".join("?" * len(account_ids))
    now = utcnow()
    with store.write() as conn:
        conn.execute(
            f"""UPDATE collect_leases SET expires_at = ? WHERE worker = ? AND expires_at > ?
                AND account_id IN ({marks})""", (_at(lease_seconds), worker, now, *account_ids))
        rows = conn.execute(f"""SELECT account_id FROM collect_leases WHERE worker = ? AND expires_at > ?
                                AND account_id IN ({marks})""", (worker, now, *account_ids)).fetchall()
    return {int(r[0]) for r in rows}


def finish(store: Store, worker: str, account_id: int) -> bool:
    """Mark the account done for the round it was claimed in and free the lease. False (and no
    change) when the lease was lost: whoever holds it now finishes the account."""
    with store.write() as conn:
        cur = conn.execute(
            """UPDATE collect_leases SET worker = NULL, expires_at = NULL, done_round = claim_round, done_at = ?
               WHERE account_id = ? AND worker = ?""", (utcnow(), account_id, worker))
    return cur.rowcount == 1


def release(store: Store, worker: str, account_ids: Sequence[int] | None = None) -> int:
    """Give leases back undone (a worker stopping): the accounts return to the pool at once."""
    params: list = [worker]
    where = "worker = ?"
    if account_ids is not None:
        if not account_ids:
            return 0
        where += f" AND account_id IN ({','.join('?' * len(account_ids))})"
        params += list(account_ids)
    with store.write() as conn:
        cur = conn.execute(f"UPDATE collect_leases SET worker = NULL, expires_at = NULL WHERE {where}", tuple(params))
    return cur.rowcount


def round_progress(store: Store, round_id: int, platforms: Sequence[str] | None = None) -> dict[str, int]:
    """How far the round is: accounts to collect, done, and currently leased."""
    where, params = _due_where(platforms)
    row = store.one(
        f"""SELECT COUNT(*) AS total,
                   SUM(CASE WHEN l.done_round >= ? THEN 1 ELSE 0 END) AS done,
                   SUM(CASE WHEN l.worker IS NOT NULL AND l.done_round < ? THEN 1 ELSE 0 END) AS leased
            FROM accounts a LEFT JOIN employees e ON e.id = a.employee_id
            LEFT JOIN collect_leases l ON l.account_id = a.id WHERE {where}""",
        (round_id, round_id, *params))
    return {"total": int(row["total"] or 0), "done": int(row["done"] or 0), "leased": int(row["leased"] or 0)}


def leases(store: Store) -> list[dict]:
    """Every lease row, for status and tests."""
    return [dict(r) for r in store.query(
        "SELECT account_id, worker, expires_at, claim_round, done_round, claims, done_at FROM collect_leases "
        "ORDER BY account_id")]


# --- shared budgets ------------------------------------------------------------------------------

def take_budget(store: Store, name: str, period: str, amount: int, limit: int) -> tuple[bool, int]:
    """Atomically add ``amount`` to a budget unless that would pass ``limit`` (0: no limit).
    Returns (taken, used after). N workers together therefore never pass the limit."""
    with store.write() as conn:
        conn.execute("INSERT INTO collect_budgets (name, period, used) VALUES (?, ?, 0) "
                     "ON CONFLICT(name, period) DO NOTHING", (name, period))
        row = conn.execute(
            """UPDATE collect_budgets SET used = used + ? WHERE name = ? AND period = ?
               AND (? = 0 OR used + ? <= ?) RETURNING used""", (amount, name, period, limit, amount, limit)).fetchone()
        if row is not None:
            return True, int(row[0])
        used = conn.execute("SELECT used FROM collect_budgets WHERE name = ? AND period = ?", (name, period)).fetchone()
    return False, int(used[0])


def add_budget(store: Store, name: str, period: str, amount: int) -> int:
    """Count what was consumed whatever the limit (the next take stops); returns used after."""
    with store.write() as conn:
        row = conn.execute(
            """INSERT INTO collect_budgets (name, period, used) VALUES (?, ?, ?)
               ON CONFLICT(name, period) DO UPDATE SET used = collect_budgets.used + excluded.used
               RETURNING used""", (name, period, amount)).fetchone()
    return int(row[0])
