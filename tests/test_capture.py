"""Screenshots and media of flagged posts, rendered by the real Chromium from a page served on
127.0.0.1 by a server in a thread; failures are recorded with their reason and the run goes on."""

from __future__ import annotations

import hashlib
import struct
import threading
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from evidence_data import ANI, build
from monitor.evidence import capture, bundle as evidence, media as mediastore, netguard
from monitor.store import PostRecord, people
from monitor.store.flags import ScoredPost, save_classifications
from monitor.store.posts import upsert_posts

CHROMIUM = "/usr/bin/chromium"
# The test-only allowlist: the server in a thread listens on 127.0.0.1 and nothing else is let in.
LOOPBACK = ("127.0.0.1/32",)
needs_chromium = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Chromium (Debian package) not installed")


def tiny_png(width: int = 4, height: int = 3) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


PNG = tiny_png()
PAGE = ("<html><head><title>Kiriman</title></head><body style='background:#fff'>"
        "<h1>Ayo coblos nomor 2!</h1><p>Kiriman publik Ani Rahayu</p><img src='/foto.png'></body></html>")


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server API)
        if self.path.startswith("/status/"):
            self._send(200, "text/html; charset=utf-8", PAGE.encode())
        elif self.path == "/foto.png":
            self._send(200, "image/png", PNG)
        elif self.path == "/pindah.png":
            self.send_response(302)
            self.send_header("Location", "/foto.png")
            self.end_headers()
        elif self.path == "/tembok":
            self.send_response(302)
            self.send_header("Location", "/i/flow/login?redirect=1")
            self.end_headers()
        elif self.path.startswith("/i/flow/login"):
            self._send(200, "text/html", b"<html><body>Masuk dulu</body></html>")
        else:
            self._send(404, "text/plain", b"tidak ada")

    def _send(self, status: int, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):  # keep test output quiet
        pass


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()
    thread.join()


@pytest.fixture
def media_dir(tmp_path) -> Path:
    return tmp_path / "media"


def flagged_posts(store, urls: dict[str, tuple[str, list[str]]]) -> dict[str, int]:
    """Posts by one registered employee, each flagged partisan; returns platform id -> post id."""
    people.upsert_units(store, [people.UnitRow("DISDIK", "Dinas Pendidikan")])
    people.apply_employee_import(store, [people.EmployeeRow("Ani Rahayu", "PNS", "Dinas Pendidikan", nip=ANI,
                                                            accounts=(("x", "ani_guru"),))], deactivate_missing=False)
    records = [PostRecord(platform="x", post_id=k, text=f"kiriman {k}", raw={"id": k}, url=url, media=media,
                          account_handle="ani_guru") for k, (url, media) in urls.items()]
    upsert_posts(store, records, account_ids=people.account_ids_by_handle(store))
    ids = {r["post_id"]: r["id"] for r in store.query("SELECT id, post_id FROM posts")}
    save_classifications(store, "m1", [ScoredPost(i, {"partisan": 0.9}, ["partisan"], {"partisan": "N1"}, {})
                                       for i in ids.values()])
    return ids


def media_rows(store, post_id: int, kind: str | None = None) -> list[dict]:
    rows = [dict(r) for r in store.query("SELECT * FROM media WHERE post_id = ? ORDER BY id", (post_id,))]
    return [r for r in rows if kind is None or r["kind"] == kind]


@needs_chromium
def test_flagged_posts_are_rendered_and_their_media_downloaded(store, server, media_dir):
    ids = flagged_posts(store, {
        "ok": (f"{server}/status/1", [f"{server}/foto.png", f"{server}/pindah.png", f"{server}/hilang.jpg"]),
        "404": (f"{server}/status-tidak-ada", []),
        "wall": (f"{server}/tembok", []),
        "offline": ("http://127.0.0.1:9/status/2", []),
    })
    result = capture.capture_flagged(store, media_dir=media_dir, allow_networks=LOOPBACK, timeout=30)
    assert result["posts"] == 4 and result["screenshots"] == 1 and result["browser_error"] is None

    shot = media_rows(store, ids["ok"], "screenshot")[0]
    png = mediastore.path_for(media_dir, shot["sha256"]).read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and hashlib.sha256(png).hexdigest() == shot["sha256"]
    width, height = struct.unpack(">II", png[16:24])
    assert width == 1280 and height >= 100
    assert shot["content_type"] == "image/png" and shot["size"] == len(png) and shot["failure"] is None
    assert shot["captured_at"] and shot["source_url"] == f"{server}/status/1"

    media = {r["source_url"]: r for r in media_rows(store, ids["ok"], "media")}
    for name in ("foto.png", "pindah.png"):  # the redirect is followed to the same bytes
        assert media[f"{server}/{name}"]["sha256"] == hashlib.sha256(PNG).hexdigest()
    assert media[f"{server}/hilang.jpg"]["sha256"] is None and "404" in media[f"{server}/hilang.jpg"]["failure"]
    assert len(list(media_dir.rglob("*"))) == 4  # two folders, two files: the PNG is stored once

    reasons = {k: media_rows(store, ids[k], "screenshot")[0]["failure"] for k in ("404", "wall", "offline")}
    assert "HTTP 404" in reasons["404"]
    assert "login" in reasons["wall"]
    assert reasons["offline"].startswith("gagal memuat")
    assert all(media_rows(store, ids[k], "screenshot")[0]["sha256"] is None for k in reasons)
    assert {(f["post_id"], f["kind"]) for f in result["failures"]} == {
        (ids["ok"], "media"), (ids["404"], "screenshot"), (ids["wall"], "screenshot"), (ids["offline"], "screenshot")}

    # A second run retries only the failures; the captured post is not taken again.
    again = capture.capture_flagged(store, media_dir=media_dir, allow_networks=LOOPBACK, max_failures=1)
    assert again["posts"] == 0 and len(media_rows(store, ids["ok"], "screenshot")) == 1


@needs_chromium
def test_the_screenshot_goes_into_the_bundle_and_the_pdf(store, server, media_dir, tmp_path):
    ids = flagged_posts(store, {"ok": (f"{server}/status/1", [f"{server}/foto.png"])})
    capture.capture_flagged(store, media_dir=media_dir, allow_networks=LOOPBACK)
    path = tmp_path / "b.zip"
    evidence.export_bundle(store, actor="a", output=path, employee_nip=ANI, key_dir=tmp_path / "k",
                           media_dir=media_dir)
    report = evidence.verify_bundle(path)
    assert report.ok, report.problems
    post = report.manifest["posts"][0]
    shot = next(m for m in post["media"] if m["kind"] == "screenshot")
    assert shot["file"] == f"media/{shot['sha256']}.png" and shot["captured_at"]
    assert {f["path"] for f in report.manifest["files"]} >= {shot["file"], f"media/{hashlib.sha256(PNG).hexdigest()}.png"}
    assert post["id"] == ids["ok"]


def test_private_addresses_are_refused_by_default(store, server, media_dir):
    ids = flagged_posts(store, {"lokal": (f"{server}/status/1", [f"{server}/foto.png"]),
                                "file": ("file:///etc/passwd", [])})
    result = capture.capture_flagged(store, media_dir=media_dir, browser_path="/tidak/ada")
    assert result["screenshots"] == 0 and result["media"] == 0
    assert "lokal/privat" in media_rows(store, ids["lokal"], "screenshot")[0]["failure"]
    assert "lokal/privat" in media_rows(store, ids["lokal"], "media")[0]["failure"]
    assert "bukan http" in media_rows(store, ids["file"], "screenshot")[0]["failure"]
    assert not media_dir.exists()


def test_a_missing_browser_is_reported_once_and_charges_no_post(store, server, media_dir, monkeypatch):
    ids = flagged_posts(store, {"ok": ("https://contoh.invalid/status/1", [])})
    monkeypatch.setattr(netguard, "_system_resolve", lambda host: ["93.184.216.34"])  # no DNS lookups in tests
    result = capture.capture_flagged(store, media_dir=media_dir, browser_path="/tidak/ada/chromium")
    assert result["browser_error"] and "/tidak/ada/chromium" in result["browser_error"]
    assert media_rows(store, ids["ok"]) == []


def test_an_uploaded_screenshot_is_stored_by_hash(store, media_dir, tmp_path):
    data = build(store)
    post = data["posts"]["a1"]
    digest = capture.store_upload(store, PNG, post_id=post, media_dir=media_dir)
    assert digest == hashlib.sha256(PNG).hexdigest()
    assert mediastore.read(media_dir, digest) == PNG
    row = media_rows(store, post)[0]
    assert (row["kind"], row["origin"], row["content_type"]) == ("screenshot", "upload", "image/png")
    with pytest.raises(ValueError, match="bukan gambar"):
        capture.store_upload(store, b"<script>alert(1)</script>", post_id=post, media_dir=media_dir)
    with pytest.raises(ValueError, match="kosong"):
        capture.store_upload(store, b"", post_id=post, media_dir=media_dir)
    with pytest.raises(ValueError, match="jenis"):
        capture.store_upload(store, PNG, post_id=post, kind="video", media_dir=media_dir)
    assert len(media_rows(store, post)) == 1
    # The upload appears in the bundle, and a file corrupted on disk is named, not silently exported.
    path = tmp_path / "b.zip"
    evidence.export_bundle(store, actor="a", output=path, employee_nip=ANI, key_dir=tmp_path / "k", media_dir=media_dir)
    report = evidence.verify_bundle(path)
    assert report.ok
    upload = next(m for p in report.manifest["posts"] for m in p["media"])
    assert upload["origin"] == "upload" and upload["file"] == f"media/{digest}.png"
    mediastore.path_for(media_dir, digest).write_bytes(PNG + b"x")
    path2 = tmp_path / "c.zip"
    evidence.export_bundle(store, actor="a", output=path2, employee_nip=ANI, key_dir=tmp_path / "k", media_dir=media_dir)
    report = evidence.verify_bundle(path2)
    upload = next(m for p in report.manifest["posts"] for m in p["media"])
    assert report.ok and upload["file"] is None and "tidak cocok" in upload["problem"]


def test_the_media_table_refuses_a_row_with_neither_hash_nor_reason(store):
    import sqlite3

    with pytest.raises(sqlite3.IntegrityError):
        store.conn.execute("INSERT INTO media (kind, captured_at) VALUES ('screenshot', '2024-01-01')")


def test_cli_capture_records_refusals_and_keeps_going(tmp_path, server):
    from monitor.store import connect
    from test_cli import netra

    db = tmp_path / "netra.db"
    assert netra("init", db=db).returncode == 0
    with connect(db) as store:
        ids = flagged_posts(store, {"lokal": (f"{server}/status/1", [])})
    result = netra("evidence", "capture", "--limit", "5", db=db)
    assert result.returncode == 0, result.stderr
    assert "1 kiriman diproses" in result.stdout and "1 gagal" in result.stdout
    assert f"kiriman #{ids['lokal']}" in result.stderr and "lokal/privat" in result.stderr
    with connect(db) as store:
        assert "lokal/privat" in media_rows(store, ids["lokal"])[0]["failure"]


# --- SSRF (issue 15, item 1): names and redirects that lead back to this machine ---------------

class IntranetHandler(Handler):
    """The same server also plays the intranet; every path asked for is remembered."""

    hits: list[str] = []

    def do_GET(self):  # noqa: N802 (http.server API)
        IntranetHandler.hits.append(f"{self.headers.get('Host')}{self.path}")
        if self.path == "/ke-intranet":
            self.send_response(302)
            self.send_header("Location", f"http://intranet.localhost:{self.server.server_address[1]}/rahasia")
            self.end_headers()
        elif self.path == "/gambar-intranet":
            port = self.server.server_address[1]
            self._send(200, "text/html", f"<html><body><h1>Publik</h1><img src='http://intranet.localhost:{port}"
                                         f"/rahasia.png'></body></html>".encode())
        elif self.path == "/media-ke-intranet":
            self.send_response(302)
            self.send_header("Location", f"http://localhost.:{self.server.server_address[1]}/foto.png")
            self.end_headers()
        elif self.path.startswith("/rahasia"):
            self._send(200, "text/html", b"<html><body>DATA INTERNAL</body></html>")
        else:
            super().do_GET()


@pytest.fixture
def intranet():
    IntranetHandler.hits = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), IntranetHandler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_address[1]
    httpd.shutdown()
    httpd.server_close()
    thread.join()


@needs_chromium
def test_a_localhost_name_and_a_redirect_to_it_are_refused_even_with_loopback_allowed(store, intranet, media_dir):
    port = intranet
    ids = flagged_posts(store, {
        "nama": (f"http://intranet.localhost:{port}/rahasia", [f"http://intranet.localhost:{port}/foto.png"]),
        "titik": (f"http://localhost.:{port}/rahasia", []),
        "alih": (f"http://127.0.0.1:{port}/ke-intranet", [f"http://127.0.0.1:{port}/media-ke-intranet"]),
        "sub": (f"http://127.0.0.1:{port}/gambar-intranet", []),
    })
    allowed = ("127.0.0.1/32",)
    result = capture.capture_flagged(store, media_dir=media_dir, allow_networks=allowed, timeout=30)
    for key in ("nama", "titik", "alih"):
        shot = media_rows(store, ids[key], "screenshot")[0]
        assert shot["sha256"] is None and "lokal/privat" in shot["failure"], (key, shot)
    for key in ("nama", "alih"):
        download = media_rows(store, ids[key], "media")[0]
        assert download["sha256"] is None and "lokal/privat" in download["failure"]
    # The page with intranet images is captured, its intranet sub-requests never leave the box.
    assert media_rows(store, ids["sub"], "screenshot")[0]["sha256"]
    assert sorted(h.split("/", 1)[1] for h in IntranetHandler.hits) == \
        ["gambar-intranet", "ke-intranet", "media-ke-intranet"]  # the intranet pages were never asked for
    assert result["screenshots"] == 1


@needs_chromium
def test_without_the_allowlist_nothing_on_this_machine_is_fetched(store, intranet, media_dir):
    ids = flagged_posts(store, {"alih": (f"http://127.0.0.1:{intranet}/ke-intranet", [])})
    result = capture.capture_flagged(store, media_dir=media_dir, timeout=30)
    assert result["screenshots"] == 0 and IntranetHandler.hits == []
    assert "lokal/privat" in media_rows(store, ids["alih"], "screenshot")[0]["failure"]
