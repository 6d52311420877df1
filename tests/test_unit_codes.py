"""Unit codes and names are unique per instansi, not database-wide (migration 0021, issue 20).

Every pemda has a "Dinas Pendidikan", often coded "DISDIK": two kabupaten import the very same
unit tree and each gets its own units, employees and scope. Within one instansi a code or name
is still one unit. A database at version 0020 upgrades keeping ids, parents and links.
"""

from __future__ import annotations

import sqlite3

import pytest

from conftest import write_csv
from monitor import auth
from monitor.people import instansi, registry
from monitor.store import connect, people
from monitor.store import instansi as instansi_rows

UNITS = ("code,name,parent_code", "DISDIK,Dinas Pendidikan,", "SDN1,SD Negeri 1,disdik", "DINKES,Dinas Kesehatan,")
#: Per kabupaten: (instansi code, NIP prefix, handle prefix).
TENANTS = {"alfa": ("KAB-ALFA", "1985031220100120", "alfa"), "beta": ("KAB-BETA", "1990010120150310", "beta")}


def _import(store, tmp_path, key: str, instansi_id: int) -> None:
    """The same unit file for every kabupaten, and an employee registry naming those units."""
    report = registry.import_units(store, write_csv(tmp_path / f"units-{key}.csv", *UNITS), instansi_id=instansi_id)
    assert report.applied and report.counts == {"added": 3, "updated": 0}, report.errors
    _, nip, handle = TENANTS[key]
    report = registry.import_employees(store, write_csv(
        tmp_path / f"pegawai-{key}.csv", "NIP,Nama,Unit Kerja,X",
        f"{nip}01,Guru {key},SD Negeri 1,@{handle}_guru",
        f"{nip}02,Perawat {key},dinas kesehatan,@{handle}_sehat"), instansi_id=instansi_id)
    assert report.applied and report.counts["added"] == 2, report.errors


@pytest.fixture
def world(store, tmp_path):
    ids = {key: instansi_rows.add(store, code, f"BKPSDM {key}") for key, (code, _, _) in TENANTS.items()}
    users = {}
    for key, instansi_id in ids.items():
        _import(store, tmp_path, key, instansi_id)
        disdik = people.unit_id_by_code(store, "DISDIK", instansi_id)
        for role, units in (("analyst", []), ("supervisor", [disdik])):
            name = f"{role}_{key}"
            auth.create_user(store, name, f"sandi-{name}", role, unit_ids=units, instansi_id=instansi_id)
            users[name] = auth.login(store, name, f"sandi-{name}")
    return {"ids": ids, "users": users}


def _units_of(store, instansi_id: int) -> dict[str, dict]:
    rows = store.query("SELECT u.id, u.code, u.name, p.code AS parent, p.instansi_id AS parent_instansi "
                       "FROM units u LEFT JOIN units p ON p.id = u.parent_id WHERE u.instansi_id = ?", (instansi_id,))
    return {r["code"]: dict(r) for r in rows}


def test_two_instansi_import_the_same_unit_tree_and_each_keeps_its_own(store, world, tmp_path):
    alfa, beta = world["ids"]["alfa"], world["ids"]["beta"]
    units = {key: _units_of(store, world["ids"][key]) for key in ("alfa", "beta")}
    for key, found in units.items():
        assert set(found) == {"DISDIK", "SDN1", "DINKES"}
        # The parent is the instansi's own DISDIK, named in the file in other letters.
        assert found["SDN1"]["parent"] == "DISDIK" and found["SDN1"]["parent_instansi"] == world["ids"][key]
    assert not {u["id"] for u in units["alfa"].values()} & {u["id"] for u in units["beta"].values()}
    assert people.unit_id_by_code(store, "DISDIK", alfa) == units["alfa"]["DISDIK"]["id"]
    assert people.unit_id_by_code(store, "Dinas Pendidikan", beta) == units["beta"]["DISDIK"]["id"]
    assert instansi_rows.unit_ids_of(store, [alfa]) == {u["id"] for u in units["alfa"].values()}
    for key, other in (("alfa", "beta"), ("beta", "alfa")):
        own = {u["id"] for u in units[key].values()}
        analyst, supervisor = world["users"][f"analyst_{key}"], world["users"][f"supervisor_{key}"]
        seen = people.list_employees(store, unit_ids=instansi.unit_scope(store, analyst))
        assert sorted(e["name"] for e in seen) == [f"Guru {key}", f"Perawat {key}"]
        assert {e["unit_id"] for e in seen} <= own
        assert {e["unit"] for e in seen} == {"SD Negeri 1", "Dinas Kesehatan"}
        assert not any(other in (e["accounts"] or "") for e in seen)
        # A supervisor of DISDIK reads the SD under their own DISDIK only.
        below = people.list_employees(store, unit_ids=instansi.unit_scope(store, supervisor))
        assert [e["name"] for e in below] == [f"Guru {key}"]
    # A second import of the same file by one kabupaten updates its units, never the other's.
    report = registry.import_units(store, write_csv(tmp_path / "again.csv", UNITS[0],
                                                    "DISDIK,Dinas Pendidikan dan Kebudayaan,", *UNITS[2:]),
                                   instansi_id=alfa)
    assert report.applied and report.counts == {"added": 0, "updated": 3}
    assert _units_of(store, alfa)["DISDIK"]["name"] == "Dinas Pendidikan dan Kebudayaan"
    assert _units_of(store, beta)["DISDIK"]["name"] == "Dinas Pendidikan"


def test_within_one_instansi_a_code_or_name_is_still_one_unit(store, world, tmp_path):
    alfa, beta = world["ids"]["alfa"], world["ids"]["beta"]
    disdik = people.unit_id_by_code(store, "DISDIK", alfa)
    # The same code twice in one file is refused, in any letters.
    report = registry.import_units(store, write_csv(tmp_path / "dup.csv", UNITS[0], "BAPPEDA,Bappeda,",
                                                    "bappeda,Bappeda Lagi,"), instansi_id=alfa)
    assert not report.applied and "sama dengan baris 2" in report.errors[0].reason
    # The database refuses a second unit with the instansi's code or name, in any letters.
    for code, name in (("disdik", "Lain"), ("LAIN", "DINAS PENDIDIKAN")):
        with pytest.raises(sqlite3.IntegrityError):
            with store.write() as conn:
                conn.execute("INSERT INTO units (code, name, instansi_id, created_at, updated_at) "
                             "VALUES (?, ?, ?, 'x', 'x')", (code, name, alfa))
    # A unit must belong to an instansi.
    with pytest.raises(sqlite3.IntegrityError):
        with store.write() as conn:
            conn.execute("INSERT INTO units (code, name, created_at, updated_at) VALUES ('BARU', 'Baru', 'x', 'x')")
    # A name the instansi knows is its unit; another instansi's name makes a new unit there,
    # with a code unique within that instansi.
    assert people.ensure_unit(store, "dinas pendidikan", alfa) == disdik
    other = instansi_rows.add(store, "KAB-GAMMA", "BKPSDM Gamma")
    created = people.ensure_unit(store, "Dinas Pendidikan", other)
    assert created not in (disdik, people.unit_id_by_code(store, "DISDIK", beta))
    assert people.ensure_unit(store, "Dinas-Pendidikan", other) != created  # same generated code, suffixed
    codes = {r[0] for r in store.query("SELECT code FROM units WHERE instansi_id = ?", (other,))}
    assert codes == {"DINASPENDIDIKAN", "DINASPENDIDIKAN2"}
    # None is the default instansi, which holds none of these units.
    with pytest.raises(ValueError, match="tidak ditemukan"):
        people.unit_id_by_code(store, "DISDIK")
    assert "dinas pendidikan" not in people.unit_ids_by_name(store)


@pytest.fixture
def old_target(engine, request, tmp_path) -> str:
    """An empty database to migrate by hand: a SQLite file, or a bare PostgreSQL database."""
    if engine == "postgresql":
        cluster = request.getfixturevalue("pg_cluster")
        url = cluster.new_database(migrated=False)
        yield url
        cluster.drop(url)
    else:
        yield str(tmp_path / "lama.db")


def test_a_database_at_0020_upgrades_keeping_ids_parents_and_links(old_target):
    with connect(old_target, migrate_to=20) as old:
        assert old.schema_version() == 20
        with old.write() as conn:
            conn.execute("INSERT INTO instansi (id, code, name, created_at) VALUES (7, 'KAB-LAIN', 'Lain', 'x')")
            # A parent with a larger id than its child, units with and without instansi_id.
            for unit_id, code, parent, owner in ((30, "DISDIK", None, None), (10, "SDN1", 30, None),
                                                 (20, "LAIN-DINKES", None, 7)):
                conn.execute("INSERT INTO units (id, code, name, parent_id, instansi_id, created_at, updated_at) "
                             "VALUES (?, ?, ?, ?, ?, 'x', 'x')", (unit_id, code, f"Unit {code}", parent, owner))
            conn.execute("INSERT INTO employees (id, nip, name, unit_id, employment_type, created_at, updated_at) "
                         "VALUES (5, '198503122010012003', 'Ani', 10, 'PNS', 'x', 'x')")
            conn.execute("INSERT INTO users (id, username, password_hash, role, created_at, updated_at) "
                         "VALUES (3, 'atasan', 'x', 'supervisor', 'x', 'x')")
            conn.execute("INSERT INTO user_units (user_id, unit_id) VALUES (3, 30)")
    with connect(old_target) as new:
        assert new.schema_version() == 21
        default = instansi_rows.default_id(new)
        assert [tuple(r) for r in new.query("SELECT id, code, parent_id, instansi_id FROM units ORDER BY id")] == [
            (10, "SDN1", 30, default), (20, "LAIN-DINKES", None, 7), (30, "DISDIK", None, default)]
        assert new.one("SELECT unit_id FROM employees WHERE id = 5")[0] == 10
        assert new.one("SELECT unit_id FROM user_units WHERE user_id = 3")[0] == 30
        if new.engine == "sqlite":
            assert new.query("PRAGMA foreign_key_check") == []
            assert new.one("PRAGMA foreign_keys")[0] == 1  # back on after the rebuild
            assert {r[0] for r in new.query("SELECT name FROM sqlite_master WHERE tbl_name = 'units'")} >= {
                "units", "units_instansi"}
        # The employee is still in the supervisor's tree, and the other instansi may now use DISDIK.
        assert people.descendant_unit_ids(new, [30]) == {10, 30}
        assert people.upsert_units(new, [people.UnitRow("DISDIK", "Unit DISDIK")], instansi_id=7) == \
            {"added": 1, "updated": 0}
        with pytest.raises(sqlite3.IntegrityError):
            with new.write() as conn:  # foreign keys are enforced again
                conn.execute("UPDATE employees SET unit_id = 999 WHERE id = 5")


def test_a_table_rebuild_that_would_orphan_rows_is_rolled_back(tmp_path):
    """The safety net of rebuilding migrations (run with foreign keys off): the foreign key check
    before commit refuses the migration, nothing of it stays, and foreign keys are on again."""
    from monitor.store import db

    with connect(tmp_path / "netra.db") as store:
        unit = people.ensure_unit(store, "Dinas Pendidikan")
        with store.write() as conn:
            conn.execute("INSERT INTO employees (nip, name, unit_id, employment_type, created_at, updated_at) "
                         "VALUES ('198503122010012003', 'Ani', ?, 'PNS', 'x', 'x')", (unit,))
        broken = db.Migration(99, "broken", f"{db.REBUILDS_TABLES}\nDELETE FROM units;\n")
        with pytest.raises(db.StoreError, match="foreign key"):
            db._apply_sqlite(store, broken)
        assert store.one("SELECT COUNT(*) FROM units")[0] == 1 and store.schema_version() == 21
        assert store.one("PRAGMA foreign_keys")[0] == 1
