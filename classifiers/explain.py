"""What a reviewer reads about why a post was flagged, from the model's raw explanation (issue 14).

The model explains itself in features: stems and stem pairs (``kata:coblos nomor``), character
n-grams, internal tokens (``__emoji_v__``) and rule ids (``campaign_term``). A reviewer must see
instead, in Bahasa Indonesia: the words of *this* post that pushed the score (the post's own
spelling and character spans, never a stem the post does not contain, never a stop word or an
internal token), the rules that fired by name, the proposed code with its sanction range, and
for a hoax flag the debunked claim it matched or a plain statement that none did.

Codes and claims come from the caller (``classifiers`` imports nothing from ``monitor``).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from functools import cache
from typing import Any, Iterable, Mapping, Sequence

from .labels import rule_label

#: Words never shown as triggers: function words carry no stance a reviewer can act on.
#: Sastrawi's stop list is added at first use (it is a file read, not an import-time cost).
EXTRA_STOP_WORDS = frozenset("""
ada adalah agar akan aku aja saja anda apa atau bagi bahwa banget belum bisa buat dan dari dalam dengan di dia
dong eh gak ga hal ini itu jadi juga kalau kami kamu kan karena ke kita lagi lah lalu mau mereka nya oleh pada
para pun sama sangat saya sebagai sudah supaya tapi tetapi tuk untuk utk yang yg ya yuk sih deh kok nih tuh loh
""".split())

NO_CLAIM = "tidak ada klaim yang cocok; skor gaya tulisan saja"
_WORD = re.compile(r"[#@]?\w+", re.UNICODE)


@dataclass(frozen=True)
class Reason:
    """One line of the explanation: ``kind`` is words, rule, civic, code, claim or no_claim."""

    kind: str
    text: str                                   # Bahasa Indonesia, shown as plain text
    words: tuple[str, ...] = ()                 # the post's own words
    spans: tuple[tuple[int, int], ...] = ()     # their character spans in the post

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["words"], data["spans"] = list(self.words), [list(s) for s in self.spans]
        return data


@cache
def stop_words() -> frozenset[str]:
    """Sastrawi's Indonesian stop list plus chat spellings ("yg", "utk")."""
    try:
        from Sastrawi.StopWordRemover.StopWordRemoverFactory import StopWordRemoverFactory

        listed = frozenset(StopWordRemoverFactory().get_stop_words())
    except ImportError:  # PySastrawi is a dependency; without it the extra list still applies
        listed = frozenset()
    return listed | EXTRA_STOP_WORDS


@cache
def _default_normalizer():
    from .normalize import Normalizer

    return Normalizer()


def is_internal(token: str) -> bool:
    """Tokens the normaliser invents (``__url__``, ``__emoji_v__``) or feature names with ``_``."""
    return "_" in token or token.startswith("emoji")


def word_index(text: str, normalizer=None) -> dict[str, list[tuple[str, tuple[int, int]]]]:
    """Every stem and normalised token of ``text`` -> the post's words (and spans) that yield it."""
    normalizer = normalizer or _default_normalizer()
    index: dict[str, list[tuple[str, tuple[int, int]]]] = {}
    for match in _WORD.finditer(text):
        word = match.group(0)
        normal = normalizer.normalize(word)
        for key in {*normal.stems, *normal.tokens, word.lower().lstrip("#@")}:
            index.setdefault(key, []).append((word, match.span()))
    return index


def trigger_words(text: str, features: Iterable[Mapping], normalizer=None) -> tuple[list[str], list[tuple[int, int]]]:
    """The post's own words behind the positive word features, strongest first, and their spans.

    A feature token that no word of the post yields (the stem of another post, a character
    n-gram) is dropped; so are stop words and internal tokens.
    """
    features = [f for f in features
                if str(f.get("feature", "")).startswith("kata:") and float(f.get("contribution", 0) or 0) > 0]
    if not features:
        return [], []  # nothing to map: skip normalising the post
    index = word_index(text, normalizer)
    stops = stop_words()
    words: list[str] = []
    spans: list[tuple[int, int]] = []
    for feature in features:
        for token in str(feature["feature"])[5:].split():
            if is_internal(token) or token in stops or (len(token) < 2 and not token.isdigit()):
                continue
            for word, span in index.get(token, ()):
                if word.lower().lstrip("#@") in stops:
                    continue
                if word not in words:
                    words.append(word)
                if span not in spans:
                    spans.append(span)
    return words, sorted(spans)


def reviewer_explanation(text: str, explanation: Mapping[str, Any] | None, *, category: str,
                         proposed_code: str | None = None,
                         codes: Mapping[str, tuple[str, str]] | None = None,
                         claims: Sequence[Mapping[str, Any]] | None = None,
                         normalizer=None) -> list[Reason]:
    """The reasons a reviewer reads for one flag of ``category`` on ``text``.

    ``explanation`` is the model's explanation for that label (``Prediction.explanation[label]``);
    ``codes`` maps a code to (description, sanction range); ``claims`` are the matched debunked
    claims (title, verdict, similarity) for a hoax flag.
    """
    detail = explanation or {}
    reasons: list[Reason] = []
    for hit in detail.get("rules") or []:
        span = tuple(hit.get("span") or ())
        matched = str(hit.get("matched") or "")
        valid = len(span) == 2 and 0 <= span[0] < span[1] <= len(text)
        spans = ((int(span[0]), int(span[1])),) if valid else ()
        reasons.append(Reason("rule", f"Aturan: {rule_label(str(hit.get('rule', '')))} — “{matched}”",
                              (matched,) if matched else (), spans))
    words, spans = trigger_words(text, detail.get("top_features") or [], normalizer)
    if words:
        reasons.append(Reason("words", "Kata dari kiriman ini yang menaikkan skor: " + ", ".join(words),
                              tuple(words), tuple(spans)))
    elif not reasons:
        reasons.append(Reason("words", "Tidak ada kata kiriman ini yang menonjol; skor berasal dari pola "
                                       "huruf dan gaya tulisan."))
    for hit in detail.get("civic") or []:
        reasons.append(Reason("civic", f"Konteks netral yang menurunkan skor: {rule_label(str(hit.get('rule', '')))}"
                                       f" — “{hit.get('matched', '')}”"))
    if category == "hoax":
        if claims:
            best = claims[0]
            similarity = best.get("similarity")
            share = f", kemiripan {float(similarity):.2f}" if similarity is not None else ""
            reasons.append(Reason("claim", f"Cocok dengan klaim yang sudah dibantah: “{best.get('title', '')}”"
                                           f" ({best.get('verdict') or 'dibantah'}{share})"))
        else:
            reasons.append(Reason("no_claim", NO_CLAIM[0].upper() + NO_CLAIM[1:] + "."))
    if proposed_code:
        description, sanction = (codes or {}).get(proposed_code, ("", ""))
        line = f"Kode usulan {proposed_code}" + (f": {description}" if description else "")
        if sanction:
            line += f". Rentang sanksi: {sanction}"
        reasons.append(Reason("code", line))
    return reasons
