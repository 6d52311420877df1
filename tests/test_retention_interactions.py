"""Retention covers interactions with campaign accounts by the posts' rule: past the period, one
nothing points at goes; one that raised a flag stays whatever the review decided, and so does
one any other table points at. Counted apart from posts, in the dry run and the audited run."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
from engines import foreign_key_problems, id_column

from evidence_data import build
from monitor.evidence import audit, retention
from monitor.flagging import review
from monitor.collect.base import Interaction
from monitor.store import collection, connect, people
from monitor.store import elections as election_rows
from test_cli import netra


def later(days: float) -> datetime:
    return datetime.now(timezone.utc) + timedelta(days=days)


def stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def add_unflagged(store, account_id: int, campaign_id: int, target: str, first_seen_at: str) -> int:
    """An interaction with no flag (stored before flags were opened for them, or imported)."""
    with store.write() as conn:
        return conn.execute(
            """INSERT INTO interactions (account_id, campaign_account_id, kind, target_post_id, target_url,
               first_seen_at, raw_json, raw_sha256) VALUES (?, ?, 'like', ?, NULL, ?, '{}', 'x')""",
            (account_id, campaign_id, target, first_seen_at)).lastrowid


def setup_interactions(store) -> dict:
    built = build(store)
    election_rows.upsert_registry(store, {"campaign_accounts": [
        {"platform": "x", "handle": "hera_sukamaju", "owner_type": "candidate", "owner": "Hendra Wijaya"}]})
    campaign = store.one("SELECT id FROM campaign_accounts WHERE handle = 'hera_sukamaju'")[0]
    accounts = people.account_ids_by_handle(store)
    ani, budi = accounts[("x", "ani_guru")], accounts[("x", "budi")]
    # Collected the usual way: each opens a flag. One is confirmed, one dismissed, one left open.
    collection.save_interactions(store, campaign, [
        Interaction(ani, "repost", {"id": "r1"}, "p1"), Interaction(budi, "like", {"id": "l1"}, "p2"),
        Interaction(budi, "follow", {"id": "f1"})])
    ids = {r["target_post_id"] or "follow": r["id"] for r in store.query("SELECT id, target_post_id FROM interactions")}
    flag = {k: store.one("SELECT id FROM flags WHERE interaction_id = ?", (v,))[0] for k, v in ids.items()}
    review.decide(store, built["analyst"], flag["p1"], "violation", violation_code="N2", note="membagikan kampanye")
    review.decide(store, built["analyst"], flag["p2"], "not_violation", note="akun salah orang")
    now = datetime.now(timezone.utc)
    ids["old1"] = add_unflagged(store, ani, campaign, "p3", stamp(now - timedelta(days=1)))
    ids["old2"] = add_unflagged(store, budi, campaign, "p4", stamp(now))
    ids["recent"] = add_unflagged(store, budi, campaign, "p5", stamp(later(60)))
    return {**built, "interactions": ids, "interaction_flags": flag, "campaign": campaign}


def remaining(store) -> set[int]:
    return {r[0] for r in store.query("SELECT id FROM interactions")}


@pytest.fixture
def data(store):
    return setup_interactions(store)


def test_dry_run_counts_interactions_apart_and_deletes_nothing(store, data):
    before_audit = store.one("SELECT COUNT(*) FROM audit_log")[0]
    before = remaining(store)
    dry = retention.apply(store, days=90, actor="admin", now=later(91), dry_run=True)
    # old1 and old2 have no flag; recent is inside the period; three are flagged.
    assert (dry["interactions"], dry["interactions_kept"]) == (2, 3)
    assert dry["posts"] == 2  # posts are counted as before, separately
    assert remaining(store) == before and len(before) == 6
    assert store.one("SELECT COUNT(*) FROM audit_log")[0] == before_audit


def test_apply_deletes_only_old_unflagged_interactions(store, data):
    ids = data["interactions"]
    result = retention.apply(store, days=90, actor="admin", now=later(91))
    assert (result["interactions"], result["interactions_kept"]) == (2, 3)
    assert remaining(store) == {ids["p1"], ids["p2"], ids["follow"], ids["recent"]}
    # Flagged ones stay whatever the review decided: confirmed, dismissed and still open.
    statuses = {r["interaction_id"]: r["status"] for r in store.query(
        "SELECT interaction_id, status FROM flags WHERE interaction_id IS NOT NULL")}
    assert statuses == {ids["p1"]: "confirmed", ids["p2"]: "dismissed", ids["follow"]: "open"}
    assert foreign_key_problems(store) == []
    again = retention.apply(store, days=90, actor="admin", now=later(91))
    assert (again["interactions"], again["interactions_kept"]) == (0, 3)


def test_a_shorter_period_reaches_the_recent_one_too(store, data):
    ids = data["interactions"]
    retention.apply(store, days=1, actor="admin", now=later(62))
    assert remaining(store) == {ids["p1"], ids["p2"], ids["follow"]}


def test_the_run_is_audited_with_interaction_counts(store, data):
    retention.apply(store, days=90, actor="admin", now=later(91))
    entry = store.one("SELECT * FROM audit_log WHERE action = 'retention.apply'")
    details = json.loads(entry["details_json"])
    assert entry["actor"] == "admin"
    assert (details["interactions"], details["interactions_kept"], details["posts"]) == (2, 3, 2)
    assert audit.verify(store).ok


def test_a_table_that_points_at_an_interaction_keeps_it(store, data):
    ids = data["interactions"]
    with store.write() as conn:
        conn.execute(f"CREATE TABLE future_interaction_notes ({id_column(store)}, "
                     "interaction_id INTEGER REFERENCES interactions(id))")
        conn.execute("INSERT INTO future_interaction_notes (interaction_id) VALUES (?)", (ids["old1"],))
    result = retention.apply(store, days=90, actor="admin", now=later(91))
    assert (result["interactions"], result["interactions_kept"]) == (1, 4)
    assert ids["old1"] in remaining(store) and ids["old2"] not in remaining(store)


def test_cli_counts_and_purges_interactions(tmp_path):
    db = tmp_path / "netra.db"
    assert netra("init", db=db).returncode == 0
    with connect(db) as store:
        data = setup_interactions(store)
        accounts = people.account_ids_by_handle(store)
        stale = add_unflagged(store, accounts[("x", "budi")], data["campaign"], "p9", "2024-01-01T00:00:00.000000Z")
    dry = netra("retention", "apply", "--days", "30", "--dry-run", db=db)
    assert dry.returncode == 0, dry.stderr
    assert "Interaksi dengan akun kampanye: 1 akan dihapus, 0 lama tetap disimpan" in dry.stdout, dry.stdout
    real = netra("retention", "apply", "--days", "30", db=db)
    assert real.returncode == 0 and "Interaksi dengan akun kampanye: 1 dihapus" in real.stdout, real.stdout
    with connect(db) as store:
        assert stale not in remaining(store) and len(remaining(store)) == 6
    assert netra("audit", "verify", db=db).returncode == 0
