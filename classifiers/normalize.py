"""Normalise raw Indonesian social-media text into tokens for TF-IDF models and rules.

Election-neutrality cues survive on purpose, although generic normalisers throw them away:
candidate numbers (``2``, ``01``), hand-gesture emoji (``✌️`` "salam dua jari"), hashtags and
the domain words Sastrawi would mangle. The steps, in order:

1. NFKC (fancy-font letters, full-width digits), invisible characters removed, lower-case.
2. URLs, @mentions and e-mail addresses become ``__url__``, ``__mention__``, ``__email__``.
3. A hashtag stays as ``#tag`` and is also split into words using its original casing.
4. Emoji become ``__emoji_<name>__`` tokens (gestures, love, anger, laughter, fire) or
   ``__emoji__``.
5. Elongation collapses (``bangeeet`` -> ``banget``, ``wkwkwkwk`` -> ``wkwk``).
6. Numbers stay; ``no.2`` -> ``no 2``; leetspeak is undone only when it yields a known word.
7. Punctuation goes.
8. Slang becomes formal Indonesian through a dictionary (see ``data/lexicons/README.md``).
9. Each unique word is stemmed once (``classifiers.stem``), protected election words excepted.
"""

from __future__ import annotations

import csv
import io
import itertools
import os
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from .stem import PROTECTED_WORDS, WordStemmer, sastrawi_root_words

DEFAULT_SLANG_PATH = Path(__file__).resolve().parent.parent / "data" / "lexicons" / "slang_id.tsv"

URL_TOKEN = "__url__"
MENTION_TOKEN = "__mention__"
EMAIL_TOKEN = "__email__"
EMOJI_TOKEN = "__emoji__"

#: Emoji with a meaning of their own, keyed by base code point (after variation selectors and
#: skin tones are removed). Gestures matter most: ✌ and ☝ and 🤟 are read as candidate numbers
#: ("salam dua jari", "salam satu jari", "salam tiga jari").
EMOJI_TOKENS: dict[str, str] = {
    "\u270c": "__emoji_v__",  # ✌ victory hand / two fingers
    "\u261d": "__emoji_one__",  # ☝ index pointing up
    "\U0001f91f": "__emoji_three__",  # 🤟 love-you gesture, used as "salam tiga jari"
    "\U0001f44c": "__emoji_ok__",  # 👌
    "\U0001f44d": "__emoji_thumbsup__",  # 👍
    "\U0001f64f": "__emoji_pray__",  # 🙏
    "\u2764": "__emoji_love__",  # ❤
    "\U0001f60d": "__emoji_love__",  # 😍
    "\U0001f970": "__emoji_love__",  # 🥰
    "\U0001f621": "__emoji_angry__",  # 😡
    "\U0001f92c": "__emoji_angry__",  # 🤬
    "\U0001f620": "__emoji_angry__",  # 😠
    "\U0001f923": "__emoji_laugh__",  # 🤣
    "\U0001f602": "__emoji_laugh__",  # 😂
    "\U0001f525": "__emoji_fire__",  # 🔥
}

#: Words a de-leeted token may turn into even when the slang map does not know them
#: (``m3n4ng`` -> ``menang``). Kept small: every entry is a chance to eat a real number.
BUILTIN_WORDS: frozenset[str] = PROTECTED_WORDS | frozenset(
    """
    saya aku kamu dia kita kami mereka ini itu yang dan atau tidak bukan jangan ada apa siapa
    mana sudah belum akan bisa mau harus sama juga lagi semua untuk dari dengan pada menang
    kalah pilih dukung tetap lanjut ganti baru rakyat negara indonesia cinta sayang semangat
    hebat mantap keren terbaik terima kasih selamat salam jari nomor urut suara calon
    """.split()
)

#: Words after which a digit is a candidate or ballot number, never a reduplication or leet
#: letter: ``paslon2`` is "paslon 2", not "paslon paslon"; ``no1`` is not de-leeted to ``noi``.
NUMBER_CUES: frozenset[str] = frozenset(
    """
    no nmr nomor nomer urut paslon capres cawapres caleg calon pasangan pilih coblos nyoblos
    salam jari periode putaran kubu tps dapil tahun jam
    """.split()
)

# Digits alay writers use for letters. "2" is left out: after a word it means reduplication
# (anak2) and alone it is a candidate number.
_LEET = str.maketrans("013456789", "oieasgtbg")

# Zero-width and direction marks hide inside words to dodge keyword filters ("pe\u200bmilu");
# they are deleted, control characters become spaces. U+200D (ZWJ) is kept until the emoji
# step because it joins emoji sequences.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u180e\u200b\u200c\u200e\u200f\u202a-\u202e\u2060-\u206f\ufeff"
    "\U000e0000-\U000e007f]"
)
# Some exports (Ibrohim & Budi 2019 among them) store emoji and line breaks as literal escapes:
# "\xf0\x9f\x98\x82" and "\n". Decoded back so 😂 is an emoji, not the tokens "xf 0 x9f".
_ESCAPED_BYTES = re.compile(r"(?:\\x[0-9a-fA-F]{2})+")
_ESCAPED_BREAK = re.compile(r"\\[nrt]")
_KEYCAP = re.compile("([0-9#*])\ufe0f?\u20e3")  # 2️⃣ is the candidate number 2
_EMOJI_MODIFIERS = re.compile("[\ufe0e\ufe0f\U0001f3fb-\U0001f3ff]")

# Blocks holding emoji (arrows, technical, geometric, misc symbols, dingbats, supplemental
# planes), box drawing left out; a match that is not category So ("→") is dropped as punctuation.
_EMOJI_RANGE = (
    "\u2190-\u21ff\u2300-\u24ff\u25a0-\u27bf\u2900-\u297f\u2b00-\u2bff"
    "\u3030\u303d\u3297\u3299\U0001f000-\U0001faff"
)
_URL = (
    r"(?i:(?:https?://|www\.)\S+"
    r"|\b(?:[a-z0-9-]+\.)+(?:com|net|org|id|ly|co|io|me|be|gl|info|biz|tv|xyz|link|news|site)\b"
    r"(?:/\S*)?)"
)
_SPECIAL = re.compile(
    rf"(?P<url>{_URL})"
    r"|(?P<email>[\w.+-]+@[\w-]+(?:\.[\w-]+)+)"
    r"|(?P<mention>(?<![\w@])@\w+(?:\.\w+)*)"
    r"|(?P<hashtag>(?<![\w#&])#\w+)"
    rf"|(?P<emoji>[\U0001f1e6-\U0001f1ff]{{2}}|[{_EMOJI_RANGE}](?:\u200d[{_EMOJI_RANGE}])*)"
)

_APOSTROPHE = re.compile(r"(?<=[^\W\d_])['’`](?=[^\W\d_])")  # jum'at -> jumat
_THOUSANDS = re.compile(r"(?<=\d)[.,](?=\d{3}(?!\d))")  # 50.000 -> 50000, but 1,2 -> 1 2
_WORD = re.compile(r"[^\W_]+")
_LETTERS = re.compile(r"[^\W\d_]+")
_DIGIT_OR_LETTER_RUNS = re.compile(r"\d+|[^\W\d_]+")
_LONG_RUN = re.compile(r"([^\W\d_])\1{2,}")
_REPEATED_PAIR = re.compile(r"([^\W\d_]{2})\1{2,}")  # wkwkwk, hahaha
_REDUPLICATION = re.compile(r"([^\W\d_]{3,})2")  # anak2 -> anak anak

# Upper bound on the per-instance word cache; social-media vocabulary is open-ended.
_WORD_CACHE_LIMIT = 500_000
# Elongated words with more stretched runs than this skip the double-letter search (2**n tries).
_MAX_ELONGATED_RUNS = 4


@dataclass(frozen=True)
class Normalized:
    """One normalised post."""

    text: str
    tokens: list[str]
    stems: list[str]
    hashtags: list[str]


class Normalizer:
    """Turn raw posts into :class:`Normalized` tokens; reuse one instance for its caches."""

    def __init__(
        self,
        *,
        slang: dict[str, str] | None = None,
        stem: bool = True,
        stem_cache_path: str | os.PathLike[str] | None = None,
    ) -> None:
        self.slang = default_slang() if slang is None else dict(slang)
        self.stem = stem
        self.stem_cache_path = stem_cache_path
        self._slang_tokens = _prepare_slang(self.slang)
        value_words = {word for words in self._slang_tokens.values() for word in words}
        # Targets for de-leeting: the dictionary's own words plus a short built-in list.
        self._deleet_words = frozenset(self._slang_tokens) | frozenset(value_words) | BUILTIN_WORDS
        self._root_words = sastrawi_root_words()
        self._stemmer = WordStemmer(cache_path=stem_cache_path) if stem else None
        self._word_cache: dict[str, tuple[str, ...]] = {}
        self._chunk_cache: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {}

    def normalize(self, text: str) -> Normalized:
        """Normalise one post."""
        if not isinstance(text, str):
            raise TypeError(f"teks harus str, bukan {type(text).__name__}; isi nilai kosong dengan ''")
        tokens: list[str] = []
        stems: list[str] = []
        hashtags: list[str] = []
        # No special span crosses whitespace, so a chunk's tokens, stems and hashtags depend on
        # the chunk alone; chunks repeat ("yang", "jelas,", "@budi"), so each is resolved once.
        chunk_cache = self._chunk_cache
        for chunk in clean_unicode(text).split():
            entry = chunk_cache.get(chunk)
            if entry is None:
                entry = self._chunk_entry(chunk)
            tokens += entry[0]
            stems += entry[1]
            if entry[2]:
                hashtags += entry[2]
        return Normalized(text=" ".join(tokens), tokens=tokens, stems=stems, hashtags=hashtags)

    def normalize_many(self, texts: Iterable[str]) -> list[Normalized]:
        """Normalise many posts; the word and stem caches make repeats nearly free."""
        return [self.normalize(text) for text in texts]

    def save_stem_cache(self) -> None:
        """Write the word->stem cache to ``stem_cache_path`` (JSON, atomic, merged with the file)."""
        if self.stem_cache_path is None:
            raise ValueError("stem_cache_path belum diatur; buat Normalizer(stem_cache_path=...)")
        if self._stemmer is not None:  # stem=False: nothing was stemmed, nothing to save
            self._stemmer.save()

    def _chunk_entry(self, chunk: str) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
        """(tokens, stems, hashtags) of one whitespace-free chunk, memoised."""
        if chunk.isalnum() and chunk.isascii():
            # A plain word skips the special-span regex entirely (most of the text).
            chunk_tokens: tuple[str, ...] = self._word_tokens(chunk.lower())
            chunk_tags: tuple[str, ...] = ()
        else:
            token_list: list[str] = []
            tag_list: list[str] = []
            self._chunk_tokens(chunk, token_list, tag_list)
            chunk_tokens, chunk_tags = tuple(token_list), tuple(tag_list)
        chunk_stems = tuple(self._stemmer.stem_many(chunk_tokens)) if self._stemmer is not None else chunk_tokens
        if len(self._chunk_cache) >= _WORD_CACHE_LIMIT:
            self._chunk_cache.clear()
        entry = self._chunk_cache[chunk] = (chunk_tokens, chunk_stems, chunk_tags)
        return entry

    # -- special spans -------------------------------------------------------------------

    def _chunk_tokens(self, chunk: str, tokens: list[str], hashtags: list[str]) -> None:
        """Append the tokens of one whitespace-free chunk that may hold special spans."""
        position = 0
        for match in _SPECIAL.finditer(chunk):
            tokens.extend(self._segment_tokens(chunk[position : match.start()]))
            tokens.extend(self._special_tokens(match, hashtags))
            position = match.end()
        tokens.extend(self._segment_tokens(chunk[position:]))

    def _special_tokens(self, match: re.Match[str], hashtags: list[str]) -> tuple[str, ...]:
        """Tokens for a URL, e-mail, mention, hashtag or emoji match."""
        kind = match.lastgroup
        span = match.group()
        if kind == "url":
            return (URL_TOKEN,)
        if kind == "email":
            return (EMAIL_TOKEN,)
        if kind == "mention":
            return (MENTION_TOKEN,)
        if kind == "hashtag":
            hashtags.append(span[1:].lower())
            return self._hashtag_tokens(span)
        return emoji_tokens(span)

    def _hashtag_tokens(self, hashtag: str) -> tuple[str, ...]:
        """``#tag`` plus its words; memoised in the word cache (a ``#`` key cannot be a word)."""
        cached = self._word_cache.get(hashtag)
        if cached is None:
            words = (word for part in split_hashtag(hashtag[1:]) for word in self._word_tokens(part.lower()))
            cached = (hashtag.lower(), *words)
            self._word_cache[hashtag] = cached
        return cached

    # -- words ---------------------------------------------------------------------------

    def _segment_tokens(self, segment: str) -> list[str]:
        """Tokens for plain text between special spans: punctuation dropped, words resolved."""
        return [token for word in raw_words(segment) for token in self._word_tokens(word)]

    def _word_tokens(self, word: str) -> tuple[str, ...]:
        """Resolve one lower-case alphanumeric word, memoised per instance."""
        cached = self._word_cache.get(word)
        if cached is None:
            if len(self._word_cache) >= _WORD_CACHE_LIMIT:
                self._word_cache.clear()
            cached = self._resolve_word(word)
            self._word_cache[word] = cached
        return cached

    def _resolve_word(self, word: str) -> tuple[str, ...]:
        if word.isdigit():
            return (word,)  # candidate numbers, years and "01" are never touched
        if _LETTERS.fullmatch(word):
            return self._letter_tokens(word)
        return self._mixed_tokens(word)

    def _letter_tokens(self, word: str) -> tuple[str, ...]:
        """Elongation fix then slang lookup for an all-letter word."""
        fixed = self._fix_elongation(word)
        return self._slang_tokens.get(fixed, (fixed,))

    def _mixed_tokens(self, word: str) -> tuple[str, ...]:
        """Letters and digits together: de-leet, reduplicate, split at the boundary, or keep."""
        runs = _DIGIT_OR_LETTER_RUNS.findall(word)
        first_letters = next(run for run in runs if not run.isdigit())
        letter_count = sum(len(run) for run in runs if not run.isdigit())
        if first_letters not in NUMBER_CUES and letter_count >= 2:
            candidate = word.translate(_LEET)
            if _LETTERS.fullmatch(candidate):
                fixed = self._fix_elongation(candidate)
                if fixed in self._deleet_words:
                    return self._slang_tokens.get(fixed, (fixed,))
        redup = _REDUPLICATION.fullmatch(word)
        if redup and redup.group(1) not in NUMBER_CUES:
            base = self._letter_tokens(redup.group(1))
            return base + base
        if len(runs) == 2:  # no.2 / capres01 / 2periode / pemilu2024
            return tuple(token for run in runs for token in self._word_tokens(run))
        return (word,)  # unknown leet such as t3tapjokowi: one opaque token beats fragments

    def _fix_elongation(self, word: str) -> str:
        """Collapse stretched letters, keeping a real double letter when that makes a word.

        ``bangeeet`` -> ``banget`` but ``maaaaf`` -> ``maaf``: each run of 3+ letters becomes
        two letters if the result is a known word (dictionary, slang map or Sastrawi roots),
        otherwise one. Repeated letter pairs (``wkwkwkwk``) are cut to two repeats. A word that
        is already known is left alone: ``pppk`` is a civil-servant category, not ``pk``.
        """
        if self._is_known(word):
            return word
        pieces = _LONG_RUN.split(word)  # literal, run letter, literal, run letter, ...
        run_count = len(pieces) // 2
        if run_count == 0:
            return _REPEATED_PAIR.sub(r"\1\1", word)
        if run_count <= _MAX_ELONGATED_RUNS:
            for widths in itertools.product((2, 1), repeat=run_count):
                candidate = _REPEATED_PAIR.sub(r"\1\1", _join_runs(pieces, widths))
                if self._is_known(candidate):
                    return candidate
        return _REPEATED_PAIR.sub(r"\1\1", _join_runs(pieces, (1,) * run_count))

    def _is_known(self, word: str) -> bool:
        return word in self._deleet_words or word in self._root_words


# -- pure helpers ------------------------------------------------------------------------


def clean_unicode(text: str) -> str:
    """NFKC plus removal of invisible characters, keycaps turned into their digit.

    Case is kept: hashtags are split on their original capitals. Skin tones and variation
    selectors go so that ``👍🏽`` and ``✌️`` map like ``👍`` and ``✌``.
    """
    if "\\" in text:
        text = _ESCAPED_BREAK.sub(" ", _ESCAPED_BYTES.sub(_decode_escaped_bytes, text))
    if text.isascii():  # most posts: NFKC is the identity and nothing below can match
        return text if text.isprintable() else _CONTROL.sub(" ", text)
    text = _CONTROL.sub(" ", unicodedata.normalize("NFKC", text))
    if text.isascii():
        return text
    if "\u20e3" in text:
        text = _KEYCAP.sub(r" \1 ", text)
    return _INVISIBLE.sub("", _EMOJI_MODIFIERS.sub("", text))


def _decode_escaped_bytes(match: re.Match[str]) -> str:
    data = bytes.fromhex(match.group().replace("\\x", ""))
    return data.decode("utf-8", errors="replace")


def raw_words(segment: str) -> list[str]:
    """Lower-case alphanumeric words of a plain-text segment; punctuation separates words."""
    segment = _THOUSANDS.sub("", _APOSTROPHE.sub("", segment.lower()))
    return _WORD.findall(segment)


def split_hashtag(tag: str) -> list[str]:
    """Split a hashtag body on underscores, case changes and letter/digit boundaries.

    ``2024GantiPresiden`` -> ``2024 Ganti Presiden``; ``AyoKeTPS`` -> ``Ayo Ke TPS``;
    ``TPSJakarta`` -> ``TPS Jakarta``; ``gantipresiden`` stays whole (no capitals to go by).
    """
    parts: list[str] = []
    for chunk in tag.split("_"):
        start = 0
        for index in range(1, len(chunk)):
            if _is_hashtag_boundary(chunk, index):
                parts.append(chunk[start:index])
                start = index
        if chunk:
            parts.append(chunk[start:])
    return parts


def _char_kind(char: str) -> str:
    """'d' digit, 'u' upper-case letter, 'l' anything else (lower-case or caseless)."""
    if char.isdigit():
        return "d"
    return "u" if char.isupper() else "l"


def _is_hashtag_boundary(chunk: str, index: int) -> bool:
    before, here = _char_kind(chunk[index - 1]), _char_kind(chunk[index])
    if (before == "d") != (here == "d"):
        return True
    if before == "l" and here == "u":
        return True
    # An acronym followed by a capitalised word: split before the word's capital (TPS|Jakarta).
    after = _char_kind(chunk[index + 1]) if index + 1 < len(chunk) else ""
    return before == "u" and here == "u" and after == "l"


def emoji_tokens(cluster: str) -> tuple[str, ...]:
    """Token for one emoji cluster; symbols that are not emoji (arrows, maths) yield nothing."""
    first = cluster[0]
    if unicodedata.category(first) != "So":
        return ()
    return (EMOJI_TOKENS.get(first, EMOJI_TOKEN),)


def _join_runs(pieces: list[str], widths: Iterable[int]) -> str:
    """Rebuild a word from ``_LONG_RUN.split`` pieces with each run at the given width."""
    out = [pieces[0]]
    for run_index, width in enumerate(widths):
        out.append(pieces[2 * run_index + 1] * width)
        out.append(pieces[2 * run_index + 2])
    return "".join(out)


def _prepare_slang(slang: Mapping[str, str]) -> dict[str, tuple[str, ...]]:
    """Slang map as single-word keys -> formal tokens.

    Keys that cannot match a token are dropped (several words, digits: numbers are never
    mapped), and so are protected election words: lexicons such as Kamus Alay expand
    ``bawaslu`` into four words, which would hide the term from the classifier.
    """
    prepared: dict[str, tuple[str, ...]] = {}
    for key, value in slang.items():
        word = _clean_cell(key)
        if not _LETTERS.fullmatch(word) or word in PROTECTED_WORDS:
            continue
        formal = tuple(raw_words(_clean_cell(value)))
        if formal and formal != (word,):
            prepared[word] = formal
    return prepared


# -- lexicon loaders -----------------------------------------------------------------------


def default_slang() -> dict[str, str]:
    """The slang map shipped in ``data/lexicons/slang_id.tsv``; empty if the file is absent."""
    if not DEFAULT_SLANG_PATH.is_file():
        return {}
    return load_slang_tsv(DEFAULT_SLANG_PATH)


def load_slang_tsv(path: str | os.PathLike[str]) -> dict[str, str]:
    """Load the project's format: UTF-8, header ``slang<TAB>formal``, one pair per line.

    Strict, because the file is ours: a wrong column count or two different meanings for one
    key is an editing mistake to fix, not to guess around.
    """
    lines = Path(path).read_text(encoding="utf-8-sig").splitlines()
    _check_header(path, lines[0] if lines else "", "\t", ("slang", "formal"))
    mapping: dict[str, str] = {}
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        cells = line.split("\t")
        if len(cells) != 2:
            raise ValueError(f"{path}:{number}: harus 2 kolom dipisah TAB, ada {len(cells)}")
        slang, formal = _clean_cell(cells[0]), _clean_cell(cells[1])
        if not slang or not formal:
            raise ValueError(f"{path}:{number}: kolom slang dan formal tidak boleh kosong")
        if mapping.get(slang, formal) != formal:
            raise ValueError(f"{path}:{number}: {slang!r} sudah berarti {mapping[slang]!r}; pilih satu")
        mapping[slang] = formal
    return mapping


def load_colloquial_lexicon_csv(path: str | os.PathLike[str]) -> dict[str, str]:
    """Load the Colloquial Indonesian Lexicon CSV (Salsabila et al. 2018).

    Columns ``slang,formal,...``; a slang word listed with several formal words takes the most
    frequent one (first listed on a tie).
    """
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = [cell.strip().lower() for cell in next(reader, [])]
        if "slang" not in header or "formal" not in header:
            raise ValueError(f"{path}: header harus memuat kolom 'slang' dan 'formal' (ada {header})")
        slang_at, formal_at = header.index("slang"), header.index("formal")
        width = max(slang_at, formal_at) + 1
        pairs = [(row[slang_at], row[formal_at]) for row in reader if len(row) >= width]
    return _majority(pairs)


def load_kamusalay_csv(path: str | os.PathLike[str]) -> dict[str, str]:
    """Load Kamus Alay (Ibrohim & Budi 2019): no header, two columns ``alay,formal``.

    The published file mixes encodings and carries broken emoji bytes glued to words
    (``bawaslu\\xe2``). It is decoded as UTF-8 where valid, else Latin-1 (never fails), and
    non-ASCII characters are dropped: the real entries are plain ASCII.
    """
    text = _decode_legacy(Path(path).read_bytes())
    pairs: list[tuple[str, str]] = []
    for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != 2:
            raise ValueError(f"{path}:{number}: Kamus Alay berisi 2 kolom tanpa header, ada {len(row)}")
        pairs.append((_ascii_only(row[0]), _ascii_only(row[1])))
    return _majority(pairs)


def load_indocollex_tsv(path: str | os.PathLike[str]) -> dict[str, str]:
    """Load the IndoCollex informal->formal TSV (Wibowo et al. 2021): header ``informal<TAB>formal``."""
    lines = Path(path).read_text(encoding="utf-8-sig").splitlines()
    _check_header(path, lines[0] if lines else "", "\t", ("informal", "formal"))
    pairs: list[tuple[str, str]] = []
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        cells = line.split("\t")
        if len(cells) != 2:
            raise ValueError(f"{path}:{number}: harus 2 kolom dipisah TAB, ada {len(cells)}")
        pairs.append((cells[0], cells[1]))
    return _majority(pairs)


def _check_header(path: str | os.PathLike[str], line: str, sep: str, expected: tuple[str, ...]) -> None:
    found = tuple(cell.strip().lower() for cell in line.split(sep))
    if found != expected:
        want = sep.join(expected).replace("\t", "<TAB>")
        raise ValueError(f"{path}: baris pertama harus header {want!r}, bukan {line[:60]!r}")


def _clean_cell(value: str) -> str:
    """NFKC, lower-case, single spaces: dictionary keys must look like normalised tokens."""
    return " ".join(unicodedata.normalize("NFKC", value).lower().split())


def _ascii_only(value: str) -> str:
    return _clean_cell("".join(char for char in value if char.isascii()))


def _decode_legacy(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _majority(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Map each slang to its most frequent formal form; ties go to the first listed."""
    counts: dict[str, Counter[str]] = {}
    for raw_slang, raw_formal in pairs:
        slang, formal = _clean_cell(raw_slang), _clean_cell(raw_formal)
        if slang and formal:
            counts.setdefault(slang, Counter())[formal] += 1
    return {slang: formal.most_common(1)[0][0] for slang, formal in counts.items()}
