"""Explanations a reviewer can trust (issue 14): this post's own words, no stop words or internal
tokens, rules by their Bahasa name, the code with its sanction range, and hoax claims stated."""

from __future__ import annotations

from classifiers.explain import NO_CLAIM, reviewer_explanation, trigger_words
from monitor import glossary
from monitor.cases.codes import VIOLATION_CODES
from monitor.flagging import review

TEXT = "Saya untuk yang coblos nomor 2 ✌️ mendukung paslon kita"
FEATURES = [
    {"feature": "kata:untuk", "contribution": 0.9},          # stop word
    {"feature": "kata:__emoji_v__", "contribution": 0.8},    # internal token
    {"feature": "kata:emoji_one", "contribution": 0.7},      # feature name
    {"feature": "kata:pilih", "contribution": 0.6},          # a stem this post does not contain
    {"feature": "kata:coblos nomor", "contribution": 0.5},
    {"feature": "kata:dukung", "contribution": 0.4},         # the stem of "mendukung"
    {"feature": "huruf:obl", "contribution": 0.3},           # character n-gram
    {"feature": "kata:saya", "contribution": -0.2},
]


def test_only_words_of_this_post_and_never_stop_words_or_internal_tokens():
    words, spans = trigger_words(TEXT, FEATURES)
    assert words == ["coblos", "nomor", "mendukung"]
    assert [TEXT[a:b] for a, b in spans] == ["coblos", "nomor", "mendukung"]


def test_rules_codes_and_words_read_as_bahasa():
    start = TEXT.index("coblos")
    explanation = {"top_features": FEATURES,
                   "rules": [{"rule": "vote_number", "code": "N1", "matched": "coblos nomor 2",
                              "span": [start, start + len("coblos nomor 2")]},
                             {"rule": "campaign_term", "code": "N1", "matched": "paslon kita", "span": [999, 1000]}]}
    reasons = review.reviewer_explanation(TEXT, explanation, category="partisan", proposed_code="N1")
    kinds = [r["kind"] for r in reasons]
    assert kinds == ["rule", "rule", "words", "code"]
    assert reasons[0]["text"] == "Aturan: ajakan memilih nomor urut tertentu — “coblos nomor 2”"
    assert reasons[0]["spans"] == [[start, start + len("coblos nomor 2")]]
    assert reasons[1]["spans"] == []  # a span outside the text is not highlighted
    assert "tagar atau slogan kampanye terdaftar" in reasons[1]["text"]
    code = reasons[-1]["text"]
    assert VIOLATION_CODES["N1"].description in code and VIOLATION_CODES["N1"].sanction in code
    everything = " ".join(r["text"] for r in reasons)
    assert glossary.find_internal_keys(everything) == [] and "untuk" not in reasons[2]["words"]


def test_one_wording_of_each_code_everywhere():
    assert review.VIOLATION_CODES == {c: v.description for c, v in VIOLATION_CODES.items()}


def test_hoax_flags_state_the_claim_or_that_there_is_none():
    plain = reviewer_explanation("Vaksin mengandung chip", {"top_features": []}, category="hoax")
    assert [r.kind for r in plain] == ["words", "no_claim"]
    assert plain[-1].text.lower().startswith(NO_CLAIM)
    matched = reviewer_explanation("Vaksin mengandung chip", {}, category="hoax",
                                   claims=[{"title": "Vaksin berisi chip pelacak", "verdict": "salah", "similarity": 0.82}])
    assert matched[-1].kind == "claim" and "Vaksin berisi chip pelacak" in matched[-1].text and "0.82" in matched[-1].text


def test_real_model_explanations_point_at_the_posts_own_words():
    from classifiers.pipeline import load_default

    model = load_default()
    text = "Ayo coblos nomor 2 untuk Pilkada, saya dukung paslon nomor 2 ✌️"
    prediction = model.predict([text])[0]
    assert "partisan" in prediction.flags
    reasons = review.reviewer_explanation(text, prediction.explanation["partisan"], category="partisan",
                                          proposed_code=prediction.codes["partisan"])
    words = [w for r in reasons for w in r["words"]]
    assert words and all(w in text for w in words)
    assert not {"untuk", "saya", "yang"} & {w.lower() for r in reasons if r["kind"] == "words" for w in r["words"]}
    assert all("_" not in r["text"] for r in reasons)
    for r in reasons:
        for a, b in r["spans"]:
            assert 0 <= a < b <= len(text)
