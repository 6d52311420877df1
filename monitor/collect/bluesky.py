"""Bluesky through the public AppView (no credentials).

``getProfile`` resolves a handle to its DID (the stable key: handles change); ``getAuthorFeed``
pages newest first with an opaque cursor (only a missing cursor ends the feed; short pages
are normal). The author label ``!no-unauthenticated`` is the user's request not to be shown to
logged-out viewers: Netra honours it and marks the account ``opted_out``. Recent posts are
re-checked with ``getPosts`` (which silently omits deleted posts) so edits become versions and
deletions are marked. Campaign-side interactions use getLikes, getRepostedBy, getPostThread and
getFollowers.
"""

from __future__ import annotations

from typing import Any, Iterator

import httpx

from .base import (
    AccountRef, AccountUnavailable, CampaignRef, CollectError, CursorState, Interaction, MalformedPayload,
    Matcher, Page, PlatformError, PostRecord, to_utc, walk_newest_first,
)
from .http import Http, epoch_header, first_of, make_http, parse_json, retry_after
from .textparts import join_parts, link_card_text

PLATFORM = "bluesky"
OPT_OUT_LABEL = "!no-unauthenticated"
MAX_LIMIT = 100
GETPOSTS_MAX = 25

RESET = first_of(retry_after, epoch_header("ratelimit-reset"))


# --- pure mapping --------------------------------------------------------------------------------

def _rkey(uri: str) -> str:
    return uri.rstrip("/").rsplit("/", 1)[-1]


def permalink(post: dict) -> str | None:
    uri = post.get("uri") or ""
    author = (post.get("author") or {}).get("handle") or (post.get("author") or {}).get("did")
    if not uri or not author:
        return None
    return f"https://bsky.app/profile/{author}/post/{_rkey(uri)}"


def _media(embed: dict | None) -> list[str]:
    if not isinstance(embed, dict):
        return []
    kind = embed.get("$type", "")
    if kind.startswith("app.bsky.embed.images"):
        return [i.get("fullsize") or i.get("thumb") for i in embed.get("images") or [] if i.get("fullsize") or i.get("thumb")]
    if kind.startswith("app.bsky.embed.video"):
        return [embed["playlist"]] if embed.get("playlist") else []
    if kind.startswith("app.bsky.embed.gallery"):
        return [i.get("fullsize") or i.get("thumbnail") for i in embed.get("items") or [] if i.get("fullsize") or i.get("thumbnail")]
    if kind.startswith("app.bsky.embed.recordWithMedia"):
        return _media(embed.get("media"))
    return []


def _external(embed: dict | None) -> dict:
    """The link card (``app.bsky.embed.external#view``) of an embed, also inside recordWithMedia."""
    if not isinstance(embed, dict):
        return {}
    kind = embed.get("$type", "")
    if kind.startswith("app.bsky.embed.recordWithMedia"):
        return _external(embed.get("media"))
    if kind.startswith("app.bsky.embed.external"):
        card = embed.get("external")
        return card if isinstance(card, dict) and card.get("uri") else {}
    return {}


# Embedded records that are not posts: what they are, in the words an analyst reads.
_SHARED_RECORDS = {
    "app.bsky.feed.defs#generatorView": ("Feed kustom", "displayName"),
    "app.bsky.graph.defs#listView": ("Daftar", "name"),
    "app.bsky.graph.defs#listViewBasic": ("Daftar", "name"),
    "app.bsky.graph.defs#starterPackViewBasic": ("Paket pemula", None),
    "app.bsky.graph.defs#starterPackView": ("Paket pemula", None),
    "app.bsky.labeler.defs#labelerView": ("Layanan label", None),
}


def _embedded_record(embed: dict | None) -> dict | None:
    """The record view an embed carries (``record#view`` or the record half of recordWithMedia)."""
    if not isinstance(embed, dict):
        return None
    kind = embed.get("$type", "")
    record = embed.get("record") or {}
    if kind.startswith("app.bsky.embed.recordWithMedia"):
        record = record.get("record") or {}
    elif not kind.startswith("app.bsky.embed.record"):
        return None
    return record if isinstance(record, dict) else None


def _quoted_author(embed: dict | None) -> str | None:
    """The quoted post's author; "(tidak tersedia)" when it is gone, blocked or detached; None
    when the embed quotes no post (a feed generator, list, starter pack or labeler is shared,
    not quoted: see :func:`shared_record_text`)."""
    record = _embedded_record(embed)
    if record is None or record.get("$type", "") in _SHARED_RECORDS:
        return None
    author = record.get("author") or {}
    return author.get("handle") or author.get("did") or "(tidak tersedia)"


def shared_record_text(embed: dict | None) -> str:
    """``Feed kustom: name oleh @creator`` (and its description and at:// URI) for a shared
    feed generator, list, starter pack or labeler; "" otherwise."""
    record = _embedded_record(embed)
    if record is None or record.get("$type", "") not in _SHARED_RECORDS:
        return ""
    label, name_field = _SHARED_RECORDS[record["$type"]]
    value = record.get("record") if isinstance(record.get("record"), dict) else {}
    name = (record.get(name_field) if name_field else None) or value.get("name") or record.get("displayName") or ""
    creator = record.get("creator") or {}
    who = creator.get("handle") or creator.get("did")
    head = f"{label}: {name}".strip() + (f" oleh @{who}" if who else "")
    description = record.get("description") or value.get("description") or ""
    return "\n".join(part for part in (head, description.strip(), record.get("uri") or "") if part)


def sort_key(item: dict) -> str:
    """The AppView's order: a repost sorts at its own time, a post at min(createdAt, indexedAt)
    (createdAt is client-declared and may lie in the future). Text-sortable, unique."""
    post = item.get("post") or {}
    reason = item.get("reason") or {}
    if reason.get("$type", "").endswith("reasonRepost"):
        when = to_utc(reason.get("indexedAt"), ms=True) or ""
        return f"{when}|{reason.get('uri') or post.get('uri', '')}"
    indexed = to_utc(post.get("indexedAt"), ms=True) or ""
    created = to_utc((post.get("record") or {}).get("createdAt"), ms=True) or indexed
    return f"{min(created, indexed) if indexed else created}|{post.get('uri', '')}"


def map_item(raw: dict) -> PostRecord:
    """One ``feedViewPost`` (or ``{"post": postView}``) to a PostRecord."""
    post = raw.get("post")
    if not isinstance(post, dict) or not post.get("uri"):
        raise MalformedPayload(repr(raw)[:2000], "item feed Bluesky tanpa post.uri")
    record = post.get("record") or {}
    reason = raw.get("reason") or {}
    text = str(record.get("text") or "")
    langs = record.get("langs") or []
    embed = post.get("embed")
    indexed = to_utc(post.get("indexedAt"))
    created = to_utc(record.get("createdAt")) or indexed
    if created and indexed and created > indexed:
        created = indexed  # a declared time in the future: the AppView sorts by the earlier one
    author = post.get("author") or {}
    card = _external(embed)
    text = join_parts(text, link_card_text(card.get("uri"), card.get("title"), card.get("description")),
                      shared_record_text(embed))
    media = _media(embed) + ([card["uri"]] if card.get("uri") else [])
    common = dict(platform=PLATFORM, text=text, raw=raw, url=permalink(post), lang=langs[0] if langs else None,
                  media=media)
    if reason.get("$type", "").endswith("reasonRepost"):
        by = reason.get("by") or {}
        post_id = reason.get("uri") or f"{post['uri']}#repost-by-{by.get('did', '')}"
        return PostRecord(post_id=post_id, kind="repost", created_at=to_utc(reason.get("indexedAt")) or created,
                          original_author=author.get("handle") or author.get("did"),
                          account_handle=by.get("handle"), **common)
    quoted = _quoted_author(embed)
    kind = "reply" if record.get("reply") else "quote" if quoted else "post"
    return PostRecord(post_id=post["uri"], kind=kind, created_at=created,
                      original_author=quoted if kind == "quote" else None,
                      account_handle=author.get("handle"), **common)


def has_opt_out(labels: list | None) -> bool:
    return any((label or {}).get("val") == OPT_OUT_LABEL for label in labels or [])


# --- the source ----------------------------------------------------------------------------------

class BlueskySource:
    platform = PLATFORM

    def __init__(self, http: Http, *, base_url: str = "https://public.api.bsky.app", page_size: int = 100,
                 max_pages: int | None = 20, recheck: int = 20, campaign_posts: int = 20,
                 follower_pages: int = 5) -> None:
        self.http = http
        self.base = base_url.rstrip("/")
        self.page_size = max(1, min(MAX_LIMIT, page_size))
        self.max_pages = max_pages
        self.recheck = recheck
        self.campaign_posts = max(1, min(MAX_LIMIT, campaign_posts))
        self.follower_pages = follower_pages

    def _xrpc(self, method: str, params: dict | list) -> Any:
        response = self.http.get(f"{self.base}/xrpc/{method}", params=params)
        if response.status_code == 200:
            data = parse_json(response)
            if not isinstance(data, dict):
                raise MalformedPayload(response.content, f"{method}: respons bukan objek JSON")
            return data
        try:
            body = parse_json(response)
        except MalformedPayload:
            body = {}
        error = body.get("error", "") if isinstance(body, dict) else ""
        message = body.get("message", "") if isinstance(body, dict) else ""
        if response.status_code == 400:
            if error == "AccountTakedown":
                raise AccountUnavailable("suspended", message or "akun ditangguhkan (takedown)")
            if error == "AccountDeactivated":
                raise AccountUnavailable("deactivated", message or "akun dinonaktifkan")
            if "Profile not found" in message or error in ("ActorNotFound", "HandleNotFound"):
                raise AccountUnavailable("not_found", message or "profil tidak ditemukan")
        raise PlatformError(f"bluesky {method}: HTTP {response.status_code} {error} {message}".strip(),
                            status=response.status_code, body=response.content)

    def resolve(self, account: AccountRef) -> str | None:
        profile = self._xrpc("app.bsky.actor.getProfile", {"actor": account.platform_user_id or account.handle})
        if has_opt_out(profile.get("labels")):
            raise AccountUnavailable("opted_out", f"label {OPT_OUT_LABEL}: pengguna meminta tidak ditampilkan tanpa login")
        did = profile.get("did")
        if not did:
            raise MalformedPayload(repr(profile)[:2000], "getProfile tanpa did")
        return did

    def _page(self, actor: str, cursor: str | None, limit: int, *, filter_: str | None = None) -> tuple[list, str | None]:
        params = {"actor": actor, "limit": limit}
        if cursor:
            params["cursor"] = cursor
        if filter_:
            params["filter"] = filter_
        data = self._xrpc("app.bsky.feed.getAuthorFeed", params)
        feed = data.get("feed")
        if not isinstance(feed, list):
            raise MalformedPayload(repr(data)[:2000], "getAuthorFeed tanpa daftar feed")
        items = []
        for item in feed:
            if (item.get("reason") or {}).get("$type", "").endswith("reasonPin"):
                continue  # pinned: may be old, appears again in its place
            author = (item.get("post") or {}).get("author") or {}
            if has_opt_out(author.get("labels")):
                if actor in (author.get("did"), author.get("handle")):
                    raise AccountUnavailable("opted_out", f"label {OPT_OUT_LABEL}: pengguna meminta tidak "
                                                          "ditampilkan tanpa login")
                continue  # someone else's post, hidden from logged-out viewers at their request
            items.append(item)
        return items, data.get("cursor") or None

    def fetch(self, account: AccountRef) -> Iterator[Page]:
        actor = account.platform_user_id or account.handle
        state = CursorState.load(account.cursor)
        yield from walk_newest_first(
            state, lambda cursor: self._page(actor, cursor, self.page_size),
            key=sort_key, to_records=lambda items: [map_item(i) for i in items], max_pages=self.max_pages)
        if self.recheck and account.recent_post_ids:
            yield self._recheck(account)

    def _recheck(self, account: AccountRef) -> Page:
        uris = [u for u in account.recent_post_ids if "/app.bsky.feed.post/" in u][: self.recheck]
        found: dict[str, dict] = {}
        for i in range(0, len(uris), GETPOSTS_MAX):
            data = self._xrpc("app.bsky.feed.getPosts", [("uris", u) for u in uris[i:i + GETPOSTS_MAX]])
            for post in data.get("posts") or []:
                found[post.get("uri")] = post
        records = [map_item({"post": found[u]}) for u in uris if u in found]
        return Page(records=records, cursor=None, deleted_ids=[u for u in uris if u not in found])

    # --- campaign-side interactions ------------------------------------------------------------

    def _paged(self, method: str, params: dict, key: str, *, max_pages: int) -> Iterator[dict]:
        cursor = None
        for _ in range(max_pages):
            data = self._xrpc(method, {**params, "limit": 100, **({"cursor": cursor} if cursor else {})})
            for entry in data.get(key) or []:
                yield entry
            cursor = data.get("cursor")
            if not cursor:
                return

    def interactions(self, campaign: CampaignRef, match: Matcher) -> Iterator[Interaction]:
        actor = campaign.platform_user_id or campaign.handle
        items, _ = self._page(actor, None, self.campaign_posts, filter_="posts_no_replies")
        for item in items:
            if item.get("reason"):
                continue  # the campaign's own reposts: interactions there are on someone else's post
            post = item["post"]
            uri, url = post["uri"], permalink(post)
            for like in self._paged("app.bsky.feed.getLikes", {"uri": uri}, "likes", max_pages=self.follower_pages):
                actor_ = like.get("actor") or {}
                account_id = match([actor_.get("did"), actor_.get("handle")])
                if account_id:
                    yield Interaction(account_id, "like", like, uri, url)
            for who in self._paged("app.bsky.feed.getRepostedBy", {"uri": uri}, "repostedBy",
                                   max_pages=self.follower_pages):
                account_id = match([who.get("did"), who.get("handle")])
                if account_id:
                    yield Interaction(account_id, "repost", who, uri, url)
            if post.get("replyCount", 1):
                thread = self._xrpc("app.bsky.feed.getPostThread", {"uri": uri, "depth": 1}).get("thread") or {}
                for reply in thread.get("replies") or []:
                    author = (reply.get("post") or {}).get("author") or {}
                    account_id = match([author.get("did"), author.get("handle")])
                    if account_id:
                        yield Interaction(account_id, "reply", reply.get("post"), uri, url)
        for follower in self._paged("app.bsky.graph.getFollowers", {"actor": actor}, "followers",
                                    max_pages=self.follower_pages):
            account_id = match([follower.get("did"), follower.get("handle")])
            if account_id:
                yield Interaction(account_id, "follow", follower, "", f"https://bsky.app/profile/{campaign.handle}")


def factory(settings: dict, client: httpx.Client) -> BlueskySource:
    return BlueskySource(
        make_http(settings, client, PLATFORM, reset=RESET),
        base_url=settings.get("bluesky_base_url", "https://public.api.bsky.app"),
        page_size=int(settings.get("collect_page_size", 100)),
        max_pages=int(settings.get("collect_max_pages", 20)) or None,
        recheck=int(settings.get("recheck_posts", 20)),
        campaign_posts=int(settings.get("campaign_recent_posts", 20)),
        follower_pages=int(settings.get("campaign_follower_pages", 5)),
    )


__all__ = ["BlueskySource", "CollectError", "factory", "map_item", "sort_key"]
