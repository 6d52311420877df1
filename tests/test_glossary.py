"""One glossary for every key a person reads (issue 14): labels, fallbacks, history lines."""

from __future__ import annotations

import pytest

from classifiers import rules
from classifiers.labels import RULE_LABELS
from monitor import glossary


@pytest.mark.parametrize(("kind", "key", "expected"), [
    ("role", "analyst", "Analis"), ("role", "supervisor", "Atasan"),
    ("flag", "partisan", "Keberpihakan"), ("flag", "hoax", "Hoaks"),
    ("flag_status", "confirmed", "Pelanggaran"), ("flag_status", "escalated", "Dieskalasi"),
    ("election_column", "voting_day", "Hari pemungutan suara"),
    ("election_column", "campaign_accounts", "Akun kampanye"),
    ("platform", "youtube", "YouTube"), ("case_status", "sanksi", "Sanksi dijatuhkan"),
])
def test_known_keys_have_bahasa_labels(kind, key, expected):
    assert glossary.label(kind, key) == expected


def test_unknown_keys_never_come_back_raw():
    text = glossary.label("flag", "new_category")
    assert text != "new_category" and "_" not in text and text.startswith("label lain")
    assert glossary.label("role", None) == "–" and glossary.label("role", "") == "–"
    with pytest.raises(ValueError, match="glosarium"):
        glossary.label("nonsense", "x")


def test_every_rule_the_engine_can_fire_has_a_label():
    engine_ids = {r.id for r in rules._ENTITY_FREE_RULES + rules.CIVIC_PATTERNS} | {"campaign_term"}
    assert engine_ids <= set(RULE_LABELS)
    assert glossary.label("rule", "campaign_term") == "tagar atau slogan kampanye terdaftar"
    assert "_" not in glossary.label("rule", "not_a_rule")


def test_case_history_lines_read_as_bahasa():
    assert glossary.event_details({"agrees": False, "codes": []}) == "setuju: tidak; kode: –"
    line = glossary.event_line({"kind": "status", "from_status": "temuan", "to_status": "verifikasi",
                                "details": {"reported_to": "Bawaslu"}})
    assert line == "Status diubah (Temuan → Verifikasi): tujuan laporan: Bawaslu"
    line = glossary.event_line({"kind": "second_review", "to_status": None,
                                "details": {"decision": "not_violation", "codes": ["N1"], "agrees": True}})
    assert line == "Tinjauan kedua: keputusan: Bukan pelanggaran; kode: N1; setuju: ya"
    assert glossary.find_internal_keys(line) == []
    shown = glossary.event_details({"found_at": "2024-10-04T02:00:00Z"}, when=lambda ts: "04-10-2024 09:00 WIB")
    assert shown == "diketahui: 04-10-2024 09:00 WIB"


def test_internal_keys_catch_what_must_not_be_rendered():
    assert {"analyst", "partisan", "confirmed", "voting_day", "campaign_term"} <= glossary.INTERNAL_KEYS
    assert "admin" not in glossary.INTERNAL_KEYS  # the same word in Bahasa
    found = glossary.find_internal_keys("Peran: analyst | voting_day | agrees=False, codes=[] | emoji_v")
    assert found == sorted(["analyst", "voting_day", "agrees=", "codes=[]", "emoji_"])
    # Whole words only: Indonesian text that merely contains the letters passes.
    assert glossary.find_internal_keys("Analis membuka tanda; hoaks dibantah") == []


def test_queue_is_spelled_as_kbbi_does():
    assert glossary.QUEUE == "Antrean"
