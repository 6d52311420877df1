"""Insult rules (A1), spelling folding, counter-speech and the hostility check behind the models."""

from __future__ import annotations

import pytest

from classifiers.counterspeech import counter_speech
from classifiers.hostility import hostile
from classifiers.insults import RULES, InsultRules
from classifiers.lexicon import lexicon
from classifiers.spelling import fold

INSULTS = InsultRules(["Hendra Wijaya"])

POSITIVES = [
    ("dasar bangsat, kerjanya nyebar hoaks terus", "profanity", "bangsat"),
    ("g0bl0k banget sih kebijakan ini", "profanity", "g0bl0k"),
    ("cupu lo, gitu aja nangis", "aimed_insult", "cupu"),
    ("Hendra Wijaya dungu, jangan dipilih", "aimed_insult", "dungu"),
    ("anjiiing lu ya, nyebelin", "aimed_insult", "anjiiing"),
]
CONDEMNED = [
    ("Jangan ngatain orang \"goblok\" di kolom komentar, itu tidak sopan", "profanity"),
    ("Kenapa sih kalian suka nyebut dia dungu? Itu menyakitkan", "aimed_insult"),
]
UNAIMED = [
    "anjing tetangga menggonggong terus semalaman",
    "Saya memang bodoh soal politik, maklum orang desa",
    "Seekor monyet di kebun binatang lepas dari kandangnya",
    "kemarin hujan deras, jalan desa banjir lagi",
]


@pytest.mark.parametrize("text,rule,matched", POSITIVES)
def test_insult_fires_with_its_span_and_code_a1(text: str, rule: str, matched: str) -> None:
    result = INSULTS.apply(text)
    assert result.fired and result.code == "A1"
    hit = next(h for h in result.hits if h.rule == rule)
    assert text[hit.span[0]:hit.span[1]] == hit.matched == matched


@pytest.mark.parametrize("text,rule", CONDEMNED)
def test_condemned_insult_is_damped(text: str, rule: str) -> None:
    result = INSULTS.apply(text)
    assert not result.fired and any(h.rule == rule for h in result.damped)


@pytest.mark.parametrize("text", UNAIMED)
def test_literal_self_or_no_insult_does_not_fire(text: str) -> None:
    assert not INSULTS.apply(text).fired


def test_every_insult_rule_is_covered_and_has_a_bahasa_label() -> None:
    from classifiers.labels import rule_label

    assert {rule for rule, *_ in RULES} == {rule for _, rule, _ in POSITIVES} == {rule for _, rule in CONDEMNED}
    assert all(not rule_label(rule).startswith("aturan lain") for rule, *_ in RULES)


def test_folding_keeps_numbers_and_mentions_and_maps_spans_back() -> None:
    text = "K4FIIIR 2019 @user cebong2 G30S"
    folded = fold(text)
    assert folded.text == "kafir 2019 @user cebong2 g30s"
    start = folded.text.index("kafir")
    assert folded.span(start, start + 5) == (0, 7)          # the original "K4FIIIR"
    assert {"kafir", "cebong", "user", "g", "s"} <= set(folded.words)


def test_lexicon_triggers_every_phrase_and_its_spellings() -> None:
    words = lexicon(["penista agama", "dasar *sipit", "cebong"])
    assert words.triggers >= {"penista", "sipit", "cebong", "cebongg"}
    assert words.pattern.search("si penista-agama itu") and words.pattern.search("cebongg2")
    assert not words.may_match(fold("agama kita damai").words)


@pytest.mark.parametrize("text,expected", [
    ("Bawaslu mengimbau warga melaporkan ujaran kebencian", True),
    ("Aja nyebut wong liyo kafir, ora apik", True),
    ("Menyebutnya penista agama itu keterlaluan", True),
    ("Dasar penista agama, jangan dipilih", False),
    ("Harga cabai naik lagi minggu ini", False),
])
def test_counter_speech_is_recognised(text: str, expected: bool) -> None:
    assert counter_speech(fold(text)) is expected


@pytest.mark.parametrize("text,expected", [
    ("Usir saja mereka dari kampung ini", True),
    ("umat Katolik penjajah ekonomi", True),
    ("dasar b4ngs4t", True),
    ("4 agama: Islam, Katolik, Kristen dan Budha hidup rukun di desa kami", False),
    ("Survei terbaru menunjukkan elektabilitas para calon bersaing ketat", False),
    # Derived forms count (men-dungu-kan, di-bodoh-i, men-tipu), ordinary ones do not.
    ("agama itu mendungukan umatnya", True),
    ("rakyat terus dibodohi", True),
    ("pejabat itu menipu rakyat", True),
    ("Guru mengajarkan kejujuran, hasilnya tergantung kita", False),
    ("Pedagang asongan di terminal ditertibkan, harga cabai diturunkan", False),
    ("Sarapan bersama sebelum apel pagi", False),
])
def test_hostility_needs_a_hostile_word(text: str, expected: bool) -> None:
    assert hostile(fold(text)) is expected
