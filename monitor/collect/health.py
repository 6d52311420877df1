"""Collector health: per account (last success, last error, items in 7 days) and per-platform
alerts for the dashboard and ``netra collect status``.

The silence rule: a platform that usually yields (at least one new post per day on average over
the 7 days before) but has yielded nothing for 24 hours while it was being collected is
suspicious: an API change, a block, an expired token. Silence is worse than an error because
nobody notices it, so it gets an alert.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Callable, Mapping

from .. import glossary
from ..people.handles import PLATFORMS
from ..store import Store
from ..store import collection as rows

#: New posts over the previous 7 days from which a platform "usually yields".
USUAL_MIN_7D = 7


def _platform_refused(row: Mapping) -> bool:
    return (row.get("status") or "ok") != "ok"


def _never_succeeded(row: Mapping) -> bool:
    return not row.get("last_success_at")


def _failing(row: Mapping) -> bool:
    return bool(row.get("last_error_at")) and (row.get("last_error_at") or "") > (row.get("last_success_at") or "")


def _no_items(row: Mapping) -> bool:
    # a captured-only account is judged by how recently it was captured, not by a weekly count
    return not row.get("items_7d") and not row.get("captured_only")


def _not_captured(row: Mapping) -> bool:
    return bool(row.get("capture_stale"))


#: An account's health, checked in order: the first rule that holds names its state (issue 14:
#: an account that returned nothing is not "ok"). A new state is one line here plus its label
#: in monitor.glossary.HEALTH_STATES. The platform's own refusal keeps the platform's status key.
HEALTH_RULES: tuple[tuple[str | None, Callable[[Mapping], bool]], ...] = (
    (None, _platform_refused),          # suspended / private / not_found / opted_out, as stored
    ("not_captured", _not_captured),    # Instagram/TikTok/Facebook/Threads: nobody captured in 14 days
    ("never_succeeded", _never_succeeded),
    ("failing", _failing),
    ("no_items", _no_items),
)


def health_state(row: Mapping) -> str:
    """The state key of one account row ("ok" when no rule holds)."""
    for state, holds in HEALTH_RULES:
        if holds(row):
            return state or str(row.get("status"))
    return "ok"


def account_health(store: Store, unit_ids: set[int] | None = None) -> list[dict]:
    """One row per active account: platform, handle, employee, unit, status, status_reason,
    last_success_at, last_error, last_error_at, items_7d, and ``health`` / ``health_label``
    (the state a person reads). ``unit_ids`` limits to a scope (SQL)."""
    found = _capture_state(store, rows.account_health_rows(store, unit_ids=unit_ids))
    for row in found:
        row["health"] = health_state(row)
        row["health_label"] = glossary.label("health", row["health"])
    return found


def account_alerts(accounts: list[dict]) -> list[dict]:
    """One alert per account whose health is not "ok", as ``{"platform", "handle", "health", "message"}``."""
    alerts = []
    for row in accounts:
        if row.get("health", health_state(row)) == "ok":
            continue
        name = PLATFORMS.get(row["platform"], row["platform"])
        who = f" ({row['employee']})" if row.get("employee") else ""
        state = row.get("health") or health_state(row)
        alerts.append({"platform": row["platform"], "handle": row["handle"], "health": state,
                       "message": f"{name} @{row['handle']}{who}: {glossary.label('health', state)}."})
    return alerts


#: Days after which an account on a capture-only platform counts as not captured.
CAPTURE_STALE_DAYS = 14


def _capture_state(store: Store, accounts: list[dict], now: datetime | None = None) -> list[dict]:
    """Accounts on platforms that only browser captures reach (no collector ever succeeds there):
    marked ``captured_only``, their last capture as last success, and ``capture_stale`` unless
    someone captured one of their items in the last 14 days (health "belum ditangkap")."""
    from ..store import captures
    from .zeeschuimer import CAPTURED_PLATFORMS

    now = now or datetime.now(timezone.utc)
    cutoff = (now - timedelta(days=CAPTURE_STALE_DAYS)).strftime("%Y-%m-%dT%H:%M:%S")
    last = captures.last_capture_by_account(store)
    for row in accounts:
        if row["platform"] not in CAPTURED_PLATFORMS or row["status"] != "ok":
            continue
        seen = last.get((row["platform"], row["handle"]))
        row["captured_only"] = True
        row["last_success_at"] = row["last_success_at"] or seen
        row["capture_stale"] = seen is None or seen < cutoff
        if row["capture_stale"]:
            row["status_reason"] = (f"tidak ada tangkapan peramban dalam {CAPTURE_STALE_DAYS} hari"
                                    + (f" (terakhir {seen[:10]})" if seen else ""))
    return accounts


def _parse(ts: str | None) -> datetime | None:
    if not ts:
        return None
    try:
        return datetime.fromisoformat(ts.replace("Z", "+00:00"))
    except ValueError:
        return None


def platform_alerts(store: Store, now: datetime | None = None) -> list[dict]:
    """Alerts as ``{"platform", "message"}`` (Bahasa Indonesia)."""
    now = now or datetime.now(timezone.utc)
    alerts = []
    for row in rows.platform_activity(store, now):
        name = PLATFORMS.get(row["platform"], row["platform"])
        last = _parse(row["last_collected_at"])
        collected_recently = last is not None and last >= now - timedelta(hours=24)
        if row["before_7d"] >= USUAL_MIN_7D and row["last_24h"] == 0 and collected_recently:
            alerts.append({"platform": row["platform"], "message": (
                f"{name}: tidak ada kiriman baru selama 24 jam, padahal 7 hari sebelumnya ada "
                f"{row['before_7d']} kiriman. Periksa API, token, atau pemblokiran.")})
        if row["accounts"] and row["failing"] == row["accounts"]:
            alerts.append({"platform": row["platform"], "message": (
                f"{name}: semua {row['accounts']} akun gagal dikumpulkan pada percobaan terakhir.")})
    return alerts
