"""Browser captures (Zeeschuimer NDJSON) into a real SQLite store: per-platform shapes, the
registered-accounts-only rule, interactions from comments on campaign posts, idempotent
re-import, edits as versions, and malformed lines reported by line with nothing lost."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fakeplatforms import register, register_campaign
from monitor.collect import capture_import, instagram, tiktok
from monitor.collect.captured import SkipItem
from monitor.collect.zeeschuimer import read_lines
from monitor.store import captures as capture_rows
from monitor.store import collection

PAYLOADS = Path(__file__).parent / "payloads" / "captures"


def lines(name: str) -> list[dict]:
    return [json.loads(line) for line in (PAYLOADS / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def posts(store) -> dict[tuple[str, str], dict]:
    return {(r["platform"], r["post_id"]): dict(r) for r in store.query("SELECT * FROM posts")}


@pytest.fixture
def registry(store):
    ids = register(store, {"instagram": ["budi.santoso_skm"], "tiktok": ["sri.wahyuni88"]})
    register_campaign(store, "instagram", "hera.sukamaju")
    register_campaign(store, "tiktok", "joko.calon")
    return ids


def test_instagram_shapes_map_to_posts():
    items = lines("instagram.ndjson")
    single = instagram.map_item(items[0]["data"])
    assert single.post_id == "DBa1B2c3D4e" and single.account_handle == "budi.santoso_skm"
    assert single.url == "https://www.instagram.com/p/DBa1B2c3D4e/" and single.created_at == "2024-11-30T01:26:40Z"
    assert single.media == ["https://scontent.cdninstagram.example/v/t51/aaa.jpg"]  # the largest candidate
    assert instagram.hashtags(single) == ["herasukamaju2024"]
    assert instagram.user_tags(items[0]["data"]) == ["hera.sukamaju"]
    carousel = instagram.map_item(items[1]["data"])
    assert carousel.media == ["https://scontent.cdninstagram.example/v/t51/c1.jpg",
                              "https://scontent.cdninstagram.example/v/t50/c2.mp4",
                              "https://scontent.cdninstagram.example/v/t51/c3.jpg"]
    with pytest.raises(SkipItem) as ad:
        instagram.map_item(items[2]["data"])
    assert ad.value.reason == "ad"
    graph = instagram.map_item(items[4]["data"])
    assert (graph.post_id, graph.text, graph.media) == ("C9oldGraph1", "Senam pagi bersama",
                                                        ["https://scontent.cdninstagram.example/v/old.mp4"])


def test_tiktok_shapes_map_to_posts_and_comments():
    items = lines("tiktok.ndjson")
    video = tiktok.map_item(items[0]["data"])
    assert video.url == "https://www.tiktok.com/@sri.wahyuni88/video/7443000000000000001"
    assert "COBLOS NOMOR 2" in video.text and video.text.startswith("Kampanye akbar")  # sticker text is searched
    with pytest.raises(SkipItem):
        tiktok.map_item(items[1]["data"])
    photos = tiktok.map_item(items[3]["data"])
    assert photos.media == ["https://p16-sign-sg.tiktokcdn.example/img/a.jpeg",
                            "https://p16-sign-sg.tiktokcdn.example/img/b.jpeg"]
    assert tiktok.map_item(items[4]["data"]).account_handle == "sri.wahyuni88"  # author as a plain string
    with pytest.raises(SkipItem) as gone:
        tiktok.map_item(items[5]["data"])
    assert gone.value.reason == "deleted"


def test_instagram_import_keeps_only_registered_and_flags_comment_on_campaign_post(store, registry):
    report = capture_import.import_capture(store, PAYLOADS / "instagram.ndjson", captured_by="analis1")
    c = report.counts
    assert c["items"] == 8 and c["ads"] == 1 and c["errors"] == 0
    # stored: 3 ASN posts + the ASN's comment; dropped: warga post, candidate post, warga comment
    assert c["new"] == 4 and c["dropped_unregistered"] == 3
    stored = posts(store)
    assert set(stored) == {("instagram", "DBa1B2c3D4e"), ("instagram", "DBcarOusel1"), ("instagram", "C9oldGraph1"),
                           ("instagram", "c18040000000000001")}
    assert not any("warga.biasa" in r["raw_json"] for r in stored.values())  # never stored, not even raw
    comment = stored[("instagram", "c18040000000000001")]
    assert comment["kind"] == "reply" and comment["account_id"] == registry[("instagram", "budi.santoso_skm")]
    assert c["interactions"] == 1 and c["flags"] == 1
    found = collection.list_interactions(store)
    assert found[0]["kind"] == "comment" and found[0]["campaign_handle"] == "hera.sukamaju"
    assert found[0]["target_post_id"] == "3305555555555555555" and found[0]["proposed_code"] == "N3"
    prov = capture_rows.provenance(store, "instagram", "DBa1B2c3D4e")
    assert prov[0]["captured_by"] == "analis1" and prov[0]["page_url"] == "https://www.instagram.com/budi.santoso_skm/"
    assert prov[0]["user_agent"].startswith("Mozilla/5.0") and prov[0]["collected_at"] == "2024-11-30T05:00:00.000Z"
    imports = capture_rows.list_imports(store)
    assert imports[0]["counts"]["dropped_unregistered"] == 3 and imports[0]["platforms"] == "instagram.com"


def test_raw_line_is_stored_and_hashed_exactly(store, registry):
    capture_import.import_capture(store, PAYLOADS / "instagram.ndjson")
    first_line = (PAYLOADS / "instagram.ndjson").read_text(encoding="utf-8").splitlines()[0]
    row = posts(store)[("instagram", "DBa1B2c3D4e")]
    import hashlib
    assert row["raw_json"] == first_line
    assert row["raw_sha256"] == hashlib.sha256(first_line.encode("utf-8")).hexdigest()


def test_tiktok_comments_by_registered_and_unregistered_on_campaign_video(store, registry):
    report = capture_import.import_capture(store, PAYLOADS / "tiktok_comments.ndjson", captured_by="analis1")
    assert report.counts["new"] == 1 and report.counts["dropped_unregistered"] == 1
    assert report.counts["interactions"] == 1 and report.counts["flags"] == 1
    found = collection.list_interactions(store)
    assert (found[0]["handle"], found[0]["campaign_handle"], found[0]["target_post_id"]) == \
        ("sri.wahyuni88", "joko.calon", "7443999999999999999")
    assert found[0]["target_url"] == "https://www.tiktok.com/@joko.calon/video/7443999999999999999"
    assert "warga.lain" not in json.dumps([dict(r) for r in store.query("SELECT raw_json FROM interactions")])


def test_comment_on_a_non_campaign_post_is_stored_without_a_flag(store, registry, tmp_path):
    items = lines("tiktok_comments.ndjson")[:1]
    items[0]["source_platform_url"] = "https://www.tiktok.com/@teman.biasa/video/7443999999999999999"
    path = tmp_path / "c.ndjson"
    path.write_text(json.dumps(items[0]) + "\n", encoding="utf-8")
    report = capture_import.import_capture(store, path)
    assert report.counts["new"] == 1 and report.counts["interactions"] == 0


def test_reimport_adds_nothing_and_edit_becomes_version(store, registry, tmp_path):
    first = capture_import.import_capture(store, PAYLOADS / "tiktok.ndjson")
    assert first.counts["new"] == 3 and first.counts["ads"] == 1 and first.counts["deleted"] == 1
    assert first.counts["dropped_unregistered"] == 1
    again = capture_import.import_capture(store, PAYLOADS / "tiktok.ndjson")
    assert again.counts["new"] == 0 and again.counts["duplicates"] == 3 and again.counts["edited"] == 0
    assert store.one("SELECT COUNT(*) FROM capture_provenance")[0] == 3
    items = lines("tiktok.ndjson")
    items[0]["data"]["desc"] = "Kampanye akbar hari ini (diedit)"
    items[0]["timestamp_collected"] += 86_400_000
    path = tmp_path / "edit.ndjson"
    path.write_text(json.dumps(items[0], ensure_ascii=False) + "\n", encoding="utf-8")
    edited = capture_import.import_capture(store, path)
    assert edited.counts["edited"] == 1
    row = posts(store)[("tiktok", "7443000000000000001")]
    assert row["text"].startswith("Kampanye akbar hari ini (diedit)")
    versions = store.query("SELECT text FROM post_versions WHERE post_id = ?", (row["id"],))
    assert len(versions) == 1 and "(diedit)" not in versions[0][0]
    assert len(capture_rows.provenance(store, "tiktok", "7443000000000000001")) == 2


def test_malformed_lines_reported_by_line_and_the_rest_imported(store, registry, tmp_path):
    good = (PAYLOADS / "tiktok.ndjson").read_text(encoding="utf-8").splitlines()
    bad = [good[0], '{"source_platform": "tiktok.com", "data": {"id": "1"', "", good[3],
           '{"source_platform": "myspace.com", "data": {}}', '[1, 2]',
           json.dumps({"source_platform": "tiktok.com", "data": {"desc": "tanpa id"}}), good[4]]
    path = tmp_path / "bad.ndjson"
    path.write_text("\n".join(bad) + "\n", encoding="utf-8")
    report = capture_import.import_capture(store, path)
    assert [line for line, _ in report.errors] == [2, 5, 6, 7]
    assert "bukan JSON" in report.errors[0][1] and "myspace.com" in report.errors[1][1]
    assert "id" in report.errors[3][1]
    assert report.counts["new"] == 3 and report.counts["items"] == 7
    assert capture_rows.list_imports(store)[0]["errors"][0][0] == 2


def test_reader_reports_non_utf8_line():
    out = list(read_lines([b'\xff\xfe\n', b'{"source_platform": "tiktok.com", "data": {}}\n']))
    assert out[0] == (1, None, "bukan teks UTF-8") and out[1][1] is not None


def test_demo_captures_load_on_the_demo_registry(store):
    from monitor import demo
    from monitor.paths import DEMO_DIR
    from monitor.people import elections, registry as registry_mod

    registry_mod.import_units(store, DEMO_DIR / "units.csv", actor="test")
    registry_mod.import_employees(store, DEMO_DIR / "employees.csv", actor="test")
    elections.import_file(store, DEMO_DIR / "elections.toml", actor="test")
    counts = demo.captures_demo(store, DEMO_DIR)
    assert counts["errors"] == 0 and counts["new"] == 7 and counts["interactions"] == 2
    platforms = {r[0] for r in store.query("SELECT platform FROM posts WHERE account_id IS NOT NULL")}
    assert platforms == {"instagram", "tiktok"}
    assert store.one("SELECT COUNT(*) FROM posts WHERE raw_json LIKE '%warga.sukamaju%'")[0] == 0


def test_media_downloaded_at_import_into_the_evidence_store(store, registry, tmp_path):
    """Media URLs are fetched from a real HTTP server on 127.0.0.1 at import time and hashed."""
    import hashlib
    import http.server
    import threading
    from functools import partial

    from monitor.evidence import media as media_store

    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            if self.path.endswith("gone.jpg"):
                self.send_response(404)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()
            self.wfile.write(png)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    item = lines("instagram.ndjson")[1]  # the carousel: three media
    for n, child in enumerate(item["data"]["carousel_media"]):
        child["image_versions2"]["candidates"] = [{"url": f"{base}/{'gone' if n == 2 else n}.jpg"}]
        child.pop("video_versions", None)
    path = tmp_path / "media.ndjson"
    path.write_text(json.dumps(item) + "\n", encoding="utf-8")
    fetch = partial(capture_import.fetch_media_bytes, allow_networks=("127.0.0.1/32",))
    folder = tmp_path / "media"
    try:
        report = capture_import.import_capture(store, path, fetch_media=fetch, media_folder=folder)
    finally:
        server.shutdown()
        server.server_close()
    assert report.media_saved == 2
    rows = store.query("SELECT source_url, sha256, failure FROM media ORDER BY id")
    assert [r["sha256"] for r in rows[:2]] == [hashlib.sha256(png).hexdigest()] * 2
    assert rows[2]["sha256"] is None and "404" in rows[2]["failure"]
    assert media_store.read(folder, rows[0]["sha256"]) == png
    # an edited item fetches its media again; a private address is refused by default
    item["data"]["caption"]["text"] += " (diedit)"
    path.write_text(json.dumps(item) + "\n", encoding="utf-8")
    blocked = capture_import.import_capture(store, path, fetch_media=capture_import.fetch_media_bytes,
                                            media_folder=folder)
    assert blocked.counts["edited"] == 1 and blocked.media_saved == 0
    failures = [r["failure"] for r in store.query("SELECT failure FROM media ORDER BY id")[3:]]
    assert len(failures) == 3 and all("privat" in f for f in failures)


def test_health_shows_belum_ditangkap_for_uncaptured_instagram_accounts(store, registry, tmp_path):
    from monitor.collect import health

    def states():
        return {r["handle"]: (r["health_label"], r["status_reason"]) for r in health.account_health(store)}

    assert states()["budi.santoso_skm"][0] == "belum ditangkap"
    assert states()["sri.wahyuni88"][0] == "belum ditangkap"
    capture_import.import_capture(store, PAYLOADS / "instagram.ndjson")  # captured in 2024: stale
    assert "terakhir 2024-11-30" in states()["budi.santoso_skm"][1]
    fresh = lines("tiktok.ndjson")[0]
    import time as clock
    fresh["timestamp_collected"] = int(clock.time() * 1000) - 86_400_000  # yesterday
    path = tmp_path / "fresh.ndjson"
    path.write_text(json.dumps(fresh) + "\n", encoding="utf-8")
    capture_import.import_capture(store, path)
    assert states()["sri.wahyuni88"][0] == "baik" and states()["budi.santoso_skm"][0] == "belum ditangkap"
