"""Near-copies: SimHash over normalised text, pHash over pictures, and an index that groups them.

The same poster or forwarded message posted by forty employees should be one review item.
Texts are normalised (case, accents, URLs, mentions, numbers kept, punctuation dropped), cut into
words and word pairs and reduced to a 64-bit SimHash (numpy, a batch at a time: the benchmark needs
thousands of posts a second). Pictures use the 64-bit pHash of ``imagehash``: resizing,
re-compression and small crops change a few bits, a different poster changes about half.

:class:`Index` finds, for a new signature, the closest existing group within a Hamming distance:
signatures are cut into ``bands`` bands, and any group sharing one band exactly is a candidate
(pigeonhole: with 8 bands of 8 bits every signature within 7 bits shares at least one band;
pictures, within 10 bits, use 16 bands of 4).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Iterable, Sequence

import numpy as np

TEXT_DISTANCE = 7       # bits of 64: measured by benchmarks/near_duplicates.py
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


def simhashes(texts: Sequence[str]) -> list[int | None]:
    """64-bit SimHash of each text; None for texts too short to group."""
    result: list[int | None] = [None] * len(texts)
    hashes, owners = [], []
    for i, text in enumerate(texts):
        words = normalise(text)
        if len(words) < MIN_WORDS:
            continue
        h = _shingle_hashes(words)
        hashes.append(h)
        owners.append(np.full(len(h), i, dtype=np.int64))
    if not hashes:
        return result
    all_hashes = np.concatenate(hashes)
    owner = np.concatenate(owners)
    bits = np.unpackbits(all_hashes.view(np.uint8).reshape(-1, 8), axis=1, bitorder="little")
    signed = bits.astype(np.int32) * 2 - 1
    rows = np.unique(owner)
    index = np.searchsorted(rows, owner)
    totals = np.zeros((len(rows), 64), dtype=np.int32)
    np.add.at(totals, index, signed)
    packed = np.packbits(totals > 0, axis=1, bitorder="little").view(np.uint64).ravel()
    for row, value in zip(rows.tolist(), packed.tolist()):
        result[row] = int(value)
    return result


def phash(image) -> int:
    """64-bit perceptual hash of a PIL image (imagehash.phash)."""
    import imagehash

    return int(str(imagehash.phash(image)), 16)


def hamming(a: int, b: int) -> int:
    return (a ^ b).bit_count()


def to_hex(value: int) -> str:
    return f"{value:016x}"


@dataclass
class Index:
    """Group signatures by nearest neighbour within ``distance`` bits (see module doc)."""

    distance: int
    bands: int = 0      # 0: the fewest of 8/16/32 that exceed ``distance`` (fewer bands, fewer candidates)
    _buckets: list[dict[int, list[int]]] = field(default_factory=list)
    _signatures: dict[int, int] = field(default_factory=dict)   # group id -> signature

    def __post_init__(self) -> None:
        if not self.bands:
            self.bands = next((b for b in (8, 16, 32) if b > self.distance), 64)
        if self.distance >= self.bands or 64 % self.bands:
            raise ValueError(f"distance {self.distance} needs more than {self.bands} bands")
        self._buckets = [{} for _ in range(self.bands)]
        self._width = 64 // self.bands
        self._mask = (1 << self._width) - 1

    def _keys(self, signature: int) -> Iterable[tuple[int, int]]:
        for band in range(self.bands):
            yield band, (signature >> (band * self._width)) & self._mask

    def add(self, group_id: int, signature: int) -> None:
        self._signatures[group_id] = signature
        for band, key in self._keys(signature):
            self._buckets[band].setdefault(key, []).append(group_id)

    def remove(self, group_id: int) -> None:
        signature = self._signatures.pop(group_id)
        for band, key in self._keys(signature):
            bucket = self._buckets[band].get(key, [])
            if group_id in bucket:
                bucket.remove(group_id)

    def nearest(self, signature: int) -> tuple[int, int] | None:
        """(group id, distance) of the closest group within the distance, or None."""
        best: tuple[int, int] | None = None
        seen: set[int] = set()
        for band, key in self._keys(signature):
            for group_id in self._buckets[band].get(key, ()):
                if group_id in seen:
                    continue
                seen.add(group_id)
                d = hamming(signature, self._signatures[group_id])
                if d <= self.distance and (best is None or d < best[1] or (d == best[1] and group_id < best[0])):
                    best = (group_id, d)
        return best

    def __len__(self) -> int:
        return len(self._signatures)


def group(signatures: Sequence[int | None], *, distance: int) -> list[int | None]:
    """Group label per item (the index of its group's first item), None for ungroupable items.

    Each item joins the nearest earlier group within ``distance`` of that group's first
    signature, or starts its own; the same rule the store applies as copies arrive.
    """
    index = Index(distance)
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
