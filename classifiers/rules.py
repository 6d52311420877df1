"""Rules for partisan content: support or attack cues around the registry's entities.

Rules are the explainable half of the partisan label. Each hit names the rule, proposes a
violation code (see shared/docs/regulation.md) and gives the character span that triggered
it, so the dashboard can highlight the words. Civic-neutral patterns (voter education,
neutrality reminders, campaigns *against* money politics, debunks) damp weak cues, because a
false accusation harms a real person; strong cues (a campaign hashtag, "salam dua jari", a
call to vote for a ballot number) are never damped.

Entities come from the election registry the office edits (candidates, nicknames, ballot
numbers, parties, hashtags, slogans), so a new Pilkada needs a data file, not retraining.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Mapping

from . import stance as stance_layer

_NUM = r"(?:0?\d{1,2}|satu|dua|tiga|empat|lima|siji|loro|telu|papat|hiji)(?!\s*(?:kali|x|kotak|lembar|surat)\b)"
_GESTURES = "✌☝🤟👌🤞"


@dataclass(frozen=True)
class Entities:
    """Names the rules look for, built from the election registry (lower-cased)."""

    names: frozenset[str] = frozenset()      # candidates, running mates, nicknames, pair names
    parties: frozenset[str] = frozenset()    # party names and abbreviations
    terms: frozenset[str] = frozenset()      # campaign hashtags (with '#') and slogans
    handles: frozenset[str] = frozenset()    # campaign account handles
    colours: frozenset[str] = frozenset()    # descriptive cues (campaign colours, traits); count only with a stance cue

    @classmethod
    def from_registry(cls, candidates: Iterable[Mapping], parties: Iterable[Mapping] = (),
                      terms: Iterable[str] = (), handles: Iterable[str] = ()) -> "Entities":
        names: set[str] = set()
        for c in candidates:
            for key in ("name", "running_mate", "pair_name"):
                if c.get(key):
                    names.add(str(c[key]).lower())
            names.update(str(n).lower() for n in c.get("nicknames", []) or [])
        party_names: set[str] = set()
        for p in parties:
            party_names.update(str(p[k]).lower() for k in ("name", "abbreviation") if p.get(k))
            party_names.update(str(n).lower() for n in p.get("nicknames", []) or [])
        # Very short names ("AB") would match inside ordinary words.
        colours = {str(x).lower() for c in candidates for key in ("colours", "traits", "cues") for x in c.get(key, []) or []}
        return cls(frozenset(n for n in names if len(n) >= 3), frozenset(n for n in party_names if len(n) >= 2),
                   frozenset(t.lower() for t in terms), frozenset(h.lower().lstrip("@") for h in handles),
                   frozenset(colours))

    def merged(self, other: "Entities") -> "Entities":
        """Both registries at once: the national defaults plus an office's own Pilkada."""
        return Entities(self.names | other.names, self.parties | other.parties, self.terms | other.terms,
                        self.handles | other.handles, self.colours | other.colours)


NATIONAL_DEFAULTS = Path(__file__).resolve().parent / "national_2024.toml"


@lru_cache(maxsize=4)
def national_entities(path: Path = NATIONAL_DEFAULTS) -> Entities:
    """The shipped Pilpres 2024 pairs and Pemilu 2024 parties, so an empty registry still knows them.

    Slogans ("gemoy", "sat set") are ordinary words elsewhere, so they become names (they need a
    stance cue beside them), while hashtags are campaign terms (a hit alone is a strong cue).
    """
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    pairs = data.get("pair", [])
    candidates = [p | {"nicknames": list(p.get("nicknames", [])) + list(p.get("slogans", []))} for p in pairs]
    terms = [t for p in pairs for t in p.get("hashtags", [])]
    return Entities.from_registry(candidates, data.get("party", []), terms)


@dataclass(frozen=True)
class RuleHit:
    rule: str
    code: str
    weight: float        # 0..1: how strongly this alone suggests a partisan post
    span: tuple[int, int]
    matched: str
    description: str     # Bahasa Indonesia, shown to the reviewer


@dataclass(frozen=True)
class RuleResult:
    score: float
    hits: tuple[RuleHit, ...]
    civic: tuple[RuleHit, ...]
    code: str | None = None
    context: bool = False   # the post mentions an election, a contestant or a party at all
    side: bool = False      # the stance layer found the author taking a side (classifiers.stance)

    @property
    def fired(self) -> bool:
        return bool(self.hits)


@dataclass(frozen=True)
class _Rule:
    id: str
    code: str
    weight: float
    pattern: re.Pattern[str]
    description: str
    needs_entity: bool = False   # only counts with an entity or ballot number within reach
    strong: bool = False         # never damped by civic patterns
    # Lower-case substrings the pattern cannot match without: a cheap ``in`` test skips the
    # regex for almost every post (most posts are about nothing electoral). Empty: always run.
    triggers: tuple[str, ...] = ()


def _p(text: str) -> re.Pattern[str]:
    return re.compile(text, re.IGNORECASE | re.UNICODE)


_ENTITY_FREE_RULES: tuple[_Rule, ...] = (
    _Rule("salam_jari", "N7", 0.9, _p(rf"\bsalam\s*{_NUM}\s*jari\b|#salam{_NUM}jari"),
          "salam jari (isyarat dukungan nomor urut)", strong=True, triggers=("salam",)),
    _Rule("vote_number", "N1", 0.85,
          _p(rf"\b(?:coblos|nyoblos|nyoblosa?|contreng|pilih|pilihlah|menangkan|dukung|vote)\s+"
             rf"(?:(?:lah|aja|saja|ya|yuk)\s+)?(?:no\.?|nomor|nomer|nmr|urut|paslon|pasangan)\s*(?:urut\s*)?{_NUM}\b"
             rf"|\b(?:coblos|nyoblos|contreng)\s*{_NUM}\b|#(?:coblos|pilih)\w*\d"),
          "ajakan memilih nomor urut tertentu", strong=True, triggers=("oblos", "contreng", "pilih", "menangkan", "dukung", "vote")),
    _Rule("ballot_hashtag", "N1", 0.6, _p(r"#\w*(?:menang|juara|pilih|coblos|lanjutkan|satuputaran)\w*"),
          "tagar bernada kampanye", triggers=("#",)),
    # Movements to replace or keep the head of government, whoever holds the office:
    # "#2019GantiPresiden", "#GantiGubernur2024", "#Jokowi2Periode", "#AsalBukanX",
    # "#2019PresidenBaru", "2024 ganti presiden". They are campaigns without a registry name.
    _Rule("office_campaign", "N1", 0.75,
          _p(r"#\w*(?:ganti(?:presiden|gubernur|bupati|walikota|walkot)|(?:presiden|gubernur|bupati|walikota)baru"
             r"|2periode|duaperiode|asalbukan)\w*"
             r"|\b\w*ganti(?:presiden|gubernur|bupati|walikota|walkot)\w*"
             r"|\b20\d\d\s*ganti\s*(?:presiden|gubernur|bupati|wali\s*kota)\b"
             r"|\bganti\s*(?:presiden|gubernur|bupati|wali\s*kota)\s*20\d\d\b"),
          "slogan kampanye mengganti atau mempertahankan kepala pemerintahan",
          triggers=("ganti", "baru", "periode", "asalbukan")),
    _Rule("team", "N11", 0.7,
          _p(r"\b(?:tim\s*pemenangan|koordinator\s+relawan|korlap\s+relawan|relawan\s+(?:pemenangan|paslon|capres|cabup|cawalkot|caleg)"
             r"|ketua\s+(?:dpc|dpd|ranting|pac)|kader\s+partai|kartu\s+(?:tanda\s+)?anggota\s+partai|pengurus\s+partai)\b"),
          "keanggotaan tim pemenangan atau partai", triggers=("tim", "koordinator", "korlap", "relawan", "ketua", "kader", "kartu", "pengurus")),
    _Rule("team_entity", "N11", 0.65, _p(r"\b(?:relawan|timses|tim\s+sukses|simpatisan|pendukung\s+setia)\b"),
          "relawan atau tim sukses seorang calon", needs_entity=True, triggers=("relawan", "timses", "tim", "simpatisan", "pendukung")),
    _Rule("money", "N10", 0.75,
          _p(r"\b(?:serangan\s+fajar|amplop(?:an)?|uang\s+(?:transport|bensin|saku|duduk)|bagi(?:-bagi)?\s+sembako|"
             r"money\s*politic\w*|politik\s+uang|dikasih\s+(?:50|100|200)\s*(?:rb|ribu|k)\b)"),
          "indikasi politik uang", needs_entity=True, triggers=("serangan", "amplop", "uang", "sembako", "money", "politik", "dikasih")),
    _Rule("invite_event", "N9", 0.65,
          _p(r"\b(?:hadir|hadiri|datang|ikut|melu|ngiring|rawuh|ajak|undang)\w*\b[^.!?\n]{0,40}\b(?:kampanye|deklarasi|rapat\s+akbar|konsolidasi\s+relawan|jalan\s+sehat\s+bersama\s+(?:paslon|calon))"),
          "ajakan atau kehadiran di acara kampanye", needs_entity=True, triggers=("kampanye", "deklarasi", "rapat", "konsolidasi", "jalan")),
    _Rule("pre_candidate", "N13", 0.75,
          _p(r"\b(?:mohon|nyuwun)\s+(?:doa\s+(?:dan\s+)?)?(?:restu|dukungan)\b[^.!?\n]{0,60}\b(?:maju|mencalonkan|nyalon|bakal\s+calon|pilkada|pileg|caleg|dprd|bupati|wali\s*kota)"
             r"|\b(?:insya\s*allah|siap)\s+maju\s+(?:sebagai|di|pada|dalam)?\s*(?:caleg|calon|pilkada|pileg|bupati|wali\s*kota|dprd)"),
          "promosi diri bakal calon", triggers=("mohon", "nyuwun", "maju")),
    _Rule("facility", "N12", 0.8,
          _p(r"\b(?:mobil|kendaraan)\s+dinas\b[^.!?\n]{0,50}\b(?:kampanye|paslon|relawan|deklarasi)"
             r"|\bprogram\s+ini\s+(?:berkat|dari|hadiah)\s+(?:paslon|calon|pak\s+calon|bu\s+calon)"),
          "penggunaan jabatan atau fasilitas negara untuk calon", triggers=("dinas", "program")),
    _Rule("support_verb", "N1", 0.7,
          _p(r"\b(?:coblos|nyoblos|pilih|pilihlah|menangkan|dukung|dukungan\s+untuk|all\s+in|lanjutkan|satu\s+putaran|"
             r"jangan\s+pilih|jangan\s+coblos|jgn\s+pilih|ogah\s+pilih|tolak)\b"),
          "ajakan mendukung atau menolak calon", needs_entity=True, triggers=("oblos", "pilih", "menangkan", "dukung", "all", "lanjutkan", "putaran", "tolak")),
    _Rule("gesture_emoji", "N7", 0.6, _p(f"[{_GESTURES}]"), "emoji isyarat jari di dekat calon atau nomor",
          needs_entity=True, triggers=tuple(_GESTURES)),
)

CIVIC_PATTERNS: tuple[_Rule, ...] = (
    _Rule("civic_vote", "", 0.0, _p(r"\b(?:ayo|yuk|mari)\s+(?:ke|datang\s+ke)\s+tps\b|\bgunakan\s+hak\s+pilih|\bjangan\s+golput|\bdatang\s+ke\s+tps"),
          "ajakan netral ke TPS / menggunakan hak pilih", triggers=("tps", "pilih", "golput")),
    _Rule("civic_dpt", "", 0.0, _p(r"\bcek\s*dpt|cekdptonline|\bdaftar\s+pemilih\s+tetap|\bundangan\s+c6|\bformulir\s+c"),
          "informasi DPT dan administrasi pemilih", triggers=("dpt", "daftar", "c6", "formulir")),
    _Rule("civic_kpu", "", 0.0, _p(r"\b(?:jadwal|tahapan|sosialisasi|pengumuman|rekapitulasi)\b[^.!?\n]{0,40}\b(?:kpu|bawaslu|pemilu|pilkada|pemungutan)"),
          "informasi resmi KPU/Bawaslu", triggers=("kpu", "bawaslu", "pemilu", "pilkada", "pemungutan")),
    _Rule("civic_neutrality", "", 0.0, _p(r"\b(?:asn|pns|pegawai)\s+(?:wajib|harus|tetap|mesti)\s+netral|\bjaga\s+netralitas|\bnetralitas\s+asn|\bsaya\s+(?:tetap\s+)?netral"),
          "pengingat netralitas ASN", triggers=("netral",)),
    _Rule("civic_anti_money", "", 0.0, _p(r"\b(?:tolak|lawan|laporkan|stop|jangan\s+terima)\s+(?:politik\s+uang|serangan\s+fajar|money\s*politic)"),
          "kampanye menolak politik uang", triggers=("politik", "serangan", "money")),
    _Rule("civic_duty", "", 0.0, _p(r"\b(?:dalam\s+rangka\s+tugas|tugas\s+(?:dari|pengamanan|dinas|liputan|jaga)|pengamanan|surat\s+tugas|bertugas)\b"),
          "kehadiran karena tugas resmi", triggers=("tugas", "pengamanan")),
    _Rule("civic_debunk", "", 0.0, _p(r"\b(?:hoaks|hoax|faktanya|cek\s+fakta|klarifikasi)\b"), "klarifikasi atau bantahan hoaks", triggers=("hoaks", "hoax", "fakta", "klarifikasi")),
)


_NEGATION = _p(r"\b(?:tidak|tak|tanpa|bukan|ojo|aja|jangan|jgn|gak|ga|nggak|ngga|enggak|ora|ndak|dilarang|larangan|hindari|teu|ulah)\b[\w\s-]{0,12}$")
_REACH = 60  # characters between a cue and the entity it is about


def _negated(text: str, start: int) -> bool:
    """'tidak ikut kampanye', 'bukan tim sukses', 'ojo melu kampanye': the cue is denied."""
    return bool(_NEGATION.search(text[max(0, start - 24):start]))


def _entity_pattern(entities: Entities) -> re.Pattern[str] | None:
    words = sorted(entities.names | entities.parties, key=len, reverse=True)
    if not words:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)", re.IGNORECASE)


_GENERIC_ENTITY = _p(rf"\b(?:paslon|pasangan\s+calon|capres|cawapres|cagub|cabup|cawalkot|calon\s+(?:bupati|wali\s*kota|gubernur|presiden)|caleg|partai)\b|\b(?:no\.?|nomor|nomer|nmr)\s*urut\s*{_NUM}\b"
                       r"|(?<!rt )(?<!rw )(?<!rt\.)(?<!rw\.)(?<!pukul )(?<!jam )(?<!kelas )\b0[1-3]\b(?![.:/,]\d)")


class RuleEngine:
    """Applies the rules with one registry's entities. Cheap to build; reuse per batch."""

    def __init__(self, entities: Entities | None = None) -> None:
        self.entities = entities or Entities()
        self._entity_re = _entity_pattern(self.entities)
        self._terms = sorted(self.entities.terms, key=len, reverse=True)
        self._last: tuple[str, list[tuple[int, int]]] | None = None

    def entity_spans(self, text: str) -> list[tuple[int, int]]:
        """Spans of generic election words, registry names and handles; the last text's spans are
        kept, because the rules and the stance layer both ask for them."""
        if self._last is not None and self._last[0] is text:
            return self._last[1]
        spans = self._entity_spans(text)
        self._last = (text, spans)
        return spans

    def _entity_spans(self, text: str) -> list[tuple[int, int]]:
        spans = [m.span() for m in _GENERIC_ENTITY.finditer(text)]
        if self._entity_re is not None:
            spans += [m.span() for m in self._entity_re.finditer(text)]
        lowered = text.lower()
        for handle in self.entities.handles:
            start = lowered.find("@" + handle)
            if start >= 0:
                spans.append((start, start + len(handle) + 1))
        return sorted(spans)

    def apply(self, text: str) -> RuleResult:
        lowered = text.lower()
        hits: list[RuleHit] = []
        for term in self._terms:
            start = lowered.find(term)
            if start >= 0:
                hits.append(RuleHit("campaign_term", "N1", 0.9, (start, start + len(term)), text[start:start + len(term)],
                                    "tagar atau slogan kampanye terdaftar"))
        # One pass over every trigger and context word (substring tests, no regex).
        present = {t for t in _ALL_KEYS if t in lowered}
        if not present.isdisjoint(_CONTEXT_SET):
            context = True
        else:
            context = self.has_context(text, lowered, words_checked=True)
        run_stance = context or any(w in lowered for w in _STANCE_TRIGGERS)
        stance = stance_layer.assess(text, self.entity_spans) if run_stance else None
        if stance is not None and (stance.side or stance.talk):
            return self._with_stance(text, lowered, present, hits, stance)
        if not hits and present.isdisjoint(_ALL_TRIGGERS):
            # Every rule and civic pattern has triggers, so none can match.
            return _CONTEXT_ONLY if context else _NOTHING
        hits += self._rule_hits(text, present)
        civic = self._civic_hits(text, present)
        context = context or bool(hits)
        if not hits and not civic:
            return _CONTEXT_ONLY if context else _NOTHING
        score = max((h.weight for h in hits), default=0.0)
        if civic and not any(h.rule in _STRONG for h in hits):
            score *= 0.35  # civic framing: keep the hint, but do not flag on it alone
        top = max(hits, key=lambda h: h.weight, default=None)
        return RuleResult(round(score, 4), tuple(hits), tuple(civic), top.code if top else None, context)

    def _rule_hits(self, text: str, present: set[str]) -> list[RuleHit]:
        """The first match of each entity-free rule (not negated, and near an entity when needed)."""
        hits: list[RuleHit] = []
        entity_spans: list[tuple[int, int]] | None = None  # computed only when a rule needs them
        for rule in _ENTITY_FREE_RULES:
            if rule.triggers and present.isdisjoint(rule.triggers):
                continue
            for match in rule.pattern.finditer(text):
                start, end = match.span()
                if _negated(text, start):
                    continue
                if rule.needs_entity:
                    if entity_spans is None:
                        entity_spans = self.entity_spans(text)
                    if not any(s - _REACH <= end and start <= e + _REACH for s, e in entity_spans):
                        continue
                hits.append(RuleHit(rule.id, rule.code, rule.weight, (start, end), match.group(0), rule.description))
                break
        return hits

    @staticmethod
    def _civic_hits(text: str, present: set[str]) -> list[RuleHit]:
        return [RuleHit(r.id, "", 0.0, m.span(), m.group(0), r.description)
                for r in CIVIC_PATTERNS if not r.triggers or not present.isdisjoint(r.triggers)
                for m in [r.pattern.search(text)] if m]

    def _with_stance(self, text: str, lowered: str, present: set[str], hits: list[RuleHit],
                     stance: stance_layer.Stance) -> RuleResult:
        """Rules and stance together: hits inside a talk-framed sentence are dropped (a reminder that
        names "salam dua jari" is not a salute), surviving side cues become hits naming cue and
        entity, and talk frames count as civic context."""
        hits = [h for h in hits + self._rule_hits(text, present) if not stance.in_scope(h.span, strong=h.rule in _STRONG)]
        for cue in stance.side:
            about = f" — tentang: {cue.entity}" if cue.entity else ""
            hits.append(RuleHit(f"sikap_{cue.kind}", _STANCE_CODES.get(cue.kind, "N1"), _STANCE_WEIGHTS.get(cue.kind, 0.6),
                                cue.span, cue.matched, f"sikap: {cue.description}{about}"))
        civic = [RuleHit(f"bahas_{f.kind}", "", 0.0, f.span, f.matched, f"membahas pemilu: {f.description}") for f in stance.talk]
        civic += self._civic_hits(text, present)
        score = max((h.weight for h in hits), default=0.0)
        if civic and not any(h.rule in _STRONG or h.rule.startswith("sikap_") for h in hits):
            score *= 0.35
        top = max(hits, key=lambda h: h.weight, default=None)
        return RuleResult(round(score, 4), tuple(hits), tuple(civic), top.code if top else None, True, stance.takes_side)

    def has_context(self, text: str, lowered: str | None = None, *, words_checked: bool = False) -> bool:
        """True when the post names anything electoral: election words, a registry entity or term."""
        lowered = text.lower() if lowered is None else lowered
        if not words_checked:
            for word in _CONTEXT_WORDS:
                if word in lowered:
                    return True
        if ("tps" in lowered or "kpu" in lowered or "dpr" in lowered or "0" in lowered) and _CONTEXT_SHORT.search(lowered):
            return True
        if any(term in lowered for term in self._terms) or any("@" + h in lowered for h in self.entities.handles):
            return True
        if any(w in lowered for w in _CODE_WORDS) and any(c in lowered for c in self.entities.colours):
            return True  # "seragam biru muda hari ini bukan kebetulan, kode buat Rabu": a colour code
        return self._entity_re is not None and self._entity_re.search(text) is not None


#: Violation code and weight of each stance side cue (weights >= 0.5 flag on their own).
_STANCE_CODES = {"politik_uang": "N10", "doa_menang": "N9", "atribut_ootd": "N7", "murid_bangga": "N12"}
_STANCE_WEIGHTS = {"ajakan_daerah": 0.85, "kode_visual": 0.8, "politik_uang": 0.8, "kode_isyarat": 0.55,
                   "atribut_ootd": 0.7, "doa_menang": 0.7, "murid_bangga": 0.7, "serangan": 0.7, "dukungan": 0.6}
_STRONG = frozenset({"campaign_term"} | {r.id for r in _ENTITY_FREE_RULES if r.strong})
_NOTHING = RuleResult(0.0, (), (), None)
_CONTEXT_ONLY = RuleResult(0.0, (), (), None, True)
#: Words that put a post in electoral territory. A partisan score from the model alone, on a
#: post with none of these and no registry entity, needs stronger evidence (see model.predict):
#: the seed-corpus model otherwise flags thank-you notes and football posts.
_CONTEXT_WORDS = tuple("""
pemilu pilkada pilpres pileg pilwalkot pilbup pilgub pilkades pemilihan kampanye coblos contreng paslon
capres cawapres cagub cawagub cabup cawabup cawalkot caleg calon kandidat partai parpol bawaslu panwaslu
relawan timses golput dukung pilih suara periode petahana incumbent debat koalisi oposisi presiden
gubernur bupati walikota dewan menang urut jari ✌ ☝ 🤟 pencoblosan nyoblos
""".split()) + ("tim sukses", "wali kota", "14 februari", "27 november", "hari h",
                     "sing nomer", "nu nomer", "nu nomor", "ka nomor", "nomer siji", "nomer hiji")
_CODE_WORDS = ("kode", "ngerti", "paham", "kebetulan")
#: Side cues that can stand without an election word ("murid-murid teriak nomor 2, bangga", an
#: OOTD with a campaign shirt, "nyoblosnya sesuai yg ngasih"): their presence runs the stance layer.
_STANCE_TRIGGERS = ("murid", "siswa", "ootd", "outfit", "fit check", "ngasih", "amplop", "sowan")
# Short words that occur inside others ("https" holds "tps"): checked with word boundaries,
# and only when the substring is there at all (a substring test is ~50x cheaper than a regex).
_CONTEXT_SHORT = _p(r"\b(?:tps|kpud?|dprd?|0[1-3])\b")
_CONTEXT_SET = frozenset(_CONTEXT_WORDS)
_ALL_TRIGGERS = frozenset(t for r in _ENTITY_FREE_RULES + CIVIC_PATTERNS for t in r.triggers)
_ALL_KEYS = tuple(sorted(set(_ALL_TRIGGERS) | _CONTEXT_SET))
if any(not r.triggers for r in _ENTITY_FREE_RULES + CIVIC_PATTERNS):  # the early return relies on it
    raise RuntimeError("every rule needs triggers")
