"""Known debunked claims: reading them from files and feeds, and matching posts against them.

A text classifier cannot know that a claim is false; a fact-checker can. A post that repeats a
claim TurnBackHoax (Mafindo), cekfakta or Kominfo already debunked is the strongest hoax signal
Netra has, and the debunk link is what the reviewer needs. This module is pure (no database, no
network): ``monitor.claims.importers`` and ``monitor.claims.check`` do the I/O.

Matching method (issue 7), measured with ``benchmarks/claim_matching.py`` on TurnBackHoax 2024
(3,683 claims after deduplication, 74 of them too short to index). Queries are paraphrase-style
perturbations of the 721 held-out claims (20%: word drops, slang, clause reordering, truncation
of long claims, emoji); unrelated posts are half of NusaX-Senti + Pilpres 2019 (1,408). Each
method's threshold was tuned on the other 80% of claims and the other half of the unrelated
posts (lowest threshold with precision >= 0.99 and at most 0.1% of unrelated posts matched).
Speed: 1,000 new posts in batches of 100 against 50,000 claims (real + synthetic padding), on
the shared 2-core development machine under load:

==================================  ========  ==========  =========  ================
method                              recall@1  recall@thr  precision  posts/s (50k)
==================================  ========  ==========  =========  ================
TF-IDF word 1-2-grams + char 3-5    0.994     0.990       0.992      570-810 (thr 0.46)
BM25 via SQLite FTS5, self-normed   0.996     0.907       0.992      14-18 (thr 0.63)
==================================  ========  ==========  =========  ================

TF-IDF with cosine is the choice. Both rank the right claim first equally often, but cosine is
bounded in [0, 1] and comparable across short and long claims, so one threshold keeps 99% of
repeats while rejecting unrelated posts; BM25 scores grow with query length, and even
normalised by each claim's score against itself the threshold that rejects unrelated posts
loses a tenth of the repeats. BM25 also needs one FTS5 OR query per post (plus one to
normalise) where TF-IDF scores a whole batch with one sparse matrix product.

The similarity is ``WORD_WEIGHT * cos(words) + (1 - WORD_WEIGHT) * cos(chars)``. Words are the
tokens of ``classifiers.normalize`` with slang and elongation resolved ("gak dibagiin" ->
"tidak dibagiin"), as unigrams and bigrams: shared word pairs separate a repeated claim from a
post that only names the same people (bigrams cut false matches at equal recall). Characters
are 3-5-grams inside word boundaries, which bridge affixes, typos and truncated words. No
stemming: measured equal, and Sastrawi costs about a millisecond per unseen word. URL,
mention and emoji tokens are dropped: a fact-checker quotes the claim, not the emoji around it.
Terms found in more than 2% of the claims (at least 50) are left out of the index: little
weight, most of the work. ``DEFAULT_THRESHOLD`` is the tuned threshold above; every
:class:`ClaimMatcher` stores the threshold it was built with, and every recorded match stores
it too.

Known limits: a real paraphrase with different words (synonyms, another language) is not
caught; the benchmark's perturbations are easier than that. A post that quotes a claim to
debunk it is recognised by cue words (:func:`is_debunk`) and raises no flag.
"""

from __future__ import annotations

import csv
import email.utils
import hashlib
import html
import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer

from . import datasets
from .normalize import Normalizer

#: Similarity at or above which a post is said to repeat a claim (see the module docstring).
DEFAULT_THRESHOLD = 0.46
#: Share of the word cosine in the combined similarity; the rest is the character cosine.
WORD_WEIGHT = 0.5
#: Character n-grams and words found in more than this share of the claims (but at least
#: ``COMMON_FLOOR`` claims) are left out of the index. They carry little weight (low IDF) yet
#: make up most of the matrix product's work: without the cap, 1,000 posts against 50,000
#: claims take about ten seconds; with it, about one.
COMMON_SHARE = 0.02
COMMON_FLOOR = 50
#: Word n-grams up to this length: shared word pairs separate a repeated claim from a post that
#: only names the same people.
WORD_NGRAMS = 2
#: Claims or posts with fewer content words than this are never matched: "Assalamualaikum" or
#: "ZAP ZAP!!!" (claims whose hoax was an image) would otherwise match every greeting.
MIN_TOKENS = 4
#: Verdicts meaning the checked claim is true: such claims are stored but never matched.
TRUE_VERDICTS = frozenset({"benar", "fakta", "true", "correct", "sahih"})

Skipped = list[tuple[int, str]]


# --------------------------------------------------------------------------------------------
# Records
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClaimRecord:
    """One fact-checked claim as read from a file or feed, before it is stored."""

    claim_text: str
    title: str | None = None
    verdict: str | None = None
    url: str | None = None
    source: str | None = None
    published_at: str | None = None
    category: str | None = None
    external_id: str | None = None

    @property
    def text_sha256(self) -> str:
        return claim_hash(self.claim_text)


@dataclass
class ParsedClaims:
    """Records read from one file or feed, and the (line or item number, reason) of bad ones."""

    records: list[ClaimRecord] = field(default_factory=list)
    skipped: Skipped = field(default_factory=list)
    format: str = ""


def claim_hash(text: str) -> str:
    """SHA-256 of the claim text after NFKC, case folding and whitespace collapsing.

    Re-imports and the same claim from two sources differ in case and spacing more often than in
    words; those must not become two claims.
    """
    canonical = " ".join(unicodedata.normalize("NFKC", text).casefold().split())
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def is_debunked(verdict: str | None) -> bool:
    """True unless the fact-checker found the claim true (unknown verdicts count as debunked:
    fact-check feeds publish mostly debunks)."""
    return (verdict or "").strip().lower() not in TRUE_VERDICTS


_VERDICT_IN_TAG = re.compile(r"^\s*\[([^\]\n]{1,40})\]")
_VERDICT_WORDS = {
    "hoaks": "hoaks", "hoax": "hoaks", "salah": "salah", "disinformasi": "disinformasi",
    "misinformasi": "misinformasi", "menyesatkan": "menyesatkan", "misleading": "menyesatkan",
    "fitnah": "fitnah", "penipuan": "penipuan", "manipulasi": "manipulasi", "palsu": "palsu",
    "satire": "satire", "klarifikasi": "klarifikasi", "benar": "benar", "fakta": "fakta",
}


def split_verdict(title: str) -> tuple[str, str | None]:
    """``"[SALAH] Video ..."`` -> (``"Video ..."``, ``"salah"``); no tag -> (title, None).

    "[Fakta atau Hoaks]" style tags that name no single verdict are removed without one.
    """
    match = _VERDICT_IN_TAG.match(title)
    if not match:
        return title.strip(), None
    words = [_VERDICT_WORDS[w] for w in re.findall(r"[a-z]+", match.group(1).lower()) if w in _VERDICT_WORDS]
    verdict = words[0] if len(set(words)) == 1 else None
    return datasets.strip_verdict_tags(title).strip(), verdict


def safe_url(value: str | None) -> str | None:
    """The URL if it is http(s) with a host, else raise ValueError (it becomes a link for
    reviewers, so ``javascript:`` and friends never get in)."""
    value = (value or "").strip()
    if not value:
        return None
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise ValueError(f"URL harus http(s): {value[:80]!r}")
    return value


_MONTHS = {m: i for i, m in enumerate(
    "jan feb mar apr mei jun jul agu sep okt nov des".split(), start=1)}
_MONTHS.update({"may": 5, "aug": 8, "oct": 10, "dec": 12, "ags": 8, "agt": 8})


def parse_date(value: str | None) -> str | None:
    """ISO date or UTC timestamp from the forms fact-check data uses; None if empty.

    "2 Jan 2024" / "2 Mei 2024" -> "2024-01-02"; RFC 822 (RSS) and ISO 8601 (Atom) timestamps
    -> "2024-01-02T03:04:05Z". Raises ValueError for anything else.
    """
    value = (value or "").strip()
    if not value:
        return None
    match = re.fullmatch(r"(\d{1,2})\s+([A-Za-z]{3})[a-z]*\.?\s+(\d{4})", value)
    if match and match.group(2).lower() in _MONTHS:
        day, month, year = int(match.group(1)), _MONTHS[match.group(2).lower()], int(match.group(3))
        return datetime(year, month, day).strftime("%Y-%m-%d")
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return datetime.strptime(value, "%Y-%m-%d").strftime("%Y-%m-%d")
    moment: datetime | None = None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        try:
            moment = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            moment = None
    if moment is None:
        raise ValueError(f"tanggal tidak dikenali: {value[:40]!r}")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def make_record(
    *, claim_text: object, title: object = None, verdict: object = None, url: object = None,
    source: object = None, published_at: object = None, category: object = None, external_id: object = None,
) -> ClaimRecord:
    """A validated record; raises ValueError (in Bahasa Indonesia) naming what is wrong."""
    def text_or_none(value: object, name: str) -> str | None:
        if value is None:
            return None
        if isinstance(value, (dict, list, bool)):
            raise ValueError(f"kolom {name} harus teks")
        value = datasets.tidy(str(value))
        return value or None

    text = text_or_none(claim_text, "claim_text")
    if not text:
        raise ValueError("teks klaim kosong")
    return ClaimRecord(
        claim_text=text,
        title=text_or_none(title, "title"),
        verdict=(text_or_none(verdict, "verdict") or "").lower() or None,
        url=safe_url(text_or_none(url, "url")),
        source=text_or_none(source, "source"),
        published_at=parse_date(text_or_none(published_at, "published_at")),
        category=text_or_none(category, "category"),
        external_id=text_or_none(external_id, "external_id"),
    )


# --------------------------------------------------------------------------------------------
# Files
# --------------------------------------------------------------------------------------------

#: Column names accepted in generic CSV / JSONL claim files (first present wins).
_ALIASES: dict[str, tuple[str, ...]] = {
    "claim_text": ("claim_text", "claim", "text", "klaim", "narasi"),
    "title": ("title", "judul"),
    "verdict": ("verdict", "putusan", "label"),
    "url": ("url", "link", "fact_check_url"),
    "source": ("source", "sumber"),
    "published_at": ("published_at", "date", "tanggal"),
    "category": ("category", "kategori"),
    "external_id": ("external_id", "id"),
}


def _pick(row: dict, name: str) -> object:
    for alias in _ALIASES[name]:
        if alias in row and row[alias] not in (None, ""):
            return row[alias]
    return None


def read_claims_file(path: str | Path, *, source: str | None = None) -> ParsedClaims:
    """Claims from a CSV/TSV or JSONL file; TurnBackHoax 2024 exports are recognised by header.

    Bad rows go to ``skipped`` with their line number; a file that cannot be read at all (no
    claim column, not a CSV/JSONL) raises ValueError.
    """
    path = Path(path)
    text = datasets.read_text(path)
    first = next((line for line in text.splitlines() if line.strip()), "")
    if not first:
        raise ValueError(f"berkas {path.name} kosong")
    if first.lstrip().startswith("{"):
        return _read_jsonl(text, source or path.stem)
    header = {cell.strip() for cell in next(csv.reader([first]), [])}
    if {"ID", "TITLE"} <= header and {"HOAX_TEXT", "LLM_CATEGORY"} & header:
        return _read_turnbackhoax(path, source)
    return _read_csv(text, path.name, source or path.stem)


def _read_turnbackhoax(path: Path, source: str | None) -> ParsedClaims:
    """The TurnBackHoax 2024 format: the loader in ``classifiers.datasets`` already cuts the
    explanation after "PENJELASAN", verdict tags and quotes; titles become the claim title."""
    parsed = ParsedClaims(format="turnbackhoax2024")
    for example in datasets.load_turnbackhoax2024(path, skipped=parsed.skipped):
        meta = example.meta
        try:
            title = meta.get("TITLE") if meta.get("text_column") == "HOAX_TEXT" else None
            parsed.records.append(make_record(
                claim_text=example.text, title=title, verdict="hoaks",
                source=source or "turnbackhoax.id (Mafindo)", published_at=meta.get("DATE"),
                category=meta.get("LLM_CATEGORY"), external_id=meta.get("ID"),
            ))
        except ValueError as exc:  # the loader knows no line here; the item ID identifies the row
            parsed.skipped.append((0, f"ID {meta.get('ID', '?')}: {exc}"))
    return parsed


def _read_jsonl(text: str, source: str) -> ParsedClaims:
    parsed = ParsedClaims(format="jsonl")
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            row = json.loads(raw)
        except json.JSONDecodeError as exc:
            parsed.skipped.append((number, f"JSON tidak valid: {exc.msg}"))
            continue
        if not isinstance(row, dict):
            parsed.skipped.append((number, "baris bukan objek JSON"))
            continue
        try:
            parsed.records.append(_record_from_row({str(k).lower(): v for k, v in row.items()}, source))
        except ValueError as exc:
            parsed.skipped.append((number, str(exc)))
    return parsed


def _read_csv(text: str, name: str, source: str) -> ParsedClaims:
    parsed = ParsedClaims(format="csv")
    first = text.split("\n", 1)[0]
    delimiter = max((",", "\t", ";"), key=first.count)
    rows = datasets._records(text, delimiter)  # (line, cells) with physical line numbers
    header_row = next(rows, None)
    if header_row is None:
        raise ValueError(f"berkas {name} kosong")
    header = [cell.strip().lower() for cell in header_row[1]]
    if not set(header) & set(_ALIASES["claim_text"]):
        raise ValueError(f"berkas {name}: kolom teks klaim tidak ada (claim_text, claim atau text)")
    for line, cells in rows:
        if len(cells) != len(header):
            parsed.skipped.append((line, f"jumlah kolom {len(cells)}, seharusnya {len(header)}"))
            continue
        try:
            parsed.records.append(_record_from_row(dict(zip(header, cells, strict=True)), source))
        except ValueError as exc:
            parsed.skipped.append((line, str(exc)))
    return parsed


def _record_from_row(row: dict, default_source: str) -> ClaimRecord:
    values = {name: _pick(row, name) for name in _ALIASES}
    values["source"] = values["source"] or default_source
    return make_record(**values)


# --------------------------------------------------------------------------------------------
# Feeds
# --------------------------------------------------------------------------------------------

_ATOM = "{http://www.w3.org/2005/Atom}"
_CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
_TAGS = re.compile(r"<[^>]+>")
_BLOCK_TAGS = re.compile(r"</?(?:p|br|div|li|h[1-6]|blockquote)\b[^>]*>", re.I)
# Upper case or with a colon only: "narasi yang beredar" inside a sentence is not the marker.
_NARRATIVE = re.compile(r"\bNARASI\b\s*:?|\bNarasi\s*:")


def html_to_text(markup: str) -> str:
    """Feed descriptions are HTML: keep the words, never the markup (it is shown as text)."""
    return datasets.tidy(html.unescape(_TAGS.sub(" ", _BLOCK_TAGS.sub(" \n ", markup))))


def feed_claim_text(title: str, body: str) -> str:
    """The circulating claim inside a fact-check article: the part after "NARASI:" when the
    site marks it, cut before the explanation ("PENJELASAN", "Hasil Cek Fakta", "===")."""
    narrative = _NARRATIVE.search(body)
    if narrative:
        body = body[narrative.end():]
    text, _platform = datasets.clean_fact_check_claim(body) if body else ("", "")
    return text or title


def parse_feed(content: bytes, *, feed_url: str | None = None) -> ParsedClaims:
    """Claims from an RSS 2.0 or Atom feed of a fact-check site (parsed with defusedxml).

    Raises ValueError when the document is not a feed; a bad item goes to ``skipped`` with its
    1-based position.
    """
    from defusedxml import ElementTree
    from defusedxml.common import DefusedXmlException

    try:
        root = ElementTree.fromstring(content)
    except (ElementTree.ParseError, DefusedXmlException) as exc:
        raise ValueError(f"umpan bukan XML yang sah: {exc}") from None
    if root.tag == "rss":
        channel = root.find("channel")
        site = _child_text(channel, "title") if channel is not None else None
        items = [_rss_item(item) for item in root.iter("item")]
        kind = "rss"
    elif root.tag == f"{_ATOM}feed":
        site = _child_text(root, f"{_ATOM}title")
        items = [_atom_entry(entry) for entry in root.iter(f"{_ATOM}entry")]
        kind = "atom"
    else:
        raise ValueError(f"dokumen bukan umpan RSS atau Atom (elemen akar {root.tag!r})")
    source = site or (urlsplit(feed_url).netloc if feed_url else None) or "umpan"
    parsed = ParsedClaims(format=kind)
    for number, item in enumerate(items, start=1):
        try:
            raw_title, verdict = split_verdict(html_to_text(item["title"] or ""))
            claim = feed_claim_text(raw_title, html_to_text(item["body"] or ""))
            parsed.records.append(make_record(
                claim_text=claim, title=raw_title or None, verdict=verdict, url=item["link"],
                source=source, published_at=item["date"], category=item["category"], external_id=item["guid"],
            ))
        except ValueError as exc:
            parsed.skipped.append((number, f"entri {number}: {exc}"))
    return parsed


def _child_text(element, tag: str) -> str | None:
    child = element.find(tag)
    if child is None:
        return None
    text = "".join(child.itertext()).strip()
    return text or None


def _rss_item(item) -> dict[str, str | None]:
    return {
        "title": _child_text(item, "title"),
        "link": _child_text(item, "link"),
        "body": _child_text(item, _CONTENT) or _child_text(item, "description"),
        "date": _child_text(item, "pubDate") or _child_text(item, "{http://purl.org/dc/elements/1.1/}date"),
        "category": _child_text(item, "category"),
        "guid": _child_text(item, "guid"),
    }


def _atom_entry(entry) -> dict[str, str | None]:
    link = None
    for candidate in entry.findall(f"{_ATOM}link"):
        if candidate.get("rel", "alternate") == "alternate":
            link = candidate.get("href")
            break
    category = entry.find(f"{_ATOM}category")
    return {
        "title": _child_text(entry, f"{_ATOM}title"),
        "link": link,
        "body": _child_text(entry, f"{_ATOM}summary") or _child_text(entry, f"{_ATOM}content"),
        "date": _child_text(entry, f"{_ATOM}published") or _child_text(entry, f"{_ATOM}updated"),
        "category": category.get("term") if category is not None else None,
        "guid": _child_text(entry, f"{_ATOM}id"),
    }


# --------------------------------------------------------------------------------------------
# Matching
# --------------------------------------------------------------------------------------------

# A post that names a claim to debunk it ("[HOAKS] Beredar pesan ... Faktanya ...") shares its
# words with the claim. Such a post is recorded as debunking, not repeating, the claim. "Bukan
# hoaks" / "ini bukan hoax" is the opposite: a classic line of the hoax itself.
_DEBUNK = re.compile(
    r"\b(?:hoaks|hoax|hoaxs|hoks)\b(?!\s*(?:atau|apa|gak|nggak|ga|bukan|\?))"
    r"|\bfaktanya\b|\bcek\s+fakta\b|\bklarifikasi\b|\bsudah\s+dibantah\b|\btelah\s+dibantah\b"
    r"|\btidak\s+benar\b|\bdisinformasi\b|\bturnbackhoax\b|\[\s*(?:salah|hoaks|hoax|disinformasi)\s*\]",
    re.I,
)
_NOT_DEBUNK = re.compile(r"\b(?:bukan|bkn|ini\s+bukan)\s+(?:hoaks|hoax|hoks)\b", re.I)


def is_debunk(text: str) -> bool:
    """True when the post reads as a correction of a claim rather than a repeat of it."""
    if _NOT_DEBUNK.search(text or ""):
        return False
    return bool(_DEBUNK.search(text or ""))


_NORMALIZER: Normalizer | None = None


def matching_normalizer() -> Normalizer:
    """A new normaliser configured for matching: slang and elongation resolved, no stemming.

    Stemming was measured on the benchmark: same recall@1 and threshold, but Sastrawi costs
    about a millisecond per word it has not seen, which dominated matching time on new posts.
    Character n-grams already bridge affixes ("dibagikan" / "bagikan").
    """
    return Normalizer(stem=False)


def default_normalizer() -> Normalizer:
    """One shared matching normaliser: its word cache makes repeated words cheap."""
    global _NORMALIZER
    if _NORMALIZER is None:
        _NORMALIZER = matching_normalizer()
    return _NORMALIZER


def matching_views(texts: Iterable[str], normalizer: Normalizer | None = None) -> list[tuple[str, str, int]]:
    """(stems, tokens, content-word count) per text (stems equal tokens with the default
    non-stemming normaliser), special tokens (URL, emoji ...) and the
    ``#tag`` form of hashtags left out (the hashtag's words stay)."""
    normalizer = normalizer or default_normalizer()
    views = []
    for text in texts:
        normalized = normalizer.normalize(text or "")
        keep = [i for i, token in enumerate(normalized.tokens) if not token.startswith(("__", "#"))]
        views.append((
            " ".join(normalized.stems[i] for i in keep),
            " ".join(normalized.tokens[i] for i in keep),
            len(keep),
        ))
    return views


def _split_tokens(text: str) -> list[str]:
    """Tokens are already normalised and space-separated (module-level, not a lambda)."""
    return text.split()


@dataclass(frozen=True)
class Match:
    claim_id: int
    similarity: float


class ClaimMatcher:
    """TF-IDF index over claims; ``match`` scores a batch of posts with one sparse product.

    Fit once per set of claims and reuse: the claims matrix (transposed, CSR) is kept, so a
    batch costs normalising the posts plus one matrix product.
    """

    def __init__(self, *, threshold: float = DEFAULT_THRESHOLD, word_weight: float = WORD_WEIGHT,
                 min_tokens: int = MIN_TOKENS, word_ngrams: int = WORD_NGRAMS,
                 normalizer: Normalizer | None = None) -> None:
        if not 0.0 < threshold <= 1.0:
            raise ValueError("ambang kemiripan harus di antara 0 dan 1")
        self.threshold = threshold
        self.word_weight = word_weight
        self.min_tokens = min_tokens
        self.word_ngrams = word_ngrams
        self.normalizer = normalizer

    def fit(self, claim_ids: Sequence[int], texts: Sequence[str]) -> "ClaimMatcher":
        """Index the claims; claims shorter than ``min_tokens`` content words are left out."""
        if len(claim_ids) != len(texts):
            raise ValueError("claim_ids dan texts harus sama panjang")
        views = matching_views(texts, self.normalizer)
        keep = [i for i, view in enumerate(views) if view[2] >= self.min_tokens]
        self.claim_ids_ = np.asarray([claim_ids[i] for i in keep], dtype=np.int64)
        # Absolute cap: a share alone would drop everything from a 30-claim demo index.
        common = max(int(COMMON_SHARE * len(keep)), COMMON_FLOOR)
        self.word_ = TfidfVectorizer(tokenizer=_split_tokens, token_pattern=None, lowercase=False,
                                     ngram_range=(1, self.word_ngrams), sublinear_tf=True, max_df=common,
                                     dtype=np.float32)
        self.char_ = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True,
                                     max_df=common, dtype=np.float32)
        if not keep:
            self.claims_t_ = None
            return self
        stems = [views[i][0] for i in keep]
        tokens = [views[i][1] for i in keep]
        matrix = self._combine(self.word_.fit_transform(stems), self.char_.fit_transform(tokens))
        self.claims_t_ = matrix.T.tocsr()
        return self

    def __len__(self) -> int:
        return len(self.claim_ids_) if hasattr(self, "claim_ids_") else 0

    def _combine(self, word: sp.spmatrix, char: sp.spmatrix) -> sp.csr_matrix:
        # Each part is L2-normalised, so the dot product of two combined rows is
        # w * cos(word) + (1 - w) * cos(char).
        return sp.hstack([word * np.float32(np.sqrt(self.word_weight)),
                          char * np.float32(np.sqrt(1.0 - self.word_weight))], format="csr")

    def similarities(self, texts: Sequence[str]) -> tuple[sp.csr_matrix, np.ndarray]:
        """(posts x claims similarity matrix, mask of posts long enough to be matched)."""
        if not hasattr(self, "claims_t_"):
            raise ValueError("ClaimMatcher belum di-fit")
        views = matching_views(texts, self.normalizer)
        usable = np.asarray([view[2] >= self.min_tokens for view in views], dtype=bool)
        if self.claims_t_ is None or not len(texts):
            return sp.csr_matrix((len(texts), max(len(self), 0)), dtype=np.float32), usable
        posts = self._combine(self.word_.transform([v[0] for v in views]), self.char_.transform([v[1] for v in views]))
        return (posts @ self.claims_t_).tocsr(), usable

    def top(self, texts: Sequence[str], k: int = 3) -> list[list[Match]]:
        """The ``k`` most similar claims per text, best first, whatever their similarity."""
        scores, usable = self.similarities(texts)
        results: list[list[Match]] = []
        for row in range(scores.shape[0]):
            start, end = scores.indptr[row], scores.indptr[row + 1]
            if not usable[row] or start == end:
                results.append([])
                continue
            data, columns = scores.data[start:end], scores.indices[start:end]
            if len(data) > k:
                best = np.argpartition(-data, k)[:k]
                data, columns = data[best], columns[best]
            order = np.argsort(-data, kind="stable")
            results.append([Match(int(self.claim_ids_[columns[i]]), round(float(min(data[i], 1.0)), 4)) for i in order])
        return results

    def match(self, texts: Sequence[str], k: int = 3) -> list[list[Match]]:
        """Like :meth:`top`, keeping only claims at or above the threshold."""
        return [[m for m in found if m.similarity >= self.threshold] for found in self.top(texts, k)]
