"""Deadlines of a case: the reporting clock and the superior's duty to act, in local dates.

Reports to Bawaslu expire 7 days after the violation becomes known (regulation.md); the
Pilkada law counts calendar days, so that is the default (``report_deadline_working = 1``
switches to working days). The direct superior's action is due within ``action_due_days``
working days of the case opening. Working days skip Saturdays, Sundays and the configured
public holidays (setting ``holidays`` and/or the file in ``holidays_file``), because the
holiday calendar changes every year by ministerial decree and cannot be hard-coded.

Dates are counted in the agency's time zone (setting ``timezone``): a post found at
23:30 WIB on Friday was found on Friday, although it is still Friday afternoon in UTC.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Iterable, Mapping
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

#: Statuses in which the Bawaslu report is still outstanding.
REPORT_PENDING = ("temuan", "verifikasi")
#: Statuses in which the superior is still expected to act.
ACTION_PENDING = ("temuan", "verifikasi", "dilaporkan", "rekomendasi")


def parse_date(text: str, *, where: str = "tanggal") -> date:
    """A YYYY-MM-DD date, or ValueError with an Indonesian message naming ``where``."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"{where}: {text.strip()!r} bukan tanggal YYYY-MM-DD") from None


def load_holidays(settings: Mapping) -> frozenset[date]:
    """Holidays from the ``holidays`` setting and the ``holidays_file`` (one date a line)."""
    found: set[date] = set()
    for item in str(settings.get("holidays") or "").split(","):
        if item.strip():
            found.add(parse_date(item, where="pengaturan holidays"))
    path = str(settings.get("holidays_file") or "")
    if path:
        file = Path(path)
        if not file.is_file():
            raise ValueError(f"berkas hari libur {path} tidak ditemukan")
        for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), start=1):
            text = line.split("#", 1)[0].strip()
            if text:
                # Lines may carry a name after the date: "2024-12-25 Natal".
                found.add(parse_date(text.split()[0], where=f"{path} baris {number}"))
    return frozenset(found)


def zone(settings: Mapping) -> timezone | ZoneInfo:
    name = str(settings.get("timezone") or "Asia/Jakarta")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"zona waktu {name!r} tidak dikenal") from None


def parse_ts(ts: str) -> datetime:
    """An ISO-8601 timestamp as stored (``...Z``) to an aware UTC datetime."""
    value = datetime.fromisoformat(ts.replace("Z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def local_date(ts: str | datetime, settings: Mapping) -> date:
    moment = parse_ts(ts) if isinstance(ts, str) else ts
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(zone(settings)).date()


def is_working_day(day: date, holidays: Iterable[date] = ()) -> bool:
    return day.weekday() < 5 and day not in set(holidays)


def add_working_days(start: date, days: int, holidays: Iterable[date] = ()) -> date:
    """The ``days``-th working day after ``start`` (``start`` itself is never counted)."""
    if days < 0:
        raise ValueError("jumlah hari kerja tidak boleh negatif")
    off = set(holidays)
    current = start
    counted = 0
    while counted < days:
        current += timedelta(days=1)
        if is_working_day(current, off):
            counted += 1
    return current


def working_days_between(start: date, end: date, holidays: Iterable[date] = ()) -> int:
    """Working days after ``start`` up to and including ``end`` (negative if end < start)."""
    off = set(holidays)
    if end < start:
        return -working_days_between(end, start, off)
    return sum(1 for i in range(1, (end - start).days + 1)
               if is_working_day(start + timedelta(days=i), off))


@dataclass(frozen=True)
class CaseDeadlines:
    report_due_on: date
    action_due_on: date


def compute(found_at: str, opened_at: str, settings: Mapping,
            holidays: Iterable[date] | None = None) -> CaseDeadlines:
    """Both deadlines of a case found at ``found_at`` and opened at ``opened_at`` (UTC ISO)."""
    off = load_holidays(settings) if holidays is None else frozenset(holidays)
    found = local_date(found_at, settings)
    report_days = int(settings.get("report_deadline_days", 7))
    if int(settings.get("report_deadline_working", 0)):
        report_due = add_working_days(found, report_days, off)
    else:
        report_due = found + timedelta(days=report_days)
    action_due = add_working_days(local_date(opened_at, settings), int(settings.get("action_due_days", 7)), off)
    return CaseDeadlines(report_due, action_due)


def state(due_on: str | date | None, today: date, holidays: Iterable[date] = ()) -> str:
    """'lewat' (overdue), 'jatuh_tempo' (today or the next working day) or 'berjalan'."""
    if due_on is None:
        return "berjalan"
    due = parse_date(due_on) if isinstance(due_on, str) else due_on
    if today > due:
        return "lewat"
    if working_days_between(today, due, holidays) <= 1:
        return "jatuh_tempo"
    return "berjalan"


def today(settings: Mapping, now: datetime | None = None) -> date:
    return local_date(now or datetime.now(timezone.utc), settings)


def overdue_list(cases: Iterable[Mapping], today_: date) -> list[dict]:
    """Cases whose reporting clock or superior's duty has run out, with what is late.

    ``cases`` are rows with status, report_due_on, action_due_on and actions (count).
    """
    late = []
    for case in cases:
        reasons = []
        if case["status"] in REPORT_PENDING and case["report_due_on"] and today_ > parse_date(case["report_due_on"]):
            reasons.append("laporan Bawaslu")
        if (case["status"] in ACTION_PENDING and not case.get("actions") and case["action_due_on"]
                and today_ > parse_date(case["action_due_on"])):
            reasons.append("tindakan atasan")
        if reasons:
            late.append({**dict(case), "late": reasons})
    return late
