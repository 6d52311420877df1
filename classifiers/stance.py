"""Stance, not topic: does the author take a side, or talk about the election?

Why: most false partisan flags were posts *about* the election (a neutrality reminder that names
"salam dua jari", a KPU draw listing every pair, a refusal to join a volunteer group), and many
missed ones take a side without a "coblos" (a colour code, a nickname with "menang", a prayer for
a candidate's win after a visit, a money-politics admission). This module finds both kinds of
cue per sentence:

* **side cues** (supports, attacks, calls to vote, shows membership or attributes), and
* **talk frames** (reports, reminds, forbids, refuses, quotes news, instructs, unites, lists all
  sides).

A talk frame scopes its own sentence only: "ASN dilarang ikut kampanye paslon 02. Tapi coblos 02
ya" keeps the second sentence's call. A sentence naming two or more contestants (or ballot
numbers) with no side cue is a list, hence neutral. The rules engine (``classifiers.rules``)
turns surviving side cues into rule hits whose description names the cue and the entity.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Sequence

_NUM = r"(?:0?[1-9]|satu|dua|tiga|empat|siji|loro|telu|papat|hiji|tilu|opat|ciek|duo|tigo|ampek)\b"
_SENTENCE_END = re.compile(r"[.!?;\n]+(?:\s+|$)|\s+-\s+")


def _p(text: str) -> re.Pattern[str]:
    return re.compile(text, re.IGNORECASE | re.UNICODE)


@dataclass(frozen=True)
class Cue:
    """One side cue or talk frame: ``kind`` (id), Bahasa Indonesia ``description``, span."""

    kind: str
    description: str
    span: tuple[int, int]
    matched: str
    entity: str = ""   # the contestant the cue is about, when one is in its sentence


@dataclass(frozen=True)
class Stance:
    side: tuple[Cue, ...]      # cues that survive sentence scope: the author takes a side
    talk: tuple[Cue, ...]      # talk frames found (neutral election talk)
    scoped: tuple[tuple[int, int], ...] = ()   # sentence spans a talk frame neutralises
    reframed: tuple[tuple[int, int], ...] = ()  # sentences whose frame also cancels strong cues (see _REFRAMING)

    @property
    def takes_side(self) -> bool:
        return bool(self.side)

    def in_scope(self, span: tuple[int, int], *, strong: bool = False) -> bool:
        """True when ``span`` lies in a sentence a talk frame neutralises. A ``strong`` cue (a
        salute, "coblos 02") is cancelled only by a frame that reports or forbids it, not by
        "ayo ke TPS" beside it."""
        return any(s <= span[0] < e for s, e in (self.reframed if strong else self.scoped))


@dataclass(frozen=True)
class _CueRule:
    kind: str
    description: str
    pattern: re.Pattern[str]
    needs_entity: bool = False   # counts only with a contestant, party or ballot number in the sentence
    # Lower-case substrings the pattern cannot match without: a cheap ``in`` test skips the regex.
    triggers: tuple[str, ...] = ()


SIDE_CUES: tuple[_CueRule, ...] = (
    _CueRule("kode_visual", "dukungan lewat kode gambar, posisi atau ciri fisik calon",
             _p(r"\b(?:coblos|nyoblos|pilih|milih|contreng|dukung)\w*\s+(?:aja\s+|saja\s+|lah\s+|wae\s+)?"
                r"(?:(?:yang|yg|nu|sing)\s+(?:pake|pakai|berbaju|berpeci|berkacamata|rambut\w*|foto\w*|baju\w*|joget|gemoy|di\s+gambar|paling)"
                r"|gambar\s+(?:ke\s*)?(?:\d|pertama|kedua|ketiga|keempat|paling|di\s+tengah))"
                r"|\b(?:saya|sy|aku|gue|gw)\s+(?:mah\s+)?tetap\s+(?:yang|yg)\s+\w+"),
             triggers=('coblos', 'pilih', 'milih', 'contreng', 'dukung', 'tetap')),
    _CueRule("kode_isyarat", "kode dukungan terselubung menjelang pemungutan suara",
             _p(r"\b(?:paham\s+kan\s+maksud\w*|yg?\s+ngerti\s+pasti\s+ngerti|bukan\s+kebetulan|kode\s+(?:keras|buat|untuk))\b"),
             triggers=('paham', 'ngerti', 'kebetulan', 'kode')),
    _CueRule("ajakan_daerah", "ajakan memilih nomor urut (bahasa daerah)",
             _p(rf"\b(?:nyoblos|coblos|milih|pilih\w*|contreng|ka|ayo|yuk|mangga|monggo)\s+(?:(?:lah|aja|wae|lur|kabeh)\s+)?(?:sing\s+|nu\s+|nan\s+)?(?:nomer|nomor|no\.?)\s*{_NUM}"
                rf"|\b(?:sing|nu|nan)\s+(?:nomer|nomor|no\.?)\s*{_NUM}\s+(?:wae|ae|mawon|bae|wae\s+lur|sajo|weh)\b"),
             triggers=('nomer', 'nomor', 'no.', 'no ')),
    _CueRule("dukungan", "pernyataan dukungan atau harapan menang",
             _p(r"\b(?:menang\w*|pilihan\s*(?:ku|saya|sy|kami)|hati\s+(?:saya|sy|ku|kami)|the\s+best|harga\s+mati|satu\s+putaran|"
                r"dua\s+periode|2\s+periode|all\s+in|gak\s+ada\s+lawan|ga\s+ada\s+lawan|yakin\s+sama|paling\s+(?:ngerti|peduli|bener)|"
                r"satu\s+paket|no\s+debat|wis\s+kabukti|sampun\s+nyata|urang\s+awak|serasi)\b"), needs_entity=True,
             triggers=('menang', 'pilihan', 'hati', 'best', 'mati', 'putaran', 'periode', 'all in', 'lawan', 'yakin', 'paling', 'paket', 'debat', 'kabukti', 'nyata', 'awak', 'serasi')),
    _CueRule("atribut_ootd", "atribut kampanye dalam unggahan busana (OOTD)",
             _p(r"\b(?:ootd|outfit|fit\s+check)\b[^.!?\n]{0,80}\b(?:kaos|pin|bros|topi|kemeja|jaket|stiker)\b"
                r"|\b(?:kaos|pin|bros|topi|kemeja|jaket)\s+(?:relawan|paslon|capres|bergambar)\b[^.!?\n]{0,60}\b(?:ootd|outfit|fit\s+check)\b"),
             triggers=('ootd', 'outfit', 'fit check')),
    _CueRule("doa_menang", "kunjungan/sowan dengan doa untuk kemenangan calon",
             _p(r"\b(?:semoga|doakan|doa\w*|aamiin|amin|mudahkan)\b[^.!?\n]{0,50}\b(?:menang\w*|terpilih|kemenangan|jadi\s+(?:bupati|wali\s*kota|gubernur|presiden))"
                r"|\bposko\s+(?:pemenangan|relawan)\b"), needs_entity=True,
             triggers=('semoga', 'doa', 'amin', 'mudahkan', 'posko')),
    _CueRule("politik_uang", "pengakuan politik uang (memilih karena diberi)",
             _p(r"\bnyoblos\w*\s+sesuai\s+(?:yg|yang)\s+ngasih|\b(?:yang|yg)\s+(?:kasih|ngasih)\s+(?:paling\s+)?(?:gede|besar|banyak)\b[^.!?\n]{0,30}\b(?:dicoblos|dipilih)"
                r"|\bamplop\w*\b[^.!?\n]{0,40}\b(?:coblos|pilih|diterima)\w*|\b(?:dapet|dapat|dikasih)\s+\d+\s*(?:rb|ribu|k)\b[^.!?\n]{0,50}\b(?:coblos|pilih)\w*"
                r"|\bserangan\s+fajar\s+(?:udah|sudah)\s+masuk"),
             triggers=('nyoblos', 'ngasih', 'kasih', 'amplop', 'dapet', 'dapat', 'dikasih', 'serangan')),
    _CueRule("murid_bangga", "guru menyebarkan sorakan murid untuk calon dengan bangga",
             _p(r"\b(?:murid|siswa|anak\W?anak|anak2|anak\s+didik)\w*\b[^.!?\n]{0,80}\b(?:teriak|bilang|nyanyi|kompak|yel)\w*\b[^!?\n]{0,80}\bbangga"),
             triggers=('bangga',)),
    _CueRule("serangan", "ajakan menolak atau menyerang calon/partai",
             _p(r"\b(?:jangan|jgn)\s+kasih\s+suara|\bogah\s+(?:banget\s+)?(?:pilih|milih)|\b(?:partai|calon)\s+korup\b|\bkhianat\b|\bomong\s+kosong\b|\bomon-omon\b|\bcuma\s+janji"),
             needs_entity=True,
             triggers=('kasih suara', 'ogah', 'korup', 'khianat', 'omong kosong', 'omon', 'janji')),
)

TALK_FRAMES: tuple[_CueRule, ...] = (
    _CueRule("larangan", "pengingat larangan/sanksi netralitas",
             _p(r"\b(?:dilarang|larangan|(?:tidak|ga|gak|nggak|tak)\s+boleh|pelanggaran|sanksi\w*|dihukum|hukuman|teguran|ditegur|"
                r"wajib\s+netral|harus\s+netral|netralitas|tetap\s+netral|kita\s+netral|sy\s+netral|saya\s+netral|aturan\s+asn)\b"),
             triggers=('larang', 'boleh', 'pelanggaran', 'sanksi', 'hukum', 'tegur', 'netral', 'aturan')),
    _CueRule("penolakan", "menolak ajakan berpihak",
             _p(r"\b(?:(?:tidak|gak|ga|nggak)\s+(?:datang|hadir|bisa|ikut)|(?:saya|sy)\s+tolak|menolak|tolak\s+ajakan|(?:jgn|jangan)\s+masukin|kembalikan|maaf\s+(?:pak|bu|gak|ga|tidak))\b"),
             triggers=('datang', 'hadir', 'bisa', 'ikut', 'tolak', 'masukin', 'kembalikan', 'maaf')),
    _CueRule("laporan", "ajakan melapor ke pengawas pemilu",
             _p(r"\b(?:lapor(?:kan|lah)?|melapor\w*|adukan|aduan|pengaduan|bawaslu|panwaslu|pengawas\s+pemilu)\b"),
             triggers=('lapor', 'adu', 'bawaslu', 'panwaslu', 'pengawas')),
    _CueRule("berita", "pemberitaan atau informasi resmi",
             _p(r"\b(?:pengundian|menetapkan|jadwal\s+debat|menghadirkan|diikuti|disiarkan|berita|rekap\w*|hasil\s+resmi|quick\s+count|dikutip|bersaing)\b"),
             triggers=('pengundian', 'menetapkan', 'debat', 'menghadirkan', 'diikuti', 'disiarkan', 'berita', 'rekap', 'hasil resmi', 'quick count', 'dikutip', 'bersaing')),
    _CueRule("tata_cara", "petunjuk tata cara mencoblos",
             _p(r"\b(?:bidang\s+gambar|suara\s+sah|kolom\s+foto|cara\s+mencoblos|edukasi\s+pemilih|cukup\s+sekali)\b"),
             triggers=('bidang gambar', 'suara sah', 'kolom foto', 'cara mencoblos', 'edukasi pemilih', 'cukup sekali')),
    _CueRule("persatuan", "ajakan persatuan tanpa memihak",
             _p(r"\b(?:siapa\s*pun|apa\s*pun)\s+pilihan\w*|\bbeda\s+pilihan|\bpilihan\s+boleh\s+beda|\bjaga\s+persatuan|\btetap\s+(?:saudara|rukun)"
                r"|\bjangan\s+saling|\bdamai\s+pemilu|\bcalon\s+lain\b|\bmana\s*pun\b|\bsiapa\s*pun\b"),
             triggers=('siapa', 'apapun', 'apa pun', 'beda', 'persatuan', 'saudara', 'rukun', 'saling', 'damai', 'calon lain', 'manapun', 'mana pun')),
    _CueRule("rekonsiliasi", "rekonsiliasi setelah pemilihan",
             _p(r"\b(?:rekonsiliasi|bersatu\s+(?:kembali|lagi)|salaman\s+lagi|selamat\s+(?:untuk|kepada|buat)\s+(?:yang|yg)\s+(?:terpilih|menang)|"
                r"(?:pemilu|pilkada|kontestasi)\s+(?:sudah\s+)?(?:selesai|usai)|yang\s+menang\s+dan\s+kalah)\b"),
             triggers=('rekonsiliasi', 'bersatu', 'salaman', 'terpilih', 'selesai', 'usai', 'menang dan kalah')),
    _CueRule("ajakan_netral", "ajakan memilih tanpa menyebut pihak",
             _p(r"\b(?:jangan\s+golput|ulah\s+golput|(?:ke|ka)\s+tps|gunakan(?:lah)?\s+hak\s+pilih|hak\s+pilih(?:mu|nya)?\s+(?:urang|kita|anda|kamu|dengan|secara)|hak\s+pilihmu|hati\s+nurani|tentukan\s+sendiri|pilih\s+pemimpin\s+yang|kenali\s+calon\w*)\b"),
             triggers=('golput', 'tps', 'hak pilih', 'nurani', 'tentukan sendiri', 'pilih pemimpin', 'kenali')),
    _CueRule("program_resmi", "kegiatan resmi pemerintah daerah",
             _p(r"\b(?:bupati|wali\s*kota|walikota|gubernur|camat|pemkab|pemkot|pemprov|dinas)\b[^.!?\n]{0,40}\b(?:meresmikan|membuka|meninjau|kunjungan\s+kerja)\b"
                r"|\b(?:kunjungan\s+kerja|dibuka|diresmikan|dipimpin)\s+(?:oleh\s+)?(?:bupati|wali\s*kota|walikota|gubernur|camat)\b"),
             triggers=('meresmikan', 'membuka', 'kunjungan kerja', 'rapat koordinasi', 'meninjau', 'dipimpin', 'pemkab', 'pemkot')),
    _CueRule("cerita_pribadi", "cerita pribadi yang menyebut calon",
             _p(r"\b(?:lewat\s+posko|kejebak|macet|cerita|nanya|waktu\s+kecil|ketemu|dunia\s+sempit|satu\s+sekolah)\b"),
             triggers=('posko', 'kejebak', 'macet', 'cerita', 'nanya', 'waktu kecil', 'ketemu', 'dunia sempit', 'satu sekolah')),
)

#: Frames that do not cancel a side cue in the same sentence: a visit "ketemu" can come with a
#: prayer for a win, and "menang" next to a news word is still support.
_WEAK_FRAMES = frozenset({"cerita_pribadi"})
#: Frames that put even a strong cue in quotes: forbidding it, refusing, reporting, news, a ballot
#: instruction, a list of every side.
_REFRAMING = frozenset({"larangan", "penolakan", "laporan", "berita", "tata_cara", "daftar"})
_LIST_NUMBERS = _p(rf"(?:^|[\s,(:])0?([1-4])(?=[\s,.)]|$)")
#: Entity spans that are generic words ("paslon", "caleg", "nomor urut 2"), not a registered name.
_GENERIC = _p(r"^(?:paslon|pasangan|capres|cawapres|cagub|cabup|cawalkot|calon|caleg|partai|no\b|no\.|nomor|nomer|nmr|0)")
#: Cues that need a *registered* contestant, not a generic "paslon": "paslon 2 menang tipis" in an
#: OSIS election, "selamat buat yg menang ... semua paslon" are not support.
_NAMED_ONLY = frozenset({"dukungan"})


_TRIGGERS = tuple(sorted({t for r in SIDE_CUES + TALK_FRAMES for t in r.triggers}))


def sentences(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences (split on . ! ? ; newlines and ' - ')."""
    spans, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        if match.start() > start:
            spans.append((start, match.start()))
        start = match.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans or [(0, len(text))]


def _entity_in(entity_spans: Sequence[tuple[int, int]], text: str, start: int, end: int, *, named: bool = False) -> str:
    for s, e in entity_spans:
        if start <= s < end and not (named and _GENERIC.match(text[s:e])):
            return text[s:e]
    return ""


def _by_sentence(rules: Sequence[_CueRule], text: str, lowered: str,
                 bounds: list[tuple[int, int]]) -> list[list[tuple[_CueRule, re.Match]]]:
    """Matches of the rules whose triggers occur, grouped by the sentence they start in; one
    scan of the whole text per such rule (most posts wake none or one)."""
    found: list[list[tuple[_CueRule, re.Match]]] = [[] for _ in bounds]
    present = {t for t in _TRIGGERS if t in lowered}  # one pass of substring tests for every rule
    if not present:
        return found
    for rule in rules:
        if present.isdisjoint(rule.triggers):
            continue
        for match in rule.pattern.finditer(text):
            for index, (start, end) in enumerate(bounds):
                if start <= match.start() < end:
                    if not any(r is rule for r, _ in found[index]):
                        found[index].append((rule, match))
                    break
    return found


def assess(text: str, entity_spans: Callable[[str], list[tuple[int, int]]]) -> Stance:
    """Side cues and talk frames of ``text``, with talk frames scoping their own sentence."""
    spans: list[tuple[int, int]] | None = None
    side: list[Cue] = []
    talk: list[Cue] = []
    scoped: list[tuple[int, int]] = []
    reframed: list[tuple[int, int]] = []
    bounds = sentences(text)
    lowered = text.lower()
    side_found = _by_sentence(SIDE_CUES, text, lowered, bounds)
    talk_found = _by_sentence(TALK_FRAMES, text, lowered, bounds)
    for (start, end), side_matches, talk_matches in zip(bounds, side_found, talk_found):
        frames = [Cue(r.kind, r.description, m.span(), m.group(0)) for r, m in talk_matches]
        cues = []
        for rule, match in side_matches:
            if spans is None:
                spans = entity_spans(text)
            entity = _entity_in(spans, text, start, end, named=rule.kind in _NAMED_ONLY)
            if rule.needs_entity and not entity:
                continue
            cues.append(Cue(rule.kind, rule.description, match.span(), match.group(0), entity))
        sentence = text[start:end]
        if not frames and not cues and sentence.count(",") + sentence.count(" dan ") + sentence.count(" atau ") >= 1:
            # A sentence listing several contestants or ballot numbers, with no side, is a list.
            if spans is None:
                spans = entity_spans(text)
            named = {text[s:e].lower() for s, e in spans if start <= s < end and not _GENERIC.match(text[s:e])}
            if len(named) >= 3 or {"1", "2", "3"} <= set(_LIST_NUMBERS.findall(sentence)):
                frames.append(Cue("daftar", "menyebut semua pihak tanpa memihak", (start, end), sentence[:40]))
        talk.extend(frames)
        if any(f.kind in _REFRAMING for f in frames):
            reframed.append((start, end))
        if any(f.kind not in _WEAK_FRAMES for f in frames):
            scoped.append((start, end))
        else:
            side.extend(cues)
    return Stance(tuple(side), tuple(talk), tuple(scoped), tuple(reframed))


__all__ = ["Cue", "SIDE_CUES", "Stance", "TALK_FRAMES", "assess", "sentences"]
