"""Counter-speech, reporting, teaching and quotation: a slur named in order to be rejected.

Why: around elections the words of hate are written just as often by people condemning them
("jangan sebut orang kafir", "aja nyebut wong Madura monyet", "menyebutnya cina kafir itu
keterlaluan"), by news of a report ("dilaporkan karena menyebut ... penista agama"), by ASN
training material ("kenali ujaran kebencian seperti 'kadrun'") and by history lessons (G30S
PKI). A false flag puts a civil servant's name before their superior, so the rules and the
model both ask here first. Everything works on folded text (classifiers.spelling), sentence
by sentence: condemnation in one sentence does not excuse a slur in the next.
"""

from __future__ import annotations

import re

from .lexicon import lexicon
from .spelling import Folded

# Naming a word rather than using it: "sebut", "nyebut", "ngatain", "cap", "istilah", "tuduh".
NAMING = lexicon(
    "sebut menyebut nyebut disebut sebutan sebutkan menyebutkan menyebutnya nyebutin nyebutnya disebutnya panggil memanggil "
    "manggil dipanggil panggilan bilang dibilang bilangin ngatain ngatai mengatai mengatakan dikatai dikatain katain ngomong "
    "ngomongin cap mencap dicap label labeli melabeli dilabeli julukan menjuluki dijuluki istilah ucapan sebar menyebar "
    "menyebarkan disebar memakai pakai gunakan menggunakan tuduh menuduh nuduh dituduh tuduhan tuding menuding dituding "
    "tudingan nulis menulis tulisan berkata".split() + ["kata *kata"])
# Someone else's word reported: "dituduh antek asing", "isu PKI", "menuding ... aseng". Not
# "pantas disebut kafir", which is using the word.
_ATTRIBUTED = re.compile(r"(?<!\w)(?<!pantas\s)(?<!layak\s)(?<!patut\s)(?<!wajar\s)(?<!cocok\s)"
                         r"(?:dituduh|dituding|disebut|dicap|dijuluki|dikatai|dikatain|dilabeli|dibilang|menuding|menuduh"
                         r"|tuduhan|tudingan|isu|fitnah)\s+(?:[\w-]+\s+){0,3}$")
# Disapproval of what is named: prohibitions (Indonesian, Javanese "aja/ojo", Sundanese "ulah"),
# judgements ("keterlaluan", "tidak pantas", "menyakitkan") and asking why.
_DISAPPROVAL = re.compile(
    r"(?<!\w)(?:jangan|jgn|janganlah|aja|ojo|ulah|tidak\s+boleh|tak\s+boleh|gak\s+boleh|ga\s+boleh|nggak\s+boleh|ndak\s+boleh"
    r"|dilarang|larangan|berhenti|stop|hentikan|tolak|lawan|hindari|keterlaluan|menyakitkan|menyakiti|melukai|sakit\s+hati"
    r"|(?:tidak|tak|gak|ga|nggak|bukan|kurang)\s+(?:pantas|etis|layak|baik|sopan|benar)|ora\s+(?:apik|pantes|pareng|becik)"
    r"|teu\s+(?:pantes|sae|alus)|kenapa|mengapa|knp|sedih|miris|prihatin|memalukan|keliru|fitnah|hoaks|hoax|menyesal"
    r"|tidak\s+mau|tak\s+mau|gak\s+mau|ga\s+mau|nggak\s+mau)(?!\w)")
# Words that mark a sentence as condemnation, reporting or teaching.
CONDEMN = lexicon(
    ["ujaran *kebencian", "*hate speech", "hatespeech", "rasisme", "rasialisme", "memecah *belah", "politik *identitas",
     "konten *sara", "isu *sara", "*minta maaf", "*contoh ujaran"]
    + "dilaporkan melaporkan laporkan dipolisikan ditangkap menangkap tersangka divonis dijerat diperiksa diadili dipidana "
      "mengecam kecaman dikecam menyesalkan klarifikasi diklarifikasi membantah dibantah meluruskan pelatihan literasi kenali "
      "sosialisasi edukasi".split())
# History and culture: "G30S PKI", "film", "museum" (only for the slur itself, not the whole post).
_HISTORY = re.compile(r"(?<!\w)(?:sejarah|g\s*-?\s*30\s*-?\s*s|gestapu|pemberontakan|museum|film|monumen|tragedi"
                      r"|peristiwa\s+1965|1948|madiun|rasis)(?!\w)")
_NEGATION = re.compile(r"(?<!\w)(?:bukan|bkn|bkan|tidak|tdk|gak|ga|gk|nggak|ngga|enggak|ndak|dudu|lain)\s+(?:\w+\s+)?$")
_SENTENCE_END = re.compile(r"[.!?\n]")
_QUOTES = "\"“”'‘’«»"
_DOUBLE_QUOTES = "\"“”«»"   # apostrophes ("Jum'at") are not counted as opening quotes
_REACH = 90   # characters around a slur searched for the frame that names it


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around a span (a slur in a sentence of its own is judged on its own).

    Four ``rfind`` calls back and one search forward, not a scan of every sentence end before
    the span: the rules ask this for each hit, on every post the classifier sees."""
    left = max(text.rfind(".", 0, start), text.rfind("!", 0, start), text.rfind("?", 0, start),
               text.rfind("\n", 0, start)) + 1
    right = _SENTENCE_END.search(text, end)
    return left, right.start() if right else len(text)


def _quoted(text: str, left: int, start: int, end: int) -> bool:
    """A span between quote marks in its sentence: quoting is what reporting and condemning do."""
    opening = sum(text.count(q, left, start) for q in _DOUBLE_QUOTES)
    if opening % 2 == 1:
        return True
    before, after = text[max(left, start - 1):start], text[end:end + 1]
    return bool(before) and before in _QUOTES and bool(after) and after in _QUOTES


def countered(text: str, start: int, end: int) -> bool:
    """Is the word at text[start:end] (folded text) named to be rejected, reported, taught or denied?"""
    left, right = sentence_bounds(text, start, end)
    left, right = max(left, start - _REACH), min(right, end + _REACH)
    if CONDEMN.pattern.search(text, left, right) or _HISTORY.search(text, left, right) or _quoted(text, left, start, end):
        return True
    if _NEGATION.search(text[max(left, start - 24):start]):   # "bukan PKI", "tidak kafir"
        return True
    if _ATTRIBUTED.search(text, max(left, start - 40), start):
        return True
    naming = NAMING.pattern.search(text, max(left, start - 40), start)
    return bool(naming) and _DISAPPROVAL.search(text, left, right) is not None


def counter_speech(folded: Folded) -> bool:
    """Does a post (folded) reject, report or teach about hate somewhere? Damps the model's own flags."""
    post_words = folded.words
    if CONDEMN.may_match(post_words) and CONDEMN.pattern.search(folded.text):
        return True
    if not NAMING.may_match(post_words):
        return False
    text = folded.text
    for naming in NAMING.pattern.finditer(text):
        left, right = sentence_bounds(text, naming.start(), naming.end())
        if _DISAPPROVAL.search(text, left, right):
            return True
    return False


__all__ = ["CONDEMN", "NAMING", "counter_speech", "countered", "sentence_bounds"]
