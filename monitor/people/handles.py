"""Platform names and account handles, normalised so one account is one key.

Registry files carry handles in every shape people type them: ``@Name``, profile URLs,
``user@instance`` or ``@user@instance``. Normalising once, here, is what makes re-imports and
collectors agree that two spellings are the same account.
"""

from __future__ import annotations

import re
from urllib.parse import urlparse

#: Platforms with a collector, plus platforms whose posts arrive only by file import or
#: public report (no public API), so their handles are still worth registering.
PLATFORMS: dict[str, str] = {
    "bluesky": "Bluesky",
    "mastodon": "Mastodon",
    "x": "X (Twitter)",
    "youtube": "YouTube",
    "telegram": "Telegram",
    "rss": "RSS/Atom",
    "facebook": "Facebook",
    "instagram": "Instagram",
    "tiktok": "TikTok",
    "threads": "Threads",
}

#: Column headers (case-insensitive) that mean a platform, in Bahasa Indonesia or English.
PLATFORM_ALIASES: dict[str, str] = {
    "bluesky": "bluesky", "bsky": "bluesky",
    "mastodon": "mastodon",
    "x": "x", "twitter": "x", "x/twitter": "x", "x (twitter)": "x", "twitter/x": "x",
    "youtube": "youtube", "yt": "youtube",
    "telegram": "telegram", "kanal telegram": "telegram",
    "rss": "rss", "blog": "rss", "rss/atom": "rss", "situs/blog": "rss",
    "facebook": "facebook", "fb": "facebook",
    "instagram": "instagram", "ig": "instagram",
    "tiktok": "tiktok",
    "threads": "threads",
}

_SIMPLE = re.compile(r"^[a-z0-9_.]{1,64}$")
_PATTERNS = {
    "bluesky": re.compile(r"^(did:plc:[a-z0-9]{24}|[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+)$"),
    "mastodon": re.compile(r"^[a-z0-9_]{1,30}@[a-z0-9.-]+\.[a-z]{2,}$"),
    "x": re.compile(r"^[a-z0-9_]{1,15}$"),
    "youtube": re.compile(r"^(@[a-z0-9_.-]{3,30}|UC[A-Za-z0-9_-]{22})$"),
    "telegram": re.compile(r"^[a-z][a-z0-9_]{3,31}$"),
}


def platform_from_header(header: str) -> str | None:
    """The platform a column header names, or None."""
    return PLATFORM_ALIASES.get(header.strip().lower())


def normalize_handle(platform: str, raw: object) -> str:
    """Return the canonical handle, or raise ``ValueError`` (message in Bahasa Indonesia)."""
    if platform not in PLATFORMS:
        raise ValueError(f"platform tidak dikenal: {platform!r}")
    text = ("" if raw is None else str(raw)).strip()
    if not text:
        raise ValueError("akun kosong")
    if platform == "rss":
        parsed = urlparse(text)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise ValueError(f"alamat RSS {text!r} harus berupa URL http(s)")
        return text
    if text.lower().startswith(("http://", "https://")):
        text = _from_url(platform, text)
    if platform == "youtube" and text.startswith("UC") and len(text) == 24:
        handle = text  # channel ids are case-sensitive
    elif platform == "youtube":
        handle = "@" + text.lstrip("@").lower()
    elif platform == "mastodon":
        handle = text.lstrip("@").lower()
    else:
        handle = text.lstrip("@").lower()
    pattern = _PATTERNS.get(platform, _SIMPLE)
    if not pattern.match(handle):
        raise ValueError(f"akun {PLATFORMS[platform]} {raw!r} tidak sesuai format")
    return handle


def _from_url(platform: str, url: str) -> str:
    """Pull the handle out of a profile URL."""
    parsed = urlparse(url)
    parts = [p for p in parsed.path.split("/") if p]
    if platform == "mastodon" and parts and parts[0].startswith("@"):
        return f"{parts[0].lstrip('@')}@{parsed.netloc}"
    if platform == "bluesky" and len(parts) >= 2 and parts[0] == "profile":
        return parts[1]
    if platform == "youtube" and len(parts) >= 2 and parts[0] in ("channel", "c", "user"):
        return parts[1]
    if platform == "telegram" and parts and parts[0] == "s" and len(parts) > 1:
        return parts[1]
    if platform == "facebook" and parts[:1] == ["profile.php"]:
        from urllib.parse import parse_qs

        numeric = parse_qs(parsed.query).get("id")
        if numeric:
            return numeric[0]
    if parts:
        return parts[0]
    raise ValueError(f"tidak ada nama akun di URL {url!r}")
