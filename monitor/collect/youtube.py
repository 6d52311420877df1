"""YouTube: the Data API v3 (API key) with the channel's public feed as the no-key fallback.

With a key: ``channels.list`` (contentDetails) gives the uploads playlist, ``playlistItems``
pages it newest first (``pageToken``), and ``videos.list`` adds the full description and
language. YouTube has no rate headers, only a daily quota in units that resets at midnight
Pacific time: every request costs at least one unit, counted in a :class:`QuotaBudget`, and a
403 ``quotaExceeded`` is a rate signal (retry after the reset), not a fault of the account.
Private and deleted videos stay in the uploads playlist as "Private video" stubs; that is the
only delete signal, so they are reported as deleted (the stored evidence stays).

Without a key: ``/feeds/videos.xml?channel_id=UC…`` (Atom) gives the 15 newest videos.

Campaign side: ``commentThreads`` on a campaign channel's recent videos; only comments written
by registered ASN accounts (matched by channel id or handle) are kept, as the comment alone.
"""

from __future__ import annotations

import re
from datetime import datetime, time as dtime, timedelta, timezone
from typing import Any, Iterable, Iterator, Mapping
from xml.etree.ElementTree import Element, tostring
from zoneinfo import ZoneInfo

import httpx

from ..store import PostRecord
from .base import (AccountRef, AccountUnavailable, CampaignRef, CursorState, Interaction, MalformedPayload,
                   Matcher, Page, PlatformError, RateLimited, to_utc, walk_newest_first)
from .http import Budget, Http, make_http, parse_json, retry_after
from .rss import ATOM, FeedError, entry_sources, parse_xml_source, tidy_text

PLATFORM = "youtube"
PACIFIC = ZoneInfo("America/Los_Angeles")
YT = "{http://www.youtube.com/xml/schemas/2015}"
MEDIA = "{http://search.yahoo.com/mrss/}"
MAX_RESULTS = 50
_CHANNEL_ID = re.compile(r"UC[A-Za-z0-9_-]{22}")
_QUOTA_REASONS = {"quotaExceeded", "dailyLimitExceeded", "dailyLimitExceededUnreg"}
_RATE_REASONS = {"rateLimitExceeded", "userRateLimitExceeded"}


# --- quota -------------------------------------------------------------------------------------

def next_quota_reset(now: float) -> float:
    """Epoch seconds of the next midnight in America/Los_Angeles, when the daily quota resets."""
    today = datetime.fromtimestamp(now, PACIFIC).date()
    return datetime.combine(today + timedelta(days=1), dtime(0), tzinfo=PACIFIC).timestamp()


class QuotaBudget(Budget):
    """The daily quota in units. Its day is the Pacific-time day, because that is when Google
    resets the quota; a UTC day would start counting from zero 7–8 hours too early."""

    def period_key(self, now: datetime | None = None) -> str:
        now = now or datetime.now(timezone.utc)
        return now.astimezone(PACIFIC).strftime("%Y-%m-%d")


# --- the pure mapper ---------------------------------------------------------------------------

def _lang(value: str | None) -> str | None:
    if not value:
        return None
    primary = value.replace("_", "-").split("-")[0].lower()
    return primary if primary.isalpha() and 2 <= len(primary) <= 3 else None


def thumbnail_url(video_id: str) -> str:
    """The video's canonical thumbnail. The API and the feed name different hosts and sizes for
    the same picture; one stable URL keeps a source switch from looking like an edit."""
    return f"https://i.ytimg.com/vi/{video_id}/hqdefault.jpg"


def is_unavailable(item: Mapping[str, Any]) -> bool:
    """A playlist stub for a private or deleted video (the only delete signal YouTube gives)."""
    status = (item.get("status") or {}).get("privacyStatus")
    title = (item.get("snippet") or {}).get("title")
    return status in ("private", "privacyStatusUnspecified") or title in ("Private video", "Deleted video")


def _video_id(raw: Mapping[str, Any]) -> str | None:
    if raw.get("kind") == "youtube#video":
        return raw.get("id")
    return ((raw.get("contentDetails") or {}).get("videoId")
            or ((raw.get("snippet") or {}).get("resourceId") or {}).get("videoId"))


def map_item(raw: Mapping[str, Any]) -> PostRecord:
    """A playlistItem, a video resource, both (``{"playlistItem": …, "video": …}``) or a feed
    entry (``{"kind": "yt:feedEntry", …}``, see :func:`parse_channel_feed`) to a PostRecord."""
    if raw.get("kind") == "yt:feedEntry":
        return _map_feed_entry(raw)
    item = raw.get("playlistItem") if "playlistItem" in raw or "video" in raw else None
    video = raw.get("video") if item is not None or "video" in raw else None
    if item is None and video is None:
        if raw.get("kind") == "youtube#video":
            video = raw
        elif raw.get("kind") == "youtube#playlistItem":
            item = raw
        else:
            raise ValueError(f"bentuk data YouTube tidak dikenal: {raw.get('kind')!r}")
    video_id = (_video_id(video) if video else None) or (_video_id(item) if item else None)
    if not video_id:
        raise ValueError("video YouTube tanpa id")
    vsnip = (video or {}).get("snippet") or {}
    isnip = (item or {}).get("snippet") or {}
    title = vsnip.get("title") or isnip.get("title") or ""
    description = vsnip.get("description") if video else isnip.get("description")
    published = (vsnip.get("publishedAt") or ((item or {}).get("contentDetails") or {}).get("videoPublishedAt")
                 or isnip.get("publishedAt"))
    channel = (vsnip.get("channelId") or isnip.get("videoOwnerChannelId") or isnip.get("channelId"))
    text = "\n\n".join(part for part in (tidy_text(title), tidy_text(description or "")) if part)
    return PostRecord(
        platform=PLATFORM, post_id=video_id, text=text, raw=dict(raw),
        url=f"https://www.youtube.com/watch?v={video_id}", created_at=to_utc(published), kind="post",
        original_author=None, lang=_lang(vsnip.get("defaultLanguage") or vsnip.get("defaultAudioLanguage")),
        media=[thumbnail_url(video_id)], account_handle=channel,
    )


def _map_feed_entry(raw: Mapping[str, Any]) -> PostRecord:
    video_id = raw.get("video_id")
    if not video_id:
        raise ValueError("entri umpan YouTube tanpa yt:videoId")
    text = "\n\n".join(p for p in (tidy_text(raw.get("title") or ""), tidy_text(raw.get("description") or "")) if p)
    return PostRecord(
        platform=PLATFORM, post_id=video_id, text=text, raw=dict(raw),
        url=f"https://www.youtube.com/watch?v={video_id}",  # as the API path; a Shorts /shorts/ link stays in raw
        created_at=to_utc(raw.get("published")), kind="post", original_author=None, lang=None,
        media=[thumbnail_url(video_id)], account_handle=raw.get("channel_id"),
    )


def _child_text(element: Element, tag: str) -> str | None:
    found = element.find(tag)
    return (found.text or "").strip() if found is not None and found.text else None


def parse_channel_feed(body: bytes) -> list[dict[str, Any]]:
    """Entries of a channel's Atom feed as raw dicts. The feed-level channel id may lack the
    leading ``UC`` (a 2026 quirk), so each entry's own ``yt:channelId`` is used."""
    root, body = parse_xml_source(body)
    if root.tag != f"{ATOM}feed":
        raise FeedError(f"bukan umpan Atom YouTube (elemen akar <{root.tag}>)")
    elements = root.findall(f"{ATOM}entry")
    sources = entry_sources(body, {f"{ATOM[1:-1]} entry"})
    if sources is None or len(sources) != len(elements):
        sources = [tostring(e, encoding="unicode") for e in elements]
    entries = []
    for entry, source in zip(elements, sources):
        group = entry.find(f"{MEDIA}group")
        link = None
        for element in entry.findall(f"{ATOM}link"):
            if (element.get("rel") or "alternate") == "alternate":
                link = element.get("href")
                break
        stats = group.find(f"{MEDIA}community/{MEDIA}statistics") if group is not None else None
        entries.append({
            "kind": "yt:feedEntry",
            "video_id": _child_text(entry, f"{YT}videoId"),
            "channel_id": _child_text(entry, f"{YT}channelId"),
            "title": _child_text(entry, f"{ATOM}title"),
            "link": link,
            "published": _child_text(entry, f"{ATOM}published"),
            "updated": _child_text(entry, f"{ATOM}updated"),
            "description": _child_text(group, f"{MEDIA}description") if group is not None else None,
            "views": stats.get("views") if stats is not None else None,
            "xml": source,
        })
    return entries


# --- the source --------------------------------------------------------------------------------

class YouTubeSource:
    """Collects a channel's uploads (API) or its feed (no key)."""

    platform = PLATFORM

    def __init__(self, http: Http, *, api_key: str = "", base_url: str = "https://www.googleapis.com/youtube/v3",
                 feed_base_url: str = "https://www.youtube.com", budget: QuotaBudget | None = None,
                 page_size: int = MAX_RESULTS, max_pages: int | None = 20, recheck: int = 20,
                 campaign_videos: int = 20, comment_pages: int = 5) -> None:
        self.http = http
        self.api_key = api_key
        self.base = base_url.rstrip("/")
        self.feed_base = feed_base_url.rstrip("/")
        self.budget = budget
        self.page_size = max(1, min(MAX_RESULTS, page_size))
        self.max_pages = max_pages
        self.recheck = recheck
        self.campaign_videos = max(1, min(MAX_RESULTS, campaign_videos))
        self.comment_pages = comment_pages

    # -- API plumbing ----------------------------------------------------------------------------
    def _api(self, resource: str, params: dict[str, Any], *, who: str = "") -> dict[str, Any]:
        """One Data API call (1 quota unit, counted by the Http budget even when it fails)."""
        response = self.http.get(f"{self.base}/{resource}", params={**params, "key": self.api_key})
        try:
            data = parse_json(response)
        except MalformedPayload:
            if response.status_code == 200:
                raise
            raise PlatformError(f"youtube {resource}: HTTP {response.status_code} (bukan JSON)",
                                status=response.status_code, body=response.content) from None
        if not isinstance(data, dict):
            raise MalformedPayload(response.content, f"youtube {resource}: respons bukan objek JSON")
        if response.status_code != 200 or "error" in data:
            raise self._error(resource, response, data.get("error"), who)
        items = data.get("items")
        if items is not None and not isinstance(items, list):
            raise MalformedPayload(response.content, f"youtube {resource}: 'items' bukan larik")
        return data

    def _error(self, resource: str, response: httpx.Response, error: Any, who: str) -> Exception:
        error = error if isinstance(error, dict) else {}
        code = int(error.get("code") or response.status_code)
        reasons = {str(e.get("reason")) for e in error.get("errors") or [] if isinstance(e, dict)}
        message = re.sub(r"<[^>]+>", "", str(error.get("message") or f"HTTP {code}"))
        if reasons & _QUOTA_REASONS:
            return RateLimited(next_quota_reset(self.http.clock()),
                               "kuota harian YouTube Data API habis; dilanjutkan setelah tengah malam waktu Pasifik")
        if reasons & _RATE_REASONS:
            return RateLimited(self.http.clock() + 60, f"youtube: terlalu banyak permintaan ({message})")
        if code == 404:
            return AccountUnavailable("not_found", f"{who or resource}: {message}")
        if code == 403 and reasons & {"playlistItemsNotAccessible", "forbidden", "channelForbidden"}:
            return AccountUnavailable("private", f"{who or resource}: {message}")
        if code == 403 and "commentsDisabled" in reasons:
            return PlatformError(f"youtube: komentar dinonaktifkan ({message})", status=403)
        if code == 400 and (reasons & {"keyInvalid", "badRequest"}) and "key" in message.lower():
            return PlatformError("kunci API YouTube (youtube_api_key) tidak sah", status=400,
                                 body=response.content)
        return PlatformError(f"youtube {resource}: HTTP {code} {message} ({', '.join(sorted(reasons))})".strip(),
                             status=code, body=response.content)

    # -- resolve ---------------------------------------------------------------------------------
    def resolve(self, account: AccountRef) -> str | None:
        """The channel id (``UC…``) of a handle (``@name``) or of a channel id itself."""
        handle = account.handle
        if self.api_key:
            params = {"part": "id,contentDetails"}
            params.update({"id": handle} if _CHANNEL_ID.fullmatch(handle) else {"forHandle": handle})
            data = self._api("channels", params, who=handle)
            items = data.get("items")
            if not items:  # an unknown handle is HTTP 200 with no "items" at all
                raise AccountUnavailable("not_found", f"kanal YouTube {handle} tidak ditemukan")
            return str(items[0]["id"])
        if _CHANNEL_ID.fullmatch(handle):
            return handle
        # No key: read the channel id from the public channel page.
        response = self.http.get(f"{self.feed_base}/{handle}", cost=0)  # not an API call: no quota
        if response.status_code == 404:
            raise AccountUnavailable("not_found", f"kanal YouTube {handle} tidak ditemukan")
        if response.status_code != 200:
            raise PlatformError(f"youtube: HTTP {response.status_code} untuk halaman {handle}",
                                status=response.status_code, body=response.content)
        found = re.search(r'<link rel="canonical" href="https://www\.youtube\.com/channel/(UC[A-Za-z0-9_-]{22})"',
                          response.text) or re.search(r'"(?:externalId|channelId)":"(UC[A-Za-z0-9_-]{22})"', response.text)
        if not found:
            raise MalformedPayload(response.content, f"id kanal {handle} tidak ada di halaman kanal")
        return found.group(1)

    # -- fetch -----------------------------------------------------------------------------------
    def fetch(self, account: AccountRef) -> Iterator[Page]:
        if not account.platform_user_id:
            account.platform_user_id = self.resolve(account)
        if self.api_key:
            yield from self._fetch_api(account)
        else:
            yield from self._fetch_feed(account)

    def uploads_playlist(self, channel_id: str) -> str:
        data = self._api("channels", {"part": "contentDetails", "id": channel_id}, who=channel_id)
        items = data.get("items")
        if not items:
            raise AccountUnavailable("not_found", f"kanal YouTube {channel_id} tidak ada lagi")
        uploads = ((items[0].get("contentDetails") or {}).get("relatedPlaylists") or {}).get("uploads")
        if not uploads:
            raise AccountUnavailable("private", f"kanal {channel_id} tidak menampilkan daftar unggahan")
        return str(uploads)

    def videos(self, ids: list[str]) -> dict[str, dict]:
        """Video resources by id (``videos.list``, 50 ids per unit); missing ids are gone or private."""
        found: dict[str, dict] = {}
        for start in range(0, len(ids), MAX_RESULTS):
            chunk = ids[start : start + MAX_RESULTS]
            data = self._api("videos", {"part": "snippet,statistics,status", "id": ",".join(chunk),
                                        "maxResults": MAX_RESULTS})
            for video in data.get("items") or []:
                if isinstance(video, dict) and video.get("id"):
                    found[str(video["id"])] = video
        return found

    def _playlist_page(self, playlist: str, token: str | None, size: int) -> tuple[list[dict], str | None]:
        params = {"part": "snippet,contentDetails,status", "playlistId": playlist, "maxResults": size}
        if token:
            params["pageToken"] = token
        data = self._api("playlistItems", params, who=playlist)
        items = [i for i in data.get("items") or [] if isinstance(i, dict)]
        return items, data.get("nextPageToken") or None

    def _fetch_api(self, account: AccountRef) -> Iterator[Page]:
        state = CursorState.load(account.cursor)
        if state.extra.get("mode") == "feed":
            # The feed only ever showed the 15 newest videos: with a key now, backfill from the
            # top (upserts make the overlap harmless) instead of stopping at the feed's mark.
            state = CursorState()
        playlist = state.extra.get("uploads") or self.uploads_playlist(str(account.platform_user_id))
        state.extra["uploads"] = playlist
        gone: list[dict] = []  # playlist stubs of private/deleted videos seen on this page
        seen: set[str] = set()

        def key(item: dict) -> str:
            return to_utc((item.get("contentDetails") or {}).get("videoPublishedAt")
                          or (item.get("snippet") or {}).get("publishedAt")) or ""

        def to_records(items: list[dict]) -> list[PostRecord]:
            live = []
            for item in items:
                vid = _video_id(item)
                if not vid:
                    continue
                seen.add(vid)
                (gone if is_unavailable(item) else live).append(item)
            details = self.videos([str(_video_id(i)) for i in live]) if live else {}
            # A listed public video that videos.list does not return (index lag) is mapped from
            # the playlist item alone; only the playlist's own stubs count as deletions.
            return [map_item({"playlistItem": item, "video": details.get(str(_video_id(item)))}) for item in live]

        for page in walk_newest_first(state, lambda token: self._playlist_page(playlist, token, self.page_size),
                                      key=key, to_records=to_records, max_pages=self.max_pages):
            page.deleted_ids = sorted({str(_video_id(i)) for i in gone})
            gone.clear()
            yield page
        recheck = [v for v in account.recent_post_ids if v not in seen][: self.recheck]
        if recheck:
            yield self._recheck(recheck)

    def _recheck(self, ids: list[str]) -> Page:
        """Known videos again: changed titles/descriptions become versions, missing ones deleted."""
        found = self.videos(ids)
        records, deleted = [], []
        for vid in ids:
            video = found.get(vid)
            if video is None or (video.get("status") or {}).get("privacyStatus") == "private":
                deleted.append(vid)
            else:
                records.append(map_item({"video": video}))
        return Page(records=records, cursor=None, deleted_ids=deleted)

    def _fetch_feed(self, account: AccountRef) -> Iterator[Page]:
        channel = str(account.platform_user_id)
        url = f"{self.feed_base}/feeds/videos.xml"
        response = self.http.get(url, params={"channel_id": channel}, cost=0)  # the feed costs no quota
        if response.status_code == 404:
            raise AccountUnavailable("not_found", f"umpan kanal YouTube {channel} tidak ada (HTTP 404)")
        if response.status_code != 200:
            raise PlatformError(f"youtube: HTTP {response.status_code} untuk umpan {channel}",
                                status=response.status_code, body=response.content)
        try:
            entries = parse_channel_feed(response.content)
            records = [map_item(e) for e in entries]
        except (FeedError, ValueError) as exc:
            raise MalformedPayload(response.content, f"umpan YouTube {channel}: {exc}", url=str(response.url)) from exc
        state = CursorState.load(account.cursor)
        dates = [r.created_at for r in records if r.created_at]
        hw = max([*dates, *([state.hw] if state.hw else [])], default=None)
        # The feed holds only the 15 newest videos: all are upserted (edits become versions).
        yield Page(records=records, cursor=CursorState(hw=hw, extra={**state.extra, "mode": "feed"}).dump())

    # -- campaign side ---------------------------------------------------------------------------
    def interactions(self, campaign: CampaignRef, match: Matcher) -> Iterator[Interaction]:
        """Comments by registered ASN accounts on the campaign channel's recent videos.

        Other commenters are matched and dropped in memory; only the matched comment resource
        (the ASN account's own words) is kept. Needs an API key: the feed has no comments.
        """
        if not self.api_key:
            return
        if not campaign.platform_user_id:
            campaign.platform_user_id = self.resolve(AccountRef(campaign.id, PLATFORM, campaign.handle))
        playlist = self.uploads_playlist(campaign.platform_user_id)
        items, _ = self._playlist_page(playlist, None, self.campaign_videos)
        for item in items:
            vid = _video_id(item)
            if not vid or is_unavailable(item):
                continue
            yield from self.video_comment_interactions(vid, match)

    def video_comment_interactions(self, video_id: str, match: Matcher) -> Iterator[Interaction]:
        url = f"https://www.youtube.com/watch?v={video_id}"
        token = None
        for _ in range(self.comment_pages):
            params = {"part": "snippet,replies", "videoId": video_id, "maxResults": 100, "textFormat": "plainText"}
            if token:
                params["pageToken"] = token
            try:
                data = self._api("commentThreads", params, who=video_id)
            except PlatformError as exc:
                if exc.status == 403:
                    return  # comments disabled on this video: nothing to see
                raise
            for thread in data.get("items") or []:
                for comment in _thread_comments(thread):
                    account_id = match(comment_author_ids(comment))
                    if account_id:
                        yield Interaction(account_id, "comment", comment, video_id, url)
            token = data.get("nextPageToken")
            if not token:
                return


def _thread_comments(thread: Any) -> Iterable[dict]:
    if not isinstance(thread, dict):
        return []
    top = ((thread.get("snippet") or {}).get("topLevelComment"))
    replies = ((thread.get("replies") or {}).get("comments")) or []
    return [c for c in [top, *replies] if isinstance(c, dict)]


def comment_author_ids(comment: Mapping[str, Any]) -> list[str | None]:
    """What identifies a comment's author: channel id, and the handle when the display name or
    channel URL carries one (display names are handles since 2023)."""
    snippet = comment.get("snippet") or {}
    ids: list[str | None] = [(snippet.get("authorChannelId") or {}).get("value")]
    name = str(snippet.get("authorDisplayName") or "")
    if name.startswith("@"):
        ids.append(name.lower())
    url = str(snippet.get("authorChannelUrl") or "")
    tail = url.rstrip("/").rsplit("/", 1)[-1] if url else ""
    if tail.startswith("@"):
        ids.append(tail.lower())
    elif _CHANNEL_ID.fullmatch(tail):
        ids.append(tail)
    return ids


def factory(settings: Mapping[str, Any], client: httpx.Client, *, budget: QuotaBudget | None = None) -> YouTubeSource:
    limit = int(settings.get("youtube_daily_quota", 10_000) or 0)
    if budget is None and limit and settings.get("youtube_api_key"):
        budget = QuotaBudget("youtube_quota", limit, period="day")
    return YouTubeSource(
        make_http(settings, client, PLATFORM, reset=retry_after, budget=budget),
        api_key=str(settings.get("youtube_api_key") or ""),
        base_url=str(settings.get("youtube_base_url") or "https://www.googleapis.com/youtube/v3"),
        feed_base_url=str(settings.get("youtube_feed_base_url") or "https://www.youtube.com"),
        budget=budget,
        page_size=int(settings.get("collect_page_size", MAX_RESULTS) or MAX_RESULTS),
        max_pages=int(settings.get("collect_max_pages", 20) or 0) or None,
        recheck=int(settings.get("recheck_posts", 20)),
        campaign_videos=int(settings.get("campaign_recent_posts", 20) or 20),
        comment_pages=int(settings.get("campaign_follower_pages", 5) or 5),
    )
