"""SARA rules: each rule fires on an aimed slur with its code and span, and stays quiet when
the slur is quoted to be condemned, reported, taught or denied, or is not aimed at anyone."""

from __future__ import annotations

import pytest

from classifiers.sara import RULES, SaraRules

RULES_WITH_NAMES = SaraRules(["Hendra Wijaya", "Pak Hendra", "Ahok"])

POSITIVES = [
    ("Ahok itu cina kafir, jangan mau dipimpin dia", "sara_slur", "cina kafir", "H2"),
    ("dasar kafir laknat, calon kayak gitu mau mimpin kota", "sara_slur", "kafir laknat", "H2"),
    ("Pak Hendra penista agama, haram dipilih!", "sara_accusation", "penista agama", "H2"),
    ("rezim antek aseng harus tumbang 2024", "sara_accusation", "antek aseng", "H1"),
    ("calon nomor 2 itu anak PKI, cek saja silsilahnya", "sara_accusation", "anak PKI", "H2"),
    ("dasar kadrun, kerjanya cuma nyinyir", "camp_insult", "kadrun", "H2"),
    ("para kampret pada ngamuk kalah debat", "camp_insult", "kampret", "H2"),
    ("pendukung Hendra Wijaya itu babi semua", "dehumanising", "babi", "H2"),
    ("rezim dzalim ini harus tumbang", "state_hostility", "dzalim", "H1"),
    ("Lengserkan Jokowi sekarang juga!", "state_topple", "Lengserkan", "H1"),
    ("Lebih baik bupati mundur saja, tidak becus", "state_resign", "mundur", "H1"),
    ("Bubarkan HTI & FPI sekarang juga", "group_dissolve", "Bubarkan", "H2"),
]

# The same words quoted to be rejected, one per rule: counter-speech, reporting, denial, teaching.
CONDEMNED = [
    ("Jangan sebut Pak Hendra cina kafir hanya karena beda pilihan, kita semua saudara", "sara_slur"),
    ("Seorang oknum dilaporkan ke polisi karena menyebut gubernur penista agama di grup WA", "sara_accusation"),
    ("Pak Hendra bukan anak PKI, itu fitnah yang sudah diklarifikasi", "sara_accusation"),
    ("Stop ujaran kebencian! Menyebut lawan politik \"kadrun\" itu memecah belah warga", "camp_insult"),
    ("Tidak pantas menyebut para pendukung lawan kampret, pemilu harus damai", "camp_insult"),
    ("Aja nyebut wong Madura kabeh asu, ora apik, kabeh podo menungsane", "dehumanising"),
    ("Jangan sebut pemerintah boneka hanya karena beda pendapat", "state_hostility"),
    ("Polisi menangkap pemilik akun yang menyerukan gulingkan presiden di grup WA", "state_topple"),
    ("Akun yang menuntut presiden harus mundur dilaporkan ke polisi", "state_resign"),
    ("Jangan teriak Bubarkan HTI di grup kantor, itu memecah belah", "group_dissolve"),
]

# Not aimed at anyone, or ordinary words.
UNAIMED = [
    "Nonton film G30S PKI bareng keluarga, belajar sejarah bangsa",
    "kampret, macet banget pagi ini di jalan raya",
    "Surat Al-Kafirun dibaca anak-anak TPA sore ini",
    "anjing tetangga menggonggong terus semalaman",
    "Aku pake kacamata juga begitu, jadi agak sipit",
    "Orang muslim tidak makan babi, itu ajaran agamanya",
    "Seekor monyet di kebun binatang Surabaya melahirkan anak kembar",
    "Kenapa sih orang masih suka nyebut orang Sunda onta? Itu kan menyakitkan",
    "Saya memang tidak memilih Pak Hendra, tapi menyebutnya murtad itu keterlaluan",
    "Warga minta pemerintah turunkan harga BBM dan perbaiki jalan desa",
    "Saya kritik kebijakan pemerintah soal pajak, datanya tidak sesuai janji",
    "Harga BBM di turunkan pemerintah mulai bulan depan",
    "TURUNKAN HARGA BBM SEKARANG JUGA",
    "BUBARKAN RAPAT RT KALAU TIDAK KUORUM",
    "Turunkan PPN untuk sembako, kata pedagang pasar",
    "Presiden Zimbabwe menolak mundur meski didesak partainya",
    "Pasukan Belanda mundur ke Bandung pada 1946",
    "Lebih baik saya mundur dari lomba daripada curang",
    "Pak Harto lengser keprabon tahun 1998",
    "Kita pernah menentang sistem otoriter, pelajaran sejarah penting",
]

# Hostility to the state and its office holders as it is really written (H1).
STATE_WRITTEN = [
    ("TolakPERPPU lengserkan jokowi", "lengserkan"),                 # a lower-case name after the verb
    ("Saatnya Jokowi di Lengserkan ! Negara digadaikan", "Lengserkan"),   # the passive, no object after
    ("#LengserkanJokowi sekarang juga", "#LengserkanJokowi"),
    ("Mending jokowi yg mundur", "mundur"),                           # the one asked sits between
    ("Pak Jokowi Mundur Saja", "Mundur"),
    ("@user DIKTATOR JOKOWI itu", "DIKTATOR"),                        # a ruler's vice said of a name
    ("pemerintahan Jokowi yg diktaktor dan otoriter ini", "diktaktor"),
    ("KPK sudah selayaknya DPR yang di bubarkan bos", "bubarkan"),     # state before the passive
]


@pytest.mark.parametrize("text,matched", STATE_WRITTEN)
def test_state_hostility_as_really_written_fires_as_h1(text: str, matched: str) -> None:
    result = RULES_WITH_NAMES.apply(text)
    assert result.fired and result.code == "H1"
    spans = [text[h.span[0]:h.span[1]] for h in result.hits]
    assert matched in spans


@pytest.mark.parametrize("text,rule,matched,code", POSITIVES)
def test_aimed_slur_fires_with_span_and_code(text: str, rule: str, matched: str, code: str) -> None:
    result = RULES_WITH_NAMES.apply(text)
    assert result.fired and result.score >= 0.5
    hit = next(h for h in result.hits if h.rule == rule)
    assert text[hit.span[0]:hit.span[1]] == hit.matched
    assert matched.lower() in hit.matched.lower()
    assert hit.code == code and hit.description


@pytest.mark.parametrize("text,rule", CONDEMNED)
def test_condemned_slur_is_damped_not_fired(text: str, rule: str) -> None:
    result = RULES_WITH_NAMES.apply(text)
    assert not result.fired and result.score == 0.0
    assert any(h.rule == rule for h in result.damped)     # kept for the explanation


@pytest.mark.parametrize("text", UNAIMED)
def test_unaimed_or_ordinary_word_does_not_fire(text: str) -> None:
    result = RULES_WITH_NAMES.apply(text)
    assert not result.fired and result.score == 0.0


def test_every_rule_has_a_positive_and_a_condemned_negative_and_a_bahasa_label() -> None:
    from classifiers.labels import rule_label

    rules = {r.id for r in RULES}
    assert rules == {rule for _, rule, _, _ in POSITIVES} == {rule for _, rule in CONDEMNED}
    assert all("_" not in rule_label(rule) and not rule_label(rule).startswith("aturan lain") for rule in rules)


def test_condemnation_in_another_sentence_does_not_damp() -> None:
    text = "Saya benci ujaran kebencian di medsos. Tapi Ahok memang cina kafir."
    assert RULES_WITH_NAMES.apply(text).fired


def test_registry_and_capitalised_names_are_targets() -> None:
    assert RULES_WITH_NAMES.apply("Hendra Wijaya onta, jangan dipilih").fired
    assert SaraRules().apply("Ahok kafir, jangan dipilih").fired          # a name as people write it
    assert not SaraRules().apply("Wisata naik onta di Mesir seru sekali").fired  # no one is called it


@pytest.mark.parametrize("text,matched", [
    ("dasar K4FIR laknat, jangan pilih dia", "K4FIR laknat"),
    ("Hendra Wijaya itu kafiiiir", "kafiiiir"),
    ("CEBONGG semua pada mewek", "CEBONGG"),
    ("mereka itu b@bi semua", "b@bi"),
])
def test_slurs_as_really_written_are_found_with_their_own_span(text: str, matched: str) -> None:
    hits = RULES_WITH_NAMES.apply(text).hits
    assert hits and text[hits[0].span[0]:hits[0].span[1]] == hits[0].matched == matched


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
