"""Partisan rules: positives fire with a code and a span; hard negatives stay quiet."""

from __future__ import annotations

import json

import pytest

from classifiers.rules import Entities, RuleEngine
from conftest import ROOT

ENGINE = RuleEngine(Entities.from_registry(
    [{"name": "Hendra Wijaya", "running_mate": "Siti Rahmawati", "pair_name": "HERA", "nicknames": ["Pak Hendra"]},
     {"name": "Prabowo Subianto", "running_mate": "Gibran Rakabuming Raka", "nicknames": ["Prabowo", "Gibran"]}],
    [{"name": "Partai Contoh Maju", "abbreviation": "PCM"}],
    terms=["#HERAuntukSukamaju", "Sukamaju Bangkit Bersama"],
    handles=["@HERA_Sukamaju"],
))

POSITIVES = [
    ("Salam dua jari! 27 November jangan lupa ya", "salam_jari", "N7"),
    ("Besok coblos nomor 2 ya lur, pokoke menang!", "vote_number", "N1"),
    ("yuk pilih no.1 biar sukamaju maju", "vote_number", "N1"),
    ("Mantap acaranya #HERAuntukSukamaju", "campaign_term", "N1"),
    ("Sukamaju Bangkit Bersama, kita pasti bisa!", "campaign_term", "N1"),
    ("Alhamdulillah dipercaya jadi koordinator relawan kecamatan", "team", "N11"),
    ("Relawan Pak Hendra siap door to door minggu ini", "team_entity", "N11"),
    ("Yang datang ke rumah Pak Hendra malam ini dapat amplop, lumayan 100 ribu", "money", "N10"),
    ("Ajak keluarga hadir di deklarasi HERA hari Minggu di lapangan", "invite_event", "N9"),
    ("Mohon doa restu, insya Allah saya maju sebagai caleg DPRD 2029", "pre_candidate", "N13"),
    ("Pakai mobil dinas ke acara kampanye paslon tadi, hemat bensin wkwk", "facility", "N12"),
    ("Jangan pilih Prabowo, ingat masa lalunya", "support_verb", "N1"),
    ("✌️✌️ Prabowo Gibran lanjutkan", "gesture_emoji", "N7"),
    ("Santai Bu, rakyat sudah capek #2029GantiPresiden", "office_campaign", "N1"),
    ("Pokoknya #BupatiKita2Periode, kerjanya nyata", "office_campaign", "N1"),
    ("2029 ganti presiden, setuju?", "office_campaign", "N1"),
    ("#AsalBukanPetahana pokoknya", "office_campaign", "N1"),
]

NEGATIVES = [
    "Ayo ke TPS tanggal 27 November, gunakan hak pilih Anda. Jangan golput!",
    "Cek DPT Anda di cekdptonline.kpu.go.id, bawa e-KTP dan undangan C6",
    "Jadwal debat kedua paslon Pilkada Sukamaju dari KPU: Jumat malam",
    "ASN wajib netral! Jaga netralitas di media sosial ya rekan-rekan",
    "Tolak politik uang, laporkan serangan fajar ke Bawaslu",
    "Agar suara sah, coblos satu kali di dalam kotak gambar calon",
    "Selamat kepada anak kami juara 2 lomba pidato tingkat kota",
    "Pilih menu nomor 3 aja, nasi goreng paling enak di kantin",
    "Saya ASN, bukan tim sukses siapa pun. Netral itu wajib.",
    "Ojo melu-melu kampanye ya kanca ASN, mengko keno sanksi",
    "Dalam rangka tugas pengamanan, Satpol PP hadir di lokasi kampanye paslon",
    "Foto bareng tim puskesmas ✌️ habis akreditasi",
    "Kerja bakti warga RW 09 Minggu pagi, menangkan lomba kampung bersih!",
    "HOAKS: surat suara sudah dicoblos untuk paslon 2. Faktanya, KPU belum mencetak surat suara.",
    "Presiden baru dilantik hari ini di gedung MPR",
    "Habis ganti oli motor 2024 langsung enteng",
    "ASN jangan sebar #2029GantiPresiden, itu kampanye",
]


@pytest.mark.parametrize("text, rule, code", POSITIVES)
def test_partisan_cues_fire_with_code_and_span(text, rule, code):
    result = ENGINE.apply(text)
    assert result.score >= 0.5, result
    hit = next(h for h in result.hits if h.rule == rule)
    assert hit.code == code
    start, end = hit.span
    assert text[start:end] == hit.matched and hit.matched.strip()
    assert hit.description  # a reviewer-facing reason


@pytest.mark.parametrize("text", NEGATIVES)
def test_civic_and_everyday_posts_do_not_flag(text):
    assert ENGINE.apply(text).score < 0.5, ENGINE.apply(text)


def test_civic_framing_damps_weak_cues_but_not_strong_ones():
    weak = ENGINE.apply("Jangan golput! Dukung Pak Hendra atau siapa pun, yang penting datang ke TPS")
    assert weak.civic and weak.score < 0.5
    strong = ENGINE.apply("Ayo ke TPS, salam dua jari!")
    assert strong.civic and strong.score >= 0.85


def test_entity_cues_need_an_entity_nearby():
    assert ENGINE.apply("dukung terus ya").score == 0
    assert ENGINE.apply("dukung terus Pak Hendra ya").score >= 0.5


def test_registry_handles_count_as_entities():
    assert ENGINE.apply("dukung @HERA_Sukamaju sampai menang").score >= 0.5


def test_rules_are_precise_on_the_seed_corpus():
    """Rules are the high-precision half; the model brings recall. Printed, and bounded loosely."""
    path = ROOT / "data" / "seed" / "seed_corpus.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    flagged = [r for r in rows if ENGINE.apply(r["text"]).score >= 0.5]
    precision = sum("partisan" in r["labels"] for r in flagged) / len(flagged)
    recall = len([r for r in flagged if "partisan" in r["labels"]]) / sum("partisan" in r["labels"] for r in rows)
    print(f"rules on seed corpus: precision={precision:.3f} recall={recall:.3f}")
    assert precision >= 0.9 and recall >= 0.2


def test_triggers_never_hide_a_match():
    """The cheap substring prefilter must be complete: wherever a rule's regex matches, one of
    its triggers is in the lower-cased text (checked on every shipped post)."""
    import json
    from pathlib import Path

    from classifiers.rules import CIVIC_PATTERNS, _ENTITY_FREE_RULES

    root = Path(__file__).resolve().parent.parent
    texts = [json.loads(line)["text"] for name in ("data/seed/seed_corpus.jsonl", "data/demo/posts.jsonl")
             for line in (root / name).read_text(encoding="utf-8").splitlines() if line.strip()]
    matched = 0
    for rule in _ENTITY_FREE_RULES + CIVIC_PATTERNS:
        for text in texts:
            if rule.pattern.search(text):
                matched += 1
                assert any(t in text.lower() for t in rule.triggers), (rule.id, text)
    assert matched > 100


def test_election_context():
    engine = RuleEngine(Entities.from_registry([{"name": "Hendra Wijaya", "nicknames": ["Bang Hendra"]}]))
    assert not engine.apply("Motor mogok pas hujan, untung ada bapak-bapak baik yang bantu dorong").context
    assert not engine.apply("cek https://contoh.id/berita dan kabari").context  # "tps" inside "https"
    assert engine.apply("Debat pilkada nanti malam, nonton yuk").context
    assert engine.apply("Bang Hendra tadi mampir ke pasar").context  # a registry name
    assert engine.apply("Besok ke TPS jam 7").context
    assert engine.apply("Salam dua jari!").context  # any partisan hit is context
