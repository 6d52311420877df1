"""SARA rules: ethnic, religious and group slurs aimed at someone, beside the hate model.

Why rules: around elections hate is written with a small, stable vocabulary ("cina kafir",
"penista agama", "antek aseng", "PKI", "kadrun", "cebong") that public hate corpora barely
contain, so a model trained on them misses it (issue 21). A rule names the word and its span,
so the reviewer sees exactly why a post was flagged.

Rules read folded text (classifiers.spelling: "k4fir", "kafiiir" and "KAFIR" are one word) and
a word only counts when it is aimed, in its own sentence:
- a slur that is also an ordinary word ("kafir" in a sermon, "onta" at the zoo, "sipit" about
  one's own eyes) needs a person or a group near it: a name from the registry, a pronoun, an
  office ("calon", "gubernur"), an insulting opener ("dasar", "si", "para"), a group noun;
- a dehumanising word ("babi", "tikus") must be said OF a group ("mereka itu babi semua",
  "dasar kaum babi"), not merely near one ("orang muslim tidak makan babi"); said of one
  person it is an insult, which classifiers.insults handles as abusive;
- accusations used as slurs ("penista agama", "antek aseng", "anak PKI") and the camp insults
  that are never anything else ("kadrun", "cebong") count on their own.
Counter-speech, reporting, teaching, denial and quotation damp a hit (classifiers.counterspeech):
damped hits stay in the result for the explanation but do not flag.

Codes follow monitor/cases/codes.py: H2 for hatred of ethnicity, religion, race or group,
H1 when the target is the state or the government (an insult said of the regime or the
president, a call to topple them; criticism of a policy is neither).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from .counterspeech import countered, sentence_bounds
from .lexicon import Lexicon, lexicon, words
from .rules import RuleHit
from .spelling import Folded, fold


def _p(text: str) -> re.Pattern[str]:
    return re.compile(text)


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
    lexicon: Lexicon
    description: str
    # "none": counts alone; "any": a person or group near it; "said_of_group": predicated of a
    # group; "said_of_state": said of the state or government; "state_after": followed by them.
    aim: str


# --- who a word can be aimed at (folded, lower-case text) -----------------------------------
GROUPS = (r"cina|china|cino|chindo|cokin|tionghoa|aseng|arab|yahudi|kristen|katolik|nasrani|islam|muslim|muslimin|hindu"
          r"|buddha|budha|syiah|ahmadiyah|wahabi|papua|jawa|batak|madura|dayak|bugis|minang|padang|sunda|ambon|keturunan"
          r"|pribumi|pendatang|etnis|suku|umat|kaum|golongan|pendukung|pendukungnya|relawan|kubu|barisan|pasukan|gerombolan"
          r"|kelompok|jemaat|jamaah|bangsa|agama|ras|orang|org|orang2|org2|orang-orang|warga|mereka|kalian|kalean"
          r"|ulama|ustad|ustadz|ustaz|habib|kyai|kiai|pastor|pastur|pendeta|romo|biksu|pandita")
#: You, he/she, offices and names of address: a person. ("aku/saya/gue" are not: self-deprecation.)
PERSONS = (r"dia|doi|kamu|lu|lo|loe|elu|elo|kau|engkau|ente|anda|antum|sampeyan|koe|kowe|maneh|beliau|bung|bro|mas|mbak|bang"
           r"|om|oom"
           r"|calon|paslon|capres|cawapres|cagub|cabup|cawalkot|gubernur|bupati|walikota|presiden|pemimpin|pejabat|menteri"
           r"|ketua|pak|bu|bapak|ibu|koh|rezim|rejim|pemerintah|penguasa|partai")
#: People addressed as a crowd: insults aimed at them are insults of persons.
CROWDS = r"mereka|kalian|kalean|pendukung|pendukungnya|relawan|kubu"
_GROUP_TARGET = _p(rf"(?<!\w)(?:{GROUPS})(?!\w)")
_ANY_TARGET = _p(rf"(?<!\w)(?:{GROUPS}|{PERSONS})(?!\w)")
_PERSON_TARGET = _p(rf"(?<!\w)(?:{PERSONS}|{CROWDS})(?!\w)")
# Insulting openers work only before the word: "dasar kafir", "si onta", "para kampret".
_OPENER_BEFORE = _p(r"(?<!\w)(?:dasar|dsr|si|sang|para|kaum)\s+(?:[\w-]+\s+)?$")
_STATE = _p(r"(?<!\w)(?:rezim|rejim|pemerintah|penguasa|negara|presiden|istana|menteri|pejabat|dpr|polisi|aparat|nkri)(?!\w)")

_ETHNIC = ("cina", "china", "cino", "cokin", "tionghoa", "aseng")
_ETHNIC_INSULTS = ("kafir", "kapir", "babi", "anjing", "asu", "laknat", "bangsat", "komunis", "pki", "keparat", "sipit", "kampret")
_KAFIR_INSULTS = ("bangke", "bangsat", "anjing", "babi", "goblok", "tolol", "asu", "busuk", "najis", "tai", "taik", "sialan",
                  "keparat", "bajingan", "brengsek", "dungu", "bodoh", "bego", "sesat", "murtad", "munafik", "terkutuk")
# Slurs that are never an ordinary word: count on their own.
ALWAYS = lexicon(
    [f"{e} *{i}" for e in _ETHNIC for i in _ETHNIC_INSULTS]
    + [f"*{k} {x}" for k in ("kafir", "kapir") for x in _ETHNIC + ("laknat", "laknatullah", "laknatulloh", "harbi", "najis",
                                                                  "terkutuk", "bangsat", "jahanam", "kafir")]
    + [f"{a} {b}" for k in ("kafir", "kapir") for w in _KAFIR_INSULTS for a, b in ((f"*{k}", w), (w, f"*{k}"))]
    + ["kafirun laknat", "kopar kapir", "sipit cina", "sipit china", "cokin", "cinak", "tiko", "kutil *babi"]
    + [f"{o} *sipit" for o in ("dasar", "si", "para", "kaum")]
    + [f"{o} *{c}" for o in ("kaum", "bani", "kencing", "pipis", "dasar", "si") for c in ("onta", "unta")]
    + ["onta gurun", "unta gurun", "onta arab", "unta arab", "arab *gurun", "monyet papua", "papua *monyet",
       "islam *teroris", "*teroris berjubah"]
    + [f"{g} {w}" for g in ("syiah", "ahmadiyah", "wahabi") for w in ("sesat", "kafir", "najis")])
# Slurs that are also ordinary words ("kafir" in a sermon, "onta" at the zoo): count when aimed.
AIMED = lexicon(["kafir", "kapir", "kafirun", "murtad", "onta", "unta", "keling", "negro", "sumbu pendek", "aseng", "asong",
                 "asing aseng", "aseng asing"])
#: Words that make people into animals, dirt or devils (said of a group: hate; of a person: abuse).
DEHUMANISING_WORDS = ("babi", "monyet", "kera", "anjing", "asu", "tikus", "kecoa", "lintah", "cacing", "binatang", "hewan",
                      "setan", "iblis", "najis", "sampah", "kotoran", "parasit", "virus", "hama", "penyakit masyarakat",
                      "laknat", "terkutuk", "belatung", "benalu")
DEHUMANISING = lexicon(DEHUMANISING_WORDS)
ACCUSATIONS = lexicon(
    [f"*penista {x}" for x in ("agama", "islam", "alquran", "al quran", "quran", "ulama", "nabi")]
    + ["*penoda agama"] + [f"*penghina {x}" for x in ("agama", "ulama", "islam", "nabi")]
    + [f"*{a} {x}" for a in ("antek", "kacung", "budak", "boneka")
       for x in ("asing", "aseng", "asong", "cina", "china", "pki", "komunis", "yahudi", "zionis", "amerika", "barat")]
    + [f"{a} *pki" for a in ("anak", "cucu", "keturunan", "kader", "simpatisan", "antek", "neo", "dasar", "dia", "itu", "adalah",
                             "ternyata", "jelas", "pasti", "emang", "memang")]
    + ["*pki gaya baru", "*pki itu", "*pki ini", "*pki sejati", "*pki tulen", "*komunis terselubung", "*komunis gaya baru"])
# Insults of the camps that are almost only ever insults.
CAMPS = lexicon(["kadrun", "kadruns", "kadal *gurun", "cebong", "cebonk", "cebongs", "kecebong", "cebonger", "cebongers",
                 "kampreters", "kampretos", "bani *kampret", "bani *cebong", "bani *serbet", "bani *taplak", "bani *kotak",
                 "bani *daster", "buzzerp", "buzzer rp", "raja *kodok", "nasbung", "panasbung", "nastak", "kaum *cingkrang",
                 "kaum *bipang", "kaum bumi *datar"])
# Insults of the camps that are also ordinary words ("kampret" a curse and a bat, "kodok" a frog).
CAMPS_AIMED = lexicon(["kampret", "kodok", "togog", "cingkrang", "cebi"])

# Hostility to the state (H1): an insult said of the government, the president or the regime,
# or a call to topple them. "Lawful criticism of policy" has neither.
STATE_INSULTS = lexicon("dungu bodoh goblok tolol boneka pembohong zalim dzalim lalim otoriter diktator tiran komunis pki "
                        "biadab bangsat bajingan pengkhianat penghianat penjajah laknat terkutuk".split()
                        + ["anti *islam", "anti *ulama", "plonga *plongo", "planga *plongo", "antek *asing"])
# Words that only describe rulers: said of a named person they are hostility to a ruler
# ("Jokowi diktator", "rezim otoriter"); of a system ("sistem otoriter") they are history.
RULER_INSULTS = lexicon("diktator diktaktor otoriter tiran represif".split())
_RULER_NAME = re.compile(r"(?<![\w@#])(?:[A-Z][a-z]{2,}|[A-Z]{3,})(?!\w)")
# "turunkan" and "bubarkan" also lower prices and end meetings: they need the state after them.
TOPPLE = lexicon("turunkan bubarkan".split())
# Words that only ever mean removing a ruler ("lengserkan", "makzulkan"): any object will do.
TOPPLE_RULER = lexicon("lengserkan lengserin lengsernya gulingkan tumbangkan makzulkan dimakzulkan dilengserkan".split())
DISSOLVE = lexicon(["bubarkan", "bubarin"])
# A demand to resign: "Jokowi harus mundur", "mundur saja pak", "presiden mundurlah".
RESIGN = lexicon(["mundurlah", "*mundur"])
_STATE_TARGET = (r"rezim|rejim|pemerintah|pemerintahan|penguasa|negara|presiden|wapres|istana|nkri|pancasila|dpr|mpr|kabinet"
                 r"|kpk|kpu|bawaslu|polri|tni")
_OFFICE = r"presiden|wapres|gubernur|wagub|bupati|walikota|wali\s+kota|menteri|kapolri|rezim|rejim|kabinet|pemerintah"
# What cannot be the object of a topple verb: "lengserkan diri", "lengserkan dari jabatan".
_NOT_OBJECT = frozenset("diri dirinya dari ke di dengan dan yang yg itu ini".split())
_DEMAND_BEFORE = _p(r"(?<!\w)(?:harus|hrs|segera|suruh|disuruh|minta|meminta|diminta|tuntut|menuntut|desak|mendesak|didesak"
                    r"|sebaiknya|sebaikny|mending|mendingan|lebih\s+baik|lbh\s+baik|wajib|layak|pantas|patut|yg|yang)\s+$")
# "lebih baik jokowi mundur", "mending jokowi yg mundur", "Jokowi aja yg mundur": the one asked
# to resign sits between the demand and the word.
_SELF = r"(?!(?:saya|aku|gue|gua|gw|kami|kita|ane|sy|ak)\b)"
_DEMAND_AROUND_NAME = _p(rf"(?<!\w)(?:harus|hrs|segera|sebaiknya|mending|mendingan|lebih\s+baik|lbh\s+baik|suruh)\s+{_SELF}[a-z]\w+"
                         rf"\s+(?:(?:yg|yang)\s+)?$|(?<!\w){_SELF}[a-z]\w+\s+(?:aja|saja|sj)\s+(?:yg|yang)\s+$")
_DEMAND_AFTER = _p(r"(?:lah)?(?:\s+(?:saja|aja|sj|ajah|dong|sekarang|skrg|dari\s+jabatan\w*)(?!\w)|\s*!|\s*$)")
_REFUSE_BEFORE = _p(r"(?<!\w)(?:menolak|tolak|tidak|tdk|tak|gak|ga|nggak|enggak|enggan|ogah|takkan|jangan|jgn|maju|pantang)"
                    r"\s+(?:\w+\s+)?$")
_OFFICE_NEAR = _p(rf"(?<!\w)(?:{_OFFICE}|pak|bapak|bu|ibu)(?!\w)")
# Hashtags are one folded word: "#LengserkanJokowi", "#TurunkanPresiden", "#JokowiMundur".
_TOPPLE_TAG = _p(r"#(?:lengser|makzul|guling|tumbang)\w+|#(?:turunkan|bubarkan)(?:" + _STATE_TARGET + r")\w*"
                 r"|#\w+(?:mundur|lengser)(?!\w)")
_STATE_BEFORE = _p(rf"(?<!\w)(?:{_STATE_TARGET})(?:\s+[\w-]+)?\s+(?:itu\s+|ini\s+|memang\s+|emang\s+|sudah\s+|makin\s+|yg\s+|yang\s+)?$")
_PASSIVE = _p(r"(?<!\w)di\s*(?:turunkan|bubarkan)$")
_PASSIVE_BEFORE = _p(rf"(?<!\w)(?:{_STATE_TARGET})(?!\w)[^.!?\n]{{0,40}}\bdi\s*(?:turunkan|bubarkan)$")
_STATE_AFTER = _p(rf"\s+(?:(?:saja|aja|segera|si|sang|itu|ini)\s+)?(?:{_STATE_TARGET})(?!\w)")

RULES: tuple[_Rule, ...] = (
    _Rule("sara_slur", 0.85, ALWAYS, "hinaan suku, agama atau ras yang ditujukan pada orang atau kelompok", aim="none"),
    _Rule("sara_slur", 0.85, AIMED, "hinaan suku, agama atau ras yang ditujukan pada orang atau kelompok", aim="any"),
    _Rule("sara_accusation", 0.8, ACCUSATIONS, "tuduhan yang dipakai sebagai hinaan (penista agama, PKI, antek asing/aseng)",
          aim="none"),
    _Rule("camp_insult", 0.75, CAMPS, "sebutan hinaan untuk kubu pendukung (kadrun, cebong, kampret)", aim="none"),
    _Rule("camp_insult", 0.75, CAMPS_AIMED, "sebutan hinaan untuk kubu pendukung (kadrun, cebong, kampret)", aim="any"),
    _Rule("dehumanising", 0.8, DEHUMANISING, "kata yang merendahkan manusia (binatang, kotoran) ditujukan pada kelompok",
          aim="said_of_group"),
    _Rule("state_hostility", 0.75, STATE_INSULTS, "hinaan terhadap negara, pemerintah atau presiden", aim="said_of_state"),
    _Rule("state_hostility", 0.75, RULER_INSULTS, "hinaan terhadap negara, pemerintah atau presiden", aim="ruler"),
    _Rule("state_topple", 0.75, TOPPLE, "ajakan menjatuhkan pemerintah atau presiden", aim="state_after"),
    _Rule("state_topple", 0.75, TOPPLE_RULER, "ajakan menjatuhkan pemerintah atau presiden", aim="object_after"),
    _Rule("group_dissolve", 0.7, DISSOLVE, "ajakan membubarkan organisasi atau kelompok", aim="acronym_after"),
    _Rule("state_resign", 0.7, RESIGN, "tuntutan agar presiden atau pejabat mundur", aim="resign"),
)
_TRIGGERS = frozenset().union(*(r.lexicon.triggers for r in RULES))
_STATE_RULES = frozenset({"state_hostility", "state_topple", "state_resign"})   # always H1

_REACH = 30   # characters between a word and the person or group it is aimed at
# "X itu babi", "mereka semua tikus", "wong Madura kabeh asu", "kaum pendatang kayak hama".
_COPULA = (r"(?:itu|ini|tuh|iku|kuwi|adalah|ialah|emang|memang|semua|semuanya|kabeh|mah|teh|ki|kayak|kaya|kyk|kek"
           r"|spt|seperti|bagai|bagaikan|ibarat|bak|sama\s+dengan|=|cuma|hanya|dasar)")
_SAID_OF = _p(rf"(?<!\w)(?:{GROUPS})(?:\s+[\w-]+){{0,2}}?\s+{_COPULA}(?:\s+{_COPULA})?\s*$")
# "kaum iblis", "gerombolan tikus", and a group noun right before the word ("kelompok anjing").
_GROUP_OPENER = _p(rf"(?<!\w)(?:kaum|bangsa|para|gerombolan|segerombolan|kumpulan|sekumpulan|bani|{GROUPS})\s+$")
_GROUP_AFTER = _p(rf"^\s*(?:{GROUPS}|pendukung\w*|relawan\w*)(?!\w)")
# Literal animals and food: "tidak makan babi", "daging anjing", "peternak babi", "hewan kurban".
_LITERAL = _p(r"(?<!\w)(?:daging|makan|makanan|memakan|pelihara|memelihara|peliharaan|ternak|beternak|peternak|kandang|ekor|seekor"
              r"|bangkai|kebun\s+binatang|ras|jenis|anak|bayi|induk|gigitan|digigit|menggonggong|punya|memiliki"
              r"|sate|lemak|minyak|kulit|bulu|kebun|qurban|kurban|buah|benci|takut|jijik|najis\s+nya|air\s+liur)\s+(?:\w+\s+)?$")


_CAPITALISED = re.compile(r"(?<![\w@#])([A-Z][a-z]{2,})[ \t]*$")
_ACRONYM_AFTER = re.compile(r"[ \t]+[A-Z]{2,6}(?![\w])")
_CAPITALISED_AFTER = re.compile(r"[ \t]+(?:[Ss]i\s+|[Ss]ang\s+)?[A-Z][a-z]{2,}")
_NOT_NAMES = frozenset("yang jadi kalau semua dan atau karena ini itu saya aku kami kita gue gua tapi namun orang bukan tidak "
                       "jangan apa ada sama kayak seperti udah sudah dia emang memang pokoknya terus lalu kan".split())



def _capitalised_before(text: str, start: int) -> bool:
    """A capitalised word (a name as people write it) right before ``start`` of the original text."""
    match = _CAPITALISED.search(text, max(0, start - 24), start)
    return match is not None and match.group(1).lower() not in _NOT_NAMES


def _names_pattern(names: Iterable[str]) -> re.Pattern[str] | None:
    folded = sorted({fold(n).text for n in names if len(n) >= 3}, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(n) for n in folded) + r")(?!\w)") if folded else None


class SaraRules:
    """Apply the SARA rules; ``names`` are extra targets (candidates from the registry)."""

    def __init__(self, names: Iterable[str] = ()) -> None:
        self._names = _names_pattern(names)

    def aimed(self, text: str, start: int, end: int, *, persons_only: bool = False, reach: int = _REACH,
              original: tuple[str, Folded] | None = None) -> bool:
        """A person or a group within ``reach`` of text[start:end], in the same sentence (folded text).

        ``persons_only`` (insults): a person or a crowd addressed, not any group noun ("seekor
        monyet di kebun binatang Cina" insults no one). ``original`` (the post as written and its
        folding) lets a capitalised word right before count as a name ("Ahok kafir") when the
        registry does not know it.
        """
        left, right = sentence_bounds(text, start, end)
        if _OPENER_BEFORE.search(text, max(left, start - 24), start):
            return True
        left, right = max(left, start - reach), min(right, end + reach)
        for pattern in (_PERSON_TARGET if persons_only else _ANY_TARGET, self._names):
            if pattern is None:
                continue
            for match in pattern.finditer(text, left, right):
                if match.end() <= start or match.start() >= end:   # not the slur itself ("kaum sumbu pendek")
                    return True
        return original is not None and _capitalised_before(original[0], original[1].span(start, end)[0])

    def literal(self, text: str, start: int) -> bool:
        """An animal or food named as such ("seekor monyet", "daging babi", "takut anjing")."""
        left, _ = sentence_bounds(text, start, start)
        return _LITERAL.search(text, max(left, start - 30), start) is not None

    def said_of_group(self, text: str, start: int, end: int) -> bool:
        """A dehumanising word predicated of a group ("mereka itu babi"), not an animal near one."""
        left, _ = sentence_bounds(text, start, end)
        before = text[max(left, start - 45):start]
        if self.literal(text, start):
            return False
        return bool(_SAID_OF.search(before) or _GROUP_OPENER.search(before[-20:]) or _GROUP_AFTER.match(text, end, end + 20))

    def said_of_state(self, text: str, start: int) -> bool:
        """An insult right after the state, the government or the president ("rezim dzalim")."""
        left, _ = sentence_bounds(text, start, start)
        return bool(_STATE_BEFORE.search(text, max(left, start - 40), start))

    def state_after(self, text: str, end: int, *, original: tuple[str, Folded]) -> bool:
        """A call to topple followed by the state, the government, the president or a name."""
        _, right = sentence_bounds(text, end, end)
        left = sentence_bounds(text, end, end)[0]
        passive = _PASSIVE.search(text, max(left, end - 16), end) is not None
        if not passive and _STATE_AFTER.match(text, end, right):   # "di turunkan pemerintah": by, not whom
            return True
        # The passive with the state before it: "KPK sudah selayaknya di bubarkan", "DPR yang di bubarkan".
        if _PASSIVE_BEFORE.search(text, max(left, end - 60), end):
            return True
        name = self._names.match(text, end + 1, right) if self._names is not None else None
        if name is not None:
            return True
        return bool(_CAPITALISED_AFTER.match(original[0], original[1].span(end - 1, end)[1]))

    @staticmethod
    def acronym_after(text: str, start: int, end: int, *, original: tuple[str, Folded]) -> bool:
        """"Bubarkan HTI": an organisation's acronym after the verb. Not when the verb is in
        capitals too: a shouted post ("BUBARKAN RAPAT") is capitals throughout."""
        o_start, o_end = original[1].span(start, end)
        return bool(_ACRONYM_AFTER.match(original[0], o_end)) and not original[0][o_start:o_end].isupper()

    def ruler(self, text: str, start: int, end: int, *, original: tuple[str, Folded]) -> bool:
        """A ruler's vice said of a name or an office in its sentence ("DIKTATOR JOKOWI")."""
        left, right = sentence_bounds(text, start, end)
        window = (max(left, start - _REACH), min(right, end + _REACH))
        if _OFFICE_NEAR.search(text, *window) or (self._names is not None and self._names.search(text, *window)):
            return True
        o_start, o_end = original[1].span(*window)
        o_word = original[1].span(start, end)
        return any(m.end() <= o_word[0] or m.start() >= o_word[1] for m in _RULER_NAME.finditer(original[0], o_start, o_end)
                   if m.group(0).lower() not in _NOT_NAMES)

    @staticmethod
    def object_after(text: str, end: int) -> bool:
        """A topple verb with something to topple after it, in its sentence ("lengserkan jokowi")."""
        _, right = sentence_bounds(text, end, end)
        following = re.match(r"\s+([a-z][\w-]*)", text[end:right])
        if following is None:   # "Saatnya Jokowi di lengserkan !", "LENGSERKAN !!!": the call itself
            return True
        return following.group(1) not in _NOT_OBJECT

    def resign(self, text: str, start: int, end: int, *, original: tuple[str, Folded]) -> bool:
        """A demand that an office holder resign: the office or a name near "mundur", and a demand.

        "Presiden Zimbabwe menolak mundur" and "pasukan mundur" are reports, not demands: a
        refusal before the word, or no demand around it, is not counted."""
        left, right = sentence_bounds(text, start, end)
        before = text[max(left, start - 30):start]
        if _REFUSE_BEFORE.search(before):
            return False
        if _DEMAND_AROUND_NAME.search(before):
            return True
        demanded = bool(_DEMAND_BEFORE.search(before)) or bool(_DEMAND_AFTER.match(text, end, right))
        if not demanded:
            return False
        window = (max(left, start - 40), min(right, end + 30))
        if _OFFICE_NEAR.search(text, *window):
            return True
        if self._names is not None and self._names.search(text, *window):
            return True
        return _capitalised_before(original[0], original[1].span(start, end)[0])

    def _aimed_as(self, aim: str, text: str, start: int, end: int, original: tuple[str, Folded]) -> bool:
        if aim == "any":
            return self.aimed(text, start, end, original=original)
        if aim == "said_of_group":
            return self.said_of_group(text, start, end)
        if aim == "said_of_state":
            return self.said_of_state(text, start)
        if aim == "state_after":
            return self.state_after(text, end, original=original)
        if aim == "ruler":
            return self.ruler(text, start, end, original=original)
        if aim == "object_after":
            return self.object_after(text, end)
        if aim == "acronym_after":
            return self.acronym_after(text, start, end, original=original)
        if aim == "resign":
            return self.resign(text, start, end, original=original)
        return True

    @staticmethod
    def _topple_tags(text: str, folded: Folded) -> list[SaraHit]:
        """Topple calls written as hashtags ("#LengserkanJokowi"), which fold into one word."""
        hits = []
        for match in _TOPPLE_TAG.finditer(folded.text):
            start, end = folded.span(*match.span())
            hits.append(SaraHit("state_topple", "H1", 0.75, (start, end), text[start:end],
                                "ajakan menjatuhkan pemerintah atau presiden"))
        return hits

    def apply(self, text: str, folded: Folded | None = None) -> SaraResult:
        folded = folded or fold(text)
        post_words = folded.words
        tags = self._topple_tags(text, folded) if "#" in text else []
        if not tags and _TRIGGERS.isdisjoint(post_words):   # one set test rejects almost every post
            return _NOTHING
        low = folded.text
        hits: list[SaraHit] = tags
        damped: list[SaraHit] = []
        seen: list[tuple[int, int]] = []
        for rule in RULES:
            if not rule.lexicon.may_match(post_words):
                continue
            for match in rule.lexicon.pattern.finditer(low):
                start, end = match.span()
                if any(s <= start and end <= e for s, e in seen):   # "cina kafir" already hit; not "kafir" again
                    continue
                if not self._aimed_as(rule.aim, low, start, end, (text, folded)):
                    continue
                seen.append((start, end))
                state = rule.id in _STATE_RULES or _STATE.search(low, max(0, start - _REACH), min(len(low), end + _REACH))
                code = "H1" if state else "H2"
                original = folded.span(start, end)
                hit = SaraHit(rule.id, code, rule.weight, original, text[original[0]:original[1]], rule.description)
                (damped if countered(low, start, end) else hits).append(hit)
        if not hits and not damped:
            return _NOTHING
        hits.sort(key=lambda h: h.span)
        top = max(hits, key=lambda h: h.weight, default=None)
        return SaraResult(top.weight if top else 0.0, tuple(hits), tuple(damped), top.code if top else None)


_NOTHING = SaraResult(0.0, (), ())
__all__ = ["CROWDS", "DEHUMANISING", "DEHUMANISING_WORDS", "GROUPS", "PERSONS", "RULES", "SaraHit", "SaraResult", "SaraRules"]
