"""One store, two engines (issue 20): the SQL rewrite for PostgreSQL, and a schema that is the
same on both -- tables, columns, append-only rules, case-insensitive names."""

from __future__ import annotations

import sqlite3

import pytest

from monitor.store import connect, latest_version
from monitor.store.dialect import to_postgres


def pg(sql: str) -> str:
    return to_postgres(sql).sql


def test_placeholders_become_psycopg_ones_outside_quoted_text():
    assert pg("SELECT * FROM t WHERE a = ? AND b LIKE 'x?%'") == "SELECT * FROM t WHERE a = %s AND b ILIKE 'x?%%'"
    assert pg("SELECT :name, '::' || x::text") == "SELECT %(name)s, '::' || x::text"
    # A '?' in a comment is not a placeholder.
    assert pg("SELECT 1 -- why?\nFROM t WHERE a = ?") == "SELECT 1 \nFROM t WHERE a = %s"


def test_sqlite_spellings_are_rewritten():
    assert pg("INSERT OR IGNORE INTO m (a) VALUES (?)") == "INSERT INTO m (a) VALUES (%s) ON CONFLICT DO NOTHING"
    assert pg("INSERT OR IGNORE INTO m (a) VALUES (?) RETURNING id").endswith("ON CONFLICT DO NOTHING RETURNING id")
    assert pg("SELECT GROUP_CONCAT(DISTINCT r.id) FROM r") == "SELECT string_agg(DISTINCT (r.id)::text, ',') FROM r"
    assert pg("SELECT GROUP_CONCAT(a || ':' || b, ' ') FROM r") == "SELECT string_agg((a || ':' || b)::text, ' ') FROM r"
    assert pg("SELECT MAX(a, b), MAX(c), MIN(d, 1) FROM t") == "SELECT GREATEST(a, b), MAX(c), LEAST(d, 1) FROM t"
    assert pg("SELECT SUM(f.status = 'open'), SUM(n) FROM f") == \
        "SELECT SUM(CASE WHEN f.status = 'open' THEN 1 ELSE 0 END), SUM(n) FROM f"
    assert pg("SELECT 1 FROM a WHERE a.active AND NOT active AND active = 1") == \
        "SELECT 1 FROM a WHERE (a.active <> 0) AND NOT (active <> 0) AND active = 1"
    assert pg("SELECT * FROM t ORDER BY name COLLATE NOCASE LIMIT -1 OFFSET ?") == \
        "SELECT * FROM t ORDER BY name LIMIT ALL OFFSET %s"
    assert pg("SELECT 1 WHERE +f.status IN ('a') AND x NOT LIKE ?") == "SELECT 1 WHERE f.status IN ('a') AND x NOT ILIKE %s"


def test_quoted_text_is_never_rewritten():
    assert pg("INSERT INTO i (kind) VALUES ('like')") == "INSERT INTO i (kind) VALUES ('like')"
    assert pg("SELECT 'WHERE active AND x' FROM t") == "SELECT 'WHERE active AND x' FROM t"


def test_an_insert_knows_its_table_for_lastrowid():
    assert to_postgres("INSERT INTO posts (a) VALUES (?)").insert_table == "posts"
    assert to_postgres("UPDATE posts SET a = ?").insert_table is None
    assert to_postgres("INSERT INTO cases (a) VALUES (?) RETURNING id").has_returning


@pytest.fixture
def both(tmp_path, pg_url):
    with connect(tmp_path / "netra.db") as lite, connect(pg_url) as post:
        yield lite, post


def test_the_schema_is_the_same_on_both_engines(both):
    lite, post = both
    assert lite.schema_version() == post.schema_version() == latest_version()
    lite_tables, pg_tables = set(lite.tables()), set(post.tables())
    assert lite_tables == pg_tables
    for table in sorted(lite_tables):
        assert lite.columns(table) == post.columns(table), table


def test_append_only_rules_and_case_insensitive_names_hold_on_postgresql(both):
    _, post = both
    from monitor.evidence import audit
    from monitor.store.people import ensure_unit

    audit.record(post, "admin", "user.add", "user:1")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        post.conn.execute("UPDATE audit_log SET actor = 'x'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        post.conn.execute("DELETE FROM audit_log")
    with pytest.raises(sqlite3.IntegrityError, match="forward"):
        post.conn.execute("UPDATE audit_head SET last_id = 0")
    assert audit.verify(post).ok
    # citext, as SQLite's COLLATE NOCASE: the same name in other letters is the same unit.
    first = ensure_unit(post, "Dinas Pendidikan")
    assert ensure_unit(post, "DINAS PENDIDIKAN") == first
    with pytest.raises(sqlite3.IntegrityError):
        with post.write() as conn:
            conn.execute("INSERT INTO units (code, name, instansi_id, created_at, updated_at) "
                         "VALUES ('X', 'dinas pendidikan', (SELECT MIN(id) FROM instansi), 'x', 'x')")


def test_a_failed_write_rolls_back_and_the_connection_stays_usable(both):
    for store in both:
        with pytest.raises(sqlite3.IntegrityError):
            with store.write() as conn:
                for name in ("A", "B"):
                    conn.execute("INSERT INTO units (code, name, instansi_id, created_at, updated_at) "
                                 "VALUES ('A', ?, (SELECT MIN(id) FROM instansi), 'x', 'x')", (name,))
        assert store.one("SELECT COUNT(*) FROM units")[0] == 0
        assert not store.conn.in_transaction
