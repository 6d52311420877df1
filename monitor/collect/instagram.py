"""Instagram posts and reels as the web app sends them to the page (captured by Zeeschuimer).

Three shapes arrive: the current web app's media item (``code``, ``caption.text``,
``user.username``, ``taken_at``, ``carousel_media``, ``image_versions2``/``video_versions``),
the older GraphQL media node (``shortcode``, ``edge_media_to_caption``, ``owner``,
``taken_at_timestamp``, ``edge_sidecar_to_children``), and a comment (``pk``, ``text``,
``user``, ``media_id``) from a post's comment list. Sponsored items are skipped and counted.
"""

from __future__ import annotations

import re

from .captured import CaptureMeta, Comment, PostRecord, SkipItem, dig, epoch_utc, handle_from_url, lower_handle

PLATFORM = "instagram"
_HASHTAG = re.compile(r"#(\w+)")


def _is_ad(data: dict) -> bool:
    return bool(data.get("product_type") == "ad" or data.get("ad_id") or data.get("is_sponsored")
                or dig(data, "injected", "label") or data.get("ad_action") or data.get("link") and data.get("ad_header_style"))


def _best_image(node: dict) -> str | None:
    candidates = dig(node, "image_versions2", "candidates") or []
    if candidates:
        best = max(candidates, key=lambda c: (c.get("width") or 0) * (c.get("height") or 0))
        return best.get("url")
    return node.get("display_url")


def _media_of(node: dict) -> list[str]:
    videos = node.get("video_versions") or []
    if videos:
        return [videos[0].get("url")] if videos[0].get("url") else []
    if node.get("is_video") and node.get("video_url"):
        return [node["video_url"]]
    image = _best_image(node)
    return [image] if image else []


def map_item(data: dict, meta: CaptureMeta | None = None) -> PostRecord | Comment:
    if _is_ad(data):
        raise SkipItem("ad", "iklan/bersponsor")
    if "shortcode" in data or "edge_media_to_caption" in data:
        return _map_graph(data)
    if "media_id" in data and "text" in data and "code" not in data:
        return _map_comment(data, meta)
    code = data.get("code")
    author = lower_handle(dig(data, "user", "username") or dig(data, "owner", "username"))
    if not code or not author:
        raise ValueError("kiriman Instagram tanpa 'code' atau 'user.username'")
    caption = dig(data, "caption", "text") or ""
    media: list[str] = []
    for child in data.get("carousel_media") or [data]:
        media += _media_of(child)
    url = f"https://www.instagram.com/{'reel' if data.get('product_type') == 'clips' else 'p'}/{code}/"
    return PostRecord(platform=PLATFORM, post_id=str(code), text=caption, raw=data, url=url,
                      created_at=epoch_utc(data.get("taken_at")), account_handle=author,
                      media=[m for m in media if m])


def _map_graph(node: dict) -> PostRecord:
    code = node.get("shortcode")
    author = lower_handle(dig(node, "owner", "username"))
    if not code or not author:
        raise ValueError("kiriman Instagram (GraphQL) tanpa 'shortcode' atau 'owner.username'")
    caption = dig(node, "edge_media_to_caption", "edges", 0, "node", "text") or ""
    children = [e.get("node") or {} for e in dig(node, "edge_sidecar_to_children", "edges") or []] or [node]
    media = [m for child in children for m in _media_of(child) if m]
    return PostRecord(platform=PLATFORM, post_id=str(code), text=caption, raw=node,
                      url=f"https://www.instagram.com/p/{code}/", created_at=epoch_utc(node.get("taken_at_timestamp")),
                      account_handle=author, media=media)


def _map_comment(data: dict, meta: CaptureMeta | None) -> Comment:
    author = lower_handle(dig(data, "user", "username"))
    cid = str(data.get("pk") or data.get("id") or "")
    if not author or not cid:
        raise ValueError("komentar Instagram tanpa 'pk' atau 'user.username'")
    page = meta.source_platform_url if meta else None
    return Comment(platform=PLATFORM, comment_id=f"c{cid}", author=author, text=str(data.get("text") or ""),
                   raw=data, target_post_id=str(data.get("media_id")), target_author=_page_owner(data, page),
                   target_url=page, created_at=epoch_utc(data.get("created_at")))


def _page_owner(data: dict, page: str | None) -> str | None:
    owner = dig(data, "media_owner", "username") or dig(data, "parent_media_owner", "username")
    if owner:
        return lower_handle(owner)
    handle = handle_from_url(page)
    return None if handle in (None, "p", "reel", "reels") else handle


def hashtags(record: PostRecord) -> list[str]:
    """Hashtags in a caption, lower-cased (the registry's hashtag rules match on these)."""
    return [t.lower() for t in _HASHTAG.findall(record.text)]


def user_tags(data: dict) -> list[str]:
    """Handles tagged in the media (``usertags.in``), for the reviewer's context."""
    return [lower_handle(dig(t, "user", "username")) for t in dig(data, "usertags", "in") or []]
