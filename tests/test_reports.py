"""Public reports: stored as kind 'report', linked to registered accounts, always reviewed;
repeat reports join an undecided flag; bad input refused whole with Indonesian errors."""

from __future__ import annotations

import hashlib

import pytest
import typer
from typer.testing import CliRunner

from fakefeeds import register
from monitor.evidence import audit
from monitor.auth import User, create_user
from monitor.collect.reports import ReportError, canonical_url, submit_report, target_of
from monitor.store import reports as rows

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")


def flag(store, flag_id: int) -> dict:
    return dict(store.one("SELECT * FROM flags WHERE id = ?", (flag_id,)))


def post(store, post_id: int) -> dict:
    return dict(store.one("SELECT * FROM posts WHERE id = ?", (post_id,)))


@pytest.mark.parametrize("url,platform,handle", [
    ("https://x.com/Budi_S/status/1893", "x", "budi_s"),
    ("https://mobile.twitter.com/budi_s/status/1893?s=20", "x", "budi_s"),
    ("https://x.com/i/web/status/1893", "x", None),
    ("https://bsky.app/profile/budi.bsky.social/post/3kabc", "bluesky", "budi.bsky.social"),
    ("https://www.youtube.com/@BudiSantoso/videos", "youtube", "@budisantoso"),
    ("https://www.youtube.com/watch?v=dQw4w9WgXc1", "youtube", None),
    ("https://youtu.be/dQw4w9WgXc1", "youtube", None),
    ("https://t.me/kanalbudi/4651", "telegram", "kanalbudi"),
    ("https://t.me/s/kanalbudi/4651", "telegram", "kanalbudi"),
    ("https://www.facebook.com/budi.santoso/posts/pfbid0abc", "facebook", "budi.santoso"),
    ("https://www.facebook.com/permalink.php?story_fbid=1&id=2", "facebook", None),
    ("https://www.instagram.com/p/C0deXyZ/", "instagram", None),
    ("https://www.instagram.com/stories/budi.santoso/123/", "instagram", "budi.santoso"),
    ("https://www.tiktok.com/@budi.santoso/video/7312", "tiktok", "budi.santoso"),
    ("https://mastodon.social/@budi/11223344", "mastodon", "budi@mastodon.social"),
    ("https://berita.example/2026/03/asn-kampanye", "report", None),
])
def test_target_of_urls(url, platform, handle):
    target = target_of(url)
    assert (target.platform, target.handle) == (platform, handle)


def test_canonical_url_ignores_tracking_fragment_and_case():
    assert canonical_url("HTTPS://X.com/budi/status/1/?utm_source=wa&s=20#top") == "https://x.com/budi/status/1"


def test_report_on_registered_account_is_linked_flagged_and_audited(store):
    account = register(store, "x", "budi_s")
    unit = store.one("SELECT unit_id FROM employees")[0]
    flag_id = submit_report(store, url="https://x.com/Budi_S/status/1893", text="Ajakan coblos nomor 2 di jam kerja",
                            reporter_contact="warga@example.com", actor="operator")
    f = flag(store, flag_id)
    assert f["category"] == "report" and f["status"] == "open" and f["unit_id"] == unit
    p = post(store, f["post_id"])
    assert (p["platform"], p["kind"], p["account_id"]) == ("x", "report", account)
    assert p["text"] == "Ajakan coblos nomor 2 di jam kerja" and p["url"] == "https://x.com/Budi_S/status/1893"
    assert "warga@example.com" not in p["raw_json"]         # the contact never enters the evidence
    reports = rows.reports_for_post(store, p["id"])
    assert len(reports) == 1 and reports[0]["reporter_contact"] == "warga@example.com"
    entry = store.one("SELECT actor, action, target, details_json FROM audit_log ORDER BY id DESC LIMIT 1")
    assert (entry["actor"], entry["action"], entry["target"]) == ("operator", "report.submit", f"flag:{flag_id}")
    assert "warga@example.com" not in entry["details_json"]
    assert audit.verify(store).ok


def test_report_reaches_the_review_queue_without_any_classifier(store):
    admin = User(create_user(store, "admin1", "sandi-yang-panjang-sekali", "admin"), "admin1", "admin", None, ())
    flag_id = submit_report(store, url="https://www.facebook.com/budi.santoso/posts/pfbid0abc")
    from monitor.flagging.review import queue

    assert flag_id in [item["id"] for item in queue(store, admin, limit=100)]


def test_repeat_reports_join_an_undecided_flag_then_start_a_new_one_after_a_decision(store):
    admin = User(create_user(store, "admin1", "sandi-yang-panjang-sekali", "admin"), "admin1", "admin", None, ())
    first = submit_report(store, url="https://t.me/kanalbudi/4651", text="pertama")
    again = submit_report(store, url="https://t.me/kanalbudi/4651/?utm_source=wa", text="kedua")
    assert again == first
    post_id = flag(store, first)["post_id"]
    assert [r["text"] for r in rows.reports_for_post(store, post_id)] == ["pertama", "kedua"]
    assert post(store, post_id)["text"] == "pertama"        # the stored post is never rewritten

    from monitor.flagging.review import decide

    decide(store, admin, first, "not_violation", note="bukan ASN")
    later = submit_report(store, url="https://t.me/kanalbudi/4651", text="ketiga")
    assert later != first and flag(store, first)["status"] == "dismissed"   # the decision stands
    new_post = post(store, flag(store, later)["post_id"])
    assert new_post["post_id"].endswith(":2") and new_post["kind"] == "report"


def test_unknown_site_is_platform_report_and_a_registered_blog_host_links(store):
    blog = register(store, "rss", "https://budisantoso.example/feed.xml")
    other = submit_report(store, url="https://berita.example/asn-kampanye")
    assert post(store, flag(store, other)["post_id"])["platform"] == "report"
    assert post(store, flag(store, other)["post_id"])["account_id"] is None
    on_blog = submit_report(store, url="https://www.budisantoso.example/2026/03/dukungan")
    assert post(store, flag(store, on_blog)["post_id"])["account_id"] == blog


def test_screenshot_is_stored_and_hashed(store, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    flag_id = submit_report(store, url="https://www.instagram.com/p/C0deXyZ/", screenshot=PNG)
    post_id = flag(store, flag_id)["post_id"]
    digest = rows.reports_for_post(store, post_id)[0]["screenshot_sha256"]
    assert digest == hashlib.sha256(PNG).hexdigest()
    media = store.one("SELECT kind, origin, sha256 FROM media WHERE post_id = ?", (post_id,))
    assert (media["kind"], media["origin"], media["sha256"]) == ("screenshot", "upload", digest)


@pytest.mark.parametrize("kwargs,message", [
    ({"url": ""}, "wajib"),
    ({"url": "ftp://x.com/a"}, "http"),
    ({"url": "javascript:alert(1)"}, "http"),
    ({"url": "x.com/budi/status/1"}, "http"),
    ({"url": "https://x.com/budi status/1"}, "spasi"),
    ({"url": "https://localhost/a"}, "nama situs"),
    ({"url": "https://user:pw@x.com/a"}, "kata sandi"),
    ({"url": "https://x.com/" + "a" * 2100}, "terlalu panjang"),
    ({"url": "https://x.com/a", "text": "x" * 5001}, "Keterangan laporan terlalu panjang"),
    ({"url": "https://x.com/a", "reporter_contact": "y" * 201}, "Kontak pelapor terlalu panjang"),
    ({"url": "https://x.com/a", "screenshot": b""}, "kosong"),
    ({"url": "https://x.com/a", "screenshot": b"%PDF-1.7 not an image"}, "tangkapan layar ditolak"),
])
def test_bad_input_is_refused_whole(store, tmp_path, monkeypatch, kwargs, message):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ReportError, match=message):
        submit_report(store, **kwargs)
    for table in ("posts", "flags", "reports", "audit_log"):
        assert store.one(f"SELECT COUNT(*) FROM {table}")[0] == 0, table


def test_control_characters_are_stripped_from_text(store):
    flag_id = submit_report(store, url="https://x.com/a/status/1", text="  halo\x00\x1b dunia \n")
    assert post(store, flag(store, flag_id)["post_id"])["text"] == "halo dunia"


# --- CLI ------------------------------------------------------------------------------------------

def cli_app() -> typer.Typer:
    from monitor.cli.reports import report

    app = typer.Typer()
    app.command("report")(report)
    app.command("noop", hidden=True)(lambda: None)  # a group with two commands keeps "report" as a sub-command
    return app


def test_cli_report_with_screenshot(db_path, tmp_path, monkeypatch):
    from monitor.store import connect

    from monitor.cli import common as cli_common

    # Another in-process CLI test may have left its --db behind; this one reads NETRA_DB.
    monkeypatch.setitem(cli_common._state, "db", None)
    connect(db_path).close()
    shot = tmp_path / "layar.png"
    shot.write_bytes(PNG)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli_app(), ["report", "https://x.com/budi_s/status/1", "--text", "kampanye",
                                            "--screenshot", str(shot), "--contact", "08123"],
                                env={"NETRA_DB": str(db_path)})
    assert result.exit_code == 0, result.output
    assert "antrean tinjauan" in result.output
    with connect(db_path) as store:
        report = store.one("SELECT text, reporter_contact, screenshot_sha256 FROM reports")
        assert (report[0], report[1], report[2]) == ("kampanye", "08123", hashlib.sha256(PNG).hexdigest())


def test_cli_report_errors_are_indonesian(db_path, tmp_path):
    from monitor.store import connect

    connect(db_path).close()
    runner = CliRunner()
    bad = runner.invoke(cli_app(), ["report", "ftp://contoh"], env={"NETRA_DB": str(db_path)})
    assert bad.exit_code == 1 and "http" in bad.output
    missing = runner.invoke(cli_app(), ["report", "https://x.com/a", "--screenshot", str(tmp_path / "tidak.png")],
                            env={"NETRA_DB": str(db_path)})
    assert missing.exit_code == 1 and "tidak ditemukan" in " ".join(missing.output.split())  # rich wraps lines
    with connect(db_path) as store:
        assert store.one("SELECT COUNT(*) FROM reports")[0] == 0
