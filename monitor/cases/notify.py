"""Notifications to the direct superior: in the app, and by e-mail through SMTP.

The law puts the duty to act on the direct superior (PP 94/2021), so the supervisors of the
employee's unit — or of any unit above it — are told when a case opens, when their action is
due and when it is overdue. Every notification is a row first (the in-app copy); e-mail is a
second step that sends each row at most once:

* creation is idempotent: ``dedup_key`` is unique (``case_opened:<case>:<user>`` ...), so
  running the daily job twice creates nothing new;
* sending claims rows inside a write transaction (status ``sending``) before talking to the
  server, so two processes never send the same row; a failure is recorded and retried later.

E-mails carry no post text (data minimisation): the case number, the employee, the codes and
the deadlines, and a pointer to the dashboard.
"""

from __future__ import annotations

import smtplib
import ssl
from datetime import datetime, timedelta, timezone
from email.message import EmailMessage
from email.utils import formatdate
from types import SimpleNamespace
from typing import Mapping

from . import deadlines
from ..store import Store
from .codes import VIOLATION_CODES
from ..store import cases as rows
from ..people import instansi
from ..store import people

MAX_ATTEMPTS = 5
STALE_CLAIM = timedelta(minutes=15)


def _codes_text(codes: list[str]) -> str:
    return "\n".join(f"  - {c}: {VIOLATION_CODES[c].description} ({VIOLATION_CODES[c].sanction})"
                     for c in codes if c in VIOLATION_CODES)


def _case_summary(case: Mapping) -> str:
    return (f"Pegawai : {case['employee']} (NIP {case['nip'] or '-'}, NIK {case['nik'] or '-'})\n"
            f"Jabatan : {case['position'] or '-'}; {case['rank'] or '-'}; {case['employment_type']}\n"
            f"Unit    : {case['unit'] or '-'}\n"
            f"Dugaan pelanggaran:\n{_codes_text(case['codes'])}\n"
            f"Batas pelaporan ke Bawaslu : {case['report_due_on']}\n"
            f"Batas tindakan atasan      : {case['action_due_on']}\n")


_DUTY = ("Sebagai atasan langsung, Anda wajib menindaklanjuti dugaan pelanggaran bawahan (PP 94/2021); "
         "atasan yang tidak bertindak dapat dijatuhi hukuman disiplin.\nCatat tindakan Anda "
         "(pemanggilan, pemeriksaan, pelaporan) di dasbor Netra, halaman Tindak Lanjut.\n")


def _notify_supervisors(store: Store, case: Mapping, kind: str, subject: str, body: str) -> int:
    created = 0
    with store.write() as conn:
        for user in rows.supervisors_of_unit(store, case["unit_id"]):
            new = rows.insert_notification(
                conn, user_id=user["id"], case_id=case["id"], kind=kind,
                dedup_key=f"{kind}:{case['id']}:{user['id']}", subject=subject, body=body,
                email_to=user["email"] or None)
            created += new is not None
    return created


def case_opened(store: Store, case_id: int) -> int:
    """Tell the employee's superiors that a case about their unit was opened."""
    case = rows.get_case(store, case_id)
    if case is None:
        return 0
    subject = f"[Netra] Kasus #{case_id} dibuka: {case['employee']} ({case['unit'] or '-'})"
    body = (f"Kasus dugaan pelanggaran #{case_id} dibuka untuk pegawai di unit Anda.\n\n"
            f"{_case_summary(case)}\n{_DUTY}")
    return _notify_supervisors(store, case, "case_opened", subject, body)


def flag_escalated(store: Store, flag: Mapping, *, by: str, note: str | None) -> int:
    """Tell the superiors of the flag's unit (and the units above) that a reviewer asks for them.

    Called in the decision's transaction, so a decision and its notifications land together.
    No post text (data minimisation): the flag, the employee, the proposed code and the note.
    Keyed by the flag's decision time, so a flag escalated again later notifies again.
    """
    from .. import glossary

    code = flag.get("proposed_code")
    wording = f"{code}: {VIOLATION_CODES[code].description} ({VIOLATION_CODES[code].sanction})" \
        if code in VIOLATION_CODES else (code or "-")
    subject = (f"[Netra] Temuan #{flag['id']} dieskalasi ke atasan: {flag.get('employee') or '-'} "
               f"({flag.get('unit') or '-'})")
    body = (f"Peninjau {by} meminta pendapat Anda sebagai atasan atas temuan #{flag['id']} "
            f"({glossary.label('flag', flag.get('category'))}).\n\n"
            f"Pegawai : {flag.get('employee') or '-'} (NIP {flag.get('nip') or '-'})\n"
            f"Unit    : {flag.get('unit') or '-'}\n"
            f"Kode usulan: {wording}\n"
            f"Catatan peninjau: {note or '-'}\n\n"
            "Temuan adalah permintaan peninjauan, bukan putusan. Lihat dan tindak lanjuti di dasbor Netra, "
            "daftar temuan yang dieskalasi.\n")
    created = 0
    with store.write() as conn:
        for user in rows.supervisors_of_unit(store, flag.get("unit_id")):
            new = rows.insert_notification(
                conn, user_id=user["id"], case_id=None, kind="flag_escalated", flag_id=int(flag["id"]),
                dedup_key=f"flag_escalated:{flag['id']}:{flag.get('updated_at')}:{user['id']}", subject=subject,
                body=body, email_to=user["email"] or None)
            created += new is not None
    return created


def check_deadlines(store: Store, settings: Mapping, *, now: datetime | None = None) -> dict[str, int]:
    """Create 'action due' and 'overdue' notifications for cases still awaiting the superior."""
    today = deadlines.today(settings, now)
    holidays = deadlines.load_holidays(settings)
    counts = {"action_due": 0, "overdue": 0}
    for case in rows.list_cases(store, statuses=deadlines.ACTION_PENDING):
        if case["actions"]:
            continue
        state = deadlines.state(case["action_due_on"], today, holidays)
        if state == "jatuh_tempo":
            subject = f"[Netra] Tindakan atasan jatuh tempo {case['action_due_on']}: kasus #{case['id']}"
            body = (f"Batas waktu tindakan atasan untuk kasus #{case['id']} jatuh pada {case['action_due_on']} "
                    f"dan belum ada tindakan yang dicatat.\n\n{_case_summary(case)}\n{_DUTY}")
            counts["action_due"] += _notify_supervisors(store, case, "action_due", subject, body)
        elif state == "lewat":
            subject = f"[Netra] TERLAMBAT: tindakan atasan untuk kasus #{case['id']}"
            body = (f"Batas waktu tindakan atasan untuk kasus #{case['id']} ({case['action_due_on']}) telah lewat "
                    f"dan belum ada tindakan yang dicatat.\n\n{_case_summary(case)}\n{_DUTY}")
            counts["overdue"] += _notify_supervisors(store, case, "overdue", subject, body)
    return counts


def daily_digest(store: Store, settings: Mapping, *, now: datetime | None = None) -> list[dict]:
    """One digest per user with something to do today: supervisors for their units' cases
    awaiting action; analysts and admins for every overdue or nearly due case."""
    today = deadlines.today(settings, now)
    holidays = deadlines.load_holidays(settings)
    open_cases = rows.list_cases(store, statuses=deadlines.ACTION_PENDING)
    digests = []

    def line(case: Mapping) -> str:
        notes = []
        if case["status"] in deadlines.REPORT_PENDING:
            notes.append(f"lapor Bawaslu s.d. {case['report_due_on']} "
                         f"({deadlines.state(case['report_due_on'], today, holidays).replace('_', ' ')})")
        if not case["actions"]:
            notes.append(f"tindakan atasan s.d. {case['action_due_on']} "
                         f"({deadlines.state(case['action_due_on'], today, holidays).replace('_', ' ')})")
        return f"- Kasus #{case['id']} [{case['status']}] {case['employee']}, {case['unit'] or '-'}: " + "; ".join(notes)

    for user in rows.users_with_roles(store, ("supervisor",)):
        scope = people.descendant_unit_ids(store, rows.user_unit_ids(store, user["id"]))
        mine = [c for c in open_cases if c["unit_id"] in scope and not c["actions"]]
        if mine:
            digests.append(_digest(user, today, mine, line, "menunggu tindakan Anda"))
    for user in rows.users_with_roles(store, ("analyst", "admin")):
        # Several instansi (issue 20): only the cases of the user's own instansi.
        scope = instansi.unit_scope(store, SimpleNamespace(id=user["id"], role="analyst", unit_ids=()))
        urgent = [c for c in open_cases
                  if (scope is None or c["unit_id"] in scope)
                  and ((c["status"] in deadlines.REPORT_PENDING
                        and deadlines.state(c["report_due_on"], today, holidays) != "berjalan")
                       or (not c["actions"] and deadlines.state(c["action_due_on"], today, holidays) == "lewat"))]
        if urgent:
            digests.append(_digest(user, today, urgent, line, "mendekati atau melewati tenggat"))
    return digests


def _digest(user: Mapping, today, cases: list, line, what: str) -> dict:
    subject = f"[Netra] Ringkasan harian {today.isoformat()}: {len(cases)} kasus {what}"
    body = f"Ringkasan kasus per {today.isoformat()} ({len(cases)} kasus {what}):\n\n" + "\n".join(
        line(c) for c in cases) + "\n\nRincian ada di dasbor Netra.\n"
    return {"user_id": user["id"], "username": user["username"], "email": user["email"], "date": today.isoformat(),
            "subject": subject, "body": body, "case_ids": [c["id"] for c in cases]}


def queue_digests(store: Store, settings: Mapping, *, now: datetime | None = None) -> int:
    """Store today's digests as notifications (once per user per day)."""
    created = 0
    with store.write() as conn:
        for digest in daily_digest(store, settings, now=now):
            new = rows.insert_notification(
                conn, user_id=digest["user_id"], case_id=None, kind="digest",
                dedup_key=f"digest:{digest['date']}:{digest['user_id']}", subject=digest["subject"],
                body=digest["body"], email_to=digest["email"] or None)
            created += new is not None
    return created


def smtp_configured(settings: Mapping) -> bool:
    return bool(settings.get("smtp_host"))


def _message(row: Mapping, settings: Mapping) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.get("smtp_sender") or "netra@localhost"
    message["To"] = row["email_to"]
    message["Subject"] = row["subject"]
    message["Date"] = formatdate(localtime=False)
    # Stable id: a receiving server that saw a retry of the same row can tell it is one message.
    message["Message-ID"] = f"<netra-{row['id']}-{row['dedup_key'].replace(':', '-')}@netra.local>"
    message.set_content(row["body"])
    return message


def send_pending(store: Store, settings: Mapping, *, now: datetime | None = None) -> dict[str, int]:
    """Send every unsent e-mail once; returns counts of sent and failed messages."""
    counts = {"sent": 0, "failed": 0}
    if not smtp_configured(settings):
        return counts
    moment = now or datetime.now(timezone.utc)
    stale = (moment - STALE_CLAIM).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    claimed = rows.claim_pending_emails(store, stale_before=stale, max_attempts=MAX_ATTEMPTS)
    if not claimed:
        return counts
    try:
        client = smtplib.SMTP(settings["smtp_host"], int(settings.get("smtp_port") or 25), timeout=30)
    except (OSError, smtplib.SMTPException) as exc:
        for row in claimed:
            rows.mark_email(store, row["id"], sent=False, error=f"koneksi SMTP gagal: {exc}")
        counts["failed"] = len(claimed)
        return counts
    try:
        client.ehlo()
        if int(settings.get("smtp_starttls", 1)):
            client.starttls(context=ssl.create_default_context())
            client.ehlo()
        if settings.get("smtp_user"):
            client.login(settings["smtp_user"], settings.get("smtp_password") or "")
    except (OSError, smtplib.SMTPException) as exc:
        for row in claimed:
            rows.mark_email(store, row["id"], sent=False, error=f"SMTP menolak sesi: {exc}")
        counts["failed"] = len(claimed)
        _quit(client)
        return counts
    for row in claimed:
        try:
            client.send_message(_message(row, settings))
        except (OSError, smtplib.SMTPException) as exc:
            rows.mark_email(store, row["id"], sent=False, error=str(exc))
            counts["failed"] += 1
        else:
            rows.mark_email(store, row["id"], sent=True)
            counts["sent"] += 1
    _quit(client)
    return counts


def _quit(client: smtplib.SMTP) -> None:
    try:
        client.quit()
    except (OSError, smtplib.SMTPException):
        client.close()


def run_daily(store: Store, settings: Mapping, *, send: bool, now: datetime | None = None) -> dict[str, int]:
    """The daily job: deadline notifications, digests, then e-mail (when ``send``)."""
    counts = check_deadlines(store, settings, now=now)
    counts["digest"] = queue_digests(store, settings, now=now) if send else 0
    counts |= send_pending(store, settings, now=now) if send else {"sent": 0, "failed": 0}
    return counts


def list_for_user(store: Store, user_id: int, *, unread_only: bool = False) -> list[dict]:
    return rows.notifications_for(store, user_id, unread_only=unread_only)


def mark_read(store: Store, user_id: int, notification_id: int) -> bool:
    return rows.mark_read(store, user_id, notification_id)


def set_email(store: Store, username: str, email: str | None, *, actor: str) -> None:
    """Set (or clear) the address a user's notifications are mailed to."""
    from ..evidence import audit

    if email and ("@" not in email or " " in email.strip()):
        raise ValueError(f"alamat surel tidak valid: {email!r}")
    with store.write():
        rows.set_user_email(store, username, email.strip() if email else None)
        audit.record(store, actor, "user.email", f"user:{username}", set=bool(email))
