"""Near-copies: MinHash over normalised text, pHash over pictures, and indexes that group them.

The same poster or forwarded message posted by forty employees should be one review item.
Texts are normalised (case, accents, URLs, punctuation dropped; numbers kept), cut into words
and word pairs and reduced to a 64-value MinHash (numpy, a batch at a time: the benchmark needs
thousands of posts a second); :class:`TextIndex` finds the most similar group through LSH
bands. A 64-bit SimHash (word 3-grams, 7-bit threshold) was measured first on the benchmark's
10,000-post set and found half the copy pairs (pair recall 0.50; one replaced word in a
20-word message moved 5-11 bits) at 1,700 posts/s; MinHash found 0.98 at 5,800 posts/s.
Pictures use the 64-bit pHash of ``imagehash``: resizing, re-compression and small crops change
a few bits, a different poster changes about half.

:class:`Index` finds, for a new pHash, the closest existing group within a Hamming distance:
signatures are cut into ``bands`` bands, and any group sharing one band exactly is a candidate
(pigeonhole: with 8 bands of 8 bits every signature within 7 bits shares at least one band;
pictures, within 10 bits, use 16 bands of 4).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import Any, Iterable, Iterator, Sequence

import numpy as np

TEXT_SIMILARITY = 0.5   # estimated Jaccard of words + word pairs: measured by benchmarks/near_duplicates.py
IMAGE_DISTANCE = 10     # pHash bits of 64 (imagehash's docs use 10 for "same picture")
MIN_WORDS = 6           # shorter texts ("mantap pak", "setuju") are not grouped: too many unrelated copies

_URL = re.compile(r"https?://\S+|www\.\S+")
_NON_WORD = re.compile(r"[^\w@#]+")


def normalise(text: str) -> list[str]:
    """Words of ``text`` for comparison: lower case, no accents, no URLs or punctuation."""
    text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode("ascii").lower()
    text = _URL.sub(" ", text)
    return [w for w in _NON_WORD.sub(" ", text).split() if w]


def _shingle_hashes(words: Sequence[str]) -> np.ndarray:
    # Words and word pairs: a changed word moves 3 of ~2n features (with 3-grams it moved 3 of n,
    # and one edit in a 20-word message cost 11 bits).
    grams = [*words, *(f"{a} {b}" for a, b in zip(words, words[1:]))]
    digest = b"".join(hashlib.blake2b(g.encode("utf-8"), digest_size=8).digest() for g in grams)
    return np.frombuffer(digest, dtype=np.uint64)


def _features(text: str) -> np.ndarray | None:
    words = normalise(text)
    if len(words) < MIN_WORDS:
        return None
    grams = [*words, *(f"{a} {b}" for a, b in zip(words, words[1:]))]
    digest = b"".join(hashlib.blake2b(g.encode("utf-8"), digest_size=8).digest() for g in set(grams))
    return np.frombuffer(digest, dtype=np.uint64)


def _batched(texts: Sequence[str]) -> tuple[list[int], np.ndarray, np.ndarray]:
    """Rows that have features, all feature hashes, and where each row's features start."""
    rows, chunks = [], []
    for i, text in enumerate(texts):
        features = _features(text)
        if features is not None:
            rows.append(i)
            chunks.append(features)
    if not chunks:
        return [], np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64)
    starts = np.cumsum([0] + [len(c) for c in chunks[:-1]])
    return rows, np.concatenate(chunks), starts


# MinHash over the same features: 64 values of 32 bits from (a*x + b) mod 2**61-1 style mixing.
PERMUTATIONS = 64
_MIX = np.random.default_rng(17).integers(1, 2**61 - 1, size=(2, PERMUTATIONS), dtype=np.uint64)
_MIX[0] |= np.uint64(1)  # odd multipliers: a bijection modulo 2**64


def minhashes(texts: Sequence[str]) -> list[np.ndarray | None]:
    """A MinHash signature (64 uint32) of each text's words and word pairs; None when too short.

    Vectorised per batch: every feature hash is mixed by 64 multiply-add permutations (wrapping
    64-bit arithmetic, top 32 bits kept) and each post keeps the minimum per permutation.
    """
    result: list[np.ndarray | None] = [None] * len(texts)
    rows, hashes, starts = _batched(texts)
    if not rows:
        return result
    with np.errstate(over="ignore"):
        mixed = (hashes[:, None] * _MIX[0][None, :] + _MIX[1][None, :]) >> np.uint64(32)
    minima = np.minimum.reduceat(mixed.astype(np.uint32), starts, axis=0)
    for row, signature in zip(rows, minima):
        result[row] = signature
    return result


def signature_hex(signature: np.ndarray) -> str:
    return signature.astype("<u4").tobytes().hex()


def signature_from_hex(text: str) -> np.ndarray:
    return np.frombuffer(bytes.fromhex(text), dtype="<u4").astype(np.uint32)


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of two MinHash signatures."""
    return float(np.count_nonzero(a == b)) / len(a)


class _Banded:
    """Signatures filed by band, so candidates are those sharing one band exactly."""

    def __init__(self, bands: int) -> None:
        self.bands = bands
        self._buckets: list[dict] = [{} for _ in range(bands)]
        self._signatures: dict[int, Any] = {}

    def _keys(self, signature) -> Iterable[tuple[int, Any]]:
        raise NotImplementedError

    def add(self, key: int, signature) -> None:
        self._signatures[key] = signature
        for band, bucket in self._keys(signature):
            self._buckets[band].setdefault(bucket, []).append(key)

    def remove(self, key: int) -> None:
        signature = self._signatures.pop(key)
        for band, bucket in self._keys(signature):
            found = self._buckets[band].get(bucket, [])
            if key in found:
                found.remove(key)

    def candidates(self, signature) -> Iterator[tuple[int, Any]]:
        """(key, signature) of every stored signature sharing a band with this one, once each."""
        seen: set[int] = set()
        for band, bucket in self._keys(signature):
            for key in self._buckets[band].get(bucket, ()):
                if key not in seen:
                    seen.add(key)
                    yield key, self._signatures[key]

    def __len__(self) -> int:
        return len(self._signatures)


class TextIndex(_Banded):
    """Nearest group by MinHash similarity, found through LSH bands (``bands`` x ``rows``).

    With 16 bands of 4 values, pairs of Jaccard 0.5 become candidates with probability 0.64,
    0.6 with 0.88 and 0.7 with 0.99; candidates are then checked against ``threshold``.
    ``nearest`` reports distance as the percentage of differing values (0 = same text).
    """

    def __init__(self, threshold: float = 0.5, *, bands: int = 16, rows: int = 4) -> None:
        if bands * rows > PERMUTATIONS:
            raise ValueError(f"{bands} bands x {rows} rows need more than {PERMUTATIONS} values")
        super().__init__(bands)
        self.threshold = threshold
        self.rows = rows

    def _keys(self, signature: np.ndarray) -> Iterable[tuple[int, bytes]]:
        data = signature.tobytes()
        width = 4 * self.rows
        for band in range(self.bands):
            yield band, data[band * width:(band + 1) * width]

    def nearest(self, signature: np.ndarray) -> tuple[int, int] | None:
        best: tuple[int, float] | None = None
        for key, other in self.candidates(signature):
            score = similarity(signature, other)
            if score >= self.threshold and (best is None or score > best[1]):
                best = (key, score)
        return None if best is None else (best[0], round((1 - best[1]) * 100))


def phash(image) -> int:
    """64-bit perceptual hash of a PIL image (imagehash.phash)."""
    import imagehash

    return int(str(imagehash.phash(image)), 16)


def hamming(a: int, b: int) -> int:
    return (a ^ b).bit_count()


def to_hex(value: int) -> str:
    return f"{value:016x}"


class Index(_Banded):
    """Group signatures by nearest neighbour within ``distance`` bits (see module doc)."""

    def __init__(self, distance: int, *, bands: int = 0) -> None:
        # bands 0: the fewest of 8/16/32 that exceed ``distance`` (fewer bands, fewer candidates)
        bands = bands or next((b for b in (8, 16, 32) if b > distance), 64)
        if distance >= bands or 64 % bands:
            raise ValueError(f"distance {distance} needs more than {bands} bands")
        super().__init__(bands)
        self.distance = distance
        self._width = 64 // bands
        self._mask = (1 << self._width) - 1

    def _keys(self, signature: int) -> Iterable[tuple[int, int]]:
        for band in range(self.bands):
            yield band, (signature >> (band * self._width)) & self._mask

    def nearest(self, signature: int) -> tuple[int, int] | None:
        """(group id, distance) of the closest group within the distance, or None."""
        best: tuple[int, int] | None = None
        for key, other in self.candidates(signature):
            d = hamming(signature, other)
            if d <= self.distance and (best is None or d < best[1] or (d == best[1] and key < best[0])):
                best = (key, d)
        return best


def group(signatures: Sequence, *, index: "Index | TextIndex") -> list[int | None]:
    """Group label per item (the index of its group's first item), None for ungroupable items.

    Each item joins the nearest earlier group (compared with that group's first signature), or
    starts its own: the same rule the store applies as copies arrive.
    """
    labels: list[int | None] = []
    for i, signature in enumerate(signatures):
        if signature is None:
            labels.append(None)
            continue
        found = index.nearest(signature)
        if found is None:
            index.add(i, signature)
            labels.append(i)
        else:
            labels.append(found[0])
    return labels
