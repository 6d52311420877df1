"""The audit trail: every entry chained to the one before it by SHA-256.

Each entry's hash covers its own position, time, actor, action, target, details and the
previous entry's hash, so changing, deleting, inserting or reordering any entry breaks the
chain at a point that ``verify`` names. A hash chain alone cannot show that its newest entries
were cut off, so the database also keeps the chain's head (last id and hash, moved forward by
a trigger) and ``verify`` checks that the chain still ends there. SQLite triggers refuse UPDATE
and DELETE on the log and let the head only move forward.
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


def entry_digest(entry: dict[str, Any]) -> str:
    """The hash an entry must carry; exported so a bundle's audit entries can be rechecked."""
    return _digest(entry)


def record(store: Store, actor: str, action: str, target: str | None = None, **details: Any) -> int:
    """Append one entry; joins the caller's write transaction if there is one."""
    with store.write() as conn:
        entry = {
            "id": rows.next_id(conn), "ts": utcnow(), "actor": actor, "action": action, "target": target,
            "details_json": json.dumps(details, ensure_ascii=False, sort_keys=True, default=str),
            "prev_hash": rows.last_hash(conn),
        }
        entry["hash"] = _digest(entry)
        return rows.insert_entry(conn, entry)


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    entries: int
    first_bad_id: int | None = None
    reason: str | None = None


def head(store: Store) -> dict | None:
    """The chain's recorded head: ``{"last_id", "hash"}`` (what an evidence bundle anchors)."""
    return rows.head(store)


def verify(store: Store) -> VerifyResult:
    """Walk the whole chain and report the first entry that does not fit."""
    prev, expected_id, count = rows.GENESIS, 1, 0
    last_id = 0
    for entry in rows.iter_entries(store):
        count += 1
        if entry["id"] != expected_id:
            return VerifyResult(False, count, entry["id"], f"entri sebelum #{entry['id']} hilang (diharapkan #{expected_id})")
        if entry["prev_hash"] != prev:
            return VerifyResult(False, count, entry["id"], f"entri #{entry['id']} tidak menyambung ke entri sebelumnya")
        if _digest(entry) != entry["hash"]:
            return VerifyResult(False, count, entry["id"], f"isi entri #{entry['id']} telah diubah")
        prev, expected_id, last_id = entry["hash"], expected_id + 1, entry["id"]
    recorded = rows.head(store)
    if recorded is not None and recorded["last_id"] is not None:
        if recorded["last_id"] > last_id:
            return VerifyResult(False, count, last_id + 1,
                                f"entri #{last_id + 1} sampai #{recorded['last_id']} (akhir rantai) hilang")
        if recorded["last_id"] < last_id:
            return VerifyResult(False, count, recorded["last_id"] + 1,
                                f"entri #{recorded['last_id'] + 1} ditambahkan di luar aplikasi (kepala rantai di #{recorded['last_id']})")
        if recorded["hash"] != prev:
            return VerifyResult(False, count, last_id, f"entri terakhir #{last_id} tidak cocok dengan kepala rantai")
    return VerifyResult(True, count)
