"""Load the registry of "who" (elections, candidates, parties, campaign accounts, hashtags and
slogans) from TOML or CSV.

Local Pilkada candidates change every cycle, so the office edits a data file and re-imports
it; re-imports update by natural key. The whole file is validated before anything is written.

CSV files carry one record per row with a ``record`` column naming the section
(election, candidate, party, campaign_account, hashtag, slogan) and the TOML field names as
the other columns; list fields (``nicknames``, ``cues``: colours and descriptive cues of a candidate) are separated by ``;``.
"""

from __future__ import annotations

import csv
import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ..evidence import audit
from .handles import normalize_handle
from ..store import Store
from ..store import elections as rows

SECTIONS = ("elections", "candidates", "parties", "campaign_accounts", "hashtags", "slogans")
_CSV_RECORD = {
    "election": "elections", "pemilu": "elections",
    "candidate": "candidates", "kandidat": "candidates", "calon": "candidates",
    "party": "parties", "partai": "parties",
    "campaign_account": "campaign_accounts", "akun_kampanye": "campaign_accounts",
    "hashtag": "hashtags", "tagar": "hashtags",
    "slogan": "slogans",
}
ELECTION_TYPES = ("pilpres", "pileg", "pilkada")
OWNER_TYPES = ("candidate", "party", "team")
CANDIDATE_ROLES = ("pair", "pre_candidate", "single")
CANDIDATE_STATUSES = ("candidate", "pre_candidate", "withdrawn")


class ElectionFileError(ValueError):
    """The registry file cannot be used; ``problems`` lists every reason."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def read_file(path: str | Path) -> dict[str, list[dict[str, Any]]]:
    path = Path(path)
    if not path.is_file():
        raise ElectionFileError([f"berkas {path} tidak ditemukan"])
    if path.suffix.lower() == ".toml":
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ElectionFileError([f"{path.name}: TOML tidak valid ({exc})"]) from exc
        unknown = set(data) - set(SECTIONS)
        if unknown:
            raise ElectionFileError([f"bagian tidak dikenal: {', '.join(sorted(unknown))}"])
        return {s: list(data.get(s, [])) for s in SECTIONS}
    if path.suffix.lower() == ".csv":
        return _read_csv(path)
    raise ElectionFileError([f"format {path.suffix} tidak didukung; gunakan TOML atau CSV"])


def _read_csv(path: Path) -> dict[str, list[dict[str, Any]]]:
    data: dict[str, list[dict[str, Any]]] = {s: [] for s in SECTIONS}
    problems = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            kind = (row.pop("record", None) or row.pop("jenis", None) or "").strip().lower()
            section = _CSV_RECORD.get(kind)
            if section is None:
                problems.append(f"baris {line}: jenis rekaman {kind!r} tidak dikenal")
                continue
            record: dict[str, Any] = {k.strip(): v.strip() for k, v in row.items() if k and v and v.strip()}
            for key in ("year", "ballot_number", "number"):
                if key in record:
                    try:
                        record[key] = int(record[key])
                    except ValueError:
                        problems.append(f"baris {line}: {key} harus angka")
            for key in ("nicknames", "cues"):
                if key in record:
                    record[key] = [n.strip() for n in record[key].split(";") if n.strip()]
            record["_line"] = line
            data[section].append(record)
    if problems:
        raise ElectionFileError(problems)
    return data


def _where(record: dict[str, Any], section: str, index: int) -> str:
    return f"baris {record['_line']}" if "_line" in record else f"{section}[{index + 1}]"


def _as_date(value: Any) -> str | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value.isoformat()
    return date.fromisoformat(str(value)).isoformat()


def validate(store: Store, data: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """Check every record; return clean records or raise ElectionFileError with all problems."""
    problems: list[str] = []
    clean: dict[str, list[dict[str, Any]]] = {s: [] for s in SECTIONS}
    keys = {r["key"] for r in store.query("SELECT key FROM elections")}

    def need(record, section, i, *fields):
        missing = [f for f in fields if record.get(f) in (None, "")]
        if missing:
            problems.append(f"{_where(record, section, i)}: kolom {', '.join(missing)} wajib diisi")
        return not missing

    for i, e in enumerate(data["elections"]):
        if not need(e, "elections", i, "key", "type", "name", "year"):
            continue
        if e["type"] not in ELECTION_TYPES:
            problems.append(f"{_where(e, 'elections', i)}: jenis pemilu {e['type']!r} harus salah satu dari {', '.join(ELECTION_TYPES)}")
            continue
        try:
            dates = {f: _as_date(e.get(f)) for f in ("campaign_start", "campaign_end", "quiet_start", "quiet_end", "voting_day")}
        except ValueError as exc:
            problems.append(f"{_where(e, 'elections', i)}: tanggal tidak valid ({exc})")
            continue
        if dates["campaign_start"] and dates["campaign_end"] and dates["campaign_start"] > dates["campaign_end"]:
            problems.append(f"{_where(e, 'elections', i)}: masa kampanye berakhir sebelum dimulai")
        clean["elections"].append({"key": e["key"], "type": e["type"], "name": e["name"],
                                   "region": e.get("region"), "year": int(e["year"]), **dates})
        keys.add(e["key"])

    for i, c in enumerate(data["candidates"]):
        if not need(c, "candidates", i, "election", "name"):
            continue
        if c["election"] not in keys:
            problems.append(f"{_where(c, 'candidates', i)}: pemilu {c['election']!r} tidak ada")
        if c.get("role", "pair") not in CANDIDATE_ROLES:
            problems.append(f"{_where(c, 'candidates', i)}: peran {c.get('role')!r} tidak dikenal")
        if c.get("status", "candidate") not in CANDIDATE_STATUSES:
            problems.append(f"{_where(c, 'candidates', i)}: status {c.get('status')!r} tidak dikenal")
        if not isinstance(c.get("cues", []), list) or not all(isinstance(x, str) for x in c.get("cues", [])):
            problems.append(f"{_where(c, 'candidates', i)}: cues harus daftar teks (warna atau ciri calon)")
        clean["candidates"].append({k: v for k, v in c.items() if k != "_line"})

    for i, p in enumerate(data["parties"]):
        if need(p, "parties", i, "name", "abbreviation"):
            clean["parties"].append({k: v for k, v in p.items() if k != "_line"})

    for i, a in enumerate(data["campaign_accounts"]):
        if not need(a, "campaign_accounts", i, "platform", "handle", "owner_type", "owner"):
            continue
        try:
            handle = normalize_handle(a["platform"], a["handle"])
        except ValueError as exc:
            problems.append(f"{_where(a, 'campaign_accounts', i)}: {exc}")
            continue
        if a["owner_type"] not in OWNER_TYPES:
            problems.append(f"{_where(a, 'campaign_accounts', i)}: owner_type {a['owner_type']!r} harus candidate, party atau team")
        if a.get("election") and a["election"] not in keys:
            problems.append(f"{_where(a, 'campaign_accounts', i)}: pemilu {a['election']!r} tidak ada")
        clean["campaign_accounts"].append({**{k: v for k, v in a.items() if k != "_line"}, "handle": handle})

    for section, field_name in (("hashtags", "tag"), ("slogans", "text")):
        for i, t in enumerate(data[section]):
            if not need(t, section, i, field_name):
                continue
            if t.get("election") and t["election"] not in keys:
                problems.append(f"{_where(t, section, i)}: pemilu {t['election']!r} tidak ada")
            text = str(t[field_name]).strip()
            if section == "hashtags" and not text.startswith("#"):
                text = "#" + text
            clean[section].append({"text": text, "election": t.get("election"), "owner": t.get("owner")})

    if problems:
        raise ElectionFileError(problems)
    return clean


def import_file(store: Store, path: str | Path, *, actor: str = "system") -> dict[str, int]:
    """Validate and write the whole file in one transaction; audited."""
    clean = validate(store, read_file(path))
    with store.write():
        counts = rows.upsert_registry(store, clean)
        audit.record(store, actor, "elections.import", f"file:{Path(path).name}", **counts)
    return counts


# --- removing rows -------------------------------------------------------------------------------

#: The natural key of each section, in the order a key is written (``election:name``).
KEY_FIELDS = {"elections": ("key",), "candidates": ("election", "name"), "parties": ("abbreviation",),
              "campaign_accounts": ("platform", "handle"), "hashtags": ("text",), "slogans": ("text",)}
SECTION_LABELS = {"elections": "pemilu", "candidates": "calon", "parties": "partai",
                  "campaign_accounts": "akun kampanye", "hashtags": "tagar", "slogans": "slogan"}
_KEY_FORMS = {"candidates": "pemilu:nama", "campaign_accounts": "platform:handle"}


@dataclass
class Removal:
    """What one removal did, keys written as ``format_key`` writes them."""

    removed: list[str] = field(default_factory=list)       # rows deleted
    deactivated: list[str] = field(default_factory=list)   # campaign accounts set inactive

    @property
    def count(self) -> int:
        return len(self.removed) + len(self.deactivated)


def format_key(key: tuple[str, ...]) -> str:
    return ":".join(str(part) for part in key)


def parse_key(section: str, text: str) -> tuple[str, ...]:
    """A key typed on the command line: ``election:name`` and ``platform:handle`` for two-part keys.

    Only the first ``:`` separates, because Bluesky DIDs and RSS URLs contain colons themselves.
    """
    _check_section(section)
    if len(KEY_FIELDS[section]) == 1:
        key: tuple[str, ...] = (text.strip(),)
    else:
        first, sep, rest = text.partition(":")
        if not sep or not first.strip() or not rest.strip():
            raise ElectionFileError([f"kunci {text!r} harus ditulis {_KEY_FORMS[section]}"])
        key = (first.strip(), rest.strip())
    if not key[0]:
        raise ElectionFileError(["kunci kosong"])
    return key


def _check_section(section: str) -> None:
    if section not in SECTIONS:
        raise ElectionFileError([f"bagian {section!r} tidak dikenal; pilih salah satu dari {', '.join(SECTIONS)}"])


def _ascii_fold(text: str) -> str:
    """SQLite's NOCASE folds ASCII letters only; matching it keeps '#Ä' and '#ä' distinct, as stored."""
    return "".join(c.lower() if c.isascii() else c for c in text)


def record_key(section: str, record: dict[str, Any]) -> tuple[str, ...] | None:
    """The natural key of a stored or edited record, normalised as the database compares it.

    Works on raw edited rows (before validation), so the keys a user confirms removing on the
    page are the keys that are removed. None when the record has no key yet.
    """
    def text(field_name: str) -> str:
        value = record.get(field_name)
        return "" if value is None or value != value else str(value).strip()

    if section in ("hashtags", "slogans"):
        value = text("text") or text("tag")
        if not value:
            return None
        if section == "hashtags" and not value.startswith("#"):
            value = "#" + value
        return (_ascii_fold(value),)
    key = tuple(text(f) for f in KEY_FIELDS[section])
    if not all(key):
        return None
    if section == "parties":
        return (_ascii_fold(key[0]),)
    if section == "campaign_accounts":
        try:
            return (key[0], normalize_handle(key[0], key[1]))
        except ValueError:
            return key
    return key


def removed_keys(section: str, before: list[dict[str, Any]], edited: list[dict[str, Any]]) -> list[tuple[str, ...]]:
    """Keys present in ``before`` (stored rows) and missing from ``edited``: the rows a user deleted.

    Returned as stored (original case), so they name the rows exactly.
    """
    _check_section(section)
    kept = {record_key(section, r) for r in edited}
    removed = []
    for row in before:
        folded = record_key(section, row)
        if folded is not None and folded not in kept:
            stored = tuple(str(row.get(f) if f != "text" else (row.get("text") or row.get("tag")))
                           for f in KEY_FIELDS[section])
            removed.append(stored)
    return removed


def remove_registry_rows(store: Store, actor: str, section: str, keys: list[tuple[str, ...]]) -> Removal:
    """Remove registry rows by natural key, all or nothing; each removal audited with its values.

    Nothing evidence depends on is erased: campaign accounts are deactivated (interactions,
    flags and collector errors point at them), and an election is refused while candidates,
    campaign accounts or terms still belong to it. Candidates, parties, hashtags and slogans
    are matching vocabulary, not evidence, so they are deleted. Unknown keys and refusals are
    all reported in one ElectionFileError and nothing is changed.
    """
    _check_section(section)
    label = SECTION_LABELS[section]
    problems: list[str] = []
    result = Removal()
    with store.write():
        for key in dict.fromkeys(tuple(k) for k in keys):
            if len(key) != len(KEY_FIELDS[section]):
                problems.append(f"kunci {format_key(key)!r} untuk {label} harus ditulis "
                                f"{_KEY_FORMS.get(section, KEY_FIELDS[section][0])}")
                continue
            if section == "campaign_accounts":
                try:
                    key = (key[0], normalize_handle(key[0], key[1]))
                except ValueError as exc:
                    problems.append(f"{label} {format_key(key)}: {exc}")
                    continue
            if section == "hashtags" and not key[0].startswith("#"):
                key = ("#" + key[0],)
            name = format_key(key)
            row = rows.find_registry_row(store, section, key)
            if row is None:
                problems.append(f"{label} {name} tidak ada di registri")
                continue
            if section == "campaign_accounts":
                if not row["active"]:
                    problems.append(f"{label} {name} sudah nonaktif")
                    continue
                rows.deactivate_campaign_account(store, row["id"])
                result.deactivated.append(name)
                audit.record(store, actor, "elections.remove", f"{section}:{name}", section=section,
                             effect="deactivated", removed=row)
                continue
            if section == "elections":
                refusal = _election_refusal(store, name, row["id"])
                if refusal:
                    problems.append(refusal)
                    continue
            rows.delete_registry_row(store, section, row["id"])
            result.removed.append(name)
            audit.record(store, actor, "elections.remove", f"{section}:{name}", section=section,
                         effect="deleted", removed=row)
        if problems:
            raise ElectionFileError(problems)  # rolls the whole transaction back
    return result


def _election_refusal(store: Store, name: str, election_id: int) -> str | None:
    deps = rows.election_dependents(store, election_id)
    if not (deps["candidates"] or deps["campaign_accounts"] or deps["terms"]):
        return None
    parts = []
    if deps["candidates"]:
        parts.append(f"{deps['candidates']} calon")
    if deps["campaign_accounts"]:
        inactive = deps["inactive_campaign_accounts"]
        note = f" ({inactive} nonaktif, disimpan sebagai konteks bukti)" if inactive else ""
        parts.append(f"{deps['campaign_accounts']} akun kampanye{note}")
    if deps["terms"]:
        parts.append(f"{deps['terms']} tagar/slogan")
    return (f"pemilu {name} tidak dapat dihapus: masih dipakai oleh {', '.join(parts)}. "
            "Hapus calon dan tagar/slogannya atau pindahkan ke pemilu lain terlebih dahulu.")
