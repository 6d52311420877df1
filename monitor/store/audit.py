"""Rows of the append-only audit log. Hashing and verification live in monitor.audit."""

from __future__ import annotations

from typing import Iterator

from .db import Store

GENESIS = "0" * 64


def last_hash(conn) -> str:
    row = conn.execute("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    return row[0] if row else GENESIS


def insert_entry(conn, entry: dict) -> int:
    cur = conn.execute(
        """INSERT INTO audit_log (ts, actor, action, target, details_json, prev_hash, hash)
           VALUES (:ts, :actor, :action, :target, :details_json, :prev_hash, :hash)""",
        entry,
    )
    return int(cur.lastrowid)


def iter_entries(store: Store) -> Iterator[dict]:
    for row in store.conn.execute("SELECT * FROM audit_log ORDER BY id"):
        yield dict(row)


def entries_for(store: Store, *, target: str | None = None, limit: int = 200) -> list[dict]:
    if target is None:
        rows = store.query("SELECT * FROM audit_log ORDER BY id DESC LIMIT ?", (limit,))
    else:
        rows = store.query("SELECT * FROM audit_log WHERE target = ? ORDER BY id DESC LIMIT ?", (target, limit))
    return [dict(r) for r in rows]
