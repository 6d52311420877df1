"""RSS 2.0 / Atom (and RSS 1.0) feeds: the blog or website of an ASN account.

The account's handle is the feed URL. A feed has no paging: each run reads the whole window
(with a conditional GET, so an unchanged feed costs one 304) and upserts every entry, so an
entry whose content changed under the same guid/id becomes a new version. An entry that drops
out of the window cannot be told apart from one that aged out, so nothing is marked deleted.

Bytes are decoded by :mod:`.feedxml` (BOM, HTTP charset, XML declaration, UTF-8,
windows-1252), then parsed with defusedxml (no entity expansion, no external DTDs); feeds using
HTML entities XML does not define (``&nbsp;``) are repaired, and ill-formed ones are recovered
by a DTD-blind tokenizer. Whatever the bytes, :func:`parse_feed` raises only ``FeedError``
with a named ``reason`` (``feedxml.REASONS``), which the source turns into MalformedPayload.
Atom 0.3, RSS 0.90 and namespaced RSS 2.0 are read as their modern forms.
"""

from __future__ import annotations

import email.utils
import hashlib
import re
from copy import deepcopy
from dataclasses import dataclass, field
from datetime import timezone
from html.parser import HTMLParser
from typing import Any, Iterator, Mapping
from urllib.parse import urljoin, urlparse
from xml.etree.ElementTree import Element, tostring

import httpx
from ..store import PostRecord
from .base import (AccountRef, AccountUnavailable, CursorState, MalformedPayload, Page, PlatformError,
                   to_utc)
from .feedxml import REASONS, FeedError, parse_document
from .http import Http, make_http, retry_after

PLATFORM = "rss"
ATOM = "{http://www.w3.org/2005/Atom}"
RSS1 = "{http://purl.org/rss/1.0/}"
RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
DC = "{http://purl.org/dc/elements/1.1/}"
MEDIA = "{http://search.yahoo.com/mrss/}"
DCTERMS = "{http://purl.org/dc/terms/}"
ITUNES = "{http://www.itunes.com/dtds/podcast-1.0.dtd}"
ATOM03 = "{http://purl.org/atom/ns#}"
# Namespaces some RSS 2.0 / RSS 0.90 feeds put on their plain elements: read as the plain ones.
RSS_ALIASES = ("{http://backend.userland.com/rss2}", "{http://backend.userland.com/rss}",
               "{http://blogs.law.harvard.edu/tech/rss}")
RSS090 = "{http://my.netscape.com/rdf/simple/0.9/}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
MAX_REDIRECTS = 5
USER_AGENT = "Netra/0.1 (+https://github.com/netra; pemantau netralitas ASN)"


# --- HTML to plain text ------------------------------------------------------------------------

_BLOCK = frozenset({"p", "div", "br", "li", "ul", "ol", "blockquote", "pre", "h1", "h2", "h3", "h4",
                    "h5", "h6", "tr", "table", "section", "article", "figure", "figcaption", "hr"})
_SKIP = frozenset({"script", "style", "template", "noscript", "head"})


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.images: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skip += 1
        elif tag in _BLOCK:
            self.parts.append("\n")
        if tag == "img":
            src = dict(attrs).get("src")
            if src:
                self.images.append(src)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in _SKIP:
            self.skip -= 1

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def tidy_text(text: str) -> str:
    """Spaces collapsed within lines, at most one blank line between paragraphs."""
    lines = [" ".join(line.replace("\xa0", " ").split()) for line in text.split("\n")]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()


def html_to_text(markup: str | None) -> tuple[str, list[str]]:
    """Plain text of an HTML fragment, and the ``img`` sources in it. Never renders anything."""
    if not markup:
        return "", []
    parser = _TextExtractor()
    parser.feed(markup)
    parser.close()
    return tidy_text("".join(parser.parts)), parser.images


# --- feed parsing ------------------------------------------------------------------------------

def parse_xml(body: bytes) -> Element:
    """Parse untrusted XML with defusedxml after our own charset decision (see feedxml)."""
    return parse_xml_source(body)[0]


def parse_xml_source(body: bytes, content_type: str | None = None) -> tuple[Element, bytes]:
    """(root, the UTF-8 bytes actually parsed); ill-formed XML is recovered tolerantly."""
    root, parsed, _decoded, _recovered = parse_document(body, content_type)
    return root, parsed


_DECLARED = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


def entry_sources(body: bytes, names: set[str]) -> list[str] | None:
    """The exact source text of each outermost element named in ``names`` (expat names:
    ``"uri local"`` or a bare local name), in document order; None if it cannot be cut out.

    ElementTree re-serialises (namespace prefixes become ``ns0``), which is not evidence. Call
    only after :func:`parse_xml` accepted ``body``: defusedxml has refused entity declarations
    and external references by then, so expat merely reports offsets here.
    """
    import pyexpat

    found = _DECLARED.match(body)
    encoding = found.group(1).decode("ascii") if found else "utf-8"
    spans: list[tuple[int, int]] = []
    depth = {"open": 0, "start": 0}
    parser = pyexpat.ParserCreate(namespace_separator=" ")

    def start(name: str, attrs: dict) -> None:
        if name in names:
            if depth["open"] == 0:
                depth["start"] = parser.CurrentByteIndex
            depth["open"] += 1

    def end(name: str) -> None:
        if name in names and depth["open"]:
            depth["open"] -= 1
            if depth["open"] == 0:
                close = body.find(b">", parser.CurrentByteIndex)
                spans.append((depth["start"], close + 1))

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    try:
        parser.Parse(body, True)
    except pyexpat.ExpatError:
        return None
    try:
        return [body[a:b].decode(encoding, errors="replace") for a, b in spans]
    except LookupError:
        return None


def _text(element: Element | None) -> str | None:
    if element is None:
        return None
    value = "".join(element.itertext()) if len(element) else (element.text or "")
    value = value.strip()
    return value or None


def _lang(value: str | None) -> str | None:
    """A language tag's primary subtag, lower case ("id-ID" -> "id")."""
    if not value:
        return None
    primary = value.strip().replace("_", "-").split("-")[0].lower()
    return primary if primary.isalpha() and 2 <= len(primary) <= 3 else None


def parse_rfc822(value: str | None) -> str | None:
    """An RSS ``pubDate`` (RFC 822, 2- or 4-digit year) as UTC text, or None if unparsable."""
    if not value:
        return None
    try:
        moment = email.utils.parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError):
        return to_utc(value)  # some feeds put ISO 8601 in pubDate
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def inner_markup(element: Element | None) -> str | None:
    """An element's content as markup: its text plus its children serialised without namespace
    prefixes. Feeds put unescaped HTML (``<description><p>…</p></description>``) or an XHTML
    ``<div>`` inside; ``findtext`` would return only the text before the first child."""
    if element is None:
        return None
    if not len(element):
        return element.text
    copy = deepcopy(element)
    for node in copy.iter():  # drop namespaces so tags read as plain HTML
        if isinstance(node.tag, str) and "}" in node.tag:
            node.tag = node.tag.split("}", 1)[1]
    return (copy.text or "") + "".join(tostring(child, encoding="unicode") for child in copy)


def _atom_content(element: Element | None) -> tuple[str | None, str]:
    """(content, type) of an Atom (1.0 or 0.3) text construct; markup is kept as markup."""
    if element is None:
        return None, "text"
    kind = (element.get("type") or "text").lower()
    mode = (element.get("mode") or "").lower()  # Atom 0.3: escaped | xml | base64
    if kind in ("xhtml", "application/xhtml+xml", "html", "text/html") or mode in ("escaped", "xml") or len(element):
        return inner_markup(element) or "", "html"
    return _text(element) or "", "text"


def _first(item: Element, *tags: str) -> str | None:
    for tag in tags:
        value = _text(item.find(tag))
        if value:
            return value
    return None


def _normalise(root: Element) -> dict[int, str]:
    """Rewrite aliased namespaces in place (namespaced RSS 2.0 -> plain, Atom 0.3 -> Atom 1.0,
    RSS 0.90 -> RSS 1.0); returns id(element) -> its tag as written, for cutting out sources."""
    written: dict[int, str] = {}
    no_namespace_atom = root.tag == "feed"
    for node in root.iter():
        if not isinstance(node.tag, str):
            continue
        tag = node.tag
        for alias in RSS_ALIASES:
            if tag.startswith(alias):
                node.tag = tag[len(alias):]
        if no_namespace_atom and not tag.startswith("{"):
            node.tag = ATOM + tag  # <feed> without xmlns: read as Atom, as feed readers do
        elif tag.startswith(ATOM03):
            node.tag = ATOM + tag[len(ATOM03):]
        elif tag.startswith(RSS090):
            node.tag = RSS1 + tag[len(RSS090):]
        if node.tag != tag:
            written[id(node)] = tag
    return written


def _clean_url(value: str | None, base: str) -> str | None:
    if not value or not value.strip():
        return None
    url = urljoin(base, value.strip())
    return url if urlparse(url).scheme in ("http", "https") else None


@dataclass
class Feed:
    format: str                      # rss | atom | rdf
    title: str | None
    lang: str | None
    entries: list[dict[str, Any]] = field(default_factory=list)
    duplicates: int = 0
    encoding: str = "utf-8"          # the codec the bytes were decoded with
    recovered: bool = False          # ill-formed XML read by the tolerant parser


def parse_feed(body: bytes, feed_url: str, content_type: str | None = None) -> Feed:
    """Read a feed into raw entry dicts (fields + the entry's own XML), first guid wins.
    Raises only :class:`FeedError` (with a named ``reason``), whatever the bytes are."""
    try:
        return _parse_feed(body, feed_url, content_type)
    except FeedError:
        raise
    except (ValueError, LookupError, TypeError, AttributeError, RecursionError) as exc:
        raise FeedError(f"{REASONS['unreadable']}: {type(exc).__name__}: {exc}", "unreadable") from exc


def _parse_feed(body: bytes, feed_url: str, content_type: str | None) -> Feed:
    root, body, decoded, recovered = parse_document(body, content_type)
    written = _normalise(root)
    tag = root.tag if isinstance(root.tag, str) else ""
    if tag == "rss" or tag.endswith("}rss") or tag == "channel":
        channel = root if tag == "channel" else root.find("channel")
        if channel is None and root.find("item") is not None:
            channel = root  # <rss><item>…: no <channel>, but the items are there
        if channel is None:
            raise FeedError(REASONS["no_channel"], "no_channel")
        feed = Feed("rss", _first(channel, "title", f"{DC}title"), _lang(_first(channel, "language", f"{DC}language")))
        items = channel.findall("item") or root.findall("item")
        read = _rss_entry
    elif tag == f"{ATOM}feed":
        feed = Feed("atom", _text(root.find(f"{ATOM}title")), _lang(root.get(XML_LANG)))
        items = root.findall(f"{ATOM}entry")
        read = _atom_entry
    elif tag == f"{RDF}RDF":
        channel = root.find(f"{RSS1}channel")
        feed = Feed("rdf", _first(channel, f"{RSS1}title", f"{DC}title") if channel is not None else None,
                    _lang(_text(channel.find(f"{DC}language"))) if channel is not None else None)
        items = root.findall(f"{RSS1}item")
        read = _rdf_entry
    else:
        raise FeedError(f"{REASONS['not_feed']} (elemen akar <{tag}>)", "not_feed")
    feed.encoding, feed.recovered = decoded.encoding, recovered
    names = {_expat_name(written.get(id(item), item.tag)) for item in items}
    sources = None if recovered else entry_sources(body, names)
    if sources is None or len(sources) != len(items):
        sources = [tostring(item, encoding="unicode") for item in items]
    seen: set[str] = set()
    for item, source in zip(items, sources):
        entry = read(item, feed_url)
        entry.update(feed_url=feed_url, format=feed.format, feed_title=feed.title,
                     feed_lang=feed.lang, xml=source)
        entry["key"] = entry_key(entry)
        if entry["key"] in seen:
            feed.duplicates += 1
            continue
        seen.add(entry["key"])
        feed.entries.append(entry)
    return feed


def _expat_name(tag: str) -> str:
    """ElementTree ``{uri}local`` as expat names it with a space separator (``uri local``)."""
    return tag[1:].replace("}", " ", 1) if tag.startswith("{") else tag


def _rss_entry(item: Element, base: str) -> dict[str, Any]:
    guid = item.find("guid")
    enclosures = [
        {"url": _clean_url(e.get("url"), base), "type": e.get("type"), "length": e.get("length")}
        for e in item.findall("enclosure")
    ]
    return {
        "id": _text(guid),
        "link": _clean_url(_text(item.find("link")), base),
        "title": _first(item, "title", f"{DC}title", f"{MEDIA}title", f"{ITUNES}title"),
        "summary": _summary(item, "description"),
        "summary_type": "html",
        "content": inner_markup(item.find(f"{CONTENT}encoded")),
        "content_type": "html",
        "published": _first(item, "pubDate", f"{DC}date", f"{DCTERMS}issued", f"{DCTERMS}created"),
        "updated": _text(item.find(f"{DCTERMS}modified")),
        "author": _first(item, f"{DC}creator", "author", f"{ITUNES}author"),
        "categories": [c for c in (_text(x) for x in item.findall("category")) if c],
        "enclosures": [e for e in enclosures if e["url"]],
        "media": _media_urls(item, base),
        "lang": _lang(item.get(XML_LANG)),
    }


def _atom_entry(entry: Element, base: str) -> dict[str, Any]:
    link = None
    enclosures = []
    for element in entry.findall(f"{ATOM}link"):
        rel = element.get("rel") or "alternate"
        href = _clean_url(element.get("href"), base)
        if rel == "alternate" and link is None:
            link = href
        elif rel == "enclosure" and href:
            enclosures.append({"url": href, "type": element.get("type"), "length": element.get("length")})
    content, content_type = _atom_content(entry.find(f"{ATOM}content"))
    summary, summary_type = _atom_content(entry.find(f"{ATOM}summary"))
    if not (summary or "").strip():
        summary, summary_type = _summary(entry, f"{MEDIA}description", f"{ITUNES}summary"), "html"
    author = entry.find(f"{ATOM}author")
    return {
        "id": _text(entry.find(f"{ATOM}id")),
        "link": link,
        "title": _atom_content(entry.find(f"{ATOM}title"))[0] or _first(entry, f"{DC}title", f"{MEDIA}title"),
        "title_type": _atom_content(entry.find(f"{ATOM}title"))[1],
        "summary": summary,
        "summary_type": summary_type,
        "content": content,
        "content_type": content_type,
        "published": _first(entry, f"{ATOM}published", f"{ATOM}issued", f"{ATOM}created",
                            f"{DCTERMS}issued", f"{DCTERMS}created", f"{DC}date"),
        "updated": _first(entry, f"{ATOM}updated", f"{ATOM}modified", f"{DCTERMS}modified"),
        "author": _text(author.find(f"{ATOM}name")) if author is not None else None,
        "categories": [c.get("term") for c in entry.findall(f"{ATOM}category") if c.get("term")],
        "enclosures": enclosures,
        "media": _media_urls(entry, base),
        "lang": _lang(entry.get(XML_LANG)),
    }


def _rdf_entry(item: Element, base: str) -> dict[str, Any]:
    return {
        "id": item.get(f"{RDF}about"),
        "link": _clean_url(_text(item.find(f"{RSS1}link")), base),
        "title": _first(item, f"{RSS1}title", f"{DC}title", f"{MEDIA}title"),
        "summary": _summary(item, f"{RSS1}description", f"{DC}description"),
        "summary_type": "html",
        "content": inner_markup(item.find(f"{CONTENT}encoded")),
        "content_type": "html",
        "published": _first(item, f"{DC}date", f"{DCTERMS}issued", f"{DCTERMS}created"),
        "updated": _text(item.find(f"{DCTERMS}modified")),
        "author": _text(item.find(f"{DC}creator")),
        "categories": [],
        "enclosures": [],
        "media": _media_urls(item, base),
        "lang": _lang(_text(item.find(f"{DC}language"))),
    }


def _summary(item: Element, *tags: str) -> str | None:
    """The first non-empty description-like element (as markup), then iTunes/media ones."""
    for tag in (*tags, f"{ITUNES}summary", f"{MEDIA}description", f"{ITUNES}subtitle"):
        for element in item.iter(tag):
            value = inner_markup(element)
            if value and value.strip():
                return value
    return None


def _media_urls(item: Element, base: str) -> list[str]:
    urls = []
    for element in item.iter():
        if element.tag in (f"{MEDIA}content", f"{MEDIA}thumbnail"):
            url = _clean_url(element.get("url"), base)
            if url:
                urls.append(url)
    return urls


def entry_key(entry: Mapping[str, Any]) -> str:
    """The entry's identity: guid/id, else its link, else a hash of title and date."""
    ident = (entry.get("id") or "").strip()
    if ident:
        return ident
    if entry.get("link"):
        return str(entry["link"])
    material = f"{entry.get('title') or ''}\n{entry.get('published') or entry.get('updated') or ''}"
    return "sha256:" + hashlib.sha256(material.encode("utf-8")).hexdigest()[:32]


def post_id_for(feed_url: str, key: str) -> str:
    """A platform-wide unique post id. URLs, ``tag:`` and ``urn:`` ids are globally unique by
    construction; a bare guid ("post-482") is only unique within its feed, so it is prefixed."""
    lowered = key.lower()
    if lowered.startswith(("http://", "https://", "tag:", "urn:")):
        return key
    return f"{feed_url}#{key}"


# --- the pure mapper ---------------------------------------------------------------------------

def map_item(raw: Mapping[str, Any]) -> PostRecord:
    """One raw feed entry (as :func:`parse_feed` builds it) to a PostRecord."""
    feed_url = str(raw.get("feed_url") or "")
    key = raw.get("key") or entry_key(raw)
    title = raw.get("title") or ""
    if raw.get("title_type") == "html":
        title = html_to_text(title)[0]
    body_markup, body_type = raw.get("content"), raw.get("content_type", "html")
    if not (body_markup or "").strip():
        body_markup, body_type = raw.get("summary"), raw.get("summary_type", "html")
    if body_type == "html":
        body, images = html_to_text(body_markup)
    else:
        body, images = tidy_text(body_markup or ""), []
    title = tidy_text(title)
    if body and title and body.startswith(title):
        text = body  # some feeds repeat the title as the first line
    else:
        text = "\n\n".join(part for part in (title, body) if part)
    media: list[str] = []
    for url in [*(e["url"] for e in raw.get("enclosures") or []), *(raw.get("media") or []),
                *(_clean_url(u, raw.get("link") or feed_url) for u in images)]:
        if url and url not in media:
            media.append(url)
    published = raw.get("published")
    created = (parse_rfc822(published) if raw.get("format") == "rss" else to_utc(published)) if published else None
    if created is None and raw.get("updated"):
        created = to_utc(raw.get("updated"))
    return PostRecord(
        platform=PLATFORM, post_id=post_id_for(feed_url, key), text=text, raw=dict(raw),
        url=raw.get("link") or (key if key.startswith(("http://", "https://")) else None),
        created_at=created, kind="post", original_author=None,
        lang=raw.get("lang") or raw.get("feed_lang"), media=media,
        account_handle=feed_url or None,
    )


# --- the source --------------------------------------------------------------------------------

class RssSource:
    """Reads one feed per account; conditional GET with the stored ETag / Last-Modified."""

    platform = PLATFORM

    def __init__(self, http: Http) -> None:
        self.http = http

    def resolve(self, account: AccountRef) -> str | None:
        return None  # the feed URL is the key

    def _get(self, url: str, headers: dict[str, str]) -> httpx.Response:
        """GET following redirects ourselves, so an injected client needs no special setup."""
        for _ in range(MAX_REDIRECTS + 1):
            response = self.http.get(url, headers=headers)
            if response.status_code in (301, 302, 303, 307, 308) and response.headers.get("location"):
                url = urljoin(url, response.headers["location"])
                continue
            return response
        raise PlatformError(f"rss: terlalu banyak pengalihan untuk {url}", status=response.status_code)

    def fetch(self, account: AccountRef) -> Iterator[Page]:
        feed_url = account.handle
        state = CursorState.load(account.cursor)
        headers = {"Accept": "application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.5"}
        if state.extra.get("etag"):
            headers["If-None-Match"] = state.extra["etag"]
        if state.extra.get("last_modified"):
            headers["If-Modified-Since"] = state.extra["last_modified"]
        response = self._get(feed_url, headers)
        status = response.status_code
        if status == 304:
            yield Page(records=[], cursor=CursorState(hw=state.hw, extra=state.extra).dump())
            return
        if status in (404, 410):
            raise AccountUnavailable("not_found", f"umpan {feed_url} tidak ada lagi (HTTP {status})")
        if status in (401, 403):
            raise AccountUnavailable("private", f"umpan {feed_url} menolak akses (HTTP {status})")
        if status != 200:
            raise PlatformError(f"rss: HTTP {status} dari {feed_url}", status=status, body=response.content)
        try:
            feed = parse_feed(response.content, feed_url, response.headers.get("content-type"))
        except FeedError as exc:
            error = MalformedPayload(response.content, f"umpan {feed_url}: {exc}", url=feed_url)
            error.reason = exc.reason  # type: ignore[attr-defined]
            raise error from exc
        records = []
        for entry in feed.entries:
            try:
                records.append(map_item(entry))
            except ValueError as exc:
                raise MalformedPayload(response.content, f"entri umpan tidak dapat dibaca: {exc}",
                                       url=feed_url) from exc
        extra = {k: v for k, v in {"etag": response.headers.get("etag"),
                                   "last_modified": response.headers.get("last-modified")}.items() if v}
        dates = [r.created_at for r in records if r.created_at]
        hw = max([*dates, *([state.hw] if state.hw else [])], default=None)
        yield Page(records=records, cursor=CursorState(hw=hw, extra=extra).dump())


def factory(settings: Mapping[str, Any], client: httpx.Client) -> RssSource:
    http = make_http(settings, client, PLATFORM, reset=retry_after, headers={"User-Agent": USER_AGENT})
    return RssSource(http)
