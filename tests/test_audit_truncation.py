"""Audit tail truncation with the head removed too, a missing table, and a rollback to an older
consistent state (issue 15, item 5): each must fail verification."""

from __future__ import annotations

import shutil

from engines import drop_trigger
from monitor.evidence import audit, keys, seal
from monitor.store import connect
from test_audit_chain import raw
from test_cli import netra


def cut_tail_and_head(db, keep: int) -> None:
    conn = raw(db)
    drop_trigger(conn, "audit_head_no_delete")
    conn.execute("DELETE FROM audit_log WHERE id > ?", (keep,))
    conn.execute("DELETE FROM audit_head")
    conn.close()


def test_tail_cut_with_the_head_row_deleted_fails(store, db_path):
    for i in range(10):
        audit.record(store, "admin", "user.add", f"user:{i}")
    cut_tail_and_head(store.path, keep=7)
    result = audit.verify(store)
    assert not result.ok and "kepala rantai" in result.reason


def test_a_missing_audit_table_fails(store, db_path):
    audit.record(store, "admin", "user.add", "user:1")
    conn = raw(store.path)
    conn.execute("DROP TABLE audit_log")
    conn.close()
    result = audit.verify(store)
    assert not result.ok and "audit_log" in result.reason


def test_a_missing_head_table_fails(store, db_path):
    conn = raw(store.path)
    conn.execute("DROP TABLE audit_head")
    conn.close()
    assert not audit.verify(store).ok


def test_the_seal_catches_a_rollback_to_an_older_consistent_copy(tmp_path):
    db = tmp_path / "netra.db"
    folder = tmp_path / "data"
    keys.ensure_instance_key(folder)
    with connect(db) as store:
        for i in range(5):
            audit.record(store, "admin", "user.add", f"user:{i}")
    shutil.copy(db, tmp_path / "lama.db")  # an older state that verifies on its own
    with connect(db) as store:
        for i in range(5, 9):
            audit.record(store, "admin", "user.add", f"user:{i}")
        seal.write(store, folder)
        assert seal.check(store, folder).ok
    with connect(tmp_path / "lama.db") as old:
        assert audit.verify(old).ok
        result = seal.check(old, folder)
    assert not result.ok and "mundur" in result.reason


def cli_database(tmp_path, entries: int):
    """A database made by `netra init` (so it has an instance key) with ``entries`` audit entries."""
    db = tmp_path / "netra.db"
    assert netra("init", db=db).returncode == 0
    with connect(db) as store:
        for i in range(entries):
            audit.record(store, "admin", "user.add", f"user:{i}")
    return db


def test_an_emptied_log_with_a_reset_head_fails_against_the_seal(tmp_path):
    db = cli_database(tmp_path, 6)
    assert netra("audit", "verify", db=db).returncode == 0  # writes the seal
    conn = raw(db)
    drop_trigger(conn, "audit_head_forward_only")
    conn.execute("DELETE FROM audit_log")
    conn.execute("UPDATE audit_head SET last_id = 0, hash = ?", ("0" * 64,))
    conn.close()
    with connect(db) as store:
        assert audit.verify(store).ok  # consistent on its own: only the seal outside can tell
    bad = netra("audit", "verify", db=db)
    assert bad.returncode == 2 and "segel" in bad.stderr


def test_cli_verify_fails_when_the_head_row_went_with_the_tail(tmp_path):
    db = cli_database(tmp_path, 8)
    cut_tail_and_head(db, keep=5)
    bad = netra("audit", "verify", db=db)
    assert bad.returncode == 2 and "kepala rantai" in bad.stderr, bad.stderr


def test_a_forged_seal_is_refused(tmp_path, store):
    folder = tmp_path / "data"
    keys.ensure_instance_key(folder)
    audit.record(store, "admin", "user.add", "user:1")
    written = seal.write(store, folder)
    path = folder / seal.SEAL_NAME
    path.write_text(path.read_text().replace(written["hash"], "f" * 64))
    result = seal.check(store, folder)
    assert not result.ok and "tidak ditandatangani" in result.reason



def test_a_chosen_restore_restarts_the_seal_so_verify_still_passes(tmp_path):
    db = cli_database(tmp_path, 4)
    archive = tmp_path / "c.zip"
    assert netra("backup", "create", "-o", str(archive), db=db).returncode == 0
    with connect(db) as store:
        for i in range(5):
            audit.record(store, "admin", "user.add", f"baru:{i}")
    assert netra("audit", "verify", db=db).returncode == 0  # seal now past the backup's head
    assert netra("backup", "restore", str(archive), "--force", db=db).returncode == 0
    checked = netra("audit", "verify", db=db)
    assert checked.returncode == 0, checked.stderr
    assert (tmp_path / ".netra" / f"{seal.SEAL_NAME}.sebelum-pemulihan").exists()
