"""Fake Bluesky, Mastodon and X APIs on 127.0.0.1, shaped like platform-apis.md says.

One ``FakePlatforms`` server answers all three (paths differ: ``/xrpc/...``, ``/api/v1/...``,
``/2/...``). Tests fill its data, inject faults (429 with each platform's reset signal, 5xx,
slow answers that time out, truncated or invalid JSON, errors inside 200) and read hit
counters. Cursors are opaque tokens, so the collector cannot cheat by parsing them.

Reusable by other helpers: ``with FakePlatforms() as fake: fake.url ...``. Run as a script
(``python tests/fakeplatforms.py --accounts 2000 --posts 100``) it serves generated data for
benchmarks and prints ``PORT <n>``.
"""

from __future__ import annotations

import base64
import json
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable
from urllib.parse import parse_qs, unquote, urlparse

TEXTS = [
    "Apel pagi bersama rekan-rekan dinas. #SukamajuMaju",
    "Pelayanan KTP sekarang jauh lebih cepat, terima kasih warga.",
    "Ayo coblos nomor 2 tanggal 27 November! Salam dua jari",
    "Jangan lupa cek DPT dan datang ke TPS, gunakan hak pilih Anda.",
    "Rapat koordinasi penanganan banjir di kecamatan.",
    "Selamat hari guru untuk semua pendidik di Sukamaju.",
    "Menangkan paslon nomor 1 demi perubahan!",
    "Jadwal vaksinasi minggu ini di puskesmas kecamatan.",
]


def token(value: Any) -> str:
    """An opaque cursor (the collector must pass it back unchanged)."""
    return base64.urlsafe_b64encode(f"c:{value}".encode()).decode().rstrip("=")


def untoken(text: str) -> str:
    padded = text + "=" * (-len(text) % 4)
    return base64.urlsafe_b64decode(padded.encode()).decode()[2:]


@dataclass
class Fault:
    """An injected answer for requests whose path contains ``match``, used ``times`` times."""

    match: str
    status: int = 500
    body: bytes = b'{"error":"InternalServerError","message":"Internal Server Error"}'
    headers: dict[str, str] = field(default_factory=dict)
    times: int = 1
    delay: float = 0.0


def iso(ts: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ts)) + f".{int(ts * 1000) % 1000:03d}Z"


# --- Bluesky -------------------------------------------------------------------------------------

def bsky_post(did: str, handle: str, rkey: str, text: str, created: str, *, labels: list | None = None,
              reply_to: str | None = None, quote_of: dict | None = None, images: int = 0) -> dict:
    """A feedViewPost for an own post (reply / quote / images optional)."""
    uri = f"at://{did}/app.bsky.feed.post/{rkey}"
    record: dict[str, Any] = {"$type": "app.bsky.feed.post", "text": text, "createdAt": created, "langs": ["id"]}
    post: dict[str, Any] = {
        "uri": uri, "cid": "bafyrei" + rkey.ljust(20, "a"),
        "author": {"did": did, "handle": handle, "displayName": handle.split(".")[0], "labels": labels or []},
        "record": record, "replyCount": 0, "repostCount": 0, "likeCount": 0, "quoteCount": 0,
        "indexedAt": created, "labels": [],
    }
    if reply_to:
        record["reply"] = {"root": {"uri": reply_to, "cid": "bafyreiroot"}, "parent": {"uri": reply_to, "cid": "bafyreiroot"}}
    if quote_of:
        post["embed"] = {"$type": "app.bsky.embed.record#view", "record": {
            "$type": "app.bsky.embed.record#viewRecord", "uri": quote_of["uri"], "cid": "bafyreiq",
            "author": quote_of["author"], "value": {"$type": "app.bsky.feed.post", "text": "asli", "createdAt": created},
            "indexedAt": created, "labels": []}}
    if images:
        post["embed"] = {"$type": "app.bsky.embed.images#view", "images": [
            {"thumb": f"https://cdn.bsky.app/img/feed_thumbnail/plain/{did}/img{rkey}{i}@jpeg",
             "fullsize": f"https://cdn.bsky.app/img/feed_fullsize/plain/{did}/img{rkey}{i}@jpeg", "alt": "foto"}
            for i in range(images)]}
    return {"post": post}


def bsky_repost(by: dict, original: dict, rkey: str, when: str) -> dict:
    return {"post": original["post"], "reason": {
        "$type": "app.bsky.feed.defs#reasonRepost", "by": {**by, "labels": []},
        "uri": f"at://{by['did']}/app.bsky.feed.repost/{rkey}", "cid": "bafyreirepost", "indexedAt": when}}


@dataclass
class BskyAccount:
    did: str
    handle: str
    feed: list[dict] = field(default_factory=list)  # newest first
    labels: list[dict] = field(default_factory=list)
    status: str = "ok"  # ok | takedown | deactivated
    followers: list[dict] = field(default_factory=list)


# --- Mastodon ------------------------------------------------------------------------------------

def masto_status(sid: str, account: dict, text: str, created: str, *, reblog: dict | None = None,
                 reply_to: str | None = None, edited_at: str | None = None, language: str | None = "id",
                 instance: str = "mastodon.example", spoiler: str = "") -> dict:
    return {
        "id": sid, "created_at": created, "in_reply_to_id": reply_to,
        "in_reply_to_account_id": "1" if reply_to else None, "sensitive": bool(spoiler), "spoiler_text": spoiler,
        "visibility": "public", "language": language,
        "uri": f"https://{instance}/users/{account['username']}/statuses/{sid}" + ("/activity" if reblog else ""),
        "url": None if reblog else f"https://{instance}/@{account['username']}/{sid}",
        "replies_count": 0, "reblogs_count": 0, "favourites_count": 0, "edited_at": edited_at,
        "content": "" if reblog else f"<p>{text}</p>", "reblog": reblog, "quote": None, "account": account,
        "media_attachments": [], "mentions": [], "tags": [], "emojis": [], "card": None, "poll": None,
    }


@dataclass
class MastoAccount:
    id: str
    username: str
    instance: str = "mastodon.example"
    statuses: list[dict] = field(default_factory=list)  # newest first
    suspended: bool = False
    noindex: bool = False
    followers: list[dict] = field(default_factory=list)

    def entity(self) -> dict:
        return {"id": self.id, "username": self.username, "acct": self.username, "display_name": self.username,
                "url": f"https://{self.instance}/@{self.username}", "locked": False, "bot": False,
                "noindex": self.noindex, "emojis": [], "fields": []}


# --- X -------------------------------------------------------------------------------------------

@dataclass
class XUser:
    id: str
    username: str
    tweets: list[dict] = field(default_factory=list)  # newest first
    status: str = "ok"  # ok | suspended | protected | missing
    followers: list[dict] = field(default_factory=list)


class FakePlatforms:
    """A threaded HTTP server answering the three APIs from in-memory data."""

    def __init__(self, *, bsky_limit_max: int = 100) -> None:
        self.bsky: dict[str, BskyAccount] = {}
        self.bsky_likes: dict[str, list[dict]] = {}
        self.bsky_reposted_by: dict[str, list[dict]] = {}
        self.bsky_replies: dict[str, list[dict]] = {}
        self.masto: dict[str, MastoAccount] = {}
        self.masto_favourited: dict[str, list[dict]] = {}
        self.masto_reblogged: dict[str, list[dict]] = {}
        self.masto_replies: dict[str, list[dict]] = {}
        self.masto_anonymous_ok = True
        self.x: dict[str, XUser] = {}
        self.x_includes: dict[str, dict] = {"users": {}, "tweets": {}, "media": {}}
        self.x_retweeted_by: dict[str, list[dict]] = {}
        self.x_token = "test-token"
        self.x_followers_forbidden = True
        self.faults: list[Fault] = []
        self.hits: Counter = Counter()
        self.delay = 0.0
        self.generated: Callable[[str, str, dict], tuple[int, dict, bytes] | None] | None = None
        self._lock = threading.Lock()
        self.server: ThreadingHTTPServer | None = None

    # --- lifecycle ---
    def start(self, port: int = 0) -> "FakePlatforms":
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                fake._serve(self)

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server:
            self.server.shutdown()
            self.server.server_close()

    def __enter__(self) -> "FakePlatforms":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def settings(self, **extra: Any) -> dict:
        """Netra settings pointing every source at this server."""
        from monitor import config

        values = config.load(environ={}, config_path="/nonexistent/netra.toml")
        values.update(bluesky_base_url=self.url, mastodon_base_url=self.url, x_base_url=self.url,
                      x_bearer_token=self.x_token, http_timeout=5, max_rate_wait=5)
        values.update(extra)
        return values

    def fail(self, match: str, status: int = 500, body: bytes | str | dict = b"", *, headers: dict | None = None,
             times: int = 1, delay: float = 0.0) -> None:
        if isinstance(body, dict):
            body = json.dumps(body)
        if isinstance(body, str):
            body = body.encode()
        self.faults.append(Fault(match, status, body or Fault.body, dict(headers or {}), times, delay))

    def hits_for(self, fragment: str) -> int:
        return sum(n for path, n in self.hits.items() if fragment in path)

    # --- dispatch ---
    def _serve(self, handler: BaseHTTPRequestHandler) -> None:
        parsed = urlparse(handler.path)
        path, query = parsed.path, parse_qs(parsed.query)
        with self._lock:
            self.hits[path] += 1
            fault = next((f for f in self.faults if f.match in unquote(handler.path) and f.times > 0), None)
            if fault:
                fault.times -= 1
        if self.delay:
            time.sleep(self.delay)
        if fault:
            if fault.delay:
                time.sleep(fault.delay)
            return self._send(handler, fault.status, fault.body, fault.headers)
        try:
            answer = None
            if self.generated is not None:
                answer = self.generated(path, handler.path, query)
            if answer is None:
                answer = self._route(path, query, handler.headers)
            status, headers, body = answer
        except Exception as exc:  # a bug in the fake: make it visible, not a hang
            status, headers, body = 500, {}, json.dumps({"error": "FakeBug", "message": repr(exc)}).encode()
        self._send(handler, status, body, headers)

    @staticmethod
    def _send(handler: BaseHTTPRequestHandler, status: int, body: bytes, headers: dict) -> None:
        try:
            handler.send_response(status)
            handler.send_header("Content-Type", headers.pop("Content-Type", "application/json; charset=utf-8"))
            handler.send_header("Content-Length", str(len(body)))
            for key, value in headers.items():
                handler.send_header(key, value)
            handler.end_headers()
            handler.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _route(self, path: str, q: dict, headers: Any) -> tuple[int, dict, bytes]:
        if path.startswith("/xrpc/"):
            return self._bsky(path[6:], q)
        if path.startswith("/api/v1/"):
            if not self.masto_anonymous_ok and not headers.get("Authorization"):
                return _json(401, {"error": "This API requires an authenticated user"})
            return self._masto(path[8:], q)
        if path.startswith("/2/"):
            if headers.get("Authorization") != f"Bearer {self.x_token}":
                return _json(401, {"title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "Unauthorized"})
            return self._x(path[3:], q)
        return _json(404, {"error": "NotFound"})

    # --- Bluesky ---
    def _bsky_actor(self, actor: str) -> BskyAccount | None:
        for acc in self.bsky.values():
            if actor in (acc.did, acc.handle):
                return acc
        return None

    def _bsky(self, method: str, q: dict) -> tuple[int, dict, bytes]:
        one = lambda k, d=None: (q.get(k) or [d])[0]  # noqa: E731
        limit = int(one("limit", 50))
        if limit > 100 or limit < 1:
            return _json(400, {"error": "InvalidRequest", "message": "limit must be between 1 and 100"})
        if method == "app.bsky.actor.getProfile":
            acc = self._bsky_actor(one("actor", ""))
            if acc is None:
                return _json(400, {"error": "InvalidRequest", "message": "Profile not found"})
            if acc.status == "takedown":
                return _json(400, {"error": "AccountTakedown", "message": "Account has been suspended"})
            if acc.status == "deactivated":
                return _json(400, {"error": "AccountDeactivated", "message": "Account is deactivated"})
            return _json(200, {"did": acc.did, "handle": acc.handle, "labels": acc.labels, "followersCount": 1})
        if method == "app.bsky.feed.getAuthorFeed":
            acc = self._bsky_actor(one("actor", ""))
            if acc is None or acc.status == "takedown":
                return _json(400, {"error": "InvalidRequest", "message": "Profile not found"})
            start = int(untoken(one("cursor"))) if one("cursor") else 0
            feed = acc.feed
            if one("filter") == "posts_no_replies":
                feed = [i for i in feed if not i["post"]["record"].get("reply")]
            page = feed[start:start + limit]
            body: dict[str, Any] = {"feed": page}
            if start + limit < len(feed):
                body["cursor"] = token(start + limit)
            return _json(200, body, {"RateLimit-Limit": "3000", "RateLimit-Remaining": "2999",
                                     "RateLimit-Reset": str(int(time.time()) + 300), "RateLimit-Policy": "3000;w=300"})
        if method == "app.bsky.feed.getPosts":
            uris = q.get("uris", [])
            posts = [i["post"] for acc in self.bsky.values() for i in acc.feed
                     if i["post"]["uri"] in uris and not i.get("reason")]
            unique = {p["uri"]: p for p in posts}
            return _json(200, {"posts": list(unique.values())})
        if method in ("app.bsky.feed.getLikes", "app.bsky.feed.getRepostedBy"):
            uri = one("uri", "")
            source, key = (self.bsky_likes, "likes") if method.endswith("getLikes") else (self.bsky_reposted_by, "repostedBy")
            return _json(200, _paged({"uri": uri}, key, source.get(uri, []), one("cursor"), limit))
        if method == "app.bsky.feed.getPostThread":
            uri = one("uri", "")
            return _json(200, {"thread": {"$type": "app.bsky.feed.defs#threadViewPost", "post": {"uri": uri},
                                          "replies": self.bsky_replies.get(uri, [])}})
        if method == "app.bsky.graph.getFollowers":
            acc = self._bsky_actor(one("actor", ""))
            if acc is None:
                return _json(400, {"error": "InvalidRequest", "message": "Profile not found"})
            return _json(200, _paged({"subject": {"did": acc.did, "handle": acc.handle}}, "followers",
                                     acc.followers, one("cursor"), limit))
        return _json(501, {"error": "MethodNotImplemented", "message": method})

    # --- Mastodon ---
    def _masto_by_id(self, account_id: str) -> MastoAccount | None:
        return next((a for a in self.masto.values() if a.id == account_id), None)

    def _masto(self, path: str, q: dict) -> tuple[int, dict, bytes]:
        one = lambda k, d=None: (q.get(k) or [d])[0]  # noqa: E731
        parts = path.strip("/").split("/")
        limit = min(int(one("limit", 20)), 80 if parts[-1] in ("followers", "favourited_by", "reblogged_by") else 40)
        reset = {"X-RateLimit-Limit": "300", "X-RateLimit-Remaining": "299",
                 "X-RateLimit-Reset": time.strftime("%Y-%m-%dT%H:%M:%S.000000Z", time.gmtime(time.time() + 300))}
        if parts[:2] == ["accounts", "lookup"]:
            acc = self.masto.get(one("acct", "").split("@")[0])
            if acc is None:
                return _json(404, {"error": "Record not found"})
            return _json(200, {**acc.entity(), "suspended": acc.suspended} if acc.suspended else acc.entity())
        if parts[0] == "accounts" and len(parts) == 2:
            acc = self._masto_by_id(parts[1])
            if acc is None:
                return _json(404, {"error": "Record not found"})
            return _json(200, {**acc.entity(), **({"suspended": True} if acc.suspended else {})})
        if parts[0] == "accounts" and len(parts) == 3 and parts[2] in ("statuses", "followers"):
            acc = self._masto_by_id(parts[1])
            if acc is None:
                return _json(404, {"error": "Record not found"})
            if acc.suspended:
                return _json(200, [], reset)
            items = acc.statuses if parts[2] == "statuses" else acc.followers
            if parts[2] == "statuses" and one("exclude_replies") == "true":
                items = [s for s in items if not s.get("in_reply_to_id")]
            if parts[2] == "statuses" and one("exclude_reblogs") == "true":
                items = [s for s in items if not s.get("reblog")]
            return self._masto_page(f"/api/v1/{path.strip('/')}", items, one("max_id"), limit, reset)
        if parts[0] == "statuses" and len(parts) == 2:
            for acc in self.masto.values():
                for status in acc.statuses:
                    if status["id"] == parts[1]:
                        return _json(200, status)
            return _json(404, {"error": "Record not found"})
        if parts[0] == "statuses" and len(parts) == 3:
            sid = parts[1]
            if parts[2] == "context":
                return _json(200, {"ancestors": [], "descendants": self.masto_replies.get(sid, [])})
            source = self.masto_favourited if parts[2] == "favourited_by" else self.masto_reblogged
            return self._masto_page(f"/api/v1/{path.strip('/')}", source.get(sid, []), one("max_id"), limit, reset)
        return _json(404, {"error": "Record not found"})

    def _masto_page(self, path: str, items: list[dict], max_id: str | None, limit: int, headers: dict):
        if max_id is not None:
            items = [i for i in items if int(i["id"]) < int(max_id)]
        page = items[:limit]
        links = []
        if len(page) == limit:  # Mastodon emits next only for a full page
            links.append(f'<https://mastodon.example{path}?limit={limit}&max_id={page[-1]["id"]}>; rel="next"')
        if page:
            links.append(f'<https://mastodon.example{path}?limit={limit}&min_id={page[0]["id"]}>; rel="prev"')
        return _json(200, page, {**headers, **({"Link": ", ".join(links)} if links else {})})

    # --- X ---
    def _x_user(self, key: str, by: str) -> XUser | None:
        return next((u for u in self.x.values() if (u.id if by == "id" else u.username.lower()) == key.lower()), None)

    def _x(self, path: str, q: dict) -> tuple[int, dict, bytes]:
        one = lambda k, d=None: (q.get(k) or [d])[0]  # noqa: E731
        parts = path.strip("/").split("/")
        rl = {"x-rate-limit-limit": "10000", "x-rate-limit-remaining": "9999",
              "x-rate-limit-reset": str(int(time.time()) + 900)}
        if parts[:3] == ["users", "by", "username"]:
            user = self._x_user(parts[3], "username")
            if user is None or user.status == "missing":
                return _json(200, {"errors": [{"value": parts[3], "detail": f"Could not find user with username: [{parts[3]}].",
                                               "title": "Not Found Error", "resource_type": "user", "parameter": "username",
                                               "resource_id": parts[3], "type": "https://api.twitter.com/2/problems/resource-not-found"}]}, rl)
            if user.status == "suspended":
                return _json(200, {"errors": [{"value": parts[3], "detail": f"User has been suspended: [{parts[3]}].",
                                               "title": "Forbidden", "resource_type": "user", "parameter": "username",
                                               "resource_id": parts[3], "type": "https://api.twitter.com/2/problems/resource-not-found"}]}, rl)
            return _json(200, {"data": {"id": user.id, "name": user.username, "username": user.username,
                                        "protected": user.status == "protected"}}, rl)
        if parts[0] == "users" and len(parts) == 3 and parts[2] in ("tweets", "followers"):
            user = self._x_user(parts[1], "id")
            max_results = int(one("max_results", 10))
            if not 5 <= max_results <= (1000 if parts[2] == "followers" else 100):
                return _json(400, {"errors": [{"parameters": {"max_results": [str(max_results)]},
                                               "message": f"The `max_results` query parameter value [{max_results}] is not between 5 and 100"}],
                                   "title": "Invalid Request", "detail": "One or more parameters to your request was invalid.",
                                   "type": "https://api.twitter.com/2/problems/invalid-request"})
            if user is None or user.status in ("suspended", "protected"):
                detail = (f"User has been suspended: [{parts[1]}]." if user and user.status == "suspended"
                          else f"Sorry, you are not authorized to see the user with id: [{parts[1]}].")
                kind = "resource-not-found" if user and user.status == "suspended" else "not-authorized-for-resource"
                return _json(200, {"errors": [{"value": parts[1], "detail": detail, "title": "Authorization Error",
                                               "resource_type": "user", "parameter": "id", "resource_id": parts[1],
                                               "type": f"https://api.twitter.com/2/problems/{kind}"}]}, rl)
            if parts[2] == "followers":
                if self.x_followers_forbidden:
                    return _json(403, {"title": "Client Forbidden", "type": "https://api.twitter.com/2/problems/client-forbidden",
                                       "reason": "client-not-enrolled", "detail": "When authenticating requests..."})
                return self._x_users_page(user.followers, one("pagination_token"), max_results, rl)
            tweets = user.tweets
            excluded = (one("exclude") or "").split(",")
            if "retweets" in excluded:
                tweets = [t for t in tweets if not any(r["type"] == "retweeted" for r in t.get("referenced_tweets", []))]
            if "replies" in excluded:
                tweets = [t for t in tweets if not any(r["type"] == "replied_to" for r in t.get("referenced_tweets", []))]
            if one("since_id"):
                tweets = [t for t in tweets if int(t["id"]) > int(one("since_id"))]
            start = int(untoken(one("pagination_token"))) if one("pagination_token") else 0
            page = tweets[start:start + max_results]
            if not page:
                return _json(200, {"meta": {"result_count": 0}}, rl)
            meta: dict[str, Any] = {"result_count": len(page), "newest_id": page[0]["id"], "oldest_id": page[-1]["id"]}
            if start + max_results < len(tweets):
                meta["next_token"] = token(start + max_results)
            return _json(200, {"data": page, "includes": self._x_inc(page, user), "meta": meta}, rl)
        if parts == ["tweets"]:
            ids = (one("ids") or "").split(",")
            found, errors = [], []
            every = {t["id"]: (t, u) for u in self.x.values() for t in u.tweets}
            for tid in ids:
                for t, u in every.values():
                    if tid in t.get("edit_history_tweet_ids", [t["id"]]):
                        found.append((t, u))
                        break
                else:
                    errors.append({"value": tid, "detail": f"Could not find tweet with ids: [{tid}].",
                                   "title": "Not Found Error", "resource_type": "tweet", "parameter": "ids",
                                   "resource_id": tid, "type": "https://api.twitter.com/2/problems/resource-not-found"})
            body: dict[str, Any] = {}
            if found:
                body["data"] = [t for t, _ in found]
                body["includes"] = self._x_inc([t for t, _ in found], found[0][1])
            if errors:
                body["errors"] = errors
            return _json(200, body, rl)
        if parts[0] == "tweets" and len(parts) == 3 and parts[2] == "retweeted_by":
            return self._x_users_page(self.x_retweeted_by.get(parts[1], []), one("pagination_token"),
                                      int(one("max_results", 100)), rl)
        return _json(404, {"title": "Not Found", "type": "about:blank", "status": 404, "detail": path})

    def _x_inc(self, page: list[dict], user: XUser) -> dict:
        users = {user.id: {"id": user.id, "name": user.username, "username": user.username}}
        tweets, media = {}, {}
        for t in page:
            for ref in t.get("referenced_tweets", []):
                orig = self.x_includes["tweets"].get(ref["id"])
                if orig:
                    tweets[orig["id"]] = orig
                    author = self.x_includes["users"].get(orig.get("author_id"))
                    if author:
                        users[author["id"]] = author
            for key in (t.get("attachments") or {}).get("media_keys", []):
                if key in self.x_includes["media"]:
                    media[key] = self.x_includes["media"][key]
        out: dict[str, Any] = {"users": list(users.values())}
        if tweets:
            out["tweets"] = list(tweets.values())
        if media:
            out["media"] = list(media.values())
        return out

    def _x_users_page(self, users: list[dict], pagination: str | None, limit: int, rl: dict):
        start = int(untoken(pagination)) if pagination else 0
        page = users[start:start + limit]
        if not page:
            return _json(200, {"meta": {"result_count": 0}}, rl)
        meta: dict[str, Any] = {"result_count": len(page)}
        if start + limit < len(users):
            meta["next_token"] = token(start + limit)
        return _json(200, {"data": page, "meta": meta}, rl)


def _json(status: int, body: Any, headers: dict | None = None) -> tuple[int, dict, bytes]:
    return status, dict(headers or {}), json.dumps(body, ensure_ascii=False).encode("utf-8")


def _paged(extra: dict, key: str, items: list, cursor: str | None, limit: int) -> dict:
    start = int(untoken(cursor)) if cursor else 0
    body = {**extra, key: items[start:start + limit]}
    if start + limit < len(items):
        body["cursor"] = token(start + limit)
    return body


# --- populated worlds for tests and the benchmark ------------------------------------------------

def x_tweet(tid: str, author_id: str, text: str, created: str, *, refs: list | None = None,
            history: list | None = None, media_keys: list | None = None, lang: str = "in") -> dict:
    tweet: dict[str, Any] = {"id": tid, "edit_history_tweet_ids": history or [tid], "text": text,
                             "created_at": created, "author_id": author_id, "conversation_id": tid, "lang": lang}
    if refs:
        tweet["referenced_tweets"] = refs
    if media_keys:
        tweet["attachments"] = {"media_keys": media_keys}
    return tweet


def populate(fake: FakePlatforms, *, bsky_accounts: int = 2, masto_accounts: int = 2, x_users: int = 2,
             posts: int = 60, base_time: float = 1_772_400_000.0) -> dict[str, list[str]]:
    """Fill the fake with deterministic accounts and posts; returns handles per platform."""
    handles: dict[str, list[str]] = {"bluesky": [], "mastodon": [], "x": []}
    for a in range(bsky_accounts):
        did = f"did:plc:{('asn%02d' % a).ljust(24, 'x')}"
        handle = f"asn{a:02d}.bsky.social"
        acc = BskyAccount(did, handle)
        for j in range(posts):  # newest first
            when = iso(base_time - j * 600 - a)
            acc.feed.append(bsky_post(did, handle, f"3a{a:02d}{posts - j:05d}", f"{TEXTS[j % len(TEXTS)]} ({a}/{j})", when))
        fake.bsky[handle] = acc
        handles["bluesky"].append(handle)
    for a in range(masto_accounts):
        acc = MastoAccount(str(109000000000000000 + a), f"asn{a:02d}")
        entity = acc.entity()
        for j in range(posts):
            sid = str(113000000000000000 + a * 100000 + (posts - j))
            acc.statuses.append(masto_status(sid, entity, f"{TEXTS[j % len(TEXTS)]} ({a}/{j})", iso(base_time - j * 600)))
        fake.masto[acc.username] = acc
        handles["mastodon"].append(f"{acc.username}@mastodon.example")
    for a in range(x_users):
        user = XUser(str(1456789012345670000 + a), f"asn_{a:02d}")
        for j in range(posts):
            tid = str(1896000000000000000 + a * 100000 + (posts - j))
            user.tweets.append(x_tweet(tid, user.id, f"{TEXTS[j % len(TEXTS)]} ({a}/{j})", iso(base_time - j * 600)))
        fake.x[user.username] = user
        handles["x"].append(user.username.lower())
    return handles


def generated_bluesky(accounts: int, posts: int, base_time: float = 1_772_400_000.0):
    """A ``FakePlatforms.generated`` answer function for ``accounts`` x ``posts`` Bluesky posts,
    computed per request (no memory held), for the throughput benchmark."""

    def answer(path: str, raw: str, q: dict) -> tuple[int, dict, bytes] | None:
        one = lambda k, d=None: (q.get(k) or [d])[0]  # noqa: E731
        if not path.startswith("/xrpc/app.bsky.") or not one("actor", "").startswith(("gen", "did:plc:gen")):
            return None
        actor = one("actor")
        a = int(actor.split("gen")[1].split(".")[0].rstrip("x") or 0)
        did, handle = f"did:plc:gen{a:06d}".ljust(32, "x"), f"gen{a:06d}.bsky.social"
        if path.endswith("getProfile"):
            return _json(200, {"did": did, "handle": handle, "labels": []})
        if not path.endswith("getAuthorFeed"):
            return None
        limit = int(one("limit", 50))
        start = int(untoken(one("cursor"))) if one("cursor") else 0
        feed = [bsky_post(did, handle, f"3g{a:06d}{posts - j:06d}", f"{TEXTS[(a + j) % len(TEXTS)]} #{a}-{j}",
                          iso(base_time - j * 60 - a), images=1 if j % 5 == 0 else 0)
                for j in range(start, min(posts, start + limit))]
        body: dict[str, Any] = {"feed": feed}
        if start + limit < posts:
            body["cursor"] = token(start + limit)
        return _json(200, body)

    return answer


if __name__ == "__main__":  # pragma: no cover - used by benchmarks/collect_throughput.py
    import argparse

    parser = argparse.ArgumentParser(description="Serve generated fake Bluesky data.")
    parser.add_argument("--accounts", type=int, default=2000)
    parser.add_argument("--posts", type=int, default=100)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    server = FakePlatforms()
    server.generated = generated_bluesky(args.accounts, args.posts)
    server.start(args.port)
    print(f"PORT {server.server.server_address[1]}", flush=True)  # type: ignore[union-attr]
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        server.stop()


def register(store: Any, handles: dict[str, list[str]], *, unit: str = "Dinas Pendidikan") -> dict[tuple[str, str], int]:
    """Register one PNS employee per handle (in ``unit``); returns (platform, handle) -> account id."""
    from monitor.store import people

    rows = []
    n = 0
    for platform, items in handles.items():
        for handle in items:
            n += 1
            rows.append(people.EmployeeRow(name=f"Pegawai {n}", employment_type="PNS", unit_name=unit,
                                           nip=f"1980010120050{n:05d}"[:18].ljust(18, "1"),
                                           accounts=((platform, handle),)))
    people.apply_employee_import(store, rows, deactivate_missing=False)
    return people.account_ids_by_handle(store)


def register_campaign(store: Any, platform: str, handle: str, owner: str = "Paslon Nomor 2") -> None:
    from monitor.store import elections

    elections.upsert_registry(store, {"campaign_accounts": [
        {"platform": platform, "handle": handle, "owner_type": "candidate", "owner": owner}]})
