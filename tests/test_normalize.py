"""Normaliser and stemmer: every rule with Indonesian examples, lexicon loaders, stem cache."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from classifiers import normalize as normalize_module
from classifiers import stem as stem_module
from classifiers.normalize import (
    Normalized,
    Normalizer,
    default_slang,
    load_colloquial_lexicon_csv,
    load_indocollex_tsv,
    load_kamusalay_csv,
    load_slang_tsv,
    split_hashtag,
)
from classifiers.stem import PROTECTED_WORDS, WordStemmer

DATASETS = Path(__file__).resolve().parent.parent.parent / "shared" / "datasets"


@pytest.fixture(scope="module")
def plain() -> Normalizer:
    """No slang map, so each rule is seen on its own."""
    return Normalizer(slang={})


@pytest.fixture
def slang_tsv(tmp_path: Path) -> Path:
    path = tmp_path / "slang.tsv"
    path.write_text(
        "slang\tformal\n"
        "bgt\tbanget\n"
        "gak\ttidak\n"
        "gpp\ttidak apa-apa\n"
        "gw\tsaya\n"
        "yg\tyang\n"
        "bawaslu\tbadan pengawas pemilu\n"  # a protected word: must be ignored
        "2x\tdua kali\n",  # a key with digits: numbers are never mapped
        encoding="utf-8",
    )
    return path


@pytest.fixture
def stem_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Wrap the real Sastrawi stemmer and record every word it is asked to stem."""
    calls: list[str] = []
    real_factory = stem_module.sastrawi_stem_function

    def counting_factory():
        real_stem = real_factory()

        def counting_stem(word: str) -> str:
            calls.append(word)
            return real_stem(word)

        return counting_stem

    monkeypatch.setattr(stem_module, "sastrawi_stem_function", counting_factory)
    return calls


def tokens(normalizer: Normalizer, text: str) -> list[str]:
    return normalizer.normalize(text).tokens


# -- result shape ---------------------------------------------------------------------------


def test_result_is_frozen_and_text_joins_tokens(plain: Normalizer):
    result = plain.normalize("Ayo ke TPS, 14 Februari!")
    assert isinstance(result, Normalized)
    assert result.text == "ayo ke tps 14 februari" == " ".join(result.tokens)
    assert len(result.stems) == len(result.tokens)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.text = "x"  # type: ignore[misc]


def test_empty_and_punctuation_only_posts_give_no_tokens(plain: Normalizer):
    assert plain.normalize("") == Normalized("", [], [], [])
    assert plain.normalize("!!! ... ???").tokens == []


def test_non_text_input_is_refused_with_a_hint(plain: Normalizer):
    with pytest.raises(TypeError, match="str"):
        plain.normalize(None)  # type: ignore[arg-type]


def test_normalize_many_matches_normalize_one_by_one(plain: Normalizer):
    posts = ["Pilih no.2!!", "#AyoKeTPS ✌️", "bangeeet"]
    assert plain.normalize_many(posts) == [plain.normalize(post) for post in posts]
    assert plain.normalize_many(iter(posts)) == plain.normalize_many(posts)


# -- 1. unicode cleanup and case -------------------------------------------------------------


def test_fancy_fonts_and_full_width_characters_fold_to_plain_letters(plain: Normalizer):
    assert tokens(plain, "𝐏𝐈𝐋𝐈𝐇 𝟎𝟏") == ["pilih", "01"]
    assert tokens(plain, "ＰＥＭＩＬＵ　２０２４") == ["pemilu", "2024"]


def test_zero_width_characters_cannot_split_a_word(plain: Normalizer):
    assert tokens(plain, "pe\u200bmi\u200clu ka\u00admpanye") == ["pemilu", "kampanye"]


def test_line_breaks_and_tabs_separate_words(plain: Normalizer):
    assert tokens(plain, "Netral\nitu\twajib") == ["netral", "itu", "wajib"]


def test_literal_escapes_from_dataset_exports_are_decoded(plain: Normalizer):
    # As stored in Ibrohim & Budi (2019): emoji as escaped UTF-8 bytes, line breaks as "\n".
    assert tokens(plain, r"AKU\n\nKU mantap \xf0\x9f\x94\xa5\xf0\x9f\x98\x82'") == [
        "aku", "ku", "mantap", "__emoji_fire__", "__emoji_laugh__",
    ]


# -- 2. URLs, mentions, e-mails --------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("cek https://kpu.go.id/dpt?nik=1, ya", ["cek", "__url__", "ya"]),
        ("info www.bawaslu.go.id", ["info", "__url__"]),
        ("link bit.ly/ASNnetral", ["link", "__url__"]),
        ("buka kpu.go.id sekarang", ["buka", "__url__", "sekarang"]),
        ("kata @jokowi dan @KPU_RI:", ["kata", "__mention__", "dan", "__mention__"]),
        ("lapor ke pengaduan@bawaslu.go.id.", ["lapor", "ke", "__email__"]),
        ("email budi.s+asn@kemendagri.go.id", ["email", "__email__"]),
    ],
)
def test_urls_mentions_and_emails_become_placeholders(plain: Normalizer, text, expected):
    assert tokens(plain, text) == expected


def test_hash_inside_a_url_is_not_a_hashtag(plain: Normalizer):
    result = plain.normalize("https://example.com/#pemilu")
    assert result.tokens == ["__url__"] and result.hashtags == []


def test_typed_placeholder_text_cannot_spoof_a_placeholder(plain: Normalizer):
    assert tokens(plain, "__url__ __emoji_v__") == ["url", "emoji", "v"]


# -- 3. hashtags -----------------------------------------------------------------------------


def test_hashtag_is_kept_and_split_on_digits_and_capitals(plain: Normalizer):
    result = plain.normalize("#2024GantiPresiden")
    assert result.tokens == ["#2024gantipresiden", "2024", "ganti", "presiden"]
    assert result.hashtags == ["2024gantipresiden"]


def test_hashtag_with_trailing_acronym_uses_original_casing(plain: Normalizer):
    result = plain.normalize("Yuk #AyoKeTPS!")
    assert result.tokens == ["yuk", "#ayoketps", "ayo", "ke", "tps"]
    assert result.hashtags == ["ayoketps"]


@pytest.mark.parametrize(
    "tag, parts",
    [
        ("2024GantiPresiden", ["2024", "Ganti", "Presiden"]),
        ("AyoKeTPS", ["Ayo", "Ke", "TPS"]),
        ("TPSJakarta", ["TPS", "Jakarta"]),
        ("ASN_Netral", ["ASN", "Netral"]),
        ("pemilu2024", ["pemilu", "2024"]),
        ("gantipresiden", ["gantipresiden"]),
        ("PILPRES", ["PILPRES"]),
    ],
)
def test_split_hashtag(tag, parts):
    assert split_hashtag(tag) == parts


def test_unsplittable_lowercase_hashtag_stays_one_word(plain: Normalizer):
    result = plain.normalize("#gantipresiden #pemilu2024")
    assert result.tokens == ["#gantipresiden", "gantipresiden", "#pemilu2024", "pemilu", "2024"]
    assert result.hashtags == ["gantipresiden", "pemilu2024"]


def test_hashtag_words_go_through_slang_and_elongation(slang_tsv: Path):
    normalizer = Normalizer(slang=load_slang_tsv(slang_tsv), stem=False)
    assert tokens(normalizer, "#GakPilihDiaa #GasPollll") == [
        "#gakpilihdiaa", "tidak", "pilih", "diaa", "#gaspollll", "gas", "pol",
    ]


def test_hashtag_tokens_are_not_stemmed():
    result = Normalizer(slang={}).normalize("#Mendukung")
    assert result.tokens == ["#mendukung", "mendukung"]
    assert result.stems == ["#mendukung", "dukung"]


# -- 4. emoji --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "emoji, token",
    [
        ("✌️", "__emoji_v__"),
        ("✌", "__emoji_v__"),
        ("✌🏾", "__emoji_v__"),
        ("☝️", "__emoji_one__"),
        ("☝🏻", "__emoji_one__"),
        ("🤟", "__emoji_three__"),
        ("👌", "__emoji_ok__"),
        ("👍", "__emoji_thumbsup__"),
        ("👍🏽", "__emoji_thumbsup__"),
        ("🙏", "__emoji_pray__"),
        ("❤️", "__emoji_love__"),
        ("😍", "__emoji_love__"),
        ("😡", "__emoji_angry__"),
        ("🤬", "__emoji_angry__"),
        ("🤣", "__emoji_laugh__"),
        ("😂", "__emoji_laugh__"),
        ("🔥", "__emoji_fire__"),
        ("🐟", "__emoji__"),
        ("⭐", "__emoji__"),
        ("🇮🇩", "__emoji__"),  # a flag is one emoji, not two letters
        ("👨‍👩‍👧", "__emoji__"),  # a ZWJ family is one emoji
    ],
)
def test_emoji_become_named_tokens(plain: Normalizer, emoji, token):
    assert tokens(plain, f"salam{emoji}jari") == ["salam", token, "jari"]


def test_repeated_gesture_emoji_each_count(plain: Normalizer):
    assert tokens(plain, "✌️✌️🔥") == ["__emoji_v__", "__emoji_v__", "__emoji_fire__"]


def test_keycap_digit_is_the_candidate_number(plain: Normalizer):
    assert tokens(plain, "coblos 2️⃣ ya") == ["coblos", "2", "ya"]


def test_arrows_and_maths_symbols_are_punctuation_not_emoji(plain: Normalizer):
    assert tokens(plain, "capres → 01 ≠ 02") == ["capres", "01", "02"]


def test_emoji_tokens_are_not_stemmed():
    result = Normalizer(slang={}).normalize("🙏 ✌️")
    assert result.stems == result.tokens == ["__emoji_pray__", "__emoji_v__"]


# -- 5. elongation ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, fixed",
    [
        ("bangeeet", "banget"),
        ("pliiis", "plis"),
        ("BANGEEEETTT", "banget"),
        ("wkwkwkwk", "wkwk"),
        ("wkwkwkwkwkwk", "wkwk"),
        ("hahahaha", "haha"),
        ("maaaaf", "maaf"),  # a real double letter survives when it makes a word
        ("saaaat", "saat"),
        ("maaf", "maaf"),
        ("saat", "saat"),
        ("kakak", "kakak"),
        ("pppk", "pppk"),  # a known word with a triple letter is not elongation
    ],
)
def test_elongation_collapses_but_keeps_real_double_letters(plain: Normalizer, raw, fixed):
    assert tokens(plain, raw) == [fixed]


def test_digits_are_never_collapsed(plain: Normalizer):
    assert tokens(plain, "1000 2222") == ["1000", "2222"]


# -- 6. digits -------------------------------------------------------------------------------


def test_salam_dua_jari_keeps_the_number_and_the_gestures(plain: Normalizer):
    assert tokens(plain, "Salam 2 jari ✌️✌️ pilih no.2!!!") == [
        "salam", "2", "jari", "__emoji_v__", "__emoji_v__", "pilih", "no", "2",
    ]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("nomor urut 2", ["nomor", "urut", "2"]),
        ("coblos 01", ["coblos", "01"]),
        ("salam 3 jari", ["salam", "3", "jari"]),
        ("pemilu 2024", ["pemilu", "2024"]),
        ("capres01 menang", ["capres", "01", "menang"]),
        ("paslon2", ["paslon", "2"]),
        ("no1", ["no", "1"]),
        ("2periode", ["2", "periode"]),
        ("amplop Rp50.000", ["amplop", "rp", "50000"]),
        ("pilih 1,2 atau 3", ["pilih", "1", "2", "atau", "3"]),
        ("3x", ["3", "x"]),
    ],
)
def test_numbers_stay_and_letter_digit_mixes_split(plain: Normalizer, text, expected):
    assert tokens(plain, text) == expected


@pytest.mark.parametrize(
    "leet, word",
    [("m3n4ng", "menang"), ("s4y4", "saya"), ("4ku", "aku"), ("t3t4p", "tetap"), ("p3m1lu", "pemilu")],
)
def test_leetspeak_is_undone_when_it_makes_a_known_word(plain: Normalizer, leet, word):
    assert tokens(plain, leet) == [word]


def test_leetspeak_into_a_slang_key_is_then_mapped(slang_tsv: Path):
    assert tokens(Normalizer(slang=load_slang_tsv(slang_tsv), stem=False), "g4k") == ["tidak"]


def test_unknown_leetspeak_stays_one_token(plain: Normalizer):
    assert tokens(plain, "t3tapjokowi") == ["t3tapjokowi"]


def test_reduplication_with_2_repeats_the_word_except_after_number_words(plain: Normalizer):
    assert tokens(plain, "anak2 hati2") == ["anak", "anak", "hati", "hati"]
    assert tokens(plain, "salam2 pilih2") == ["salam", "2", "pilih", "2"]


def test_numbers_are_not_stemmed_or_mapped(slang_tsv: Path):
    result = Normalizer(slang=load_slang_tsv(slang_tsv)).normalize("2x 01 2024")
    assert result.tokens == result.stems == ["2", "x", "01", "2024"]


# -- 7. punctuation --------------------------------------------------------------------------


def test_punctuation_goes_and_repeats_do_not_matter(plain: Normalizer):
    assert tokens(plain, "Netral!!!") == tokens(plain, "netral.") == tokens(plain, "(netral)") == ["netral"]
    assert tokens(plain, "ASN...harus---netral???") == ["asn", "harus", "netral"]


def test_apostrophe_inside_a_word_joins_it(plain: Normalizer):
    assert tokens(plain, "Jum'at 'pagi'") == ["jumat", "pagi"]


def test_hyphenated_reduplication_splits_into_words(plain: Normalizer):
    assert tokens(plain, "relawan-relawan") == ["relawan", "relawan"]


# -- 8. slang --------------------------------------------------------------------------------


def test_slang_maps_to_formal_words_including_multi_word_values(slang_tsv: Path):
    normalizer = Normalizer(slang=load_slang_tsv(slang_tsv), stem=False)
    assert tokens(normalizer, "Gw gak golput, gpp") == ["saya", "tidak", "golput", "tidak", "apa", "apa"]


def test_slang_applies_after_elongation(slang_tsv: Path):
    normalizer = Normalizer(slang=load_slang_tsv(slang_tsv), stem=False)
    assert tokens(normalizer, "gaaak bgtttt") == ["tidak", "banget"]


def test_protected_words_and_digit_keys_in_a_slang_map_are_ignored(slang_tsv: Path):
    normalizer = Normalizer(slang=load_slang_tsv(slang_tsv), stem=False)
    assert tokens(normalizer, "bawaslu 2x") == ["bawaslu", "2", "x"]


def test_empty_slang_map_disables_mapping():
    assert tokens(Normalizer(slang={}, stem=False), "gak") == ["gak"]


def test_default_slang_is_empty_when_the_shipped_file_is_absent(monkeypatch, tmp_path: Path):
    monkeypatch.setattr(normalize_module, "DEFAULT_SLANG_PATH", tmp_path / "missing.tsv")
    assert default_slang() == {}


def test_default_slang_reads_the_shipped_file_path(monkeypatch, slang_tsv: Path):
    monkeypatch.setattr(normalize_module, "DEFAULT_SLANG_PATH", slang_tsv)
    assert default_slang()["gw"] == "saya"
    assert tokens(Normalizer(stem=False), "gw") == ["saya"]


def test_shipped_slang_file_loads_when_present():
    if not normalize_module.DEFAULT_SLANG_PATH.is_file():
        pytest.skip("data/lexicons/slang_id.tsv not written yet")
    slang = default_slang()
    assert slang, "shipped slang file is empty"
    assert all(key == key.strip().lower() for key in slang)


# -- 9. stemming -----------------------------------------------------------------------------


def test_ordinary_words_are_stemmed_and_tokens_are_not():
    result = Normalizer(slang={}).normalize("Mendukung pencalonan kepala daerah")
    assert result.tokens == ["mendukung", "pencalonan", "kepala", "daerah"]
    assert result.stems == ["dukung", "calon", "kepala", "daerah"]


@pytest.mark.parametrize("word", sorted(PROTECTED_WORDS))
def test_protected_words_survive_normalisation_and_stemming(word):
    result = Normalizer(slang={}).normalize(word.upper())
    assert result.tokens == result.stems == [word]


def test_protected_words_lose_only_their_clitic():
    result = Normalizer(slang={}).normalize("pemilunya relawanku capresnya")
    assert result.stems == ["pemilu", "relawan", "capres"]


@pytest.mark.parametrize(
    "word, mangled",
    [
        ("pemilu", "milu"),
        ("relawan", "rawan"),
        ("petahana", "tahana"),
        ("pemerintah", "perintah"),
        ("pemungutan", "mungut"),
        ("pengawas", "awas"),
        ("politisi", "politis"),
        ("pemilihan", "pilih"),
        ("pemenangan", "menang"),
        ("serangan", "serang"),
    ],
)
def test_raw_sastrawi_mangles_these_words_which_is_why_they_are_protected(word, mangled):
    assert stem_module.sastrawi_stem_function()(word) == mangled
    assert word in PROTECTED_WORDS


def test_stopwords_that_carry_stance_are_kept():
    result = Normalizer(slang={}).normalize("saya tidak bukan")
    assert result.stems == ["saya", "tidak", "bukan"]


def test_stem_false_returns_tokens_as_stems(stem_calls: list[str]):
    result = Normalizer(slang={}, stem=False).normalize("mendukung kampanye")
    assert result.stems == result.tokens == ["mendukung", "kampanye"]
    assert stem_calls == []


def test_each_unique_word_is_stemmed_once(stem_calls: list[str]):
    normalizer = Normalizer(slang={})
    normalizer.normalize_many(["mendukung mendukung pilihan", "pilihan mendukung #Mendukung 2 🙏"])
    assert sorted(stem_calls) == ["mendukung", "pilihan"]


# -- stem cache ------------------------------------------------------------------------------


def test_saved_stem_cache_spares_the_stemmer(tmp_path: Path, stem_calls: list[str]):
    cache = tmp_path / "cache" / "stems.json"
    posts = ["Para pegawai mendukung pencalonan", "perubahan kebijakan pemerintahan daerah"]
    first = Normalizer(slang={}, stem_cache_path=cache)
    expected = first.normalize_many(posts)
    assert stem_calls, "the first run has to stem"
    first.save_stem_cache()
    assert cache.is_file() and [p.name for p in cache.parent.iterdir()] == ["stems.json"]

    stem_calls.clear()
    second = Normalizer(slang={}, stem_cache_path=cache)
    assert second.normalize_many(posts) == expected
    assert stem_calls == []


def test_stem_cache_file_is_json_with_a_version(tmp_path: Path):
    cache = tmp_path / "stems.json"
    normalizer = Normalizer(slang={}, stem_cache_path=cache)
    normalizer.normalize("mendukung")
    normalizer.save_stem_cache()
    payload = json.loads(cache.read_text(encoding="utf-8"))
    assert payload["stems"] == {"mendukung": "dukung"}
    assert payload["stemmer"].startswith("PySastrawi")


def test_two_writers_merge_into_one_cache(tmp_path: Path):
    cache = tmp_path / "stems.json"
    for word in ("mendukung", "pencalonan"):
        normalizer = Normalizer(slang={}, stem_cache_path=cache)
        normalizer.normalize(word)
        normalizer.save_stem_cache()
    stems = json.loads(cache.read_text(encoding="utf-8"))["stems"]
    assert stems == {"mendukung": "dukung", "pencalonan": "calon"}


@pytest.mark.parametrize(
    "content",
    [
        "{not json",
        json.dumps({"format": "something-else", "stems": {"mendukung": "x"}}),
        json.dumps({"format": "netra-stem-cache", "version": 1, "stemmer": "PySastrawi 0.0",
                    "stems": {"mendukung": "x"}}),
    ],
)
def test_corrupt_or_foreign_cache_is_ignored(tmp_path: Path, stem_calls: list[str], content: str):
    cache = tmp_path / "stems.json"
    cache.write_text(content, encoding="utf-8")
    assert Normalizer(slang={}, stem_cache_path=cache).normalize("mendukung").stems == ["dukung"]
    assert stem_calls == ["mendukung"]


def test_cached_stem_never_overrides_a_protected_word(tmp_path: Path):
    cache = tmp_path / "stems.json"
    writer = WordStemmer(stem_function=str.upper, cache_path=cache)
    writer.stem("mendukung")
    writer.cache["pemilu"] = "milu"  # as if saved before the word was protected
    writer.save()
    reader = WordStemmer(stem_function=str.upper, cache_path=cache)
    assert reader.stem("pemilu") == "pemilu"
    assert reader.stem("mendukung") == "MENDUKUNG"


def test_injected_stem_function_is_used_for_unknown_words():
    stemmer = WordStemmer(stem_function=str.upper)
    assert stemmer.stem_many(["abc", "abc", "01", "__url__", "relawan"]) == ["ABC", "ABC", "01", "__url__", "relawan"]


def test_saving_without_a_cache_path_says_what_to_set():
    with pytest.raises(ValueError, match="stem_cache_path"):
        Normalizer(slang={}).save_stem_cache()


# -- loaders on small files in each public format ----------------------------------------------


def test_load_slang_tsv(slang_tsv: Path):
    slang = load_slang_tsv(slang_tsv)
    assert slang["gpp"] == "tidak apa-apa" and slang["gw"] == "saya" and len(slang) == 7


@pytest.mark.parametrize(
    "content, message",
    [
        ("alay\tbaku\ngw\tsaya\n", "header"),
        ("slang\tformal\ngw saya\n", "2 kolom"),
        ("slang\tformal\ngw\tsaya\ngw\taku\n", "pilih satu"),
        ("slang\tformal\ngw\t\n", "kosong"),
    ],
)
def test_load_slang_tsv_rejects_editing_mistakes(tmp_path: Path, content: str, message: str):
    path = tmp_path / "bad.tsv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        load_slang_tsv(path)


def test_load_colloquial_lexicon_csv_takes_the_most_frequent_formal(tmp_path: Path):
    path = tmp_path / "colloquial.csv"
    path.write_text(
        "slang,formal,In-dictionary,context,category1,category2,category3\n"
        'woww,wow,1,"woww, keren",elongasi,0,0\n'
        "bkn,bukan,1,bkn gitu,abreviasi,0,0\n"
        "bkn,bikin,1,bkn kue,abreviasi,0,0\n"
        "bkn,bukan,1,bkn aku,abreviasi,0,0\n"
        "Met,selamat,1,Met pagi,abreviasi,0,0\n",
        encoding="utf-8",
    )
    assert load_colloquial_lexicon_csv(path) == {"woww": "wow", "bkn": "bukan", "met": "selamat"}


def test_load_colloquial_lexicon_csv_needs_slang_and_formal_columns(tmp_path: Path):
    path = tmp_path / "wrong.csv"
    path.write_text("a,b\nx,y\n", encoding="utf-8")
    with pytest.raises(ValueError, match="slang"):
        load_colloquial_lexicon_csv(path)


def test_load_kamusalay_csv_survives_latin1_and_broken_emoji_bytes(tmp_path: Path):
    path = tmp_path / "kamusalay.csv"
    path.write_bytes(
        b"anakjakartaasikasik,anak jakarta asyik asyik\r\n"
        b"t3tapjokowi,tetap jokowi\r\n"
        b"saja\xe2,saja\r\n"  # a lone byte, invalid UTF-8
        b"gue\xc3\xa2,saya\r\n"
        b"caf\xe9,kafe\r\n"
    )
    assert load_kamusalay_csv(path) == {
        "anakjakartaasikasik": "anak jakarta asyik asyik",
        "t3tapjokowi": "tetap jokowi",
        "saja": "saja",
        "gue": "saya",
        "caf": "kafe",
    }


def test_load_kamusalay_csv_rejects_other_formats(tmp_path: Path):
    path = tmp_path / "not-kamusalay.csv"
    path.write_text("slang,formal,In-dictionary\nwoww,wow,1\n", encoding="utf-8")
    with pytest.raises(ValueError, match="2 kolom"):
        load_kamusalay_csv(path)


def test_load_indocollex_tsv(tmp_path: Path):
    path = tmp_path / "indocollex.tsv"
    path.write_text("informal\tformal\naj\tsaja\nairline\tperusahaan penerbangan\n0kmh\t0 kmh\n", encoding="utf-8")
    assert load_indocollex_tsv(path) == {"aj": "saja", "airline": "perusahaan penerbangan", "0kmh": "0 kmh"}
    path.write_text("slang\tformal\naj\tsaja\n", encoding="utf-8")
    with pytest.raises(ValueError, match="informal"):
        load_indocollex_tsv(path)


def test_loaded_public_lexicon_plugs_into_the_normalizer(tmp_path: Path):
    path = tmp_path / "kamusalay.csv"
    path.write_bytes(b"gue,saya\r\nbawaslu,badan pengawas pemilihan umum\r\n")
    normalizer = Normalizer(slang=load_kamusalay_csv(path), stem=False)
    assert tokens(normalizer, "gue lapor bawaslu") == ["saya", "lapor", "bawaslu"]


# -- loaders on the real public files ----------------------------------------------------------


@pytest.mark.parametrize(
    "loader, relative, minimum",
    [
        (load_colloquial_lexicon_csv, "lexicons/colloquial-indonesian-lexicon.csv", 4000),
        (load_kamusalay_csv, "ibrohim2019/new_kamusalay.csv", 10000),
        (load_indocollex_tsv, "lexicons/indocollex_informal_formal.tsv", 2500),
    ],
)
def test_loaders_read_the_real_public_files(loader, relative: str, minimum: int):
    path = DATASETS / relative
    if not path.is_file():
        pytest.skip(f"{path} not present (datasets are not shipped with the repository)")
    mapping = loader(path)
    assert len(mapping) >= minimum
    assert all(key and value and key == key.lower() for key, value in mapping.items())
    if loader is load_kamusalay_csv:
        assert all(f"{key}{value}".isascii() for key, value in mapping.items())
    Normalizer(slang=mapping, stem=False).normalize("gw gak bakal golput")  # usable as-is
