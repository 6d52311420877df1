"""The review library on a real database: queue order, filters, scope, decisions, bulk, reopen."""

from __future__ import annotations

import json

import openpyxl
import io
import pytest

from conftest import write_csv
from monitor.evidence import audit
from monitor import auth
from monitor.people import registry
from monitor.flagging import review
from monitor.flagging.review import FlagQuery
from monitor.store import PostRecord, people
from monitor.store import elections as election_rows
from monitor.store.flags import ScoredPost, save_classifications
from monitor.store.posts import refresh_search_index, upsert_posts

HOSTILE = '<script>alert(1)</script> =HYPERLINK("x") coblos nomor 2'


def _explanation(category: str, text: str, word: str) -> dict:
    start = text.find(word)
    return {category: {"probability": 0.9, "threshold": 0.5, "top_features": [
        {"feature": f"kata:{word}", "contribution": 0.8}, {"feature": "huruf:abc", "contribution": 0.1}],
        "rules": [{"rule": "vote_call", "code": "N1", "matched": word, "span": [start, start + len(word)],
                   "description": "ajakan memilih", "weight": 0.9}] if start >= 0 else []}}


@pytest.fixture
def world(store, tmp_path):
    return build_world(store, tmp_path)


def build_world(store, tmp_path) -> dict:
    """Two unit trees, four scored posts (one hostile HTML), an interaction flag, three users."""
    registry.import_units(store, write_csv(tmp_path / "u.csv", "code,name,parent_code",
                                           "DISDIK,Dinas Pendidikan,", "SMPN1,SMP Negeri 1,DISDIK",
                                           "DINKES,Dinas Kesehatan,"))
    registry.import_employees(store, write_csv(
        tmp_path / "e.csv", "NIP,Nama,Unit Kerja,X",
        "198503122010012003,Ani Guru,SMP Negeri 1,@ani_guru",
        "199001012015031001,Budi Perawat,Dinas Kesehatan,@budi_sehat"))
    texts = {
        "1": ("ani_guru", "ayo coblos nomor 2 untuk sukamaju", "2024-10-02T08:00:00Z"),
        "2": ("ani_guru", HOSTILE, "2024-10-09T08:00:00Z"),
        "3": ("budi_sehat", "rahasia dinas kesehatan coblos paslon", "2024-10-03T08:00:00Z"),
        "4": ("budi_sehat", "dasar bodoh semua", "2024-10-20T08:00:00Z"),
    }
    result = upsert_posts(store, [PostRecord("x", k, t, {"id": k}, account_handle=h, created_at=c,
                                             url=f"https://x.com/{h}/status/{k}")
                                  for k, (h, t, c) in texts.items()],
                          account_ids=people.account_ids_by_handle(store))
    ids = dict(zip(texts, result.new_ids))
    save_classifications(store, "m1", [
        ScoredPost(ids["1"], {"partisan": 0.7}, ["partisan"], {"partisan": "N1"},
                   _explanation("partisan", texts["1"][1], "coblos")),
        ScoredPost(ids["2"], {"partisan": 0.95}, ["partisan"], {"partisan": "N1"},
                   _explanation("partisan", HOSTILE, "coblos")),
        ScoredPost(ids["3"], {"partisan": 0.6}, ["partisan"], {"partisan": "N1"},
                   _explanation("partisan", texts["3"][1], "coblos")),
        ScoredPost(ids["4"], {"abusive": 0.99}, ["abusive"], {"abusive": "A1"},
                   _explanation("abusive", texts["4"][1], "bodoh")),
    ])
    refresh_search_index(store)
    disdik = people.unit_id_by_code(store, "DISDIK")
    dinkes = people.unit_id_by_code(store, "DINKES")
    # An interaction flag: Budi liked a campaign account's post.
    election_rows.upsert_registry(store, {"campaign_accounts": [
        {"platform": "x", "handle": "hera_sukamaju", "owner_type": "candidate", "owner": "Hendra Wijaya"}]})
    budi_account = people.account_ids_by_handle(store)[("x", "budi_sehat")]
    with store.write() as conn:
        campaign = conn.execute("SELECT id FROM campaign_accounts WHERE handle = 'hera_sukamaju'").fetchone()[0]
        interaction = conn.execute(
            """INSERT INTO interactions (account_id, campaign_account_id, kind, target_post_id, target_url,
               first_seen_at, raw_json, raw_sha256) VALUES (?, ?, 'like', '777', 'https://x.com/hera_sukamaju/status/777',
               '2024-10-05T00:00:00Z', '{}', 'abc')""", (budi_account, campaign)).lastrowid
        interaction_flag = conn.execute(
            """INSERT INTO flags (interaction_id, category, score, status, proposed_code, unit_id, created_at, updated_at)
               VALUES (?, 'interaction', 0.8, 'open', 'N3', ?, '2024-10-05T00:00:00Z', '2024-10-05T00:00:00Z')""",
            (interaction, dinkes)).lastrowid
    flags = {r["post_id"]: r["id"] for r in store.query("SELECT id, post_id FROM flags WHERE post_id IS NOT NULL")}
    auth.create_user(store, "analis", "sandi-analis-1", "analyst")
    auth.create_user(store, "atasan", "sandi-atasan-1", "supervisor", unit_ids=[disdik])
    auth.create_user(store, "auditor", "sandi-auditor-1", "auditor")
    users = {name: auth.login(store, name, f"sandi-{name}-1") for name in ("analis", "atasan", "auditor")}
    return {"posts": ids, "flags": {k: flags[v] for k, v in ids.items()}, "interaction_flag": interaction_flag,
            "users": users, "disdik": disdik, "dinkes": dinkes}


def test_queue_orders_by_priority_and_history(store, world):
    analyst = world["users"]["analis"]
    flags = world["flags"]
    order = [f["id"] for f in review.queue(store, analyst)]
    # 0.95 partisan > 0.99 abusive x 0.7 weight; interaction 0.8 x 0.95 > partisan 0.7.
    assert order == [flags["2"], world["interaction_flag"], flags["1"], flags["4"], flags["3"]]
    assert review.count(store, analyst) == 5
    # Confirming one of Budi's flags raises his other open flags (account history).
    review.decide(store, analyst, world["interaction_flag"], "violation", violation_code="N3")
    queue = review.queue(store, analyst)
    budi = next(f for f in queue if f["id"] == flags["3"])
    assert budi["history"] == 1 and budi["priority"] == pytest.approx(0.6 + 0.05)


def test_filters_and_search(store, world):
    analyst = world["users"]["analis"]
    flags = world["flags"]

    def ids(**kwargs):
        return {f["id"] for f in review.queue(store, analyst, FlagQuery(**kwargs))}

    assert ids(categories=["abusive"]) == {flags["4"]}
    assert ids(unit_ids=[world["disdik"]]) == {flags["1"], flags["2"]}  # sub-unit included
    assert ids(platforms=["bsky"]) == set()
    assert ids(date_from="2024-10-09", date_to="2024-10-09") == {flags["2"]}
    assert ids(score_min=0.9) == {flags["2"], flags["4"]}
    assert ids(score_min=0.65, score_max=0.75) == {flags["1"]}
    assert ids(search="rahasia") == {flags["3"]}
    assert ids(search="#tidak-ada -x") == set()  # FTS syntax characters are quoted, not errors
    assert ids(search="Ani Guru") == {flags["1"], flags["2"]}
    assert ids(statuses=["confirmed"]) == set()
    assert review.count(store, analyst, FlagQuery(categories=["partisan"])) == 3


def test_supervisor_scope_holds_even_by_id(store, world):
    supervisor = world["users"]["atasan"]
    flags = world["flags"]
    assert {f["id"] for f in review.queue(store, supervisor, FlagQuery(statuses=()))} == {flags["1"], flags["2"]}
    # Asking for another unit's units or flags yields nothing.
    assert review.queue(store, supervisor, FlagQuery(unit_ids=[world["dinkes"]])) == []
    assert review.queue(store, supervisor, FlagQuery(flag_ids=[flags["3"]])) == []
    with pytest.raises(review.FlagNotFound):
        review.flag_card(store, supervisor, flags["3"])
    with pytest.raises(review.FlagNotFound):
        review.flag_card(store, supervisor, world["interaction_flag"])
    assert review.flag_card(store, supervisor, flags["1"])["flag"]["employee"] == "Ani Guru"
    summary = review.unit_summary(store, supervisor)
    assert {r["unit"] for r in summary["by_unit"]} == {"SMP Negeri 1"}
    assert [e["employee"] for e in summary["employees"]] == ["Ani Guru"]
    # Supervisors and auditors read; they never decide.
    with pytest.raises(review.ReviewPermissionError):
        review.decide(store, supervisor, flags["1"], "not_violation")
    with pytest.raises(review.ReviewPermissionError):
        review.decide(store, world["users"]["auditor"], flags["1"], "not_violation")
    assert store.one("SELECT COUNT(*) FROM reviews")[0] == 0


def test_flag_card_shows_evidence_and_both_sides_of_interactions(store, world):
    analyst = world["users"]["analis"]
    card = review.flag_card(store, analyst, world["flags"]["2"])
    assert card["flag"]["text"] == HOSTILE
    assert card["rule_hits"][0]["code"] == "N1" and card["top_words"] == ["coblos"]
    start = HOSTILE.find("coblos")
    assert (start, start + len("coblos")) in card["highlights"]
    assert [f["id"] for f in card["earlier_flags"]] == [world["flags"]["1"]]
    # Edited and deleted posts show their versions and the deletion mark.
    from monitor.store.posts import mark_deleted

    upsert_posts(store, [PostRecord("x", "1", "teks diubah coblos", {"id": "1", "v": 2}, account_handle="ani_guru")],
                 account_ids=people.account_ids_by_handle(store))
    mark_deleted(store, "x", ["1"])
    card = review.flag_card(store, analyst, world["flags"]["1"])
    assert [v["text"] for v in card["versions"]] == ["ayo coblos nomor 2 untuk sukamaju", "teks diubah coblos"]
    assert card["flag"]["deleted_at"]
    card = review.flag_card(store, analyst, world["interaction_flag"])
    side = card["interaction"]
    assert side["asn_handle"] == "budi_sehat" and side["campaign_handle"] == "hera_sukamaju"
    assert side["owner"] == "Hendra Wijaya" and side["target_url"].endswith("/777")
    assert card["flag"]["employee"] == "Budi Perawat"
    assert {f["id"] for f in card["earlier_flags"]} == {world["flags"]["3"], world["flags"]["4"]}


def test_decisions_change_the_flag_are_audited_and_listed(store, world):
    analyst = world["users"]["analis"]
    flags = world["flags"]
    flag = review.decide(store, analyst, flags["2"], "violation", violation_code="N7", note="gestur dua jari")
    assert flag["status"] == "confirmed" and flag["violation_code"] == "N7"
    review.decide(store, analyst, flags["3"], "not_violation", note="berita")
    review.decide(store, analyst, flags["1"], "escalate", note="minta atasan")
    # The next flag of the queue is the highest open one left.
    assert review.next_flag(store, analyst)["id"] == world["interaction_flag"]
    with pytest.raises(review.ReviewError, match="buka kembali"):
        review.decide(store, analyst, flags["2"], "not_violation")
    with pytest.raises(review.ReviewError, match="jenis pelanggaran"):
        review.decide(store, analyst, flags["4"], "violation", violation_code="X9")
    # An escalated flag can be decided; without a code the proposed one applies.
    assert review.decide(store, analyst, flags["1"], "violation")["violation_code"] == "N1"
    mine = review.my_decisions(store, analyst)
    assert [(m["flag_id"], m["decision"]) for m in mine] == [
        (flags["1"], "violation"), (flags["1"], "escalate"), (flags["3"], "not_violation"), (flags["2"], "violation")]
    entries = [e for e in audit.rows.iter_entries(store) if e["action"] == "review.decide"]
    assert len(entries) == 4
    assert json.loads(entries[0]["details_json"])["note"] == "gestur dua jari"
    assert audit.verify(store).ok


def test_reopen_needs_a_reason_and_is_audited(store, world):
    analyst = world["users"]["analis"]
    flag_id = world["flags"]["4"]
    review.decide(store, analyst, flag_id, "violation", violation_code="A1")
    with pytest.raises(review.ReviewError, match="Alasan"):
        review.reopen(store, analyst, flag_id, "  ")
    flag = review.reopen(store, analyst, flag_id, "salah baca konteks")
    assert flag["status"] == "open" and flag["violation_code"] is None
    entry = [e for e in audit.rows.iter_entries(store) if e["action"] == "review.reopen"][-1]
    assert json.loads(entry["details_json"])["reason"] == "salah baca konteks"
    with pytest.raises(review.ReviewError, match="masih terbuka"):
        review.reopen(store, analyst, flag_id, "lagi")


def test_bulk_decision_covers_the_whole_filter_result(store, world):
    analyst = world["users"]["analis"]
    q = FlagQuery(categories=["partisan"])
    assert review.bulk_count(store, analyst, q, "not_violation") == 3
    with pytest.raises(review.ReviewError, match="berubah"):
        review.bulk_decide(store, analyst, q, "not_violation", expected_count=2)
    assert store.one("SELECT COUNT(*) FROM reviews")[0] == 0  # nothing applied on a mismatch
    # Only the first page is "visible"; the bulk decision still reaches every match.
    assert len(review.queue(store, analyst, q, limit=1)) == 1
    assert review.bulk_decide(store, analyst, q, "not_violation", expected_count=3, note="berita netral") == 3
    statuses = {r[0] for r in store.query("SELECT status FROM flags WHERE category = 'partisan'")}
    assert statuses == {"dismissed"}
    entry = [e for e in audit.rows.iter_entries(store) if e["action"] == "review.bulk"][-1]
    details = json.loads(entry["details_json"])
    assert details["count"] == 3 and sorted(details["flag_ids"]) == sorted(
        world["flags"][k] for k in ("1", "2", "3"))
    assert len({m["batch"] for m in review.my_decisions(store, analyst)}) == 1
    # Bulk under a supervisor's scope is refused outright.
    with pytest.raises(review.ReviewPermissionError):
        review.bulk_count(store, world["users"]["atasan"], q, "not_violation")


def test_thresholds_precision_and_effect(store, world):
    analyst = world["users"]["analis"]
    flags = world["flags"]
    review.decide(store, analyst, flags["2"], "violation", violation_code="N1")
    review.decide(store, analyst, flags["3"], "not_violation")
    precision = review.precision_by_category(store)["partisan"]
    assert precision["decided"] == 2 and precision["precision"] == 0.5
    effect = review.threshold_effect(store, "partisan", 0.8)
    assert effect["queue_now"] == 1 and effect["queue_after"] == 0
    assert effect["precision_above"] == 1.0
    review.set_threshold(store, analyst, "partisan", 0.8)
    assert flags["1"] not in {f["id"] for f in review.queue(store, analyst)}
    assert review.count(store, analyst, FlagQuery(apply_thresholds=False, categories=["partisan"])) == 1
    with pytest.raises(review.ReviewError):
        review.set_threshold(store, analyst, "partisan", 1.5)


def test_exports_are_scoped_and_formula_safe(store, world):
    supervisor = world["users"]["atasan"]
    table = review.export_rows(store, supervisor, FlagQuery(statuses=()))
    assert {r["Pegawai"] for r in table} == {"Ani Guru"}
    assert table[0]["Waktu kiriman (UTC)"] < table[-1]["Waktu kiriman (UTC)"]
    text = review.rows_to_csv(table).decode("utf-8-sig")
    assert "rahasia" not in text and "Ani Guru" in text
    workbook = openpyxl.load_workbook(io.BytesIO(review.rows_to_xlsx(table)))
    cells = [c.value for row in workbook.active.iter_rows() for c in row]
    assert HOSTILE in cells  # the text starts with '<', so it is kept exactly
    assert review.rows_to_csv([{"Teks": "=1+1"}]).decode("utf-8-sig").splitlines()[1].split(",")[16] == "'=1+1"
    assert any(e["action"] == "export.table" for e in audit.rows.iter_entries(store))
