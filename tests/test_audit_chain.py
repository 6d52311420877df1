"""The audit chain proves its own integrity: any change, deletion, reordering or truncation made
behind the application's back (triggers dropped, file edited with a raw sqlite3 connection) is
detected by ``verify`` and located at the entry where it happened."""

from __future__ import annotations

import json
import sqlite3

import pytest
from engines import drop_trigger, tamper_connection

from monitor.evidence import audit
from test_cli import netra

N = 120


@pytest.fixture
def chain(store):
    for i in range(1, N + 1):
        audit.record(store, f"user{i % 7}", "review.decide", f"flag:{i}", decision="violation", note=f"catatan {i}")
    return store


def raw(target):
    """A second connection, as someone editing the file with the sqlite3 shell would use."""
    return tamper_connection(target, ("audit_log_no_update", "audit_log_no_delete"))


def test_a_long_chain_verifies_and_its_head_is_the_last_entry(chain):
    result = audit.verify(chain)
    assert result == audit.VerifyResult(True, N)
    head = audit.head(chain)
    last = chain.one("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1")
    assert head == {"last_id": last["id"], "hash": last["hash"]} and head["last_id"] == N


def test_an_empty_chain_verifies(store):
    assert audit.verify(store) == audit.VerifyResult(True, 0)


@pytest.mark.parametrize("column", ["ts", "actor", "action", "target", "details_json", "prev_hash", "hash"])
@pytest.mark.parametrize("position", [1, 57, N])
def test_changing_any_field_of_any_entry_is_located(chain, db_path, column, position):
    conn = raw(chain.path)
    old = conn.execute(f"SELECT {column} FROM audit_log WHERE id = ?", (position,)).fetchone()[0]
    new = (old[:-1] + ("0" if old[-1] != "0" else "1")) if column in ("hash", "prev_hash") else old + "x"
    conn.execute(f"UPDATE audit_log SET {column} = ? WHERE id = ?", (new, position))
    result = audit.verify(chain)
    assert not result.ok
    assert result.first_bad_id == position, result
    assert f"#{position}" in result.reason


def test_a_changed_entry_with_a_recomputed_hash_breaks_the_next_link(chain, db_path):
    conn = raw(chain.path)
    entry = dict(zip(("id", "ts", "actor", "action", "target", "details_json", "prev_hash"), conn.execute(
        "SELECT id, ts, actor, action, target, details_json, prev_hash FROM audit_log WHERE id = 40").fetchone()))
    entry["details_json"] = json.dumps({"decision": "not_violation"})
    conn.execute("UPDATE audit_log SET details_json = ?, hash = ? WHERE id = 40",
                 (entry["details_json"], audit.entry_digest(entry)))
    result = audit.verify(chain)
    assert not result.ok and result.first_bad_id == 41 and "menyambung" in result.reason


@pytest.mark.parametrize("position,located", [(1, 2), (63, 64)])
def test_deleting_an_entry_is_located_at_the_gap(chain, db_path, position, located):
    raw(chain.path).execute("DELETE FROM audit_log WHERE id = ?", (position,))
    result = audit.verify(chain)
    assert not result.ok and result.first_bad_id == located and "hilang" in result.reason


@pytest.mark.parametrize("cut", [1, 5])
def test_cutting_off_the_newest_entries_is_detected(chain, db_path, cut):
    raw(chain.path).execute("DELETE FROM audit_log WHERE id > ?", (N - cut,))
    result = audit.verify(chain)
    assert not result.ok and result.first_bad_id == N - cut + 1
    assert "hilang" in result.reason and f"#{N}" in result.reason


@pytest.mark.parametrize("a,b", [(10, 11), (1, N), (30, 90)])
def test_reordering_entries_is_located_at_the_first_moved_one(chain, db_path, a, b):
    conn = raw(chain.path)
    conn.execute("UPDATE audit_log SET id = -1 WHERE id = ?", (a,))
    conn.execute("UPDATE audit_log SET id = ? WHERE id = ?", (a, b))
    conn.execute("UPDATE audit_log SET id = ? WHERE id = -1", (b,))
    result = audit.verify(chain)
    assert not result.ok and result.first_bad_id == a


def test_an_entry_appended_behind_the_apps_back_is_detected(chain, db_path):
    conn = raw(chain.path)
    drop_trigger(conn, "audit_head_follow")
    prev = conn.execute("SELECT hash FROM audit_log WHERE id = ?", (N,)).fetchone()[0]
    entry = {"id": N + 1, "ts": "2024-01-01T00:00:00.000000Z", "actor": "siluman", "action": "review.decide",
             "target": "flag:1", "details_json": "{}", "prev_hash": prev}
    entry["hash"] = audit.entry_digest(entry)
    conn.execute("INSERT INTO audit_log VALUES (:id, :ts, :actor, :action, :target, :details_json, :prev_hash, :hash)", entry)
    result = audit.verify(chain)
    assert not result.ok and result.first_bad_id == N + 1 and "di luar aplikasi" in result.reason


def test_the_app_cannot_update_or_delete_entries_or_move_the_head_back(chain):
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        chain.conn.execute("UPDATE audit_log SET actor = 'x' WHERE id = 3")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        chain.conn.execute("DELETE FROM audit_log WHERE id = 3")
    with pytest.raises(sqlite3.IntegrityError, match="forward"):
        chain.conn.execute("UPDATE audit_head SET last_id = 3")
    with pytest.raises(sqlite3.IntegrityError):
        chain.conn.execute("DELETE FROM audit_head")
    assert audit.verify(chain).ok


def test_an_entry_rolled_back_with_its_transaction_leaves_no_gap(chain):
    with pytest.raises(RuntimeError):
        with chain.write():
            audit.record(chain, "admin", "settings.change", "setting:x", value=1)
            raise RuntimeError("batal")
    audit.record(chain, "admin", "settings.change", "setting:x", value=2)
    assert audit.verify(chain) == audit.VerifyResult(True, N + 1)


def test_cli_verify_names_the_broken_entry(tmp_path):
    db = tmp_path / "netra.db"
    assert netra("init", db=db).returncode == 0
    from monitor.store import connect

    with connect(db) as store:
        for i in range(20):
            audit.record(store, "admin", "user.add", f"user:{i}")
    ok = netra("audit", "verify", db=db)
    assert ok.returncode == 0 and "20 entri" in ok.stdout
    raw(db).execute("UPDATE audit_log SET target = 'user:99' WHERE id = 12")
    bad = netra("audit", "verify", db=db)
    assert bad.returncode == 2 and "#12" in bad.stderr
