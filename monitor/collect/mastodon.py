"""Mastodon (any server) through its public REST API.

Handles are ``user@server``; the account's own server is asked (``accounts/lookup`` only knows
accounts the server has seen). Statuses page newest first through the ``Link`` header's
``rel="next"`` (we keep only its ``max_id`` so a configured proxy base URL keeps working). IDs
are opaque strings: they are compared zero-padded, never cast. A suspended or deleted account
answers ``200 []`` for its statuses, so an empty first page triggers an account check.
``noindex: true`` is the user's opt-out from indexing and is honoured as ``opted_out``.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from typing import Any, Iterator
from urllib.parse import parse_qs, urlparse

import httpx

from .base import (
    AccountRef, AccountUnavailable, CampaignRef, CursorState, Interaction, MalformedPayload, Matcher, Page,
    PlatformError, PostRecord, id_key, to_utc, walk_newest_first,
)
from .http import Http, iso_header, make_http, parse_json
from .textparts import join_parts, poll_text

PLATFORM = "mastodon"
MAX_LIMIT = 40
RESET = iso_header("x-ratelimit-reset")


# --- pure mapping --------------------------------------------------------------------------------

class _Text(HTMLParser):
    """Sanitised status HTML to plain text: paragraphs and <br> become line breaks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "br":
            self.parts.append("\n")
        elif tag == "p" and self.parts:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_to_text(content: str | None) -> str:
    if not content:
        return ""
    parser = _Text()
    parser.feed(content)
    parser.close()
    return re.sub(r"[ \t]+\n", "\n", html.unescape("".join(parser.parts))).strip()


def qualified_acct(account: dict, instance: str | None) -> str:
    """``user@server`` for an account; local accounts carry only ``user`` in ``acct``."""
    acct = str(account.get("acct") or account.get("username") or "").lower()
    if "@" in acct or not instance:
        return acct
    return f"{acct}@{instance}"


def _instance_of(status: dict) -> str | None:
    url = (status.get("account") or {}).get("url") or status.get("uri") or ""
    return urlparse(url).hostname


def map_item(raw: dict) -> PostRecord:
    """One Mastodon Status to a PostRecord (boost -> repost, reply, quote; CW kept in the text)."""
    if not isinstance(raw, dict) or not raw.get("id"):
        raise MalformedPayload(repr(raw)[:2000], "status Mastodon tanpa id")
    instance = _instance_of(raw)
    reblog = raw.get("reblog")
    source = reblog if isinstance(reblog, dict) else raw
    text = html_to_text(source.get("content"))
    if source.get("spoiler_text"):
        text = f"{source['spoiler_text']}\n\n{text}".strip()
    poll = source.get("poll") if isinstance(source.get("poll"), dict) else {}
    text = join_parts(text, poll_text(o.get("title") for o in poll.get("options") or [] if isinstance(o, dict)))
    media = [m.get("url") or m.get("remote_url") for m in source.get("media_attachments") or []
             if m.get("url") or m.get("remote_url")]
    kind, original = "post", None
    quote = raw.get("quote") if isinstance(raw.get("quote"), dict) else None
    quoted = quote.get("quoted_status") if quote else None
    if isinstance(reblog, dict):
        kind, original = "repost", qualified_acct(reblog.get("account") or {}, _instance_of(reblog))
    elif isinstance(quoted, dict):
        # a reply that also quotes is recorded as the quote (the graver act); in_reply_to_id stays in raw
        kind, original = "quote", qualified_acct(quoted.get("account") or {}, _instance_of(quoted))
    elif quote and quote.get("state") in ("pending", "accepted", "unauthorized", "deleted", None):
        # a quote whose post we may not see; a revoked or rejected one is no quote any more
        kind, original = "quote", "(tidak tersedia)"
    if kind == "post" and raw.get("in_reply_to_id"):
        kind = "reply"
    return PostRecord(
        platform=PLATFORM, post_id=str(raw["id"]), text=text, raw=raw,
        url=source.get("url") or source.get("uri"), created_at=to_utc(raw.get("created_at")),
        kind=kind, original_author=original, lang=source.get("language") or None, media=media,
        account_handle=qualified_acct(raw.get("account") or {}, instance),
    )


def next_max_id(link_header: str | None) -> str | None:
    """``max_id`` of the ``rel="next"`` link, or None at the end."""
    for part in (link_header or "").split(","):
        match = re.search(r'<([^>]+)>\s*;\s*rel="?next"?', part)
        if match:
            values = parse_qs(urlparse(match.group(1)).query).get("max_id")
            return values[0] if values else None
    return None


def split_handle(handle: str) -> tuple[str, str]:
    user, _, instance = handle.lstrip("@").partition("@")
    if not user or not instance:
        raise ValueError(f"akun Mastodon {handle!r} harus berbentuk pengguna@server")
    return user, instance


# --- the source ----------------------------------------------------------------------------------

class MastodonSource:
    platform = PLATFORM

    def __init__(self, http: Http, *, base_url: str = "https://{instance}", page_size: int = 40,
                 max_pages: int | None = 20, recheck: int = 20, campaign_posts: int = 20,
                 follower_pages: int = 5) -> None:
        self.http = http
        self.base_template = base_url.rstrip("/")
        self.page_size = max(1, min(MAX_LIMIT, page_size))
        self.max_pages = max_pages
        self.recheck = recheck
        self.campaign_posts = max(1, min(MAX_LIMIT, campaign_posts))
        self.follower_pages = follower_pages

    def base(self, handle: str) -> str:
        return self.base_template.replace("{instance}", split_handle(handle)[1])

    def _get(self, handle: str, path: str, params: dict | None = None) -> tuple[Any, httpx.Response]:
        response = self.http.get(f"{self.base(handle)}{path}", params=params)
        if response.status_code == 200:
            return parse_json(response), response
        try:
            body = parse_json(response)
        except MalformedPayload:
            body = {}
        message = body.get("error", "") if isinstance(body, dict) else ""
        if response.status_code in (404, 410):
            raise AccountUnavailable("not_found", message or "tidak ditemukan")
        if response.status_code == 401:
            raise PlatformError(f"mastodon {split_handle(handle)[1]}: server menolak akses anonim ({message}); "
                                "atur mastodon_token", status=401, body=response.content)
        raise PlatformError(f"mastodon {path}: HTTP {response.status_code} {message}".strip(),
                            status=response.status_code, body=response.content)

    @staticmethod
    def _check_account(data: Any) -> str:
        if not isinstance(data, dict) or not data.get("id"):
            raise MalformedPayload(repr(data)[:2000], "akun Mastodon tanpa id")
        if data.get("suspended"):
            raise AccountUnavailable("suspended", "akun ditangguhkan oleh server")
        if data.get("noindex") is True:
            raise AccountUnavailable("opted_out", "pengguna memilih noindex (tidak ingin diindeks)")
        return str(data["id"])

    def resolve(self, account: AccountRef) -> str | None:
        user, _ = split_handle(account.handle)
        data, _ = self._get(account.handle, "/api/v1/accounts/lookup", {"acct": user})
        return self._check_account(data)

    def _page(self, account: AccountRef, max_id: str | None) -> tuple[list, str | None]:
        params = {"limit": self.page_size}
        if max_id:
            params["max_id"] = max_id
        data, response = self._get(account.handle, f"/api/v1/accounts/{account.platform_user_id}/statuses", params)
        if not isinstance(data, list):
            raise MalformedPayload(response.content, "daftar status Mastodon bukan larik JSON")
        if not data and max_id is None:
            # 200 [] is also what a suspended or deleted account gives: look at the account.
            info, _ = self._get(account.handle, f"/api/v1/accounts/{account.platform_user_id}")
            self._check_account(info)
        return data, next_max_id(response.headers.get("link")) if data else None

    def fetch(self, account: AccountRef) -> Iterator[Page]:
        if not account.platform_user_id:
            account.platform_user_id = self.resolve(account)
        state = CursorState.load(account.cursor)
        yield from walk_newest_first(
            state, lambda cursor: self._page(account, cursor), key=lambda s: id_key(str(s.get("id", ""))),
            to_records=lambda items: [map_item(i) for i in items], max_pages=self.max_pages)
        if self.recheck and account.recent_post_ids:
            yield self._recheck(account)

    def _recheck(self, account: AccountRef) -> Page:
        records, deleted = [], []
        for status_id in account.recent_post_ids[: self.recheck]:
            try:
                data, _ = self._get(account.handle, f"/api/v1/statuses/{status_id}")
            except AccountUnavailable:
                deleted.append(status_id)
                continue
            records.append(map_item(data))
        return Page(records=records, cursor=None, deleted_ids=deleted)

    # --- campaign-side interactions ------------------------------------------------------------

    def _paged(self, handle: str, path: str, *, max_pages: int) -> Iterator[dict]:
        max_id = None
        for _ in range(max_pages):
            data, response = self._get(handle, path, {"limit": 80, **({"max_id": max_id} if max_id else {})})
            if not isinstance(data, list):
                raise MalformedPayload(response.content, f"{path}: bukan larik JSON")
            yield from data
            max_id = next_max_id(response.headers.get("link"))
            if not max_id or not data:
                return

    def interactions(self, campaign: CampaignRef, match: Matcher) -> Iterator[Interaction]:
        _, instance = split_handle(campaign.handle)
        if not campaign.platform_user_id:
            campaign.platform_user_id = self.resolve(AccountRef(campaign.id, PLATFORM, campaign.handle))
        statuses, _ = self._get(campaign.handle, f"/api/v1/accounts/{campaign.platform_user_id}/statuses",
                                {"limit": self.campaign_posts, "exclude_replies": "true", "exclude_reblogs": "true"})

        def who(acct: dict) -> int | None:
            return match([qualified_acct(acct, instance), acct.get("url")])

        for status in statuses if isinstance(statuses, list) else []:
            sid, url = str(status.get("id")), status.get("url") or status.get("uri")
            for acct in self._paged(campaign.handle, f"/api/v1/statuses/{sid}/favourited_by",
                                    max_pages=self.follower_pages):
                if (account_id := who(acct)):
                    yield Interaction(account_id, "like", acct, sid, url)
            for acct in self._paged(campaign.handle, f"/api/v1/statuses/{sid}/reblogged_by",
                                    max_pages=self.follower_pages):
                if (account_id := who(acct)):
                    yield Interaction(account_id, "repost", acct, sid, url)
            if status.get("replies_count", 1):
                context, _ = self._get(campaign.handle, f"/api/v1/statuses/{sid}/context")
                for reply in (context or {}).get("descendants") or []:
                    if (account_id := who(reply.get("account") or {})):
                        yield Interaction(account_id, "reply", reply, sid, url)
        for acct in self._paged(campaign.handle, f"/api/v1/accounts/{campaign.platform_user_id}/followers",
                                max_pages=self.follower_pages):
            if (account_id := who(acct)):
                yield Interaction(account_id, "follow", acct, "", None)


def factory(settings: dict, client: httpx.Client) -> MastodonSource:
    token = settings.get("mastodon_token") or ""
    return MastodonSource(
        make_http(settings, client, PLATFORM, reset=RESET,
                  headers={"Authorization": f"Bearer {token}"} if token else None),
        base_url=settings.get("mastodon_base_url", "https://{instance}"),
        page_size=int(settings.get("collect_page_size", 40)),
        max_pages=int(settings.get("collect_max_pages", 20)) or None,
        recheck=int(settings.get("recheck_posts", 20)),
        campaign_posts=int(settings.get("campaign_recent_posts", 20)),
        follower_pages=int(settings.get("campaign_follower_pages", 5)),
    )


__all__ = ["MastodonSource", "factory", "html_to_text", "map_item", "next_max_id"]
