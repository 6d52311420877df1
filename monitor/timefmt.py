"""Stored UTC timestamps shown to people in the office's own zone: "02-12-2026 12:39 WIB".

Storage and machine-readable exports stay UTC ISO-8601 (their headers say ``_utc``); every
place a person reads a time (CLI tables, pages, PDFs, XLSX) goes through here, so a table and
a chronology on the same page can no longer disagree (issue 14). The zone is the ``office_tz``
setting: WIB, WITA, WIT or any IANA name.
"""

from __future__ import annotations

from datetime import datetime, timezone, tzinfo
from typing import Any, Iterable, Mapping
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

#: Indonesia's three zones by the names offices use.
ZONES = {"WIB": "Asia/Jakarta", "WITA": "Asia/Makassar", "WIT": "Asia/Jayapura"}
_NAMES = {iana: short for short, iana in ZONES.items()}

FORMAT = "%d-%m-%Y %H:%M"
EMPTY = "–"


def zone_of(name: str | None) -> ZoneInfo:
    """WIB/WITA/WIT or an IANA name (empty: WIB); ValueError in Bahasa for anything else."""
    text = (name or "WIB").strip()
    try:
        return ZoneInfo(ZONES.get(text.upper(), text))
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"zona waktu kantor {text!r} tidak dikenal; gunakan WIB, WITA, WIT "
                         "atau nama IANA seperti Asia/Makassar") from None


def office_zone(settings: Mapping[str, Any] | None = None) -> ZoneInfo:
    """The office's zone from the settings (loaded from config when not given)."""
    if settings is None:
        from . import config

        settings = config.load()
    return zone_of(settings.get("office_tz"))


def zone_name(zone: tzinfo, moment: datetime) -> str:
    """WIB/WITA/WIT for Indonesia's zones, else the zone's own abbreviation."""
    key = getattr(zone, "key", None)
    return _NAMES.get(key or "", moment.tzname() or key or "")


def parse_utc(value: str | datetime) -> datetime:
    """A stored timestamp (``...Z``, ``+00:00`` or naive UTC) as an aware UTC datetime."""
    if isinstance(value, datetime):
        moment = value
    else:
        moment = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)


def local(value: str | datetime | None, zone: tzinfo) -> datetime | None:
    """The moment in ``zone``, or None for an empty value."""
    if value is None or value == "":
        return None
    return parse_utc(value).astimezone(zone)


def format_local(value: str | datetime | None, settings: Mapping[str, Any] | None = None, *,
                 zone: tzinfo | None = None, seconds: bool = False) -> str:
    """"02-12-2026 12:39 WIB" for a stored UTC value; "–" when there is none.

    A value that is not a timestamp (a bare date, free text) is returned as it is, so a
    table never loses what was stored.
    """
    if value is None or value == "":
        return EMPTY
    zone = zone or office_zone(settings)
    try:
        if isinstance(value, str) and len(value.strip()) == 10:  # a bare date has no time of day or zone
            return datetime.strptime(value.strip(), "%Y-%m-%d").strftime("%d-%m-%Y")
        moment = parse_utc(value).astimezone(zone)
    except ValueError:
        return str(value)
    return moment.strftime(FORMAT + (":%S" if seconds else "")) + " " + zone_name(zone, moment)


def localize_columns(frame, columns: Iterable[str], settings: Mapping[str, Any] | None = None, *,
                     zone: tzinfo | None = None):
    """A copy of a pandas DataFrame (or list of dicts) with ``columns`` formatted for people.

    For the dashboard's tables: the same wording as the chronology, CLI and PDFs.
    """
    zone = zone or office_zone(settings)
    names = list(columns)
    if isinstance(frame, list):
        return [{k: (format_local(v, zone=zone) if k in names else v) for k, v in row.items()} for row in frame]
    copy = frame.copy()
    for name in names:
        if name in copy.columns:
            copy[name] = [format_local(v, zone=zone) if isinstance(v, (str, datetime)) else EMPTY
                          for v in copy[name]]
    return copy
