"""The audit trail: every entry chained to the one before it by SHA-256.

Each entry's hash covers its own position, time, actor, action, target, details and the
previous entry's hash, so changing, deleting, inserting or reordering any entry breaks the
chain at a point that ``verify`` names. SQLite triggers also refuse UPDATE and DELETE.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from .store import Store, utcnow
from .store import audit as rows


def _digest(entry: dict[str, Any]) -> str:
    material = json.dumps(
        [entry["id"], entry["ts"], entry["actor"], entry["action"], entry["target"],
         entry["details_json"], entry["prev_hash"]],
        ensure_ascii=False, separators=(",", ":"),
    )
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


def record(store: Store, actor: str, action: str, target: str | None = None, **details: Any) -> int:
    """Append one entry; joins the caller's write transaction if there is one."""
    with store.write() as conn:
        prev = rows.last_hash(conn)
        next_id = conn.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM audit_log").fetchone()[0]
        entry = {
            "id": next_id, "ts": utcnow(), "actor": actor, "action": action, "target": target,
            "details_json": json.dumps(details, ensure_ascii=False, sort_keys=True, default=str),
            "prev_hash": prev,
        }
        entry["hash"] = _digest(entry)
        conn.execute(
            """INSERT INTO audit_log (id, ts, actor, action, target, details_json, prev_hash, hash)
               VALUES (:id, :ts, :actor, :action, :target, :details_json, :prev_hash, :hash)""",
            entry,
        )
    return next_id


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    entries: int
    first_bad_id: int | None = None
    reason: str | None = None


def verify(store: Store) -> VerifyResult:
    """Walk the whole chain and report the first entry that does not fit."""
    prev, expected_id, count = rows.GENESIS, 1, 0
    for entry in rows.iter_entries(store):
        count += 1
        if entry["id"] != expected_id:
            return VerifyResult(False, count, entry["id"], f"entri sebelum #{entry['id']} hilang (diharapkan #{expected_id})")
        if entry["prev_hash"] != prev:
            return VerifyResult(False, count, entry["id"], f"entri #{entry['id']} tidak menyambung ke entri sebelumnya")
        if _digest(entry) != entry["hash"]:
            return VerifyResult(False, count, entry["id"], f"isi entri #{entry['id']} telah diubah")
        prev, expected_id = entry["hash"], expected_id + 1
    return VerifyResult(True, count)
