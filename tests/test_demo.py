"""The demo the README promises: `netra demo` builds a database and the dashboard serves it."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time

import httpx
import pytest

from conftest import BIN, ROOT
from monitor.evidence import audit
from monitor import demo
from monitor.store import people
from monitor.store.posts import count_posts, list_posts

pytestmark = pytest.mark.skipif(not (ROOT / "data" / "demo" / "posts.jsonl").exists(), reason="demo data not present")


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory):
    with demo.build(tmp_path_factory.mktemp("demo") / "demo.db") as store:
        yield store


def test_demo_city_has_units_employees_posts_and_users(demo_store):
    employees = people.list_employees(demo_store)
    assert 120 <= len(employees) <= 200
    assert len(people.list_units(demo_store)) >= 12
    assert 300 <= count_posts(demo_store) <= 500
    # Every demo post belongs to a registered account of a known employee.
    unlinked = [p for p in list_posts(demo_store, limit=1000) if p["employee"] is None]
    assert unlinked == []
    from monitor.store import users

    assert {u["role"] for u in users.list_users(demo_store)} == {"admin", "analyst", "supervisor", "auditor"}
    assert audit.verify(demo_store).ok


def test_demo_logins_work(demo_store):
    from monitor import auth

    for user in demo.DEMO_USERS:
        assert auth.login(demo_store, user.username, user.password).role == user.role


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_netra_demo_builds_and_serves_the_dashboard(tmp_path):
    port = _free_port()
    env = {**os.environ, "NO_COLOR": "1"}
    process = subprocess.Popen([str(BIN / "netra"), "--db", str(tmp_path / "demo.db"), "demo", "--port", str(port)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, cwd=tmp_path,
                               start_new_session=True)
    try:
        deadline = time.monotonic() + 90
        healthy = False
        while time.monotonic() < deadline and process.poll() is None:
            try:
                healthy = httpx.get(f"http://127.0.0.1:{port}/_stcore/health", timeout=2).text == "ok"
            except httpx.HTTPError:
                pass
            if healthy:
                break
            time.sleep(0.5)
        assert healthy, "dashboard did not become healthy"
        assert "<title>Streamlit</title>" in httpx.get(f"http://127.0.0.1:{port}/", timeout=5).text
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        output = process.communicate(timeout=30)[0]
    for user in demo.DEMO_USERS:
        assert user.username in output and user.password in output  # the logins are printed
    assert f"http://localhost:{port}" in output


def test_demo_poster_is_one_group_and_the_report_screenshot_is_read_and_scored(demo_store):
    import json

    from monitor.flagging import groups
    from monitor.store import pictures as picture_rows

    admin = demo._demo_user(demo_store, "admin")
    poster_groups = groups.queue(demo_store, admin, kinds=("image",))
    assert len(poster_groups) == 1 and poster_groups[0]["members"] == len(demo.POSTER_SHARERS)
    assert poster_groups[0]["label"].startswith(f"poster yang sama: {len(demo.POSTER_SHARERS)} pegawai")
    report = demo_store.one("SELECT post_id, screenshot_sha256 FROM reports WHERE screenshot_sha256 IS NOT NULL")
    words = picture_rows.image_text(demo_store, report["screenshot_sha256"])["text"]
    assert "coblos nomor 2" in words.lower()
    scored = demo_store.one("SELECT explanation_json FROM classifications WHERE post_id = ? ORDER BY created_at DESC",
                            (report["post_id"],))
    explanation = json.loads(scored[0])
    assert explanation["partisan"]["picture"]["words"]
