"""Scoring long posts sentence by sentence, so one hateful sentence is not averaged away.

Why: a long post's TF-IDF vector dilutes its one hateful sentence among paragraphs of
ordinary politics (issue 21). For texts above ``sentences.LONG_TEXT_CHARS`` every sentence
(or word window) is scored too, all sentences of a batch vectorised at once, and the
post's score for a label is the strongest of its document score and its sentence scores.
The document score is kept, and the explanation names the sentence that won.

Only labels whose evidence is local (a slur, an insult) are scored this way: partisan and
hoax are judged on the whole post.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Sequence

import numpy as np
from scipy import sparse

from .sentences import LONG_TEXT_CHARS, Segment, segments_for_scoring

#: Labels scored per sentence as well as per document.
SEGMENT_LABELS = frozenset({"hate", "abusive"})


@dataclass
class SegmentScores:
    """The sentences of the long texts of one batch, their features, and which sentence won."""

    owners: np.ndarray                    # document index of each segment
    segments: list[Segment]
    features: sparse.csr_matrix | None
    best: dict[str, dict[int, int]] = field(default_factory=dict)       # label -> document -> segment
    document: dict[str, np.ndarray] = field(default_factory=dict)       # label -> document decision

    @classmethod
    def of(cls, texts: Sequence[str], featurize: Callable[[list[str]], sparse.csr_matrix], *,
           min_length: int = LONG_TEXT_CHARS) -> "SegmentScores":
        owners: list[int] = []
        segments: list[Segment] = []
        for i, text in enumerate(texts):
            if len(text) > min_length:   # the cheap test first: most posts are short
                for segment in segments_for_scoring(text, min_length=min_length):
                    owners.append(i)
                    segments.append(segment)
        features = featurize([s.text for s in segments]) if segments else None
        return cls(np.asarray(owners, dtype=int), segments, features)

    def strongest(self, label: str, decision: Callable[[sparse.csr_matrix], np.ndarray],
                  document: np.ndarray, *, floor: float = -np.inf) -> np.ndarray:
        """Per document, the larger of its own decision score and its best sentence's.

        A sentence counts only above ``floor``: the best of five sentences is the maximum of
        five noisy scores, so a bare threshold made most long neutral posts "hateful".
        """
        if self.features is None or label not in SEGMENT_LABELS:
            return document
        self.document[label] = document
        combined = document.copy()
        best: dict[int, int] = {}
        for index, score in enumerate(decision(self.features)):
            owner = int(self.owners[index])
            if score > combined[owner] and score >= floor:
                combined[owner] = score
                best[owner] = index
        self.best[label] = best
        return combined

    def feature_rows(self, label: str, features: sparse.csr_matrix, rows: list[int]) -> tuple[sparse.csr_matrix, list[int]]:
        """A matrix and row numbers in it where each flagged document's winning row is found."""
        best = self.best.get(label)
        if not best or self.features is None:
            return features, rows
        offset = features.shape[0]
        return sparse.vstack([features, self.features], format="csr"), [offset + best[r] if r in best else r for r in rows]

    def describe(self, label: str, document: int) -> dict | None:
        """The winning sentence of a document for the explanation, with the document's own score."""
        index = self.best.get(label, {}).get(document)
        if index is None:
            return None
        segment = self.segments[index]
        return {"index": segment.index, "span": [segment.start, segment.end], "text": segment.text,
                "of": int(np.count_nonzero(self.owners == document)),
                "document_decision": round(float(self.document[label][document]), 4)}


__all__ = ["SEGMENT_LABELS", "SegmentScores"]
