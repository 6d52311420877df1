"""TikTok videos and photo posts (``tiktok.com``) and their comments (``tiktok-comments``) as
the web app sends them, captured by Zeeschuimer.

A video: ``id``, ``desc``, ``author.uniqueId`` (older captures: ``author`` as a string),
``createTime``, ``stickersOnItem[].stickerText`` (text drawn on the video, often the partisan
part), ``music``, ``stats``, ``imagePost.images`` (photo carousels), ``isAd``. A comment:
``cid``, ``text``, ``user.unique_id``, ``aweme_id`` (the video), ``create_time``.
"""

from __future__ import annotations

from .captured import CaptureMeta, Comment, PostRecord, SkipItem, dig, epoch_utc, handle_from_url, lower_handle

PLATFORM = "tiktok"


def _author(data: dict) -> str:
    author = data.get("author")
    return lower_handle(author.get("uniqueId") if isinstance(author, dict) else author)


def map_item(data: dict, meta: CaptureMeta | None = None) -> PostRecord:
    if data.get("isAd") or data.get("is_ad") or data.get("adAuthorization") is True:
        raise SkipItem("ad", "iklan TikTok")
    if data.get("privateItem") and not data.get("desc") and not data.get("author"):
        raise SkipItem("deleted", "video TikTok sudah dihapus atau privat")
    vid, author = str(data.get("id") or ""), _author(data)
    if not vid or not author:
        raise ValueError("video TikTok tanpa 'id' atau 'author.uniqueId'")
    stickers = [t for s in data.get("stickersOnItem") or [] for t in s.get("stickerText") or []]
    text = "\n".join([str(data.get("desc") or ""), *stickers]).strip()
    media = [u for u in (dig(i, "imageURL", "urlList", 0) for i in dig(data, "imagePost", "images") or []) if u]
    if not media:
        cover = dig(data, "video", "cover") or dig(data, "video", "originCover")
        media = [cover] if cover else []
    return PostRecord(platform=PLATFORM, post_id=vid, text=text, raw=data,
                      url=f"https://www.tiktok.com/@{author}/video/{vid}", created_at=epoch_utc(data.get("createTime")),
                      account_handle=author, media=media)


def map_comment(data: dict, meta: CaptureMeta | None = None) -> Comment:
    """A ``tiktok-comments`` item; the video's author comes from the page it was captured on."""
    cid, author = str(data.get("cid") or ""), lower_handle(dig(data, "user", "unique_id"))
    video = str(data.get("aweme_id") or "")
    if not cid or not author or not video:
        raise ValueError("komentar TikTok tanpa 'cid', 'user.unique_id' atau 'aweme_id'")
    page = meta.source_platform_url if meta else None
    owner = handle_from_url(page) if page and f"/video/{video}" in page else None
    return Comment(platform=PLATFORM, comment_id=f"c{cid}", author=author, text=str(data.get("text") or ""),
                   raw=data, target_post_id=video, target_author=owner,
                   target_url=f"https://www.tiktok.com/@{owner}/video/{video}" if owner else page,
                   created_at=epoch_utc(data.get("create_time")))
