"""Sentence/window splitter: long posts come apart where a reader would break them."""

from __future__ import annotations

import pytest

from classifiers.pipeline import train_from_seed
from classifiers.sentences import LONG_TEXT_CHARS, MAX_WORDS, segments_for_scoring, split

LONG_POST = (
    "Selamat pagi warga Sukamaju. Hari ini kita bahas program kerja no. 2 di kecamatan... "
    "Harga beras naik jadi 12.500 per kg!! Warga minta perbaikan jalan 🙏🙏 Semoga cepat ya\n"
    "- jalan desa rusak parah\n"
    "- irigasi sawah macet\n"
    "- air bersih belum masuk ke dusun kami sejak kemarau\n"
    "Dasar cina kafir penista agama jangan dipilih #Pilkada2024 #TolakDia"
)


def test_spans_point_into_the_original_text() -> None:
    segments = split(LONG_POST)
    assert [s.index for s in segments] == list(range(len(segments)))
    for s in segments:
        assert LONG_POST[s.start:s.end] == s.text
        assert s.text == s.text.strip()


def test_breaks_on_punctuation_ellipsis_emoji_lines_and_lists() -> None:
    texts = [s.text for s in split(LONG_POST)]
    assert texts[0] == "Selamat pagi warga Sukamaju."
    # "no. 2" and "12.500" are not sentence ends; "..." is.
    assert texts[1] == "Hari ini kita bahas program kerja no. 2 di kecamatan..."
    assert texts[2] == "Harga beras naik jadi 12.500 per kg!!"
    assert texts[3] == "Warga minta perbaikan jalan 🙏🙏"
    assert "- jalan desa rusak parah" in texts and "- irigasi sawah macet" in texts
    # Hashtags stay with the sentence they close.
    assert texts[-1] == "Dasar cina kafir penista agama jangan dipilih #Pilkada2024 #TolakDia"


def test_list_items_on_one_line_are_split() -> None:
    texts = [s.text for s in split("Tuntutan warga: - jalan desa diperbaiki - harga pupuk turun - air bersih masuk")]
    assert texts == ["Tuntutan warga:", "- jalan desa diperbaiki", "- harga pupuk turun", "- air bersih masuk"]


def test_unpunctuated_stretch_becomes_overlapping_windows() -> None:
    words = [f"kata{i}" for i in range(100)]
    text = " ".join(words)
    segments = split(text)
    assert len(segments) > 1
    assert all(len(s.text.split()) <= MAX_WORDS for s in segments)
    covered = set()
    for s in segments:
        covered.update(s.text.split())
    assert covered == set(words)                     # nothing lost
    assert set(segments[0].text.split()) & set(segments[1].text.split())  # windows overlap


def test_short_pieces_join_their_neighbour() -> None:
    texts = [s.text for s in split("Kemarin ada rapat warga di balai desa. Ya. Hasilnya bagus sekali untuk semua")]
    assert texts == ["Kemarin ada rapat warga di balai desa. Ya.", "Hasilnya bagus sekali untuk semua"]


def test_only_long_multi_sentence_texts_are_split_for_scoring() -> None:
    assert segments_for_scoring("Dasar cina kafir. Jangan dipilih.") == []
    assert len(LONG_POST) > LONG_TEXT_CHARS
    assert len(segments_for_scoring(LONG_POST)) == len(split(LONG_POST))
    assert segments_for_scoring("") == [] and split("   ") == []


# --- the model scores long posts where the hate is ---------------------------------------
NEUTRAL = ("Pagi tadi saya ikut rapat koordinasi di kantor kecamatan membahas jadwal posyandu dan perbaikan jalan desa. "
           "Banyak warga datang menyampaikan usulan tentang irigasi sawah yang sudah lama rusak. "
           "Kepala desa berjanji membawa usulan itu ke musrenbang bulan depan. ")
HATEFUL = "Semua orang Tionghoa itu licik dan harus diusir dari kampung kita."
CLOSING = "Setelah rapat kami makan siang bersama lalu pulang dengan hati senang, semoga jalan cepat diperbaiki."


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    return train_from_seed(folder=tmp_path_factory.mktemp("models"))[0]


def test_long_post_is_flagged_at_its_hateful_sentence(model) -> None:
    text = NEUTRAL + HATEFUL + " " + CLOSING
    (prediction,) = model.predict([text])
    assert "hate" in prediction.flags
    sentence = prediction.explanation["hate"]["sentence"]
    start, end = sentence["span"]
    assert text[start:end] == sentence["text"] == HATEFUL
    assert sentence["index"] == 3 and sentence["of"] == 5
    # The document's own score is kept, and is weaker than the sentence's.
    assert sentence["document_decision"] < prediction.explanation["hate"]["decision"]
    assert 0 <= sentence["document_probability"] < prediction.scores["hate"]


def test_long_neutral_post_names_no_sentence(model) -> None:
    (prediction,) = model.predict([NEUTRAL + CLOSING])
    assert "hate" not in prediction.flags and "sentence" not in prediction.explanation.get("hate", {})


def test_sara_hit_in_a_long_post_flags_with_the_slur_span(model) -> None:
    text = NEUTRAL + "Ingat, calon nomor 2 itu antek aseng. " + CLOSING
    (prediction,) = model.predict([text])
    assert "hate" in prediction.flags
    hits = prediction.explanation["hate"]["rules"]
    assert any(text[h["span"][0]:h["span"][1]] == "antek aseng" and h["code"] in {"H1", "H2"} for h in hits)


MILD = "Petugas loket marah-marah ke warga yang antre, sikapnya tidak sopan."


def test_long_neutral_post_with_one_mildly_negative_sentence_is_not_flagged(model) -> None:
    # On its own the complaint scores above the abusive review threshold: scored sentence by
    # sentence at that threshold, as before issue 21's calibration, it would flag the whole post.
    alone = model.probabilities([MILD])["abusive"][0]
    assert alone >= model.labels_["abusive"].threshold
    text = NEUTRAL + MILD + " " + CLOSING
    (prediction,) = model.predict([text])
    assert not {"hate", "abusive"} & set(prediction.flags)


def test_sentences_without_words_or_in_counter_speech_do_not_speak_alone() -> None:
    from classifiers.longtext import speaks_alone

    assert speaks_alone("Semua orang Tionghoa itu licik dan harus diusir dari kampung kita.")
    assert not speaks_alone("https://t.co/xYRiqjeYdv.")              # a link has no words to score
    assert not speaks_alone("@user @user mundur, itu.")
    assert not speaks_alone("Stop ujaran kebencian, jangan sebut tetangga kita kafir.")
