"""Untrusted feed bytes to an XML tree: our own charset decision, then a strict parse, then a
tolerant one.

Why not let expat pick the encoding: it knows only a handful (``big5``/``shift_jis`` raise
"multi-byte encodings are not supported", an unknown name raises ``LookupError``) and it ignores
the HTTP ``charset``. So the bytes are decoded here — BOM first (it cannot lie), then the HTTP
charset, then the XML declaration, then UTF-8, then windows-1252 — and handed to defusedxml as
UTF-8. Bytes declared ISO-8859-1/ASCII are read as windows-1252, the rule browsers and
feedparser follow (publishers write "don’t" as 0x92 and call it latin-1).

Why a tolerant parser of our own and not feedparser: feedparser's loose mode leans on sgmllib
and, for strict mode, an expat parser whose DTD/entity handling we would have to audit and
patch; the recovery here is a tokenizer (``html.parser``) that never reads a DTD, never expands
a declared entity and never fetches anything, so billion-laughs and XXE feeds cannot hurt it.
It only runs when the strict parse refused a feed as ill-formed (never when defusedxml refused
it as unsafe).
"""

from __future__ import annotations

import codecs
import html.entities
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

# Reasons a feed is refused: code -> what an analyst reads.
REASONS = {
    "unsafe_xml": "XML ditolak demi keamanan (deklarasi entitas/DTD eksternal)",
    "not_xml": "isi bukan XML yang dapat dipulihkan",
    "not_feed": "bukan umpan RSS/Atom/RDF",
    "no_channel": "RSS tanpa elemen <channel>",
    "empty": "umpan kosong",
    "truncated": "XML rusak atau terpotong; tidak ada entri utuh yang dapat dipulihkan",
    "unreadable": "umpan tidak dapat dibaca",
}

_BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
         (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_LATIN1 = {"latin-1", "iso8859-1", "ascii"}
_DECLARATION = re.compile(r"""^\s*<\?xml[^>]*?\?>""", re.S)
_DECLARED_ENC = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([^"']{1,40})["']""")
_CHARSET = re.compile(r"""charset\s*=\s*["']?([^"';\s]{1,40})""", re.I)


class FeedError(ValueError):
    """A body that is not a usable feed; ``reason`` is a key of :data:`REASONS`."""

    def __init__(self, message: str, reason: str = "unreadable") -> None:
        super().__init__(message)
        self.reason = reason


@dataclass
class Decoded:
    text: str
    encoding: str          # the codec that decoded the bytes
    declared: str | None   # what HTTP or the XML declaration claimed, as written
    unknown: str | None    # a claimed encoding name Python does not know


def _codec(name: str | None) -> str | None:
    """Python's canonical codec name for a declared charset, windows-1252 for latin-1."""
    if not name:
        return None
    try:
        canonical = codecs.lookup(name.strip()).name
    except LookupError:
        return None
    return "cp1252" if canonical in _LATIN1 else canonical


def http_charset(content_type: str | None) -> str | None:
    found = _CHARSET.search(content_type or "")
    return found.group(1) if found else None


def decode(body: bytes, content_type: str | None = None) -> Decoded:
    """Decode feed bytes (never raises): BOM, HTTP charset, declaration, UTF-8, windows-1252."""
    for bom, name in _BOMS:
        if body.startswith(bom):
            return Decoded(body[len(bom):].decode(name, errors="replace"), name, name, None)
    declared_http = http_charset(content_type)
    found = _DECLARED_ENC.match(body)
    declared_xml = found.group(1).decode("ascii", "replace") if found else None
    if not found and body[:4] in (b"<\x00?\x00", b"\x00<\x00?"):  # UTF-16 without a BOM
        name = "utf-16-le" if body[0] == 0x3C else "utf-16-be"
        return Decoded(body.decode(name, errors="replace"), name, None, None)
    unknown = None
    claims = [declared_http, declared_xml, "utf-8", "cp1252"]
    if _codec(declared_http) == "cp1252" and not body.isascii():
        # Servers label everything latin-1 by default; bytes that are valid UTF-8 are UTF-8
        # (real windows-1252 text practically never forms valid multi-byte sequences).
        claims.insert(0, "utf-8")
    ascii_start = body.lstrip()[:1] == b"<"
    for claimed in claims:
        codec = _codec(claimed)
        if codec is None:
            unknown = unknown or claimed
            continue
        if ascii_start and codec.startswith(("utf-16", "utf-32")):
            continue  # "<" read as one byte: the claim is wrong (UTF-16 would need a BOM or 0x00)
        try:
            return Decoded(body.decode(codec), codec, declared_http or declared_xml, unknown)
        except (UnicodeDecodeError, ValueError):
            continue
    return Decoded(body.decode("utf-8", errors="replace"), "utf-8", declared_http or declared_xml, unknown)


_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def as_utf8(text: str) -> bytes:
    """The decoded document as UTF-8 bytes whose declaration (if any) says UTF-8; characters
    XML forbids (C0 controls publishers paste in) are dropped rather than failing the feed."""
    text = _ILLEGAL.sub("", text)
    text = _DECLARATION.sub('<?xml version="1.0" encoding="utf-8"?>', text, count=1)
    return text.encode("utf-8", errors="replace")


def parse_strict(body: bytes) -> Element:
    """defusedxml over UTF-8 bytes; FeedError("unsafe_xml") for DTD entities/external refs."""
    try:
        return fromstring(body)
    except DefusedXmlException as exc:
        raise FeedError(f"{REASONS['unsafe_xml']} ({type(exc).__name__})", "unsafe_xml") from exc


_XML_ENTITIES = {"amp", "lt", "gt", "quot", "apos"}
_ENTITY = re.compile(r"&([A-Za-z][A-Za-z0-9]{1,31});")


def repair_entities(body: bytes) -> bytes:
    """Replace HTML named entities (``&nbsp;``) that XML does not define by numeric references."""

    def swap(match: re.Match) -> str:
        name = match.group(1)
        if name in _XML_ENTITIES or name not in html.entities.name2codepoint:
            return match.group(0)
        return f"&#{html.entities.name2codepoint[name]};"

    text = body.decode("latin-1")  # byte-preserving; entity names are ASCII
    return _ENTITY.sub(swap, text).encode("latin-1")


# --- tolerant recovery ---------------------------------------------------------------------------

_KNOWN_PREFIXES = {
    "dc": "http://purl.org/dc/elements/1.1/", "dcterms": "http://purl.org/dc/terms/",
    "content": "http://purl.org/rss/1.0/modules/content/", "media": "http://search.yahoo.com/mrss/",
    "itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd", "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "atom": "http://www.w3.org/2005/Atom", "yt": "http://www.youtube.com/xml/schemas/2015",
}


_TAG_NAME = re.compile(r"<\s*([^\s/>]+)")


class _LooseTree(HTMLParser):
    """Builds an ElementTree from a tag soup: unclosed elements close at their parent's end,
    stray end tags are ignored, CDATA is text, DTDs and entity declarations are skipped."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root: Element | None = None
        self.stack: list[tuple[str, Element, dict[str, str]]] = []
        self.prefixes = dict(_KNOWN_PREFIXES)

    def _qualify(self, raw: str, defaults: dict[str, str]) -> str:
        if ":" in raw:
            prefix, local = raw.split(":", 1)
            uri = self.prefixes.get(prefix)
            return f"{{{uri}}}{local}" if uri else local
        uri = defaults.get("")
        return f"{{{uri}}}{raw}" if uri else raw

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {k: v or "" for k, v in attrs}
        scope = dict(self.stack[-1][2]) if self.stack else {}
        for key, value in attributes.items():
            if key == "xmlns":
                scope[""] = value
            elif key.startswith("xmlns:"):
                self.prefixes.setdefault(key[6:], value)
        written = _TAG_NAME.match(self.get_starttag_text() or "")
        element = Element(self._qualify(written.group(1) if written else tag, scope),
                          {k.replace("xml:lang", "{http://www.w3.org/XML/1998/namespace}lang"): v
                           for k, v in attributes.items() if not k.startswith("xmlns")})
        if element.tag.split("}")[-1] in ("item", "entry"):
            self._close_open_entry()  # entries never nest: an unclosed one ends where the next begins
        if self.stack:
            self.stack[-1][1].append(element)
        elif self.root is None:
            self.root = element
        else:
            return  # a second root: ignored
        self.stack.append((tag, element, scope))

    def _close_open_entry(self) -> None:
        for depth in range(len(self.stack) - 1, -1, -1):
            if self.stack[depth][0].split(":")[-1] in ("item", "entry"):
                del self.stack[depth:]
                return

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if self.stack and self.stack[-1][0] == tag:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, -1, -1):
            if self.stack[depth][0] == tag:
                del self.stack[depth:]
                return

    def _append(self, data: str) -> None:
        if not self.stack:
            return
        element = self.stack[-1][1]
        if len(element):
            element[-1].tail = (element[-1].tail or "") + data
        else:
            element.text = (element.text or "") + data

    def handle_data(self, data: str) -> None:
        self._append(data)

    def unknown_decl(self, data: str) -> None:
        if data.startswith("CDATA["):
            self._append(data[6:])


def parse_loose(text: str) -> Element:
    """A tree recovered from ill-formed markup; FeedError("not_xml") when nothing usable is left."""
    builder = _LooseTree()
    # html.parser treats <![CDATA[ ... ]]> as unknown_decl only up to the first ">"; cut CDATA out
    # ourselves as escaped text first.
    text = re.sub(r"<!\[CDATA\[(.*?)\]\]>",
                  lambda m: m.group(1).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"),
                  text, flags=re.S)
    builder.feed(text)
    builder.close()
    if builder.root is None:
        raise FeedError(REASONS["not_xml"], "not_xml")
    # Elements still open at the end of the body were cut off (a truncated transfer): an entry
    # received by halves is not evidence, so it is dropped rather than stored as a short version.
    for (_, parent, _), (tag, element, _) in zip(builder.stack, builder.stack[1:]):
        if tag.split(":")[-1] in ("item", "entry"):
            parent.remove(element)
            break
    if not any(node.tag.split("}")[-1] in ("item", "entry") for node in builder.root.iter()
               if isinstance(node.tag, str)):
        raise FeedError(REASONS["truncated"], "truncated")
    return builder.root


def parse_document(body: bytes, content_type: str | None = None) -> tuple[Element, bytes, Decoded, bool]:
    """(root, the UTF-8 bytes parsed, how they were decoded, recovered?) — raises only FeedError."""
    if not body.strip():
        raise FeedError(REASONS["empty"], "empty")
    decoded = decode(body, content_type)
    utf8 = as_utf8(decoded.text)
    try:
        return parse_strict(utf8), utf8, decoded, False
    except ParseError:
        pass
    repaired = repair_entities(utf8)
    if repaired != utf8:
        try:
            return parse_strict(repaired), repaired, decoded, False
        except ParseError:
            pass
    if re.search(r"<!ENTITY", decoded.text[:4096], re.I):
        raise FeedError(REASONS["unsafe_xml"], "unsafe_xml")  # never recover around a DTD
    return parse_loose(decoded.text), utf8, decoded, True
