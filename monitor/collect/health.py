"""Collector health: per account (last success, last error, items in 7 days) and per-platform
alerts for the dashboard and ``netra collect status``.

The silence rule: a platform that usually yields (at least one new post per day on average over
the 7 days before) but has yielded nothing for 24 hours while it was being collected is
suspicious: an API change, a block, an expired token. Silence is worse than an error because
nobody notices it, so it gets an alert.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from ..people.handles import PLATFORMS
from ..store import Store
from ..store import collection as rows

#: New posts over the previous 7 days from which a platform "usually yields".
USUAL_MIN_7D = 7


def account_health(store: Store, unit_ids: set[int] | None = None) -> list[dict]:
    """One row per active account: platform, handle, employee, unit, status, status_reason,
    last_success_at, last_error, last_error_at, items_7d. ``unit_ids`` limits to a scope (SQL)."""
    return _capture_state(store, rows.account_health_rows(store, unit_ids=unit_ids))


#: Days after which an account on a capture-only platform counts as not captured.
CAPTURE_STALE_DAYS = 14


def _capture_state(store: Store, accounts: list[dict], now: datetime | None = None) -> list[dict]:
    """Accounts on platforms that only browser captures reach (no collector ever succeeds there):
    "belum ditangkap" unless someone captured one of their items in the last 14 days."""
    from ..store import captures
    from .zeeschuimer import CAPTURED_PLATFORMS

    now = now or datetime.now(timezone.utc)
    cutoff = (now - timedelta(days=CAPTURE_STALE_DAYS)).strftime("%Y-%m-%dT%H:%M:%S")
    last = captures.last_capture_by_account(store)
    for row in accounts:
        if row["platform"] not in CAPTURED_PLATFORMS or row["status"] != "ok":
            continue
        seen = last.get((row["platform"], row["handle"]))
        row["last_success_at"] = row["last_success_at"] or seen
        if seen is None or seen < cutoff:
            row["status"] = "belum ditangkap"
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
