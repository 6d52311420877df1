"""Fold the spellings slurs and insults are really written in, keeping every character's place.

Why: lexicon rules look for "kafir", "anjing", "cebong", but posts write "k4fir", "4njing",
"b@bi", "kafiiir", "cebongg" to dodge filters or to shout. Folding lower-cases, turns a digit
or symbol that stands for a letter inside a word back into the letter (4->a, 1->i, 3->e, 0->o,
5->s, 7->t, @->a, $->s) and collapses stretched letters, so one lexicon entry matches every
spelling. Numbers stay numbers ("2019", "G30S", "cebong2" keep their digits) and "@user"
stays a mention. Spans found in the folded text map back to the original, so an explanation
still highlights what the author wrote.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from .lexicon import words as _words

_LEET_MAP = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"}
# A stand-in letter: after a letter and not part of a number ("k4fir", "b@bi", "bangs4t"), or
# a word-initial 4 before two letters ("4njing", "4su").
_LEET = re.compile(r"(?<=[a-z])[013457@$](?![0-9])|(?<![\w@#])4(?=[a-z]{2})")
# Cheap gate: a stand-in digit before a letter, or "@" after one (most posts have neither).
_LEET_GATE = re.compile(r"[013457$][a-z]|[a-z]@")
# Three or more of one letter ("kafiiir", "anjiiing"). A doubled last letter ("cebongg") is left
# to the lexicon patterns, which allow it; doubled letters inside words ("saat") are spelling.
_STRETCH = re.compile(r"([a-z])\1\1+")


@dataclass(frozen=True)
class Folded:
    """The folded text and, when letters were collapsed, where each of its characters came from."""

    text: str
    starts: tuple[int, ...] | None = None   # original index of each folded character
    ends: tuple[int, ...] | None = None     # original end of each folded character

    @cached_property
    def words(self) -> list[str]:
        """The letter runs of the folded text, split once for every rule that asks."""
        return _words(self.text)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of ``text[start:end]``."""
        if self.starts is None or self.ends is None or end <= start:
            return start, end
        return self.starts[start], self.ends[end - 1]


def fold(text: str) -> Folded:
    """Lower-cased text with stand-in digits and stretched letters folded (see module docstring)."""
    lowered = text.lower()
    if len(lowered) != len(text):   # a few characters ("İ") lower-case to two: keep positions exact
        lowered = "".join(c.lower()[0] for c in text)
    if _LEET_GATE.search(lowered):
        lowered = _LEET.sub(lambda m: _LEET_MAP[m.group(0)], lowered)
    if _STRETCH.search(lowered) is None:
        return Folded(lowered)
    pieces: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    position = 0
    for match in _STRETCH.finditer(lowered):
        keep_to = match.start() + 1
        pieces.append(lowered[position:keep_to])
        starts.extend(range(position, keep_to))
        ends.extend(range(position + 1, keep_to))
        ends.append(match.end())        # the one letter kept stands for the whole run
        position = match.end()
    pieces.append(lowered[position:])
    starts.extend(range(position, len(lowered)))
    ends.extend(range(position + 1, len(lowered) + 1))
    return Folded("".join(pieces), tuple(starts), tuple(ends))


__all__ = ["Folded", "fold"]
