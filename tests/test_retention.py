"""Retention (UU 27/2022): unflagged posts past the period go, with their versions,
classifications and search-index rows; flagged posts and evidence stay."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from engines import foreign_key_problems, id_column

from evidence_data import build
from monitor.evidence import audit, capture, retention
from monitor.store import PostRecord, people
from monitor.store.flags import ScoredPost, save_classifications
from monitor.store.posts import list_posts, refresh_search_index, upsert_posts
from test_capture import PNG
from test_cli import netra


@pytest.fixture
def data(store, tmp_path):
    built = build(store)
    accounts = people.account_ids_by_handle(store)
    # b3: unflagged, edited once (two versions), classified.
    for text in ("Jadwal posyandu bulan ini", "Jadwal posyandu bulan ini (ralat tanggal)"):
        upsert_posts(store, [PostRecord(platform="x", post_id="b3", text=text, raw={"t": text},
                                        account_handle="budi")], account_ids=accounts)
    built["posts"]["b3"] = store.one("SELECT id FROM posts WHERE post_id = 'b3'")[0]
    save_classifications(store, "m1", [ScoredPost(built["posts"]["b3"], {"partisan": 0.02}, [], {}, {})])
    # a2 has no flag but a screenshot someone uploaded: evidence keeps it.
    capture.store_upload(store, PNG, post_id=built["posts"]["a2"], media_dir=tmp_path / "media")
    refresh_search_index(store)
    return built


def remaining(store) -> set[str]:
    return {r[0] for r in store.query("SELECT post_id FROM posts")}


def later(days: float) -> datetime:
    return datetime.now(timezone.utc) + timedelta(days=days)


def test_nothing_is_purged_before_the_period_ends(store, data):
    result = retention.apply(store, days=90, actor="admin", now=later(89))
    assert result["posts"] == 0 and result["kept"] == 0
    assert remaining(store) == {"a1", "a2", "a3", "b1", "b2", "b3"}


def test_dry_run_counts_exactly_what_a_real_run_deletes(store, data):
    before = store.one("SELECT COUNT(*) FROM audit_log")[0]
    dry = retention.apply(store, days=90, actor="admin", now=later(91), dry_run=True)
    assert (dry["posts"], dry["post_versions"], dry["classifications"]) == (2, 1, 2)
    assert remaining(store) == {"a1", "a2", "a3", "b1", "b2", "b3"}
    assert store.one("SELECT COUNT(*) FROM audit_log")[0] == before
    real = retention.apply(store, days=90, actor="admin", now=later(91))
    assert {k: real[k] for k in ("posts", "post_versions", "classifications", "kept")} == \
        {k: dry[k] for k in ("posts", "post_versions", "classifications", "kept")}


def test_unflagged_old_posts_go_and_flagged_posts_and_evidence_stay(store, data):
    ids = data["posts"]
    a1_versions = store.one("SELECT COUNT(*) FROM post_versions WHERE post_id = ?", (ids["a1"],))[0]
    result = retention.apply(store, days=90, actor="admin", now=later(91))
    # b2 and b3 had no flag and nothing pointing at them.
    assert remaining(store) == {"a1", "a2", "a3", "b1"}
    assert (result["posts"], result["post_versions"], result["classifications"], result["kept"]) == (2, 1, 2, 4)
    gone = (ids["b2"], ids["b3"])
    for table in ("post_versions", "classifications"):
        assert store.one(f"SELECT COUNT(*) FROM {table} WHERE post_id IN (?, ?)", gone)[0] == 0
    # The confirmed violation keeps every version; the dismissed flag (b1) and the upload (a2) keep theirs.
    assert store.one("SELECT COUNT(*) FROM post_versions WHERE post_id = ?", (ids["a1"],))[0] == a1_versions == 1
    assert store.one("SELECT status FROM flags WHERE post_id = ?", (ids["a1"],))[0] == "confirmed"
    assert store.one("SELECT COUNT(*) FROM media WHERE post_id = ?", (ids["a2"],))[0] == 1
    assert foreign_key_problems(store) == []
    entry = store.one("SELECT * FROM audit_log WHERE action = 'retention.apply'")
    assert entry["actor"] == "admin" and '"posts": 2' in entry["details_json"]
    assert audit.verify(store).ok
    again = retention.apply(store, days=90, actor="admin", now=later(91))
    assert again["posts"] == 0


def test_the_search_index_stays_exact(store, data):
    assert [p["post_id"] for p in list_posts(store, search="Vaksinasi")] == ["b2"]
    retention.apply(store, days=90, actor="admin", now=later(91))
    assert list_posts(store, search="Vaksinasi") == []
    assert list_posts(store, search="posyandu") == []
    assert [p["post_id"] for p in list_posts(store, search="kurikulum")] == ["a2"]
    if store.engine == "sqlite":
        store.conn.execute("INSERT INTO posts_fts(posts_fts, rank) VALUES ('integrity-check', 1)")
    # A post added after the purge is indexed and found as usual.
    upsert_posts(store, [PostRecord(platform="x", post_id="n1", text="Vaksinasi tahap dua", raw={})])
    refresh_search_index(store)
    assert [p["post_id"] for p in list_posts(store, search="Vaksinasi")] == ["n1"]


def test_a_table_added_later_that_points_at_a_post_keeps_it(store, data):
    with store.write() as conn:
        conn.execute(f"CREATE TABLE future_post_notes ({id_column(store)}, post_id INTEGER REFERENCES posts(id))")
        conn.execute("INSERT INTO future_post_notes (post_id) VALUES (?)", (data["posts"]["b2"],))
    result = retention.apply(store, days=90, actor="admin", now=later(91))
    assert result["posts"] == 1 and "b2" in remaining(store) and "b3" not in remaining(store)


def test_the_period_comes_from_the_settings_and_must_be_sensible(store, data, monkeypatch):
    monkeypatch.setenv("NETRA_RETENTION_DAYS", "200")
    assert retention.apply(store, actor="admin", now=later(150))["posts"] == 0
    assert retention.apply(store, actor="admin", now=later(201), dry_run=True)["days"] == 200
    for bad in (0, -5, "90", 1.5):
        with pytest.raises(ValueError, match="minimal 1 hari"):
            retention.apply(store, days=bad, actor="admin")
    assert len(remaining(store)) == 6


def test_cli_retention_apply(tmp_path):
    db = tmp_path / "netra.db"
    assert netra("init", db=db).returncode == 0
    dry = netra("retention", "apply", "--dry-run", db=db)
    assert dry.returncode == 0 and "Uji coba" in dry.stdout and "90 hari" in dry.stdout
    real = netra("retention", "apply", "--days", "30", db=db)
    assert real.returncode == 0 and "0 kiriman dihapus" in real.stdout, real.stdout
    bad = netra("retention", "apply", "--days", "0", db=db)
    assert bad.returncode == 1 and "minimal 1 hari" in bad.stderr
    assert netra("audit", "verify", db=db).returncode == 0


def test_a_claim_match_that_only_debunks_goes_with_its_post(store, data):
    from classifiers.claims import ClaimRecord
    from monitor.store import claims

    claims.insert_claims(store, [ClaimRecord("Vaksin mengandung chip pelacak", title="Hoaks chip vaksin",
                                             verdict="salah", url="https://turnbackhoax.id/1")])
    claim_id = store.one("SELECT id FROM claims")[0]
    claims.record_matches(store, [claims.PostMatch(data["posts"]["b2"], [(claim_id, 0.8)], 0.0, {}, debunks=True)],
                          threshold=0.5, method="test", proposed_code="K1")
    assert store.one("SELECT COUNT(*) FROM claim_matches")[0] == 1
    result = retention.apply(store, days=90, actor="admin", now=later(91))
    assert "b2" not in remaining(store) and result["claim_matches"] == 1
    assert store.one("SELECT COUNT(*) FROM claim_matches")[0] == 0 and foreign_key_problems(store) == []
