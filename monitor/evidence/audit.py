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
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from typing import Any

from ..redact import redact_value
from ..store import Store, utcnow
from ..store import audit as rows


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
            "details_json": json.dumps(redact_value(details), ensure_ascii=False, sort_keys=True, default=str),
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


def _walk(store: Store, upto: int | None = None) -> tuple[VerifyResult | None, int, int, str]:
    """Check the links from the first entry (through ``upto`` when given).

    Returns the first problem (or None), the entries read, and the id and hash of the last good
    entry; ``verify`` and ``verify_anchor`` share it so both judge the chain the same way.
    """
    prev, expected_id, count = rows.GENESIS, 1, 0
    last_id = 0
    with closing(rows.iter_entries(store)) as entries:  # closed at once when the walk stops early
        for entry in entries:
            if upto is not None and expected_id > upto:
                break
            count += 1
            reason = None
            if entry["id"] != expected_id:
                reason = f"entri sebelum #{entry['id']} hilang (diharapkan #{expected_id})"
            elif entry["prev_hash"] != prev:
                reason = f"entri #{entry['id']} tidak menyambung ke entri sebelumnya"
            elif _digest(entry) != entry["hash"]:
                reason = f"isi entri #{entry['id']} telah diubah"
            if reason is not None:
                return VerifyResult(False, count, entry["id"], reason), count, last_id, prev
            prev, expected_id, last_id = entry["hash"], expected_id + 1, entry["id"]
    return None, count, last_id, prev


def verify(store: Store) -> VerifyResult:
    """Walk the whole chain and report the first entry that does not fit.

    A missing ``audit_log`` or ``audit_head`` table, or a missing head row, fails: deleting
    the head together with the tail is how a truncation would otherwise go unseen.
    """
    try:
        problem, count, last_id, prev = _walk(store)
        recorded = rows.head(store)
    except sqlite3.OperationalError:
        return VerifyResult(False, 0, None, "tabel jejak audit (audit_log) tidak ada")
    if problem is not None:
        return problem
    if recorded is None and rows.head_expected(store):
        return VerifyResult(False, count, None, "tabel kepala rantai (audit_head) hilang")
    if recorded is not None and recorded["last_id"] is None:
        return VerifyResult(False, count, None, "kepala rantai audit (audit_head) hilang")
    if recorded is not None:
        if recorded["last_id"] > last_id:
            return VerifyResult(False, count, last_id + 1,
                                f"entri #{last_id + 1} sampai #{recorded['last_id']} (akhir rantai) hilang")
        if recorded["last_id"] < last_id:
            return VerifyResult(False, count, recorded["last_id"] + 1,
                                f"entri #{recorded['last_id'] + 1} ditambahkan di luar aplikasi (kepala rantai di #{recorded['last_id']})")
        if recorded["hash"] != prev:
            return VerifyResult(False, count, last_id, f"entri terakhir #{last_id} tidak cocok dengan kepala rantai")
    return VerifyResult(True, count)


@dataclass(frozen=True)
class AnchorResult:
    """Whether the live chain still holds an entry someone recorded earlier (an anchor)."""

    ok: bool
    seq: int
    entries: int = 0
    first_bad_id: int | None = None
    reason: str | None = None


def verify_anchor(store: Store, seq: int, hash: str) -> AnchorResult:
    """Check that entry ``seq`` still carries ``hash`` and the chain verifies from #1 through it.

    An anchor is a head copied out of the database earlier (an evidence bundle's
    ``audit_head``). The chain's own head moves with every entry, so a log rewritten wholesale,
    hashes recomputed, verifies on its own; it cannot keep an old anchor's hash unless nothing
    up to that entry changed. Entries appended after the anchor are not its concern.
    """
    if isinstance(seq, bool) or not isinstance(seq, int) or seq < 0 or not isinstance(hash, str):
        raise ValueError(f"jangkar audit tidak valid: #{seq!r} {hash!r}")
    if seq == 0:  # anchored before the first entry: only the genesis value can match
        if hash == rows.GENESIS:
            return AnchorResult(True, 0)
        return AnchorResult(False, 0, 0, 0, "jangkar #0 tidak membawa hash awal rantai")
    problem, count, last_id, prev = _walk(store, upto=seq)
    if problem is not None:
        return AnchorResult(False, seq, count, problem.first_bad_id, problem.reason)
    if last_id < seq:
        return AnchorResult(False, seq, count, last_id + 1, f"entri #{last_id + 1} sampai #{seq} tidak ada lagi")
    if prev != hash:
        return AnchorResult(False, seq, count, seq, f"entri #{seq} tidak lagi membawa hash yang dicatat bundel")
    return AnchorResult(True, seq, count)
