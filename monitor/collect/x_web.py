"""Tweets as the X web app receives them (GraphQL ``rest_id``/``legacy`` objects), captured by
Zeeschuimer as ``twitter.com`` or ``x.com``.

Not the API v2 shape of ``x.py``: here a tweet is ``{"__typename": "Tweet", "rest_id",
"core": {"user_results": {"result": ...}}, "legacy": {"full_text", "created_at", ...}}``, a
visibility wrapper holds it under ``tweet``, retweets nest the original under
``legacy.retweeted_status_result.result``, quotes under ``quoted_status_result.result``, long
posts keep their text in ``note_tweet``. Promoted tweets are skipped; tombstones are deleted.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from .captured import CaptureMeta, Comment, PostRecord, SkipItem, dig, lower_handle

PLATFORM = "x"


def _unwrap(node: Any) -> dict:
    while isinstance(node, dict) and node.get("__typename") == "TweetWithVisibilityResults":
        node = node.get("tweet")
    return node if isinstance(node, dict) else {}


def _screen_name(tweet: dict) -> str:
    user = dig(tweet, "core", "user_results", "result") or {}
    return lower_handle(dig(user, "core", "screen_name") or dig(user, "legacy", "screen_name"))


def _text(tweet: dict) -> str:
    return str(dig(tweet, "note_tweet", "note_tweet_results", "result", "text")
               or dig(tweet, "legacy", "full_text") or "")


def _time(text: str | None) -> str | None:
    if not text:
        return None
    try:
        moment = datetime.strptime(text, "%a %b %d %H:%M:%S %z %Y")
    except ValueError:
        return None
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _media(tweet: dict) -> list[str]:
    items = dig(tweet, "legacy", "extended_entities", "media") or dig(tweet, "legacy", "entities", "media") or []
    return [m["media_url_https"] for m in items if m.get("media_url_https")]


def map_item(data: dict, meta: CaptureMeta | None = None) -> PostRecord | Comment:
    if data.get("promotedMetadata") or data.get("__typename") == "TweetPromoted":
        raise SkipItem("ad", "tweet berpromosi")
    tweet = _unwrap(data)
    if data.get("__typename") == "TweetTombstone" or tweet.get("__typename") == "TweetTombstone":
        raise SkipItem("deleted", "tweet sudah dihapus atau tidak tersedia")
    tid, author = str(tweet.get("rest_id") or ""), _screen_name(tweet)
    if not tid or not author:
        raise ValueError("tweet tanpa 'rest_id' atau nama akun")
    legacy = tweet.get("legacy") or {}
    url = f"https://x.com/{author}/status/{tid}"
    retweeted = _unwrap(dig(legacy, "retweeted_status_result", "result"))
    if retweeted:
        original = _screen_name(retweeted)
        return PostRecord(platform=PLATFORM, post_id=tid, text=_text(retweeted), raw=data, url=url,
                          created_at=_time(legacy.get("created_at")), kind="repost", original_author=original or None,
                          account_handle=author, media=_media(retweeted))
    if legacy.get("in_reply_to_status_id_str"):
        target_author = lower_handle(legacy.get("in_reply_to_screen_name")) or None
        target = str(legacy["in_reply_to_status_id_str"])
        return Comment(platform=PLATFORM, comment_id=tid, author=author, text=_text(tweet), raw=data,
                       target_post_id=target, target_author=target_author,
                       target_url=f"https://x.com/{target_author}/status/{target}" if target_author else None,
                       created_at=_time(legacy.get("created_at")), media=_media(tweet), url=url)
    quoted = _unwrap(dig(tweet, "quoted_status_result", "result"))
    kind = "quote" if quoted or legacy.get("is_quote_status") else "post"
    return PostRecord(platform=PLATFORM, post_id=tid, text=_text(tweet), raw=data, url=url,
                      created_at=_time(legacy.get("created_at")), kind=kind,
                      original_author=_screen_name(quoted) or None if quoted else None,
                      account_handle=author, media=_media(tweet))
