"""Screenshots and media of flagged posts, kept by this instance so evidence never depends on
a third-party archive or on the post still being online.

``capture_flagged`` renders each newly flagged post's public URL in headless Chromium
(Debian's package, driven by Playwright's sync API) to a PNG and downloads the post's media
URLs with httpx. Files are stored content-addressed (``monitor.evidence.media``) and each attempt
is a ``media`` row: the SHA-256 and capture time on success, the reason on failure (login wall,
HTTP error, timeout, offline), so one bad post never stops the run and nobody has to guess
whether a capture was tried.

Post URLs are untrusted (public reports supply them), so every request — the page, each
redirect, each sub-request the page makes, each media download — goes through
``monitor.evidence.netguard``: the host is resolved and checked once and the connection goes to
that pinned address. The browser has no network of its own (its resolver maps every name to
nothing and its proxy is a dead port); Python fetches each request it makes and hands back the
answer, so a redirect or a sub-request to the intranet is refused like the first URL.
"""

from __future__ import annotations

import asyncio
import json
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable
from urllib.parse import urljoin, urlsplit

import httpx

from . import media as mediastore
from . import netguard
from .netguard import BlockedAddress
from ..store import Store, utcnow
from ..store import evidence as rows

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
# Anything the request interception does not answer (WebSocket, a request it somehow missed)
# must fail: no name resolves and every connection goes to a closed port, loopback included.
NO_NETWORK_ARGS = ["--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=http://127.0.0.1:9",
                   "--proxy-bypass-list=<-loopback>"]
# Hop-by-hop and encoding headers are not passed back: httpx already decoded the body.
DROP_RESPONSE_HEADERS = {"content-encoding", "content-length", "transfer-encoding", "connection", "keep-alive"}
MAX_MEDIA_BYTES = 25 * 1024 * 1024
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_REDIRECTS = 5
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


def check_url(url: str, *, allow_networks: Iterable[str] = ()) -> None:
    """Raise BlockedAddress for a URL this instance must not fetch (see monitor.evidence.netguard)."""
    netguard.check(url, allow_networks=allow_networks)


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
    allow_networks: Iterable[str] = (),
    max_failures: int = 3,
    progress: Callable[[int], None] | None = None,
) -> dict:
    """Screenshot and download media for up to ``limit`` flagged posts without a screenshot.

    ``allow_networks`` lists networks fetched although private (tests serve on 127.0.0.1); it is
    empty by default. A post whose screenshot failed ``max_failures`` times is not retried. Returns counts and
    the failures (post id, kind, URL, reason). If the browser itself cannot start, that is
    reported once in ``browser_error`` and no post is charged a failed attempt.
    """
    allow_networks = tuple(allow_networks)
    folder = mediastore.media_dir(store, media_dir)
    todo = rows.posts_to_capture(store, limit=limit, max_failures=max_failures)
    report = CaptureReport(posts=len(todo))
    if not todo:
        return report.as_dict()
    shots = _run_browser(todo, browser_path=browser_path, timeout=timeout, allow_networks=allow_networks)
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
                _download(store, folder, client, post["id"], url, report, allow_networks=allow_networks)
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
                 allow_networks: tuple[str, ...]) -> dict[int, tuple[str, bytes | str]] | str:
    """PNG bytes or a failure reason per post id; a string if the browser cannot start at all."""
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    results: dict[int, tuple[str, bytes | str]] = {}
    pending = []
    for post in posts:
        try:
            check_url(post["url"], allow_networks=allow_networks)
            pending.append(post)
        except BlockedAddress as exc:
            results[post["id"]] = (utcnow(), str(exc))
    if not pending:
        return results

    client = httpx.Client(timeout=timeout)
    state: dict[str, str] = {}

    def guard(route) -> None:
        """Fetch the browser's request ourselves, to the pinned address, or abort it.

        Chromium does not route the hops of a fulfilled redirect again, so redirects never
        reach it: a navigation's redirect is recorded and visited as a new navigation, a
        sub-request's is followed here, every hop checked.
        """
        request = route.request
        navigation = request.is_navigation_request() and request.frame.parent_frame is None
        try:
            status, headers, body, location = _relay(client, request, allow_networks=allow_networks,
                                                     follow=not navigation)
        except BlockedAddress as exc:
            if navigation:
                state["refused"] = f"ditolak: {exc}"
            route.abort("blockedbyclient")
        except (httpx.HTTPError, ValueError):
            route.abort("failed")
        else:
            if location is not None:
                state["redirect"] = location
                route.abort("aborted")
            else:
                route.fulfill(status=status, headers=headers, body=body)

    def visit(page, url: str) -> bytes | str:
        for _ in range(MAX_REDIRECTS + 1):
            state.clear()
            try:
                response = page.goto(url, timeout=timeout * 1000, wait_until="load")
            except PlaywrightError:
                if "redirect" not in state and "refused" not in state:
                    raise
                response = None
            if "refused" in state:
                return state["refused"]
            if "redirect" in state:
                url = state["redirect"]
                continue
            if response is None:
                return "halaman tidak memberi tanggapan"
            if response.status >= 400:
                return f"HTTP {response.status} dari {urlsplit(url).hostname}"
            return url
        return "terlalu banyak pengalihan (redirect)"

    with sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(executable_path=browser_path, args=CHROMIUM_ARGS + NO_NETWORK_ARGS,
                                                 headless=True)
        except PlaywrightError as exc:
            client.close()
            return f"peramban tidak dapat dijalankan ({browser_path}): {str(exc).splitlines()[0]}"
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 1600}, service_workers="block")
            context.route("**/*", guard)
            for post in pending:
                page = context.new_page()
                captured_at = utcnow()
                try:
                    landed = visit(page, post["url"])
                    if not landed.startswith(("http://", "https://")):
                        outcome: bytes | str = landed
                    elif _is_login_wall(post["url"], landed):
                        outcome = f"diarahkan ke halaman login ({landed}): konten tidak dapat dilihat publik"
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
            client.close()
    return results


def _relay(client: httpx.Client, request, *, allow_networks: tuple[str, ...],
           follow: bool) -> tuple[int, dict[str, str], bytes, str | None]:
    """One browser request fetched by httpx at the pinned address: status, headers, body and,
    when ``follow`` is off and the answer is a redirect, where it points."""
    headers = {k: v for k, v in request.headers.items() if k.lower() not in ("host", "accept-encoding")}
    url, method, content = request.url, request.method, request.post_data_buffer
    for _ in range(MAX_REDIRECTS + 1):
        target = netguard.resolve(url, allow_networks=allow_networks)
        built = netguard.pinned_request(client, method, target, headers=headers)
        if content:
            built = client.build_request(method, built.url, headers=built.headers, content=content,
                                         extensions=built.extensions)
        response = client.send(built, stream=True, follow_redirects=False)
        try:
            if response.is_redirect:
                location = urljoin(url, response.headers.get("location", ""))
                if not follow:
                    return response.status_code, {}, b"", location
                url, method, content = location, "GET", None
                continue
            body = _read_capped(response)
        finally:
            response.close()
        kept = {k: v for k, v in response.headers.items() if k.lower() not in DROP_RESPONSE_HEADERS}
        return response.status_code, kept, body, None
    raise ValueError("terlalu banyak pengalihan (redirect)")


def _read_capped(response: httpx.Response) -> bytes:
    chunks, size = [], 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > MAX_MEDIA_BYTES:
            raise ValueError(f"berkas lebih dari {MAX_MEDIA_BYTES // (1024 * 1024)} MB")
        chunks.append(chunk)
    return b"".join(chunks)


def _download(store: Store, folder: Path, client: httpx.Client, post_id: int, url: str, report: CaptureReport,
              *, allow_networks: tuple[str, ...]) -> None:
    captured_at = utcnow()
    try:
        data, content_type = _fetch(client, url, allow_networks=allow_networks)
    except (BlockedAddress, httpx.HTTPError, ValueError) as exc:
        reason = str(exc) or exc.__class__.__name__
        rows.insert_media(store, post_id=post_id, kind="media", source_url=url, failure=reason, captured_at=captured_at)
        report.failures.append({"post_id": post_id, "kind": "media", "url": url, "reason": reason})
        return
    digest = mediastore.put(folder, data)
    rows.insert_media(store, post_id=post_id, kind="media", source_url=url, sha256=digest,
                      content_type=content_type, size=len(data), captured_at=captured_at)
    report.media += 1


def _fetch(client: httpx.Client, url: str, *, allow_networks: tuple[str, ...], max_redirects: int = MAX_REDIRECTS) -> tuple[bytes, str]:
    """GET with every redirect hop checked and a size limit; ValueError with the reason."""
    for _ in range(max_redirects + 1):
        target = netguard.resolve(url, allow_networks=allow_networks)
        response = client.send(netguard.pinned_request(client, "GET", target), stream=True, follow_redirects=False)
        try:
            if response.is_redirect:
                url = urljoin(url, response.headers.get("location", ""))
                continue
            if response.status_code >= 400:
                raise ValueError(f"HTTP {response.status_code}")
            data = _read_capped(response)
            if not data:
                raise ValueError("berkas kosong")
            header = response.headers.get("content-type", "").split(";")[0].strip() or None
            return data, mediastore.sniff(data) or header or "application/octet-stream"
        finally:
            response.close()
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
