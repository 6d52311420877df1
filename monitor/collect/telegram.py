"""Telegram public channels through the web preview (``t.me/s/<channel>``), standard library only.

The preview is HTML for browsers, not an API, and has no documentation: the selectors come from
public scrapers (``shared/docs/platform-apis.md`` §5). A small stack-based
``html.parser.HTMLParser`` reads it without a new dependency. Each message keeps the exact HTML
of its block as evidence, beside the fields read from it.

Paging: ``?before=<id>`` returns messages with smaller ids (ascending within a page). A channel
without a public preview (unknown, private, or a group) answers with a redirect to
``t.me/<name>``. Deleted messages just vanish; a stored message missing from a page whose id
range covers it is reported as deleted (album members are not separate blocks, so the gaps in
ids alone prove nothing).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any, Iterator, Mapping
from urllib.parse import parse_qs, urlparse

import httpx

from ..store import PostRecord
from .base import (AccountRef, AccountUnavailable, CursorState, MalformedPayload, Page, PlatformError,
                   id_key, to_utc, walk_newest_first)
from .http import Http, make_http, retry_after
from .rss import tidy_text  # the same whitespace rules for every text extracted from HTML
from .textparts import join_parts, place_text, poll_text

#: Elements that never have an end tag; they are not pushed on the element stack.
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                   "param", "source", "track", "wbr"})
#: Elements whose start and end become line breaks in the plain text.
_BLOCK = frozenset({"div", "p", "blockquote", "pre", "li", "ul", "ol", "h1", "h2", "h3", "h4", "tr"})
_BG_URL = re.compile(r"background-image\s*:\s*url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")
_BEFORE = re.compile(r"[?&]before=(\d+)")


@dataclass
class TelegramPage:
    """One preview page: its messages in page order (ascending ids) and the way to older ones."""

    messages: list[dict[str, Any]] = field(default_factory=list)
    before: int | None = None      # request ``?before=`` this to get the next older page
    no_more: bool = False          # the "No posts found" end-of-history marker was present
    has_history: bool = False      # the message-history section exists (a real channel page)
    channel_title: str | None = None


def _classes(attrs: dict[str, str | None]) -> set[str]:
    return set((attrs.get("class") or "").split())


def parse_count(text: str | None) -> int | None:
    """Telegram's rounded counters ("882", "4.85K", "1.2M") as an approximate integer."""
    if not text:
        return None
    value = text.strip().replace(",", "").upper()
    scale = 1
    if value.endswith("K"):
        scale, value = 1_000, value[:-1]
    elif value.endswith("M"):
        scale, value = 1_000_000, value[:-1]
    try:
        return int(round(float(value) * scale))
    except ValueError:
        return None


class _Message:
    """Fields collected while inside one message block."""

    def __init__(self, data_post: str, classes: set[str], start: int) -> None:
        channel, _, ident = data_post.partition("/")
        self.channel = channel
        self.id = ident
        self.service = "service_message" in classes
        self.start = start
        self.text_parts: list[str] = []
        self.text_html_depth = 0
        self.fields: dict[str, Any] = {
            "channel": channel, "id": int(ident) if ident.isdigit() else ident, "url": None,
            "datetime": None, "text": "", "views": None, "views_text": None, "edited": False,
            "forwarded_from": None, "reply_to": None, "author_signature": None, "media": [],
            "album_ids": [], "unsupported_media": False, "service": self.service,
            "link_preview": None, "poll": None, "location": None,
        }


class _PageParser(HTMLParser):
    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.source = source
        # Absolute offset of each line start, to cut each message's exact HTML out of the page.
        self._line_starts = [0]
        for match in re.finditer("\n", source):
            self._line_starts.append(match.end())
        self.page = TelegramPage()
        self.stack: list[tuple[str, set[str], dict[str, str | None]]] = []
        self.msg: _Message | None = None
        self.msg_depth = 0
        # Open "capture" regions, each remembered as the stack depth where it started.
        self.capture: dict[str, int] = {}
        self.capture_text: dict[str, list[str]] = {}
        self.title_depth: int | None = None
        self.title_parts: list[str] = []

    # -- helpers -------------------------------------------------------------------------------
    def _offset(self) -> int:
        line, col = self.getpos()
        return self._line_starts[line - 1] + col

    def _open(self, name: str) -> None:
        self.capture[name] = len(self.stack)
        self.capture_text[name] = []

    def _in(self, name: str) -> bool:
        return name in self.capture

    # -- parser callbacks ----------------------------------------------------------------------
    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, dict(attrs), void=True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, dict(attrs), void=tag in _VOID)

    def _start(self, tag: str, attrs: dict[str, str | None], *, void: bool) -> None:
        classes = _classes(attrs)
        if tag == "link" and (attrs.get("rel") or "") == "prev":
            found = _BEFORE.search(attrs.get("href") or "")
            if found:
                self.page.before = int(found.group(1))
        if tag == "a" and "tme_messages_more" in classes and attrs.get("data-before"):
            before = attrs["data-before"] or ""
            if before.isdigit() and self.page.before is None:
                self.page.before = int(before)
        if "tgme_channel_history" in classes:
            self.page.has_history = True
        if "tme_no_messages_found" in classes:
            self.page.no_more = True
        if "tgme_channel_info_header_title" in classes and self.title_depth is None:
            self.title_depth = len(self.stack)

        if self.msg is None and tag == "div" and "tgme_widget_message" in classes and attrs.get("data-post"):
            self.msg = _Message(attrs["data-post"] or "", classes, self._offset())
            self.msg_depth = len(self.stack)
        elif self.msg is not None:
            self._message_start(tag, attrs, classes)

        if not void:
            self.stack.append((tag, classes, attrs))

    def _message_start(self, tag: str, attrs: dict[str, str | None], classes: set[str]) -> None:
        assert self.msg is not None  # only called inside a message block
        f = self.msg.fields
        if "tgme_widget_message_reply" in classes:
            f["reply_to"] = attrs.get("href")
            self._open("reply")
        elif "tgme_widget_message_forwarded_from" in classes:
            f["forwarded_from"] = {"name": None, "url": None}
            self._open("forwarded")
        elif "tgme_widget_message_forwarded_from_name" in classes and f["forwarded_from"] is not None:
            f["forwarded_from"]["url"] = attrs.get("href")
            self._open("forwarded_name")
        elif "tgme_widget_message_link_preview" in classes:
            f["link_preview"] = attrs.get("href")
            self._open("preview")
        elif ("tgme_widget_message_text" in classes and not self._in("text")
              and not (self._in("reply") or self._in("preview") or self._in("forwarded"))):
            self._open("text")
        elif "tgme_widget_message_views" in classes:
            self._open("views")
        elif "tgme_widget_message_meta" in classes:
            self._open("meta")
        elif "tgme_widget_message_from_author" in classes:
            self._open("signature")
        elif "tgme_widget_message_date" in classes:
            f["url"] = attrs.get("href")
            self._open("date")
        elif "message_media_not_supported" in classes:
            f["unsupported_media"] = True
        if tag == "time" and self._in("date") and attrs.get("datetime"):
            f["datetime"] = attrs["datetime"]
        if "tgme_widget_message_photo_wrap" in classes or "tgme_widget_message_video_thumb" in classes:
            found = _BG_URL.search(attrs.get("style") or "")
            if found and not self._in("preview"):
                kind = "photo" if "tgme_widget_message_photo_wrap" in classes else "video_thumb"
                f["media"].append({"type": kind, "url": found.group(1)})
        href = attrs.get("href") or ""
        if (tag == "a" and href.endswith("?single") and not self._in("preview") and not self._in("text")
                and classes & {"grouped_media_wrap", "tgme_widget_message_photo_wrap", "tgme_widget_message_video_player"}):
            # every album member links to itself: photos (photo_wrap) and videos (video_player)
            tail = href.rsplit("/", 1)[-1].split("?")[0]
            if tail.isdigit() and int(tail) not in f["album_ids"]:
                f["album_ids"].append(int(tail))
        if tag == "video" and attrs.get("src") and not self._in("preview"):
            f["media"].append({"type": "video", "url": attrs["src"]})
        if "tgme_widget_message_document_wrap" in classes:
            f["media"].append({"type": "document", "url": attrs.get("href")})
        if "tgme_widget_message_poll" in classes:
            f["media"].append({"type": "poll", "url": None})
            f["poll"] = {"question": None, "options": []}
        elif "tgme_widget_message_poll_question" in classes:
            self._open("poll_question")
        elif "tgme_widget_message_poll_option_text" in classes:
            self._open("poll_option")
        if "tgme_widget_message_location_wrap" in classes:
            f["location"] = {"url": href or None, **_coordinates(href)}
        elif "tgme_widget_message_venue_title" in classes:
            self._open("venue_title")
        elif "tgme_widget_message_venue_address" in classes:
            self._open("venue_address")
        if "tgme_widget_message_sticker_wrap" in classes:
            f["media"].append({"type": "sticker", "url": None})
        if "tgme_widget_message_voice" in classes:
            f["media"].append({"type": "voice", "url": attrs.get("src")})
        if self._in("text") and tag == "br":
            self.capture_text["text"].append("\n")
        elif self._in("text") and tag in _BLOCK and self.capture.get("text", -1) < len(self.stack):
            self.capture_text["text"].append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        # Pop to the matching open element; stray end tags (broken HTML) are ignored.
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                break
        else:
            return
        if self.msg is not None and self._in("text") and tag in _BLOCK:
            self.capture_text["text"].append("\n")
        del self.stack[index:]
        depth = len(self.stack)
        for name in [n for n, d in self.capture.items() if d >= depth]:
            self._close(name)
        if self.title_depth is not None and depth <= self.title_depth:
            self.page.channel_title = tidy_text("".join(self.title_parts)) or None
            self.title_depth = -1  # done; never reopen
        if self.msg is not None and depth <= self.msg_depth:
            self._finish_message(tag)

    def _close(self, name: str) -> None:
        self.capture.pop(name)
        text = "".join(self.capture_text.pop(name, []))
        if self.msg is None:
            return
        f = self.msg.fields
        if name == "text":
            if not f["text"]:
                f["text"] = tidy_text(text)
        elif name == "views":
            f["views_text"] = text.strip()
            f["views"] = parse_count(text)
        elif name == "meta":
            if re.search(r"\bedited\b", text):
                f["edited"] = True
        elif name == "signature":
            f["author_signature"] = tidy_text(text) or None
        elif name == "forwarded_name" and f["forwarded_from"] is not None:
            f["forwarded_from"]["name"] = tidy_text(text) or None
        elif name == "poll_question" and f["poll"] is not None:
            f["poll"]["question"] = tidy_text(text) or None
        elif name == "poll_option" and f["poll"] is not None:
            f["poll"]["options"].append(tidy_text(text))
        elif name in ("venue_title", "venue_address"):
            f["location"] = f["location"] or {"url": None}
            f["location"][name.split("_")[1]] = tidy_text(text) or None

    def _finish_message(self, tag: str) -> None:
        assert self.msg is not None
        # The end tag starts at the current position; the block ends after "</div>".
        end = self.source.find(">", self._offset()) + 1
        self.msg.fields["html"] = self.source[self.msg.start:end]
        for name in list(self.capture):
            self._close(name)
        self.page.messages.append(self.msg.fields)
        self.msg = None

    def handle_data(self, data: str) -> None:
        if self.title_depth is not None and self.title_depth >= 0:
            self.title_parts.append(data)
        for name, parts in self.capture_text.items():
            parts.append(data)


def _coordinates(href: str) -> dict[str, str]:
    """``lat``/``lon`` from the map link of a location message (``?q=lat,lon`` or ``ll=``)."""
    query = parse_qs(urlparse(href).query)
    for key in ("q", "ll", "query"):
        lat, _, lon = (query.get(key) or [""])[0].partition(",")
        if re.fullmatch(r"-?\d+(\.\d+)?", lat.strip()) and re.fullmatch(r"-?\d+(\.\d+)?", lon.strip()):
            return {"lat": lat.strip(), "lon": lon.strip()}
    return {}


def message_text(raw: Mapping[str, Any]) -> str:
    """The message text plus its poll (question, options) and place, as the classifier reads it."""
    poll = raw.get("poll") or {}
    place = raw.get("location") or {}
    return join_parts(str(raw.get("text") or ""),
                      poll_text(poll.get("options") or [], poll.get("question")),
                      place_text(place.get("title"), place.get("address"), place.get("lat"), place.get("lon")))


def parse_page(html: str) -> TelegramPage:
    """Read one ``t.me/s/<channel>`` page; never raises on odd markup (the caller judges it)."""
    parser = _PageParser(html)
    parser.feed(html)
    parser.close()
    if parser.msg is not None:  # truncated page: the last block never closed; drop it
        parser.msg = None
    return parser.page


# --- the pure mapper ---------------------------------------------------------------------------

PLATFORM = "telegram"
#: A browser-like User-Agent: the preview is a web page, and public scrapers send one too.
USER_AGENT = ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
              "Chrome/126.0 Safari/537.36 Netra/0.1")


def _source_handle(url: str | None) -> str | None:
    """``https://t.me/paslondua/88`` -> ``paslondua``."""
    if not url:
        return None
    parts = [p for p in urlparse(url).path.split("/") if p]
    if parts and parts[0] == "s" and len(parts) > 1:
        parts = parts[1:]
    return parts[0].lower() if parts else None


def map_item(raw: Mapping[str, Any]) -> PostRecord:
    """One parsed message block (see :func:`parse_page`) to a PostRecord.

    A forward is a ``repost`` whose original author is the source channel (or the name shown
    when the source is hidden); a reply is a ``reply``. Media are the message's stable
    ``?single`` links, not the CDN file URLs, which expire and change between fetches (they stay
    in the raw payload); otherwise every re-fetch would look like an edit.
    """
    channel = str(raw.get("channel") or "").lower()
    ident = raw.get("id")
    if not channel or ident in (None, ""):
        raise ValueError("pesan Telegram tanpa data-post")
    url = raw.get("url") or f"https://t.me/{raw.get('channel')}/{ident}"
    forwarded = raw.get("forwarded_from")
    if forwarded:
        kind = "repost"
        original = _source_handle(forwarded.get("url")) or forwarded.get("name")
    elif raw.get("reply_to"):
        kind, original = "reply", None
    else:
        kind, original = "post", None
    album = [int(i) for i in raw.get("album_ids") or []]
    base = f"https://t.me/{raw.get('channel')}"
    if album:
        media = [f"{base}/{i}?single" for i in album]
    elif raw.get("media") or raw.get("unsupported_media"):
        media = [f"{base}/{ident}?single"]
    else:
        media = []
    return PostRecord(
        platform=PLATFORM, post_id=f"{channel}/{ident}", text=message_text(raw), raw=dict(raw),
        url=url, created_at=to_utc(raw.get("datetime")), kind=kind, original_author=original,
        lang=None, media=media, account_handle=channel,
    )


# --- the source --------------------------------------------------------------------------------

class TelegramSource:
    """Pages a channel's preview from the newest message back to the stored high-water mark."""

    platform = PLATFORM

    def __init__(self, http: Http, *, base_url: str = "https://t.me", max_pages: int | None = 20) -> None:
        self.http = http
        self.base_url = base_url.rstrip("/")
        self.max_pages = max_pages

    def resolve(self, account: AccountRef) -> str | None:
        return None  # the username is the key; there is no stable numeric id in the preview

    def page(self, handle: str, before: int | None = None) -> TelegramPage:
        """One preview page, or the error that explains why there is none."""
        url = f"{self.base_url}/s/{handle}"
        response = self.http.get(url, params={"before": before} if before else None)
        status = response.status_code
        redirected = 300 <= status < 400 or bool(response.history)
        if redirected or (status == 200 and "/s/" not in response.url.path):
            target = response.headers.get("location") or str(response.url)
            raise AccountUnavailable(
                "not_found", f"kanal @{handle} tidak punya pratinjau publik (dialihkan ke {target})")
        if status in (404, 410):
            raise AccountUnavailable("not_found", f"kanal @{handle} tidak ditemukan (HTTP {status})")
        if status != 200:
            raise PlatformError(f"telegram: HTTP {status} untuk @{handle}", status=status, body=response.content)
        parsed = parse_page(response.text)
        if not parsed.has_history:
            raise MalformedPayload(response.content, f"halaman @{handle} bukan pratinjau kanal", url=str(response.url))
        if not parsed.messages and not parsed.no_more:
            raise MalformedPayload(response.content, f"halaman @{handle} kosong tanpa penanda akhir riwayat",
                                   url=str(response.url))
        return parsed

    def fetch(self, account: AccountRef) -> Iterator[Page]:
        handle = account.handle.lstrip("@").lower()
        state = CursorState.load(account.cursor)
        recent = set()
        for pid in account.recent_post_ids:
            channel, _, ident = pid.partition("/")
            if channel.lower() == handle and ident.isdigit():
                recent.add(int(ident))
        present: set[int] = set()
        covered: list[tuple[int, int | None]] = []  # [low, high) id ranges the pages proved complete
        rechecked: list[dict[str, Any]] = []

        def fetch_page(cursor: str | None) -> tuple[list[dict[str, Any]], str | None]:
            before = int(cursor) if cursor else None
            parsed = self.page(handle, before)
            blocks = [m for m in parsed.messages if isinstance(m["id"], int)]
            for message in blocks:
                present.add(message["id"])
                present.update(message["album_ids"])
            if blocks:
                low = min(m["id"] for m in blocks)
                covered.append((low, before))
            items = [m for m in reversed(blocks) if not m["service"]]
            for message in items:
                if state.hw is not None and id_key(str(message["id"])) <= state.hw:
                    rechecked.append(message)
            following = parsed.before
            if parsed.no_more or not blocks or following is None or following > min(m["id"] for m in blocks):
                following = None  # the end, or a "next" link that would not move us back
            return items, (str(following) if following is not None else None)

        pages = walk_newest_first(
            state, fetch_page, key=lambda m: id_key(str(m["id"])),
            to_records=lambda raws: [map_item(r) for r in raws], max_pages=self.max_pages)
        for page in pages:
            if not CursorState.load(page.cursor).in_progress:
                # Last page of the run: known posts seen again are re-checked (edits become
                # versions) and known posts missing from a fully covered range are deleted.
                page.records.extend(map_item(m) for m in rechecked)
                gone = [i for i in sorted(recent - present)
                        if any(i >= low and (high is None or i < high) for low, high in covered)]
                page.deleted_ids = [f"{handle}/{i}" for i in gone]
            yield page


def factory(settings: Mapping[str, Any], client: httpx.Client) -> TelegramSource:
    # English markup: the "edited" marker and "Forwarded from" are matched in English.
    http = make_http(settings, client, PLATFORM, reset=retry_after,
                     headers={"User-Agent": USER_AGENT, "Accept-Language": "en"})
    return TelegramSource(http, base_url=str(settings.get("telegram_base_url") or "https://t.me"),
                          max_pages=int(settings.get("collect_max_pages", 20) or 0) or None)
