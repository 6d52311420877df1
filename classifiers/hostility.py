"""Does a post say anything hostile at all? The hate and abusive models must show a reason.

Why: trained on several public corpora, the hate model learnt that naming a faith, an ethnic
group or a politician is evidence of hate, so on other corpora it flagged ordinary posts such
as "4 agama, yaitu Islam, Katolik, Kristen dan Budha" or election news (issue 21: 49% of the
non-hateful ibrohim2019 tweets got a flag). Hate and abuse are hostile: they insult, curse,
threaten, expel or degrade. A post with none of those words may still be hateful, but then
the model alone must be surer (classifiers.model.reason_bar: REASON_ODDS times the threshold's
odds), and thresholds are chosen for that decision. Measured with models trained without the
test corpus: posts with no hostile word were 54% of the hate model's false flags on ibrohim2019
(34% netifier, 57% putri2021) but 18% of its true ones (10%, 36%).

The words are general Indonesian (with Jakarta slang, Javanese and Sundanese) hostility, not
any one corpus's vocabulary; the insult lexicons and the SARA slurs are part of it.
"""

from __future__ import annotations

from .insults import AIMED_INSULTS, PROFANITY
from .spelling import Folded

_HOSTILE = frozenset(
    # expelling, destroying, hurting
    "usir usirlah diusir mengusir bunuh dibunuh membunuh bantai dibantai membantai ganyang basmi dibasmi membasmi musnahkan "
    "dimusnahkan bakar dibakar membakar gantung digantung penggal dipenggal tumpas tumpaskan habisi dihabisi hancurkan "
    "dihancurkan hancurin serang perangi enyahkan singkirkan tendang pulangkan boikot bubarkan bubarin gulingkan tumbangkan "
    "lengserkan turunkan binasakan rajam sembelih bacok tembak "
    # hating, despising
    "benci membenci kebencian jijik menjijikkan muak hina menghina dihina hinaan rendahan kotor busuk "
    # degrading characterisations
    "licik penipu pengkhianat penghianat khianat penjajah menjajah perusak merusak biadab bejat keji kejam jahat rakus "
    "serakah zalim dzalim lalim munafik munafikun pembohong pendusta bohong dusta maling koruptor korup rampok perampok garong "
    "mafia provokator radikal radikalis teroris ekstremis intoleran rasis sesat kafir najis haram laknat terkutuk pengecut "
    "pecundang penjilat antek kacung budak boneka otoriter diktator tiran komunis pki penista penoda menista menodai "
    "bodoh dungu tolol goblok bego idiot gila sinting edan penjahat bandit preman cukong dalang bobrok ngawur norak "
    "tipu tipuan nipu bual bualan cabul maho kurangajar pecun sompret kamfret penghiyanat pemberontak gadungan picik "
    "diktaktor represif "
    # curses
    "mampus modar celaka kualat azab sialan keparat terkutuklah laknatullah jahanam jahannam ngehe kacrut nggilani "
    "berak tae gampar tampar "
    # Javanese and Sundanese
    "asu jancok jancuk diancuk cok bajingan celeng kirik wedhus wedus munyuk kethek bodho gendeng gendheng edan ndasmu raimu "
    "cangkemmu matamu gathel pekok ndlogok bedhes tlembuk tempik silit tlethong sundel goblog belegug gelo koplok kehed jurig "
    "bolot bedul heunceut borokokok anjir anjrit".split())
# Slurs and accusations of the SARA rules that are hostile words by themselves (the rules' other
# trigger words, such as "gurun" of "kadal gurun", are ordinary words alone).
_SLURS = frozenset("kafir kapir kafirun kopar murtad aseng asong cokin cinak tiko sipit keling negro kadrun kadruns cebong "
                   "cebonk cebongs kecebong cebonger cebongers kampret kampreters kampretos buzzerp nasbung panasbung nastak "
                   "togog cingkrang".split())
WORDS: frozenset[str] = _HOSTILE | _SLURS | PROFANITY.triggers | AIMED_INSULTS.triggers


# Indonesian derives words with prefixes and suffixes: "mendungukan" (men-dungu-kan),
# "dibodohi", "kebodohan", "penghinaan", "menipu" (men-tipu: the nasal replaces t). A word not
# in the list is tried without them; stems shorter than four letters are not tried, so "pecok"
# or "ketai" do not become the Javanese "cok" or "tai".
_SUFFIXES = ("nya", "lah", "kan", "an", "in", "i")
_PREFIXES = (("meng", ("", "k")), ("meny", ("s",)), ("mem", ("", "p")), ("men", ("", "t")), ("me", ("",)),
             ("peng", ("", "k")), ("peny", ("s",)), ("pem", ("", "p")), ("pen", ("", "t")), ("pe", ("",)),
             ("di", ("",)), ("ter", ("",)), ("ke", ("",)), ("ber", ("",)), ("se", ("",)))
_MIN_STEM = 4
# Stems are matched against the hostile words and slurs only, not the insult lexicons' trigger
# words ("ajar" of "kurang ajar" would make "mengajarkan" hostile), and not words whose derived
# forms are ordinary: "tergantung" (it depends), "menurunkan harga", "serangan fajar",
# "dibubarkan" (an event closed), "menggila", "membakar semangat", "sarapan".
_STEMMABLE = (_HOSTILE | _SLURS) - frozenset(
    "gantung turunkan bubarkan bubarin serang bakar tembak tendang pulangkan gila haram usir tumpas azab celaka hancurkan asong".split())


def _stems(word: str) -> set[str]:
    """Candidate stems of ``word``: each suffix, each prefix (with its nasal restored), and both."""
    bodies = {word} | {word[: -len(s)] for s in _SUFFIXES if word.endswith(s)}
    found = set(bodies)
    for body in bodies:
        for prefix, restore in _PREFIXES:
            if body.startswith(prefix):
                found.update(first + body[len(prefix):] for first in restore)
    return {stem for stem in found if len(stem) >= _MIN_STEM and stem != word}


def hostile(folded: Folded) -> bool:
    """Does the (folded) post contain a hostile word, as written or with its affixes taken off?"""
    words = folded.words
    if not WORDS.isdisjoint(words):
        return True
    return any(not _STEMMABLE.isdisjoint(_stems(w)) for w in words if len(w) > _MIN_STEM + 1)


__all__ = ["WORDS", "hostile"]
