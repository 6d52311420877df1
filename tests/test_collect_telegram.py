"""Telegram public channel preview: the HTML mapper on saved pages, and the source against a
real local server (paging, edits, deletions, vanished channels, 429/5xx/timeouts, bad pages)."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from fakefeeds import FakeTelegram, Message, Reply, collect, register, stored
from monitor.collect import SOURCES
from monitor.collect.base import AccountRef, AccountUnavailable, CursorState, MalformedPayload, PlatformError, RateLimited
from monitor.collect.telegram import map_item, parse_count, parse_page

PAYLOADS = Path(__file__).parent / "payloads" / "telegram"


def page(name: str):
    return parse_page((PAYLOADS / name).read_text(encoding="utf-8"))


# --- the mapper on saved pages -------------------------------------------------------------------

def test_newest_page_maps_forward_album_edit_and_reply():
    parsed = page("page_newest.html")
    assert parsed.before == 4651 and not parsed.no_more and parsed.channel_title == "Pemkab Sukamaju"
    records = {r.post_id: r for r in map(map_item, parsed.messages)}
    assert list(records) == ["pemkabsukamaju/4651", "pemkabsukamaju/4652", "pemkabsukamaju/4654"]

    forward = records["pemkabsukamaju/4651"]
    assert forward.kind == "repost" and forward.original_author == "paslondua"
    assert forward.text == "Ayo coblos nomor 2 tanggal 27 November! 👍"
    assert forward.created_at == "2026-02-28T12:31:07Z"
    assert forward.url == "https://t.me/pemkabsukamaju/4651"
    assert forward.account_handle == "pemkabsukamaju"
    assert forward.raw["views"] == 3200

    album = records["pemkabsukamaju/4652"]
    assert album.kind == "post" and album.raw["edited"] is True
    assert album.text == "Apel pagi bersama seluruh ASN.\n#SukamajuMaju"
    # stable ?single links, not the expiring CDN files (those stay in the raw payload)
    assert album.media == ["https://t.me/pemkabsukamaju/4652?single", "https://t.me/pemkabsukamaju/4653?single"]
    assert [m["url"] for m in album.raw["media"]] == ["https://cdn4.telesco.pe/file/Xy12AbCdEf.jpg",
                                                      "https://cdn4.telesco.pe/file/Gh34IjKlMn.jpg"]

    reply = records["pemkabsukamaju/4654"]
    assert reply.kind == "reply" and reply.raw["reply_to"] == "https://t.me/pemkabsukamaju/4652"
    assert reply.text == "Dokumentasi lengkap: sukamaju.go.id/berita/apel"
    assert reply.raw["edited"] is False


def test_older_page_service_video_hidden_forward_signature():
    parsed = page("page_older.html")
    assert parsed.before == 4646
    by_id = {m["id"]: m for m in parsed.messages}
    assert by_id[4646]["service"] is True
    video = map_item(by_id[4647])
    assert video.text == "Rekaman upacara & sambutan Bupati\nSelengkapnya di kanal kami.rahasia"
    assert {m["type"] for m in video.raw["media"]} == {"video", "video_thumb"}
    assert video.media == ["https://t.me/pemkabsukamaju/4647?single"]
    assert video.raw["views"] == 79_800
    hidden = map_item(by_id[4648])
    assert hidden.kind == "repost" and hidden.original_author == "Pak Dedi"
    assert hidden.raw["unsupported_media"] is True and hidden.raw["views"] == 1_200_000
    signed = map_item(by_id[4650])
    # the quoted reply and the link preview are not part of the message's own text
    assert signed.text == "Foto bersama 📷 galeri"
    assert signed.kind == "reply" and signed.raw["author_signature"] == "Humas A"
    assert signed.raw["link_preview"] == "https://sukamaju.go.id/galeri"


def test_raw_html_of_each_block_is_kept_exactly():
    source = (PAYLOADS / "page_newest.html").read_text(encoding="utf-8")
    for message in parse_page(source).messages:
        html = message["html"]
        assert html.startswith('<div class="tgme_widget_message ') and html.endswith("</div>")
        assert html in source and f'data-post="pemkabsukamaju/{message["id"]}"' in html


def test_end_of_history_page():
    parsed = page("page_end.html")
    assert parsed.no_more and parsed.messages == [] and parsed.before is None


@pytest.mark.parametrize("text,value", [("882", 882), ("4.85K", 4850), ("1.2M", 1_200_000), ("", None), ("x", None)])
def test_view_counters(text, value):
    assert parse_count(text) == value


def test_broken_markup_does_not_raise_and_drops_the_unclosed_block():
    source = (PAYLOADS / "page_newest.html").read_text(encoding="utf-8")
    cut = source[: source.index('data-post="pemkabsukamaju/4654"') + 200]
    parsed = parse_page(cut + "</b></span></i>")
    assert [m["id"] for m in parsed.messages] == [4651, 4652]


# --- the source against a local server -----------------------------------------------------------

def messages(first: int, last: int, *, album_every: int = 7) -> list[Message]:
    out = []
    for n in range(first, last + 1):
        out.append(Message(n * 3, f"Pesan <b>nomor</b> {n}", f"2026-02-{1 + n % 27:02d}T0{n % 10}:00:00+00:00",
                           album=2 if n % album_every == 0 else 0))
    return out


@pytest.fixture
def fake():
    with FakeTelegram() as server:
        yield server


@pytest.fixture
def client():
    with httpx.Client(timeout=0.5) as c:
        yield c


def source_for(fake, client, **settings):
    src = SOURCES["telegram"]({"telegram_base_url": fake.url, "collect_max_pages": 20, **settings}, client)
    src.http.sleep = lambda seconds: None  # never really wait in tests
    return src


def test_pages_back_to_the_start_then_only_new_posts(store, fake, client):
    fake.add("kanalbudi", "Kanal Budi", [*messages(1, 50), Message(2, "Channel created", "2026-01-01T00:00:00+00:00",
                                                                       service=True)])
    account = register(store, "telegram", "kanalbudi")
    src = source_for(fake, client)
    first = collect(store, src, account)
    posts = stored(store, "telegram")
    assert first["new"] == 50 and len(posts) == 50            # the service message is not a post
    assert first["pages"] >= 3                                 # albums count per photo: several pages
    assert {p["account_id"] for p in posts.values()} == {account}
    assert posts["kanalbudi/21"]["media_json"].count("?single") == 3
    befores = [q.get("before", [None])[0] for p, q, _ in fake.requests]
    assert befores[0] is None and all(b is not None for b in befores[1:])

    # New messages arrive; the next run reads only the newest page.
    fake.add("kanalbudi", "Kanal Budi", [*messages(1, 53)])
    fake.requests.clear()
    second = collect(store, src, account)
    assert second["new"] == 3 and second["pages"] == 1 and len(fake.requests) == 1
    assert len(stored(store, "telegram")) == 53


def test_edits_become_versions_and_vanished_messages_are_marked_deleted(store, fake, client):
    base = messages(1, 10)
    fake.add("kanalbudi", "Kanal Budi", base)
    account = register(store, "telegram", "kanalbudi")
    src = source_for(fake, client)
    collect(store, src, account)
    edited = [Message(m.id, m.text + " (ralat)", m.when, edited=True) if m.id == 27 else m
              for m in base if m.id != 24]
    fake.add("kanalbudi", "Kanal Budi", [*edited, Message(33, "Baru", "2026-03-01T00:00:00+00:00")])
    recent = [f"kanalbudi/{n * 3}" for n in range(1, 11)]
    result = collect(store, src, account, recent=recent)
    posts = stored(store, "telegram")
    assert result["new"] == 1 and result["edited"] == 1 and result["deleted"] == 1
    assert posts["kanalbudi/27"]["version"] == 2 and posts["kanalbudi/27"]["text"].endswith("(ralat)")
    assert posts["kanalbudi/24"]["deleted_at"] is not None and posts["kanalbudi/24"]["text"]  # evidence stays
    # changing CDN file names alone (album) never creates a version
    assert all(p["version"] == 1 for pid, p in posts.items() if pid != "kanalbudi/27")


def test_crash_mid_run_resumes_with_no_loss_and_no_duplicates(store, fake, client, tmp_path):
    from monitor.store import connect

    fake.add("kanalbudi", "Kanal Budi", messages(1, 80, album_every=1000))
    account = register(store, "telegram", "kanalbudi")
    src = source_for(fake, client)
    interrupted = collect(store, src, account, stop_after=2)
    assert interrupted["pages"] == 2
    assert CursorState.load(stored_cursor(store, account)).in_progress
    collect(store, src, account)
    with connect(tmp_path / "clean.db") as clean:
        clean_account = register(clean, "telegram", "kanalbudi")
        collect(clean, src, clean_account)
        expected = {k: v["text"] for k, v in stored(clean, "telegram").items()}
    got = {k: v["text"] for k, v in stored(store, "telegram").items()}
    assert got == expected and len(got) == 80
    assert not CursorState.load(stored_cursor(store, account)).in_progress


def stored_cursor(store, account_id: int) -> str:
    return store.one("SELECT cursor FROM accounts WHERE id = ?", (account_id,))[0]


def test_channel_without_preview_is_not_found(fake, client):
    src = source_for(fake, client)
    with pytest.raises(AccountUnavailable) as caught:
        list(src.fetch(AccountRef(1, "telegram", "hilang_kanal")))
    assert caught.value.status == "not_found"


def test_redirect_followed_by_the_client_is_also_not_found(fake):
    with httpx.Client(timeout=0.5, follow_redirects=True) as following:
        src = source_for(fake, following)
        fake.fault("/s/pindahan", Reply(302, "", {"Location": f"{fake.url}/pindahan"}))
        with pytest.raises(AccountUnavailable):
            list(src.fetch(AccountRef(1, "telegram", "pindahan")))


def test_5xx_timeouts_and_dropped_connections_are_retried(store, fake, client):
    fake.add("kanalbudi", "Kanal Budi", messages(1, 5))
    fake.fault("/s/kanalbudi", Reply(502, "Bad Gateway"), Reply(delay=1.0), Reply(drop=True))
    account = register(store, "telegram", "kanalbudi")
    src = source_for(fake, client)
    assert collect(store, src, account)["new"] == 5
    assert fake.paths().count("/s/kanalbudi") == 4


def test_429_waits_for_retry_after_then_succeeds(store, fake, client):
    fake.add("kanalbudi", "Kanal Budi", messages(1, 3))
    fake.fault("/s/kanalbudi", Reply(429, "Too Many Requests", {"Retry-After": "7"}))
    src = source_for(fake, client)
    account = register(store, "telegram", "kanalbudi")
    assert collect(store, src, account)["new"] == 3
    assert src.http.waited >= 7


def test_429_longer_than_allowed_is_a_rate_signal(fake, client):
    fake.fault("/s/kanalbudi", Reply(429, "", {"Retry-After": "86400"}))
    src = source_for(fake, client, max_rate_wait=60)
    with pytest.raises(RateLimited) as caught:
        list(src.fetch(AccountRef(1, "telegram", "kanalbudi")))
    assert caught.value.retry_at > 0


@pytest.mark.parametrize("body", [
    "<html><body>Please wait while we check your browser</body></html>",
    '<html><body><section class="tgme_channel_history js-message_history">',
])
def test_pages_that_are_not_previews_are_malformed_with_the_body_kept(fake, client, body):
    fake.fault("/s/kanalbudi", Reply(200, body, {"Content-Type": "text/html"}))
    src = source_for(fake, client)
    with pytest.raises(MalformedPayload) as caught:
        list(src.fetch(AccountRef(1, "telegram", "kanalbudi")))
    assert caught.value.body == body.encode()


def test_a_failing_account_leaves_earlier_pages_committed(store, fake, client):
    fake.add("kanalbudi", "Kanal Budi", messages(1, 60, album_every=1000))
    account = register(store, "telegram", "kanalbudi")
    src = source_for(fake, client)
    fake.fault("/s/kanalbudi", Reply(passthrough=True), *[Reply(500, "Internal Server Error")] * 5)
    with pytest.raises(PlatformError):
        collect(store, src, account)
    kept = len(stored(store, "telegram"))
    assert kept == 20
    collect(store, src, account)
    assert len(stored(store, "telegram")) == 60
