"""Import known debunked claims from files and fact-check feeds into the store, audited.

Parsing is in ``classifiers.claims`` (pure); this module reads the file or fetches the feed
with an injected ``httpx.Client``, stores the claims in one transaction together with the
audit entry, and reports bad rows instead of failing on them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import httpx

from classifiers import claims as parse

from ..evidence import audit
from ..store import Store
from ..store import claims as rows

#: Feeds larger than this are refused: a fact-check feed is a few hundred kilobytes.
MAX_FEED_BYTES = 10 * 1024 * 1024


class ClaimImportError(ValueError):
    """A file or feed that cannot be imported at all (message in Bahasa Indonesia)."""


@dataclass
class ImportReport:
    source: str
    format: str
    read: int = 0
    added: int = 0
    duplicates: int = 0
    skipped: list[tuple[int, str]] = field(default_factory=list)
    added_ids: list[int] = field(default_factory=list)


def is_url(target: str) -> bool:
    return target.lower().startswith(("http://", "https://"))


def import_file(store: Store, path: str | Path, *, actor: str, source: str | None = None) -> ImportReport:
    """Claims from a CSV/TSV/JSONL file (TurnBackHoax 2024 exports included)."""
    path = Path(path)
    if not path.is_file():
        raise ClaimImportError(f"berkas {path} tidak ditemukan")
    try:
        parsed = parse.read_claims_file(path, source=source)
    except (ValueError, UnicodeError, OSError) as exc:
        raise ClaimImportError(f"berkas {path.name} tidak dapat dibaca: {exc}") from None
    return _store(store, parsed, actor=actor, target=path.name, dedupe_url=False)


def fetch_feed(client: httpx.Client, url: str) -> bytes:
    """The feed's bytes; network errors, non-200 answers and oversized bodies raise
    ClaimImportError."""
    try:
        with client.stream("GET", url, headers={"Accept": "application/rss+xml, application/atom+xml, application/xml, text/xml"}) as response:
            if response.status_code != 200:
                raise ClaimImportError(f"umpan {url} menjawab HTTP {response.status_code}")
            body = bytearray()
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > MAX_FEED_BYTES:
                    raise ClaimImportError(f"umpan {url} lebih besar dari {MAX_FEED_BYTES // 1_048_576} MB")
            return bytes(body)
    except httpx.HTTPError as exc:
        raise ClaimImportError(f"umpan {url} tidak dapat diambil: {exc.__class__.__name__}: {exc}") from None


def import_feed(store: Store, url: str, *, client: httpx.Client, actor: str) -> ImportReport:
    """Claims from an RSS 2.0 or Atom feed of a fact-check site, deduplicated by text and URL."""
    content = fetch_feed(client, url)
    try:
        parsed = parse.parse_feed(content, feed_url=url)
    except ValueError as exc:
        raise ClaimImportError(f"umpan {url}: {exc}") from None
    return _store(store, parsed, actor=actor, target=url, dedupe_url=True)


def import_target(store: Store, target: str, *, actor: str, client: httpx.Client | None = None,
                  source: str | None = None) -> ImportReport:
    """A URL is fetched as a feed (with ``client``, or a short-lived default one), anything else
    is read as a file."""
    if not is_url(target):
        return import_file(store, target, actor=actor, source=source)
    if client is not None:
        return import_feed(store, target, client=client, actor=actor)
    with default_client() as owned:
        return import_feed(store, target, client=owned, actor=actor)


def default_client() -> httpx.Client:
    return httpx.Client(timeout=httpx.Timeout(20.0), follow_redirects=True,
                        headers={"User-Agent": "Netra/1 (pemantau netralitas ASN; impor klaim cek fakta)"})


def _store(store: Store, parsed: parse.ParsedClaims, *, actor: str, target: str, dedupe_url: bool) -> ImportReport:
    report = ImportReport(source=target, format=parsed.format, read=len(parsed.records), skipped=parsed.skipped)
    with store.write():
        result = rows.insert_claims(store, parsed.records, dedupe_url=dedupe_url)
        report.added, report.duplicates, report.added_ids = len(result.added_ids), result.duplicates, result.added_ids
        audit.record(store, actor, "claims.import", target, format=parsed.format, read=report.read,
                     added=report.added, duplicates=report.duplicates, skipped=len(report.skipped))
    return report
