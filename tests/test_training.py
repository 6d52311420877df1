"""Retraining from reviewer decisions, on a real SQLite store with real review actions."""

from __future__ import annotations

import json

import pytest

from monitor.evidence import audit
from monitor import auth
from monitor.flagging import review
from monitor.store.flags import ScoredPost, save_classifications
from monitor.store.posts import PostRecord, upsert_posts
from monitor.store.training import reviewed_examples
from monitor.flagging.training import retrain_from_store, review_examples

TEXTS = {
    "p1": "Coblos nomor 2 ya bapak ibu, demi Sukamaju maju!",
    "p2": "Ayo ke TPS tanggal 27 November, gunakan hak pilih",
    "p3": "Dasar goblok semua pejabat itu",
    "p4": "Vaksin mengandung chip, sebarkan!",
    "p5": "Laporan warga tentang jalan rusak",
    "p6": "Info resmi jadwal kampanye dari KPU",
}


@pytest.fixture
def reviewed(store):
    upsert_posts(store, [PostRecord("x", pid, text, raw={"id": pid}) for pid, text in TEXTS.items()])
    ids = {r["post_id"]: r["id"] for r in store.query("SELECT id, post_id FROM posts")}
    scored = [
        ScoredPost(ids["p1"], {"partisan": 0.9}, ["partisan"], {"partisan": "N1"}, {}),
        ScoredPost(ids["p2"], {"partisan": 0.6}, ["partisan"], {"partisan": "N1"}, {}),
        ScoredPost(ids["p3"], {"abusive": 0.8, "hate": 0.7}, ["abusive", "hate"], {"abusive": "A1", "hate": "H1"}, {}),
        ScoredPost(ids["p4"], {"hoax": 0.7}, ["hoax"], {"hoax": "K1"}, {}),
        ScoredPost(ids["p5"], {"hate": 0.5}, ["hate"], {"hate": "H2"}, {}),
        ScoredPost(ids["p6"], {"partisan": 0.5}, ["partisan"], {"partisan": "N1"}, {}),
    ]
    save_classifications(store, "m1", scored)
    flag = {(r["post_id"], r["category"]): r["id"] for r in store.query(
        "SELECT p.post_id, f.category, f.id FROM flags f JOIN posts p ON p.id = f.post_id")}
    auth.create_user(store, "analis", "sandi-analis-1", "analyst")
    analyst = auth.login(store, "analis", "sandi-analis-1")
    review.decide(store, analyst, flag[("p1", "partisan")], "violation", violation_code="N1")
    review.decide(store, analyst, flag[("p2", "partisan")], "not_violation")
    review.decide(store, analyst, flag[("p3", "abusive")], "violation", violation_code="A1")
    review.decide(store, analyst, flag[("p3", "hate")], "not_violation")
    # Changed mind: violation, reopened, then not a violation -> the latest decision wins.
    review.decide(store, analyst, flag[("p4", "hoax")], "violation", violation_code="K1")
    review.reopen(store, analyst, flag[("p4", "hoax")], "bukti baru")
    review.decide(store, analyst, flag[("p4", "hoax")], "not_violation")
    # Decided then reopened: no verdict any more.
    review.decide(store, analyst, flag[("p5", "hate")], "violation", violation_code="H2")
    review.reopen(store, analyst, flag[("p5", "hate")], "salah klik")
    # Escalated: no verdict either. p6 stays open.
    return store


def test_reviewed_examples_follow_the_latest_verdict(reviewed):
    examples = {e["text"]: e for e in reviewed_examples(reviewed)}
    assert set(examples) == {TEXTS["p1"], TEXTS["p2"], TEXTS["p3"], TEXTS["p4"]}
    assert examples[TEXTS["p1"]]["labels"] == ["partisan"] and examples[TEXTS["p1"]]["covers"] == ["partisan"]
    assert examples[TEXTS["p2"]]["labels"] == [] and examples[TEXTS["p2"]]["covers"] == ["partisan"]
    # One post, two flags: a positive for abusive and a negative for hate.
    assert examples[TEXTS["p3"]]["labels"] == ["abusive"] and examples[TEXTS["p3"]]["covers"] == ["abusive", "hate"]
    assert examples[TEXTS["p4"]]["labels"] == [] and examples[TEXTS["p4"]]["covers"] == ["hoax"]


def test_escalated_and_report_flags_teach_nothing(store):
    upsert_posts(store, [PostRecord("x", "q1", "teks untuk eskalasi", raw={})])
    post = store.one("SELECT id FROM posts WHERE post_id = 'q1'")["id"]
    save_classifications(store, "m1", [ScoredPost(post, {"partisan": 0.9}, ["partisan"], {"partisan": "N1"}, {})])
    auth.create_user(store, "analis", "sandi-analis-1", "analyst")
    analyst = auth.login(store, "analis", "sandi-analis-1")
    flag_id = store.one("SELECT id FROM flags")["id"]
    review.decide(store, analyst, flag_id, "escalate")
    assert reviewed_examples(store) == []


def test_review_source_hash_changes_with_the_verdicts(reviewed):
    examples, source = review_examples(reviewed)
    assert source["rows"] == len(examples) == 4 and len(source["sha256"]) == 64 and source["bytes"] > 0
    assert source["positives"]["partisan"] == 1 and source["negatives"]["hoax"] == 1
    with reviewed.write() as conn:  # a later, different verdict on p2 (as a new review row)
        flag_id = conn.execute("SELECT f.id FROM flags f JOIN posts p ON p.id = f.post_id WHERE p.post_id = 'p2'").fetchone()[0]
        conn.execute("INSERT INTO reviews (flag_id, reviewer_id, decision, created_at) VALUES (?, 1, 'violation', '2999-01-01T00:00:00Z')",
                     (flag_id,))
    _, changed = review_examples(reviewed)
    assert changed["sha256"] != source["sha256"] and changed["positives"]["partisan"] == 2


def test_retrain_from_store_records_sources_and_audits(reviewed, tmp_path):
    messages: list[str] = []
    card = retrain_from_store(reviewed, actor="analis", folder=tmp_path / "models", progress=messages.append)
    sources = {s["source"]: s for s in card["training_data"]}
    assert set(sources) == {"reviews", "seed_corpus", "partisan_hard", "seed_hate_election"}
    assert sources["reviews"]["rows"] == 4 and len(sources["reviews"]["sha256"]) == 64
    assert sources["seed_corpus"]["rows"] >= 800 and sources["seed_corpus"]["bytes"] > 0
    assert (tmp_path / "models" / card["version"] / "card.json").is_file()
    saved = json.loads((tmp_path / "models" / card["version"] / "card.json").read_text())
    assert saved["training_data"] == card["training_data"]
    assert any("keputusan peninjau" in m for m in messages)
    entry = reviewed.one("SELECT * FROM audit_log WHERE action = 'model.train' ORDER BY id DESC LIMIT 1")
    assert entry is not None and card["version"] in entry["target"]
    assert audit.verify(reviewed).ok


def test_retrain_without_any_data_is_refused(store, tmp_path):
    with pytest.raises(ValueError, match="tidak ada data latih"):
        retrain_from_store(store, actor="cli", include_seed=False, folder=tmp_path / "models")


def test_retrain_with_a_public_file_by_path(store, tmp_path):
    """A file given by path: format detected, its hash and size in the card, ordinary tweets
    of ibrohim2019 counted as hoax negatives (see ASSUMED_HOAX_NEGATIVE_FORMATS)."""
    from classifiers.pipeline import load_training_file

    header = "Tweet,HS,Abusive,HS_Individual,HS_Group,HS_Religion,HS_Race,HS_Physical,HS_Gender,HS_Other,HS_Weak,HS_Moderate,HS_Strong"
    rows = [f"USER dasar bodoh kamu {i},1,1,1,0,0,0,0,0,0,1,0,0" for i in range(12)]
    rows += [f"hari ini makan siang di warung {i},0,0,0,0,0,0,0,0,0,0,0,0" for i in range(12)]
    path = tmp_path / "re_dataset.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    examples, source = load_training_file(path)
    assert source["source"] == "ibrohim2019" and source["rows"] == 24 and source["bytes"] == path.stat().st_size
    assert all("hoax" in e.covers for e in examples if not e.labels)
    assert all("hoax" not in e.covers for e in examples if e.labels)
    card = retrain_from_store(store, actor="cli", include_reviews=False, data_paths=[path], folder=tmp_path / "m")
    sources = {s["source"]: s for s in card["training_data"]}
    assert set(sources) == {"seed_corpus", "partisan_hard", "seed_hate_election", "ibrohim2019"}
    assert sources["ibrohim2019"]["sha256"] == source["sha256"]
    shipped = sources["seed_corpus"]["rows"] + sources["partisan_hard"]["rows"]
    assert card["labels"]["abusive"]["n_train"] == shipped + 24  # the file's rows train abusive too (hate posts: hate only)
