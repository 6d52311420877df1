"""Threads posts as the web app receives them (captured by Zeeschuimer as ``threads.net``).

A post: ``pk``/``id``, ``code`` (in the URL), ``caption.text``, ``user.username``, ``taken_at``,
``carousel_media`` / ``image_versions2`` / ``video_versions``, and ``text_post_app_info``:
``reply_to_author`` for a reply, ``share_info.reposted_post`` / ``quoted_post`` for a repost or
quote. A Threads username is its owner's Instagram username.
"""

from __future__ import annotations

from .captured import CaptureMeta, Comment, PostRecord, SkipItem, dig, epoch_utc, lower_handle
from .instagram import _media_of

PLATFORM = "threads"


def map_item(data: dict, meta: CaptureMeta | None = None) -> PostRecord | Comment:
    post = data.get("post") if isinstance(data.get("post"), dict) else data
    if post.get("ad_id") or post.get("is_ad"):
        raise SkipItem("ad", "iklan Threads")
    code, author = str(post.get("code") or ""), lower_handle(dig(post, "user", "username"))
    if not code or not author:
        raise ValueError("kiriman Threads tanpa 'code' atau 'user.username'")
    info = post.get("text_post_app_info") or {}
    text = str(dig(post, "caption", "text") or "")
    media = [m for child in post.get("carousel_media") or [post] for m in _media_of(child) if m]
    url = f"https://www.threads.net/@{author}/post/{code}"
    created = epoch_utc(post.get("taken_at"))
    reply_to = lower_handle(dig(info, "reply_to_author", "username"))
    if reply_to:
        return Comment(platform=PLATFORM, comment_id=code, author=author, text=text, raw=data,
                       target_post_id=str(info.get("reply_to_id") or dig(info, "reply_to_post", "code") or ""),
                       target_author=reply_to, target_url=f"https://www.threads.net/@{reply_to}",
                       created_at=created, media=media, url=url)
    shared = dig(info, "share_info", "reposted_post") or dig(info, "share_info", "quoted_post")
    kind = "post"
    original = None
    if shared:
        kind = "repost" if dig(info, "share_info", "reposted_post") else "quote"
        original = lower_handle(dig(shared, "user", "username")) or None
        if kind == "repost" and not text:
            text = str(dig(shared, "caption", "text") or "")
    return PostRecord(platform=PLATFORM, post_id=code, text=text, raw=data, url=url, created_at=created,
                      kind=kind, original_author=original, account_handle=author, media=media)
