"""Pure mappers on saved payloads shaped like the real APIs (tests/payloads/, from platform-apis.md)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from monitor.collect import bluesky, mastodon, x
from monitor.collect.base import CursorState, MalformedPayload, to_utc, walk_newest_first

PAYLOADS = Path(__file__).parent / "payloads"


def load(name: str):
    return json.loads((PAYLOADS / name).read_text(encoding="utf-8"))


def test_bluesky_feed_maps_post_reply_and_repost():
    feed = load("bluesky_author_feed.json")["feed"]
    post, reply, repost = (bluesky.map_item(item) for item in feed)
    assert post.kind == "post" and post.lang == "id"
    assert post.post_id == "at://did:plc:7f3kq2m5xw4vt6zhd2yc5ne4/app.bsky.feed.post/3mcx2a7hmbk2s"
    assert post.url == "https://bsky.app/profile/budi-santoso.bsky.social/post/3mcx2a7hmbk2s"
    assert post.created_at == "2026-03-02T01:15:09Z"
    assert post.media and post.media[0].startswith("https://cdn.bsky.app/img/feed_fullsize/")
    assert post.raw is feed[0]
    assert reply.kind == "reply" and reply.text.startswith("Setuju")
    assert repost.kind == "repost"
    assert repost.original_author == "calon-bupati-x.bsky.social"
    assert repost.post_id.endswith("app.bsky.feed.repost/3mcv3a2b4c6d2")
    assert repost.created_at == "2026-02-28T12:31:07Z"  # when it was reposted, not written
    assert repost.account_handle == "budi-santoso.bsky.social"


def test_bluesky_quote_and_future_created_at():
    item = load("bluesky_author_feed.json")["feed"][0]
    item = json.loads(json.dumps(item))
    item["post"]["embed"] = load("bluesky_quote_embed.json")["embed"]
    item["post"]["record"]["createdAt"] = "2031-01-01T00:00:00Z"  # client-declared, in the future
    record = bluesky.map_item(item)
    assert record.kind == "quote" and record.original_author == "calon-bupati-x.bsky.social"
    assert record.created_at == "2026-03-02T01:15:10Z"  # indexedAt wins over a future createdAt


def test_bluesky_sort_key_orders_feed():
    keys = [bluesky.sort_key(i) for i in load("bluesky_author_feed.json")["feed"]]
    assert keys == sorted(keys, reverse=True)


def test_bluesky_item_without_uri_is_malformed():
    with pytest.raises(MalformedPayload):
        bluesky.map_item({"post": {"record": {}}})


def test_mastodon_statuses_map_edit_reply_boost():
    statuses = load("mastodon_statuses.json")
    edited, reply, boost = (mastodon.map_item(s) for s in statuses)
    assert edited.kind == "post" and edited.text == "Apel pagi bersama rekan dinas #SukamajuMaju"
    assert edited.media == ["https://files.mastodon.example/media_attachments/files/113/601/234/000/000/001/original/a1b2c3.jpg"]
    assert edited.account_handle == "budisantoso@mastodon.example"
    assert edited.created_at == "2026-03-02T01:15:09Z"
    assert reply.kind == "reply" and "<" not in reply.text and reply.text.startswith("@warga")
    assert boost.kind == "repost" and boost.original_author == "paslon2@partai.example"
    assert boost.text == "Ayo coblos nomor 2 tanggal 27 November!"
    assert boost.url == "https://partai.example/@paslon2/113598100000000777"
    assert boost.lang == "id"  # the boosted status's language; the wrapper's is null


def test_mastodon_html_to_text_and_links():
    assert mastodon.html_to_text("<p>a &amp; b<br>c</p><p>d</p>") == "a & b\nc\n\nd"
    link = ('<https://m.example/api/v1/accounts/1/statuses?limit=3&max_id=113598200000000003>; rel="next", '
            '<https://m.example/api/v1/accounts/1/statuses?limit=3&min_id=9>; rel="prev"')
    assert mastodon.next_max_id(link) == "113598200000000003"
    assert mastodon.next_max_id('<https://m.example/x?min_id=9>; rel="prev"') is None


def test_x_tweets_map_edit_reply_retweet_quote():
    items = x.split_response(load("x_user_tweets.json"))
    edited, reply, retweet, quote = (x.map_item(i) for i in items)
    assert edited.post_id == "1896123400000000001"  # first id of the edit history: edits become versions
    assert edited.url == "https://x.com/budi_santoso/status/1896123456789012345"
    assert edited.media == ["https://pbs.twimg.com/media/GkQ3aBcDeFgHiJk.jpg"]
    assert edited.lang == "id"  # X's legacy "in"
    assert reply.kind == "reply"
    assert retweet.kind == "repost" and retweet.original_author == "paslon_dua"
    assert retweet.text == "Ayo coblos nomor 2 tanggal 27 November!"  # full original, not the truncated RT
    assert quote.kind == "quote" and quote.original_author == "paslon_dua"
    # Each raw item keeps only the includes it uses (the reply needs no one else's profile).
    assert [u["username"] for u in items[0]["includes"]["users"]] == ["budi_santoso"]


def test_x_post_naming_variant():
    data = json.loads(json.dumps(load("x_user_tweets.json")).replace("referenced_tweets", "referenced_posts")
                      .replace("edit_history_tweet_ids", "edit_history_post_ids"))
    data["includes"]["posts"] = data["includes"].pop("tweets")
    kinds = [x.map_item(i).kind for i in x.split_response(data)]
    assert kinds == ["post", "reply", "repost", "quote"]


def test_walk_stops_at_high_water_mark_and_resumes():
    pages = {None: ([9, 8, 7], "a"), "a": ([6, 5, 4], "b"), "b": ([3, 2, 1], None)}
    key = lambda n: f"{n:03d}"  # noqa: E731
    to_records = lambda items: list(items)  # noqa: E731
    first = list(walk_newest_first(CursorState(), pages.__getitem__, key=key, to_records=to_records))
    assert [p.records for p in first] == [[9, 8, 7], [6, 5, 4], [3, 2, 1]]
    assert CursorState.load(first[0].cursor).page == "a"
    assert CursorState.load(first[-1].cursor) == CursorState(hw="009")
    # Resume from the state committed after page 1: page "a" next, same final mark.
    resumed = list(walk_newest_first(CursorState.load(first[0].cursor), pages.__getitem__, key=key,
                                     to_records=to_records))
    assert [p.records for p in resumed] == [[6, 5, 4], [3, 2, 1]]
    assert CursorState.load(resumed[-1].cursor).hw == "009"
    # A later run with two new items stops inside the first page.
    newer = {None: ([11, 10, 9], "a")}
    later = list(walk_newest_first(CursorState(hw="009"), newer.__getitem__, key=key, to_records=to_records))
    assert [p.records for p in later] == [[11, 10]] and CursorState.load(later[0].cursor).hw == "011"


def test_to_utc():
    assert to_utc("2026-03-02T08:15:09+07:00") == "2026-03-02T01:15:09Z"
    assert to_utc("2026-03-02T01:15:09.412Z", ms=True) == "2026-03-02T01:15:09.412Z"
    assert to_utc("kemarin") is None
