from __future__ import annotations

import pytest

from conftest import ROOT
from monitor.people import elections
from monitor.store import elections as rows

REGISTRY = """
[[elections]]
key = "pilkada-contoh-2024"
type = "pilkada"
name = "Pilkada Contoh 2024"
region = "Kabupaten Contoh"
year = 2024
campaign_start = 2024-09-25
campaign_end = 2024-11-23
voting_day = 2024-11-27

[[candidates]]
election = "pilkada-contoh-2024"
ballot_number = 1
name = "Calon Satu"
running_mate = "Wakil Satu"
pair_name = "SATU"
nicknames = ["Pak Satu"]

[[parties]]
number = 2
name = "Partai Contoh"
abbreviation = "PC"

[[campaign_accounts]]
platform = "x"
handle = "@Satu_Menang"
owner_type = "candidate"
owner = "SATU"
election = "pilkada-contoh-2024"

[[hashtags]]
tag = "SatuUntukSemua"
election = "pilkada-contoh-2024"
owner = "SATU"
"""


def test_toml_registry_imports_and_reimports_without_duplicates(store, tmp_path):
    path = tmp_path / "pemilu.toml"
    path.write_text(REGISTRY, encoding="utf-8")
    counts = elections.import_file(store, path)
    assert counts["elections"] == 1 and counts["candidates"] == 1 and counts["campaign_accounts"] == 1
    path.write_text(REGISTRY.replace("Pak Satu", "Bang Satu"), encoding="utf-8")
    elections.import_file(store, path)
    (candidate,) = rows.list_candidates(store)
    assert candidate["nicknames_json"] == '["Bang Satu"]'
    handles = [r["handle"] for r in store.query("SELECT handle FROM campaign_accounts")]
    assert handles == ["satu_menang"]
    tags = [r["text"] for r in store.query("SELECT text FROM campaign_terms")]
    assert tags == ["#SatuUntukSemua"]


def test_csv_registry(store, tmp_path):
    path = tmp_path / "pemilu.csv"
    path.write_text(
        "record,key,type,name,year,election,ballot_number,nicknames,platform,handle,owner_type,owner,abbreviation\n"
        "election,pilkada-x-2024,pilkada,Pilkada X,2024,,,,,,,,\n"
        "candidate,,,Calon A,,pilkada-x-2024,1,A;Bang A,,,,,\n"
        "campaign_account,,,,,pilkada-x-2024,,,bluesky,tim-a.bsky.social,team,Tim A,\n"
        "party,,,Partai Y,,,,,,,,,PY\n",
        encoding="utf-8",
    )
    counts = elections.import_file(store, path)
    assert counts == {"elections": 1, "candidates": 1, "parties": 1, "campaign_accounts": 1,
                      "hashtags": 0, "slogans": 0}


def test_invalid_registry_lists_every_problem_and_writes_nothing(store, tmp_path):
    path = tmp_path / "pemilu.toml"
    path.write_text(
        REGISTRY.replace('type = "pilkada"', 'type = "pilgub"')
        .replace('owner_type = "candidate"', 'owner_type = "fans"'),
        encoding="utf-8",
    )
    with pytest.raises(elections.ElectionFileError) as caught:
        elections.import_file(store, path)
    problems = " ".join(caught.value.problems)
    assert "pilgub" in problems and "fans" in problems and "pilkada-contoh-2024" in problems
    assert rows.registry_summary(store) == []


def test_shipped_demo_registry_has_real_pilpres_pairs_and_parties(store):
    path = ROOT / "data" / "demo" / "elections.toml"
    if not path.exists():
        pytest.skip("demo data not present")
    elections.import_file(store, path)
    pilpres = {c["ballot_number"]: c["name"] for c in rows.list_candidates(store) if c["election"] == "pilpres-2024"}
    assert set(pilpres) == {1, 2, 3}
    assert "Prabowo" in pilpres[2] and "Anies" in pilpres[1] and "Ganjar" in pilpres[3]
    assert rows.count_parties(store) >= 18
