"""Rows of the append-only audit log. Hashing and verification live in monitor.audit."""

from __future__ import annotations

import sqlite3
from typing import Iterable, Iterator

from .db import Store

GENESIS = "0" * 64


def last_hash(conn) -> str:
    row = conn.execute("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    return row[0] if row else GENESIS


def next_id(conn) -> int:
    return int(conn.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM audit_log").fetchone()[0])


def insert_entry(conn, entry: dict) -> int:
    """Insert an entry whose id and hash the caller computed (inside its write transaction)."""
    conn.execute(
        """INSERT INTO audit_log (id, ts, actor, action, target, details_json, prev_hash, hash)
           VALUES (:id, :ts, :actor, :action, :target, :details_json, :prev_hash, :hash)""",
        entry,
    )
    return int(entry["id"])


def iter_entries(store: Store) -> Iterator[dict]:
    """Every entry in id order, read inside one read transaction so the walk sees one snapshot."""
    cursor = store.conn.execute("SELECT * FROM audit_log ORDER BY id")
    try:
        for row in cursor:
            yield dict(row)
    finally:
        cursor.close()


def head(store: Store) -> dict | None:
    """The recorded head of the chain (last id and hash), or None before migration 0004."""
    try:
        row = store.one("SELECT last_id, hash FROM audit_head WHERE id = 1")
    except sqlite3.OperationalError:  # a database migrated only up to 0003
        return None
    return dict(row) if row else {"last_id": None, "hash": None}


def head_expected(store: Store) -> bool:
    """True once the migration that created ``audit_head`` has run."""
    try:
        return bool(store.one("SELECT 1 FROM schema_migrations WHERE name = 'evidence'"))
    except sqlite3.OperationalError:
        return False


def entries_for(store: Store, *, target: str | None = None, limit: int = 200) -> list[dict]:
    if target is None:
        rows = store.query("SELECT * FROM audit_log ORDER BY id DESC LIMIT ?", (limit,))
    else:
        rows = store.query("SELECT * FROM audit_log WHERE target = ? ORDER BY id DESC LIMIT ?", (target, limit))
    return [dict(r) for r in rows]


def entries_for_targets(store: Store, targets: Iterable[str]) -> list[dict]:
    """Every entry about any of ``targets`` (e.g. ``flag:12``, ``post:7``), oldest first."""
    wanted = sorted(set(targets))
    found: list[dict] = []
    for i in range(0, len(wanted), 500):
        chunk = wanted[i : i + 500]
        found += [dict(r) for r in store.query(
            f"SELECT * FROM audit_log WHERE target IN ({','.join('?' * len(chunk))}) ORDER BY id", tuple(chunk))]
    found.sort(key=lambda e: e["id"])
    return found
