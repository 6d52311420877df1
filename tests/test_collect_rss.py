"""RSS 2.0 / Atom: the mapper on saved feeds, and the source against a real local server
(conditional GET, redirects, updated entries as versions, gone feeds, 429/503, bad XML)."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from fakefeeds import FakeFeeds, Reply, collect, register, stored
from monitor.collect import SOURCES
from monitor.collect.base import AccountRef, AccountUnavailable, CursorState, MalformedPayload, RateLimited
from monitor.collect.rss import FeedError, html_to_text, map_item, parse_feed, parse_rfc822

PAYLOADS = Path(__file__).parent / "payloads" / "rss"
FEED = "https://budisantoso.example/feed"


def entries(name: str, url: str = FEED) -> list:
    return parse_feed((PAYLOADS / name).read_bytes(), url).entries


# --- mapper --------------------------------------------------------------------------------------

def test_rss_items_map_with_guid_fallbacks_and_first_duplicate_wins():
    feed = parse_feed((PAYLOADS / "blog_rss.xml").read_bytes(), FEED)
    assert feed.format == "rss" and feed.lang == "id" and feed.duplicates == 1
    records = [map_item(e) for e in feed.entries]
    ids = [r.post_id for r in records]
    # a bare guid is prefixed with the feed URL; URL guids are global; no guid -> link -> hash
    assert ids[0] == f"{FEED}#budisantoso.example-post-482"
    assert ids[1] == "https://budisantoso.example/?p=471"
    assert ids[2] == "https://budisantoso.example/2026/02/catatan"
    assert ids[3].startswith(f"{FEED}#sha256:")
    assert len(set(ids)) == 4

    first = records[0]
    assert first.text == "Apel pagi dan semangat pelayanan\n\nPagi ini apel bersama rekan dinas.\n\nSemangat melayani!"
    assert "alert" not in first.text                      # scripts are dropped, markup never kept
    assert first.created_at == "2026-03-02T01:15:09Z"      # +0700 converted to UTC
    assert first.lang == "id" and first.kind == "post" and first.account_handle == FEED
    assert first.media == ["https://budisantoso.example/img/apel.jpg"]   # enclosure and <img> deduplicated
    assert first.url == "https://budisantoso.example/2026/03/apel-pagi"
    assert first.raw["xml"].startswith("<item>\n   <title>Apel pagi") and first.raw["xml"].endswith("</item>")
    assert "<content:encoded><![CDATA[<p>Pagi ini" in first.raw["xml"]   # the source text exactly
    assert records[1].created_at == "2026-02-28T19:00:00Z"  # 2-digit year
    assert records[1].media == ["https://budisantoso.example/img/kampanye.png"]   # relative media URL resolved
    assert records[2].created_at is None                    # an invalid date is not fatal


def test_atom_entries_text_html_and_xhtml():
    records = [map_item(e) for e in entries("blog_atom.xml")]
    assert records[0].post_id == "tag:budisantoso.example,2026-03-02:/2026/03/apel-pagi"
    assert records[0].text == "Apel pagi dan semangat pelayanan\n\nPagi ini apel bersama rekan dinas."
    assert records[0].created_at == "2026-03-02T01:15:09Z"
    xhtml = records[1]
    assert xhtml.text == "Catatan XHTML\n\nBaris satu\n\nBaris dua"
    assert xhtml.lang == "en"                               # entry xml:lang beats the feed's
    assert xhtml.url == "https://budisantoso.example/2026/03/xhtml"
    assert xhtml.media == ["https://budisantoso.example/audio/1.mp3"]
    assert xhtml.created_at == "2026-03-01T02:00:00Z"      # no published: updated, in UTC


def test_declared_encoding_and_html_entities_are_repaired():
    record = map_item(entries("latin1_nbsp.xml", "https://desa.example/rss")[0])
    assert record.text == "Café desa dibuka\n\nHarga kopi Rp 5.000 saja © desa"


@pytest.mark.parametrize("name", ["truncated.xml", "not_a_feed.html"])
def test_bad_feeds_raise_feed_error(name):
    with pytest.raises(FeedError):
        parse_feed((PAYLOADS / name).read_bytes(), FEED)


def test_entity_expansion_attacks_are_refused():
    bomb = (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
            b"<rss><channel><item><title>&b;</title></item></channel></rss>")
    with pytest.raises(FeedError):
        parse_feed(bomb, FEED)


def test_html_to_text_and_dates():
    assert html_to_text("<p>a&nbsp;b</p><ul><li>x</li><li>y</li></ul><style>p{}</style>")[0] == "a b\n\nx\n\ny"
    assert parse_rfc822("Mon, 02 Mar 2026 08:15:09 +0700") == "2026-03-02T01:15:09Z"
    assert parse_rfc822("2026-03-02T08:15:09+07:00") == "2026-03-02T01:15:09Z"
    assert parse_rfc822("kemarin sore") is None


# --- the source against a local server -----------------------------------------------------------

@pytest.fixture
def fake():
    with FakeFeeds() as server:
        yield server


@pytest.fixture
def client():
    with httpx.Client(timeout=0.5) as c:
        yield c


def source_for(client, **settings):
    src = SOURCES["rss"]({**settings}, client)
    src.http.sleep = lambda seconds: None
    return src


def test_feed_collects_then_304_then_edit_becomes_a_version(store, fake, client):
    fake.set("/atom.xml", (PAYLOADS / "blog_atom.xml").read_bytes(), "application/atom+xml")
    url = f"{fake.url}/atom.xml"
    account = register(store, "rss", url)
    src = source_for(client)
    assert collect(store, src, account)["new"] == 2
    state = CursorState.load(store.one("SELECT cursor FROM accounts WHERE id = ?", (account,))[0])
    assert state.extra["etag"] and state.hw == "2026-03-02T01:15:09Z"

    again = collect(store, src, account)                    # unchanged: conditional GET, 304
    assert again == {"pages": 1, "new": 0, "edited": 0, "deleted": 0}
    assert fake.requests[-1][2].get("If-None-Match") == state.extra["etag"]

    fake.set("/atom.xml", (PAYLOADS / "blog_atom_edited.xml").read_bytes(), "application/atom+xml")
    edited = collect(store, src, account)
    assert edited["new"] == 0 and edited["edited"] == 1
    post = stored(store, "rss")["tag:budisantoso.example,2026-03-02:/2026/03/apel-pagi"]
    assert post["version"] == 2 and "pilih nomor 2" in post["text"]


def test_redirects_are_followed_and_wrong_content_type_is_fine(store, fake, client):
    fake.set("/baru.xml", (PAYLOADS / "blog_rss.xml").read_bytes(), "text/html")
    fake.redirects["/lama.xml"] = (301, "/antara.xml")
    fake.redirects["/antara.xml"] = (308, f"{fake.url}/baru.xml")
    account = register(store, "rss", f"{fake.url}/lama.xml")
    assert collect(store, source_for(client), account)["new"] == 4


def test_redirect_loop_is_a_platform_error(fake, client):
    fake.redirects["/a.xml"] = (302, "/b.xml")
    fake.redirects["/b.xml"] = (302, "/a.xml")
    with pytest.raises(Exception, match="pengalihan"):
        list(source_for(client).fetch(AccountRef(1, "rss", f"{fake.url}/a.xml")))


@pytest.mark.parametrize("status,expected", [(404, "not_found"), (410, "not_found"), (403, "private")])
def test_gone_or_closed_feeds_mark_the_account(fake, client, status, expected):
    fake.fault("/feed.xml", Reply(status, "nope"))
    with pytest.raises(AccountUnavailable) as caught:
        list(source_for(client).fetch(AccountRef(1, "rss", f"{fake.url}/feed.xml")))
    assert caught.value.status == expected


def test_503_and_429_with_retry_after_then_success(store, fake, client):
    fake.set("/feed.xml", (PAYLOADS / "blog_rss.xml").read_bytes())
    fake.fault("/feed.xml", Reply(503, "", {"Retry-After": "3"}), Reply(429, "", {"Retry-After": "5"}),
               Reply(delay=1.0))
    src = source_for(client)
    account = register(store, "rss", f"{fake.url}/feed.xml")
    assert collect(store, src, account)["new"] == 4
    assert src.http.waited >= 8


def test_429_with_http_date_far_away_is_a_rate_signal(fake, client):
    fake.fault("/feed.xml", Reply(429, "", {"Retry-After": "Wed, 21 Oct 2099 07:28:00 GMT"}))
    with pytest.raises(RateLimited):
        list(source_for(client).fetch(AccountRef(1, "rss", f"{fake.url}/feed.xml")))


@pytest.mark.parametrize("name", ["truncated.xml", "not_a_feed.html"])
def test_malformed_feed_keeps_the_raw_body(fake, client, name):
    body = (PAYLOADS / name).read_bytes()
    fake.set("/feed.xml", body)
    with pytest.raises(MalformedPayload) as caught:
        list(source_for(client).fetch(AccountRef(1, "rss", f"{fake.url}/feed.xml")))
    assert caught.value.body == body
