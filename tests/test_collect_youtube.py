"""YouTube: mappers on saved payloads; the Data API source (quota in units, quotaExceeded as a
rate signal, private stubs as deletions, edits, vanished channels) and the feed fallback
against a real local server; comments of registered ASN accounts on campaign videos."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest

from fakefeeds import Channel, FakeYouTube, Reply, Video, collect, register, stored
from monitor.collect import SOURCES
from monitor.collect.base import (AccountRef, AccountUnavailable, BudgetExhausted, CampaignRef, CursorState,
                                  MalformedPayload, PlatformError, RateLimited)
from monitor.collect.youtube import (QuotaBudget, comment_author_ids, is_unavailable, map_item, next_quota_reset,
                                     parse_channel_feed)

PAYLOADS = Path(__file__).parent / "payloads" / "youtube"


def load(name: str):
    return json.loads((PAYLOADS / name).read_text(encoding="utf-8"))


# --- mappers -------------------------------------------------------------------------------------

def test_playlist_item_alone_and_private_stub():
    public, private = load("playlist_items.json")["items"]
    record = map_item(public)
    assert record.platform == "youtube" and record.post_id == "dQw4w9WgXc1"
    assert record.created_at == "2026-03-02T03:00:00Z"   # videoPublishedAt, not the playlist time
    assert record.text == "Apel Pagi ASN Sukamaju, 2 Maret 2026\n\nDokumentasi apel pagi di halaman kantor bupati."
    assert record.url == "https://www.youtube.com/watch?v=dQw4w9WgXc1"
    assert record.media == ["https://i.ytimg.com/vi/dQw4w9WgXc1/hqdefault.jpg"]
    assert record.account_handle == "UCq7Xk2mVb9Np4Lr6Ts8Wy1Z" and record.kind == "post"
    assert not is_unavailable(public) and is_unavailable(private)


def test_playlist_item_with_video_details_uses_full_description_and_language():
    public = load("playlist_items.json")["items"][0]
    video = load("videos.json")["items"][0]
    record = map_item({"playlistItem": public, "video": video})
    assert record.text.endswith("Hadir seluruh kepala OPD.") and record.lang == "id"
    assert record.raw["video"]["statistics"]["viewCount"] == "1432"
    assert map_item(video).text == record.text            # a bare video resource maps the same way


def test_feed_entry_maps_like_the_api_so_switching_sources_is_not_an_edit():
    entry = parse_channel_feed((PAYLOADS / "channel_feed.xml").read_bytes())[0]
    from_feed = map_item(entry)
    from_api = map_item(load("playlist_items.json")["items"][0])
    assert (from_feed.post_id, from_feed.text, from_feed.media, from_feed.created_at) == \
        (from_api.post_id, from_api.text, from_api.media, from_api.created_at)
    assert from_feed.account_handle == "UCq7Xk2mVb9Np4Lr6Ts8Wy1Z"   # the entry's id, not the UC-less feed id
    assert entry["xml"].startswith("<entry>") and "<media:statistics views=\"1432\"/>" in entry["xml"]


def test_unknown_shapes_are_rejected():
    with pytest.raises(ValueError):
        map_item({"kind": "youtube#channel"})


def test_comment_authors_are_identified_by_channel_id_and_handle():
    thread = load("comment_threads.json")["items"][0]
    reply = thread["replies"]["comments"][0]
    assert comment_author_ids(reply) == ["UCbudiSantoso00000000001", "@budisantoso", "@budisantoso"]


def test_quota_resets_at_pacific_midnight():
    now = datetime(2026, 3, 2, 10, 0, tzinfo=timezone.utc).timestamp()   # 02:00 in Los Angeles
    reset = datetime.fromtimestamp(next_quota_reset(now), ZoneInfo("America/Los_Angeles"))
    assert (reset.year, reset.month, reset.day, reset.hour, reset.minute) == (2026, 3, 3, 0, 0)
    budget = QuotaBudget("youtube_quota", 10)
    assert budget.period_key(datetime(2026, 3, 3, 5, 0, tzinfo=timezone.utc)) == "2026-03-02"


# --- the API source against a local server -------------------------------------------------------

CHANNEL = "UCbudiSantoso00000000001"


def videos(n: int, *, start: int = 0, private: tuple[int, ...] = ()) -> list[Video]:
    """``n`` videos newest first, numbered from ``start``."""
    out = []
    for k in range(start + n - 1, start - 1, -1):
        out.append(Video(f"vid{k:08d}", f"Video nomor {k}", f"Deskripsi video {k}",
                         f"2026-02-{1 + k // 10 % 28:02d}T{k % 10:02d}:{k % 60:02d}:00Z",
                         privacy="private" if k in private else "public"))
    return out


@pytest.fixture
def fake():
    with FakeYouTube() as server:
        yield server


@pytest.fixture
def client():
    with httpx.Client(timeout=0.5) as c:
        yield c


def source_for(fake, client, *, key="K", **settings):
    src = SOURCES["youtube"]({"youtube_api_key": key, "youtube_base_url": f"{fake.url}/youtube/v3",
                              "youtube_feed_base_url": fake.url, "collect_page_size": 50,
                              "youtube_daily_quota": 10_000, **settings}, client)
    src.http.sleep = lambda seconds: None
    return src


def test_uploads_are_paged_with_quota_counted_and_private_stubs_skipped(store, fake, client):
    channel = fake.add(Channel(CHANNEL, "@budisantoso", "Budi Santoso", videos(120, private=(5, 70))))
    account = register(store, "youtube", "@budisantoso")
    src = source_for(fake, client)
    first = collect(store, src, account)
    posts = stored(store, "youtube")
    assert first["new"] == 118 and len(posts) == 118 and "vid00000005" not in posts
    assert posts["vid00000119"]["text"] == "Video nomor 119\n\nDeskripsi video 119"
    # forHandle + channels(contentDetails) + 3 playlist pages + 3 videos.list = 8 units
    assert fake.units == 8 and src.budget.used == 8
    assert store.one("SELECT platform_user_id FROM accounts WHERE id = ?", (account,))[0] == CHANNEL

    channel.videos[:0] = videos(2, start=120)
    fake.requests.clear()
    second = collect(store, src, account)
    assert second["new"] == 2
    assert [p for p in fake.paths()] == ["/youtube/v3/playlistItems", "/youtube/v3/videos"]  # uploads id cached


def test_recheck_versions_edits_and_marks_private_or_deleted(store, fake, client):
    channel = fake.add(Channel(CHANNEL, "@budisantoso", "Budi Santoso", videos(10)))
    account = register(store, "youtube", "@budisantoso")
    src = source_for(fake, client)
    collect(store, src, account)
    by_id = {v.id: v for v in channel.videos}
    by_id["vid00000003"].description = "Deskripsi diubah: pilih nomor 2"
    by_id["vid00000004"].privacy = "private"              # now a stub in the playlist
    channel.videos.remove(by_id["vid00000001"])           # gone completely
    result = collect(store, src, account, recent=["vid00000003", "vid00000001", "vid00000002"])
    posts = stored(store, "youtube")
    assert result["edited"] == 1 and posts["vid00000003"]["version"] == 2
    assert posts["vid00000001"]["deleted_at"] is not None
    assert posts["vid00000002"]["deleted_at"] is None and posts["vid00000002"]["version"] == 1
    assert posts["vid00000001"]["text"]                   # the evidence stays


def test_private_stub_in_the_playlist_marks_a_stored_video_deleted(store, fake, client):
    channel = fake.add(Channel(CHANNEL, "@budisantoso", "Budi Santoso", videos(3)))
    account = register(store, "youtube", "@budisantoso")
    src = source_for(fake, client)
    collect(store, src, account)
    channel.videos[0].privacy = "private"
    channel.videos.insert(0, videos(1, start=50)[0])      # a new upload puts the stub on a fresh page
    # the stub's playlist time is newer than the mark, so it is read and reported
    channel.videos[1].published = "2026-03-05T00:00:00Z"
    channel.videos[0].published = "2026-03-06T00:00:00Z"
    result = collect(store, src, account)
    assert result["new"] == 1 and result["deleted"] == 1
    assert stored(store, "youtube")["vid00000002"]["deleted_at"] is not None


def test_crash_mid_run_resumes_without_loss_or_duplicates(store, fake, client, tmp_path):
    from monitor.store import connect

    fake.add(Channel(CHANNEL, "@budisantoso", "Budi Santoso", videos(140)))
    account = register(store, "youtube", "@budisantoso")
    src = source_for(fake, client)
    collect(store, src, account, stop_after=1)
    assert CursorState.load(store.one("SELECT cursor FROM accounts WHERE id = ?", (account,))[0]).in_progress
    collect(store, src, account)
    with connect(tmp_path / "clean.db") as clean:
        collect(clean, src, register(clean, "youtube", "@budisantoso"))
        expected = {k: v["text"] for k, v in stored(clean, "youtube").items()}
    assert {k: v["text"] for k, v in stored(store, "youtube").items()} == expected
    assert len(expected) == 140


def test_quota_exceeded_is_a_rate_signal_until_pacific_midnight(fake, client):
    fake.add(Channel(CHANNEL, "@budisantoso", "Budi Santoso", videos(3)))
    fake.quota = 1
    src = source_for(fake, client)
    with pytest.raises(RateLimited) as caught:
        list(src.fetch(AccountRef(1, "youtube", "@budisantoso")))
    assert caught.value.retry_at == next_quota_reset(src.http.clock())
    assert not isinstance(caught.value, AccountUnavailable)


def test_own_daily_budget_stops_before_google_does(fake, client):
    fake.add(Channel(CHANNEL, "@budisantoso", "Budi Santoso", videos(3)))
    src = source_for(fake, client, youtube_daily_quota=2)
    with pytest.raises(BudgetExhausted):
        list(src.fetch(AccountRef(1, "youtube", "@budisantoso")))
    assert fake.units == 2


def test_unknown_handle_is_200_without_items(fake, client):
    with pytest.raises(AccountUnavailable) as caught:
        source_for(fake, client).resolve(AccountRef(1, "youtube", "@tidakada"))
    assert caught.value.status == "not_found"


def test_vanished_channel_playlist_not_found(fake, client):
    cursor = CursorState(hw="2026-02-01T00:00:00Z", extra={"uploads": "UUhilang0000000000000001"}).dump()
    with pytest.raises(AccountUnavailable) as caught:
        list(source_for(fake, client).fetch(AccountRef(1, "youtube", "@hilang", "UChilang0000000000000001", cursor)))
    assert caught.value.status == "not_found" and "playlist" in caught.value.reason


def test_invalid_key_is_a_platform_error(fake, client):
    with pytest.raises(PlatformError, match="tidak sah"):
        source_for(fake, client, key="salah").resolve(AccountRef(1, "youtube", "@budisantoso"))


def test_5xx_and_timeouts_are_retried_and_every_attempt_costs_quota(store, fake, client):
    fake.add(Channel(CHANNEL, "@budisantoso", "Budi Santoso", videos(3)))
    fake.fault("/youtube/v3/playlistItems", Reply(500, '{"error": {"code": 500, "message": "Backend Error"}}'),
               Reply(delay=1.0))
    src = source_for(fake, client)
    assert collect(store, src, register(store, "youtube", "@budisantoso"))["new"] == 3
    assert src.budget.used == fake.units == 6  # 2 channels, 3 playlist attempts (2 failed), 1 videos


@pytest.mark.parametrize("body", ['{"kind": "youtube#playlistItemListResponse", "items": [',
                                  "<html>Service Unavailable</html>", '{"kind": "x", "items": {"a": 1}}'])
def test_truncated_or_invalid_json_in_200_is_malformed(fake, client, body):
    fake.add(Channel(CHANNEL, "@budisantoso", "Budi Santoso", videos(3)))
    fake.fault("/youtube/v3/playlistItems", Reply(200, body, {"Content-Type": "application/json"}))
    with pytest.raises(MalformedPayload) as caught:
        list(source_for(fake, client).fetch(AccountRef(1, "youtube", "@budisantoso")))
    assert caught.value.body == body.encode()


# --- no key: the channel feed --------------------------------------------------------------------

def test_without_key_the_feed_is_used_and_switching_to_the_api_adds_no_versions(store, fake, client):
    fake.add(Channel(CHANNEL, "@budisantoso", "Budi Santoso", videos(20, private=(19,))))
    account = register(store, "youtube", "@budisantoso")
    feed_source = source_for(fake, client, key="")
    assert collect(store, feed_source, account)["new"] == 15      # the feed holds the 15 newest
    assert fake.units == 0 and feed_source.budget is None
    assert store.one("SELECT platform_user_id FROM accounts WHERE id = ?", (account,))[0] == CHANNEL
    api = collect(store, source_for(fake, client), account)
    assert api["edited"] == 0 and api["new"] == 4 and len(stored(store, "youtube")) == 19  # backfilled


def test_feed_of_a_vanished_channel_is_not_found(fake, client):
    with pytest.raises(AccountUnavailable):
        list(source_for(fake, client, key="").fetch(AccountRef(1, "youtube", CHANNEL)))
    with pytest.raises(AccountUnavailable):
        source_for(fake, client, key="").resolve(AccountRef(1, "youtube", "@tidakada"))


def test_broken_feed_is_malformed(fake, client):
    fake.fault("/feeds/videos.xml", Reply(200, "<feed><entry>", {"Content-Type": "text/xml"}))
    with pytest.raises(MalformedPayload):
        list(source_for(fake, client, key="").fetch(AccountRef(1, "youtube", CHANNEL)))


# --- campaign side: comments by registered ASN accounts ------------------------------------------

def test_only_comments_by_registered_asn_accounts_are_kept(store, fake, client):
    from monitor.store import collection, elections

    campaign = "UCpaslon2Kampanye0000001"
    clip = Video("CampVid0001", "Kampanye akbar", "Paslon 2", "2026-03-01T00:00:00Z", comments=[
        {"author_id": "UCwargaBiasa000000000001", "handle": "@wargabiasa", "text": "Semangat!",
         "replies": [{"author_id": "UCbudiSantoso00000000001", "handle": "@budisantoso", "text": "Coblos 2!"}]},
        {"author_id": "UCsitiAsn000000000000001", "handle": "@sitiasn", "text": "Mantap pak"},
        *[{"author_id": f"UCorang{n:017d}", "handle": f"@orang{n}", "text": "ok"} for n in range(150)],
    ])
    closed = Video("CampVid0002", "Tanpa komentar", "", "2026-02-28T00:00:00Z", comments=["disabled"])
    fake.add(Channel(campaign, "@paslondua", "Paslon Dua", [clip, closed]))
    budi = register(store, "youtube", "@budisantoso")              # matched by handle
    siti = register(store, "youtube", "UCsitiAsn000000000000001", nip="199202022016022002", name="Siti")
    elections.upsert_registry(store, {"campaign_accounts": [
        {"platform": "youtube", "handle": "@paslondua", "owner_type": "candidate", "owner": "Paslon 2"}]})
    index = collection.registered_index(store, "youtube")

    def match(ids):
        return next((index[i.lower()] for i in ids if i and i.lower() in index), None)

    src = source_for(fake, client)
    ref = CampaignRef(1, "youtube", "@paslondua")
    found = list(src.interactions(ref, match))
    assert sorted((i.account_id, i.kind, i.target_post_id) for i in found) == \
        sorted([(budi, "comment", "CampVid0001"), (siti, "comment", "CampVid0001")])
    assert ref.platform_user_id == campaign
    assert all(i.target_url == "https://www.youtube.com/watch?v=CampVid0001" for i in found)
    # the kept raw is the ASN account's own comment only: no other commenter's identity
    for item in found:
        text = json.dumps(item.raw)
        assert "wargabiasa" not in text and "orang" not in text
    counts = collection.save_interactions(store, 1, found)
    assert counts == {"interactions": 2, "flags": 2}
    rows = store.query("SELECT raw_json FROM interactions")
    assert not any("wargabiasa" in r[0] for r in rows)
    pages = [q.get("pageToken", [None])[0] for p, q, _ in fake.requests if p.endswith("commentThreads")]
    assert pages[:2] == [None, "C100"]                               # comment pages followed


def test_no_key_means_no_comment_collection(fake, client):
    assert list(source_for(fake, client, key="").interactions(CampaignRef(1, "youtube", "@x"), lambda ids: 1)) == []


def test_through_the_pipeline_a_vanished_channel_does_not_stop_the_others(store, fake, client):
    from monitor import config
    from monitor.pipeline import run_collection
    from monitor.store import elections

    fake.add(Channel(CHANNEL, "@budisantoso", "Budi Santoso", videos(4)))
    fake.add(Channel("UCpaslon2Kampanye0000001", "@paslondua", "Paslon Dua", [
        Video("CampVid0001", "Kampanye", "", "2026-03-01T00:00:00Z", comments=[
            {"author_id": CHANNEL, "handle": "@budisantoso", "text": "Coblos 2!"},
            {"author_id": "UCorang00000000000000001", "handle": "@orang", "text": "ok"}])]))
    budi = register(store, "youtube", "@budisantoso")
    gone = register(store, "youtube", "@sudahhilang", nip="199202022016022002", name="Siti")
    elections.upsert_registry(store, {"campaign_accounts": [
        {"platform": "youtube", "handle": "@paslondua", "owner_type": "candidate", "owner": "Paslon 2"}]})
    settings = config.load({}, environ={}) | {
        "youtube_api_key": "K", "youtube_base_url": f"{fake.url}/youtube/v3", "youtube_feed_base_url": fake.url}
    summary = run_collection(store, settings, platforms=["youtube"], client=client, classify=False)
    assert summary.new_posts == 4 and summary.interactions == 1 and summary.flags == 1
    status = {r["id"]: r["status"] for r in store.query("SELECT id, status FROM accounts")}
    assert status == {budi: "ok", gone: "not_found"}
    flag = store.one("SELECT category, proposed_code, status FROM flags WHERE interaction_id IS NOT NULL")
    assert tuple(flag) == ("interaction", "N3", "open")
    assert store.one("SELECT used FROM collect_budgets WHERE name = 'youtube_quota'")[0] == fake.units


def test_saved_api_payloads_served_verbatim(fake, client):
    def served(name: str, status: int = 200) -> Reply:
        return Reply(status, (PAYLOADS / name).read_bytes(), {"Content-Type": "application/json; charset=UTF-8"})

    src = source_for(fake, client)
    fake.fault("/youtube/v3/channels", served("channels_for_handle.json"), served("channels_unknown.json"))
    assert src.resolve(AccountRef(1, "youtube", "@pemkabsukamaju")) == "UCq7Xk2mVb9Np4Lr6Ts8Wy1Z"
    with pytest.raises(AccountUnavailable):
        src.resolve(AccountRef(1, "youtube", "@pemkabsukamaju"))
    cursor = CursorState(extra={"uploads": "UUq7Xk2mVb9Np4Lr6Ts8Wy1Z"}).dump()
    ref = AccountRef(1, "youtube", "@pemkabsukamaju", "UCq7Xk2mVb9Np4Lr6Ts8Wy1Z", cursor)
    fake.fault("/youtube/v3/playlistItems", served("quota_exceeded.json", 403), served("playlist_not_found.json", 404))
    with pytest.raises(RateLimited, match="kuota"):
        list(src.fetch(ref))
    with pytest.raises(AccountUnavailable, match="cannot be found"):
        list(src.fetch(ref))
    # the saved page: one public video (details from the saved videos.list) and one private stub
    fake.fault("/youtube/v3/playlistItems", served("playlist_items.json"), served("playlist_items.json"))
    fake.fault("/youtube/v3/videos", served("videos.json"))
    page = next(src.fetch(ref))
    assert [r.post_id for r in page.records] == ["dQw4w9WgXc1"] and page.deleted_ids == ["Hidden00001"]
    assert page.records[0].lang == "id"


def test_no_key_path_on_a_real_channel_feed_with_shorts(store, fake, client):
    """The feed as youtube.com serves it (yt: and media: namespaces, a UC-less feed-level id,
    a Shorts entry with an empty description, entities in titles) over HTTP, without a key."""
    body = (PAYLOADS / "channel_feed_shorts.xml").read_bytes()
    fake.fault("/feeds/videos.xml", Reply(200, body, {"Content-Type": "text/xml; charset=UTF-8"}))
    account = register(store, "youtube", "UCb8Ud2kLm4Np6Qr8St0Vw2X")
    from monitor.store import collection

    collection.set_platform_user_id(store, account, "UCb8Ud2kLm4Np6Qr8St0Vw2X")
    assert collect(store, source_for(fake, client, key=""), account)["new"] == 2
    assert fake.units == 0
    posts = stored(store, "youtube")
    assert posts["Sh0rtVid3o1"]["text"] == "Dukung Paslon 2 & menangkan Sukamaju! 🔥 #shorts"
    assert posts["Sh0rtVid3o1"]["created_at"] == "2026-03-03T09:30:12Z"
    assert posts["L0ngVid3o22"]["text"] == ("Rapat Koordinasi <Dinas> Kominfo\n\nAgenda:\n1. Evaluasi layanan\n"
                                            "2. Tindak lanjut\n\nTautan materi: https://kominfo.sukamaju.example/materi")
    shorts = map_item(parse_channel_feed(body)[0])
    assert shorts.url == "https://www.youtube.com/watch?v=Sh0rtVid3o1"           # the same URL as the API path
    assert shorts.raw["link"] == "https://www.youtube.com/shorts/Sh0rtVid3o1"    # the feed's own link kept
    assert shorts.account_handle == "UCb8Ud2kLm4Np6Qr8St0Vw2X"
