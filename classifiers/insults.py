"""Insult rules: profanity and insults aimed at a person, beside the abusive model (code A1).

Why: the hate posts the model misses on other corpora are often plain insults of a person
("cupu lo", "dasar bangsat", "cocot lu", "otak udang"), spelled as really written ("g0bl0k",
"anjiing", "bgst"). A model trained on news comments and regional-language tweets has seen few
of them, a lexicon has them all, and a hit names the word the reviewer should look at.

Two kinds of word: profanity that has no innocent meaning ("bangsat", "goblok", "kontol")
counts on its own; words that are also ordinary ("anjing" is a dog, "babi" livestock,
"kampret" a bat, "bodoh" said of oneself) count only when aimed at someone: a pronoun of the
second or third person or a crowd addressed ("kalian", "pendukung"), a name from the registry
or a capitalised one right before, an office, or "dasar"/"si" before it. Quoting, condemning and reporting damp a hit as for the SARA rules.
"""

from __future__ import annotations

from dataclasses import dataclass

from .counterspeech import countered
from .rules import RuleHit
from .lexicon import Lexicon, lexicon
from .sara import DEHUMANISING_WORDS, SaraResult, SaraRules
from .spelling import Folded, fold

#: Profanity that is never innocent.
PROFANITY = lexicon(
    "bangsat bangsad bangst bgst bajingan bjingan keparat brengsek bangke goblok goblog gblk goblk gblg tolol tlol kontol kntl "
    "memek mmk ngentot ngentod ngewe jancok jancuk jancik dancok diancuk pantek pukimak pepek jembut lonte pelacur perek "
    "jablay bacot bacod cocot congor ndasmu asw anjg ajg anjeng anjink njing anjrit taik taek kampang kimak sundal "
    "sontoloyo kacrut kunyuk sompret".split()
    + ["kurang *ajar", "otak *udang", "otak *dengkul", "*otak kosong", "iq *jongkok", "iq *sekolam", "planga *plongo",
       "plonga *plongo"])
#: Insults that are also ordinary words ("anjing" is a dog, "bodoh" said of oneself): aimed only.
AIMED_INSULTS = lexicon(
    list(DEHUMANISING_WORDS)
    + "kampret celeng bego geblek bodoh dungu idiot bloon oon pekok koplak dongo dongok sinting gila edan sarap budek udik kampungan "
      "cupu sialan banci bencong cacingan pembohong pendusta penjilat munafik tai tahi pecundang bejat biadab kacung "
      "badut dajjal bangkai budeg bolot homo katrok autis picik gembel jongos culun norak asbun gadungan".split())

RULES: tuple[tuple[str, float, Lexicon, str, bool], ...] = (
    ("profanity", 0.7, PROFANITY, "kata kasar atau makian", False),
    ("aimed_insult", 0.7, AIMED_INSULTS, "hinaan yang ditujukan pada orang (kamu, dia, nama, jabatan)", True),
)
_TRIGGERS = PROFANITY.triggers | AIMED_INSULTS.triggers
_CODE = "A1"
_REACH = 16   # an insult sits right beside whom it insults ("goblok lu", "dia itu bodoh")


@dataclass(frozen=True)
class InsultResult(SaraResult):
    """Same shape as a SARA result: hits that count, damped ones, the strongest weight."""


class InsultRules:
    """Apply the insult rules; ``names`` are extra targets (candidates from the registry)."""

    def __init__(self, names=(), *, aim: SaraRules | None = None) -> None:
        self._aim = aim or SaraRules(names)

    def apply(self, text: str, folded: Folded | None = None) -> InsultResult:
        folded = folded or fold(text)
        post_words = folded.words
        if _TRIGGERS.isdisjoint(post_words):
            return _NOTHING
        low = folded.text
        hits: list[RuleHit] = []
        damped: list[RuleHit] = []
        for rule, weight, lexicon_, description, needs_target in RULES:
            if not lexicon_.may_match(post_words):
                continue
            for match in lexicon_.pattern.finditer(low):
                start, end = match.span()
                if needs_target and (not self._aim.aimed(low, start, end, persons_only=True, reach=_REACH,
                                                         original=(text, folded)) or self._aim.literal(low, start)):
                    continue
                original = folded.span(start, end)
                hit = RuleHit(rule, _CODE, weight, original, text[original[0]:original[1]], description)
                (damped if countered(low, start, end) else hits).append(hit)
        if not hits and not damped:
            return _NOTHING
        hits.sort(key=lambda h: h.span)
        return InsultResult(max((h.weight for h in hits), default=0.0), tuple(hits), tuple(damped), _CODE if hits else None)


_NOTHING = InsultResult(0.0, (), ())
__all__ = ["InsultResult", "InsultRules", "RULES"]
