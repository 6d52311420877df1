"""X web-app tweets, Threads posts and Facebook stories from browser captures: shapes (reposts,
quotes, replies, deleted, promoted, group posts) and the registered-only import with
interactions on campaign accounts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fakeplatforms import register, register_campaign
from monitor.collect import capture_import, facebook, threads, x_web
from monitor.collect.captured import Comment, SkipItem
from monitor.people.handles import normalize_handle
from monitor.store import collection

PAYLOADS = Path(__file__).parent / "payloads" / "captures"


def data(name: str) -> list[dict]:
    return [json.loads(line)["data"] for line in (PAYLOADS / name).read_text(encoding="utf-8").splitlines() if line]


def test_x_web_shapes():
    items = data("x.ndjson")
    post = x_web.map_item(items[0])
    assert (post.post_id, post.account_handle, post.kind) == ("1862000000000000001", "andi_pratama_asn", "post")
    assert post.created_at == "2024-11-30T02:00:00Z" and post.media == ["https://pbs.twimg.example/media/Gabc.jpg"]
    assert post.url == "https://x.com/andi_pratama_asn/status/1862000000000000001"
    repost = x_web.map_item(items[1])
    assert repost.kind == "repost" and repost.original_author == "jokocalon" and repost.text == "Debat malam ini, saksikan!"
    quote = x_web.map_item(items[2])
    assert quote.kind == "quote" and quote.original_author == "jokocalon"
    reply = x_web.map_item(items[3])
    assert isinstance(reply, Comment) and reply.target_author == "jokocalon"
    assert reply.target_post_id == "1862000000000000100"
    assert x_web.map_item(items[4]).account_handle == "warga_x"  # visibility wrapper unwrapped
    for index, reason in ((5, "deleted"), (6, "ad")):
        with pytest.raises(SkipItem) as skipped:
            x_web.map_item(items[index])
        assert skipped.value.reason == reason


def test_threads_shapes():
    items = data("threads.ndjson")
    post = threads.map_item(items[0])
    assert post.url == "https://www.threads.net/@budi.santoso_skm/post/DCthread01" and post.kind == "post"
    reply = threads.map_item(items[1])
    assert isinstance(reply, Comment) and reply.target_author == "hera.sukamaju"
    repost = threads.map_item(items[2])
    assert repost.kind == "repost" and repost.original_author == "hera.sukamaju" and repost.text == "Pilih nomor 1!"


def test_facebook_shapes():
    items = data("facebook.ndjson")
    page_post = facebook.map_item(items[0])
    assert (page_post.post_id, page_post.account_handle) == ("1220000000000001", "dewi.lestari.skm")
    assert page_post.media == ["https://scontent.fcgk.fbcdn.example/v/p1.jpg"] and page_post.created_at == "2024-11-30T01:26:40Z"
    group_post = facebook.map_item(items[1])
    assert group_post.account_handle == "100012345678"
    assert facebook.group_of(items[1]["comet_sections"]["content"]["story"]) == "Info Warga Sukamaju"
    with pytest.raises(SkipItem):
        facebook.map_item(items[3])
    assert normalize_handle("facebook", "https://www.facebook.com/profile.php?id=100012345678") == "100012345678"


@pytest.fixture
def registry(store):
    ids = register(store, {"x": ["andi_pratama_asn"], "instagram": ["budi.santoso_skm"],
                           # the registry import normalises a profile URL the way this does
                           "facebook": ["dewi.lestari.skm",
                                        normalize_handle("facebook", "https://www.facebook.com/profile.php?id=100012345678")]})
    register_campaign(store, "x", "jokocalon")
    register_campaign(store, "instagram", "hera.sukamaju")
    register_campaign(store, "facebook", "hera.sukamaju")
    return ids


def test_x_import_registered_only_with_repost_quote_and_reply_interactions(store, registry):
    report = capture_import.import_capture(store, PAYLOADS / "x.ndjson")
    c = report.counts
    assert (c["new"], c["dropped_unregistered"], c["deleted"], c["ads"], c["errors"]) == (4, 1, 1, 1, 0)
    kinds = sorted(i["kind"] for i in collection.list_interactions(store))
    assert kinds == ["quote", "reply", "repost"] and c["flags"] == 3
    codes = {i["kind"]: i["proposed_code"] for i in collection.list_interactions(store)}
    assert codes == {"repost": "N2", "quote": "N2", "reply": "N3"}


def test_threads_items_match_the_registered_instagram_handle(store, registry):
    report = capture_import.import_capture(store, PAYLOADS / "threads.ndjson")
    assert report.counts["new"] == 3 and report.counts["dropped_unregistered"] == 1
    rows = store.query("SELECT platform, account_id FROM posts")
    assert {r[0] for r in rows} == {"threads"}
    assert {r[1] for r in rows} == {registry[("instagram", "budi.santoso_skm")]}
    assert sorted(i["kind"] for i in collection.list_interactions(store)) == ["reply", "repost"]


def test_facebook_import_with_comments_on_a_campaign_post(store, registry):
    report = capture_import.import_capture(store, PAYLOADS / "facebook.ndjson")
    # 2 registered posts + the registered comment; the stranger's post and comment are dropped
    assert (report.counts["new"], report.counts["dropped_unregistered"], report.counts["ads"]) == (3, 2, 1)
    linked = store.query("SELECT post_id FROM posts WHERE account_id IS NOT NULL ORDER BY post_id")
    assert [r[0] for r in linked] == ["1220000000000001", "1220000000000002", "c1230000000000001"]
    found = collection.list_interactions(store)
    assert [(i["kind"], i["handle"], i["campaign_handle"], i["target_post_id"]) for i in found] == \
        [("comment", "dewi.lestari.skm", "hera.sukamaju", "1229999999999999")]
