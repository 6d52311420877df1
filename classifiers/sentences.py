"""Split long Indonesian social-media posts into sentences or word windows.

Why: a TF-IDF vector of a long Facebook post averages its one hateful sentence with three
paragraphs of ordinary politics, so the hate score drowns (issue 21). Scoring each sentence
and keeping the strongest finds it again. Social-media text rarely punctuates the way a
sentence tokenizer expects, so the splitter also breaks on line breaks, "..." and "…",
list bullets and numbers, emoji runs, and falls back to overlapping word windows when a
stretch has no break at all. Hashtag runs stay with the sentence they end.

Segments carry their character span in the original text, so an explanation can point at
the sentence a reviewer should read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Posts no longer than this are scored whole: they are a sentence or two already, and
#: splitting them would only cost time (classification must stay >= 5,000 posts/s). Above a
#: tweet's 280: splitting tweets cost 0.006 HS F1 on ibrohim2019, and the diluted posts of
#: issue 21 are Facebook posts and descriptions.
LONG_TEXT_CHARS = 300
MAX_WORDS = 40      # a stretch longer than this without a break is cut into windows
WINDOW_WORDS = 24
WINDOW_STRIDE = 12
MIN_CHARS = 12      # shorter pieces are merged into their neighbour ("Ya.", "😡")

_EMOJI = "\U0001F300-\U0001FAFF\u2600-\u27BF\U0001F000-\U0001F2FF"
# A break: sentence punctuation followed by space, ellipses, line breaks, or an emoji run
# followed by space. A full stop between digits ("2.5") or after a one-letter or common
# abbreviation ("no.", "Pak.", "dr.") is not a break.
_BREAK = re.compile(
    r"(?:\n\s*)+"
    r"|(?:\.{2,}|…)+\s*"
    r"|(?<!\b[nN]o)(?<!\b[dD]r)(?<!\b[hH])(?<!\b[kK]h)(?<!\b[sS]t)(?<!\bdll)(?<!\bdsb)(?<!\b[A-Za-z])"
    r"[.!?]+[\"'”’)]*(?:\s+|$)"
    r"|(?<=[!?])[.!?]*\s+"
    rf"|[{_EMOJI}\uFE0F\u200D]+(?:\s+|$)"
    r"|\s+(?=(?:[-•*▪►➡✅✔]|\d{1,2}[.)])\s+\S)"  # a list item starts
)
_WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class Segment:
    """One sentence or window: its position among the segments and its span in the text."""

    index: int
    start: int
    end: int
    text: str


def _pieces(text: str) -> list[tuple[int, int]]:
    """Spans between breaks, stripped of surrounding space; empty pieces dropped."""
    spans: list[tuple[int, int]] = []
    position = 0
    for match in _BREAK.finditer(text):
        # Punctuation and emoji stay with the sentence they end; bare breaks belong to neither.
        end = match.end() if match.group(0).strip() else match.start()
        spans.append((position, end))
        position = match.end()
    spans.append((position, len(text)))
    result = []
    for start, end in spans:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            result.append((start, end))
    return result


def _merge_short(spans: list[tuple[int, int]], text: str) -> list[tuple[int, int]]:
    """Glue pieces shorter than MIN_CHARS (an emoji, "Ya.", a lone hashtag) to the one before."""
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and (end - start < MIN_CHARS or text[start] == "#"):
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    if len(merged) > 1 and merged[0][1] - merged[0][0] < MIN_CHARS:
        merged[1] = (merged[0][0], merged[1][1])
        merged.pop(0)
    return merged


def _windows(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Overlapping word windows over one unbroken stretch (no punctuation for 40+ words)."""
    words = [m.span() for m in _WORD.finditer(text, start, end)]
    if len(words) <= MAX_WORDS:
        return [(start, end)]
    result = []
    first = 0
    while True:
        last = min(first + WINDOW_WORDS, len(words))
        result.append((words[first][0], words[last - 1][1]))
        if last == len(words):
            return result
        first += WINDOW_STRIDE


def split(text: str) -> list[Segment]:
    """Every sentence (or window) of a text, in order, with spans into ``text``."""
    spans = []
    for start, end in _merge_short(_pieces(text), text):
        spans.extend(_windows(text, start, end))
    if not spans:
        return []
    return [Segment(i, s, e, text[s:e]) for i, (s, e) in enumerate(spans)]


def segments_for_scoring(text: str, *, min_length: int = LONG_TEXT_CHARS) -> list[Segment]:
    """Segments of a long text worth scoring apart; empty for short or single-sentence texts."""
    if len(text) <= min_length:
        return []
    segments = split(text)
    return segments if len(segments) > 1 else []


__all__ = ["LONG_TEXT_CHARS", "Segment", "segments_for_scoring", "split"]
