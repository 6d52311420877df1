"""In headless Chromium: an analyst uploads a Zeeschuimer NDJSON on "Tangkapan peramban" and
sees the import's counts; the database holds only the registered accounts' items."""

from __future__ import annotations

from pathlib import Path

import pytest

from browser_harness import CHROMIUM, TIMEOUT_MS, launch_browser, login, open_page, serve, settle
from fakeplatforms import register
from monitor import auth
from monitor.store import connect

PAYLOADS = Path(__file__).parent / "payloads" / "captures"
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed")


def test_analyst_uploads_a_capture_in_the_browser(tmp_path):
    db = tmp_path / "netra.db"
    with connect(db) as store:
        register(store, {"tiktok": ["sri.wahyuni88"]})
        auth.create_user(store, "analis", "sandi-analis-panjang", "analyst", actor="test")
    upload = tmp_path / "zeeschuimer-export-tiktok.ndjson"
    upload.write_bytes((PAYLOADS / "tiktok.ndjson").read_bytes() + b"{rusak\n")
    with serve(db) as url, launch_browser() as chromium:
        page = chromium.new_page()
        login(page, url, "analis", "sandi-analis-panjang")
        open_page(page, "Tangkapan peramban")
        page.get_by_text("Unduh media (foto/video) ke penyimpanan bukti").click()  # no network in tests
        page.locator("[data-testid=stFileUploaderDropzoneInput]").set_input_files(str(upload))
        page.locator("[data-testid=stFileChipName]").first.wait_for(timeout=TIMEOUT_MS)
        page.get_by_role("button", name="Impor tangkapan").click()
        page.get_by_text("Impor #1:").wait_for(timeout=TIMEOUT_MS)
        settle(page)
        message = page.get_by_text("Impor #1:").inner_text()
        page.close()
    assert "3 baru" in message and "1 dibuang (tidak terdaftar)" in message and "1 baris rusak" in message
    with connect(db) as store:
        assert store.one("SELECT COUNT(*) FROM posts")[0] == 3
        assert store.one("SELECT captured_by FROM capture_imports")[0] == "analis"
        assert store.one("SELECT COUNT(*) FROM audit_log WHERE action = 'capture_import'")[0] == 1
