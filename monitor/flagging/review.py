"""Reviewing flags: the priority queue, flag cards, decisions, bulk decisions and reopening.

A flag is a request for human review, never a verdict. Who may do what is decided here, and
the scope (a supervisor's units and their sub-units) is passed into every query so the
database never hands back another unit's flag, even when asked for it by id. Every decision
is written to the hash-chained audit log in the same transaction as the decision itself.
"""

from __future__ import annotations

import csv
import io
import re
import uuid
from dataclasses import asdict
from typing import Any, Mapping, Sequence

from .. import glossary
from ..cases.codes import VIOLATION_CODES as CODE_TABLE
from ..evidence import audit
from ..auth import User, current
from ..store import Store
from ..people import instansi
from ..store import people
from ..store import review as rows
from ..store.review import FlagQuery

__all__ = [
    "DECISIONS", "FlagQuery", "FlagNotFound", "ReviewError", "ReviewPermissionError", "VIOLATION_CODES",
    "bulk_count", "bulk_decide", "count", "decide", "flag_card", "my_decisions", "queue", "reopen", "scope_for",
]

#: The codes and their wording come from monitor.cases.codes: one description everywhere (the
#: queue, the case, the reports), issue 14. Labels shown in the UI come from monitor.glossary.
VIOLATION_CODES: dict[str, str] = {code: entry.description for code, entry in CODE_TABLE.items()}

DECISIONS = glossary.DECISIONS
STATUS_LABELS = glossary.FLAG_STATUSES
CATEGORY_LABELS = glossary.FLAG_LABELS
MODEL_CATEGORIES = ("partisan", "hate", "abusive", "hoax")
#: The model's two thresholds as reviewers read them (classifiers.model LEVEL_STRONG / LEVEL_REVIEW).
LEVEL_LABELS = {"kuat": "Indikasi kuat", "perlu_dilihat": "Perlu dilihat"}

DECIDERS = ("analyst", "admin")
READERS = ("analyst", "admin", "supervisor", "auditor")
# A decided flag must be reopened (with a reason) before it can be decided again.
_FROM_STATUSES = {"violation": ("open", "escalated"), "not_violation": ("open", "escalated"), "escalate": ("open",)}


class ReviewError(ValueError):
    """A decision that cannot be applied; the message is Indonesian and safe to show."""


class ReviewPermissionError(ReviewError):
    """The user's role may not do this."""


class FlagNotFound(ReviewError):
    """No such flag, or not in the user's scope: the same answer, so ids cannot be probed."""


def scope_for(store: Store, user: User) -> set[int] | None:
    """None for every unit; a supervisor gets their units and all sub-units (maybe empty); with
    several instansi in the database, every role gets its own instansi's units (issue 20)."""
    return instansi.unit_scope(store, user)


def _expanded(store: Store, q: FlagQuery) -> set[int] | None:
    return people.descendant_unit_ids(store, q.unit_ids) if q.unit_ids else None


def _require(store: Store, user: User, roles: Sequence[str]) -> None:
    """The role check, then the session check: the user must still be what the session holds."""
    if user.role not in roles:
        raise ReviewPermissionError("Peran Anda tidak boleh mengambil keputusan tinjauan.")
    current(store, user)


# --- reading ---------------------------------------------------------------------------------

def queue(store: Store, user: User, q: FlagQuery = FlagQuery(), *, limit: int = 25, offset: int = 0) -> list[dict]:
    """One page of flags by priority (score x category weight + the account's confirmed history)."""
    return rows.list_flags(store, q, scope_for(store, user), _expanded(store, q), limit=limit, offset=offset)


def count(store: Store, user: User, q: FlagQuery = FlagQuery()) -> int:
    """How many flags match ``q`` in the user's scope (the whole result, not one page)."""
    return rows.count_flags(store, q, scope_for(store, user), _expanded(store, q))


def next_flag(store: Store, user: User, q: FlagQuery = FlagQuery()) -> dict | None:
    found = queue(store, user, q, limit=1)
    return found[0] if found else None


def trigger_terms(explanation: dict, category: str) -> tuple[list[dict], list[str]]:
    """Rule hits (with exact spans in the text) and the word features that pushed the score up."""
    detail = explanation.get(category) or {}
    hits = list(detail.get("rules") or [])
    words = []
    for feature in detail.get("top_features") or []:
        name = str(feature.get("feature", ""))
        if name.startswith("kata:"):
            for word in name[5:].split():
                if len(word) >= 3 and word not in words:
                    words.append(word)
    return hits, words


def reviewer_explanation(text: str, explanation: dict | None, *, category: str, proposed_code: str | None = None,
                         claims: Sequence[dict] | None = None) -> list[dict]:
    """What the reviewer reads about one flag, in Bahasa (classifiers.explain), as plain dicts.

    Each item has ``kind`` (words, rule, civic, code, claim, no_claim), ``text`` (render as
    text, never HTML), ``words`` (this post's own words) and ``spans`` (their character ranges).
    The proposed code carries the wording and sanction range of monitor.cases.codes.
    """
    from classifiers.explain import reviewer_explanation as explain

    codes = {code: (entry.description, entry.sanction) for code, entry in CODE_TABLE.items()}
    return [r.as_dict() for r in explain(text or "", explanation, category=category, proposed_code=proposed_code,
                                         codes=codes, claims=claims)]


def highlight_spans(text: str, hits: Sequence[dict], words: Sequence[str]) -> list[tuple[int, int]]:
    """Merged character spans to highlight: rule matches, and words containing a top stem."""
    spans = []
    for hit in hits:
        span = hit.get("span")
        if span and 0 <= span[0] < span[1] <= len(text):
            spans.append((int(span[0]), int(span[1])))
    lowered = text.lower()
    for match in re.finditer(r"[#@]?\w+", lowered):
        token = match.group(0).lstrip("#@")
        if any(stem in token for stem in words):
            spans.append(match.span())
    return _merge(spans)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted spans with overlapping ones joined."""
    spans = sorted(spans)
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def flag_card(store: Store, user: User, flag_id: int) -> dict:
    """Everything a reviewer needs about one flag; FlagNotFound when absent or out of scope."""
    if user.role not in READERS:
        raise FlagNotFound("Temuan tidak ditemukan.")
    scope = scope_for(store, user)
    flag = rows.get_flag(store, int(flag_id), scope)
    if flag is None:
        raise FlagNotFound(f"Temuan #{flag_id} tidak ditemukan atau di luar cakupan Anda.")
    card: dict[str, Any] = {"flag": flag, "scores": {}, "rule_hits": [], "top_words": [], "highlights": [],
                            "versions": [], "interaction": None, "claims": []}
    if flag["post_id"]:
        found = rows.classification(store, flag["post_id"], flag["model_version"])
        if found:
            card["scores"] = found["scores"]
            hits, words = trigger_terms(found["explanation"], flag["category"])
            card["rule_hits"], card["top_words"] = hits, words
            card["explanation"] = found["explanation"].get(flag["category"], {})
        if (flag["version"] or 1) > 1:
            from ..store.posts import post_versions

            card["versions"] = post_versions(store, flag["post_id"])
        if flag["category"] == "hoax":
            from ..store.claims import matches_for_posts

            card["claims"] = matches_for_posts(store, [flag["post_id"]]).get(flag["post_id"], [])
        # What the reviewer reads (issue 14): only this post's own words, rules by name, the code.
        card["reasons"] = reviewer_explanation(flag["text"] or "", card.get("explanation"), category=flag["category"],
                                               proposed_code=flag["proposed_code"], claims=card["claims"])
        card["top_words"] = [w for r in card["reasons"] if r["kind"] == "words" for w in r["words"]]
        card["highlights"] = _merge([(s[0], s[1]) for r in card["reasons"] for s in r["spans"]])
    if flag["category"] == "report" and flag["post_id"] and not flag["account_id"]:
        from ..store import reports as report_rows

        card["report_handle"] = report_rows.named_handle(store, flag["post_id"])
    if flag["interaction_id"]:
        card["interaction"] = rows.interaction_detail(store, flag["interaction_id"])
    card["earlier_flags"] = (rows.account_flags(store, flag["account_id"], flag["id"], scope)
                             if flag["account_id"] else [])
    card["reviews"] = rows.flag_reviews(store, flag["id"])
    if flag["post_id"]:  # pictures: file hash, OCR text and near-copy group (issue 17)
        from ..store import pictures as picture_rows

        card["pictures"] = picture_rows.media_texts_for(store, [flag["post_id"]])
        card["groups"] = picture_rows.groups_of_posts(store, [flag["post_id"]])
    return card


def my_decisions(store: Store, user: User, *, limit: int = 50, offset: int = 0) -> list[dict]:
    return rows.reviews_by(store, user.id, scope_for(store, user), limit=limit, offset=offset)


# --- deciding --------------------------------------------------------------------------------

def _check_code(decision: str, code: str | None) -> str | None:
    if decision not in _FROM_STATUSES:
        raise ReviewError(f"Keputusan tidak dikenal: {decision!r}.")
    if decision != "violation":
        return None
    if code not in VIOLATION_CODES:
        raise ReviewError("Pilih jenis pelanggaran (kode N1–N13, H1–H4, K1, A1).")
    return code


def decide(store: Store, user: User, flag_id: int, decision: str, *, violation_code: str | None = None,
           note: str | None = None) -> dict:
    """Record one decision on one flag; returns the updated flag. Audited.

    A violation needs a code; without one the system's proposed code is used if it is valid.
    """
    _require(store, user, DECIDERS)
    return _decide(store, user, flag_id, decision, violation_code=violation_code, note=note)


def answer_escalation(store: Store, user: User, flag_id: int, decision: str, *, violation_code: str | None = None,
                      note: str | None = None) -> dict:
    """The superior's answer to an escalated flag of their units: a violation or not. Audited.

    Only escalated flags, only within the supervisor's scope (the scope is applied in SQL), and
    only the two final answers: the superior closes what the analyst could not decide alone.
    """
    _require(store, user, ("supervisor",))
    if decision not in ("violation", "not_violation"):
        raise ReviewError("Jawaban eskalasi: Pelanggaran atau Bukan pelanggaran.")
    return _decide(store, user, flag_id, decision, violation_code=violation_code, note=note, only=("escalated",))


def _decide(store: Store, user: User, flag_id: int, decision: str, *, violation_code: str | None,
            note: str | None, only: tuple[str, ...] | None = None) -> dict:
    note = (note or "").strip() or None
    with store.write():
        flag = rows.get_flag(store, int(flag_id), scope_for(store, user))
        if flag is None:
            raise FlagNotFound(f"Temuan #{flag_id} tidak ditemukan atau di luar cakupan Anda.")
        if only is not None and flag["status"] not in only:
            raise ReviewError(f"Temuan #{flag_id} tidak sedang dieskalasi "
                              f"(status: {STATUS_LABELS.get(flag['status'], flag['status'])}).")
        if decision == "violation" and not violation_code:
            violation_code = flag["proposed_code"]
        code = _check_code(decision, violation_code)
        if flag["status"] not in _FROM_STATUSES[decision]:
            raise ReviewError(f"Temuan #{flag_id} berstatus {STATUS_LABELS.get(flag['status'], flag['status'])}; "
                              "buka kembali dahulu untuk mengubah keputusan.")
        rows.apply_decision(store, [flag["id"]], reviewer_id=user.id, decision=decision,
                            from_statuses=_FROM_STATUSES[decision], violation_code=code, note=note)
        audit.record(store, user.username, "review.decide", f"flag:{flag['id']}", decision=decision,
                     violation_code=code, note=note, previous_status=flag["status"])
        _tell_cases(store, user, [flag["id"]], decision, note, {flag["id"]: flag["status"]})
        updated = rows.get_flag(store, flag["id"], None) or flag
        if decision == "escalate":
            _tell_superiors(store, user, [updated], note)
        return updated


def _tell_superiors(store: Store, user: User, flags: Sequence[dict], note: str | None) -> None:
    """Escalation reaches the unit's superiors (in-app, and e-mail when configured), issue 14."""
    from ..cases import notify  # late import, as for _tell_cases

    for flag in flags:
        notify.flag_escalated(store, flag, by=user.full_name or user.username, note=note)


def escalated(store: Store, user: User, *, limit: int = 200) -> list[dict]:
    """Escalated flags in the user's scope (a supervisor: their units and sub-units), newest first.

    What the superior's page lists: each row as the queue gives it (employee, unit, score, code).
    """
    if user.role not in READERS:
        raise ReviewPermissionError("Peran Anda tidak boleh melihat temuan.")
    q = FlagQuery(statuses=("escalated",), apply_thresholds=False)
    found = rows.list_flags(store, q, scope_for(store, user), _expanded(store, q), limit=None, order="time")
    return sorted(found, key=lambda f: (f["updated_at"] or "", f["id"]), reverse=True)[:limit]


def bulk_count(store: Store, user: User, q: FlagQuery, decision: str) -> int:
    """How many flags a bulk decision over ``q`` would change: show this before applying."""
    _require(store, user, DECIDERS)
    return count(store, user, _decidable(q, decision))


def _decidable(q: FlagQuery, decision: str) -> FlagQuery:
    allowed = _FROM_STATUSES.get(decision)
    if allowed is None:
        raise ReviewError(f"Keputusan tidak dikenal: {decision!r}.")
    statuses = [s for s in (q.statuses or allowed) if s in allowed]
    return FlagQuery(**{**asdict(q), "statuses": tuple(statuses) or ("__none__",)})


def bulk_decide(store: Store, user: User, q: FlagQuery, decision: str, *, expected_count: int,
                violation_code: str | None = None, note: str | None = None) -> int:
    """Apply one decision to the WHOLE filter result, not just the page shown. Audited with the count.

    ``expected_count`` is the number the user confirmed; if the result changed since (new flags,
    another reviewer), nothing is applied and ReviewError asks them to count again.
    """
    _require(store, user, DECIDERS)
    code = _check_code(decision, violation_code)
    note = (note or "").strip() or None
    target = _decidable(q, decision)
    with store.write():
        ids = rows.flag_ids(store, target, scope_for(store, user), _expanded(store, target))
        if len(ids) != expected_count:
            raise ReviewError(f"Jumlah temuan berubah ({expected_count} menjadi {len(ids)}); hitung ulang sebelum menerapkan.")
        if not ids:
            return 0
        batch = uuid.uuid4().hex
        result = rows.apply_decision(store, ids, reviewer_id=user.id, decision=decision,
                                     from_statuses=_FROM_STATUSES[decision], violation_code=code, note=note, batch=batch)
        audit.record(store, user.username, "review.bulk", f"batch:{batch}", decision=decision, violation_code=code,
                     note=note, count=len(result.applied), flag_ids=result.applied,
                     filter={k: v for k, v in asdict(target).items() if v not in ((), None)})
        _tell_cases(store, user, result.applied, decision, note, None)
        if decision == "escalate":
            _tell_superiors(store, user, [f for i in result.applied if (f := rows.get_flag(store, i, None))], note)
    return len(result.applied)


def reopen(store: Store, user: User, flag_id: int, reason: str) -> dict:
    """Return a decided flag to the queue; the reason is required and audited."""
    _require(store, user, DECIDERS)
    reason = (reason or "").strip()
    if not reason:
        raise ReviewError("Alasan membuka kembali wajib diisi.")
    with store.write():
        flag = rows.get_flag(store, int(flag_id), scope_for(store, user))
        if flag is None:
            raise FlagNotFound(f"Temuan #{flag_id} tidak ditemukan atau di luar cakupan Anda.")
        if flag["status"] == "open":
            raise ReviewError(f"Temuan #{flag_id} masih terbuka.")
        rows.apply_decision(store, [flag["id"]], reviewer_id=user.id, decision="reopen",
                            from_statuses=("confirmed", "dismissed", "escalated"), violation_code=None, note=reason)
        audit.record(store, user.username, "review.reopen", f"flag:{flag['id']}", reason=reason,
                     previous_status=flag["status"], previous_code=flag["violation_code"])
        _tell_cases(store, user, [flag["id"]], "reopen", reason, {flag["id"]: flag["status"]})
        return rows.get_flag(store, flag["id"], None) or flag


def _tell_cases(store: Store, user: User, flag_ids: Sequence[int], decision: str, reason: str | None,
                previous: dict[int, str] | None) -> None:
    """Let open cases holding these flags record the change, in the caller's transaction."""
    if not flag_ids:
        return
    from ..cases import workflow as cases  # late import: the queue's pages need no case machinery to start

    cases.flags_reviewed(store, user, flag_ids, decision, reason=reason, previous=previous)


# --- unit summary ----------------------------------------------------------------------------

def unit_summary(store: Store, user: User, *, date_from: str | None = None, date_to: str | None = None) -> dict:
    """Counts by unit/category/status, weekly trend, and employees with open or confirmed flags."""
    if user.role not in READERS:
        raise ReviewPermissionError("Peran Anda tidak memiliki akses ringkasan.")
    scope = scope_for(store, user)
    return {
        "by_unit": rows.counts_by_unit(store, scope, date_from=date_from, date_to=date_to),
        "by_week": rows.counts_by_week(store, scope, date_from=date_from, date_to=date_to),
        "employees": rows.employees_with_flags(store, scope),
    }


# --- model feedback --------------------------------------------------------------------------

def precision_by_category(store: Store) -> dict[str, dict[str, float | int]]:
    """Share of decided flags that reviewers confirmed, per category: the model's real precision."""
    result = {}
    for category, counts in rows.decided_by_category(store).items():
        decided = counts["confirmed"] + counts["dismissed"]
        result[category] = {**counts, "decided": decided,
                            "precision": round(counts["confirmed"] / decided, 4) if decided else 0.0}
    return result


def thresholds(store: Store) -> dict[str, float]:
    return rows.thresholds(store)


def threshold_effect(store: Store, category: str, threshold: float) -> dict[str, Any]:
    """What a queue threshold would do: open flags shown now and then, and reviewed precision above it."""
    current = rows.thresholds(store).get(category, 0.0)
    decided = rows.decided_by_category(store, score_min=threshold, category=category).get(
        category, {"confirmed": 0, "dismissed": 0})
    total = decided["confirmed"] + decided["dismissed"]
    return {"category": category, "current_threshold": current, "threshold": threshold,
            "queue_now": rows.open_count(store, category, score_min=current),
            "queue_after": rows.open_count(store, category, score_min=threshold),
            "confirmed_above": decided["confirmed"], "dismissed_above": decided["dismissed"],
            "precision_above": round(decided["confirmed"] / total, 4) if total else None}


def set_threshold(store: Store, user: User, category: str, threshold: float) -> None:
    """Hide open flags of ``category`` scoring below ``threshold`` from the default queue. Audited."""
    _require(store, user, DECIDERS)
    if category not in MODEL_CATEGORIES:
        raise ReviewError(f"Kategori {category!r} tidak memakai ambang skor.")
    if not 0.0 <= float(threshold) <= 1.0:
        raise ReviewError("Ambang harus antara 0 dan 1.")
    with store.write():
        previous = rows.thresholds(store).get(category)
        rows.set_threshold(store, category, float(threshold), actor=user.username)
        audit.record(store, user.username, "review.threshold", f"category:{category}",
                     threshold=float(threshold), previous=previous)


# --- exports ---------------------------------------------------------------------------------

#: Export columns: (row key, header, spreadsheet kind, meaning). CSV keeps UTC ISO times and
#: says so in the header; the XLSX shows them as office-zone date cells (monitor.spreadsheet).
_EXPORT_SPEC = (
    ("id", "ID temuan", "number", "Nomor temuan (tanda) di Netra."),
    ("category", "Kategori", "text", "Jenis temuan: keberpihakan, ujaran kebencian, bahasa kasar, hoaks, interaksi, laporan."),
    ("status", "Status", "text", "Keadaan tinjauan: terbuka, pelanggaran, bukan pelanggaran, dieskalasi."),
    ("violation_code", "Kode pelanggaran", "text", "Kode yang ditetapkan peninjau (lihat kode N/H/K/A)."),
    ("proposed_code", "Kode usulan", "text", "Kode yang diusulkan sistem; permintaan tinjauan, bukan putusan."),
    ("score", "Skor", "score", "Keyakinan model 0–1; bukan bukti pelanggaran."),
    ("activity_at", "Waktu kiriman (UTC)", "time", "Waktu kiriman atau interaksi."),
    ("platform", "Platform", "text", "Media sosial asal kiriman."),
    ("handle", "Akun", "text", "Akun ASN yang terdaftar."),
    ("url", "Tautan", "text", "Alamat kiriman di platform (jangan dibuka dari jaringan internal)."),
    ("employee", "Pegawai", "text", "Nama pegawai pemilik akun."),
    ("nip", "NIP", "text", "Nomor induk pegawai."),
    ("position", "Jabatan", "text", "Jabatan pegawai."),
    ("rank", "Pangkat/golongan", "text", "Pangkat atau golongan pegawai."),
    ("employment_type", "Status kepegawaian", "text", "PNS atau PPPK."),
    ("unit", "Unit kerja", "text", "Unit kerja pegawai."),
    ("text", "Teks", "text", "Isi kiriman apa adanya (data mentah, tidak dijalankan)."),
    ("deleted_at", "Dihapus pada (UTC)", "time", "Waktu kiriman terlihat dihapus dari platform."),
)
EXPORT_COLUMNS = {key: header for key, header, _kind, _note in _EXPORT_SPEC}
_EXPORT_LABELS = {"category": glossary.FLAG_LABELS, "status": glossary.FLAG_STATUSES, "platform": glossary.PLATFORMS}


def export_rows(store: Store, user: User, q: FlagQuery) -> list[dict]:
    """Flags for an export, oldest first, with full post text; scoped like every read. Audited."""
    if user.role not in READERS:
        raise ReviewPermissionError("Peran Anda tidak boleh mengekspor.")
    found = rows.list_flags(store, FlagQuery(**{**asdict(q), "apply_thresholds": False}),
                            scope_for(store, user), _expanded(store, q), limit=None, order="time", full_text=True)
    audit.record(store, user.username, "export.table", "flags", count=len(found),
                 filter={k: v for k, v in asdict(q).items() if v not in ((), None)})
    return [{label: _export_value(key, row.get(key)) for key, label in EXPORT_COLUMNS.items()} for row in found]


def _export_value(key: str, value: Any) -> Any:
    """Stored keys (partisan, confirmed, youtube) as the glossary's words; other values as stored."""
    table = _EXPORT_LABELS.get(key)
    return table.get(value, value) if table and value is not None else value


def _cell(value: Any) -> Any:
    # A cell starting with = + - @ would run as a formula in a spreadsheet: keep it text.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def rows_to_csv(table: list[dict]) -> bytes:
    """UTF-8 with BOM (Excel on Windows reads it as Unicode), formula-safe cells."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(EXPORT_COLUMNS.values()))
    writer.writeheader()
    for row in table:
        writer.writerow({k: _cell(v) for k, v in row.items()})
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def rows_to_xlsx(table: list[dict], *, settings: Mapping[str, Any] | None = None) -> bytes:
    """One "Temuan" sheet plus "Keterangan", written by monitor.spreadsheet (dates, widths, filter)."""
    from ..spreadsheet import Column, Sheet, workbook_bytes

    columns = [Column(header, header.removesuffix(" (UTC)"), kind, note) for _key, header, kind, note in _EXPORT_SPEC]
    return workbook_bytes([Sheet("Temuan", columns, table)], settings=settings)
