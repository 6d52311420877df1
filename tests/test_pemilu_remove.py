"""Removing rows from the election registry: by the library, the CLI and the Pemilu page.

A row deleted on the page used to come back on save (saving only upserted). Removal must not
erase what evidence depends on: campaign accounts are deactivated, an election with children is
refused, and every removal is audited with the values removed.
"""

from __future__ import annotations

import json

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from classifiers.rules import RuleEngine
from conftest import ROOT
from monitor import auth, web
from monitor.people import elections
from monitor.flagging.classify import entities_from_store
from monitor.collect.base import Interaction
from monitor.store import collection, connect, people
from monitor.store import elections as rows
from test_cli import netra

REGISTRY = """
[[elections]]
key = "pilkada-contoh-2024"
type = "pilkada"
name = "Pilkada Contoh 2024"
year = 2024

[[elections]]
key = "pilgub-salah-2024"
type = "pilkada"
name = "Pilgub yang salah ketik"
year = 2024

[[candidates]]
election = "pilkada-contoh-2024"
ballot_number = 1
name = "Calon Satu"
nicknames = ["Pak Satu"]

[[candidates]]
election = "pilkada-contoh-2024"
ballot_number = 2
name = "Calon Dua"
status = "withdrawn"

[[parties]]
number = 2
name = "Partai Contoh"
abbreviation = "PC"

[[parties]]
number = 3
name = "Partai Lain"
abbreviation = "PL"

[[campaign_accounts]]
platform = "x"
handle = "@Satu_Menang"
owner_type = "candidate"
owner = "Calon Satu"
election = "pilkada-contoh-2024"

[[campaign_accounts]]
platform = "bluesky"
handle = "tim-dua.bsky.social"
owner_type = "team"
owner = "Tim Dua"

[[hashtags]]
tag = "SatuUntukSemua"
election = "pilkada-contoh-2024"

[[hashtags]]
tag = "SalahKetik"

[[slogans]]
text = "Bersama Satu Maju"
election = "pilkada-contoh-2024"
"""


@pytest.fixture
def registry(store, tmp_path):
    path = tmp_path / "pemilu.toml"
    path.write_text(REGISTRY, encoding="utf-8")
    elections.import_file(store, path)
    return store


def snapshot(store) -> dict:
    records = rows.registry_records(store)
    return json.loads(json.dumps(records, default=str))


def removals(store) -> list[dict]:
    return [dict(r) | {"details": json.loads(r["details_json"])} for r in store.query(
        "SELECT actor, action, target, details_json FROM audit_log WHERE action = 'elections.remove' ORDER BY id")]


def test_hashtags_and_slogans_are_deleted_and_no_longer_match(registry):
    store = registry
    assert RuleEngine(entities_from_store(store)).apply("Ayo #salahketik").hits
    result = elections.remove_registry_rows(store, "admin", "hashtags", [("#SalahKetik",)])
    assert result.removed == ["#SalahKetik"] and not result.deactivated
    elections.remove_registry_rows(store, "admin", "slogans", [("bersama satu maju",)])  # NOCASE, as stored
    records = rows.registry_records(store)
    assert [r["tag"] for r in records["hashtags"]] == ["#SatuUntukSemua"]
    assert records["slogans"] == []
    assert not [h for h in RuleEngine(entities_from_store(store)).apply("Ayo #salahketik").hits
                if h.rule == "campaign_term"]


def test_hashtag_key_without_hash_names_the_stored_tag(registry):
    elections.remove_registry_rows(registry, "admin", "hashtags", [("SalahKetik",)])
    assert [r["tag"] for r in rows.registry_records(registry)["hashtags"]] == ["#SatuUntukSemua"]


def test_candidates_and_parties_are_deleted(registry):
    store = registry
    elections.remove_registry_rows(store, "admin", "candidates", [("pilkada-contoh-2024", "Calon Dua")])
    elections.remove_registry_rows(store, "admin", "parties", [("pl",)])
    records = rows.registry_records(store)
    assert [c["name"] for c in records["candidates"]] == ["Calon Satu"]
    assert [p["abbreviation"] for p in records["parties"]] == ["PC"]


def test_removal_is_audited_with_the_removed_values(registry):
    elections.remove_registry_rows(registry, "admin", "candidates", [("pilkada-contoh-2024", "Calon Satu")])
    (entry,) = removals(registry)
    assert entry["actor"] == "admin" and entry["target"] == "candidates:pilkada-contoh-2024:Calon Satu"
    removed = entry["details"]["removed"]
    assert removed["name"] == "Calon Satu" and removed["ballot_number"] == 1
    assert removed["election"] == "pilkada-contoh-2024" and json.loads(removed["nicknames_json"]) == ["Pak Satu"]
    assert entry["details"]["effect"] == "deleted"


def test_campaign_account_is_deactivated_kept_and_no_longer_collected_or_matched(registry, tmp_path):
    store = registry
    people.upsert_units(store, [people.UnitRow("DISDIK", "Dinas Pendidikan")])
    people.apply_employee_import(store, [people.EmployeeRow(
        "Ani Rahayu", "PNS", "Dinas Pendidikan", nip="198503122010012003", accounts=(("x", "ani_guru"),))],
        deactivate_missing=False)
    ani = people.account_ids_by_handle(store)[("x", "ani_guru")]
    (campaign,) = collection.campaign_accounts_to_check(store, platforms=["x"])
    collection.save_interactions(store, campaign["id"], [Interaction(ani, "repost", {"id": "r1"}, "p1")])
    assert RuleEngine(entities_from_store(store)).entity_spans("lihat @satu_menang")

    result = elections.remove_registry_rows(store, "admin", "campaign_accounts", [("x", "@Satu_Menang")])

    assert result.deactivated == ["x:satu_menang"] and not result.removed
    row = store.one("SELECT id, active FROM campaign_accounts WHERE handle = 'satu_menang'")
    assert tuple(row) == (campaign["id"], 0)  # kept, so the interaction and its flag still point at it
    assert store.one("SELECT COUNT(*) FROM interactions WHERE campaign_account_id = ?", (campaign["id"],))[0] == 1
    assert store.one("SELECT COUNT(*) FROM flags WHERE interaction_id IS NOT NULL")[0] == 1
    # The collector no longer checks it and the rules no longer treat its handle as a campaign account.
    assert collection.campaign_accounts_to_check(store, platforms=["x"]) == []
    assert not RuleEngine(entities_from_store(store)).entity_spans("lihat @satu_menang")
    (entry,) = removals(store)
    assert entry["details"]["effect"] == "deactivated" and entry["details"]["removed"]["owner"] == "Calon Satu"
    # Removing it again is reported, not silently accepted.
    with pytest.raises(elections.ElectionFileError, match="sudah nonaktif"):
        elections.remove_registry_rows(store, "admin", "campaign_accounts", [("x", "satu_menang")])


def test_election_without_children_is_deleted(registry):
    elections.remove_registry_rows(registry, "admin", "elections", [("pilgub-salah-2024",)])
    assert [e["key"] for e in rows.registry_records(registry)["elections"]] == ["pilkada-contoh-2024"]


def test_election_with_children_is_refused_and_nothing_changes(registry):
    store = registry
    before = snapshot(store)
    with pytest.raises(elections.ElectionFileError) as caught:
        # The first removal would succeed alone; the refusal of the second rolls it back too.
        elections.remove_registry_rows(store, "admin", "elections", [("pilgub-salah-2024",), ("pilkada-contoh-2024",)])
    (problem,) = caught.value.problems
    assert "pilkada-contoh-2024 tidak dapat dihapus" in problem
    assert "2 calon" in problem and "1 akun kampanye" in problem and "2 tagar/slogan" in problem
    assert snapshot(store) == before
    assert removals(store) == []


def test_election_with_only_an_inactive_account_is_still_refused(registry):
    store = registry
    for name in ("Calon Satu", "Calon Dua"):
        elections.remove_registry_rows(store, "admin", "candidates", [("pilkada-contoh-2024", name)])
    elections.remove_registry_rows(store, "admin", "hashtags", [("#SatuUntukSemua",)])
    elections.remove_registry_rows(store, "admin", "slogans", [("Bersama Satu Maju",)])
    elections.remove_registry_rows(store, "admin", "campaign_accounts", [("x", "satu_menang")])
    with pytest.raises(elections.ElectionFileError, match="1 nonaktif, disimpan sebagai konteks bukti"):
        elections.remove_registry_rows(store, "admin", "elections", [("pilkada-contoh-2024",)])


def test_unknown_keys_are_reported_and_nothing_is_removed(registry):
    store = registry
    before = snapshot(store)
    with pytest.raises(elections.ElectionFileError) as caught:
        elections.remove_registry_rows(store, "admin", "parties", [("PC",), ("XYZ",)])
    assert caught.value.problems == ["partai XYZ tidak ada di registri"]
    assert snapshot(store) == before
    with pytest.raises(elections.ElectionFileError, match="tidak dikenal"):
        elections.remove_registry_rows(store, "admin", "partai", [("PC",)])


def test_parse_key_splits_on_the_first_colon_only():
    assert elections.parse_key("candidates", "pilkada-contoh-2024:Calon Satu") == ("pilkada-contoh-2024", "Calon Satu")
    assert elections.parse_key("campaign_accounts", "bluesky:did:plc:abc") == ("bluesky", "did:plc:abc")
    assert elections.parse_key("hashtags", "#a:b") == ("#a:b",)
    with pytest.raises(elections.ElectionFileError, match="platform:handle"):
        elections.parse_key("campaign_accounts", "satu_menang")


def test_removed_keys_compare_as_the_database_does():
    before = [{"tag": "#SalahKetik"}, {"tag": "#Tetap"}]
    assert elections.removed_keys("hashtags", before, [{"tag": "tetap"}]) == [("#SalahKetik",)]
    accounts = [{"platform": "x", "handle": "satu_menang"}, {"platform": "bluesky", "handle": "tim-dua.bsky.social"}]
    assert elections.removed_keys("campaign_accounts", accounts, [{"platform": "x", "handle": "@Satu_Menang"}]) == [
        ("bluesky", "tim-dua.bsky.social")]
    candidates = [{"election": "e", "name": "A"}, {"election": "e", "name": "B"}]
    # A renamed row is a removal of the old key (and an upsert of the new one).
    assert elections.removed_keys("candidates", candidates, [{"election": "e", "name": "A"},
                                                             {"election": "e", "name": "B2"}]) == [("e", "B")]


def test_section_save_removes_missing_rows_and_upserts_the_rest_in_one_transaction(registry):
    store = registry
    before = rows.registry_records(store)["hashtags"]
    result = web.save_election_section(store, "admin", "hashtags", [{"tag": "#SatuUntukSemua", "owner": "SATU",
                                                                     "election": "pilkada-contoh-2024"}],
                                       before=before)
    assert result == {"saved": 1, "removed": ["#SalahKetik"], "deactivated": []}
    (tag,) = rows.registry_records(store)["hashtags"]
    assert tag["owner"] == "SATU"
    # A refused removal rolls back the upserts saved with it.
    before = snapshot(store)
    elections_before = rows.registry_records(store)["elections"]
    edited = [dict(e, name="Nama baru") for e in elections_before if e["key"] == "pilgub-salah-2024"]
    with pytest.raises(elections.ElectionFileError, match="tidak dapat dihapus"):
        web.save_election_section(store, "admin", "elections", edited, before=elections_before)
    assert snapshot(store) == before


def test_cli_remove(registry, db_path):
    registry.close()
    result = netra("elections", "remove", "campaign_accounts", "x:@Satu_Menang", "bluesky:tim-dua.bsky.social",
                   db=db_path)
    assert result.returncode == 0, result.stderr
    assert "Dinonaktifkan" in result.stdout and "x:satu_menang" in result.stdout
    result = netra("elections", "remove", "candidates", "pilkada-contoh-2024:Calon Dua", db=db_path)
    assert result.returncode == 0 and "Dihapus: pilkada-contoh-2024:Calon Dua" in result.stdout
    result = netra("elections", "remove", "elections", "pilkada-contoh-2024", "tidak-ada", db=db_path)
    assert result.returncode != 0
    assert "tidak dapat dihapus" in result.stderr and "pemilu tidak-ada tidak ada di registri" in result.stderr
    result = netra("elections", "remove", "candidates", "tanpa-titik-dua", db=db_path)
    assert result.returncode != 0 and "pemilu:nama" in result.stderr
    with connect(db_path) as store:
        assert store.one("SELECT COUNT(*) FROM campaign_accounts WHERE active")[0] == 0
        assert [c["name"] for c in rows.registry_records(store)["candidates"]] == ["Calon Satu"]
        assert len(removals(store)) == 3 and {r["actor"] for r in removals(store)} == {"cli"}


# --- the Pemilu page -----------------------------------------------------------------------------

@pytest.fixture
def page(registry, db_path, monkeypatch):
    auth.create_user(registry, "admin", "sandi-admin-1", "admin")
    monkeypatch.setenv("NETRA_DB", str(db_path))
    st.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / "pages" / "pemilu.py"), default_timeout=60)
    at.session_state["user"] = auth.login(registry, "admin", "sandi-admin-1")
    at.run()
    assert not at.exception, at.exception
    yield at
    st.cache_resource.clear()


def delete_editor_row(at: AppTest, section: str, index: int) -> None:
    revision = at.session_state["pemilu_revision"]
    at.session_state[f"pemilu_edit_{section}_{revision}"] = {"edited_rows": {}, "added_rows": [],
                                                            "deleted_rows": [index]}


def tags(store) -> list[str]:
    return [r["tag"] for r in rows.registry_records(store)["hashtags"]]


def test_page_removes_a_deleted_row_only_after_confirmation(page, registry):
    at = page
    editor = at.data_editor(key="pemilu_edit_hashtags_0")
    assert list(editor.value["tag"]) == ["#SalahKetik", "#SatuUntukSemua"]
    delete_editor_row(at, "hashtags", 0)
    at.run()
    assert any("#SalahKetik" in w.value for w in at.warning)
    confirm = at.checkbox(key="pemilu_confirm_hashtags_0")
    assert confirm.label == "Saya yakin menghapus 1 baris: #SalahKetik"
    at.button(key="pemilu_save_hashtags").click().run()
    assert any("konfirmasi" in e.value for e in at.error)
    assert tags(registry) == ["#SalahKetik", "#SatuUntukSemua"]  # not before confirmation

    at.checkbox(key="pemilu_confirm_hashtags_0").check()
    at.button(key="pemilu_save_hashtags").click().run()
    assert not at.exception, at.exception
    assert tags(registry) == ["#SatuUntukSemua"]
    assert any("1 baris disimpan, 1 baris dihapus (#SalahKetik)" in s.value for s in at.success)
    # A fresh editor: the old deletion does not replay on the rows that remain.
    assert list(at.data_editor(key="pemilu_edit_hashtags_1").value["tag"]) == ["#SatuUntukSemua"]
    assert not at.warning


def test_page_deactivates_a_deleted_campaign_account_and_hides_it_from_the_editor(page, registry):
    at = page
    editor = at.data_editor(key="pemilu_edit_campaign_accounts_0")
    handles = list(editor.value["handle"])
    delete_editor_row(at, "campaign_accounts", handles.index("satu_menang"))
    at.run()
    at.checkbox(key="pemilu_confirm_campaign_accounts_0").check()
    at.button(key="pemilu_save_campaign_accounts").click().run()
    assert not at.exception, at.exception
    assert registry.one("SELECT active FROM campaign_accounts WHERE handle = 'satu_menang'")[0] == 0
    assert list(at.data_editor(key="pemilu_edit_campaign_accounts_1").value["handle"]) == ["tim-dua.bsky.social"]
    assert any("x:satu_menang" in c.value for c in at.caption)
    # Saving the section again leaves the inactive account inactive.
    at.button(key="pemilu_save_campaign_accounts").click().run()
    assert registry.one("SELECT active FROM campaign_accounts WHERE handle = 'satu_menang'")[0] == 0


def test_page_shows_the_refusal_of_an_election_with_children(page, registry):
    at = page
    editor = at.data_editor(key="pemilu_edit_elections_0")
    keys = list(editor.value["key"])
    delete_editor_row(at, "elections", keys.index("pilkada-contoh-2024"))
    at.run()
    at.checkbox(key="pemilu_confirm_elections_0").check()
    at.button(key="pemilu_save_elections").click().run()
    assert any("tidak dapat dihapus" in e.value for e in at.error)
    assert registry.one("SELECT COUNT(*) FROM elections")[0] == 2
