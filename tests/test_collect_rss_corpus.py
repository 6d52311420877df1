"""The RSS source over real HTTP on 127.0.0.1 against a generated corpus of 200+ feeds
(encodings, BOMs, namespaces, Atom 0.3, RDF, ill-formed XML, hostile DTDs): no exception
escapes; every feed is either read (with the texts it must yield) or refused with a named,
Bahasa-labelled reason while keeping the raw body."""

from __future__ import annotations

import httpx
import pytest

from fakefeeds import FakeFeeds, collect, register, stored
from feedcorpus import corpus
from monitor.collect import SOURCES
from monitor.collect.base import AccountRef, MalformedPayload
from monitor.collect.feedxml import REASONS, decode
from monitor.collect.rss import FeedError, map_item, parse_feed

CASES = corpus()


@pytest.fixture(scope="module")
def served():
    with FakeFeeds() as server:
        for number, case in enumerate(CASES):
            server.set(f"/f{number}.xml", case.body, case.content_type)
        yield server


def test_corpus_is_large_and_varied():
    assert len(CASES) >= 200
    names = " ".join(c.name for c in CASES)
    for needle in ("big5", "euc-kr", "gb2312", "shift_jis", "cp1252-as-ISO-8859-1", "unknown-", "bom-", "rss-ns-",
                   "atom03-", "rdf-", "ill-", "billion-laughs", "xxe-"):
        assert needle in names


def test_every_feed_is_read_or_refused_with_a_named_reason(served):
    outcomes = {"read": 0, "refused": 0}
    with httpx.Client(timeout=5) as client:
        source = SOURCES["rss"]({}, client)
        source.http.sleep = lambda seconds: None
        for number, case in enumerate(CASES):
            ref = AccountRef(number + 1, "rss", f"{served.url}/f{number}.xml")
            try:
                pages = list(source.fetch(ref))
            except MalformedPayload as exc:
                assert case.reason, f"{case.name} refused: {exc}"
                assert exc.reason == case.reason, case.name  # type: ignore[attr-defined]
                assert REASONS[case.reason] in str(exc)           # the label an analyst reads
                assert exc.body == case.body                      # the raw bytes are kept
                outcomes["refused"] += 1
                continue
            assert case.reason is None, f"{case.name} should be refused as {case.reason}"
            texts = [r.text for page in pages for r in page.records]
            if case.expect_count is not None:
                assert len(texts) == case.expect_count, (case.name, texts)
            for expected in case.expect_texts:
                assert any(expected in text for text in texts), (case.name, expected, texts)
            assert not any("\ufffd" in t for t in texts), case.name    # nothing decoded as garbage
            assert not any(c in t for t in texts for c in "\x80\x92\x93\x94\x96"), case.name  # no C1 controls
            outcomes["read"] += 1
    assert outcomes["refused"] == sum(1 for c in CASES if c.reason)
    assert outcomes["read"] == len(CASES) - outcomes["refused"]


def test_latin1_declared_windows_1252_bytes_read_as_windows_1252():
    body = b'<?xml version="1.0" encoding="ISO-8859-1"?><rss><channel><item><title>don\x92t \x93ya\x94</title>' \
           b"</item></channel></rss>"
    assert map_item(parse_feed(body, "https://a.example/f").entries[0]).text == "don’t “ya”"
    # the HTTP charset is obeyed too, and a BOM beats both
    assert decode(b"caf\xe9", "text/xml; charset=latin-1").text == "café"
    assert decode(b"\xef\xbb\xbfcaf\xc3\xa9", "text/xml; charset=latin-1").encoding == "utf-8"


@pytest.mark.parametrize("encoding,word", [("big5", "公務員"), ("euc-kr", "공무원"), ("gb2312", "公务员"),
                                           ("shift_jis", "公務員")])
def test_multibyte_encodings_that_expat_refuses_are_read(encoding, word):
    body = f'<?xml version="1.0" encoding="{encoding}"?><rss><channel><item><title>{word}</title></item>' \
           f"</channel></rss>".encode(encoding)
    assert map_item(parse_feed(body, "https://a.example/f").entries[0]).text == word


def test_markup_in_description_and_atom_div_is_text_never_html():
    rss = (b'<rss version="2.0"><channel><item><guid>1</guid><title>T</title><description><p>Pilih '
           b'<a href="https://kampanye.example">nomor 2</a><script>alert(1)</script></p></description></item>'
           b"</channel></rss>")
    record = map_item(parse_feed(rss, "https://a.example/f").entries[0])
    assert record.text == "T\n\nPilih nomor 2" and "<" not in record.text
    atom = (b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>tag:a,1</id><title>T</title>'
            b'<content type="html"><div>Isi <b>tebal</b></div></content></entry></feed>')
    assert map_item(parse_feed(atom, "https://a.example/f").entries[0]).text == "T\n\nIsi tebal"


def test_namespace_fields_and_dcterms_dates():
    body = (b'<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            b'xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel><item><guid>1</guid>'
            b"<dc:title>Siniar ASN</dc:title><itunes:summary>Ringkasan episode</itunes:summary>"
            b"<dcterms:issued>2026-03-02T08:15:09+07:00</dcterms:issued></item>"
            b"<item><guid>2</guid><title>Diubah</title><dcterms:modified>2026-03-03T00:00:00Z</dcterms:modified></item>"
            b"</channel></rss>")
    first, second = (map_item(e) for e in parse_feed(body, "https://a.example/f").entries)
    assert first.text == "Siniar ASN\n\nRingkasan episode" and first.created_at == "2026-03-02T01:15:09Z"
    assert second.created_at == "2026-03-03T00:00:00Z"


def test_atom_03_entry_dates_links_and_escaped_content():
    body = (b'<feed version="0.3" xmlns="http://purl.org/atom/ns#"><title>Lama</title><entry><id>tag:b,2004:1</id>'
            b'<title>Judul</title><link rel="alternate" type="text/html" href="https://b.example/1"/>'
            b"<issued>2004-03-02T08:15:09+07:00</issued><modified>2004-03-03T00:00:00Z</modified>"
            b'<content type="text/html" mode="escaped">&lt;p&gt;Isi &lt;b&gt;lama&lt;/b&gt;&lt;/p&gt;</content>'
            b"</entry></feed>")
    feed = parse_feed(body, "https://b.example/atom")
    record = map_item(feed.entries[0])
    assert feed.format == "atom"
    assert record.text == "Judul\n\nIsi lama" and record.url == "https://b.example/1"
    assert record.created_at == "2004-03-02T01:15:09Z"


@pytest.mark.parametrize("body", [
    b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    b"<rss><channel><item><title>&b; & rusak</title></item></channel></rss>",
    b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/hostname">]>'
    b"<rss><channel><item><title>&x; <b>rusak</title></item></channel></rss>",
])
def test_hostile_dtds_are_refused_even_when_ill_formed(body):
    """The tolerant parser must not become a way around defusedxml."""
    with pytest.raises(FeedError) as caught:
        parse_feed(body, "https://a.example/f")
    assert caught.value.reason == "unsafe_xml"


def test_recovered_entries_are_stored_with_their_source(store, served):
    number = next(i for i, c in enumerate(CASES) if c.name == "ill-bare-ampersand")
    account = register(store, "rss", f"{served.url}/f{number}.xml")
    with httpx.Client(timeout=5) as client:
        assert collect(store, SOURCES["rss"]({}, client), account)["new"] == 2
    texts = sorted(p["text"] for p in stored(store, "rss").values())
    assert texts[1] == "Kopi & teh\n\ngula & susu"
