"""The capture receiver over real HTTP on 127.0.0.1 (uvicorn), driven the way Zeeschuimer's
"to 4CAT" button drives a 4CAT server; plus the capture CLI commands."""

from __future__ import annotations

import json
import socket
import threading
import time
from pathlib import Path

import httpx
import pytest
import uvicorn
from typer.testing import CliRunner

from fakeplatforms import register, register_campaign
from monitor import auth
from monitor.cli.main import app
from monitor.collect import receiver
from monitor.store import captures as capture_rows

PAYLOADS = Path(__file__).parent / "payloads" / "captures"
runner = CliRunner()


def issue_token(db_path: Path, username: str) -> str:
    result = runner.invoke(app, ["--db", str(db_path), "users", "token", username])
    assert result.exit_code == 0, result.output
    return result.output.splitlines()[1].strip()


@pytest.fixture
def setup(store, db_path):
    register(store, {"instagram": ["budi.santoso_skm"], "tiktok": ["sri.wahyuni88"]})
    register_campaign(store, "tiktok", "joko.calon")
    auth.create_user(store, "analis1", "kata-sandi-panjang-1", "analyst", actor="test")
    auth.create_user(store, "auditor1", "kata-sandi-panjang-2", "auditor", actor="test")
    return db_path


@pytest.fixture
def server(setup):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = uvicorn.Config(receiver.make_app(setup, max_bytes=5 * 1024 * 1024), host="127.0.0.1", port=port,
                            log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert srv.started
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


def extension_body(name: str) -> bytes:
    """What get_blob() builds: JSON.stringify(item) + "\\n" per item, as application/x-ndjson."""
    items = [json.loads(line) for line in (PAYLOADS / name).read_text(encoding="utf-8").splitlines() if line]
    return "".join(json.dumps(i, ensure_ascii=False, separators=(",", ":")) + "\n" for i in items).encode("utf-8")


def upload(client: httpx.Client, base: str, platform: str, body: bytes) -> httpx.Response:
    return client.post(f"{base}/api/import-dataset/", content=body,
                       headers={"X-Zeeschuimer-Platform": platform, "Content-Type": "application/x-ndjson"})


def test_upload_like_the_extension_then_poll_until_done(setup, server, store):
    token = issue_token(setup, "analis1")
    assert store.one("SELECT COUNT(*) FROM capture_tokens WHERE token_sha256 = ?",
                     (capture_rows.token_hash(token),))[0] == 1
    assert token not in json.dumps([list(r) for r in store.query("SELECT * FROM capture_tokens")])
    with httpx.Client() as browser:
        assert browser.get(f"{server}/masuk", params={"token": token}).status_code == 200  # sets the cookie
        answer = upload(browser, server, "tiktok.com", extension_body("tiktok.ndjson"))
        assert answer.status_code == 200
        queued = answer.json()
        assert queued["status"] == "queued" and queued["key"].startswith("netra-")
        progress = browser.get(f"{server}/api/check-query/", params={"key": queued["key"]}).json()
    assert progress["done"] is True and progress["rows"] == 3 and progress["datasource"] == "tiktok"
    assert isinstance(progress["url"], str) and progress["status"]
    rows = store.query("SELECT captured_by, page_url FROM capture_provenance")
    assert {r[0] for r in rows} == {"analis1"} and len(rows) == 3
    assert store.one("SELECT COUNT(*) FROM audit_log WHERE action = 'capture_upload'")[0] == 1


def test_missing_wrong_or_non_analyst_token_refused(setup, server, store):
    issue_token(setup, "analis1")
    body = extension_body("tiktok.ndjson")
    with httpx.Client() as browser:
        assert upload(browser, server, "tiktok.com", body).status_code == 403
        browser.cookies.set(receiver.COOKIE, "salah-token")
        assert upload(browser, server, "tiktok.com", body).status_code == 403
    result = runner.invoke(app, ["--db", str(setup), "users", "token", "auditor1"])
    assert result.exit_code != 0 and "analis" in result.output
    assert store.one("SELECT COUNT(*) FROM posts")[0] == 0


def test_bearer_token_and_unknown_platform(setup, server, store):
    token = issue_token(setup, "analis1")
    with httpx.Client(headers={"Authorization": f"Bearer {token}"}) as client:
        answer = upload(client, server, "myspace.com", b"{}\n")
        assert answer.status_code == 404 and "Unknown platform or source format" in answer.text
        assert upload(client, server, "tiktok-comments", extension_body("tiktok_comments.ndjson")).status_code == 200
    assert store.one("SELECT COUNT(*) FROM interactions")[0] == 1


def test_50_mb_body_refused_cleanly(setup, server, store):
    token = issue_token(setup, "analis1")
    line = extension_body("tiktok.ndjson").splitlines(keepends=True)[0]
    big = line * (50 * 1024 * 1024 // len(line) + 1)
    assert len(big) >= 50 * 1024 * 1024
    with httpx.Client(headers={"Authorization": f"Bearer {token}"}, timeout=60) as client:
        answer = upload(client, server, "tiktok.com", big)
        assert answer.status_code == 413 and "terlalu besar" in answer.json()["error"]

        def chunks():  # no Content-Length: the limit must hold while streaming too
            for start in range(0, len(big), 1024 * 1024):
                yield big[start:start + 1024 * 1024]

        streamed = upload(client, server, "tiktok.com", chunks())
        assert streamed.status_code == 413
        # the server is still healthy afterwards
        assert upload(client, server, "tiktok.com", extension_body("tiktok.ndjson")).status_code == 200
    assert store.one("SELECT COUNT(*) FROM posts")[0] == 3


def test_cli_collect_capture_reports_counts_and_line_errors(setup, tmp_path):
    path = tmp_path / "zeeschuimer-export-tiktok.com-2024-11-30T050000.ndjson"
    path.write_text((PAYLOADS / "tiktok.ndjson").read_text(encoding="utf-8") + "{rusak\n", encoding="utf-8")
    result = runner.invoke(app, ["--db", str(setup), "collect", "capture", str(path), "--captured-by", "analis1",
                                 "--no-media", "--no-classify"])
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())  # rich wraps long lines
    assert "baris 7" in text and "3 baru" in text
    assert "1 dibuang (akun tidak terdaftar)" in text and "1 iklan dilewati" in text
    unknown = runner.invoke(app, ["--db", str(setup), "collect", "capture", str(path), "--captured-by", "siapa"])
    assert unknown.exit_code != 0 and "tidak ada" in unknown.output


def test_netra_capture_serve_runs_the_receiver(setup, store):
    """The real command: `netra capture serve --port N` in a subprocess, then one upload."""
    import os
    import signal
    import subprocess
    import sys

    token = issue_token(setup, "analis1")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(root), os.environ.get("PYTHONPATH", "")])}
    process = subprocess.Popen(
        [sys.executable, "-m", "monitor.cli.main", "--db", str(setup), "capture", "serve", "--port", str(port),
         "--no-media"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, cwd=root,
        start_new_session=True)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and process.poll() is None:
            try:
                httpx.get(f"{base}/api/check-query/", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.2)  # polling the port until the server listens
        with httpx.Client(headers={"Authorization": f"Bearer {token}"}) as client:
            answer = upload(client, base, "tiktok.com", extension_body("tiktok.ndjson"))
        assert answer.status_code == 200 and answer.json()["status"] == "queued"
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        output = process.communicate(timeout=30)[0]
    assert "Penerima tangkapan" in output
    assert store.one("SELECT COUNT(*) FROM posts")[0] == 3
