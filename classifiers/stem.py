"""Word stemming for Netra: PySastrawi behind a protected-word list and a word->stem cache.

Why a wrapper instead of calling Sastrawi directly:

* Sastrawi strips "affixes" that are really part of election words (``pemilu`` -> ``milu``,
  ``relawan`` -> ``rawan``, ``petahana`` -> ``tahana``) and merges words whose difference is the
  whole point of a neutrality review (``pemilihan``/``pemilih`` "election"/"voter" ->
  ``pilih`` "vote for!"; ``pemenangan`` "campaign team" -> ``menang``). Those words are
  returned unchanged, and a clitic after them (``pemilunya``, ``relawanku``) is removed by us,
  because Sastrawi leaves ``capresnya``/``paslonnya`` whole when the root is not in its
  dictionary.
* Sastrawi costs up to milliseconds per word; social-media vocabulary repeats, so each unique
  word is stemmed once and the result kept in memory and, optionally, in a JSON file that a later
  process reuses (batch re-scoring, training runs).
* Sastrawi's stopword list is deliberately not used anywhere: it drops ``tidak``, ``bukan`` and
  ``saya``, which carry stance.
"""

from __future__ import annotations

import json
import logging
import os
import re
import tempfile
from collections.abc import Callable, Iterable
from functools import cache
from importlib import metadata
from pathlib import Path

log = logging.getLogger(__name__)

StemFunction = Callable[[str], str]

#: Election and civil-service words that must reach the classifier unchanged. The first block is
#: the agreed minimum: Sastrawi 1.2.1 breaks ``pemilu``, ``relawan``, ``pemenangan`` and
#: ``serangan`` from it; the rest are protected so that a dictionary change cannot break them
#: silently. The second line holds words Sastrawi 1.2.1 mis-stems or merges with a word of a
#: different election meaning (``petahana`` -> ``tahana``, ``pemerintah`` -> ``perintah``,
#: ``pemungutan`` -> ``mungut``, ``pengawas`` -> ``awas``, ``politisi`` -> ``politis``,
#: ``pemilih(an)`` -> ``pilih``); the third, regional-election abbreviations it leaves alone
#: today. ``tests/test_normalize.py`` records each of these mis-stems.
PROTECTED_WORDS: frozenset[str] = frozenset(
    """
    pemilu pilkada pilpres pileg relawan paslon capres cawapres caleg kampanye coblos nyoblos
    golput timses parpol bawaslu kpu dpt tps asn pns pppk netral netralitas hoaks hoax amplop
    serangan fajar presiden gubernur bupati walikota pemenangan deklarasi partai

    pemilih pemilihan petahana pemerintah pemerintahan pemungutan pengawas politisi
    pilkades cagub cawagub cabup cawabup cawalkot cakada kpud panwaslu dkpp
    """.split()
)

#: Enclitics stripped from a protected word (``pemilunya`` -> ``pemilu``), longest first.
CLITICS: tuple[str, ...] = ("nya", "lah", "kah", "pun", "ku", "mu")

# Only plain lower-case Latin words go to Sastrawi: its own normaliser deletes every other
# character, so ``t3tap`` or Arabic-script words would come back damaged or empty.
_STEMMABLE = re.compile(r"[a-z]+")

# Bound on the in-memory memo of every token seen; vocabulary of a feed is open-ended.
_MEMO_LIMIT = 500_000

CACHE_FORMAT = "netra-stem-cache"
CACHE_VERSION = 1


def protected_base(word: str) -> str | None:
    """Return the protected word behind ``word`` (itself or itself plus a clitic), else None."""
    if word in PROTECTED_WORDS:
        return word
    for clitic in CLITICS:
        if word.endswith(clitic):
            base = word[: -len(clitic)]
            if base in PROTECTED_WORDS:
                return base
    return None


def is_stemmable(token: str) -> bool:
    """True for tokens Sastrawi should see: lower-case Latin letters only.

    Placeholders (``__url__``), numbers, hashtags (``#...``) and emoji tokens all contain a
    character outside ``a-z`` and so are never stemmed.
    """
    return _STEMMABLE.fullmatch(token) is not None


def sastrawi_version() -> str:
    """Version of the installed PySastrawi; a cache written by another version is discarded."""
    try:
        return metadata.version("PySastrawi")
    except metadata.PackageNotFoundError:  # pragma: no cover - the project depends on it
        return "unknown"


def sastrawi_stem_function() -> StemFunction:
    """Build Sastrawi's stemmer and return its ``stem`` method.

    Module-level (and looked up at call time by :class:`WordStemmer`) so tests can wrap it to
    count calls.
    """
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    return StemmerFactory().create_stemmer().stem


@cache
def sastrawi_root_words() -> frozenset[str]:
    """Sastrawi's root-word dictionary (about 30,000 words), read once.

    The normaliser uses it to tell a real double letter from elongation (``maaaf`` -> ``maaf``,
    not ``maf``); reading the word file does not build the stemmer.
    """
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    return frozenset(word.strip() for word in StemmerFactory().get_words() if word.strip())


class WordStemmer:
    """Stem single words with a protected list, an in-memory cache and an optional JSON cache."""

    def __init__(
        self,
        *,
        stem_function: StemFunction | None = None,
        cache_path: str | os.PathLike[str] | None = None,
    ) -> None:
        self._stem_function = stem_function
        self.cache_path = Path(cache_path) if cache_path is not None else None
        self.stemmer_id = f"PySastrawi {sastrawi_version()}"
        #: Sastrawi's answers, word -> stem: what :meth:`save` persists.
        self.cache: dict[str, str] = {}
        # Every token's final answer (protected, placeholder or stemmed): one dict lookup on
        # the hot path. Not persisted, so a change to the protected list needs no cache purge.
        self._memo: dict[str, str] = {}
        if self.cache_path is not None:
            loaded = _read_cache(self.cache_path, self.stemmer_id)
            # A file written before a word was protected must not bring its mangled stem back.
            self.cache.update((k, v) for k, v in loaded.items() if protected_base(k) is None)

    def stem(self, word: str) -> str:
        """Stem one token; tokens that are not plain words come back unchanged."""
        stemmed = self._memo.get(word)
        if stemmed is None:
            if len(self._memo) >= _MEMO_LIMIT:
                self._memo.clear()
            stemmed = self._memo[word] = self._resolve(word)
        return stemmed

    def stem_many(self, words: Iterable[str]) -> list[str]:
        """Stem a sequence of tokens, preserving order and length."""
        memo = self._memo
        return [memo[word] if word in memo else self.stem(word) for word in words]

    def save(self) -> None:
        """Merge the cache with the file's current entries and replace it atomically.

        Runs that save one after another accumulate words; two saving at the same instant can
        lose each other's newest words (it is only a cache) but never leave a torn file.
        """
        if self.cache_path is None:
            raise ValueError("stem_cache_path belum diatur; buat Normalizer(stem_cache_path=...)")
        merged = _read_cache(self.cache_path, self.stemmer_id)
        merged.update(self.cache)
        payload = {
            "format": CACHE_FORMAT,
            "version": CACHE_VERSION,
            "stemmer": self.stemmer_id,
            "stems": dict(sorted(merged.items())),
        }
        _atomic_write_text(self.cache_path, json.dumps(payload, ensure_ascii=False, indent=0))

    def _resolve(self, word: str) -> str:
        base = protected_base(word)
        if base is not None:
            return base
        stemmed = self.cache.get(word)
        if stemmed is not None:
            return stemmed
        if not is_stemmable(word):
            return word
        stemmed = self._call_stemmer(word) or word  # Sastrawi may return "" for odd input
        self.cache[word] = stemmed
        return stemmed

    def _call_stemmer(self, word: str) -> str:
        # Built lazily: a warm persistent cache means Sastrawi is never constructed at all.
        if self._stem_function is None:
            self._stem_function = sastrawi_stem_function()
        return self._stem_function(word)


def _read_cache(path: Path, stemmer_id: str) -> dict[str, str]:
    """Read a saved cache; a missing, corrupt or other-version file yields an empty cache.

    The file is derived data, so a bad one is logged and ignored rather than stopping a run.
    """
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        log.warning("stem cache %s unreadable (%s); starting empty", path, exc)
        return {}
    if not isinstance(payload, dict) or payload.get("format") != CACHE_FORMAT:
        log.warning("stem cache %s is not a Netra stem cache; starting empty", path)
        return {}
    if payload.get("version") != CACHE_VERSION or payload.get("stemmer") != stemmer_id:
        log.info("stem cache %s was written by %s; starting empty", path, payload.get("stemmer"))
        return {}
    stems = payload.get("stems")
    if not isinstance(stems, dict):
        return {}
    return {k: v for k, v in stems.items() if isinstance(k, str) and isinstance(v, str) and v}


def _atomic_write_text(path: Path, text: str) -> None:
    """Write via a temporary file in the same directory and ``os.replace``.

    A reader never sees half a file, even if the process dies mid-write.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
