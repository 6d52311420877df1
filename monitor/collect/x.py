"""X (Twitter) API v2 with an app-only bearer token.

X reports not-found, suspended and protected users *inside HTTP 200* (an ``errors`` array and no
``data``), so a 200 is never taken as success by itself. ``x-rate-limit-reset`` is epoch seconds
and X sends no Retry-After; a ``usage-capped`` 429 means the monthly cap is spent, so we stop at
once instead of waiting. Post reads are counted against the monthly budget. Edits get a new id
each time: the first id of ``edit_history_tweet_ids`` is the post's stable key, so an edit
becomes a new version of the same post. Both the documented ``tweet.*`` names and the newer
``post.*`` names are read.
"""

from __future__ import annotations

import html
import re
from typing import Any, Iterator

import httpx

from .base import (
    AccountRef, AccountUnavailable, BudgetExhausted, CampaignRef, CursorState, Interaction, MalformedPayload,
    Matcher, Page, PlatformError, PostRecord, id_key, to_utc, walk_newest_first,
)
from .http import Budget, Http, epoch_header, make_http, parse_json

PLATFORM = "x"
MAX_RESULTS = 100
TWEET_FIELDS = ("created_at,lang,author_id,conversation_id,in_reply_to_user_id,referenced_tweets,attachments,"
                "entities,edit_history_tweet_ids,note_tweet")
EXPANSIONS = "author_id,attachments.media_keys,referenced_tweets.id,referenced_tweets.id.author_id"
MEDIA_FIELDS = "type,url,preview_image_url,alt_text"
_epoch_reset = epoch_header("x-rate-limit-reset")


def reset(response: httpx.Response, now: float) -> float | None:
    """``x-rate-limit-reset`` (epoch s); a usage cap is not worth waiting for within a run."""
    if "usage-capped" in response.text:
        return float("inf")
    return _epoch_reset(response, now)


# --- pure mapping --------------------------------------------------------------------------------

def _g(obj: dict, tweet_name: str, post_name: str) -> Any:
    """A field under its documented ``tweet`` name or the newer ``post`` name."""
    value = obj.get(tweet_name)
    return value if value is not None else obj.get(post_name)


def split_response(data: dict) -> list[dict]:
    """A timeline response to one raw item per post: the post plus only the includes it uses."""
    includes = data.get("includes") or {}
    users = {u.get("id"): u for u in includes.get("users") or []}
    tweets = {t.get("id"): t for t in (includes.get("tweets") or includes.get("posts") or [])}
    media = {m.get("media_key"): m for m in includes.get("media") or []}
    items = []
    for tweet in data.get("data") or []:
        refs = _g(tweet, "referenced_tweets", "referenced_posts") or []
        ref_tweets = [tweets[r["id"]] for r in refs if r.get("id") in tweets]
        user_ids = {tweet.get("author_id")} | {t.get("author_id") for t in ref_tweets}
        keys = list((tweet.get("attachments") or {}).get("media_keys") or [])
        for t in ref_tweets:
            keys += (t.get("attachments") or {}).get("media_keys") or []
        items.append({"data": tweet, "includes": {
            "users": [users[u] for u in user_ids if u in users],
            "tweets": ref_tweets,
            "media": [media[k] for k in keys if k in media],
        }})
    return items


def _lang(value: str | None) -> str | None:
    if not value or value in ("und", "qme", "zxx", "qht", "qam", "art"):
        return None
    return "id" if value == "in" else value


_RT_PREFIX = re.compile(r"^RT @([A-Za-z0-9_]{1,15}):")
TRUNCATED_NOTE = "[teks terpotong: kiriman asli tidak tersedia]"


def readable_text(tweet: dict) -> str:
    """The text a person (and the classifier) reads: the long-form note if any, t.co links
    replaced by the ``expanded_url`` of the matching ``entities.urls`` entry, and the three
    HTML entities X v2 still escapes (``&amp;`` ``&lt;`` ``&gt;``) unescaped. The raw payload
    keeps X's own text."""
    note = _g(tweet, "note_tweet", "note_post") or {}
    text = note.get("text") or tweet.get("text") or ""
    entities = (note.get("entities") if note.get("text") else None) or tweet.get("entities") or {}
    for link in entities.get("urls") or []:
        short, expanded = link.get("url"), link.get("unwound_url") or link.get("expanded_url")
        if short and expanded:
            text = text.replace(short, expanded)
    return html.unescape(text)


def map_item(raw: dict) -> PostRecord:
    """``{"data": tweet, "includes": {...}}`` (see :func:`split_response`) to a PostRecord."""
    tweet = raw.get("data") if isinstance(raw, dict) else None
    if not isinstance(tweet, dict) or not tweet.get("id"):
        raise MalformedPayload(repr(raw)[:2000], "post X tanpa id")
    includes = raw.get("includes") or {}
    users = {u.get("id"): u for u in includes.get("users") or []}
    tweets = {t.get("id"): t for t in includes.get("tweets") or []}
    media = {m.get("media_key"): m for m in includes.get("media") or []}
    history = _g(tweet, "edit_history_tweet_ids", "edit_history_post_ids") or [tweet["id"]]
    author = users.get(tweet.get("author_id"), {}).get("username")
    text = readable_text(tweet)
    kind, original, source = "post", None, tweet
    for ref in _g(tweet, "referenced_tweets", "referenced_posts") or []:
        target = tweets.get(ref.get("id"))
        target_author = users.get((target or {}).get("author_id"), {}).get("username") if target else None
        if ref.get("type") == "retweeted":
            kind, original = "repost", target_author
            if target:
                source = target
                text = readable_text(target) or text
            else:  # the original is not in includes: the handle is in "RT @user:", the text is cut
                found = _RT_PREFIX.match(text)
                original = found.group(1) if found else None
                text = f"{text}\n{TRUNCATED_NOTE}"
            original = original.lower() if original else "(tidak tersedia)"
            break
        if ref.get("type") == "quoted":
            kind, original = "quote", target_author.lower() if target_author else "(tidak tersedia)"
        elif ref.get("type") == "replied_to" and kind == "post":
            kind = "reply"
    keys = (source.get("attachments") or {}).get("media_keys") or []
    urls = [media[k].get("url") or media[k].get("preview_image_url") for k in keys if k in media]
    return PostRecord(
        platform=PLATFORM, post_id=str(history[0]), text=text, raw=raw,
        url=f"https://x.com/{author or 'i/web'}/status/{tweet['id']}",
        created_at=to_utc(tweet.get("created_at")), kind=kind, original_author=original,
        lang=_lang(tweet.get("lang")), media=[u for u in urls if u],
        account_handle=author.lower() if author else None,
    )


def _problem(errors: list, default: str) -> Exception:
    """The account status an ``errors`` array inside a 200 describes."""
    first = errors[0] if errors and isinstance(errors[0], dict) else {}
    detail = str(first.get("detail") or first.get("message") or default)
    kind = str(first.get("type") or "")
    if "suspended" in detail.lower():
        return AccountUnavailable("suspended", detail)
    if kind.endswith("/not-authorized-for-resource") or "not authorized" in detail.lower():
        return AccountUnavailable("private", detail)
    if kind.endswith("/resource-not-found") or "could not find" in detail.lower():
        return AccountUnavailable("not_found", detail)
    return PlatformError(f"x: {detail}")


# --- the source ----------------------------------------------------------------------------------

class XSource:
    platform = PLATFORM

    def __init__(self, http: Http, *, base_url: str = "https://api.x.com", token: str = "",
                 reads: Budget | None = None, page_size: int = 100, max_pages: int | None = 20,
                 recheck: int = 20, campaign_posts: int = 20, follower_pages: int = 5) -> None:
        self.http = http
        self.base = base_url.rstrip("/")
        self.token = token
        self.reads = reads
        self.page_size = max(5, min(MAX_RESULTS, page_size))
        self.max_pages = max_pages
        self.recheck = recheck
        self.campaign_posts = max(5, min(MAX_RESULTS, campaign_posts))
        self.follower_pages = follower_pages

    def _get(self, path: str, params: dict | None = None) -> dict:
        if not self.token:
            raise PlatformError("token X (x_bearer_token) belum diatur; atur NETRA_X_BEARER_TOKEN")
        if self.reads is not None:
            self.reads.check(1)
        response = self.http.get(f"{self.base}{path}", params=params,
                                 headers={"Authorization": f"Bearer {self.token}"})
        try:
            data = parse_json(response)
        except MalformedPayload:
            if response.status_code == 200:
                raise
            data = {}
        if response.status_code != 200:
            detail = data.get("detail") or data.get("title") if isinstance(data, dict) else ""
            if response.status_code == 403 and "client-forbidden" in str(data.get("type", "")):
                raise PlatformError(f"x: akses ditolak untuk tingkat akun ini ({detail})", status=403,
                                    body=response.content)
            raise PlatformError(f"x {path}: HTTP {response.status_code} {detail or ''}".strip(),
                                status=response.status_code, body=response.content)
        if not isinstance(data, dict):
            raise MalformedPayload(response.content, "respons X bukan objek JSON")
        if self.reads is not None:
            posts = data.get("data") if isinstance(data.get("data"), list) else []
            self.reads.record(len(posts) + len((data.get("includes") or {}).get("tweets") or []))
        return data

    def resolve(self, account: AccountRef) -> str | None:
        data = self._get(f"/2/users/by/username/{account.handle}", {"user.fields": "protected"})
        user = data.get("data")
        if not isinstance(user, dict):
            raise _problem(data.get("errors") or [], "pengguna tidak ditemukan")
        if user.get("protected"):
            raise AccountUnavailable("private", "akun terkunci (protected)")
        return str(user["id"])

    def _page(self, user_id: str, cursor: str | None, since_id: str | None) -> tuple[list, str | None]:
        params = {"max_results": self.page_size, "tweet.fields": TWEET_FIELDS, "expansions": EXPANSIONS,
                  "media.fields": MEDIA_FIELDS, "user.fields": "username,name"}
        if cursor:
            params["pagination_token"] = cursor
        if since_id:
            params["since_id"] = since_id
        data = self._get(f"/2/users/{user_id}/tweets", params)
        if "data" not in data and data.get("errors"):
            raise _problem(data["errors"], "lini masa tidak dapat dibaca")
        if "data" in data and not isinstance(data["data"], list):
            raise MalformedPayload(repr(data)[:2000], "data lini masa X bukan larik")
        return split_response(data), (data.get("meta") or {}).get("next_token")

    def fetch(self, account: AccountRef) -> Iterator[Page]:
        if not account.platform_user_id:
            account.platform_user_id = self.resolve(account)
        user_id = account.platform_user_id
        state = CursorState.load(account.cursor)
        since = state.hw.lstrip("0") if state.hw else None  # ask X for newer posts only: saves reads
        yield from walk_newest_first(
            state, lambda cursor: self._page(user_id, cursor, since),
            key=lambda item: id_key(str(item["data"]["id"])),
            to_records=lambda items: [map_item(i) for i in items], max_pages=self.max_pages)
        if self.recheck and account.recent_post_ids:
            yield self._recheck(account)

    def _recheck(self, account: AccountRef) -> Page:
        ids = account.recent_post_ids[: min(self.recheck, 100)]
        data = self._get("/2/tweets", {"ids": ",".join(ids), "tweet.fields": TWEET_FIELDS,
                                      "expansions": EXPANSIONS, "media.fields": MEDIA_FIELDS,
                                      "user.fields": "username,name"})
        items = split_response(data)
        present = {str(i["data"]["id"]) for i in items}
        missing = [e.get("resource_id") or e.get("value") for e in data.get("errors") or []
                   if str(e.get("type", "")).endswith("/resource-not-found")]
        return Page(records=[map_item(i) for i in items], cursor=None,
                    deleted_ids=[m for m in missing if m and m not in present])

    # --- campaign-side interactions (X exposes reposters; likes are hidden since 2024) -----------

    def _users(self, path: str) -> Iterator[dict]:
        token = None
        for _ in range(self.follower_pages):
            params = {"max_results": 100, "user.fields": "username"}
            if token:
                params["pagination_token"] = token
            data = self._get(path, params)
            yield from data.get("data") or []
            token = (data.get("meta") or {}).get("next_token")
            if not token:
                return

    def interactions(self, campaign: CampaignRef, match: Matcher) -> Iterator[Interaction]:
        if not campaign.platform_user_id:
            campaign.platform_user_id = self.resolve(AccountRef(campaign.id, PLATFORM, campaign.handle))
        data = self._get(f"/2/users/{campaign.platform_user_id}/tweets",
                         {"max_results": self.campaign_posts, "exclude": "replies,retweets"})
        if "data" not in data and data.get("errors"):
            raise _problem(data["errors"], "lini masa akun kampanye tidak dapat dibaca")
        for tweet in data.get("data") or []:
            tid = str(tweet["id"])
            url = f"https://x.com/{campaign.handle}/status/{tid}"
            for user in self._users(f"/2/tweets/{tid}/retweeted_by"):
                if (account_id := match([user.get("id"), str(user.get("username", "")).lower()])):
                    yield Interaction(account_id, "repost", user, tid, url)
        try:
            for user in self._users(f"/2/users/{campaign.platform_user_id}/followers"):
                if (account_id := match([user.get("id"), str(user.get("username", "")).lower()])):
                    yield Interaction(account_id, "follow", user, "", f"https://x.com/{campaign.handle}")
        except PlatformError as exc:
            if exc.status != 403 or isinstance(exc, BudgetExhausted):
                raise  # followers need a higher access tier: without it we simply cannot see follows


def factory(settings: dict, client: httpx.Client) -> XSource:
    limit = int(settings.get("x_monthly_post_reads", 0) or 0)
    return XSource(
        make_http(settings, client, PLATFORM, reset=reset),
        base_url=settings.get("x_base_url", "https://api.x.com"),
        token=settings.get("x_bearer_token") or "",
        reads=Budget("x_post_reads", limit, period="month") if limit else None,
        page_size=int(settings.get("collect_page_size", 100)),
        max_pages=int(settings.get("collect_max_pages", 20)) or None,
        recheck=int(settings.get("recheck_posts", 20)),
        campaign_posts=int(settings.get("campaign_recent_posts", 20)),
        follower_pages=int(settings.get("campaign_follower_pages", 5)),
    )


__all__ = ["XSource", "factory", "map_item", "reset", "split_response"]
