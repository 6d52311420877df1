"""Public reports (laporan masyarakat): a URL, optional text, screenshot and reporter contact.

Many violations reach an office as a citizen's report about a platform it cannot collect
(Facebook, Instagram, TikTok). A report becomes a post of kind ``report`` on the platform its
URL names (``report`` for any other site), linked to the registered account when the handle
in the URL is one, and always opens a ``report`` flag: a person asked for review, so it is
reviewed whatever the classifier says. Input is validated first, with errors in Bahasa
Indonesia, so a bad report is refused whole and nothing half-stored is left behind.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import urlparse, urlunparse

from ..evidence import audit
from ..evidence.netguard import local_by_name
from ..people.handles import normalize_handle
from ..store import PostRecord, Store, utcnow
from ..store import people
from ..store import reports as rows

MAX_URL = 2048
MAX_TEXT = 5000
MAX_CONTACT = 200

#: Hosts (without "www."/"m."/"mobile.") and the platform they belong to.
HOSTS = {
    "x.com": "x", "twitter.com": "x",
    "bsky.app": "bluesky",
    "youtube.com": "youtube", "youtu.be": "youtube",
    "t.me": "telegram", "telegram.me": "telegram",
    "facebook.com": "facebook", "fb.com": "facebook", "fb.watch": "facebook",
    "instagram.com": "instagram",
    "tiktok.com": "tiktok", "vt.tiktok.com": "tiktok",
}
#: First path segments that are site sections, not account names.
NOT_HANDLES = {
    "x": {"i", "intent", "search", "hashtag", "home", "explore", "share", "settings"},
    "youtube": {"watch", "shorts", "results", "playlist", "live", "feed", "embed"},
    "telegram": {"joinchat", "addstickers", "share", "proxy", "c"},
    "facebook": {"permalink.php", "story.php", "watch", "groups", "share", "photo.php", "photo", "reel", "events",
                 "profile.php", "login", "hashtag", "sharer.php"},
    "instagram": {"p", "reel", "reels", "tv", "explore", "stories", "accounts"},
    "tiktok": {"t", "tag", "music", "discover", "search"},
}
_MASTODON_PATH = re.compile(r"^/@([A-Za-z0-9_]{1,30})(?:/(\d+))?/?$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class ReportError(ValueError):
    """A report that cannot be accepted; the message (Bahasa Indonesia) says what to fix."""


@dataclass(frozen=True)
class Target:
    """What a reported URL points at."""

    url: str
    platform: str            # a platform name, or "report" for any other site
    host: str
    handle: str | None       # the normalised handle, when the URL names an account


def _host_key(host: str) -> str:
    host = host.lower().rstrip(".")
    for prefix in ("www.", "m.", "mobile.", "web."):
        if host.startswith(prefix):
            host = host[len(prefix):]
    return host


def check_url(url: object) -> str:
    """The URL, trimmed and checked: http(s), a host, no spaces, not too long."""
    if not isinstance(url, str) or not url.strip():
        raise ReportError("URL kiriman yang dilaporkan wajib diisi")
    text = url.strip()
    if len(text) > MAX_URL:
        raise ReportError(f"URL terlalu panjang (lebih dari {MAX_URL} karakter)")
    if any(ch.isspace() for ch in text) or _CONTROL.search(text):
        raise ReportError("URL tidak boleh berisi spasi atau karakter kendali")
    try:
        parsed = urlparse(text)
        port = parsed.port  # raises for a malformed port
    except ValueError:
        raise ReportError(f"URL {text!r} tidak dapat dibaca") from None
    del port
    if parsed.scheme.lower() not in ("http", "https"):
        raise ReportError("URL harus diawali http:// atau https://")
    if not parsed.hostname or "." not in parsed.hostname:
        raise ReportError("URL harus memuat nama situs, misalnya https://x.com/...")
    if local_by_name(parsed.hostname):  # the capture refuses them too; say so at once
        raise ReportError("URL harus menunjuk ke situs publik di internet, bukan alamat jaringan lokal")
    if parsed.username or parsed.password:
        raise ReportError("URL tidak boleh memuat nama pengguna atau kata sandi")
    return text


def check_text(value: object, *, what: str, limit: int) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ReportError(f"{what} harus berupa teks")
    text = unicodedata.normalize("NFC", _CONTROL.sub("", value)).strip()
    if len(text) > limit:
        raise ReportError(f"{what} terlalu panjang ({len(text)} karakter; paling banyak {limit})")
    return text or None


def canonical_url(url: str) -> str:
    """The URL used to recognise repeat reports: lower-case scheme and host, no fragment,
    no trailing slash, tracking parameters dropped."""
    parsed = urlparse(url)
    query = "&".join(p for p in parsed.query.split("&")
                     if p and not p.lower().startswith(("utm_", "fbclid=", "igshid=", "si=", "s=", "t=")))
    path = parsed.path.rstrip("/") or "/"
    return urlunparse((parsed.scheme.lower(), (parsed.hostname or "").lower() + (f":{parsed.port}" if parsed.port else ""),
                       path, "", query, ""))


def target_of(url: str) -> Target:
    """The platform and (if any) account handle a URL points at. Pure: no database."""
    parsed = urlparse(url)
    host = _host_key(parsed.hostname or "")
    platform = HOSTS.get(host)
    handle = None
    parts = [p for p in parsed.path.split("/") if p]
    if platform is None and _MASTODON_PATH.match(parsed.path or ""):
        platform = "mastodon"
    if platform is not None and parts:
        first = parts[0].lower()
        if platform == "instagram" and first == "stories" and len(parts) > 1:
            candidate = parts[1]
        elif platform == "youtube" and first in ("channel", "c", "user") and len(parts) > 1:
            candidate = parts[1]
        elif platform == "mastodon":
            candidate = f"{parts[0].lstrip('@')}@{host}"
        elif platform == "bluesky":
            candidate = parts[1] if first == "profile" and len(parts) > 1 else None
        elif first in NOT_HANDLES.get(platform, set()) or (platform == "youtube" and host == "youtu.be"):
            candidate = None
        elif platform == "telegram" and first == "s" and len(parts) > 1:
            candidate = parts[1]
        else:
            candidate = parts[0]
        if candidate:
            try:
                handle = normalize_handle(platform, candidate)
            except ValueError:
                handle = None
    return Target(url=url, platform=platform or "report", host=host, handle=handle)


def submit_report(store: Store, *, url: str, text: str | None = None, screenshot: bytes | None = None,
                  reporter_contact: str | None = None, actor: str = "publik") -> int:
    """Store a public report and return the id of its review flag (always open for review).

    A repeat report of a URL whose flag is still undecided joins that flag (one more
    ``reports`` row); otherwise a new post and flag are made. Raises :class:`ReportError`
    (a ``ValueError``) for input that cannot be accepted; then nothing is stored.
    """
    clean_url = check_url(url)
    body = check_text(text, what="Keterangan laporan", limit=MAX_TEXT)
    contact = check_text(reporter_contact, what="Kontak pelapor", limit=MAX_CONTACT)
    if screenshot is not None and not isinstance(screenshot, (bytes, bytearray)):
        raise ReportError("tangkapan layar harus berupa berkas gambar")
    if screenshot is not None and len(screenshot) == 0:
        raise ReportError("berkas tangkapan layar kosong")
    target = target_of(clean_url)
    key = canonical_url(clean_url)
    base_id = "laporan:" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:24]

    with store.write():
        account_id = None
        if target.handle:
            account_id = people.account_ids_by_handle(store).get((target.platform, target.handle))
        elif target.platform == "report":
            account_id = rows.account_by_host(store, target.host)
        latest = rows.latest_report_post(store, target.platform, base_id)
        joined = latest is not None and latest["flag_id"] is not None and latest["flag_status"] in rows.PENDING
        if joined:
            post_id, flag_id = int(latest["id"]), int(latest["flag_id"])
        else:
            count = rows.report_posts_count(store, target.platform, base_id)
            record = PostRecord(
                platform=target.platform, post_id=base_id if count == 0 else f"{base_id}:{count + 1}",
                text=body or "", kind="report", url=clean_url, created_at=utcnow(),
                account_handle=target.handle,
                # What the evidence bundle keeps: the report as filed, without the reporter's contact.
                raw={"source": "laporan_masyarakat", "url": clean_url, "canonical_url": key, "text": body,
                     "platform": target.platform, "handle": target.handle, "reported_at": utcnow()},
            )
            post_id = rows.create_report_post(store, record, account_id)
            flag_id = rows.open_report_flag(store, post_id, rows.account_unit(store, account_id))
        digest = None
        if screenshot is not None:
            from ..evidence.capture import store_upload

            try:
                digest = store_upload(store, bytes(screenshot), post_id=post_id, kind="screenshot", source_url=clean_url)
            except ValueError as exc:
                raise ReportError(f"tangkapan layar ditolak: {exc}") from None
        report_id = rows.add_report(store, post_id=post_id, url=clean_url, text=body, reporter_contact=contact,
                                    screenshot_sha256=digest)
        audit.record(store, actor, "report.submit", f"flag:{flag_id}", report_id=report_id, post_id=post_id,
                     url=clean_url, platform=target.platform, account_id=account_id, joined_existing=joined,
                     screenshot_sha256=digest)
    return flag_id
