"""`netra backup` on PostgreSQL (issue 20): pg_dump in an exported snapshot, packed into the same
signed archive as a SQLite backup, verified, and restored with pg_restore into an empty
database; the password never reaches the archive or the command line."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

import evidence_data
from monitor.evidence import audit, backup, keys
from monitor.store import connect, people, pgdump
from monitor.store import backup as backup_rows
from test_cli import netra


@pytest.fixture
def office(pg_url, tmp_path):
    """A PostgreSQL office with real rows and an instance key in its data folder."""
    folder = tmp_path / ".netra"
    with connect(pg_url) as store:
        evidence_data.build(store)
    keys.ensure_instance_key(folder)
    return {"url": pg_url, "folder": folder}


def _public(folder: Path) -> bytes:
    return (folder / keys.PUBLIC_NAME).read_bytes()


def test_backup_verify_restore_round_trip(office, pg_cluster, tmp_path):
    with connect(office["url"]) as store:
        counts, head = backup_rows.row_counts(store), audit.head(store)
    result = backup.create(office["url"], tmp_path / "cadangan.zip", data_dir=office["folder"])
    manifest = result["manifest"]
    assert manifest["engine"] == "postgresql" and manifest["row_counts"] == counts
    assert manifest["audit"]["head"] == head and manifest["audit"]["ok"]
    with zipfile.ZipFile(result["path"]) as zf:
        names = set(zf.namelist())
        assert backup.PG_DUMP_NAME in names and backup.DB_NAME not in names and backup.SIGNATURE in names
        assert zf.read(backup.PG_DUMP_NAME)[:5] == b"PGDMP"  # pg_dump's custom format
    report = backup.verify(result["path"], public_key=_public(office["folder"]))
    assert report.ok and report.signature_verified, report.problems
    empty = pg_cluster.new_database(migrated=False)
    try:
        restored = backup.restore(result["path"], empty, data_dir=tmp_path / "baru", public_key=_public(office["folder"]))
        assert restored["audit_ok"]
        with connect(empty) as store:
            assert audit.verify(store).ok
            after = backup_rows.row_counts(store)
            assert after["audit_log"] == counts["audit_log"] + 1  # the restore itself is recorded
            assert {k: v for k, v in after.items() if k != "audit_log"} == \
                {k: v for k, v in counts.items() if k != "audit_log"}
    finally:
        pg_cluster.drop(empty)


def test_the_dump_is_one_snapshot_with_its_figures(office, tmp_path, monkeypatch, pg_cluster):
    """A row written while pg_dump runs is in neither the dump nor the recorded counts."""
    real_dump = pgdump.dump

    def dump_after_a_write(url, out, *, snapshot=None):
        with connect(url) as other:
            people.upsert_units(other, [people.UnitRow("SELA", "Ditulis saat dump")])
        real_dump(url, out, snapshot=snapshot)

    monkeypatch.setattr(pgdump, "dump", dump_after_a_write)
    result = backup.create(office["url"], tmp_path / "c.zip", data_dir=office["folder"])
    with zipfile.ZipFile(result["path"]) as zf:
        dump = tmp_path / "isi.pgdump"
        dump.write_bytes(zf.read(backup.PG_DUMP_NAME))
    listed = "\n".join(pgdump.contents(dump))
    assert "TABLE DATA" in listed
    with connect(office["url"]) as store:
        live_units = backup_rows.row_counts(store)["units"]
    assert result["manifest"]["row_counts"]["units"] == live_units - 1
    empty = pg_cluster.new_database(migrated=False)
    try:  # restore checks the loaded counts against BACKUP.json: the dump left the row out too
        backup.restore(result["path"], empty, data_dir=tmp_path / "baru", public_key=_public(office["folder"]))
        with connect(empty) as store:
            assert store.one("SELECT COUNT(*) FROM units WHERE code = 'SELA'")[0] == 0
    finally:
        pg_cluster.drop(empty)


def test_a_restore_into_a_database_with_tables_is_refused(office, tmp_path, pg_url):
    result = backup.create(office["url"], tmp_path / "c.zip", data_dir=office["folder"])
    with pytest.raises(backup.BackupError, match="tidak kosong"):
        backup.restore(result["path"], office["url"], data_dir=office["folder"], public_key=_public(office["folder"]),
                       force=True)


def test_an_archive_goes_back_only_to_its_own_engine(office, tmp_path, pg_cluster):
    pg_archive = backup.create(office["url"], tmp_path / "pg.zip", data_dir=office["folder"])["path"]
    with pytest.raises(backup.BackupError, match="berisi dump PostgreSQL"):
        backup.restore(pg_archive, tmp_path / "berkas.db", data_dir=office["folder"], public_key=_public(office["folder"]))
    assert not (tmp_path / "berkas.db").exists()
    with connect(tmp_path / "kantor.db") as store:
        evidence_data.build(store)
    sqlite_archive = backup.create(tmp_path / "kantor.db", tmp_path / "sq.zip", data_dir=office["folder"])["path"]
    empty = pg_cluster.new_database(migrated=False)
    try:
        with pytest.raises(backup.BackupError, match="berisi basis data SQLite"):
            backup.restore(sqlite_archive, empty, data_dir=office["folder"], public_key=_public(office["folder"]))
    finally:
        pg_cluster.drop(empty)


def test_a_changed_dump_is_named_by_verify(office, tmp_path):
    result = backup.create(office["url"], tmp_path / "c.zip", data_dir=office["folder"])
    with zipfile.ZipFile(result["path"]) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    data = bytearray(members[backup.PG_DUMP_NAME])
    data[len(data) // 2] ^= 0xFF
    members[backup.PG_DUMP_NAME] = bytes(data)
    with zipfile.ZipFile(result["path"], "w") as zf:
        for name, content in members.items():
            zf.writestr(name, content)
    report = backup.verify(result["path"], public_key=_public(office["folder"]))
    assert backup.PG_DUMP_NAME in {p.file for p in report.problems}


def test_the_password_goes_by_environment_only(monkeypatch, tmp_path):
    seen = {}

    def fake_run(command, env, **kwargs):
        seen["command"], seen["env"] = command, env

        class Done:
            returncode, stdout, stderr = 0, "", ""
        return Done()

    monkeypatch.setattr(pgdump.subprocess, "run", fake_run)
    pgdump.dump("postgresql://netra:rahasia-sekali@db.example:5432/netra", tmp_path / "x.pgdump", snapshot="00000003-1")
    assert not any("rahasia-sekali" in part for part in seen["command"])
    assert seen["env"]["PGPASSWORD"] == "rahasia-sekali"
    assert any(part.startswith("--dbname=") and "db.example" in part for part in seen["command"])
    assert "--snapshot=00000003-1" in seen["command"] and "--format=custom" in seen["command"]


def test_the_archive_never_holds_the_password(office, tmp_path, pg_cluster):
    pg_cluster.admin("ALTER ROLE netra PASSWORD 'sandi-rahasia'")  # trust auth: accepted, and now in the URL
    url = office["url"].replace("netra@", "netra:sandi-rahasia@")
    try:
        result = backup.create(url, tmp_path / "c.zip", data_dir=office["folder"])
    finally:
        pg_cluster.admin("ALTER ROLE netra PASSWORD NULL")
    with zipfile.ZipFile(result["path"]) as zf:
        text = json.dumps(json.loads(zf.read(backup.MANIFEST)))
        assert "sandi-rahasia" not in text and "***" in text
        assert all(b"sandi-rahasia" not in zf.read(n) for n in zf.namelist())


def test_cli_backup_create_verify_restore_on_postgresql(office, tmp_path, pg_cluster):
    # the data folder (key, media) of a PostgreSQL instance is ./.netra of the working directory
    created = netra("backup", "create", "-o", str(tmp_path / "arsip.zip"), db=office["url"], cwd=tmp_path)
    assert created.returncode == 0, created.stderr
    verified = netra("backup", "verify", str(tmp_path / "arsip.zip"), db=office["url"], cwd=tmp_path)
    assert verified.returncode == 0 and "mesin postgresql" in verified.stdout and "pg_restore" in verified.stdout
    empty = pg_cluster.new_database(migrated=False)
    try:
        restored = netra("backup", "restore", str(tmp_path / "arsip.zip"), db=empty, cwd=tmp_path)
        assert restored.returncode == 0, restored.stderr
        again = netra("backup", "restore", str(tmp_path / "arsip.zip"), db=empty, cwd=tmp_path)
        assert again.returncode == 1 and "tidak kosong" in again.stderr
    finally:
        pg_cluster.drop(empty)


def test_the_readme_recipe_works_for_a_database_owner_that_is_not_a_superuser(pg_cluster, tmp_path):
    """createuser + createdb -O, netra init, migrate-to, backup, restore: no step needs a superuser."""
    name = f"kantor_{tmp_path.name[-8:].lower().replace('-', '_')}"
    pg_cluster.admin(f"CREATE ROLE {name} LOGIN")
    pg_cluster.admin(f"CREATE DATABASE {name} OWNER {name}")
    pg_cluster.admin(f"CREATE DATABASE {name}_kosong OWNER {name}")
    base = pg_cluster.url(name).replace("//netra@", f"//{name}@")
    try:
        with connect(tmp_path / "kantor.db") as office:
            evidence_data.build(office)
        assert netra("init", db=base, cwd=tmp_path).returncode == 0
        moved = netra("migrate-to", base, db=tmp_path / "kantor.db", cwd=tmp_path)
        assert moved.returncode == 0, moved.stderr
        made = netra("backup", "create", "-o", str(tmp_path / "a.zip"), db=base, cwd=tmp_path)
        assert made.returncode == 0, made.stderr
        back = netra("backup", "restore", str(tmp_path / "a.zip"), db=f"{base}_kosong", cwd=tmp_path)
        assert back.returncode == 0, back.stderr
        with connect(f"{base}_kosong") as restored, connect(tmp_path / "kantor.db") as office:
            assert audit.verify(restored).ok
            assert backup_rows.row_counts(restored)["posts"] == backup_rows.row_counts(office)["posts"]
    finally:
        for database in (name, f"{name}_kosong"):
            pg_cluster.admin(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        pg_cluster.admin(f"DROP ROLE IF EXISTS {name}")
