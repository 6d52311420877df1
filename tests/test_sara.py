"""SARA rules: each rule fires on an aimed slur with its code and span, and stays quiet when
the slur is quoted to be condemned, reported or taught."""

from __future__ import annotations

import pytest

from classifiers.sara import RULES, SaraRules

RULES_WITH_NAMES = SaraRules(["Hendra Wijaya", "Pak Hendra", "Ahok"])

POSITIVES = [
    ("Ahok itu cina kafir, jangan mau dipimpin dia", "sara_slur", "cina kafir", "H2"),
    ("dasar kafir laknat, calon kayak gitu mau mimpin kota", "sara_slur", "kafir", "H2"),
    ("Pak Hendra penista agama, haram dipilih!", "sara_accusation", "penista agama", "H2"),
    ("rezim antek aseng harus tumbang 2024", "sara_accusation", "antek aseng", "H1"),
    ("calon nomor 2 itu anak PKI, cek saja silsilahnya", "sara_accusation", "anak PKI", "H2"),
    ("dasar kadrun, kerjanya cuma nyinyir", "camp_insult", "kadrun", "H2"),
    ("para kampret pada ngamuk kalah debat", "camp_insult", "kampret", "H2"),
    ("pendukung Hendra Wijaya itu babi semua", "dehumanising", "babi", "H2"),
]

# The same slurs named to be rejected: counter-speech, reporting, history.
NEGATIVES = [
    "Jangan sebut orang kafir hanya karena beda pilihan, kita semua saudara",
    "Stop ujaran kebencian! Menyebut lawan politik \"kadrun\" itu memecah belah warga",
    "Seorang oknum dilaporkan ke polisi karena menyebut gubernur penista agama di grup WA",
    "Nonton film G30S PKI bareng keluarga, belajar sejarah bangsa",
    "Tidak pantas menyebut pendukung lawan cebong atau kampret, pemilu harus damai",
    "Pak Hendra bukan PKI, itu fitnah yang sudah diklarifikasi",
    "kampret, macet banget pagi ini di jalan raya",
    "Surat Al-Kafirun dibaca anak-anak TPA sore ini",
    "anjing tetangga menggonggong terus semalaman",
]


@pytest.mark.parametrize("text,rule,matched,code", POSITIVES)
def test_aimed_slur_fires_with_span_and_code(text: str, rule: str, matched: str, code: str) -> None:
    result = RULES_WITH_NAMES.apply(text)
    assert result.fired and result.score >= 0.5
    hit = next(h for h in result.hits if h.rule == rule)
    assert text[hit.span[0]:hit.span[1]] == hit.matched
    assert matched.lower() in hit.matched.lower()
    assert hit.code == code and hit.description


@pytest.mark.parametrize("text", NEGATIVES)
def test_condemned_reported_or_unaimed_slur_does_not_fire(text: str) -> None:
    result = RULES_WITH_NAMES.apply(text)
    assert not result.fired and result.score == 0.0


def test_counter_speech_keeps_the_damped_hit_for_the_explanation() -> None:
    result = RULES_WITH_NAMES.apply(NEGATIVES[0])
    assert [h.matched for h in result.damped] == ["kafir"]


def test_condemnation_in_another_sentence_does_not_damp() -> None:
    text = "Saya benci ujaran kebencian di medsos. Tapi Ahok memang cina kafir."
    assert RULES_WITH_NAMES.apply(text).fired


def test_registry_names_are_targets() -> None:
    text = "Hendra Wijaya onta gurun"
    assert RULES_WITH_NAMES.apply(text).fired
    assert not SaraRules().apply("Wisata naik onta di Mesir seru sekali").fired  # no one is called it


def test_every_rule_is_covered_by_a_positive() -> None:
    assert {r.id for r in RULES} == {rule for _, rule, _, _ in POSITIVES}


def test_election_hate_posts_load_and_the_held_out_part_is_disjoint() -> None:
    from classifiers.datasets import HATE_ELECTION_HELDOUT, load_hate_election

    train, held = load_hate_election(), load_hate_election(HATE_ELECTION_HELDOUT)
    assert len(train) >= 300 and all(e.covers == {"hate"} and e.source == "seed_hate" for e in train)
    hateful = [e for e in train if e.labels]
    assert 0.3 < len(hateful) / len(train) < 0.8      # hard negatives too, not only hate
    assert not {e.text for e in train} & {e.text for e in held}
    # Opening words of the held-out sentence shapes differ from the training ones.
    opening = {" ".join(e.text.split()[:3]) for e in train}
    assert sum(" ".join(e.text.split()[:3]) in opening for e in held) < len(held) * 0.2
