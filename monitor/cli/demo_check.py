"""`netra demo --check`: serve the dashboard, prove the login page loads, stop (issue 14).

`make demo DEMO_CHECK=1` runs this so CI exercises the README's first command as typed: the
demo database is built, Streamlit starts as a child process on the given port, the health
endpoint answers, headless Chromium loads the login page, and the server is stopped again.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from ..paths import PROJECT_ROOT

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--no-sandbox"]
#: Text the login form shows once Streamlit has rendered it (dashboard.login_form).
LOGIN_MARKERS = ("Nama pengguna", "Kata sandi")


class DemoCheckError(RuntimeError):
    """The dashboard did not start, or its login page did not load; the message is in Bahasa."""


def dashboard_command(port: int) -> list[str]:
    """The `streamlit run` command line shared by `netra dashboard` and the check.

    The server options of `.streamlit/config.toml` (upload limit, no error details, no toolbar,
    no table export) are passed as flags, so they hold whatever the working folder.
    """
    from ..paths import streamlit_flags

    return [sys.executable, "-m", "streamlit", "run", str(PROJECT_ROOT / "dashboard.py"),
            "--server.port", str(port), "--server.headless", "true",
            "--browser.gatherUsageStats", "false", *streamlit_flags()]


def wait_healthy(url: str, process: subprocess.Popen, *, timeout: float = 90.0) -> None:
    """Poll ``/_stcore/health`` until it says ok; fail when the process dies or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise DemoCheckError(f"dasbor berhenti sebelum siap (kode keluar {process.returncode}).")
        try:
            if httpx.get(f"{url}/_stcore/health", timeout=2).text == "ok":
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)  # polling the health endpoint
    raise DemoCheckError(f"dasbor tidak siap dalam {timeout:.0f} detik ({url}/_stcore/health).")


def load_login_page(url: str, *, timeout_ms: int = 60_000) -> str:
    """Open the page in headless Chromium and return its text once the login form is shown.

    Falls back to a plain HTTP GET of the page shell when Chromium is not installed, so the
    check still proves the server answers (the message says which one was done).
    """
    if not CHROMIUM.exists():
        page = httpx.get(url + "/", timeout=10)
        if page.status_code != 200 or "<title>" not in page.text:
            raise DemoCheckError(f"halaman {url} tidak dapat dimuat (HTTP {page.status_code}).")
        return "shell"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(url + "/", timeout=timeout_ms)
            for marker in LOGIN_MARKERS:
                page.get_by_text(marker).first.wait_for(timeout=timeout_ms)
            return page.inner_text("body")
        except Exception as exc:  # Playwright raises its own error types; report them in Bahasa
            raise DemoCheckError(f"halaman masuk tidak tampil di Chromium: {exc}") from exc
        finally:
            browser.close()


def check(db_path: str | Path, port: int) -> str:
    """Serve ``db_path`` on ``port``, wait for health, load the login page, stop the server.

    Returns "chromium" or "shell" (how the page was loaded). The server is always stopped.
    """
    env = {**os.environ, "NETRA_DB": str(Path(db_path).resolve())}
    command = dashboard_command(port) + ["--server.address", "127.0.0.1", "--server.fileWatcherType", "none"]
    # Streamlit's log goes to a file, not a pipe nobody reads (a full pipe would block it).
    log = tempfile.TemporaryFile()
    process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, process)
        return "chromium" if load_login_page(url) != "shell" else "shell"
    except DemoCheckError as exc:
        log.seek(0)
        tail = log.read().decode("utf-8", "replace")[-2000:]
        raise DemoCheckError(f"{exc}\n{tail}".rstrip()) from exc
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
        log.close()
