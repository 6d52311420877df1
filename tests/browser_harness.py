"""Shared pieces of the real-browser tests: serve the dashboard, launch Chromium, wait patiently.

`streamlit run dashboard.py` runs as a subprocess on a free port against a given database;
Playwright drives Debian's Chromium. After every action the tests wait for Streamlit's own
connection and script-state attributes (or the element they expect), never for a fixed time.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import httpx

from conftest import ROOT
from monitor import demo

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run", "--no-sandbox"]
TIMEOUT_MS = 60_000


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serve(db_path: Path) -> Iterator[str]:
    """Run the dashboard on ``db_path`` until the block ends; yields its base URL once healthy."""
    port = free_port()
    env = {**os.environ, "NETRA_DB": str(db_path)}
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard.py"), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, cwd=ROOT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        healthy = False
        while not healthy and time.monotonic() < deadline and process.poll() is None:
            try:
                healthy = httpx.get(f"{url}/_stcore/health", timeout=2).text == "ok"
            except httpx.HTTPError:
                time.sleep(0.3)  # polling the health endpoint, not waiting on the page
        assert healthy, "dashboard did not become healthy"
        yield url
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.communicate(timeout=30)


@contextmanager
def launch_browser():
    """Headless Debian Chromium through Playwright's sync API."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def settle(page) -> None:
    """Wait until the app is connected and no script run is in progress."""
    page.wait_for_selector("[data-testid=stApp][data-test-connection-state=CONNECTED]", timeout=TIMEOUT_MS)
    page.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]", timeout=TIMEOUT_MS)


def login(page, url: str, username: str, password: str) -> None:
    page.goto(url)
    settle(page)
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()
    page.get_by_text(f"Masuk sebagai {username}").wait_for(timeout=TIMEOUT_MS)
    settle(page)


def logout(page) -> None:
    page.get_by_role("button", name="Keluar").click()
    page.get_by_role("button", name="Masuk").wait_for(timeout=TIMEOUT_MS)
    settle(page)


def open_page(page, title: str) -> None:
    page.locator("[data-testid=stSidebarNav] a", has_text=title).first.click()
    page.get_by_role("heading", name=title).first.wait_for(timeout=TIMEOUT_MS)
    settle(page)


def credentials(role: str) -> tuple[str, str]:
    user = next(u for u in demo.DEMO_USERS if u.role == role)
    return user.username, user.password
