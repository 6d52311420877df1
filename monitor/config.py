"""Settings, declared once: name, default, help, and whether the value is a secret.

Values come, lowest priority first, from the defaults below, a ``netra.toml`` file (in the
working directory, or the path in ``NETRA_CONFIG``), ``NETRA_<NAME>`` environment variables,
and explicit overrides (CLI options such as ``--db``). Secrets are redacted whenever settings
are shown, so a screenshot of ``netra config`` never leaks a token.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping


@dataclass(frozen=True)
class Setting:
    """One declared setting."""

    name: str
    default: Any
    help: str
    secret: bool = False


SETTINGS: tuple[Setting, ...] = (
    Setting("db", "netra.db", "Path of the SQLite database file."),
    Setting("data_dir", ".netra", "Folder for models, media and the instance key."),
    Setting("x_bearer_token", "", "Bearer token for the X API v2.", secret=True),
    Setting("youtube_api_key", "", "API key for the YouTube Data API v3.", secret=True),
    Setting("retention_days", 90, "Days to keep posts that never raised a flag."),
    Setting("capture_on_flag", 1, "1: screenshot newly flagged posts in Chromium after each collection run."),
    Setting("capture_limit", 50, "Most flagged posts screenshotted per collection run."),
    Setting("session_idle_minutes", 30, "Minutes without a page run before a dashboard session ends (0: never)."),
    Setting("trusted_proxy_header", "",
            "Header holding the client address set by a trusted reverse proxy (e.g. X-Forwarded-For; empty: off)."),
    Setting("trusted_proxies", "127.0.0.1/32,::1/128", "Networks of the proxies whose trusted_proxy_header is believed."),
    Setting("capture_allow_networks", "",
            "Tests only: comma-separated networks (e.g. 127.0.0.1/32) the capture may fetch although private."),
    # Collectors (monitor.collect): base URLs, so an office can use a proxy and tests 127.0.0.1.
    Setting("bluesky_base_url", "https://public.api.bsky.app", "Bluesky AppView base URL (public, no login)."),
    Setting("mastodon_base_url", "https://{instance}",
            "Mastodon base URL; {instance} is replaced by the account's server (user@server)."),
    Setting("mastodon_token", "", "Optional Mastodon user token for servers that refuse anonymous API use.",
            secret=True),
    Setting("x_base_url", "https://api.x.com", "X API v2 base URL."),
    Setting("x_monthly_post_reads", 2_000_000, "X post reads allowed per calendar month (0 = no limit)."),
    Setting("youtube_base_url", "https://www.googleapis.com/youtube/v3", "YouTube Data API v3 base URL."),
    Setting("youtube_feed_base_url", "https://www.youtube.com", "YouTube RSS feed base URL (no-key fallback)."),
    Setting("youtube_daily_quota", 10_000, "YouTube Data API quota units allowed per day (0 = no limit)."),
    Setting("telegram_base_url", "https://t.me", "Telegram web preview base URL."),
    Setting("http_timeout", 20, "Seconds before one HTTP request to a platform times out."),
    Setting("http_max_retries", 4, "Retries on timeouts, connection errors and 5xx, with backoff and jitter."),
    Setting("max_rate_wait", 900, "Longest wait (seconds) for a platform's rate-limit reset within a run."),
    Setting("collect_max_pages", 20, "Most pages fetched per account per run (bounds the first backfill)."),
    Setting("collect_page_size", 100, "Items requested per page (clamped to each platform's maximum)."),
    Setting("recheck_posts", 20, "Recent posts per account re-checked each run for edits and deletions."),
    Setting("campaign_recent_posts", 20, "Recent posts per campaign account checked for likes/reposts/replies."),
    Setting("campaign_follower_pages", 5, "Pages of followers read per campaign account per run."),
    Setting("bluesky_concurrency", 4, "Parallel requests to Bluesky."),
    Setting("mastodon_concurrency", 2, "Parallel requests to Mastodon servers."),
    Setting("x_concurrency", 2, "Parallel requests to X."),
    Setting("youtube_concurrency", 2, "Parallel requests to YouTube."),
    Setting("telegram_concurrency", 1, "Parallel requests to Telegram."),
    Setting("rss_concurrency", 4, "Parallel requests to RSS/Atom feeds."),
    # Cases, deadlines and notifications (monitor.cases, monitor.cases.deadlines, monitor.cases.notify).
    Setting("agency_name", "BKPSDM", "Reporting agency named on case reports."),
    Setting("timezone", "Asia/Jakarta", "Time zone in which deadline dates are counted."),
    Setting("report_deadline_days", 7, "Days to report to Bawaslu after a violation is found."),
    Setting("report_deadline_working", 0, "1: count the reporting deadline in working days; 0: calendar days."),
    Setting("action_due_days", 7, "Working days the direct superior has to act on a new case."),
    Setting("holidays", "", "Public holidays (YYYY-MM-DD, comma-separated) skipped by working-day counts."),
    Setting("holidays_file", "", "File of public holidays, one YYYY-MM-DD per line (# comments)."),
    Setting("smtp_host", "", "SMTP server for e-mail notifications (empty: in-app only)."),
    Setting("smtp_port", 587, "SMTP port."),
    Setting("smtp_user", "", "SMTP login name (empty: no login)."),
    Setting("smtp_password", "", "SMTP password (set NETRA_SMTP_PASSWORD).", secret=True),
    Setting("smtp_sender", "netra@localhost", "From address of notification e-mails."),
    Setting("smtp_starttls", 1, "1: upgrade the SMTP connection with STARTTLS; 0: plain."),
)

_BY_NAME = {s.name: s for s in SETTINGS}


class ConfigError(ValueError):
    """A configuration file or value that cannot be used."""


def _coerce(setting: Setting, value: Any) -> Any:
    """Convert a string from the environment to the setting's type."""
    if isinstance(setting.default, int) and not isinstance(value, int):
        try:
            return int(value)
        except (TypeError, ValueError):
            raise ConfigError(f"Setting {setting.name!r} must be a whole number, got {value!r}.")
    return value


def load(
    overrides: Mapping[str, Any] | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    config_path: str | Path | None = None,
) -> dict[str, Any]:
    """Return the effective settings as a plain dict."""
    env = os.environ if environ is None else environ
    values: dict[str, Any] = {s.name: s.default for s in SETTINGS}

    path = Path(config_path or env.get("NETRA_CONFIG", "netra.toml"))
    if path.is_file():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: not valid TOML ({exc}).") from exc
        section = data.get("netra", data)
        for key, value in section.items():
            if key not in _BY_NAME:
                raise ConfigError(f"{path}: unknown setting {key!r}.")
            values[key] = _coerce(_BY_NAME[key], value)

    for setting in SETTINGS:
        env_value = env.get(f"NETRA_{setting.name.upper()}")
        if env_value not in (None, ""):
            values[setting.name] = _coerce(setting, env_value)

    for key, value in (overrides or {}).items():
        if value is None:
            continue
        if key not in _BY_NAME:
            raise ConfigError(f"Unknown setting {key!r}.")
        values[key] = _coerce(_BY_NAME[key], value)
    return values


def networks(value: str) -> tuple[str, ...]:
    """A comma-separated list of networks as a tuple; ConfigError names a malformed one."""
    import ipaddress

    items = tuple(part.strip() for part in str(value or "").split(",") if part.strip())
    for item in items:
        try:
            ipaddress.ip_network(item, strict=False)
        except ValueError:
            raise ConfigError(f"Not a network address: {item!r}.") from None
    return items


def redacted(values: Mapping[str, Any]) -> dict[str, Any]:
    """The settings with every secret replaced, for display."""
    return {
        k: ("***" if _BY_NAME.get(k) and _BY_NAME[k].secret and v else v) for k, v in values.items()
    }
