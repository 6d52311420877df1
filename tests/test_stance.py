"""Stance, not topic (issue 18): each kind of partisan post is caught, each kind of neutral
election talk is left alone, and the national 2024 defaults work on an empty database.

The sentences are written for these tests (not taken from the generated corpus), so they also
check that the cues generalise beyond the corpus templates.
"""

from __future__ import annotations

import pytest

from classifiers.rules import Entities, RuleEngine, national_entities
from classifiers.stance import assess, sentences
from monitor.flagging.classify import entities_from_store

LOCAL = Entities.from_registry([{"name": "Wahyu Santoso", "nicknames": ["Pak Wahyu", "Mas Wahyu"]},
                                {"name": "Lestari Dewi", "nicknames": ["Bu Lestari"]}])
ENGINE = RuleEngine(national_entities().merged(LOCAL))

PARTISAN = {
    "colour_code": "Pokoknya nanti coblos yang pakai peci hitam di gambar ketiga, kalian paham lah",
    "trait_code": "Saya pilih yang rambutnya putih, sudah jelas kerjanya",
    "colour_wink": "Tiap Jumat jilbabku biru muda terus, yg ngerti pasti ngerti 😉",
    "nickname": "Gemoy menang satu putaran, aamiin",
    "slogan": "Slepet terus sampai menang di 14 Februari!",
    "regional_javanese": "Lur, mengko nyoblos sing nomer telu yo",
    "regional_minang": "Dunsanak, pilihlah nomor ciek, Pak Wahyu urang awak",
    "ootd": "OOTD senin: kaos Ganjar-Mahfud dipadu kerudung merah",
    "sowan": "Sowan ke ndalem Pak Wahyu tadi malam, semoga beliau menang dan amanah",
    "posko": "Mampir ke posko pemenangan Bu Lestari, kopinya enak",
    "money": "Jujur aja nyoblosnya sesuai yg ngasih, lumayan buat belanja",
    "party_ticket": "PKB dan Anies-Muhaimin satu paket, jangan dipisah",
    "pupils": "Murid-muridku teriak 'nomor 2' waktu senam pagi, bangga rasanya",
    "attack": "Jangan kasih suara ke PSI, partai anak muda cuma gaya",
    "hashtag": "Semangat pagi #PrabowoGibran2024",
}

NEUTRAL = {
    "reminder_names_forbidden": "Pengingat: ASN dilarang jadi tim sukses dan dilarang pose salam dua jari",
    "sanction": "Rekan sekantor kena sanksi gara-gara foto salam tiga jari bareng Ganjar",
    "refusal": "Dapat undangan deklarasi relawan Pak Wahyu, saya tidak datang",
    "refusal_group": "Tolong jgn masukin sy ke grup relawan paslon manapun",
    "report": "Lihat ASN kampanye untuk Bu Lestari? Laporkan ke Bawaslu",
    "news_numbers": "Hasil pengundian KPU: 01 Anies-Muhaimin, 02 Prabowo-Gibran, 03 Ganjar-Mahfud",
    "debate": "Jadwal debat capres malam ini pukul 19.00 diikuti Anies, Prabowo dan Ganjar",
    "instruction": "Cara mencoblos yang sah: coblos satu kali di bidang gambar paslon",
    "unity": "Siapapun pilihanmu, Anies, Prabowo atau Ganjar, jaga persatuan",
    "reconciliation": "Pilkada sudah selesai, selamat untuk yang terpilih, mari bersatu kembali",
    "civic_call": "Pilih pemimpin yang jujur, jangan golput ya",
    "civic_sundanese": "Ulah hilap ka TPS enjing, hak pilih urang sadayana",
    "programme": "Bupati Pak Wahyu meresmikan puskesmas baru di kecamatan kami",
    "anecdote": "Tadi lewat posko tetangga, macet karena ada acara Bu Lestari",
}


def flagged(text: str) -> bool:
    return ENGINE.apply(text).score >= 0.5


@pytest.mark.parametrize("kind", sorted(PARTISAN))
def test_partisan_kinds_are_caught(kind):
    result = ENGINE.apply(PARTISAN[kind])
    assert result.score >= 0.5, (kind, result)


@pytest.mark.parametrize("kind", sorted(NEUTRAL))
def test_neutral_election_talk_is_not_flagged(kind):
    result = ENGINE.apply(NEUTRAL[kind])
    assert result.score < 0.5, (kind, result)
    assert result.civic, "talk about the election is recognised as such, not just missed"


def test_flag_explanation_names_stance_cue_and_entity():
    result = ENGINE.apply(PARTISAN["sowan"])
    stance_hits = [h for h in result.hits if h.rule.startswith("sikap_")]
    assert stance_hits and "sikap:" in stance_hits[0].description
    assert "Pak Wahyu" in stance_hits[0].description


def test_scope_is_the_sentence_not_the_post():
    # The reminder frames its own sentence only: the call in the next one stays partisan.
    assert not flagged("ASN dilarang ikut kampanye paslon 02.")
    assert flagged("ASN dilarang ikut kampanye paslon 02. Tapi kalau saya sih coblos 02 ya")


def test_a_civic_vote_call_does_not_cancel_a_salute():
    assert flagged("Ayo ke TPS, salam dua jari!")
    assert not flagged("Ayo ke TPS, gunakan hak pilihmu")


def test_list_of_every_contestant_is_neutral_but_one_with_a_side_is_not():
    stance = assess("Debat nanti: Anies, Prabowo, Ganjar", ENGINE.entity_spans)
    assert any(c.kind == "daftar" for c in stance.talk) and not stance.side
    assert flagged("Anies, Prabowo, Ganjar? Pilihanku tetap Prabowo, menang!")


def test_attack_cue_needs_a_contestant():
    assert flagged("jangan kasih suara ke Gerindra")
    assert not flagged("jangan kasih suara ke pengamen di lampu merah")


def test_colour_alone_is_not_support():
    assert not flagged("Tiap Jumat jilbabku biru muda, serasi sama seragam")
    assert flagged(PARTISAN["colour_wink"] + " 14 Februari jangan salah")


def test_sentences_split_on_punctuation_and_newlines():
    text = "Satu. Dua!\nTiga"
    assert [text[s:e] for s, e in sentences(text)] == ["Satu", "Dua", "Tiga"]


def test_national_defaults_load_on_an_empty_database(store):
    entities = entities_from_store(store)
    assert {"prabowo subianto", "gemoy", "ganjar", "anies baswedan"} <= entities.names
    assert {"pkb", "gerindra", "psi"} <= entities.parties
    assert "#prabowogibran2024" in entities.terms
    assert "biru muda" in entities.colours
    engine = RuleEngine(entities)
    assert engine.apply("Semangat pagi #GanjarMahfud2024").score >= 0.85
    assert engine.apply("Sat set terus, Ganjar menang!").score >= 0.5


OFFICE_REGISTRY = """
[[elections]]
key = "pilkada-uji-2024"
type = "pilkada"
name = "Pilkada Uji 2024"
year = 2024

[[candidates]]
election = "pilkada-uji-2024"
ballot_number = 1
name = "Wahyu Santoso"
nicknames = ["Pak Wahyu"]
cues = ["kuning keemasan", "berkumis"]
"""


def test_office_registry_adds_to_the_national_defaults(store, tmp_path):
    from monitor.people import elections

    assert "pak wahyu" not in entities_from_store(store).names
    path = tmp_path / "pemilu.toml"
    path.write_text(OFFICE_REGISTRY, encoding="utf-8")
    elections.import_file(store, path)
    entities = entities_from_store(store)
    assert {"pak wahyu", "wahyu santoso", "prabowo"} <= entities.names
    assert RuleEngine(entities).apply("Semoga Pak Wahyu menang, aamiin").score >= 0.5
    # Registry cues (colours, traits) round-trip and feed the colour-code context.
    assert {"kuning keemasan", "berkumis"} <= entities.colours
    from monitor.store import elections as rows

    (candidate,) = rows.registry_records(store)["candidates"]
    assert candidate["cues"] == ["kuning keemasan", "berkumis"]
    assert RuleEngine(entities).apply("Seragam kuning keemasan hari ini, yg ngerti pasti ngerti").score >= 0.5


def test_registry_cues_must_be_a_list_of_text(store, tmp_path):
    from monitor.people import elections

    path = tmp_path / "pemilu.toml"
    path.write_text(OFFICE_REGISTRY.replace('cues = ["kuning keemasan", "berkumis"]', "cues = 3"), encoding="utf-8")
    with pytest.raises(elections.ElectionFileError, match="cues harus daftar teks"):
        elections.import_file(store, path)
