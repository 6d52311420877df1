"""Local fake servers for YouTube (Data API v3 + channel feed), Telegram previews and RSS/Atom.

Each is a real HTTP server on 127.0.0.1 in a thread, serving payloads shaped like the real
thing (``shared/docs/platform-apis.md`` §4–6). Tests queue faults per path (status codes with
headers, invalid or truncated bodies, slow answers that time out, dropped connections) that are
served before the normal answer.
"""

from __future__ import annotations

import base64
import json
import threading
import time
from dataclasses import dataclass, field
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable
from urllib.parse import parse_qs, urlparse


@dataclass
class Reply:
    status: int = 200
    body: bytes | str = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0          # seconds before answering (longer than the client timeout = a timeout)
    drop: bool = False          # close the connection without answering
    passthrough: bool = False   # answer normally (lets a fault queue start after some requests)

    def data(self) -> bytes:
        return self.body.encode("utf-8") if isinstance(self.body, str) else self.body


class FakeServer:
    """A threaded HTTP server; subclasses implement :meth:`route`."""

    def __init__(self) -> None:
        self.faults: dict[str, list[Reply]] = {}
        self.requests: list[tuple[str, dict[str, list[str]], dict[str, str]]] = []
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:  # keep test output clean
                pass

            def do_GET(self) -> None:  # noqa: N802
                parsed = urlparse(self.path)
                query = parse_qs(parsed.query)
                with server.lock:
                    server.requests.append((parsed.path, query, dict(self.headers)))
                    queue = server.faults.get(parsed.path)
                    reply = queue.pop(0) if queue else None
                if reply is None or reply.passthrough:
                    reply = server.route(parsed.path, query, dict(self.headers))
                if reply.delay:
                    time.sleep(reply.delay)
                if reply.drop:
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return
                data = reply.data()
                self.send_response(reply.status)
                headers = {"Content-Length": str(len(data)), **reply.headers}
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def fault(self, path: str, *replies: Reply) -> None:
        with self.lock:
            self.faults.setdefault(path, []).extend(replies)

    def paths(self) -> list[str]:
        return [p for p, _, _ in self.requests]

    def route(self, path: str, query: dict[str, list[str]], headers: dict[str, str]) -> Reply:
        raise NotImplementedError

    def __enter__(self) -> "FakeServer":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Reply:
    return Reply(status, json.dumps(data, ensure_ascii=False),
                 {"Content-Type": "application/json; charset=UTF-8", **(headers or {})})


def _google_error(code: int, reason: str, message: str, domain: str = "youtube.api") -> Reply:
    return _json({"error": {"code": code, "message": message,
                            "errors": [{"message": message, "domain": domain, "reason": reason}]}}, code)


# --- YouTube -------------------------------------------------------------------------------------

@dataclass
class Video:
    id: str
    title: str
    description: str
    published: str                 # "2026-03-02T03:00:00Z"
    privacy: str = "public"        # public | private | deleted
    lang: str | None = "id"
    comments: list[dict] = field(default_factory=list)  # {"author_id", "handle", "text", "replies": [...]}


@dataclass
class Channel:
    id: str
    handle: str
    title: str
    videos: list[Video] = field(default_factory=list)   # newest first, as the uploads playlist


class FakeYouTube(FakeServer):
    """Data API v3 at ``/youtube/v3`` (key required; quota counted per request, failures
    included) and the public site at ``/`` (channel pages, ``/feeds/videos.xml``)."""

    def __init__(self, key: str = "K", quota: int = 10_000) -> None:
        super().__init__()
        self.key = key
        self.quota = quota
        self.channels: dict[str, Channel] = {}

    @property
    def units(self) -> int:
        """Quota spent: every API request received, failed ones included (as Google counts)."""
        with self.lock:
            return sum(1 for path, _, _ in self.requests if path.startswith("/youtube/v3/"))

    def add(self, channel: Channel) -> Channel:
        self.channels[channel.id] = channel
        return channel

    def _by_handle(self, handle: str) -> Channel | None:
        wanted = "@" + handle.lstrip("@").lower()
        return next((c for c in self.channels.values() if c.handle.lower() == wanted), None)

    def _videos(self) -> dict[str, tuple[Channel, Video]]:
        return {v.id: (c, v) for c in self.channels.values() for v in c.videos}

    def route(self, path: str, query: dict[str, list[str]], headers: dict[str, str]) -> Reply:
        q = {k: v[0] for k, v in query.items()}
        if path.startswith("/youtube/v3/"):
            if self.units > self.quota:  # "All API requests, including invalid requests, incur a quota cost"
                return _google_error(403, "quotaExceeded", "The request cannot be completed because you have "
                                     'exceeded your <a href="/youtube/v3/getting-started#quota">quota</a>.',
                                     "youtube.quota")
            if q.get("key") != self.key:
                return _google_error(400, "badRequest", "API key not valid. Please pass a valid API key.",
                                     "global")
            return getattr(self, "_api_" + path.rsplit("/", 1)[-1], self._api_missing)(q)
        if path == "/feeds/videos.xml":
            return self._feed(q.get("channel_id", ""))
        if path.startswith("/@"):
            channel = self._by_handle(path[1:])
            if channel is None:
                return Reply(404, "<html><body>404 Not Found</body></html>", {"Content-Type": "text/html"})
            return Reply(200, f'<html><head><link rel="canonical" href="https://www.youtube.com/channel/{channel.id}">'
                              f"</head><body>{escape(channel.title)}</body></html>",
                         {"Content-Type": "text/html; charset=utf-8"})
        return Reply(404, "not found")

    def _api_missing(self, q: dict[str, str]) -> Reply:
        return _google_error(404, "notFound", "Not Found")

    def _api_channels(self, q: dict[str, str]) -> Reply:
        if "forHandle" in q:
            channel = self._by_handle(q["forHandle"])
        elif "id" in q:
            channel = self.channels.get(q["id"])
        else:
            return _google_error(400, "missingRequiredParameter", "No filter selected.")
        body: dict[str, Any] = {"kind": "youtube#channelListResponse", "etag": "Zx1Yw2Vu3Ts4Rq5Po6Nm7Lk8Jih",
                                "pageInfo": {"totalResults": 1 if channel else 0, "resultsPerPage": 5}}
        if channel:
            body["items"] = [{
                "kind": "youtube#channel", "etag": "Ab1Cd2Ef3Gh4Ij5Kl6Mn7Op8Qrs", "id": channel.id,
                "snippet": {"title": channel.title, "customUrl": channel.handle, "publishedAt": "2016-04-12T06:21:09Z"},
                "contentDetails": {"relatedPlaylists": {"likes": "", "uploads": "UU" + channel.id[2:]}},
            }]
        return _json(body)

    def _api_playlistItems(self, q: dict[str, str]) -> Reply:  # noqa: N802
        playlist = q.get("playlistId", "")
        channel = self.channels.get("UC" + playlist[2:]) if playlist.startswith("UU") else None
        if channel is None:
            return _google_error(404, "playlistNotFound", "The playlist identified with the request's "
                                 "<code>playlistId</code> parameter cannot be found.", "youtube.playlistItem")
        size = max(0, min(50, int(q.get("maxResults", 5))))
        start = int(base64.urlsafe_b64decode(q["pageToken"]).decode()[3:]) if q.get("pageToken") else 0
        chunk = channel.videos[start : start + size]
        items = []
        for position, video in enumerate(chunk, start=start):
            hidden = video.privacy != "public"
            snippet: dict[str, Any] = {
                "publishedAt": video.published, "channelId": channel.id,
                "title": {"private": "Private video", "deleted": "Deleted video"}.get(video.privacy, video.title),
                "description": {"private": "This video is private.", "deleted": "This video is unavailable."}.get(
                    video.privacy, video.description[:160]),
                "thumbnails": {} if hidden else {"high": {"url": f"https://i.ytimg.com/vi/{video.id}/hqdefault.jpg"}},
                "channelTitle": channel.title, "playlistId": playlist, "position": position,
                "resourceId": {"kind": "youtube#video", "videoId": video.id},
            }
            details: dict[str, Any] = {"videoId": video.id}
            if not hidden:
                snippet.update(videoOwnerChannelTitle=channel.title, videoOwnerChannelId=channel.id)
                details["videoPublishedAt"] = video.published
            items.append({"kind": "youtube#playlistItem", "etag": f"e{position}", "id": f"PLI{video.id}",
                          "snippet": snippet, "contentDetails": details,
                          "status": {"privacyStatus": "private" if hidden else "public"}})
        body: dict[str, Any] = {"kind": "youtube#playlistItemListResponse", "etag": "Qw1Er2Ty3Ui4Op5As6Df7Gh8Jkl",
                                "items": items, "pageInfo": {"totalResults": len(channel.videos), "resultsPerPage": size}}
        if start + size < len(channel.videos):
            body["nextPageToken"] = base64.urlsafe_b64encode(f"PT:{start + size}".encode()).decode()
        return _json(body)

    def _api_videos(self, q: dict[str, str]) -> Reply:
        known = self._videos()
        items = []
        for vid in [i for i in q.get("id", "").split(",") if i][:50]:
            found = known.get(vid)
            if not found or found[1].privacy != "public":
                continue  # private and deleted videos of other channels are simply absent
            channel, video = found
            snippet: dict[str, Any] = {"publishedAt": video.published, "channelId": channel.id, "title": video.title,
                                       "description": video.description, "channelTitle": channel.title}
            if video.lang:
                snippet["defaultLanguage"] = video.lang
            items.append({"kind": "youtube#video", "etag": "v", "id": video.id, "snippet": snippet,
                          "statistics": {"viewCount": "10"}, "status": {"privacyStatus": "public"}})
        return _json({"kind": "youtube#videoListResponse", "etag": "x", "items": items,
                      "pageInfo": {"totalResults": len(items), "resultsPerPage": len(items)}})

    def _api_commentThreads(self, q: dict[str, str]) -> Reply:  # noqa: N802
        found = self._videos().get(q.get("videoId", ""))
        if not found:
            return _google_error(404, "videoNotFound", "The video identified by the <code>videoId</code> "
                                 "parameter could not be found.", "youtube.commentThread")
        channel, video = found
        if video.comments == ["disabled"]:
            return _google_error(403, "commentsDisabled", "The video has disabled comments.", "youtube.commentThread")
        size = max(1, min(100, int(q.get("maxResults", 20))))
        start = int(q["pageToken"][1:]) if q.get("pageToken") else 0

        def comment(c: dict, cid: str, parent: str | None = None) -> dict:
            snippet = {"channelId": channel.id, "videoId": video.id, "textDisplay": c["text"],
                       "textOriginal": c["text"], "authorDisplayName": c["handle"],
                       "authorChannelUrl": f"http://www.youtube.com/{c['handle']}",
                       "authorChannelId": {"value": c["author_id"]}, "likeCount": 0,
                       "publishedAt": "2026-03-03T02:00:00Z", "updatedAt": "2026-03-03T02:00:00Z"}
            if parent:
                snippet["parentId"] = parent
            return {"kind": "youtube#comment", "etag": "c", "id": cid, "snippet": snippet}

        items = []
        for n, c in enumerate(video.comments[start : start + size], start=start):
            tid = f"Ugz{video.id}{n:04d}"
            thread = {"kind": "youtube#commentThread", "etag": "t", "id": tid,
                      "snippet": {"channelId": channel.id, "videoId": video.id,
                                  "topLevelComment": comment(c, tid), "totalReplyCount": len(c.get("replies", []))}}
            if c.get("replies"):
                thread["replies"] = {"comments": [comment(r, f"{tid}.{k}", tid) for k, r in enumerate(c["replies"])]}
            items.append(thread)
        body: dict[str, Any] = {"kind": "youtube#commentThreadListResponse", "etag": "ct", "items": items,
                                "pageInfo": {"totalResults": len(items), "resultsPerPage": size}}
        if start + size < len(video.comments):
            body["nextPageToken"] = f"C{start + size}"
        return _json(body)

    def _feed(self, channel_id: str) -> Reply:
        channel = self.channels.get(channel_id)
        if channel is None:
            return Reply(404, "<html><body>Error 404</body></html>", {"Content-Type": "text/html"})
        entries = []
        for video in [v for v in channel.videos if v.privacy == "public"][:15]:
            published = video.published.replace("Z", "+00:00")
            entries.append(f"""
 <entry>
  <id>yt:video:{video.id}</id>
  <yt:videoId>{video.id}</yt:videoId>
  <yt:channelId>{channel.id}</yt:channelId>
  <title>{escape(video.title)}</title>
  <link rel="alternate" href="https://www.youtube.com/watch?v={video.id}"/>
  <author><name>{escape(channel.title)}</name><uri>https://www.youtube.com/channel/{channel.id}</uri></author>
  <published>{published}</published>
  <updated>{published}</updated>
  <media:group>
   <media:title>{escape(video.title)}</media:title>
   <media:content url="https://www.youtube.com/v/{video.id}?version=3" type="application/x-shockwave-flash" width="640" height="390"/>
   <media:thumbnail url="https://i2.ytimg.com/vi/{video.id}/hqdefault.jpg" width="480" height="360"/>
   <media:description>{escape(video.description)}</media:description>
   <media:community><media:starRating count="1" average="5.00" min="1" max="5"/><media:statistics views="10"/></media:community>
  </media:group>
 </entry>""")
        body = f"""<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns:yt="http://www.youtube.com/xml/schemas/2015" xmlns:media="http://search.yahoo.com/mrss/" xmlns="http://www.w3.org/2005/Atom">
 <link rel="self" href="http://www.youtube.com/feeds/videos.xml?channel_id={channel.id}"/>
 <id>yt:channel:{channel.id[2:]}</id>
 <yt:channelId>{channel.id[2:]}</yt:channelId>
 <title>{escape(channel.title)}</title>
 <published>2016-04-12T06:21:09+00:00</published>{''.join(entries)}
</feed>"""
        return Reply(200, body, {"Content-Type": "text/xml; charset=UTF-8"})


# --- Telegram ------------------------------------------------------------------------------------

@dataclass
class Message:
    id: int
    text: str                       # HTML of the text block
    when: str                       # "2026-02-28T12:31:07+00:00"
    views: str = "1.2K"
    edited: bool = False
    forwarded: tuple[str, str | None] | None = None   # (name, url or None when hidden)
    album: int = 0                  # extra photos after the first (ids id+1 .. id+album)
    service: bool = False


class FakeTelegram(FakeServer):
    """``/s/<channel>[?before=N]``: ~20 messages per page (each album photo counts), ascending."""

    PAGE = 20

    def __init__(self) -> None:
        super().__init__()
        self.channels: dict[str, tuple[str, list[Message]]] = {}

    def add(self, name: str, title: str, messages: list[Message]) -> None:
        self.channels[name.lower()] = (title, sorted(messages, key=lambda m: m.id))

    def route(self, path: str, query: dict[str, list[str]], headers: dict[str, str]) -> Reply:
        parts = [p for p in path.split("/") if p]
        if len(parts) == 1:  # the plain channel/user landing page (where unknown previews redirect)
            return Reply(200, f'<html><body><div class="tgme_page">@{escape(parts[0])}</div></body></html>',
                         {"Content-Type": "text/html; charset=utf-8"})
        if len(parts) != 2 or parts[0] != "s" or parts[1].lower() not in self.channels:
            name = parts[-1] if parts else ""
            return Reply(302, "", {"Location": f"https://t.me/{name}"})
        name = parts[1].lower()
        title, messages = self.channels[name]
        before = int(query["before"][0]) if "before" in query else None
        older = [m for m in messages if before is None or m.id < before]
        page: list[Message] = []
        weight = 0
        for message in reversed(older):
            cost = 1 + message.album
            if page and weight + cost > self.PAGE:
                break
            page.insert(0, message)
            weight += cost
        return Reply(200, self.render(name, title, page, has_older=len(page) < len(older)),
                     {"Content-Type": "text/html; charset=utf-8"})

    @staticmethod
    def render(name: str, title: str, page: list[Message], *, has_older: bool) -> str:
        head_prev = f'<link rel="prev" href="/s/{name}?before={page[0].id}">' if page and has_older else ""
        more = (f'<div class="tme_messages_more_wrap"><a class="tme_messages_more js-messages_more" '
                f'data-before="{page[0].id}" href="/s/{name}?before={page[0].id}"></a></div>') if page and has_older else ""
        blocks = []
        for m in page:
            extra = ""
            if m.forwarded:
                fname, furl = m.forwarded
                inner = (f'<a class="tgme_widget_message_forwarded_from_name" href="{furl}"><span dir="auto">{escape(fname)}</span></a>'
                         if furl else f'<span class="tgme_widget_message_forwarded_from_name"><span dir="auto">{escape(fname)}</span></span>')
                extra += f'<div class="tgme_widget_message_forwarded_from accent_color">Forwarded from {inner}</div>'
            if m.album:
                photos = "".join(
                    f'<a class="tgme_widget_message_photo_wrap grouped_media_wrap blured js-message_photo" '
                    f"style=\"width:226px;background-image:url('https://cdn4.telesco.pe/file/{name}{m.id + k}-{int(time.time() * 1000)}.jpg')\" "
                    f'href="https://t.me/{name}/{m.id + k}?single"></a>' for k in range(m.album + 1))
                extra += f'<div class="tgme_widget_message_grouped_wrap js-message_grouped_wrap"><div class="tgme_widget_message_grouped js-message_grouped"><div class="tgme_widget_message_grouped_layer js-message_grouped_layer">{photos}</div></div></div>'
            edited = "edited &nbsp;" if m.edited else ""
            classes = "tgme_widget_message text_not_supported_wrap js-widget_message" + (" service_message" if m.service else "")
            blocks.append(f"""
  <div class="tgme_widget_message_wrap js-widget_message_wrap">
    <div class="{classes}" data-post="{name}/{m.id}" data-view="x">
      <div class="tgme_widget_message_bubble">
        <div class="tgme_widget_message_author accent_color"><a class="tgme_widget_message_owner_name" href="https://t.me/{name}"><span dir="auto">{escape(title)}</span></a></div>
        {extra}
        <div class="tgme_widget_message_text js-message_text" dir="auto">{m.text}</div>
        <div class="tgme_widget_message_footer compact js-message_footer">
          <div class="tgme_widget_message_info short js-message_info"><span class="tgme_widget_message_views">{m.views}</span><span class="copyonly"> views</span><span class="tgme_widget_message_meta">{edited}<a class="tgme_widget_message_date" href="https://t.me/{name}/{m.id}"><time datetime="{m.when}" class="time">00:00</time></a></span></div>
        </div>
      </div>
    </div>
  </div>""")
        history = "".join(blocks) if page else '<div class="tme_no_messages_found">No posts found</div>'
        return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{escape(title)} – Telegram</title>
<link rel="canonical" href="https://t.me/s/{name}">{head_prev}
</head><body>
<div class="tgme_channel_info"><div class="tgme_channel_info_header"><div class="tgme_channel_info_header_title"><span dir="auto">{escape(title)}</span></div></div></div>
<section class="tgme_channel_history js-message_history">{more}{history}
</section>
</body></html>"""


# --- RSS / Atom ----------------------------------------------------------------------------------

class FakeFeeds(FakeServer):
    """Feeds by path, with ETag / Last-Modified conditional GET; ``redirects`` maps path -> path."""

    def __init__(self) -> None:
        super().__init__()
        self.feeds: dict[str, tuple[bytes, str, str]] = {}   # path -> (body, content type, etag)
        self.redirects: dict[str, tuple[int, str]] = {}
        self.handler: Callable[[str], Reply] | None = None

    def set(self, path: str, body: bytes, content_type: str = "application/rss+xml", etag: str | None = None) -> None:
        import hashlib

        self.feeds[path] = (body, content_type, etag or '"' + hashlib.sha256(body).hexdigest()[:16] + '"')

    def route(self, path: str, query: dict[str, list[str]], headers: dict[str, str]) -> Reply:
        if path in self.redirects:
            status, target = self.redirects[path]
            return Reply(status, "", {"Location": target})
        if path not in self.feeds:
            return Reply(404, "<html><body>Not Found</body></html>", {"Content-Type": "text/html"})
        body, content_type, etag = self.feeds[path]
        lowered = {k.lower(): v for k, v in headers.items()}
        common = {"ETag": etag, "Last-Modified": "Mon, 02 Mar 2026 01:20:00 GMT"}
        if lowered.get("if-none-match") == etag:
            return Reply(304, b"", common)
        return Reply(200, body, {"Content-Type": content_type, **common})


# --- helpers for collector tests -----------------------------------------------------------------

def register(store, platform: str, handle: str, *, nip: str = "199001012015011001", name: str = "Budi Santoso",
             unit: str = "Dinas Kominfo") -> int:
    """Register one employee with one account; returns the account id."""
    from monitor.store import people

    people.apply_employee_import(store, [people.EmployeeRow(name=name, employment_type="PNS", unit_name=unit,
                                                            nip=nip, accounts=((platform, handle),))],
                                 deactivate_missing=False)
    return people.account_ids_by_handle(store)[(platform, handle)]


def account_ref(store, account_id: int, *, recent: list[str] | None = None):
    """The AccountRef the pipeline would build from the stored row."""
    from monitor.collect.base import AccountRef

    row = store.one("SELECT id, platform, handle, platform_user_id, cursor FROM accounts WHERE id = ?", (account_id,))
    return AccountRef(row["id"], row["platform"], row["handle"], row["platform_user_id"], row["cursor"],
                      recent_post_ids=list(recent or []))


def collect(store, source, account_id: int, *, recent: list[str] | None = None, stop_after: int | None = None) -> dict:
    """Run one account like the pipeline does: every page stored with its cursor in one
    transaction. ``stop_after`` pages simulates a crash (the generator is abandoned)."""
    from monitor.store import collection

    ref = account_ref(store, account_id, recent=recent)
    totals = {"pages": 0, "new": 0, "edited": 0, "deleted": 0}
    for page in source.fetch(ref):
        result, marked = collection.save_page(store, account_id, source.platform, page.records, page.cursor,
                                              page.deleted_ids)
        totals["pages"] += 1
        totals["new"] += len(result.new_ids)
        totals["edited"] += len(result.edited_ids)
        totals["deleted"] += marked
        if stop_after is not None and totals["pages"] >= stop_after:
            break
    if ref.platform_user_id:
        collection.set_platform_user_id(store, account_id, ref.platform_user_id)
    return totals


def stored(store, platform: str) -> dict[str, dict]:
    """Posts of a platform by post id (text, kind, version, deleted)."""
    rows = store.query("SELECT post_id, text, kind, version, deleted_at, original_author, media_json, created_at, "
                       "raw_sha256, account_id FROM posts WHERE platform = ? ORDER BY post_id", (platform,))
    return {r["post_id"]: dict(r) for r in rows}
