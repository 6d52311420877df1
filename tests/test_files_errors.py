"""Files and errors (issue 15, item 12): personal-data files 0600, one bad byte costs one row, a
UTF-16 CSV is read, a NUL in a search is harmless, a full disk shows its own error, the models
folder follows the database, and a killed collection run is marked interrupted."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys

import pytest

from monitor.collect.file_import import import_posts
from monitor.people import registry
from monitor.store import connect
from monitor.store import collection
from monitor.store.posts import list_posts
from test_registry import ANI, BUDI, HEADER


def test_a_new_database_and_its_wal_are_readable_by_the_owner_only(tmp_path):
    db = tmp_path / "baru.db"
    with connect(db) as store:
        store.conn.execute("CREATE TABLE t (x)")  # something in the WAL
        assert stat.S_IMODE(db.stat().st_mode) == 0o600
        wal = tmp_path / "baru.db-wal"
        assert not wal.exists() or stat.S_IMODE(wal.stat().st_mode) == 0o600


def _posts_csv(path, lines: list[bytes]) -> None:
    path.write_bytes(b"platform,account,post_id,text\n" + b"\n".join(lines) + b"\n")


def test_one_invalid_utf8_byte_reports_that_row_and_imports_the_rest(store, tmp_path):
    path = tmp_path / "kiriman.csv"
    _posts_csv(path, [b"x,ani_guru,1,Ayo coblos", b"x,ani_guru,2,rusak \xff di sini", b"x,ani_guru,3,Halo semua"])
    report = import_posts(store, path)
    assert report.new == 2 and [line for line, _ in report.skipped] == [3]
    assert "UTF-8" in report.skipped[0][1]
    jsonl = tmp_path / "kiriman.jsonl"
    jsonl.write_bytes(json.dumps({"platform": "x", "post_id": "4", "text": "baik"}).encode() + b"\n"
                      + b'{"platform": "x", "post_id": "5", "text": "\xc3("}\n'
                      + json.dumps({"platform": "x", "post_id": "6", "text": "baik juga"}).encode() + b"\n")
    report = import_posts(store, jsonl)
    assert report.new == 2 and [line for line, _ in report.skipped] == [2]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_a_utf16_registry_csv_is_detected_and_read(store, tmp_path, encoding):
    path = tmp_path / "pegawai.csv"
    path.write_bytes("\r\n".join([HEADER, ANI, BUDI]).encode(encoding))
    report = registry.import_employees(store, path)
    assert report.applied and report.errors == [] and report.counts["added"] == 2


def test_a_utf16_posts_csv_is_read(store, tmp_path):
    path = tmp_path / "kiriman.csv"
    path.write_bytes("platform,account,post_id,text\r\nx,ani_guru,1,Selamat pagi\r\n".encode("utf-16"))
    assert import_posts(store, path).new == 1


def test_a_nul_byte_in_a_search_is_harmless(store, tmp_path):
    path = tmp_path / "kiriman.csv"
    _posts_csv(path, [b"x,ani_guru,1,Ayo coblos nomor dua"])
    import_posts(store, path)
    assert list_posts(store, search="coblos\x00") == list_posts(store, search="coblos")
    assert list_posts(store, search="\x00") is not None


def test_a_full_disk_surfaces_the_real_error(store):
    store.conn.execute("CREATE TABLE besar (data BLOB)")
    pages = store.one("PRAGMA page_count")[0]
    store.conn.execute(f"PRAGMA max_page_count = {pages + 2}")
    with pytest.raises(Exception) as raised:
        with store.write() as conn:
            conn.execute("INSERT INTO besar VALUES (?)", (b"\0" * 1_000_000,))
    assert "full" in str(raised.value)  # "database or disk is full", not "no transaction is active"
    assert not store.conn.in_transaction


def test_the_models_folder_follows_the_database_not_the_working_directory(tmp_path, monkeypatch):
    from classifiers.pipeline import models_dir
    from monitor.evidence.keys import follow_data_dir

    monkeypatch.delenv("NETRA_DATA_DIR", raising=False)
    monkeypatch.delenv("NETRA_MODELS_DIR", raising=False)
    monkeypatch.chdir(tmp_path)
    folder = follow_data_dir(tmp_path / "kantor" / "netra.db")
    assert folder == tmp_path / "kantor" / ".netra"
    assert models_dir() == tmp_path / "kantor" / ".netra" / "models"


def test_a_killed_run_left_running_is_marked_interrupted_on_the_next_start(store):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    first = collection.start_run(store, platforms=["x"], account=None)
    store.conn.execute("UPDATE collect_runs SET pid = ? WHERE id = ?", (dead.pid, first))  # killed mid-run
    mine = collection.start_run(store, platforms=["x"], account=None)  # still alive: left alone
    second = collection.start_run(store, platforms=None, account=None)
    runs = {r["id"]: dict(r) for r in store.query("SELECT id, status, end_reason, finished_at FROM collect_runs")}
    assert runs[first]["status"] == "failed" and "terputus" in runs[first]["end_reason"] and runs[first]["finished_at"]
    assert runs[mine]["status"] == "running" and runs[second]["status"] == "running"
    assert os.getpid() != dead.pid
