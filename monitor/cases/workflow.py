"""Cases: from confirmed flags to the superior's action and the PPK's sanction (issue 8).

A case gathers one employee's confirmed flags, the proposed violation codes, a chronological
description (*uraian kejadian*) and a status that follows the real chain::

    temuan -> verifikasi -> dilaporkan -> rekomendasi -> sanksi
       \\_________\\_____________\\______________\\-> ditutup (with a reason)

Four eyes: a case cannot leave ``verifikasi`` until a second analyst, who confirmed none of its
flags and did not open it, has reviewed it without seeing the first decision. If they disagree
an admin decides. Every change is written to the case timeline and the audit log; an illegal
change raises :class:`CaseError` with a message that can be shown to the user as is.

Evidence can change under a case: a reviewer may reopen one of its flags or decide it is not a
violation after all. :func:`flags_reviewed` (called by ``monitor.flagging.review`` inside the review's
own transaction) records that on every unfinished case holding the flag, audits it and tells
the opener and the unit's superiors. While any flag of a case is not confirmed the case cannot
move forward (only be edited or closed); the block is computed from the flags' current status,
so confirming the flag again lifts it, and an admin may instead take the flag out of the case.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import date, datetime, timedelta, timezone
from typing import Iterable, Mapping, Sequence

from .. import glossary
from ..evidence import audit
from . import deadlines, notify
from .codes import VIOLATION_CODES, ViolationCode
from ..auth import User, current, user_from_row
from ..store import Store, utcnow
from ..store import cases as rows
from ..people import instansi
from ..store import people


STATUSES = ("temuan", "verifikasi", "dilaporkan", "rekomendasi", "sanksi", "ditutup")
STATUS_LABELS = glossary.CASE_STATUSES
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "temuan": ("verifikasi", "ditutup"),
    "verifikasi": ("dilaporkan", "ditutup"),
    "dilaporkan": ("rekomendasi", "ditutup"),
    "rekomendasi": ("sanksi", "ditutup"),
    "sanksi": (),
    "ditutup": (),
}
REPORT_CHANNELS = ("Bawaslu", "BKN", "SP4N-LAPOR!")
SANCTION_LEVELS = ("moral", "ringan", "sedang", "berat")
ACTION_KINDS = {"dipanggil": "Dipanggil", "diperiksa": "Diperiksa", "dilaporkan": "Dilaporkan ke PPK/Bawaslu",
                "lainnya": "Tindakan lain"}
WRITE_ROLES = ("analyst", "admin")
#: Cases whose course is over: a later review of their flags changes nothing in them.
FINISHED = ("sanksi", "ditutup")
#: Steps refused while a flag of the case is not confirmed: the ones that act on the evidence
#: outside the office (closing, editing and the internal verification stay allowed).
EVIDENCE_GATED = ("dilaporkan", "rekomendasi", "sanksi")
#: Review decisions that take a flag away from 'confirmed', as recorded on the case.
EVIDENCE_CHANGES = {"reopen": "dibuka kembali", "not_violation": "diputuskan bukan pelanggaran",
                    "escalate": "dieskalasi"}
FLAG_STATUS_LABELS = {"open": "menunggu tinjauan ulang", "dismissed": "bukan pelanggaran",
                      "escalated": "dieskalasi", "confirmed": "dikonfirmasi"}
FOUR_EYES_LABELS = {
    "pending": "menunggu tinjauan kedua", "agreed": "sependapat", "disagreed": "tidak sependapat (menunggu admin)",
    "resolved_proceed": "diputuskan admin: dilanjutkan", "resolved_close": "diputuskan admin: ditutup",
}


class CaseError(ValueError):
    """A case change that is not allowed; the message is Indonesian and safe to show."""


def _actor_name(user: User) -> str:
    return user.username


def _require(store: Store, user: User, roles: Sequence[str], what: str) -> None:
    """The role check, then the session check: the user must still be what the session holds."""
    if user.role not in roles:
        raise CaseError(f"Peran {user.role} tidak boleh {what}.")
    current(store, user)


def user_from_username(store: Store, username: str) -> User:
    """The acting user for CLI commands (``--as``)."""
    row = rows.user_by_name(store, username)
    if row is None or not row["active"]:
        raise CaseError(f"Pengguna {username!r} tidak ada atau tidak aktif.")
    return user_from_row(row)


def scope_of(store: Store, user: User) -> set[int] | None:
    """None for every unit; supervisors see their units and sub-units only; with several
    instansi in the database, everyone sees their own instansi's units only (issue 20)."""
    return instansi.unit_scope(store, user)


def validate_codes(codes: Iterable[str]) -> list[str]:
    cleaned = []
    for code in codes:
        code = code.strip().upper()
        if not code:
            continue
        if code not in VIOLATION_CODES:
            raise CaseError(f"Kode pelanggaran {code!r} tidak dikenal (pilih dari {', '.join(VIOLATION_CODES)}).")
        if code not in cleaned:
            cleaned.append(code)
    return cleaned


def _today(settings: Mapping, now: datetime | None) -> date:
    return deadlines.today(settings, now)


def _check_date(text: str | None, settings: Mapping, now: datetime | None, what: str) -> str:
    if not text:
        return _today(settings, now).isoformat()
    try:
        day = deadlines.parse_date(text, where=what)
    except ValueError as exc:
        raise CaseError(str(exc).capitalize() + ".") from None
    if day > _today(settings, now):
        raise CaseError(f"{what.capitalize()} {day.isoformat()} belum terjadi (tanggal di masa depan).")
    return day.isoformat()


def describe_items(items: Sequence[Mapping], settings: Mapping) -> str:
    """The prefilled chronological description, one line per post or interaction."""
    tz = deadlines.zone(settings)
    lines = ["Kronologi (disusun otomatis dari kiriman yang dikonfirmasi; periksa dan lengkapi):"]
    for number, item in enumerate(items, start=1):
        when_ts = item.get("posted_at") or item.get("first_seen_at") or item.get("collected_at")
        when = "waktu tidak diketahui"
        if when_ts:
            local = deadlines.parse_ts(when_ts).astimezone(tz)
            when = local.strftime("%d-%m-%Y %H:%M ") + (local.tzname() or "")
        account = f"@{item['handle']}" if item.get("handle") else "akun tidak diketahui"
        if item.get("post_id"):
            kind = {"post": "mengunggah", "repost": "membagikan ulang", "reply": "membalas",
                    "quote": "mengutip", "report": "dilaporkan publik"}.get(item.get("kind") or "post", "mengunggah")
            text = " ".join((item.get("text") or "").split())
            if len(text) > 400:
                text = text[:400] + "…"
            line = f"{number}. {when} — {account} di {item.get('platform') or '-'} {kind}: “{text}”"
            if item.get("url"):
                line += f" ({item['url']})"
        else:
            verb = {"like": "menyukai", "repost": "membagikan ulang", "reply": "membalas", "quote": "mengutip",
                    "follow": "mengikuti", "comment": "mengomentari"}.get(item.get("interaction_kind") or "", "berinteraksi dengan")
            target = "akun" if item.get("interaction_kind") == "follow" else "kiriman akun"
            line = (f"{number}. {when} — {account} {verb} {target} kampanye @{item.get('campaign_handle') or '-'}"
                    f" ({item.get('campaign_owner') or '-'})")
            if item.get("target_url"):
                line += f" ({item['target_url']})"
        lines.append(line)
    return "\n".join(lines)


# --- opening and editing --------------------------------------------------------------------

def open_case(store: Store, actor: User, flag_ids: Sequence[int], *, settings: Mapping,
              codes: Sequence[str] | None = None, description: str | None = None,
              now: datetime | None = None) -> int:
    """Open a case from confirmed flags of one employee; notifies the employee's superiors."""
    _require(store, actor, WRITE_ROLES, "membuka kasus")
    ids = sorted({int(f) for f in flag_ids})
    if not ids:
        raise CaseError("Pilih minimal satu tanda (flag) yang sudah dikonfirmasi.")
    flags = rows.flags_for_case(store, ids)
    missing = set(ids) - {f["id"] for f in flags}
    if missing:
        raise CaseError(f"Tanda {', '.join(map(str, sorted(missing)))} tidak ditemukan.")
    for flag in flags:
        if flag["status"] != "confirmed" or not flag["confirmed_at"]:
            raise CaseError(f"Tanda {flag['id']} belum dikonfirmasi sebagai pelanggaran oleh peninjau "
                            f"(status {flag['status']}); hanya tanda terkonfirmasi yang dapat menjadi kasus.")
        if flag["case_id"]:
            raise CaseError(f"Tanda {flag['id']} sudah termasuk kasus #{flag['case_id']}.")
        if flag["employee_id"] is None:
            raise CaseError(f"Tanda {flag['id']} tidak terhubung ke pegawai terdaftar.")
    employees = {f["employee_id"] for f in flags}
    if len(employees) > 1:
        raise CaseError("Satu kasus hanya untuk satu pegawai; tanda yang dipilih milik beberapa pegawai.")
    if codes is None:
        codes = [f["violation_code"] or f["review_code"] or f["proposed_code"] for f in flags]
        codes = [c for c in codes if c]
    chosen = validate_codes(codes)
    if not chosen:
        raise CaseError("Tentukan minimal satu kode pelanggaran (mis. N1).")
    found_at = min(f["confirmed_at"] for f in flags)
    opened_at = (now or datetime.now(timezone.utc)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    try:
        due = deadlines.compute(found_at, opened_at, settings)
    except ValueError as exc:
        raise CaseError(f"Tenggat tidak dapat dihitung: {exc}.") from None
    employee_id = flags[0]["employee_id"]
    try:
        return _insert_case(store, actor, flags, ids, employee_id, found_at, chosen, description, due, settings)
    except sqlite3.IntegrityError:
        # Another analyst opened a case with one of these flags a moment ago (unique flag index).
        raise CaseError("Salah satu tanda baru saja dimasukkan ke kasus lain; muat ulang daftar.") from None


def _insert_case(store: Store, actor: User, flags: list[dict], ids: list[int], employee_id: int, found_at: str,
                 chosen: list[str], description: str | None, due: deadlines.CaseDeadlines, settings: Mapping) -> int:
    with store.write() as conn:
        case_id = rows.insert_case(
            conn, employee_id=employee_id, unit_id=flags[0]["employee_unit_id"], found_at=found_at,
            codes=chosen, description="", opened_by=actor.id, report_due_on=due.report_due_on.isoformat(),
            action_due_on=due.action_due_on.isoformat(), flag_ids=ids)
        text = description if description is not None else describe_items(rows.case_items(store, case_id), settings)
        rows.update_case(conn, case_id, description=text)
        rows.add_event(conn, case_id, _actor_name(actor), "opened", to_status="temuan", flags=ids, codes=chosen,
                       report_due_on=due.report_due_on.isoformat(), action_due_on=due.action_due_on.isoformat())
        audit.record(store, _actor_name(actor), "case.open", f"case:{case_id}", flags=ids, codes=chosen,
                     employee_id=employee_id, found_at=found_at)
        notify.case_opened(store, case_id)
    return case_id


def _load(store: Store, case_id: int, actor: User) -> dict:
    case = rows.get_case(store, case_id, unit_ids=scope_of(store, actor))
    if case is None:
        raise CaseError(f"Kasus #{case_id} tidak ditemukan (atau di luar unit Anda).")
    return case


def update_description(store: Store, actor: User, case_id: int, text: str) -> None:
    """Edit the uraian kejadian (before the case is reported)."""
    _require(store, actor, WRITE_ROLES, "mengubah uraian kasus")
    case = _load(store, case_id, actor)
    if case["status"] not in ("temuan", "verifikasi"):
        raise CaseError(f"Uraian tidak dapat diubah setelah kasus {STATUS_LABELS[case['status']].lower()}.")
    if not text.strip():
        raise CaseError("Uraian kejadian tidak boleh kosong.")
    with store.write() as conn:
        rows.update_case(conn, case_id, description=text)
        rows.add_event(conn, case_id, _actor_name(actor), "description", previous=case["description"], new=text)
        audit.record(store, _actor_name(actor), "case.description", f"case:{case_id}",
                     previous_chars=len(case["description"]), new_chars=len(text))


def set_codes(store: Store, actor: User, case_id: int, codes: Sequence[str]) -> list[str]:
    """Change the proposed codes; only in ``temuan`` (the second review compares against them)."""
    _require(store, actor, WRITE_ROLES, "mengubah kode pelanggaran")
    case = _load(store, case_id, actor)
    if case["status"] != "temuan":
        raise CaseError("Kode pelanggaran hanya dapat diubah pada tahap temuan.")
    chosen = validate_codes(codes)
    if not chosen:
        raise CaseError("Tentukan minimal satu kode pelanggaran.")
    with store.write() as conn:
        rows.update_case(conn, case_id, codes_json=json.dumps(chosen))
        rows.add_event(conn, case_id, _actor_name(actor), "codes", previous=case["codes"], new=chosen)
        audit.record(store, _actor_name(actor), "case.codes", f"case:{case_id}", previous=case["codes"], new=chosen)
    return chosen


# --- status chain ---------------------------------------------------------------------------

def superior_may_act(case: Mapping) -> bool:
    """Whether the direct superior is asked to act yet: only once the four-eyes review let the
    case proceed (agreed, or the admin resolved a disagreement in favour of going on)."""
    return case["four_eyes"] in ("agreed", "resolved_proceed")


def allowed_next(case: Mapping) -> tuple[str, ...]:
    return TRANSITIONS[case["status"]]


def change_status(store: Store, actor: User, case_id: int, new_status: str, *, settings: Mapping,
                  reported_to: str | None = None, external_ref: str | None = None, on: str | None = None,
                  recommendation: str | None = None, level: str | None = None, decree: str | None = None,
                  reason: str | None = None, now: datetime | None = None) -> None:
    """Move a case one step along the chain, with the facts that step needs."""
    _require(store, actor, WRITE_ROLES, "mengubah status kasus")
    case = _load(store, case_id, actor)
    old = case["status"]
    if new_status not in STATUSES:
        raise CaseError(f"Status {new_status!r} tidak dikenal (pilih {', '.join(STATUSES)}).")
    if new_status not in TRANSITIONS[old]:
        allowed = ", ".join(TRANSITIONS[old]) or "tidak ada (status akhir)"
        raise CaseError(f"Kasus #{case_id} berstatus {old}: tidak dapat langsung menjadi {new_status} "
                        f"(langkah yang boleh: {allowed}).")
    if new_status in EVIDENCE_GATED:
        _check_evidence(store, case_id)
    fields: dict = {"status": new_status}
    if old == "verifikasi":
        if case["four_eyes"] == "pending":
            raise CaseError("Kasus belum dapat meninggalkan tahap verifikasi: menunggu tinjauan analis kedua "
                            "(prinsip empat mata).")
        if case["four_eyes"] == "disagreed":
            raise CaseError("Analis kedua tidak sependapat; admin harus memutuskan perbedaan ini terlebih dahulu.")
        if case["four_eyes"] == "resolved_close" and new_status != "ditutup":
            raise CaseError("Admin memutuskan kasus ini ditutup; kasus tidak dapat dilaporkan.")
    if new_status == "verifikasi":
        if not case["codes"] or not case["description"].strip():
            raise CaseError("Lengkapi kode pelanggaran dan uraian kejadian sebelum verifikasi.")
    elif new_status == "dilaporkan":
        channel = next((c for c in REPORT_CHANNELS if c.lower() == (reported_to or "").strip().lower()), None)
        if channel is None:
            raise CaseError(f"Sebutkan tujuan laporan: {', '.join(REPORT_CHANNELS)}.")
        if not (external_ref or "").strip():
            raise CaseError("Nomor laporan dari Bawaslu/BKN (nomor referensi eksternal) wajib diisi.")
        fields |= {"reported_to": channel, "external_ref": external_ref.strip(),
                   "reported_on": _check_date(on, settings, now, "tanggal laporan")}
    elif new_status == "rekomendasi":
        if not (recommendation or "").strip():
            raise CaseError("Isi rekomendasi yang diterima (dari Bawaslu/BKN) wajib diisi.")
        fields |= {"recommendation": recommendation.strip(),
                   "recommendation_on": _check_date(on, settings, now, "tanggal rekomendasi")}
    elif new_status == "sanksi":
        if level not in SANCTION_LEVELS:
            raise CaseError(f"Tingkat sanksi PPK wajib dipilih: {', '.join(SANCTION_LEVELS)}.")
        if not on:
            raise CaseError("Tanggal keputusan sanksi PPK wajib diisi.")
        fields |= {"sanction_level": level, "sanction_on": _check_date(on, settings, now, "tanggal sanksi"),
                   "sanction_decree": (decree or "").strip() or None}
    elif new_status == "ditutup":
        if not (reason or "").strip():
            raise CaseError("Alasan penutupan kasus wajib diisi.")
        fields |= {"closed_reason": reason.strip(), "closed_at": utcnow()}
    with store.write() as conn:
        # Re-check inside the write lock: two analysts clicking at once must not both succeed.
        current = conn.execute("SELECT status FROM cases WHERE id = ?", (case_id,)).fetchone()["status"]
        if current != old:
            raise CaseError(f"Kasus #{case_id} baru saja diubah orang lain (kini {current}); muat ulang.")
        if new_status in EVIDENCE_GATED:
            _check_evidence(store, case_id)  # a flag may have been reopened while we validated
        rows.update_case(conn, case_id, **fields)
        details = {k: v for k, v in fields.items() if k != "status"}
        rows.add_event(conn, case_id, _actor_name(actor), "status", from_status=old, to_status=new_status, **details)
        audit.record(store, _actor_name(actor), "case.status", f"case:{case_id}", from_status=old,
                     to_status=new_status, **details)


# --- evidence changed in review -------------------------------------------------------------

def _warning_text(case_id: int, pending: Sequence[Mapping]) -> str:
    parts = []
    for flag in pending:
        what = EVIDENCE_CHANGES.get(flag["change"] or "", FLAG_STATUS_LABELS.get(flag["status"], flag["status"]))
        part = f"tanda #{flag['flag_id']} {what}"
        if flag.get("reason"):
            part += f" (alasan: {flag['reason']})"
        parts.append(part)
    return (f"Bukti kasus #{case_id} berubah: {'; '.join(parts)}. Tanda tersebut tidak lagi dikonfirmasi "
            "sebagai pelanggaran.")


def _check_evidence(store: Store, case_id: int) -> None:
    pending = rows.unconfirmed_flags(store, [case_id]).get(case_id)
    if pending:
        raise CaseError(_warning_text(case_id, pending) + " Kasus tidak dapat dilanjutkan sebelum tanda itu "
                        "dikonfirmasi ulang di antrean tinjauan atau dikeluarkan dari kasus oleh admin; "
                        "kasus masih dapat disunting atau ditutup.")


def evidence_warning(store: Store, case: Mapping) -> list[dict]:
    """The case's flags that are no longer confirmed, with the latest recorded change of each.

    Empty for a finished case: its course is over and a later review does not reopen it.
    """
    if case["status"] in FINISHED:
        return []
    return rows.unconfirmed_flags(store, [case["id"]]).get(case["id"], [])


def flags_reviewed(store: Store, actor: User, flag_ids: Sequence[int], decision: str, *,
                   reason: str | None = None, previous: Mapping[int, str] | None = None) -> list[int]:
    """React to a review decision on flags that may belong to cases; returns the cases touched.

    Called by ``monitor.flagging.review`` inside the write transaction of the decision, so the case
    record, its audit entry and the notifications commit or roll back with the review itself.
    A decision other than 'violation' records an evidence change on every unfinished case
    holding the flag; 'violation' settles the open changes (the block lifts by itself anyway).
    """
    if decision != "violation" and decision not in EVIDENCE_CHANGES:
        return []
    touched = []
    with store.write() as conn:
        for link in rows.cases_of_flags(store, flag_ids):
            if link["status"] in FINISHED:
                continue
            case_id, flag_id = link["case_id"], link["flag_id"]
            if decision == "violation":
                if rows.resolve_evidence_changes(conn, case_id=case_id, flag_id=flag_id, user_id=actor.id,
                                                 resolution="confirmed"):
                    rows.add_event(conn, case_id, _actor_name(actor), "evidence_confirmed", flag_id=flag_id)
                    audit.record(store, _actor_name(actor), "case.evidence_confirmed", f"case:{case_id}",
                                 flag_id=flag_id)
                    touched.append(case_id)
                continue
            before = (previous or {}).get(flag_id)
            rows.insert_evidence_change(conn, case_id=case_id, flag_id=flag_id, kind=decision,
                                        previous_status=before, reason=reason, user_id=actor.id)
            rows.add_event(conn, case_id, _actor_name(actor), "evidence_changed", flag_id=flag_id, change=decision,
                           reason=reason, previous_status=before)
            audit.record(store, _actor_name(actor), "case.evidence_changed", f"case:{case_id}", flag_id=flag_id,
                         change=decision, reason=reason, previous_status=before, case_status=link["status"])
            episode = rows.first_unresolved_change(conn, case_id, flag_id)
            _notify_evidence_changed(store, conn, case_id, flag_id, decision, reason, episode, actor.role)
            touched.append(case_id)
    return touched


def _notify_evidence_changed(store: Store, conn, case_id: int, flag_id: int, decision: str, reason: str | None,
                             episode: int | None, actor_role: str) -> int:
    """Tell the case's opener and the unit's superiors, once per episode of doubt about a flag.

    The dedup key names the oldest unsettled change of the flag, so a reopen followed by a
    'not a violation' decision (or the same hook run twice) notifies once; a flag confirmed and
    then reopened again starts a new episode. The body names the reviewer by role only: it is
    disclosed in the employee's subject-access report.
    """
    case = rows.get_case(store, case_id)
    if case is None:
        return 0
    recipients = {u["id"]: u for u in rows.supervisors_of_unit(store, case["unit_id"])}
    opener = rows.user_by_id(store, case["opened_by"]) if case["opened_by"] else None
    if opener and opener["active"]:
        recipients.setdefault(opener["id"], opener)
    subject = f"[Netra] Bukti kasus #{case_id} berubah: tanda #{flag_id} {EVIDENCE_CHANGES[decision]}"
    body = (f"Tanda #{flag_id} pada kasus #{case_id} ({case['employee']}, {case['unit'] or '-'}; status "
            f"{STATUS_LABELS[case['status']].lower()}) {EVIDENCE_CHANGES[decision]} oleh peninjau ({actor_role}).\n"
            f"Alasan: {reason or '-'}\n\n"
            "Selama tanda itu tidak dikonfirmasi sebagai pelanggaran, kasus tidak dapat dilanjutkan "
            "(dilaporkan, rekomendasi, sanksi); kasus masih dapat disunting atau ditutup.\n"
            "Rincian ada di dasbor Netra, halaman Kasus.\n")
    created = 0
    for user_id, user in recipients.items():
        new = rows.insert_notification(
            conn, user_id=user_id, case_id=case_id, kind="evidence_changed",
            dedup_key=f"evidence_changed:{case_id}:{episode or flag_id}:{user_id}", subject=subject, body=body,
            email_to=user.get("email") or None)
        created += new is not None
    return created


def remove_flag(store: Store, actor: User, case_id: int, flag_id: int, note: str) -> None:
    """An admin acknowledges a flag that is no longer confirmed and continues without it.

    Only a flag that is not confirmed may be taken out, only by an admin, with a note, and
    never the last one (a case without evidence is closed instead).
    """
    _require(store, actor, ("admin",), "mengeluarkan tanda dari kasus (hanya admin)")
    case = _load(store, case_id, actor)
    if case["status"] in FINISHED:
        raise CaseError("Kasus sudah selesai; buktinya tidak dapat diubah.")
    if not (note or "").strip():
        raise CaseError("Catatan alasan mengeluarkan tanda wajib diisi.")
    pending = {f["flag_id"]: f for f in evidence_warning(store, case)}
    if int(flag_id) not in pending:
        raise CaseError(f"Tanda #{flag_id} bukan tanda kasus #{case_id} yang berubah; hanya tanda yang tidak "
                        "lagi dikonfirmasi yang dapat dikeluarkan.")
    if len(rows.case_flag_ids(store, case_id)) <= 1:
        raise CaseError("Tanda ini satu-satunya bukti kasus; tutup kasus alih-alih mengeluarkannya.")
    with store.write() as conn:
        if not rows.remove_case_flag(conn, case_id, int(flag_id)):
            raise CaseError(f"Tanda #{flag_id} baru saja dikeluarkan dari kasus; muat ulang.")
        rows.resolve_evidence_changes(conn, case_id=case_id, flag_id=int(flag_id), user_id=actor.id,
                                      resolution="removed")
        rows.add_event(conn, case_id, _actor_name(actor), "flag_removed", flag_id=int(flag_id), note=note.strip(),
                       flag_status=pending[int(flag_id)]["status"])
        audit.record(store, _actor_name(actor), "case.flag_removed", f"case:{case_id}", flag_id=int(flag_id),
                     note=note.strip(), flag_status=pending[int(flag_id)]["status"])


# --- four eyes ------------------------------------------------------------------------------

def first_deciders(store: Store, case: Mapping) -> set[int]:
    """Users whose decision the second review must be independent of."""
    return rows.confirmers_of_case(store, case["id"]) | ({case["opened_by"]} if case["opened_by"] else set())


def can_second_review(store: Store, actor: User, case: Mapping) -> bool:
    return (actor.role in WRITE_ROLES and case["status"] == "verifikasi" and case["four_eyes"] == "pending"
            and actor.id not in first_deciders(store, case))


def _check_second_reviewer(store: Store, actor: User, case: Mapping) -> None:
    _require(store, actor, WRITE_ROLES, "melakukan tinjauan kedua")
    if case["status"] != "verifikasi":
        raise CaseError("Tinjauan kedua hanya dilakukan pada tahap verifikasi.")
    if case["four_eyes"] != "pending":
        raise CaseError("Kasus ini sudah ditinjau analis kedua.")
    if actor.id in first_deciders(store, case):
        raise CaseError("Anda ikut mengonfirmasi tanda atau membuka kasus ini; tinjauan kedua harus oleh "
                        "analis lain (prinsip empat mata).")


def blind_view(store: Store, actor: User, case_id: int) -> dict:
    """What the second reviewer sees: the employee and the evidence, never the first decision.

    No proposed codes, no edited description, no reviewer names or notes: only facts.
    """
    case = _load(store, case_id, actor)
    _check_second_reviewer(store, actor, case)
    items = rows.case_items(store, case_id)
    return {
        "case_id": case_id,
        "employee": case["employee"], "nip": case["nip"], "position": case["position"], "rank": case["rank"],
        "employment_type": case["employment_type"], "unit": case["unit"],
        "items": [{k: item[k] for k in ("platform", "handle", "kind", "posted_at", "url", "text", "interaction_kind",
                                         "target_url", "first_seen_at", "campaign_handle", "campaign_owner",
                                         "category", "deleted_at")}
                  for item in items],
    }


def submit_second_review(store: Store, actor: User, case_id: int, decision: str, codes: Sequence[str] = (),
                         note: str | None = None) -> bool:
    """Record the blind second review; returns whether it agrees with the first decision."""
    case = _load(store, case_id, actor)
    _check_second_reviewer(store, actor, case)
    if decision not in ("violation", "not_violation"):
        raise CaseError("Keputusan tinjauan kedua: 'violation' (pelanggaran) atau 'not_violation' (bukan).")
    chosen = validate_codes(codes) if decision == "violation" else []
    if decision == "violation" and not chosen:
        raise CaseError("Sebutkan kode pelanggaran menurut Anda.")
    agrees = decision == "violation" and set(chosen) == set(case["codes"])
    with store.write() as conn:
        current = conn.execute("SELECT four_eyes FROM cases WHERE id = ?", (case_id,)).fetchone()["four_eyes"]
        if current != "pending":
            raise CaseError("Kasus ini baru saja ditinjau analis lain.")
        rows.insert_second_review(conn, case_id, actor.id, decision, chosen, note, agrees)
        rows.update_case(conn, case_id, four_eyes="agreed" if agrees else "disagreed")
        rows.add_event(conn, case_id, _actor_name(actor), "second_review", decision=decision, codes=chosen,
                       agrees=agrees, note=note)
        audit.record(store, _actor_name(actor), "case.second_review", f"case:{case_id}", decision=decision,
                     codes=chosen, agrees=agrees)
    return agrees


def resolve_disagreement(store: Store, actor: User, case_id: int, outcome: str, note: str, *,
                         settings: Mapping, codes: Sequence[str] | None = None) -> None:
    """An admin settles a four-eyes disagreement: 'lanjut' (proceed) or 'tutup' (close)."""
    _require(store, actor, ("admin",), "memutuskan perbedaan pendapat (hanya admin)")
    case = _load(store, case_id, actor)
    if case["four_eyes"] != "disagreed":
        raise CaseError("Tidak ada perbedaan pendapat yang perlu diputuskan pada kasus ini.")
    if outcome not in ("lanjut", "tutup"):
        raise CaseError("Keputusan admin: 'lanjut' atau 'tutup'.")
    if not note.strip():
        raise CaseError("Alasan keputusan admin wajib diisi.")
    chosen = validate_codes(codes) if codes else case["codes"]
    with store.write() as conn:
        fields = {"four_eyes": "resolved_proceed" if outcome == "lanjut" else "resolved_close",
                  "resolved_by": actor.id, "resolution_note": note.strip()}
        if outcome == "lanjut" and chosen != case["codes"]:
            fields["codes_json"] = json.dumps(chosen)
        rows.update_case(conn, case_id, **fields)
        rows.add_event(conn, case_id, _actor_name(actor), "resolution", outcome=outcome, note=note.strip(),
                       codes=chosen)
        audit.record(store, _actor_name(actor), "case.resolve", f"case:{case_id}", outcome=outcome, codes=chosen)
        if outcome == "tutup":
            change_status(store, actor, case_id, "ditutup", settings=settings,
                          reason=f"Diputuskan admin setelah tinjauan kedua: {note.strip()}")


# --- the superior ---------------------------------------------------------------------------

def record_action(store: Store, actor: User, case_id: int, kind: str, *, settings: Mapping,
                  acted_on: str | None = None, note: str | None = None, now: datetime | None = None) -> int:
    """The direct superior records what they did (summoned, examined, reported)."""
    _require(store, actor, ("supervisor",), "mencatat tindakan atasan (khusus atasan langsung)")
    case = _load(store, case_id, actor)  # outside their units: not found
    if kind not in ACTION_KINDS:
        raise CaseError(f"Jenis tindakan tidak dikenal: pilih {', '.join(ACTION_KINDS)}.")
    if case["status"] in ("sanksi", "ditutup"):
        raise CaseError("Kasus sudah selesai; tindakan tidak dapat ditambahkan.")
    if kind == "lainnya" and not (note or "").strip():
        raise CaseError("Jelaskan tindakan lain pada catatan.")
    day = _check_date(acted_on, settings, now, "tanggal tindakan")
    with store.write() as conn:
        action_id = rows.insert_action(conn, case_id, actor.id, kind, day, (note or "").strip() or None)
        rows.add_event(conn, case_id, _actor_name(actor), "action", action=kind, acted_on=day, note=note)
        audit.record(store, _actor_name(actor), "case.action", f"case:{case_id}", kind=kind, acted_on=day)
    return action_id


# --- reading --------------------------------------------------------------------------------

def _with_deadlines(case: dict, today: date, holidays) -> dict:
    report_state = (deadlines.state(case["report_due_on"], today, holidays)
                    if case["status"] in deadlines.REPORT_PENDING else "selesai")
    action_state = (deadlines.state(case["action_due_on"], today, holidays)
                    if case["status"] in deadlines.ACTION_PENDING and not case["actions"] else "selesai")
    return case | {"report_state": report_state, "action_state": action_state}


def list_cases(store: Store, actor: User, *, settings: Mapping, statuses: Sequence[str] | None = None,
               now: datetime | None = None) -> list[dict]:
    """Cases the actor may see, each with its deadline states.

    An unknown status is refused (Bahasa, naming the valid ones) instead of listing nothing.
    """
    unknown = [s for s in statuses or () if s not in STATUSES]
    if unknown:
        raise CaseError(f"Status {', '.join(repr(s) for s in unknown)} tidak dikenal; pilih dari: "
                        + ", ".join(f"{s} ({STATUS_LABELS[s]})" for s in STATUSES) + ".")
    found = rows.list_cases(store, unit_ids=scope_of(store, actor), statuses=statuses)
    today, holidays = _today(settings, now), deadlines.load_holidays(settings)
    changed = rows.unconfirmed_flags(store, [c["id"] for c in found if c["status"] not in FINISHED])
    result = []
    for case in found:
        blind = needs_blind(store, actor, case)
        warning = changed.get(case["id"], [])
        if blind:  # a possible second reviewer must not see the first decision in the list either
            case = case | {"codes": [], "description": ""}
            warning = _blind_warning(warning)
        result.append(_with_deadlines(case, today, holidays) | {"blind": blind, "evidence_warning": warning})
    return result


def _blind_warning(warning: Sequence[Mapping]) -> list[dict]:
    """Which flags changed, without the reviewers' names or notes (part of the first decision)."""
    return [{"flag_id": f["flag_id"], "status": f["status"]} for f in warning]


def overdue(store: Store, actor: User, *, settings: Mapping, now: datetime | None = None) -> list[dict]:
    """Cases in the actor's scope whose reporting clock or superior's duty has run out."""
    found = rows.list_cases(store, unit_ids=scope_of(store, actor),
                            statuses=sorted(set(deadlines.ACTION_PENDING)))
    return deadlines.overdue_list(found, _today(settings, now))


def action_due(store: Store, actor: User, *, settings: Mapping, now: datetime | None = None) -> list[dict]:
    """For a supervisor: open cases of their units, soonest deadline first."""
    _require(store, actor, ("supervisor", "admin"), "melihat daftar tindak lanjut atasan")
    found = list_cases(store, actor, settings=settings, statuses=deadlines.ACTION_PENDING, now=now)
    return sorted(found, key=lambda c: (c["actions"] > 0, c["action_due_on"] or "", c["id"]))


def needs_blind(store: Store, actor: User, case: Mapping) -> bool:
    """Whether showing this case would reveal the first decision to a possible second reviewer."""
    return case["status"] == "verifikasi" and case["four_eyes"] == "pending" and can_second_review(store, actor, case)


def case_file(store: Store, actor: User, case_id: int, *, settings: Mapping, now: datetime | None = None) -> dict:
    """Everything about one case, for the case page (read-only). Scope enforced.

    For an analyst who may still give the blind second review, the first decision stays hidden:
    ``blind`` is True and only :func:`blind_view` data is returned.
    """
    case = _load(store, case_id, actor)
    warning = evidence_warning(store, case)
    if needs_blind(store, actor, case):
        return {"blind": True, **blind_view(store, actor, case_id), "evidence_warning": _blind_warning(warning)}
    today, holidays = _today(settings, now), deadlines.load_holidays(settings)
    return {
        "blind": False,
        "case": _with_deadlines(case, today, holidays),
        "evidence_warning": warning,
        "evidence_warning_text": _warning_text(case_id, warning) if warning else "",
        "evidence_changes": rows.evidence_changes(store, case_id),
        "codes": [VIOLATION_CODES[c] for c in case["codes"] if c in VIOLATION_CODES],
        "items": rows.case_items(store, case_id),
        "events": rows.events(store, case_id),
        "second_review": rows.second_review(store, case_id),
        "actions": rows.actions(store, case_id),
        "notifications": rows.notifications_of_case(store, case_id) if actor.role != "supervisor" else [],
    }


def flags_ready(store: Store, actor: User) -> list[dict]:
    """Confirmed flags not yet in a case, in the actor's scope."""
    return rows.confirmed_flags_without_case(store, unit_ids=scope_of(store, actor))


def status_report(store: Store, actor: User, *, settings: Mapping, unit_code: str | None, date_from: str,
                  date_to: str, now: datetime | None = None) -> list[dict]:
    """Per unit for the period [date_from, date_to]: opened, reported, sanctioned, closed, overdue now."""
    _require(store, actor, ("admin", "analyst", "auditor", "supervisor"), "melihat laporan status")
    try:
        start = deadlines.parse_date(date_from, where="tanggal awal")
        end = deadlines.parse_date(date_to, where="tanggal akhir")
    except ValueError as exc:
        raise CaseError(str(exc).capitalize() + ".") from None
    if end < start:
        raise CaseError("Tanggal akhir sebelum tanggal awal.")
    scope = scope_of(store, actor)
    if unit_code:
        try:
            wanted = people.descendant_unit_ids(
                store, [people.unit_id_by_code(store, unit_code, instansi.own_instansi_id(store, actor))])
        except ValueError as exc:
            raise CaseError(str(exc).capitalize() + ".") from None
        scope = wanted if scope is None else (scope & wanted)
    tz = deadlines.zone(settings)
    lo = datetime.combine(start, datetime.min.time(), tz).astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    hi = datetime.combine(end + timedelta(days=1), datetime.min.time(), tz).astimezone(
        timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    per_unit: dict[int | None, dict] = {}
    units = rows.unit_rows(store, scope)
    for unit in units:
        per_unit[unit["id"]] = {"unit_code": unit["code"], "unit": unit["name"], "dibuka": 0, "dilaporkan": 0,
                                "rekomendasi": 0, "sanksi": 0, "ditutup": 0, "terlambat": 0}
    for event in rows.status_events_between(store, lo, hi, scope):
        bucket = per_unit.get(event["unit_id"])
        if bucket is None:
            continue
        key = "dibuka" if event["kind"] == "opened" else event["to_status"]
        if key in bucket:
            bucket[key] += 1
    today = min(_today(settings, now), end)
    late = deadlines.overdue_list(rows.list_cases(store, unit_ids=scope, statuses=sorted(deadlines.ACTION_PENDING)),
                                  today)
    for case in late:
        if case["unit_id"] in per_unit:
            per_unit[case["unit_id"]]["terlambat"] += 1
    return list(per_unit.values())
