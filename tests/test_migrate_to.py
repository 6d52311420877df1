"""`netra migrate-to`: an office's SQLite database copied into an empty PostgreSQL database,
checked on arrival (counts, audit chain and head), idempotent on rerun, refusing a target that
holds other data, all or nothing when PostgreSQL refuses a row (issue 20, "moving up")."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from engines import tamper_connection
from monitor import demo
from monitor.evidence import audit, moveup
from monitor.store import connect, people, transfer
from monitor.store import audit as audit_rows
from test_cli import netra


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory) -> Path:
    """The demo office (units, registry, posts, flags, reviews, claims, media, a case), built once."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    demo.build(path).close()
    return path


@pytest.fixture
def office(demo_file, tmp_path) -> Path:
    """A private copy of the demo office for one test, with a unit whose parent has a larger id."""
    path = tmp_path / "kantor.db"
    shutil.copy(demo_file, path)
    with connect(path) as store:
        people.upsert_units(store, [people.UnitRow("ANAK", "Unit Anak", "INDUK"), people.UnitRow("INDUK", "Unit Induk")])
    return path


@pytest.fixture
def empty_url(pg_cluster):
    url = pg_cluster.new_database(migrated=False)
    yield url
    pg_cluster.drop(url)


def _counts(target) -> dict[str, int]:
    """Rows per table, read through a fresh connection (not the one that copied)."""
    with connect(target) as store:
        names = [t for t in store.tables() if t not in transfer.NOT_COPIED]
        return transfer.row_counts(store, names)


def test_the_copy_arrives_whole_with_ids_and_the_same_audit_head(office, empty_url):
    with connect(office) as source:
        report = moveup.migrate_to(source, empty_url, batch=50)  # small batches: many COPY rounds
        sqlite_head = audit.head(source)
        units = [dict(r) for r in source.query("SELECT id, code, parent_id FROM units ORDER BY id")]
        posts = [tuple(r) for r in source.query("SELECT id, account_id, text, raw_json FROM posts ORDER BY id")]
    assert report.status == "copied"
    assert _counts(office) == _counts(empty_url)
    assert sum(_counts(empty_url).values()) > 1000 and _counts(empty_url)["posts"] > 100
    with connect(empty_url) as target:
        chain = audit.verify(target)
        assert chain.ok, chain.reason
        assert audit.head(target) == sqlite_head and sqlite_head["last_id"] == chain.entries
        assert [dict(r) for r in target.query("SELECT id, code, parent_id FROM units ORDER BY id")] == units
        assert [tuple(r) for r in target.query("SELECT id, account_id, text, raw_json FROM posts ORDER BY id")] == posts
        child = target.one("SELECT u.parent_id, p.id FROM units u JOIN units p ON p.code = 'INDUK' WHERE u.code = 'ANAK'")
        assert child[0] == child[1] and child[1] > target.one("SELECT id FROM units WHERE code = 'ANAK'")[0]
        last = target.one("SELECT action, target FROM audit_log ORDER BY id DESC LIMIT 1")
        assert last["action"] == "store.migrate_to" and last["target"].startswith("postgresql:")
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):  # the rules are still on
            target.conn.execute("UPDATE audit_log SET actor = 'orang lain' WHERE id = 1")
        with pytest.raises(sqlite3.IntegrityError, match="forward"):
            target.conn.execute("UPDATE audit_head SET last_id = 1 WHERE id = 1")


def test_a_chain_written_on_either_engine_verifies_on_the_other(office, empty_url, tmp_path):
    with connect(office) as source:
        moveup.migrate_to(source, empty_url)
    with connect(empty_url) as target:  # entries written by PostgreSQL, with text that must hash the same
        audit.record(target, "analis", "flag.decide", "flag:1", note="Ajakan memilih “paslon 02” — ✓", n=3)
        audit.record(target, "admin", "user.add", None, roles=["analyst", "supervisor"])
        assert audit.verify(target).ok
        entries = list(audit_rows.iter_entries(target))
        pg_head = audit.head(target)
    with connect(tmp_path / "salinan.db") as back:  # the same entries, as stored, into a SQLite log
        with back.write() as conn:
            for entry in entries:
                audit_rows.insert_entry(conn, entry)
        result = audit.verify(back)
        assert result.ok, result.reason
        assert result.entries == len(entries) and audit.head(back) == pg_head


def test_sequences_continue_after_the_copied_ids(office, empty_url):
    with connect(office) as source:
        top_unit = source.one("SELECT MAX(id) FROM units")[0]
        moveup.migrate_to(source, empty_url)
        top_audit = source.one("SELECT MAX(id) FROM audit_log")[0]  # the move itself is entry top_audit
    with connect(empty_url) as target:
        people.upsert_units(target, [people.UnitRow("BARU", "Unit Baru")])
        assert target.one("SELECT id FROM units WHERE code = 'BARU'")[0] == top_unit + 1
        assert audit.record(target, "admin", "unit.add", "unit:BARU") == top_audit + 1
        assert audit.verify(target).ok


def test_a_rerun_finds_everything_there_and_copies_nothing(office, empty_url):
    with connect(office) as source:
        first = moveup.migrate_to(source, empty_url)
        before = _counts(empty_url)
        second = moveup.migrate_to(source, empty_url)
    assert (first.status, second.status) == ("copied", "complete")
    assert _counts(empty_url) == before == second.target_counts
    with connect(empty_url) as target:
        assert audit.verify(target).ok and audit.head(target) == first.head


def test_a_target_holding_other_data_is_refused_and_left_alone(office, pg_url):
    with connect(pg_url) as target:
        people.upsert_units(target, [people.UnitRow("LAIN", "Kantor Lain")])
    before = _counts(pg_url)
    with connect(office) as source, pytest.raises(moveup.MigrateError, match="sudah berisi data lain"):
        moveup.migrate_to(source, pg_url)
    assert _counts(pg_url) == before


def test_a_source_changed_after_the_copy_is_not_merged(office, empty_url):
    with connect(office) as source:
        moveup.migrate_to(source, empty_url)
        people.upsert_units(source, [people.UnitRow("SUSULAN", "Unit Susulan")])
        with pytest.raises(moveup.MigrateError, match="sudah berisi data lain"):
            moveup.migrate_to(source, empty_url)
    with connect(empty_url) as target:
        assert target.one("SELECT COUNT(*) FROM units WHERE code = 'SUSULAN'")[0] == 0


def test_a_row_postgresql_refuses_rolls_the_whole_copy_back(office, empty_url):
    raw = sqlite3.connect(office)
    raw.execute("UPDATE posts SET text = ? WHERE id = (SELECT MAX(id) FROM posts)", ("ada\x00nol",))  # PG text has no NUL
    raw.commit()
    raw.close()
    with connect(office) as source, pytest.raises(moveup.MigrateError, match="dibatalkan"):
        moveup.migrate_to(source, empty_url)
    assert not any(n for t, n in _counts(empty_url).items() if t not in transfer.SEEDED)
    with connect(empty_url) as target:
        assert audit.head(target)["last_id"] == 0


def test_a_source_with_a_broken_chain_is_not_moved(office, empty_url):
    conn = tamper_connection(str(office), drop=("audit_log_no_update",))
    conn.execute("UPDATE audit_log SET actor = 'orang lain' WHERE id = 2")
    conn.close()
    with connect(office) as source, pytest.raises(moveup.MigrateError, match="jejak audit sumber rusak"):
        moveup.migrate_to(source, empty_url)
    assert _counts(empty_url)["units"] == 0


def test_cli_copies_then_reports_complete_and_refuses_other_data(office, empty_url, pg_url):
    first = netra("migrate-to", empty_url, "--batch", "100", db=office)
    assert first.returncode == 0, first.stderr
    assert "Jumlah baris" in first.stdout and "Dipindahkan ke" in first.stdout
    posts = f"{_counts(office)['posts']:,}"
    assert any([cell.strip() for cell in line.split("│")[1:4]] == ["posts", posts, posts]
               for line in first.stdout.splitlines() if "posts" in line), first.stdout
    again = netra("migrate-to", empty_url, db=office)
    assert again.returncode == 0 and "sudah lengkap" in again.stdout
    with connect(pg_url) as other:
        people.upsert_units(other, [people.UnitRow("LAIN", "Kantor Lain")])
    refused = netra("migrate-to", pg_url, db=office)
    assert refused.returncode == 1 and "sudah berisi data lain" in refused.stderr
    wrong_way = netra("migrate-to", empty_url, db=empty_url)
    assert wrong_way.returncode == 1 and "SQLite" in wrong_way.stderr


def test_netra_config_shows_the_engine_and_hides_the_password(engine, db_target, tmp_path):
    if engine == "postgresql":
        import psycopg

        with psycopg.connect(db_target) as conn:
            version = conn.execute("SHOW server_version").fetchone()[0]
        target = db_target.replace("netra@", "netra:sandi-rahasia@")  # trust auth: any password is accepted
        expected = f"PostgreSQL {version}"
    else:
        target, expected = db_target, f"SQLite {sqlite3.sqlite_version}"
    shown = netra("config", db=target, cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    row = next(line for line in shown.stdout.splitlines() if "mesin basis data" in line)
    assert expected in row
    assert "sandi-rahasia" not in shown.stdout
    if engine == "postgresql":
        assert "netra:***@" in shown.stdout
    unreachable = netra("config", db="postgresql://netra:x@127.0.0.1:1/tidak_ada", cwd=tmp_path)
    assert unreachable.returncode == 0 and "server tidak terhubung" in unreachable.stdout
