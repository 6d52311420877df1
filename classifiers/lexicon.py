"""Word lists for the lexicon rules, compiled once into a regex and a set of trigger words.

Why: the rules run on every post the classifier sees (>= 5,000 posts/s on two cores). Running
a dozen regexes with look-behinds over every post cost a third of classification time; most
posts contain none of the words. A post's words are split once, and a rule's regex runs only
when they meet the rule's trigger words (one ``frozenset.isdisjoint`` call).

A phrase is written as plain folded words ("penista agama"); spaces match spaces or hyphens,
every phrase also matches its reduplicated or plural form ("kafir2", "babi-babi") and a
doubled last letter ("kafirr", "cebongg"; longer runs are folded by classifiers.spelling).
The trigger of a phrase is its word marked with ``*`` ("dasar *sipit"), else its longest word:
a phrase can only match in a post that contains its trigger.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

_WORDS = re.compile(r"[a-z]+")


def words(folded_text: str) -> list[str]:
    """The letter runs of a folded text ("cebong2" gives "cebong"), for trigger tests. A list:
    ``frozenset.isdisjoint`` takes one, and building a set per post cost more than the test."""
    return _WORDS.findall(folded_text)


@dataclass(frozen=True)
class Lexicon:
    """A compiled list of phrases: ``pattern`` finds them, ``triggers`` say when to look."""

    pattern: re.Pattern[str]
    triggers: frozenset[str]
    phrases: tuple[str, ...]

    def may_match(self, post_words: Iterable[str]) -> bool:
        return not self.triggers.isdisjoint(post_words)


def lexicon(phrases: Iterable[str]) -> Lexicon:
    """Compile phrases (see the module docstring) into a :class:`Lexicon`."""
    clean: list[str] = []
    triggers: set[str] = set()
    for phrase in phrases:
        tokens = phrase.split()
        marked = [t[1:] for t in tokens if t.startswith("*")]
        tokens = [t.lstrip("*") for t in tokens]
        trigger = marked[0] if marked else max(tokens, key=len)
        if not _WORDS.fullmatch(trigger):
            raise ValueError(f"trigger {trigger!r} of {phrase!r} must be letters only")
        triggers.add(trigger)
        if trigger == tokens[-1]:
            triggers.add(trigger + trigger[-1])   # "kafirr"
        clean.append(" ".join(tokens))
    unique = sorted(set(clean), key=len, reverse=True)   # longest first: "cina kafir" before "cina"
    body = "|".join(r"[\s-]+".join(re.escape(t) for t in p.split()) + "+" for p in unique)
    pattern = re.compile(rf"(?<!\w)(?:{body})(?:2|-[a-z]+)?(?!\w)")
    return Lexicon(pattern, frozenset(triggers), tuple(unique))


__all__ = ["Lexicon", "lexicon", "words"]
