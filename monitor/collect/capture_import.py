"""Import of browser captures into the store, under the registered-accounts-only rule.

UU 27/2022 (personal data) limits Netra to accounts in the registry: an item by any other
account is dropped and counted, never stored. The one exception is the evidence of an
interaction: a registered ASN's comment on a campaign account's post is stored (it is the ASN's
own item) and opens a review flag; the campaign post itself is not stored unless the campaign
account is also registered. Re-importing a capture adds nothing (posts are upserted, provenance
is keyed by item and capture time); a changed text becomes a new version.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Callable, Iterable

import httpx

from ..evidence import capture as evidence_capture
from ..evidence import media as media_store
from ..store import Store, utcnow
from ..store import captures as capture_rows
from ..store import collection, people
from ..store import evidence as evidence_rows
from ..store.posts import refresh_search_index, upsert_posts
from .base import Interaction
from .captured import CaptureMeta, Comment, PostRecord, SkipItem
from .zeeschuimer import MAPPERS, CaptureItem, map_capture, open_capture, read_lines

BATCH = 1_000

#: Report keys, in the order the page and CLI show them.
COUNT_KEYS = ("items", "new", "edited", "duplicates", "dropped_unregistered", "ads", "deleted",
              "interactions", "flags", "errors")


@dataclass
class CaptureReport:
    import_id: int = 0
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNT_KEYS, 0))
    errors: list[tuple[int, str]] = field(default_factory=list)
    platforms: set[str] = field(default_factory=set)
    new_ids: list[int] = field(default_factory=list)
    edited_ids: list[int] = field(default_factory=list)
    media_saved: int = 0


def fetch_media_bytes(url: str, *, allow_networks: tuple[str, ...] = (), timeout: float = 20.0) -> tuple[bytes, str]:
    """Download one media URL: (bytes, content type). The single network call of the capture
    import, through the evidence fetcher: every hop resolved, checked and pinned by
    ``monitor.evidence.netguard`` (``allow_networks``: tests only), size-limited."""
    with httpx.Client(timeout=timeout, headers={"User-Agent": "Netra/1 (arsip bukti)"}) as client:
        return evidence_capture._fetch(client, url, allow_networks=tuple(allow_networks))


def _collected_at(meta: CaptureMeta) -> str:
    if meta.timestamp_collected is None:
        return ""
    moment = datetime.fromtimestamp(meta.timestamp_collected / 1000, tz=timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


class _Registry:
    """Who may be stored (registered accounts) and who is a campaign account, per platform.

    A Threads username is the owner's Instagram username, so a registered Instagram handle also
    admits that person's Threads items."""

    def __init__(self, store: Store) -> None:
        self.accounts = dict(people.account_ids_by_handle(store))
        for (platform, handle), account_id in list(self.accounts.items()):
            if platform == "instagram":
                self.accounts.setdefault(("threads", handle), account_id)
        platforms = sorted({p for p, _ in MAPPERS.values()} | {"instagram"})
        self.campaigns: dict[tuple[str, str], int] = {}
        for row in collection.campaign_accounts_to_check(store, platforms=platforms):
            key = (row["platform"], str(row["handle"]).lstrip("@").lower())
            self.campaigns[key] = int(row["id"])
            if row["platform"] == "instagram":
                self.campaigns.setdefault(("threads", key[1]), int(row["id"]))

    def account(self, platform: str, handle: str | None) -> int | None:
        return self.accounts.get((platform, (handle or "").lower())) if handle else None

    def campaign(self, platform: str, handle: str | None) -> int | None:
        return self.campaigns.get((platform, (handle or "").lower())) if handle else None


class _Batch:
    def __init__(self, store: Store, registry: _Registry, report: CaptureReport, captured_by: str | None) -> None:
        self.store, self.registry, self.report, self.captured_by = store, registry, report, captured_by
        self.records: list[PostRecord] = []
        self.provenance: list[tuple] = []
        self.interactions: list[tuple[int, Interaction]] = []

    def add(self, record: PostRecord, item: CaptureItem) -> None:
        meta = item.meta
        self.records.append(record)
        self.provenance.append((record.platform, record.post_id, self.captured_by, meta.source_platform_url,
                                meta.source_url, meta.user_agent, _collected_at(meta), meta.nav_index))

    def flush(self) -> None:
        counts = self.report.counts
        if self.records:
            result = upsert_posts(self.store, self.records, account_ids=self.registry.accounts)
            counts["new"] += len(result.new_ids)
            counts["edited"] += len(result.edited_ids)
            counts["duplicates"] += result.unchanged
            self.report.new_ids += result.new_ids
            self.report.edited_ids += result.edited_ids
            capture_rows.save_provenance(self.store, self.report.import_id, self.provenance)
        by_campaign: dict[int, list[Interaction]] = {}
        for campaign_id, found in self.interactions:
            by_campaign.setdefault(campaign_id, []).append(found)
        for campaign_id, found_list in by_campaign.items():
            saved = collection.save_interactions(self.store, campaign_id, found_list)
            counts["interactions"] += saved["interactions"]
            counts["flags"] += saved["flags"]
        self.records, self.provenance, self.interactions = [], [], []


def _remember_owner(owners: dict[tuple[str, str], str], record: PostRecord, data: dict) -> None:
    """Note who wrote each post seen in this capture (kept in memory only), so a comment captured
    on the same page can be tied to the post's author. Instagram comments name the media by its
    numeric id (``pk``, or the part of ``id`` before ``_``), not by its code."""
    if not record.account_handle:
        return
    owners[(record.platform, record.post_id)] = record.account_handle
    for key in (data.get("pk"), str(data.get("id") or "").split("_")[0]):
        if key:
            owners[(record.platform, str(key))] = record.account_handle


def _route(mapped: PostRecord | Comment, item: CaptureItem, registry: _Registry, batch: _Batch,
           owners: dict[tuple[str, str], str]) -> bool:
    """Queue one mapped item; False when its author is not registered (dropped)."""
    if isinstance(mapped, Comment):
        account_id = registry.account(mapped.platform, mapped.author)
        if account_id is None:
            return False
        batch.add(mapped.as_record(item.text), item)
        target_author = mapped.target_author or owners.get((mapped.platform, mapped.target_post_id))
        campaign_id = registry.campaign(mapped.platform, target_author)
        if campaign_id is not None:
            kind = "reply" if mapped.platform in ("x", "threads") else "comment"
            batch.interactions.append((campaign_id, Interaction(
                account_id, kind, mapped.raw, target_post_id=mapped.target_post_id, target_url=mapped.target_url)))
        return True
    _remember_owner(owners, mapped, item.data)
    account_id = registry.account(mapped.platform, mapped.account_handle)
    if account_id is None:
        return False
    mapped.raw = item.text
    batch.add(mapped, item)
    campaign_id = registry.campaign(mapped.platform, mapped.original_author)
    if campaign_id is not None and mapped.kind in ("repost", "quote"):
        batch.interactions.append((campaign_id, Interaction(
            account_id, mapped.kind, item.data, target_post_id=mapped.post_id, target_url=mapped.url)))
    return True


def import_capture(store: Store, source: str | Path | bytes | IO[bytes], *, captured_by: str | None = None,
                   source_name: str | None = None, fetch_media: Callable[[str], tuple[bytes, str]] | None = None,
                   media_folder: Path | None = None, progress: Callable[[int], None] | None = None) -> CaptureReport:
    """Import one capture (file path, uploaded bytes or binary stream); each batch is one
    transaction. ``fetch_media`` (e.g. :func:`fetch_media_bytes`) downloads the media of new and
    edited items into the media store; None skips downloads (benchmarks, offline imports)."""
    stream = open_capture(source)
    name = source_name or (Path(source).name if isinstance(source, (str, Path)) else "unggahan")
    report = CaptureReport(import_id=capture_rows.start_import(store, source=name, captured_by=captured_by))
    registry = _Registry(store)
    batch = _Batch(store, registry, report, captured_by)
    counts = report.counts
    pending = 0
    owners: dict[tuple[str, str], str] = {}
    try:
        for line, item, error in read_lines(stream):
            counts["items"] += 1
            if item is not None:
                report.platforms.add(item.meta.source_platform)
                try:
                    _platform, mapped = map_capture(item)
                except SkipItem as skip:
                    counts["ads" if skip.reason == "ad" else "deleted"] += 1
                    continue
                except (ValueError, TypeError, AttributeError, KeyError) as exc:
                    error = str(exc) if isinstance(exc, ValueError) else f"bentuk data tidak dikenal ({exc})"
                else:
                    if not _route(mapped, item, registry, batch, owners):
                        counts["dropped_unregistered"] += 1
            if error is not None:
                report.errors.append((line, error))
                counts["errors"] += 1
            pending += 1
            if len(batch.records) >= BATCH:
                batch.flush()
                if progress:
                    progress(pending)
                pending = 0
        batch.flush()
        if progress and pending:
            progress(pending)
    finally:
        if stream is not source:
            stream.close()
        capture_rows.finish_import(store, report.import_id, platforms=report.platforms, counts=counts,
                                   errors=report.errors)
    refresh_search_index(store)
    if fetch_media is not None and (report.new_ids or report.edited_ids):
        report.media_saved = download_media(store, report.new_ids + report.edited_ids, fetch_media, media_folder)
    return report


def download_media(store: Store, post_ids: Iterable[int], fetch: Callable[[str], tuple[bytes, str]],
                   folder: Path | None = None) -> int:
    """Fetch each media URL of these posts (CDN links expire within days) into the
    content-addressed media store and record it, or the failure, as the post's evidence media
    (which the bundle and the PDF include). Returns how many files were saved."""
    folder = folder or media_store.media_dir(store)
    saved = 0
    for post_id, urls in capture_rows.media_of_posts(store, list(post_ids)):
        for url in urls:
            captured_at = utcnow()
            try:
                data, content_type = fetch(url)
            except Exception as exc:  # noqa: BLE001 (a dead CDN link must not stop the import)
                evidence_rows.insert_media(store, post_id=post_id, kind="media", source_url=url,
                                           failure=(str(exc) or type(exc).__name__)[:300], captured_at=captured_at)
                continue
            digest = media_store.put(folder, data)
            evidence_rows.insert_media(store, post_id=post_id, kind="media", source_url=url, sha256=digest,
                                       content_type=content_type, size=len(data), captured_at=captured_at)
            saved += 1
    return saved
