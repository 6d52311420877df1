"""Each source against the fake APIs on 127.0.0.1 (no database)."""

from __future__ import annotations

import httpx
import pytest

from fakeplatforms import (
    BskyAccount, FakePlatforms, MastoAccount, XUser, bsky_post, iso, masto_status, populate, x_tweet,
)
from monitor.collect import bluesky, mastodon, x
from monitor.collect.base import AccountRef, AccountUnavailable, CursorState, MalformedPayload, PlatformError
from monitor.collect.http import Budget, Http

T0 = 1_772_400_000.0


@pytest.fixture
def fake():
    with FakePlatforms() as server:
        yield server


@pytest.fixture
def client():
    with httpx.Client(timeout=5) as opened:
        yield opened


def http(client) -> Http:
    return Http(client, sleep=lambda s: None, rng=lambda: 0.0)


def drain(source, ref):
    pages = list(source.fetch(ref))
    return pages, [r for p in pages for r in p.records]


# --- Bluesky --------------------------------------------------------------------------------------

def test_bluesky_pages_to_the_end_then_only_new(fake, client):
    handles = populate(fake, bsky_accounts=1, masto_accounts=0, x_users=0, posts=23)
    src = bluesky.BlueskySource(http(client), base_url=fake.url, page_size=5)
    ref = AccountRef(1, "bluesky", handles["bluesky"][0])
    ref.platform_user_id = src.resolve(ref)
    assert ref.platform_user_id.startswith("did:plc:")
    pages, records = drain(src, ref)
    assert len(pages) == 5 and len(records) == 23 and len({r.post_id for r in records}) == 23
    assert CursorState.load(pages[0].cursor).in_progress
    final = CursorState.load(pages[-1].cursor)
    assert not final.in_progress and final.hw
    # Two new posts arrive; the next run fetches one page and stops at the high-water mark.
    acc = fake.bsky[ref.handle]
    for n in (1, 2):
        acc.feed.insert(0, bsky_post(acc.did, acc.handle, f"3new{n}", f"baru {n}", iso(T0 + n * 60)))
    ref.cursor = pages[-1].cursor
    before = fake.hits["/xrpc/app.bsky.feed.getAuthorFeed"]
    pages2, records2 = drain(src, ref)
    assert sorted(r.text for r in records2) == ["baru 1", "baru 2"]
    assert fake.hits["/xrpc/app.bsky.feed.getAuthorFeed"] - before == 1


def test_bluesky_pinned_post_and_opted_out_authors_skipped(fake, client):
    did, handle = "did:plc:" + "p" * 24, "pin.bsky.social"
    acc = BskyAccount(did, handle)
    old = bsky_post(did, handle, "3old", "lama disematkan", iso(T0 - 9999))
    pinned = {**old, "reason": {"$type": "app.bsky.feed.defs#reasonPin"}}
    other = bsky_post("did:plc:" + "o" * 24, "other.bsky.social", "3oth", "orang lain", iso(T0 - 5),
                      labels=[{"val": "!no-unauthenticated", "src": "did:plc:" + "o" * 24}])
    other = {**other, "reason": {"$type": "app.bsky.feed.defs#reasonRepost", "by": {"did": did, "handle": handle},
                                 "indexedAt": iso(T0 - 4)}}
    acc.feed = [pinned, bsky_post(did, handle, "3a", "satu", iso(T0)), other, old]
    fake.bsky[handle] = acc
    src = bluesky.BlueskySource(http(client), base_url=fake.url)
    _, records = drain(src, AccountRef(1, "bluesky", handle, did))
    assert [r.text for r in records] == ["satu", "lama disematkan"]


@pytest.mark.parametrize("status,labels,expected", [
    ("takedown", [], "suspended"), ("deactivated", [], "deactivated"),
    ("ok", [{"val": "!no-unauthenticated"}], "opted_out")])
def test_bluesky_unavailable_accounts(fake, client, status, labels, expected):
    fake.bsky["x.bsky.social"] = BskyAccount("did:plc:" + "x" * 24, "x.bsky.social", status=status, labels=labels)
    src = bluesky.BlueskySource(http(client), base_url=fake.url)
    with pytest.raises(AccountUnavailable) as info:
        src.resolve(AccountRef(1, "bluesky", "x.bsky.social"))
    assert info.value.status == expected and info.value.reason


def test_bluesky_unknown_and_taken_down_after_resolve(fake, client):
    src = bluesky.BlueskySource(http(client), base_url=fake.url)
    with pytest.raises(AccountUnavailable) as info:
        src.resolve(AccountRef(1, "bluesky", "ghost.bsky.social"))
    assert info.value.status == "not_found"
    with pytest.raises(AccountUnavailable):  # feed of an actor taken down: 400 "Profile not found"
        list(src.fetch(AccountRef(1, "bluesky", "ghost.bsky.social", "did:plc:" + "g" * 24)))


def test_bluesky_recheck_finds_edits_and_deletions(fake, client):
    handles = populate(fake, bsky_accounts=1, masto_accounts=0, x_users=0, posts=4)
    acc = fake.bsky[handles["bluesky"][0]]
    uris = [i["post"]["uri"] for i in acc.feed]
    acc.feed[1]["post"]["record"]["text"] = "teks sudah diubah"
    del acc.feed[2]
    src = bluesky.BlueskySource(http(client), base_url=fake.url, recheck=10)
    ref = AccountRef(1, "bluesky", acc.handle, acc.did, cursor=CursorState(hw="9999").dump(), recent_post_ids=uris)
    pages, _ = drain(src, ref)
    last = pages[-1]
    assert last.cursor is None and last.deleted_ids == [uris[2]]
    assert {r.post_id: r.text for r in last.records}[uris[1]] == "teks sudah diubah"


def test_bluesky_malformed_feed(fake, client):
    fake.bsky["m.bsky.social"] = BskyAccount("did:plc:" + "m" * 24, "m.bsky.social")
    fake.fail("getAuthorFeed", 200, b'{"feed": "bukan daftar"}')
    src = bluesky.BlueskySource(http(client), base_url=fake.url)
    with pytest.raises(MalformedPayload):
        list(src.fetch(AccountRef(1, "bluesky", "m.bsky.social", "did:plc:" + "m" * 24)))


# --- Mastodon -------------------------------------------------------------------------------------

def test_mastodon_link_pagination_and_new_posts(fake, client):
    handles = populate(fake, bsky_accounts=0, masto_accounts=1, x_users=0, posts=25)
    src = mastodon.MastodonSource(http(client), base_url=fake.url, page_size=10)
    ref = AccountRef(1, "mastodon", handles["mastodon"][0])
    pages, records = drain(src, ref)
    assert len(records) == 25 and len({r.post_id for r in records}) == 25
    assert ref.platform_user_id == fake.masto["asn00"].id
    acc = fake.masto["asn00"]
    acc.statuses.insert(0, masto_status(str(int(acc.statuses[0]["id"]) + 1), acc.entity(), "baru", iso(T0 + 60)))
    ref.cursor = pages[-1].cursor
    _, again = drain(src, ref)
    assert [r.text for r in again] == ["baru"]


def test_mastodon_suspended_gives_empty_list_then_account_check(fake, client):
    fake.masto["susp"] = MastoAccount("42", "susp", suspended=True)
    src = mastodon.MastodonSource(http(client), base_url=fake.url)
    with pytest.raises(AccountUnavailable) as info:
        src.resolve(AccountRef(1, "mastodon", "susp@mastodon.example"))
    assert info.value.status == "suspended"
    with pytest.raises(AccountUnavailable):  # already resolved earlier: the 200 [] is not taken as "no posts"
        list(src.fetch(AccountRef(1, "mastodon", "susp@mastodon.example", "42")))


def test_mastodon_missing_noindex_and_anonymous_refused(fake, client):
    src = mastodon.MastodonSource(http(client), base_url=fake.url)
    with pytest.raises(AccountUnavailable) as info:
        src.resolve(AccountRef(1, "mastodon", "nobody@mastodon.example"))
    assert info.value.status == "not_found"
    fake.masto["hidden"] = MastoAccount("43", "hidden", noindex=True)
    with pytest.raises(AccountUnavailable) as info:
        src.resolve(AccountRef(1, "mastodon", "hidden@mastodon.example"))
    assert info.value.status == "opted_out"
    fake.masto_anonymous_ok = False
    with pytest.raises(PlatformError, match="mastodon_token"):
        src.resolve(AccountRef(1, "mastodon", "hidden@mastodon.example"))


def test_mastodon_recheck_edit_and_delete(fake, client):
    handles = populate(fake, bsky_accounts=0, masto_accounts=1, x_users=0, posts=3)
    acc = fake.masto["asn00"]
    ids = [s["id"] for s in acc.statuses]
    acc.statuses[0]["content"] = "<p>sudah diedit</p>"
    acc.statuses[0]["edited_at"] = iso(T0 + 100)
    del acc.statuses[1]
    src = mastodon.MastodonSource(http(client), base_url=fake.url)
    ref = AccountRef(1, "mastodon", handles["mastodon"][0], acc.id, cursor=CursorState(hw="9" * 24).dump(),
                     recent_post_ids=ids)
    pages, _ = drain(src, ref)
    assert pages[-1].deleted_ids == [ids[1]]
    assert {r.post_id: r.text for r in pages[-1].records}[ids[0]] == "sudah diedit"


# --- X --------------------------------------------------------------------------------------------

def xsrc(fake, client, **kw) -> x.XSource:
    return x.XSource(http(client), base_url=fake.url, token=fake.x_token, **kw)


def test_x_pages_budget_and_since_id(fake, client):
    handles = populate(fake, bsky_accounts=0, masto_accounts=0, x_users=1, posts=12)
    reads = Budget("x_post_reads", 1000, period="month")
    src = xsrc(fake, client, page_size=5, reads=reads)
    ref = AccountRef(1, "x", handles["x"][0])
    pages, records = drain(src, ref)
    assert len(records) == 12 and reads.used == 12
    user = fake.x["asn_00"]
    user.tweets.insert(0, x_tweet(str(int(user.tweets[0]["id"]) + 1), user.id, "baru", iso(T0 + 5)))
    ref.cursor = pages[-1].cursor
    _, again = drain(src, ref)
    assert [r.text for r in again] == ["baru"] and reads.used == 13  # since_id: only the new post was read


@pytest.mark.parametrize("status,expected", [("missing", "not_found"), ("suspended", "suspended"),
                                             ("protected", "private")])
def test_x_errors_inside_200(fake, client, status, expected):
    fake.x["gone"] = XUser("777", "gone", status=status)
    with pytest.raises(AccountUnavailable) as info:
        xsrc(fake, client).resolve(AccountRef(1, "x", "gone"))
    assert info.value.status == expected


def test_x_timeline_error_inside_200_after_resolve(fake, client):
    fake.x["later"] = XUser("778", "later", status="suspended")
    with pytest.raises(AccountUnavailable) as info:
        list(xsrc(fake, client).fetch(AccountRef(1, "x", "later", "778")))
    assert info.value.status == "suspended" and "suspended" in info.value.reason


def test_x_needs_token_and_budget(fake, client):
    with pytest.raises(PlatformError, match="x_bearer_token"):
        x.XSource(http(client), base_url=fake.url, token="").resolve(AccountRef(1, "x", "a"))
    fake.x["a"] = XUser("779", "a")
    from monitor.collect.base import BudgetExhausted
    with pytest.raises(BudgetExhausted):
        xsrc(fake, client, reads=Budget("x_post_reads", 5, used=5)).resolve(AccountRef(1, "x", "a"))


def test_x_edit_is_same_post_and_deletion_found(fake, client):
    handles = populate(fake, bsky_accounts=0, masto_accounts=0, x_users=1, posts=3)
    user = fake.x["asn_00"]
    src = xsrc(fake, client)
    ref = AccountRef(1, "x", handles["x"][0], user.id)
    pages, first = drain(src, ref)
    original = user.tweets[0]
    edited = x_tweet(str(int(original["id"]) + 10), user.id, "versi baru", iso(T0 + 60),
                     history=[original["id"], str(int(original["id"]) + 10)])
    user.tweets[0] = edited
    gone = user.tweets.pop(1)
    ref.cursor, ref.recent_post_ids = pages[-1].cursor, [r.post_id for r in first]
    pages2, _ = drain(src, ref)
    assert [(r.post_id, r.text) for r in pages2[0].records] == [(original["id"], "versi baru")]
    assert pages2[-1].deleted_ids == [gone["id"]]
