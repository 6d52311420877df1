"""Screenshots and media of flagged posts, kept by this instance so evidence never depends on
a third-party archive or on the post still being online.

``capture_flagged`` renders each newly flagged post's public URL in headless Chromium
(Debian's package, driven by Playwright's sync API) to a PNG and downloads the post's media
URLs with httpx. Files are stored content-addressed (``monitor.evidence.media``) and each attempt
is a ``media`` row: the SHA-256 and capture time on success, the reason on failure (login wall,
HTTP error, timeout, offline), so one bad post never stops the run and nobody has to guess
whether a capture was tried.

Post URLs are untrusted (public reports supply them), so by default only hosts that resolve to
public addresses are fetched, by the browser and by httpx alike: a report must not make the
server screenshot its own intranet.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import socket
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable
from urllib.parse import urljoin, urlsplit

import httpx

from . import media as mediastore
from ..store import Store, utcnow
from ..store import evidence as rows

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
MAX_MEDIA_BYTES = 25 * 1024 * 1024
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
KINDS = ("screenshot", "media")
# Where platforms send a visitor who is not logged in: a screenshot of that proves nothing.
LOGIN_MARKERS = ("/login", "/i/flow/login", "/accounts/login", "/signin", "/sign_in", "/checkpoint", "/auth/")
USER_AGENT = "Netra-evidence/1 (+pemantau netralitas ASN)"


@dataclass
class CaptureReport:
    posts: int = 0
    screenshots: int = 0
    media: int = 0
    failures: list[dict] = field(default_factory=list)
    browser_error: str | None = None

    def as_dict(self) -> dict:
        return {"posts": self.posts, "screenshots": self.screenshots, "media": self.media,
                "failures": self.failures, "browser_error": self.browser_error}


class BlockedAddress(ValueError):
    """A URL whose host is not a public internet address."""


@lru_cache(maxsize=1024)
def _public_host(host: str) -> bool:
    try:
        infos = socket.getaddrinfo(host, None)
    except (socket.gaierror, UnicodeError):
        return True  # unresolvable: the fetch itself fails with a clearer reason
    return all(ipaddress.ip_address(info[4][0].split("%")[0]).is_global for info in infos)


def check_url(url: str, *, allow_private_hosts: bool) -> None:
    """Raise BlockedAddress for non-HTTP URLs and, unless allowed, private or local hosts."""
    parts = urlsplit(url or "")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise BlockedAddress(f"alamat bukan http(s): {url!r}")
    if not allow_private_hosts and not _public_host(parts.hostname):
        raise BlockedAddress(f"alamat jaringan lokal/privat tidak diizinkan: {parts.hostname}")


def _is_login_wall(requested: str, final: str) -> bool:
    path = urlsplit(final).path.lower()
    return final != requested and any(marker in path for marker in LOGIN_MARKERS)


def capture_flagged(
    store: Store,
    *,
    limit: int = 20,
    browser_path: str = "/usr/bin/chromium",
    timeout: float = 30.0,
    media_dir: Path | None = None,
    client: httpx.Client | None = None,
    allow_private_hosts: bool = False,
    max_failures: int = 3,
    progress: Callable[[int], None] | None = None,
) -> dict:
    """Screenshot and download media for up to ``limit`` flagged posts without a screenshot.

    A post whose screenshot failed ``max_failures`` times is not retried. Returns counts and
    the failures (post id, kind, URL, reason). If the browser itself cannot start, that is
    reported once in ``browser_error`` and no post is charged a failed attempt.
    """
    folder = mediastore.media_dir(store, media_dir)
    todo = rows.posts_to_capture(store, limit=limit, max_failures=max_failures)
    report = CaptureReport(posts=len(todo))
    if not todo:
        return report.as_dict()
    shots = _run_browser(todo, browser_path=browser_path, timeout=timeout, allow_private_hosts=allow_private_hosts)
    own_client = client is None
    client = client or httpx.Client(timeout=timeout, headers={"User-Agent": USER_AGENT})
    try:
        if isinstance(shots, str):
            report.browser_error = shots
            shots = {}
        for post in todo:
            if post["id"] in shots:
                _record_screenshot(store, folder, post, shots[post["id"]], report)
            for url in json.loads(post["media_json"] or "[]"):
                if url in rows.captured_media_urls(store, post["id"]) or \
                        rows.media_failures(store, post["id"], url) >= max_failures:
                    continue
                _download(store, folder, client, post["id"], url, report, allow_private_hosts=allow_private_hosts)
            if progress:
                progress(1)
    finally:
        if own_client:
            client.close()
    return report.as_dict()


def _record_screenshot(store: Store, folder: Path, post: dict, result: tuple[str, bytes | str], report) -> None:
    captured_at, outcome = result
    if isinstance(outcome, bytes):
        digest = mediastore.put(folder, outcome)
        rows.insert_media(store, post_id=post["id"], kind="screenshot", source_url=post["url"], sha256=digest,
                          content_type="image/png", size=len(outcome), captured_at=captured_at)
        report.screenshots += 1
    else:
        rows.insert_media(store, post_id=post["id"], kind="screenshot", source_url=post["url"],
                          failure=outcome, captured_at=captured_at)
        report.failures.append({"post_id": post["id"], "kind": "screenshot", "url": post["url"], "reason": outcome})


def _run_browser(posts: list[dict], **options) -> dict[int, tuple[str, bytes | str]] | str:
    """Playwright's sync API refuses to run inside an asyncio loop; use a thread then."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return _screenshots(posts, **options)
    box: list = []
    worker = threading.Thread(target=lambda: box.append(_screenshots(posts, **options)))
    worker.start()
    worker.join()
    return box[0]


def _screenshots(posts: list[dict], *, browser_path: str, timeout: float,
                 allow_private_hosts: bool) -> dict[int, tuple[str, bytes | str]] | str:
    """PNG bytes or a failure reason per post id; a string if the browser cannot start at all."""
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    results: dict[int, tuple[str, bytes | str]] = {}
    pending = []
    for post in posts:
        try:
            check_url(post["url"], allow_private_hosts=allow_private_hosts)
            pending.append(post)
        except BlockedAddress as exc:
            results[post["id"]] = (utcnow(), str(exc))
    if not pending:
        return results

    def guard(route) -> None:
        try:
            check_url(route.request.url, allow_private_hosts=allow_private_hosts)
        except BlockedAddress:
            route.abort("blockedbyclient")
        else:
            route.continue_()

    with sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(executable_path=browser_path, args=CHROMIUM_ARGS, headless=True)
        except PlaywrightError as exc:
            return f"peramban tidak dapat dijalankan ({browser_path}): {str(exc).splitlines()[0]}"
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 1600}, service_workers="block")
            if not allow_private_hosts:
                context.route("**/*", guard)
            for post in pending:
                page = context.new_page()
                captured_at = utcnow()
                try:
                    response = page.goto(post["url"], timeout=timeout * 1000, wait_until="load")
                    if response is None:
                        outcome: bytes | str = "halaman tidak memberi tanggapan"
                    elif response.status >= 400:
                        outcome = f"HTTP {response.status} dari {urlsplit(post['url']).hostname}"
                    elif _is_login_wall(post["url"], page.url):
                        outcome = f"diarahkan ke halaman login ({page.url}): konten tidak dapat dilihat publik"
                    else:
                        captured_at = utcnow()
                        outcome = page.screenshot(full_page=True, type="png", timeout=timeout * 1000)
                except PlaywrightTimeout:
                    outcome = f"batas waktu habis ({timeout:g} detik)"
                except PlaywrightError as exc:
                    outcome = f"gagal memuat: {str(exc).splitlines()[0][:300]}"
                finally:
                    page.close()
                results[post["id"]] = (captured_at, outcome)
        finally:
            browser.close()
    return results


def _download(store: Store, folder: Path, client: httpx.Client, post_id: int, url: str, report: CaptureReport,
              *, allow_private_hosts: bool) -> None:
    captured_at = utcnow()
    try:
        data, content_type = _fetch(client, url, allow_private_hosts=allow_private_hosts)
    except (BlockedAddress, httpx.HTTPError, ValueError) as exc:
        reason = str(exc) or exc.__class__.__name__
        rows.insert_media(store, post_id=post_id, kind="media", source_url=url, failure=reason, captured_at=captured_at)
        report.failures.append({"post_id": post_id, "kind": "media", "url": url, "reason": reason})
        return
    digest = mediastore.put(folder, data)
    rows.insert_media(store, post_id=post_id, kind="media", source_url=url, sha256=digest,
                      content_type=content_type, size=len(data), captured_at=captured_at)
    report.media += 1


def _fetch(client: httpx.Client, url: str, *, allow_private_hosts: bool, max_redirects: int = 5) -> tuple[bytes, str]:
    """GET with every redirect hop checked and a size limit; ValueError with the reason."""
    for _ in range(max_redirects + 1):
        check_url(url, allow_private_hosts=allow_private_hosts)
        with client.stream("GET", url, follow_redirects=False) as response:
            if response.is_redirect:
                url = urljoin(url, response.headers.get("location", ""))
                continue
            if response.status_code >= 400:
                raise ValueError(f"HTTP {response.status_code}")
            chunks, size = [], 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > MAX_MEDIA_BYTES:
                    raise ValueError(f"berkas lebih dari {MAX_MEDIA_BYTES // (1024 * 1024)} MB")
                chunks.append(chunk)
            data = b"".join(chunks)
            if not data:
                raise ValueError("berkas kosong")
            header = response.headers.get("content-type", "").split(";")[0].strip() or None
            return data, mediastore.sniff(data) or header or "application/octet-stream"
    raise ValueError("terlalu banyak pengalihan (redirect)")


def store_upload(store: Store, data: bytes, *, post_id: int | None, kind: str = "screenshot",
                 source_url: str | None = None, media_dir: Path | None = None) -> str:
    """Store a file uploaded by a person (a public report's screenshot); returns its SHA-256."""
    if kind not in KINDS:
        raise ValueError(f"jenis berkas tidak dikenal: {kind!r} (screenshot atau media)")
    if not data:
        raise ValueError("berkas unggahan kosong")
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValueError(f"berkas unggahan lebih dari {MAX_UPLOAD_BYTES // (1024 * 1024)} MB")
    content_type = mediastore.sniff(data)
    if content_type is None or (kind == "screenshot" and not content_type.startswith("image/")):
        raise ValueError("berkas unggahan bukan gambar PNG, JPEG, GIF atau WebP")
    digest = mediastore.put(mediastore.media_dir(store, media_dir), data)
    rows.insert_media(store, post_id=post_id, kind=kind, origin="upload", source_url=source_url, sha256=digest,
                      content_type=content_type, size=len(data))
    return digest
