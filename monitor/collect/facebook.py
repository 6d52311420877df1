"""Facebook posts in the web app's ``comet_sections`` story shape (Zeeschuimer's Facebook module).

A story: ``post_id``, ``comet_sections.content.story`` with ``wwwURL``, ``message.text``,
``actors`` (the author: a person or a page, ``url`` and ``id``) and attachments; the time sits
in ``comet_sections.context_layout...metadata[].story.creation_time`` (or ``timestamp``). A post
in a group carries the group (``target_group`` or a ``/groups/`` URL). Sponsored stories are
skipped. A comment (``__typename: "Comment"``: ``legacy_fbid``/``id``, ``body.text``,
``author`` with ``url``/``id``, ``created_time``) is tied to the post whose page it was captured
on (``source_platform_url``: ``/<page>/posts/<id>`` or ``permalink.php?story_fbid=&id=``).
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

from .captured import CaptureMeta, Comment, PostRecord, SkipItem, dig, epoch_utc, lower_handle

PLATFORM = "facebook"


def actor_handle(actor: dict) -> str:
    """The registry handle of a Facebook actor: the vanity name in its URL, else the numeric id."""
    url = actor.get("url") or actor.get("profile_url") or ""
    parsed = urlparse(url)
    parts = [p for p in parsed.path.split("/") if p]
    if parts and parts[0] == "profile.php":
        return lower_handle((parse_qs(parsed.query).get("id") or [actor.get("id")])[0])
    if parts and parts[0] not in ("groups", "people"):
        return lower_handle(parts[0])
    return lower_handle(actor.get("id"))


def _creation_time(data: dict) -> str | None:
    sections = data.get("comet_sections") or {}
    for meta in dig(sections, "context_layout", "story", "comet_sections", "metadata") or []:
        stamp = dig(meta, "story", "creation_time")
        if stamp:
            return epoch_utc(stamp)
    return epoch_utc(dig(sections, "timestamp", "story", "creation_time") or data.get("creation_time"))


def group_of(story: dict) -> str | None:
    """The group a post was made in, if any (name, or the id from the URL)."""
    group = story.get("target_group") or (story.get("to") if dig(story, "to", "__typename") == "Group" else None)
    if group:
        return group.get("name") or group.get("id")
    url = story.get("wwwURL") or ""
    parts = [p for p in urlparse(url).path.split("/") if p]
    return parts[1] if len(parts) > 1 and parts[0] == "groups" else None


def _page_post(page: str | None) -> tuple[str | None, str]:
    """(author handle, post id) of the post page a comment was captured on."""
    if not page:
        return None, ""
    parsed = urlparse(page)
    parts = [p for p in parsed.path.split("/") if p]
    query = parse_qs(parsed.query)
    if parts[:1] == ["permalink.php"]:
        return lower_handle((query.get("id") or [""])[0]) or None, (query.get("story_fbid") or [""])[0]
    if len(parts) >= 3 and parts[1] == "posts":
        return lower_handle(parts[0]), parts[2]
    return None, ""


def map_comment(data: dict, meta: CaptureMeta | None) -> Comment:
    cid = str(data.get("legacy_fbid") or data.get("id") or "")
    author = actor_handle(data.get("author") or {})
    if not cid or not author:
        raise ValueError("komentar Facebook tanpa id atau penulis")
    page = meta.source_platform_url if meta else None
    owner, post = _page_post(page)
    return Comment(platform=PLATFORM, comment_id=f"c{cid}", author=author, text=str(dig(data, "body", "text") or ""),
                   raw=data, target_post_id=post, target_author=owner, target_url=page,
                   created_at=epoch_utc(data.get("created_time")))


def map_item(data: dict, meta: CaptureMeta | None = None) -> PostRecord | Comment:
    if data.get("__typename") == "Comment":
        return map_comment(data, meta)
    if data.get("sponsored_data") or dig(data, "comet_sections", "content", "story", "sponsored_data"):
        raise SkipItem("ad", "kiriman bersponsor Facebook")
    story = dig(data, "comet_sections", "content", "story") or {}
    post_id = str(data.get("post_id") or story.get("post_id") or "")
    actors = story.get("actors") or data.get("actors") or []
    author = actor_handle(actors[0]) if actors else ""
    if not post_id or not author:
        raise ValueError("kiriman Facebook tanpa 'post_id' atau penulis (actors)")
    media = []
    for attachment in story.get("attachments") or []:
        uri = dig(attachment, "styles", "attachment", "media", "photo_image", "uri") or \
            dig(attachment, "styles", "attachment", "media", "image", "uri")
        if uri:
            media.append(uri)
    shared = story.get("attached_story")
    return PostRecord(platform=PLATFORM, post_id=post_id, text=str(dig(story, "message", "text") or ""), raw=data,
                      url=story.get("wwwURL") or None, created_at=_creation_time(data),
                      kind="repost" if shared else "post", account_handle=author, media=media,
                      original_author=actor_handle((shared.get("actors") or [{}])[0]) or None if shared else None)
