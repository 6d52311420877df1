from __future__ import annotations

import sqlite3

import pytest

from monitor.store import PostRecord, StoreError, connect, latest_version
from monitor.store.posts import (
    count_posts, fts_query, get_post, list_posts, mark_deleted, post_versions, upsert_posts,
)


def record(post_id: str, text: str, **extra) -> PostRecord:
    raw = extra.pop("raw", {"id": post_id, "text": text, "likes": 0})
    return PostRecord(platform="bluesky", post_id=post_id, text=text, raw=raw, **extra)


def test_new_database_has_schema_and_pragmas(store):
    tables = set(store.tables())
    for name in ("units", "employees", "accounts", "posts", "post_versions", "classifications", "flags",
                 "reviews", "users", "elections", "candidates", "parties", "campaign_accounts",
                 "campaign_terms", "interactions", "audit_log", "reports", "claims", "cases"):
        assert name in tables, name
    assert store.schema_version() == latest_version()
    if store.engine == "postgresql":
        return
    assert "posts_fts" in {r[0] for r in store.query("SELECT name FROM sqlite_master")}
    assert store.one("PRAGMA journal_mode")[0] == "wal"
    assert store.one("PRAGMA foreign_keys")[0] == 1
    assert store.one("PRAGMA busy_timeout")[0] >= 5000


def test_migrating_an_existing_file_keeps_its_data(db_path):
    with connect(db_path, migrate_to=1) as old:
        assert old.schema_version() == 1
        assert "elections" not in old.db.table_names()
        upsert_posts(old, [record("a1", "salam dua jari #Coblos2")])
    with connect(db_path) as new:
        assert new.schema_version() == latest_version()
        assert "elections" in new.db.table_names()
        # Posts written before the FTS migration are searchable after it.
        assert [p["post_id"] for p in list_posts(new, search="#Coblos2")] == ["a1"]


def test_database_from_a_newer_netra_is_refused(db_path):
    with connect(db_path) as opened:
        opened.conn.execute("INSERT INTO schema_migrations VALUES (999, 'future', 'x')")
    with pytest.raises(StoreError, match="newer"):
        connect(db_path)


def test_missing_database_is_not_created_when_asked_not_to(tmp_path):
    with pytest.raises(StoreError, match="netra init"):
        connect(tmp_path / "absent.db", create=False)
    assert not (tmp_path / "absent.db").exists()


def test_upsert_is_idempotent(store):
    batch = [record(f"p{i}", f"teks {i}") for i in range(10)]
    first = upsert_posts(store, batch)
    second = upsert_posts(store, batch)
    assert len(first.new_ids) == 10
    assert second.new_ids == [] and second.edited_ids == [] and second.unchanged == 10
    assert count_posts(store) == 10
    assert {get_post(store, i)["post_id"] for i in first.new_ids} == {f"p{i}" for i in range(10)}


def test_counter_changes_do_not_touch_stored_evidence(store):
    (post_id,) = upsert_posts(store, [record("p1", "halo", raw={"id": "p1", "likes": 1})]).new_ids
    before = get_post(store, post_id)
    result = upsert_posts(store, [record("p1", "halo", raw={"id": "p1", "likes": 99})])
    after = get_post(store, post_id)
    assert result.unchanged == 1
    assert after["raw_json"] == before["raw_json"] and after["raw_sha256"] == before["raw_sha256"]
    assert after["version"] == 1


def test_edited_text_becomes_a_new_version(store):
    (post_id,) = upsert_posts(store, [record("p1", "versi pertama")]).new_ids
    first_hash = get_post(store, post_id)["raw_sha256"]
    result = upsert_posts(store, [record("p1", "versi kedua")])
    assert result.edited_ids == [post_id]
    versions = post_versions(store, post_id)
    assert [v["version"] for v in versions] == [1, 2]
    assert [v["text"] for v in versions] == ["versi pertama", "versi kedua"]
    assert versions[0]["raw_sha256"] == first_hash != versions[1]["raw_sha256"]
    # The FTS index follows the current text.
    assert list_posts(store, search="kedua") and not list_posts(store, search="pertama")


def test_same_post_twice_in_one_batch_is_applied_in_order(store):
    result = upsert_posts(store, [record("p1", "satu"), record("p1", "dua")])
    assert len(result.new_ids) == 1 and len(result.edited_ids) == 1
    assert get_post(store, result.new_ids[0])["text"] == "dua"


def test_deleted_posts_are_marked_not_erased(store):
    (post_id,) = upsert_posts(store, [record("p1", "akan dihapus")]).new_ids
    assert mark_deleted(store, "bluesky", ["p1"], when="2024-10-10T00:00:00Z") == 1
    post = get_post(store, post_id)
    assert post["deleted_at"] == "2024-10-10T00:00:00Z" and post["text"] == "akan dihapus"


def test_foreign_keys_are_enforced(store):
    with pytest.raises(sqlite3.IntegrityError):
        upsert_posts(store, [record("p1", "x")], account_id=12345)
    assert count_posts(store) == 0  # the failed batch left nothing behind


def test_audit_log_rejects_update_and_delete(store):
    from monitor.evidence import audit

    audit.record(store, "tester", "demo.action", "x")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        store.conn.execute("UPDATE audit_log SET actor = 'someone else'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        store.conn.execute("DELETE FROM audit_log")


@pytest.mark.parametrize("typed, expected", [
    ("#2024GantiPresiden", '"#2024GantiPresiden"'),
    ('salam "dua" jari', '"salam" """dua""" "jari"'),
    ("-", '"-"'),
])
def test_fts_query_quotes_user_input(typed, expected):
    assert fts_query(typed) == expected


def test_search_with_fts_syntax_characters_does_not_crash(store):
    upsert_posts(store, [record("p1", "pilih nomor 2 - jangan golput #AyoKeTPS")])
    for query in ["#AyoKeTPS", "-", "nomor AND", '"', "golput*"]:
        list_posts(store, search=query)  # raises on an FTS syntax error
    assert len(list_posts(store, search="#AyoKeTPS")) == 1


def test_search_covers_indexed_and_not_yet_indexed_posts(store):
    from monitor.store.posts import refresh_search_index

    upsert_posts(store, [record("p1", "ayo ke TPS tanggal 27"), record("p2", "coblos nomor dua")])
    assert [p["post_id"] for p in list_posts(store, search="coblos")] == ["p2"]  # before indexing
    # SQLite indexes in batches; PostgreSQL's GIN index follows every write, so nothing is due.
    assert refresh_search_index(store) == (2 if store.engine == "sqlite" else 0)
    assert refresh_search_index(store) == 0
    upsert_posts(store, [record("p3", "jangan lupa coblos ya")])
    assert {p["post_id"] for p in list_posts(store, search="coblos")} == {"p2", "p3"}
    # An edit of an indexed post moves it in the index; FTS5's own check finds no damage.
    upsert_posts(store, [record("p2", "ayo ke TPS saja")])
    refresh_search_index(store)
    assert {p["post_id"] for p in list_posts(store, search="coblos")} == {"p3"}
    assert {p["post_id"] for p in list_posts(store, search="TPS")} == {"p1", "p2"}
    if store.engine == "sqlite":
        store.conn.execute("INSERT INTO posts_fts(posts_fts, rank) VALUES ('integrity-check', 1)")
