"""Uniform loaders for labeled Indonesian text datasets.

Training and evaluation code should be able to say "give me the labeled texts in this file"
without knowing that one dataset is a latin-1 tweet dump full of ``\\xf0\\x9f..`` escapes,
another a tab-separated fact-check export and a third the project's own JSONL seed corpus.
Every loader here maps its dataset's annotation onto Netra's four labels, states which of those
labels the dataset actually annotates (``covers``: a hate-speech set says nothing about hoaxes,
so its rows are not hoax negatives), and reports the rows it could not use instead of dropping
them silently.

The public datasets are licensed (mostly non-commercial or research-only) and are never copied
into this repository; ``catalogue.toml`` next to this module says where each one comes from.
The real files live outside the repository (``../shared/datasets`` during development).
"""

from __future__ import annotations

import codecs
import csv
import html
import io
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from fnmatch import fnmatch
from inspect import signature
from pathlib import Path

#: Netra's labels. An example's ``labels`` is always a subset of its ``covers``.
LABELS: frozenset[str] = frozenset({"partisan", "hate", "abusive", "hoax"})

#: (line, reason) pairs for rows a loader skipped. Line numbers are 1-based physical lines of
#: the file where the record starts, so the header of a CSV is line 1.
Skipped = list[tuple[int, str]]

DEFAULT_SEED_CORPUS = Path(__file__).resolve().parent.parent / "data" / "seed" / "seed_corpus.jsonl"
#: Election-register hate posts and hard negatives (issue 21); the held-out file is never trained on.
HATE_ELECTION = DEFAULT_SEED_CORPUS.parent / "hate_election.jsonl"
HATE_ELECTION_HELDOUT = DEFAULT_SEED_CORPUS.parent / "hate_election_heldout.jsonl"
#: Where the public datasets come from (repository, commit, licence, loader per file).
CATALOGUE = Path(__file__).resolve().parent / "catalogue.toml"


@dataclass(frozen=True)
class Example:
    """One labeled text.

    ``labels`` empty means "negative for every label in ``covers``" and nothing more: a text
    from a dataset whose ``covers`` is empty is unlabeled (a pool for claim matching or weak
    labelling), not a negative.
    """

    text: str
    labels: frozenset[str]
    covers: frozenset[str]
    source: str
    fold: int | None = None
    meta: Mapping[str, str] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        # Accept any iterable for convenience but store frozensets, and refuse label sets that
        # would silently turn into wrong training targets.
        labels, covers = frozenset(self.labels), frozenset(self.covers)
        unknown = (labels | covers) - LABELS
        if unknown:
            raise ValueError(f"label tidak dikenal: {', '.join(sorted(unknown))}")
        if not labels <= covers:
            raise ValueError(f"label {sorted(labels - covers)} tidak termasuk cakupan dataset {sorted(covers)}")
        object.__setattr__(self, "labels", labels)
        object.__setattr__(self, "covers", covers)
        # A plain dict copy (not a MappingProxyType) so that examples stay picklable for joblib.
        object.__setattr__(self, "meta", dict(self.meta))


@dataclass(frozen=True)
class FoldSplit:
    """One fold of the IndoBERTweet protocol: dev is for model selection only."""

    train: list[Example]
    dev: list[Example]
    test: list[Example]


class _BadRow(ValueError):
    """A row that cannot become an Example; the message (Bahasa Indonesia) goes to the report."""


# --------------------------------------------------------------------------------------------
# Reading files
# --------------------------------------------------------------------------------------------

_FALLBACK_ERRORS = "netra-legacy-bytes"


def _legacy_char(byte: int) -> str:
    """One byte that is not valid UTF-8, read as Windows-1252 (or Latin-1 where 1252 has a hole)."""
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(byte)


def _legacy_bytes_handler(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeDecodeError):
        raise error
    bad = error.object[error.start : error.end]
    return "".join(_legacy_char(b) for b in bad), error.end


codecs.register_error(_FALLBACK_ERRORS, _legacy_bytes_handler)


def decode_bytes(raw: bytes) -> str:
    """Decode a dataset file: UTF-8 when valid, otherwise UTF-8 with a per-byte Latin-1 fallback.

    Why not plain ``encoding="latin-1"`` as the upstream notebooks do: these files are often
    *mixed* (ibrohim2019's re_dataset.csv is mostly ASCII, has raw UTF-8 emoji bytes and some
    stray single high bytes), and netifier, documented as latin-1, is in fact valid UTF-8.
    Decoding valid UTF-8 sequences as UTF-8 and only the invalid bytes as cp1252/latin-1 gets
    every one of these right; a whole-file latin-1 decode would turn each emoji into mojibake.
    """
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("utf-8", errors=_FALLBACK_ERRORS).removeprefix("\ufeff")


def read_text(path: Path) -> str:
    return decode_bytes(Path(path).read_bytes())


def _records(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """CSV records with the physical line each one starts on; blank lines are not records."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    start = 1
    for row in reader:
        line, start = start, reader.line_num + 1
        if row and any(cell.strip() for cell in row):
            yield line, row


def _table(
    path: Path, required: Iterable[str], skipped: Skipped | None, delimiter: str = ","
) -> Iterator[tuple[int, int, dict[str, str]]]:
    """Yield (line, data-row index, row) for a delimited file, checking the header first.

    The data-row index is 0-based over all non-blank records (as pandas counts them), because
    the IndoBERTweet fold file refers to re_dataset.csv rows by that index. Records whose field
    count differs from the header's are reported, not guessed at: an unquoted delimiter inside
    a text would otherwise silently shift the label columns.
    """
    records = _records(read_text(path), delimiter)
    first = next(records, None)
    if first is None:
        raise ValueError(f"berkas {Path(path).name} kosong")
    header = [name.strip() for name in first[1]]
    missing = [name for name in required if name not in header]
    if missing:
        raise ValueError(f"berkas {Path(path).name}: kolom wajib tidak ada: {', '.join(missing)}")
    for index, (line, row) in enumerate(records):
        if len(row) != len(header):
            _skip(skipped, line, f"jumlah kolom {len(row)}, seharusnya {len(header)}")
            continue
        yield line, index, dict(zip(header, row, strict=True))


def _skip(skipped: Skipped | None, line: int, reason: str) -> None:
    if skipped is not None:
        skipped.append((line, reason))


def _collect(
    rows: Iterable[tuple[int, int, dict[str, str]]],
    build: Callable[[dict[str, str]], Example],
    skipped: Skipped | None,
) -> list[Example]:
    """Run ``build`` on every row; rows it rejects with _BadRow are reported and left out."""
    examples: list[Example] = []
    for line, _index, row in rows:
        try:
            examples.append(build(row))
        except _BadRow as bad:
            _skip(skipped, line, str(bad))
    return examples


# --------------------------------------------------------------------------------------------
# Cleaning
# --------------------------------------------------------------------------------------------

_KEEP_FORMAT_CHARS = {"\u200d"}  # zero-width joiner holds multi-part emoji together
_BLANK_CHARS = str.maketrans({"\u2800": " ", "\u3164": " ", "\ufffd": ""})


def tidy(text: str) -> str:
    """Drop invisible format characters and replacement characters; collapse whitespace.

    Zero-width spaces, invisible separators and bidi marks carry no meaning for a classifier
    but make identical texts look different to deduplication and claim matching.
    """
    if text.isascii():
        return " ".join(text.split())
    text = text.translate(_BLANK_CHARS)
    text = "".join(ch for ch in text if ch in _KEEP_FORMAT_CHARS or unicodedata.category(ch) != "Cf")
    return re.sub(r"\s+", " ", text).strip()


def _codec_high_chars(codec: str) -> str:
    chars = {bytes([b]).decode(codec, errors="ignore") for b in range(0x80, 0x100)}
    chars |= {chr(b) for b in range(0x80, 0xA0)}  # C1 controls: bytes a cp1252 decoder let through
    return "".join(sorted(c for c in chars if c))


def _mojibake_pattern(codec: str) -> re.Pattern[str]:
    return re.compile("[" + re.escape(_codec_high_chars(codec)) + "]{2,}")


_MOJIBAKE = {codec: _mojibake_pattern(codec) for codec in ("cp1252", "mac_roman")}


def _encode_single_byte(run: str, codec: str) -> bytes:
    out = bytearray()
    for ch in run:
        try:
            out += ch.encode(codec)
        except UnicodeEncodeError:
            out.append(ord(ch))  # only C1 controls reach here (see _codec_high_chars)
    return bytes(out)


def _redecode(run: str, codec: str) -> str:
    """Re-read a run of mojibake as UTF-8, keeping the characters that do not form UTF-8."""
    raw = _encode_single_byte(run, codec)  # one byte per character, so indices line up
    parts: list[str] = []
    i = 0
    while i < len(raw):
        try:
            parts.append(raw[i:].decode("utf-8"))
            break
        except UnicodeDecodeError as err:
            parts.append(raw[i : i + err.start].decode("utf-8"))
            parts.append(run[i + err.start : i + err.end])
            i += err.end
    return "".join(parts)


def fix_mojibake(text: str, codec: str = "cp1252") -> str:
    """Repair UTF-8 text that was once decoded as ``codec`` ("ðŸ˜‚" -> 😂, "â€¦" -> …).

    pilpres2019's tweet.csv went through cp1252, desrul2019's workbook through Mac Roman
    ("\\uf8ffüòÇ" -> 😂). Only runs of two or more characters that re-encode to valid
    multi-byte UTF-8 change, so ordinary accented text is left alone.
    """
    return _MOJIBAKE[codec].sub(lambda m: _redecode(m.group(0), codec), text)


_ESCAPE = re.compile(r"(?:\\x[0-9a-fA-F]{2})+|\\u[0-9a-fA-F]{4}|\\[nrt]|\\[/'\"\\]")
_TRUNCATED_ESCAPE = re.compile(r"\\x[0-9a-fA-F]?(?![0-9a-fA-F])|\\$")
_SIMPLE_ESCAPES = {"\\n": " ", "\\r": " ", "\\t": " ", "\\/": "/", "\\'": "'", '\\"': '"', "\\\\": "\\"}


def _unescape(match: re.Match[str]) -> str:
    token = match.group(0)
    if token.startswith("\\x"):
        return bytes.fromhex(token.replace("\\x", "")).decode("utf-8", errors="ignore")
    if token.startswith("\\u"):
        return chr(int(token[2:], 16))
    return _SIMPLE_ESCAPES[token]


def decode_escapes(text: str) -> str:
    """Turn the literal escapes of Python ``bytes`` reprs back into text.

    The ibrohim2019 and putri2021 crawls stored ``str(b'...')``: emoji survive only as literal
    ``\\xf0\\x9f\\x98\\x82`` and newlines as ``\\n``. Byte runs are decoded as UTF-8 (emoji are
    signal, e.g. finger-count emoji next to a ballot number); bytes that do not decode, and
    escapes cut off by tweet truncation, are dropped; ``\\n`` becomes a space.
    """
    return _TRUNCATED_ESCAPE.sub("", _ESCAPE.sub(_unescape, text))


# What is left of a UTF-8 character whose bytes were partly replaced by "?" before the crawl
# was saved ("ð???" was an emoji, "â??" a curly quote): unrecoverable, so it goes.
_LOSSY_UTF8 = re.compile(r"[ÂÃâãðïØÙ][\x80-\xbf]*\?[\x80-\xbf?]*|Â(?=\s|$)")
_RETWEET = re.compile(r"\bRT\s*:?\s+(?=USER\b|@)")
_USER = re.compile(r"\bUSER\b")
_URL = re.compile(r"\bURL\b")


def clean_tweet_artefacts(text: str) -> str:
    """Clean the anonymised-crawl artefacts shared by ibrohim2019 and putri2021 into plain text.

    ``USER`` -> ``@user`` and ``URL`` -> ``http://url`` give placeholders that look like a real
    mention and link, so the normaliser maps them to the same tokens as real ones
    (``__mention__``, ``__url__``); otherwise a model learns that the literal word "USER" or
    "http" means "training data".
    Only a retweet marker ("RT" before a mention) is dropped: a bare "RT" in Indonesian is
    usually Rukun Tetangga. The single trailing apostrophe left by stripping ``b'`` is removed,
    and so are the remains of characters the crawl had already replaced by "?" (_LOSSY_UTF8).
    """
    text = html.unescape(decode_escapes(text))
    text = _LOSSY_UTF8.sub("", fix_mojibake(text))
    text = _URL.sub("http://url", _USER.sub("@user", _RETWEET.sub("", text)))
    text = tidy(text)
    if text.endswith("'") and not text.endswith("''"):
        text = text[:-1].rstrip()
    return text


_BBCODE = re.compile(r"\[/?(?:quote|color|size|font|url|img|b|i|u|s|spoiler|center|left|right|align|list|\*)(?:=[^\]]*)?\]", re.I)


def clean_forum_markup(text: str) -> str:
    """Netifier's Kaskus posts carry BBCode and literal ``\\n``; keep the words, drop the markup.

    The markup only tells a model "this is Kaskus", which is a platform, not a label.
    """
    text = html.unescape(decode_escapes(text))
    return tidy(fix_mojibake(_BBCODE.sub(" ", text)))


# Fact-checker explanation markers in turnbackhoax.id items. "PENJELASAN" in capitals only ever
# opens the explanation in this corpus; "Penjelasan:" with a colon does too; runs of "=" are the
# separator the site puts between the quoted claim and the explanation; "Hasil Cek Fakta" after
# the claim opens the verdict (at the very start it is boilerplate, see strip_verdict_tags).
_EXPLANATION = re.compile(r"PENJELASAN|\b[Pp]enjelasan\s*:|(?:=\s*){3,}|Hasil Cek Fakta")
_VERDICT_TAG = re.compile(
    r"^\s*(?:\[[^\]\n]{0,30}\b(?:hoaks|hoax|salah|disinformasi|misinformasi|menyesatkan|misleading|"
    r"fitnah|penipuan|klarifikasi|fakta|satire|manipulasi|palsu|benar)\b[^\]\n]{0,30}\]\s*)+",
    re.I,
)
_HASIL_CEK_FAKTA = re.compile(r"^\s*Hasil Cek Fakta\s*:?\s*", re.I)
_TRAILER_SOURCE = re.compile(r"(?:^|\s)Sumber\s*:\s*([^.:\n]{1,40}?)[\s—–_-]*$")


def strip_verdict_tags(text: str) -> str:
    """Remove leading "[HOAKS]", "[SALAH]", "[Fakta atau Hoaks]" style tags and a leading
    "Hasil Cek Fakta": they are the fact-checker's verdict, and a model that learns them learns
    to recognise fact-check pages, not hoaxes."""
    return _HASIL_CEK_FAKTA.sub("", _VERDICT_TAG.sub("", text))


def strip_claim_quotes(text: str) -> str:
    """Drop the curly quotes a fact-checker puts around a quoted claim (posts do not have them)."""
    text = text.strip()
    if text.startswith("“"):
        text = text[1:]
    if text.endswith("”"):
        text = text[:-1]
    elif text.endswith("”."):
        text = text[:-2]
    return text.strip()


def truncate_explanation(text: str) -> str:
    """Keep only the circulating claim: cut at the first explanation marker (see _EXPLANATION)."""
    match = _EXPLANATION.search(text)
    return text[: match.start()] if match else text


def clean_fact_check_claim(text: str) -> tuple[str, str]:
    """Claim text of a turnbackhoax item, and the platform named in a trailing "Sumber: ..."."""
    text = tidy(truncate_explanation(strip_verdict_tags(tidy(text))))
    platform = ""
    trailer = _TRAILER_SOURCE.search(text)
    if trailer:
        platform, text = trailer.group(1).strip(" “”\""), text[: trailer.start()]
    return tidy(strip_claim_quotes(html.unescape(text))), platform


def clean_scraped(text: str) -> str:
    """Default for scraped web text: HTML entities, cp1252 mojibake, whitespace."""
    return tidy(fix_mojibake(html.unescape(text)))


# --------------------------------------------------------------------------------------------
# Row helpers
# --------------------------------------------------------------------------------------------


def _text(value: str | None, column: str) -> str:
    if value is None or not value.strip():
        raise _BadRow(f"teks kosong (kolom {column})")
    return value


def _cleaned(text: str, column: str) -> str:
    if not text:
        raise _BadRow(f"teks kosong setelah dibersihkan (kolom {column})")
    return text


def _flag(value: str, column: str) -> bool:
    """A 0/1 annotation; "1.0"-style spreadsheet exports are accepted, anything else is a bad row."""
    cleaned = value.strip()
    if cleaned in {"1", "1.0"}:
        return True
    if cleaned in {"0", "0.0"}:
        return False
    raise _BadRow(f"nilai {column} {value!r} bukan 0/1")


def _labels_from(flags: Mapping[str, bool]) -> frozenset[str]:
    return frozenset(label for label, on in flags.items() if on)


def _meta(row: Mapping[str, str], *exclude: str) -> dict[str, str]:
    return {key: value for key, value in row.items() if key not in exclude and key}


# --------------------------------------------------------------------------------------------
# Loaders, one per format. Each accepts ``skipped`` to receive (line, reason) of rows left out.
# --------------------------------------------------------------------------------------------

_HATE_ABUSIVE = frozenset({"hate", "abusive"})
_HOAX = frozenset({"hoax"})


def _ibrohim_example(row: Mapping[str, str]) -> Example:
    text = _cleaned(clean_tweet_artefacts(_text(row["Tweet"], "Tweet")), "Tweet")
    labels = _labels_from({"hate": _flag(row["HS"], "HS"), "abusive": _flag(row["Abusive"], "Abusive")})
    return Example(text, labels, _HATE_ABUSIVE, "ibrohim2019", meta=_meta(row, "Tweet", "HS", "Abusive"))


def _ibrohim_rows(path: Path, skipped: Skipped | None) -> dict[int, Example | str]:
    """re_dataset.csv by 0-based data-row index; a string value is the reason the row is unusable."""
    rows: dict[int, Example | str] = {}
    for line, index, row in _table(path, ("Tweet", "HS", "Abusive"), skipped):
        try:
            rows[index] = _ibrohim_example(row)
        except _BadRow as bad:
            _skip(skipped, line, str(bad))
            rows[index] = f"baris {line} re_dataset.csv dilewati: {bad}"
    return rows


def load_ibrohim2019(path: Path, skipped: Skipped | None = None) -> list[Example]:
    """Ibrohim & Budi (2019) re_dataset.csv: HS -> hate, Abusive -> abusive.

    Caveat kept visible in ``meta``: 64% of HS=1 tweets target an individual (HS_Individual=1,
    HS_Group=0), which Netra's regulation would call abusive rather than group hate (H1/H2).
    The HS_* columns stay in ``meta`` so a trainer can restrict hate to HS_Group=1.
    """
    return [row for row in _ibrohim_rows(path, skipped).values() if isinstance(row, Example)]


_ROLES = {"train", "dev", "test"}


def _fold_columns(header: Iterable[str]) -> list[str]:
    return sorted((name for name in header if re.fullmatch(r"fold\d+", name)), key=lambda n: int(n[4:]))


def load_ibrohim2019_folds(path: Path, skipped: Skipped | None = None, tweets: Path | None = None) -> list[Example]:
    """folds_indobertweet.csv: the IndoBERTweet 5-fold split, joined to re_dataset.csv.

    The fold file has no text, only ``row_index`` (0-based data row of re_dataset.csv, found
    next to it unless ``tweets`` says otherwise) and one column per fold saying train/dev/test.
    Each example carries those roles in ``meta`` ("fold0".."fold4") and ``fold`` = the fold
    whose test set holds it. The file does not make the test sets a partition of the *rows*:
    for tweets whose text occurs several times in re_dataset.csv the roles were attached to one
    copy, so that row is test in two or more folds and its twin in none; ``fold`` is None for
    those (and for 4 rows that are never test). Per text, the number of test slots still equals
    the number of copies, so the protocol is intact; ibrohim_folds() follows the columns exactly.
    """
    tweets = tweets or Path(path).with_name("re_dataset.csv")
    if not tweets.exists():
        raise FileNotFoundError(f"{tweets} tidak ada: folds_indobertweet.csv hanya berisi nomor baris re_dataset.csv")
    by_index = _ibrohim_rows(tweets, None)
    examples: list[Example] = []
    records = _table(path, ("row_index",), skipped)
    columns: list[str] | None = None
    for line, _index, row in records:
        columns = columns if columns is not None else _fold_columns(row)
        try:
            examples.append(_fold_example(row, columns, by_index))
        except _BadRow as bad:
            _skip(skipped, line, str(bad))
    return examples


def _fold_example(row: Mapping[str, str], columns: list[str], by_index: Mapping[int, Example | str]) -> Example:
    raw_index = row["row_index"].strip()
    if not raw_index.isdigit():
        raise _BadRow(f"row_index {raw_index!r} bukan bilangan")
    found = by_index.get(int(raw_index))
    if found is None:
        raise _BadRow(f"row_index {raw_index} tidak ada di re_dataset.csv")
    if isinstance(found, str):
        raise _BadRow(found)
    roles = {name: row[name].strip().lower() for name in columns}
    bad = {name: role for name, role in roles.items() if role not in _ROLES}
    if bad:
        raise _BadRow(f"peran fold tidak dikenal: {bad}")
    tests = [int(name[4:]) for name, role in roles.items() if role == "test"]
    meta = {**found.meta, "row_index": raw_index, **roles}
    return replace(found, fold=tests[0] if len(tests) == 1 else None, meta=meta)


def ibrohim_splits(path: Path) -> list[FoldSplit]:
    """Train/dev/test for every fold column of folds_indobertweet.csv, exactly as the file says."""
    examples = load_ibrohim2019_folds(Path(path))
    columns = _fold_columns(examples[0].meta) if examples else []
    return [
        FoldSplit(*([e for e in examples if e.meta[name] == role] for role in ("train", "dev", "test")))
        for name in columns
    ]


def ibrohim_folds(path: Path) -> list[tuple[list[Example], list[Example]]]:
    """The 5 (train, test) splits of the published protocol.

    Dev rows are in neither list: the protocol reports test F1 at the best-dev epoch, so they
    are held out for model selection. Use ibrohim_splits() to get them.
    """
    return [(split.train, split.test) for split in ibrohim_splits(path)]


def load_netifier(path: Path, skipped: Skipped | None = None) -> list[Example]:
    """Netifier train.csv/test.csv: only ``sara`` (ethnic/religious/racial) -> hate.

    pornografi, radikalisme and pencemaran_nama_baik (defamation) do not correspond to any
    Netra label closely enough to be used as one: pornography and defamation are not A1
    insults as such, and "radikalisme" is not the same as hatred of the state (H1). They stay
    in ``meta`` with the platform (``source``) and the split (file stem).
    """
    split = Path(path).stem

    def build(row: Mapping[str, str]) -> Example:
        text = _cleaned(clean_forum_markup(_text(row["original_text"], "original_text")), "original_text")
        hate = _flag(row["sara"], "sara")
        for column in ("pornografi", "radikalisme", "pencemaran_nama_baik"):
            if column in row:
                _flag(row[column], column)  # a broken row is broken for every label
        meta = {**_meta(row, "original_text", "sara"), "split": split}
        return Example(text, frozenset({"hate"}) if hate else frozenset(), frozenset({"hate"}), "netifier", meta=meta)

    return _collect(_table(path, ("original_text", "sara"), skipped), build, skipped)


def load_putri2021(path: Path, skipped: Skipped | None = None) -> list[Example]:
    """Putri, Ibrohim & Budi (2021) Javanese.csv / Sundanese.csv: uk (ujaran kasar) -> abusive,
    hs -> hate. Same crawl artefacts as ibrohim2019. ``meta["language"]`` is jv or su."""
    stem = Path(path).stem.lower()
    language = {"javanese": "jv", "sundanese": "su"}.get(stem, stem)

    def build(row: Mapping[str, str]) -> Example:
        text = _cleaned(clean_tweet_artefacts(_text(row["isi_tweet"], "isi_tweet")), "isi_tweet")
        labels = _labels_from({"abusive": _flag(row["uk"], "uk"), "hate": _flag(row["hs"], "hs")})
        return Example(text, labels, _HATE_ABUSIVE, "putri2021", meta={"language": language})

    return _collect(_table(path, ("isi_tweet", "uk", "hs"), skipped), build, skipped)


_DESRUL_LEVELS = {"1": False, "2": True, "3": True}


def load_desrul2019(path: Path, skipped: Skipped | None = None) -> list[Example]:
    """Desrul & Romadhony (2019) news comments: label 1 = not abusive, 2 = abusive but not
    offensive, 3 = abusive and offensive. Levels 2 and 3 -> abusive.

    Why level 2 counts: ibrohim2019, the main abusive training set, marks any abusive
    language as Abusive=1 whether or not it offends, and this set is used as its
    out-of-domain check, so the two must mean the same thing. The level stays in
    ``meta["level"]`` for a stricter (level 3 only) reading. The workbook went through Mac
    Roman, so emoji are repaired from that mojibake.
    """

    def build(row: Mapping[str, str]) -> Example:
        text = _cleaned(tidy(fix_mojibake(_text(row["Kalimat"], "Kalimat"), "mac_roman")), "Kalimat")
        level = row["label"].strip().removesuffix(".0")
        if level not in _DESRUL_LEVELS:
            raise _BadRow(f"label {row['label']!r} bukan 1, 2 atau 3")
        labels = frozenset({"abusive"}) if _DESRUL_LEVELS[level] else frozenset()
        return Example(text, labels, frozenset({"abusive"}), "desrul2019", meta={"level": level})

    return _collect(_table(path, ("Kalimat", "label"), skipped), build, skipped)


_SURYADIKARA_CLASSES = {"true news": False, "false news": True, "misleading news": True}
_SURYADIKARA_OTHER = {"other 1", "other 2"}


def load_suryadikara2021(path: Path, skipped: Skipped | None = None) -> list[Example]:
    """Suryadikara et al. (2021) Pilpres 2019 tweets matched to fact-checked topics (TAB-separated).

    False News -> hoax. Misleading News -> hoax too: TurnBackHoax/Mafindo, whose items are
    Netra's other hoax positives, count misleading content as one of the seven kinds of mis- and
    disinformation, and K1 is about spreading such content; a reviewer should see these posts.
    ``meta["class"]`` keeps the original class for a strict False-only reading.
    True News (which includes tweets debunking the claim) -> negative: hard negatives that
    repeat the claim's words.
    Other 1 / Other 2 (627 of 2,360 rows) are left out and reported: annotators marked them
    unrelated to the topic's claim, i.e. nobody judged whether they are true, so calling them
    "not hoax" would invent a judgement, and as easy off-topic negatives they would inflate scores.
    """

    def build(row: Mapping[str, str]) -> Example:
        text = _cleaned(clean_scraped(_text(row["tweets"], "tweets")), "tweets")
        kind = row["class"].strip().lower()
        if kind in _SURYADIKARA_OTHER:
            raise _BadRow(f"kelas {row['class'].strip()!r} dikecualikan: tidak dinilai benar/salahnya")
        if kind not in _SURYADIKARA_CLASSES:
            raise _BadRow(f"kelas {row['class']!r} tidak dikenal")
        labels = _HOAX if _SURYADIKARA_CLASSES[kind] else frozenset()
        return Example(text, labels, _HOAX, "suryadikara2021", meta=_meta(row, "tweets"))

    return _collect(_table(path, ("tweets", "class"), skipped, delimiter="\t"), build, skipped)


def load_turnbackhoax2024(path: Path, skipped: Skipped | None = None) -> list[Example]:
    """TurnBackHoax (Mafindo) 2024 items: every row is a hoax; there are no negatives here.

    *_hoax_text.csv and sentiment_results.csv give the circulating claim (HOAX_TEXT);
    categorized_hoaxes.csv only the fact-checker's title (TITLE). About a fifth of HOAX_TEXT
    continue into the fact-checker's explanation, which would teach a model the debunk instead of
    the hoax, so text is cut at "PENJELASAN" / "Penjelasan:" / the "===" separator, and verdict
    tags, the claim's curly quotes and a trailing "Sumber: WhatsApp" (moved to
    ``meta["platform"]``) are removed. Use as positives or as a claim-matching corpus; pair with
    negatives from another dataset covering hoax.
    """

    def build(row: Mapping[str, str]) -> Example:
        column = "HOAX_TEXT" if "HOAX_TEXT" in row else "TITLE"
        text, platform = clean_fact_check_claim(_text(row[column], column))
        text = _cleaned(text, column)
        meta = {**_meta(row, column), "platform": platform, "text_column": column}
        return Example(text, _HOAX, _HOAX, "turnbackhoax2024", meta=meta)

    return _collect(_table(path, ("ID", "TITLE"), skipped), build, skipped)


_TRUE_FALSE = {"true": True, "false": False, "1": True, "0": False}


def load_hoax_headlines2024(path: Path, skipped: Skipped | None = None) -> list[Example]:
    """Pilpres 2024 headlines: Berita_Hoax True -> hoax.

    Weak data: every hoax is a TurnBackHoax title and every non-hoax a Detik/Metro/CNN headline,
    so a classifier can score well by recognising the outlet's style. Train on it only as weak
    data and never evaluate social-media posts on it. Verdict tags and claim quotes are
    stripped to blunt the most obvious style cue; duplicated titles (443) are kept as in the file.
    """

    def build(row: Mapping[str, str]) -> Example:
        text = strip_claim_quotes(strip_verdict_tags(clean_scraped(_text(row["Judul Artikel"], "Judul Artikel"))))
        verdict = row["Berita_Hoax"].strip().lower()
        if verdict not in _TRUE_FALSE:
            raise _BadRow(f"Berita_Hoax {row['Berita_Hoax']!r} bukan True/False")
        labels = _HOAX if _TRUE_FALSE[verdict] else frozenset()
        return Example(_cleaned(text, "Judul Artikel"), labels, _HOAX, "hoax_headlines2024", meta=_meta(row, "Judul Artikel"))

    return _collect(_table(path, ("Judul Artikel", "Berita_Hoax"), skipped), build, skipped)


def _unlabeled(path: Path, skipped: Skipped | None, column: str, source: str, clean: Callable[[str], str]) -> list[Example]:
    """Texts with no Netra label (covers is empty): pools, not negatives. Other columns -> meta."""

    def build(row: Mapping[str, str]) -> Example:
        text = _cleaned(clean(_text(row[column], column)), column)
        return Example(text, frozenset(), frozenset(), source, meta=_meta(row, column))

    return _collect(_table(path, (column,), skipped), build, skipped)


def load_nusax_senti_id(path: Path, skipped: Skipped | None = None) -> list[Example]:
    """NusaX-Senti Indonesian: everyday sentences; sentiment stays in ``meta["label"]``."""
    return _unlabeled(path, skipped, "text", "nusax_senti_id", tidy)


def load_pilpres2019_sentiment(path: Path, skipped: Skipped | None = None) -> list[Example]:
    """Pilpres 2019 tweets (mostly campaign content) as an in-domain pool; sentiment in meta.
    The file passed through cp1252 once, so emoji are repaired from mojibake."""
    return _unlabeled(path, skipped, "tweet", "pilpres2019_sentiment", clean_scraped)


def load_pilpres2024_candidates(path: Path, skipped: Skipped | None = None) -> list[Example]:
    """2023 tweets about the 2024 candidates: pool for weak partisan labelling. ``label_silver``
    is machine sentiment on an English translation, so it stays in meta, never in labels."""
    return _unlabeled(path, skipped, "text", "pilpres2024_candidates", tidy)


def _article_text(title: str, body: str) -> str:
    """Jannati articles store paragraphs as a JSON-ish list; join them after the title."""
    try:
        parsed = json.loads(body)
        paragraphs = [str(p) for p in parsed] if isinstance(parsed, list) else [body]
    except json.JSONDecodeError:
        paragraphs = [body]
    return tidy(" ".join([title, *paragraphs]))


def load_jannati2018_stance(path: Path, skipped: Skipped | None = None) -> list[Example]:
    """Jannati et al. (2018) blog articles with stance toward a politician (semicolon-separated).

    Stance for/against a candidate is close to, but not, Netra's partisan label (a blogger is not
    a civil servant and the articles are long-form), so covers is empty and the normalised
    stance ("againts" -> "against") is in ``meta["stance"]`` for weak labelling.
    """

    def build(row: Mapping[str, str]) -> Example:
        # One row has its article in the title column and an empty body: keep it, it is text.
        title, body = row.get("Judul Artikel", ""), row["Isi Artikel"]
        text = _article_text(title, body) if body.strip() else tidy(_text(title, "Judul Artikel/Isi Artikel"))
        stance = row["stance final"].strip().lower().replace("againts", "against")
        meta = {"tokoh": row.get("Tokoh", ""), "event": row.get("Event", ""), "stance": stance}
        return Example(_cleaned(text, "Isi Artikel"), frozenset(), frozenset(), "jannati2018_stance", meta=meta)

    return _collect(_table(path, ("Isi Artikel", "stance final"), skipped, delimiter=";"), build, skipped)


_NEGATIVE_WORDS = {"", "none", "-", "negatif", "negative"}


def _parse_labels(value: object) -> frozenset[str]:
    """Labels from a list or a ";"/","-separated string; empty or "none" means negative."""
    if value is None:
        return frozenset()
    items = value if isinstance(value, list) else re.split(r"[;,]", str(value))
    if not all(isinstance(item, str) for item in items):
        raise _BadRow(f"label {value!r} bukan teks")
    labels = {item.strip().lower() for item in items} - _NEGATIVE_WORDS
    unknown = labels - LABELS
    if unknown:
        raise _BadRow(f"label tidak dikenal: {', '.join(sorted(unknown))}")
    return frozenset(labels)


def _generic_example(text: object, labels: frozenset[str], covers: object, has_labels: bool, source: str, meta: dict[str, str]) -> Example:
    """Generic files: ``covers`` is explicit when given; otherwise a file that has a labels field
    annotates all four labels (as the seed corpus does) and one without is an unlabeled pool."""
    if not isinstance(text, str) or not text.strip():
        raise _BadRow("teks kosong")
    scope = _parse_labels(covers) if covers is not None else (LABELS if has_labels else frozenset())
    if not labels <= scope:
        raise _BadRow(f"label {sorted(labels - scope)} di luar covers {sorted(scope)}")
    return Example(_cleaned(tidy(text), "text"), labels, scope, source, meta=meta)


def _meta_value(value: object) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def load_jsonl(path: Path, skipped: Skipped | None = None) -> list[Example]:
    """Generic JSON Lines: {"text": ..., "labels": [...]} plus optional "covers" and "fold";
    every other key goes to meta as a string. ``source`` is the file stem."""
    examples: list[Example] = []
    for line, raw in enumerate(read_text(path).splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            examples.append(_jsonl_example(raw, Path(path).stem))
        except _BadRow as bad:
            _skip(skipped, line, str(bad))
    return examples


def _jsonl_example(raw: str, source: str) -> Example:
    try:
        record = json.loads(raw)
    except json.JSONDecodeError as err:
        raise _BadRow(f"JSON tidak valid: {err.msg}") from None
    if not isinstance(record, dict):
        raise _BadRow("baris bukan objek JSON")
    fold = record.get("fold")
    if fold is not None and (not isinstance(fold, int) or isinstance(fold, bool)):
        raise _BadRow(f"fold {fold!r} bukan bilangan bulat")
    meta = {k: _meta_value(v) for k, v in record.items() if k not in {"text", "labels", "covers", "fold"}}
    example = _generic_example(
        record.get("text"), _parse_labels(record.get("labels")), record.get("covers"), "labels" in record, source, meta
    )
    return replace(example, fold=fold)


def _sniff_delimiter(first_line: str) -> str:
    """The delimiter that makes a ``text`` column appear in the header (default ",")."""
    for delimiter in (",", "\t", ";"):
        if "text" in {cell.strip().lower() for cell in next(csv.reader([first_line], delimiter=delimiter), [])}:
            return delimiter
    return ","


def load_csv(path: Path, skipped: Skipped | None = None) -> list[Example]:
    """Generic CSV/TSV: a ``text`` column, optional ``label``/``labels`` (";" or ","-separated,
    both merged) and ``covers``; column names are case-insensitive; other columns -> meta."""
    text = read_text(path)
    delimiter = _sniff_delimiter(text.split("\n", 1)[0])
    records = _records(text, delimiter)
    first = next(records, None)
    if first is None:
        raise ValueError(f"berkas {Path(path).name} kosong")
    header = [name.strip().lower() for name in first[1]]
    if "text" not in header:
        raise ValueError(f"berkas {Path(path).name}: kolom wajib tidak ada: text")
    has_labels = bool({"label", "labels"} & set(header))
    examples: list[Example] = []
    for line, row in records:
        try:
            examples.append(_csv_example(dict(zip(header, row, strict=False)), len(row), len(header), has_labels, Path(path).stem))
        except _BadRow as bad:
            _skip(skipped, line, str(bad))
    return examples


def _csv_example(row: dict[str, str], width: int, expected: int, has_labels: bool, source: str) -> Example:
    if width != expected:
        raise _BadRow(f"jumlah kolom {width}, seharusnya {expected}")
    labels = _parse_labels(row.get("label", "")) | _parse_labels(row.get("labels", ""))
    covers = row.get("covers") if row.get("covers", "").strip() else None
    meta = _meta(row, "text", "label", "labels", "covers")
    return _generic_example(row.get("text"), labels, covers, has_labels, source, meta)


def load_seed_corpus(path: Path | None = None) -> list[Example]:
    """Netra's hand-written seed corpus (data/seed/seed_corpus.jsonl); covers all four labels.

    Unlike public datasets, a bad row here is a bug in the project's own data, so it raises
    instead of being skipped.
    """
    path = Path(path) if path is not None else DEFAULT_SEED_CORPUS
    skipped: Skipped = []
    examples = load_jsonl(path, skipped)
    if skipped:
        raise ValueError(f"seed corpus {path} rusak: " + "; ".join(f"baris {line}: {why}" for line, why in skipped))
    return [replace(e, covers=LABELS, source="seed") for e in examples]


def load_hate_election(path: Path | None = None) -> list[Example]:
    """Netra's election-register hate posts and hard negatives (data/seed/hate_election.jsonl).

    They cover only ``hate``: a post calling a candidate "kafir" may be partisan and abusive
    too, and its negatives (counter-speech, news of a report) were not judged for the other
    labels. A bad row raises, as in the seed corpus.
    """
    path = Path(path) if path is not None else HATE_ELECTION
    skipped: Skipped = []
    examples = load_jsonl(path, skipped)
    if skipped:
        raise ValueError(f"korpus {path} rusak: " + "; ".join(f"baris {line}: {why}" for line, why in skipped))
    return [replace(e, covers=frozenset({"hate"}), source="seed_hate") for e in examples]


# --------------------------------------------------------------------------------------------
# Registry and detection
# --------------------------------------------------------------------------------------------

#: Explicit registry: format name -> loader. A loader may also accept ``skipped=`` (a list that
#: receives (line, reason) for left-out rows); load_with_report() uses it when present.
FORMATS: dict[str, Callable[[Path], list[Example]]] = {
    "ibrohim2019": load_ibrohim2019,
    "ibrohim2019_folds": load_ibrohim2019_folds,
    "netifier": load_netifier,
    "putri2021": load_putri2021,
    "desrul2019": load_desrul2019,
    "suryadikara2021": load_suryadikara2021,
    "turnbackhoax2024": load_turnbackhoax2024,
    "hoax_headlines2024": load_hoax_headlines2024,
    "nusax_senti_id": load_nusax_senti_id,
    "pilpres2019_sentiment": load_pilpres2019_sentiment,
    "pilpres2024_candidates": load_pilpres2024_candidates,
    "jannati2018_stance": load_jannati2018_stance,
    "jsonl": load_jsonl,
    "csv": load_csv,
}


@dataclass(frozen=True)
class _Peek:
    """The start of a file, enough to recognise it."""

    name: str
    lines: list[str]

    def header(self, delimiter: str = ",") -> set[str]:
        return {cell.strip() for cell in next(csv.reader(self.lines[:1], delimiter=delimiter), [])}

    def rows(self, delimiter: str = ",") -> list[list[str]]:
        return list(csv.reader(self.lines[1:21], delimiter=delimiter))


def _peek(path: Path, size: int = 65536) -> _Peek:
    with open(path, "rb") as handle:
        text = decode_bytes(handle.read(size))
    return _Peek(Path(path).name, [line for line in text.splitlines() if line.strip()][:22])


def _has(*columns: str, delimiter: str = ",") -> Callable[[_Peek], bool]:
    return lambda peek: set(columns) <= peek.header(delimiter)


def _is_folds(peek: _Peek) -> bool:
    header = peek.header()
    return "row_index" in header and bool(_fold_columns(header)) and len(header) == 1 + len(_fold_columns(header))


def _is_turnbackhoax(peek: _Peek) -> bool:
    header = peek.header()
    return {"ID", "TITLE"} <= header and bool({"HOAX_TEXT", "LLM_CATEGORY"} & header)


_SENTIMENTS = {"positive", "neutral", "negative"}


def _is_nusax(peek: _Peek) -> bool:
    """id,text,label is also a valid generic CSV; the sentiment values tell NusaX apart."""
    rows = [row for row in peek.rows() if len(row) == 3]
    return [c.strip() for c in next(csv.reader(peek.lines[:1]), [])] == ["id", "text", "label"] and bool(rows) and all(
        row[2].strip().lower() in _SENTIMENTS for row in rows
    )


def _is_jsonl(peek: _Peek) -> bool:
    try:
        first = json.loads(peek.lines[0]) if peek.lines else None
    except json.JSONDecodeError:
        return False
    return isinstance(first, dict) and "text" in first


def _is_generic_csv(peek: _Peek) -> bool:
    return bool(peek.lines) and any("text" in {h.lower() for h in peek.header(d)} for d in (",", "\t", ";"))


#: (format, file-name patterns the dataset ships with, header test), most specific first.
_SIGNATURES: list[tuple[str, tuple[str, ...], Callable[[_Peek], bool]]] = [
    ("ibrohim2019_folds", ("folds*.csv",), _is_folds),
    ("ibrohim2019", ("re_dataset*.csv",), _has("Tweet", "HS", "Abusive")),
    ("netifier", ("train.csv", "test.csv"), _has("original_text", "sara")),
    ("putri2021", ("Javanese*.csv", "Sundanese*.csv"), _has("isi_tweet", "uk", "hs")),
    ("desrul2019", ("news_comments*.csv",), _has("Kalimat", "label")),
    ("suryadikara2021", ("*falsenews*.txt", "*falsenews*.tsv"), _has("tweets", "class", delimiter="\t")),
    ("turnbackhoax2024", ("*_hoax_text.csv", "categorized_hoaxes.csv", "sentiment_results.csv"), _is_turnbackhoax),
    ("hoax_headlines2024", ("data_berita*.csv",), _has("Judul Artikel", "Berita_Hoax")),
    ("pilpres2019_sentiment", ("tweet*.csv",), _has("sentimen", "tweet")),
    ("pilpres2024_candidates", ("candidate_tweets*.csv",), _has("candidate", "text", "label_silver")),
    ("jannati2018_stance", ("dataset_stance*.csv",), _has("Tokoh", "Isi Artikel", "stance final", delimiter=";")),
    ("nusax_senti_id", ("train.csv", "valid.csv", "test.csv"), _is_nusax),
    ("jsonl", ("*.jsonl", "*.ndjson"), _is_jsonl),
    ("csv", ("*.csv", "*.tsv", "*.txt"), _is_generic_csv),
]


def detect_format(path: Path) -> str:
    """Recognise a file by its header, with its file name as tie-breaker and as a hint.

    The header decides because files get renamed (train.csv is both netifier and NusaX); when
    several header tests pass, the format whose usual file name matches wins. Raises
    ValueError in Bahasa Indonesia, naming the format the file name suggests, when no header
    test passes.
    """
    path = Path(path)
    peek = _peek(path)
    matches = [(name, patterns) for name, patterns, test in _SIGNATURES if test(peek)]
    for name, patterns in matches:
        if any(fnmatch(path.name, pattern) for pattern in patterns):
            return name
    if matches:
        return matches[0][0]
    hinted = [name for name, patterns, _ in _SIGNATURES[:-2] if any(fnmatch(path.name, p) for p in patterns)]
    hint = f" Nama berkas mirip format {', '.join(hinted)}, tetapi kolomnya tidak cocok." if hinted else ""
    raise ValueError(
        f"format berkas {path.name!r} tidak dikenali.{hint} "
        f"Format yang didukung: {', '.join(FORMATS)}. Sebutkan formatnya, misalnya format=\"csv\" "
        "(perlu kolom 'text')."
    )


def _loader(name: str) -> Callable[[Path], list[Example]]:
    try:
        return FORMATS[name]
    except KeyError:
        raise ValueError(f"format {name!r} tidak dikenal; pilih salah satu: {', '.join(FORMATS)}") from None


def load_with_report(path: str | Path, format: str | None = None) -> tuple[list[Example], Skipped]:
    """Examples plus the (line, reason) of every row left out (bad rows and excluded classes)."""
    path = Path(path)
    loader = _loader(format or detect_format(path))
    skipped: Skipped = []
    if "skipped" in signature(loader).parameters:
        examples = loader(path, skipped=skipped)  # type: ignore[call-arg]
    else:
        examples = loader(path)
    return examples, skipped


def load(path: str | Path, format: str | None = None) -> list[Example]:
    """Examples from ``path``; the format is detected when not given. Skips bad rows silently
    (use load_with_report() to see them): training code wants the usable rows, not a log."""
    return load_with_report(path, format)[0]
