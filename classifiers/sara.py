"""SARA rules: ethnic, religious and group slurs aimed at someone, beside the hate model.

Why rules: around elections hate is written with a small, stable vocabulary ("cina kafir",
"penista agama", "antek aseng", "PKI", "kadrun", "cebong") that public hate corpora barely
contain, so a model trained on them misses it (issue 21). A rule names the word and its span,
so the reviewer sees exactly why a post was flagged.

A slur only counts when it is aimed: near a name, a pronoun, a group noun or an insulting
opener ("dasar", "si", "para"). Counter-speech and reporting damp it: "jangan sebut orang
kafir", "stop ujaran kebencian", a slur in quotes that the post condemns, or news that
someone was reported for saying it. Damped hits stay in the result (for the explanation) but
do not flag.

Codes follow monitor/cases/codes.py: H2 for hatred of ethnicity, religion, race or group,
H1 when the target is the state or the government.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from .rules import RuleHit


def _p(text: str) -> re.Pattern[str]:
    return re.compile(text, re.IGNORECASE | re.UNICODE)


#: A SARA hit has the shape of a partisan rule hit (rule id, proposed code, weight, span,
#: matched text, description), so explanations and the dashboard show both the same way.
SaraHit = RuleHit


@dataclass(frozen=True)
class SaraResult:
    score: float                      # strongest undamped hit weight, 0 when none
    hits: tuple[SaraHit, ...]         # aimed slurs that count
    damped: tuple[SaraHit, ...]       # slurs inside counter-speech or reporting
    code: str | None = None

    @property
    def fired(self) -> bool:
        return bool(self.hits)


@dataclass(frozen=True)
class _Rule:
    id: str
    weight: float
    pattern: re.Pattern[str]
    description: str
    needs_target: bool   # the slur alone is ambiguous ("kafir" in a sermon, "kampret" as a curse)
    groups_only: bool = False  # "anjing lu" is an insult (abusive); "mereka anjing" about a group is hate


_GROUPS = (r"cina|china|cokin|tionghoa|aseng|asing|arab|yahudi|kristen|katolik|nasrani|islam|muslim|muslimin|hindu|buddha|budha"
           r"|syiah|ahmadiyah|wahabi|papua|jawa|batak|madura|dayak|bugis|minang|padang|sunda|ambon|keturunan|pribumi|etnis|suku|ras"
           r"|agama|umat|kaum|golongan|pendukung|pendukungnya|relawan|kubu|barisan|pasukan|gerombolan|kelompok|orang|org|warga")
_PRONOUNS = r"dia|doi|kamu|km|lu|lo|loe|elu|elo|kau|engkau|mereka|kalian|kalean|sampeyan|koe|kowe|maneh|aing|ente|antum|beliau"
_OPENERS = r"dasar|si|sang|para|kaum|dasar\s+si|emang|memang|dsr"
_OFFICES = (r"calon|paslon|capres|cawapres|cagub|cabup|cawalkot|gubernur|bupati|wali\s*kota|walikota|presiden|pemimpin|pejabat"
            r"|menteri|ketua|pak|bu|bapak|ibu|bang|mas|mbak|kang|teh|bro|rezim|pemerintah|penguasa|partai")
_TARGET = _p(rf"(?<!\w)(?:{_GROUPS}|{_PRONOUNS}|{_OPENERS}|{_OFFICES}|@\w+)(?!\w)")
_GROUP_TARGET = _p(rf"(?<!\w)(?:{_GROUPS}|mereka|kalian|kalean|{_OFFICES})(?!\w)")
_STATE = _p(r"(?<!\w)(?:rezim|pemerintah|penguasa|negara|presiden|istana|menteri|pejabat|dpr|polisi|aparat|nkri)(?!\w)")

# Insulting words for a faith, an ethnicity or a race. Bare "cina" is the ordinary word for
# Chinese and is not here: it counts only with one of these ("cina kafir", "dasar cina babi").
_SLURS = _p(r"(?<!\w)(?:kafir|kapir|kafirun\s+laknat|cokin|aseng|asing\s+aseng|cina\s+(?:babi|kafir|komunis|bangsat|laknat|anjing)"
            r"|china\s+(?:babi|kafir|komunis)|onta|unta\s+gurun|kadal\s+gurun|arab\s+gurun|keling|negro|monyet\s+papua"
            r"|papua\s+monyet|sipit|murtad|munafik|sesat|syiah\s+sesat|ahmadiyah\s+sesat|wahabi\s+sesat|kristen\s+radikal"
            r"|islam\s+radikal|islam\s+teroris|teroris\s+berjubah|sumbu\s+pendek|domba\s+tersesat)(?!\w)")
# Words that make people into animals, dirt or devils, when aimed at a group or a person.
_DEHUMANISING = _p(r"(?<!\w)(?:babi|monyet|kera|anjing|asu|tikus|kecoa|lintah|cacing|binatang|hewan|setan|iblis|najis|sampah"
                   r"|kotoran|parasit|virus|hama|penyakit\s+masyarakat|laknat|terkutuk)(?!\w)")
_ACCUSATIONS = _p(r"(?<!\w)(?:penista\s+(?:agama|islam|al-?quran|ulama)|penoda\s+agama|penghina\s+(?:agama|ulama|islam|nabi)"
                  r"|antek\s+(?:asing|aseng|cina|china|pki|komunis|yahudi|zionis|amerika|barat|aseng2)|antek2\s+\w+"
                  r"|kacung\s+(?:asing|aseng|cina|china|yahudi)|budak\s+(?:asing|aseng|cina|china|yahudi)"
                  r"|(?:anak|cucu|keturunan|kader|simpatisan|antek|antek-antek|neo|gaya\s+baru|dasar)\s*-?\s*pki"
                  r"|pki\s+gaya\s+baru|(?:dia|itu|adalah|ternyata|jelas|pasti|emang|memang)\s+pki|pki\s+(?:itu|ini|sejati|tulen)"
                  r"|komunis\s+(?:terselubung|gaya\s+baru)|antek\s+pki)(?!\w)")
_CAMPS = _p(r"(?<!\w)(?:kadrun|kadruns|kadrun2|kadal\s+gurun|cebong|cebonk|cebong2|kecebong|cebonger|kampret|kampret2|kampreters"
            r"|bani\s+serbet|bani\s+taplak|bani\s+kotak|togog|kaum\s+bumi\s+datar|buzzerp|buzzer\s+rp|kodok|kaum\s+bipang)(?!\w)")
# Words that are almost only ever insults of the camps; the rest ("kampret" is also a curse,
# "kodok" a frog) need a target.
_CAMP_ALWAYS = frozenset({"kadrun", "kadruns", "kadrun2", "cebong", "cebonk", "cebong2", "kecebong", "cebonger", "kampret2",
                          "kampreters", "bani serbet", "bani taplak", "buzzerp"})

RULES: tuple[_Rule, ...] = (
    _Rule("sara_slur", 0.85, _SLURS, "hinaan suku, agama atau ras yang ditujukan pada orang atau kelompok", needs_target=True),
    _Rule("sara_accusation", 0.8, _ACCUSATIONS, "tuduhan yang dipakai sebagai hinaan (penista agama, PKI, antek asing/aseng)",
          needs_target=False),
    _Rule("camp_insult", 0.75, _CAMPS, "sebutan hinaan untuk kubu pendukung (kadrun, cebong, kampret)", needs_target=True),
    _Rule("dehumanising", 0.8, _DEHUMANISING, "kata yang merendahkan manusia (binatang, kotoran) ditujukan pada kelompok atau orang",
          needs_target=True, groups_only=True),
)

# Counter-speech, reporting and teaching: the slur is named to be rejected.
_COUNTER = _p(
    r"(?<!\w)(?:jangan|jgn|tidak\s+boleh|tak\s+boleh|gak\s+boleh|ga\s+boleh|nggak\s+boleh|dilarang|berhenti|stop|hentikan|tolak|lawan"
    r"|hindari|ojo|aja|ulah)\s+(?:\w+\s+){0,3}?(?:sebut|menyebut|panggil|memanggil|bilang|ngatain|mengatai|katain|cap|mencap|labeli"
    r"|melabeli|sebar|menyebar|pakai|memakai|gunakan|menggunakan|ujaran|hina|menghina|kata|istilah|julukan|saling)"
    r"|(?:stop|hentikan|lawan|tolak|laporkan|cegah|perangi)\s+(?:ujaran\s+kebencian|hate\s*speech|rasisme|sara|politik\s+identitas|fitnah)"
    r"|ujaran\s+kebencian|hate\s*speech|(?:tidak|tak|gak|ga|bukan)\s+(?:pantas|etis|baik|layak|benar)|rasis(?:me)?\b|memecah\s+belah"
    r"|dilaporkan|melaporkan|dipolisikan|ditangkap|tersangka|divonis|dijerat|diperiksa|mengecam|kecaman|dikecam|menyesalkan"
    r"|(?:disebut|dicap|dituduh|dituding|dijuluki|dikatai|dilabeli)\s|istilah|julukan|label|minta\s+maaf"
    r"|(?:bukan|tidak|gak|ga|nggak)\s+(?:\w+\s+)?(?:pki|kafir|antek|penista|kadrun|cebong|kampret)"
    r"|sejarah|g\s*-?\s*30\s*-?\s*s|gestapu|pemberontakan|museum|film|buku|monumen|tragedi|peristiwa\s+1965|1948|madiun"
)
_REACH = 40         # characters between a slur and its target
_COUNTER_REACH = 90  # characters between a slur and the counter-speech that names it
_SENTENCE_END = re.compile(r"[.!?\n]")


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around a span: counter-speech in another sentence does not damp a slur."""
    left = max((m.end() for m in _SENTENCE_END.finditer(text, 0, start)), default=0)
    right = _SENTENCE_END.search(text, end)
    return left, right.start() if right else len(text)


class SaraRules:
    """Apply the SARA rules; ``names`` are extra targets (candidates from the registry)."""

    def __init__(self, names: Iterable[str] = ()) -> None:
        names = sorted({n.lower() for n in names if len(n) >= 3}, key=len, reverse=True)
        self._names = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(n) for n in names) + r")(?!\w)", re.IGNORECASE) if names else None

    def _aimed(self, text: str, start: int, end: int, *, groups_only: bool = False) -> bool:
        window_start, window_end = max(0, start - _REACH), min(len(text), end + _REACH)
        for pattern in (_GROUP_TARGET if groups_only else _TARGET, self._names):
            if pattern is None:
                continue
            for match in pattern.finditer(text, window_start, window_end):
                if match.end() <= start or match.start() >= end:   # not the slur itself ("kaum sumbu pendek")
                    return True
        return False

    def _countered(self, text: str, start: int, end: int) -> bool:
        left, right = _sentence_bounds(text, start, end)
        left, right = max(left, start - _COUNTER_REACH), min(right, end + _COUNTER_REACH)
        if _COUNTER.search(text, left, right):
            return True
        # A slur between quote marks is being quoted, which reporting and condemnation do.
        before, after = text[max(0, start - 1):start], text[end:end + 1]
        return before in {'"', "“", "'", "‘"} and after in {'"', "”", "'", "’"}

    def apply(self, text: str) -> SaraResult:
        if _PREFILTER.search(text.lower()) is None:   # one cheap pass rejects almost every post
            return _NOTHING
        hits: list[SaraHit] = []
        damped: list[SaraHit] = []
        for rule in RULES:
            for match in rule.pattern.finditer(text):
                start, end = match.span()
                matched = match.group(0)
                needs_target = rule.needs_target and not (rule.id == "camp_insult" and matched.lower() in _CAMP_ALWAYS)
                if needs_target and not self._aimed(text, start, end, groups_only=rule.groups_only):
                    continue
                code = "H1" if _STATE.search(text, max(0, start - _REACH), min(len(text), end + _REACH)) else "H2"
                hit = SaraHit(rule.id, code, rule.weight, (start, end), matched, rule.description)
                (damped if self._countered(text, start, end) else hits).append(hit)
        if not hits and not damped:
            return _NOTHING
        hits.sort(key=lambda h: h.span)
        top = max(hits, key=lambda h: h.weight, default=None)
        return SaraResult(top.weight if top else 0.0, tuple(hits), tuple(damped), top.code if top else None)


_NOTHING = SaraResult(0.0, (), ())
#: Word starts every rule needs one of (lower-case, no flags, no look-behind: ~5x faster than
#: running the rules). Keep in step with the patterns above; the positives of tests/test_sara.py pass through it.
_PREFILTER = re.compile(r"\b(?:kafir|kapir|cokin|aseng|asing|cina|china|onta|unta|kadal|arab|keling|negro|monyet|papua|sipit"
                        r"|murtad|munafik|sesat|syiah|ahmadiyah|wahabi|kristen|islam|teroris|sumbu|domba|babi|kera|anjing|asu"
                        r"|tikus|kecoa|lintah|cacing|binatang|hewan|setan|iblis|najis|sampah|kotoran|parasit|virus|hama"
                        r"|penyakit|laknat|terkutuk|penista|penoda|penghina|antek|kacung|budak|pki|komunis|kadrun"
                        r"|cebon|kecebong|kampret|bani|togog|bumi|bipang|buzzer|kodok)")

__all__ = ["RULES", "SaraHit", "SaraResult", "SaraRules"]
