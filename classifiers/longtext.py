"""Scoring long posts sentence by sentence, so one hateful sentence is not averaged away.

Why: a long post's TF-IDF vector dilutes its one hateful sentence among paragraphs of
ordinary politics (issue 21). For texts above ``sentences.LONG_TEXT_CHARS`` every sentence
(or word window) is scored too, all sentences of a batch vectorised at once, and the
post's score for a label is the strongest of its document score and its sentence scores.
The document score is kept, and the explanation names the sentence that won.

Only labels whose evidence is local (a slur, an insult) are scored this way: partisan and
hoax are judged on the whole post. Not every sentence may speak for its post: one with fewer
than ``MIN_WORDS`` words (a link, "@user mundur.", a hashtag line) has too few features for its
score to mean anything, and one that condemns or reports hate is counter-speech. Both still
count in the document score; the sentence floor itself is ``LabelModel.sentence_floor``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Sequence

import re

import numpy as np
from scipy import sparse

from .counterspeech import counter_speech
from .hostility import hostile
from .sentences import LONG_TEXT_CHARS, Segment, segments_for_scoring
from .spelling import fold

#: Labels scored per sentence as well as per document.
SEGMENT_LABELS = frozenset({"hate", "abusive"})
MIN_WORDS = 4   # words (not links, mentions, hashtags or numbers) a sentence needs to speak alone
_WORD = re.compile(r"(?<![@#\w])[^\W\d_]{2,}")
_LINK = re.compile(r"\S*(?:https?://|www\.)\S*")


def speaks_alone(text: str) -> bool:
    """May this sentence's own score stand for its post? Enough words, and not counter-speech."""
    return len(_WORD.findall(_LINK.sub(" ", text))) >= MIN_WORDS and not counter_speech(fold(text))


@dataclass
class SegmentScores:
    """The sentences of the long texts of one batch, their features, and which sentence won."""

    owners: np.ndarray                    # document index of each segment
    segments: list[Segment]
    features: sparse.csr_matrix | None
    best: dict[str, dict[int, int]] = field(default_factory=dict)       # label -> document -> segment
    document: dict[str, np.ndarray] = field(default_factory=dict)       # label -> document decision
    totals: dict[int, int] = field(default_factory=dict)                # document -> all its sentences
    hostile: np.ndarray | None = None                                   # segment has a hostile word

    @classmethod
    def of(cls, texts: Sequence[str], featurize: Callable[[list[str]], sparse.csr_matrix], *,
           min_length: int = LONG_TEXT_CHARS) -> "SegmentScores":
        owners: list[int] = []
        segments: list[Segment] = []
        totals: dict[int, int] = {}
        for i, text in enumerate(texts):
            if len(text) > min_length:   # the cheap test first: most posts are short
                pieces = segments_for_scoring(text, min_length=min_length)
                totals[i] = len(pieces)
                for segment in pieces:
                    if speaks_alone(segment.text):
                        owners.append(i)
                        segments.append(segment)
        features = featurize([s.text for s in segments]) if segments else None
        return cls(np.asarray(owners, dtype=int), segments, features, totals=totals,
                   hostile=np.array([hostile(fold(s.text)) for s in segments], dtype=bool))

    def strongest(self, label: str, decision: Callable[[sparse.csr_matrix], np.ndarray],
                  document: np.ndarray, *, floor: float = -np.inf, unreasoned_floor: float | None = None) -> np.ndarray:
        """Per document, the larger of its own decision score and its best sentence's.

        A sentence counts only above ``floor``: the best of five sentences is the maximum of
        five noisy scores, so a bare threshold made most long neutral posts "hateful". A sentence
        with no hostile word must reach ``unreasoned_floor`` (default: ``floor``) instead.
        """
        if self.features is None or label not in SEGMENT_LABELS:
            return document
        self.document[label] = document
        combined = document.copy()
        best: dict[int, int] = {}
        floors = np.where(self.hostile, floor, floor if unreasoned_floor is None else unreasoned_floor)
        for index, score in enumerate(decision(self.features)):
            owner = int(self.owners[index])
            if score > combined[owner] and score >= floors[index]:
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
                "of": self.totals.get(document, 0),
                "document_decision": round(float(self.document[label][document]), 4)}


__all__ = ["MIN_WORDS", "SEGMENT_LABELS", "SegmentScores", "speaks_alone"]
