"""End to end in headless Chromium: the analyst decides a flag, hostile HTML stays text, the
auditor exports the decision.

`streamlit run dashboard.py` runs as a subprocess on a free port against a demo database with
one hostile post added; Playwright drives Debian's Chromium (tests/browser_harness.py). After
every action the test waits for Streamlit's own connection and script-state attributes (or the
element it expects), never for a fixed time.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from browser_harness import CHROMIUM, credentials, launch_browser, login, open_page, serve, settle
from conftest import ROOT
from monitor import demo
from monitor.cases.codes import VIOLATION_CODES
from monitor.store import PostRecord, connect, people
from monitor.store.flags import ScoredPost, save_classifications
from monitor.store.posts import upsert_posts

HOSTILE = "<b>tebal</b> <script>window.__netra_xss = 1</script> coblos nomor 2 <img src=x onerror=\"window.__netra_xss=2\">"

pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed"),
    pytest.mark.skipif(not (ROOT / "data" / "demo" / "posts.jsonl").exists(), reason="demo data not present"),
]


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> tuple[Path, int]:
    """The demo database plus one post whose text is HTML and script, flagged at the top of the queue."""
    path = tmp_path_factory.mktemp("browser") / "demo.db"
    with demo.build(path) as store:
        handle = people.list_employees(store)[0]["accounts"].split()[0]
        platform, name = handle.split(":", 1)
        new = upsert_posts(store, [PostRecord(platform, "xss-1", HOSTILE, {"id": "xss-1"}, account_handle=name,
                                              created_at="2024-11-01T03:00:00Z")],
                           account_ids=people.account_ids_by_handle(store)).new_ids[0]
        start = HOSTILE.find("coblos")
        save_classifications(store, "browser-test", [ScoredPost(
            new, {"partisan": 0.999}, ["partisan"], {"partisan": "N1"},
            {"partisan": {"top_features": [{"feature": "kata:coblos", "contribution": 1.0}],
                          "rules": [{"rule": "vote_call", "code": "N1", "matched": "coblos nomor 2",
                                     "span": [start, start + 14], "description": "ajakan memilih", "weight": 0.9}]}})])
        flag_id = store.one("SELECT id FROM flags WHERE post_id = ?", (new,))[0]
        # The demo analyst already reviewed part of the queue: the queue is alive.
        assert store.one("SELECT COUNT(*) FROM reviews")[0] > 0
        assert store.one("SELECT COUNT(*) FROM flags WHERE status = 'escalated'")[0] > 0
    return path, flag_id


@pytest.fixture(scope="module")
def server(demo_db):
    with serve(demo_db[0]) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with launch_browser() as chromium:
        yield chromium


def test_analyst_decides_and_auditor_exports(server, browser, demo_db, tmp_path):
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    try:
        _decide_and_export(page, server, demo_db, tmp_path)
    except Exception:
        page.screenshot(path=str(tmp_path / "failure.png"), full_page=True)
        print(f"screenshot: {tmp_path / 'failure.png'}")
        raise
    finally:
        context.close()


def _decide_and_export(page, server, demo_db, tmp_path) -> None:
    db_path, flag_id = demo_db
    login(page, server, *credentials("analyst"))
    open_page(page, "Antrian tinjauan")
    page.get_by_text("Filter temuan").first.click()  # folded on the page (issue 14: phones)
    search = page.get_by_label("Cari teks, nama, akun atau NIP")
    search.fill("tebal")
    search.press("Enter")
    page.get_by_role("heading", name=f"Temuan #{flag_id} — Keberpihakan").wait_for(timeout=60_000)
    settle(page)

    # The hostile post is shown as text: its tags are visible characters, no element was made.
    card = page.locator("[data-testid=stMarkdownContainer]", has_text="window.__netra_xss").first
    assert "<b>tebal</b>" in card.inner_text()
    assert "<script>" in card.inner_text()
    assert page.locator("[data-testid=stMain] b").count() == 0
    assert page.locator("[data-testid=stMain] script").count() == 0
    assert page.locator("[data-testid=stMain] img[src=x]").count() == 0
    assert page.evaluate("window.__netra_xss") is None
    highlight = card.locator("span", has_text="coblos nomor 2")
    assert highlight.count() >= 1

    # One click: a violation with type N7, then the next flag appears.
    picker = page.get_by_label("Jenis pelanggaran (untuk keputusan Pelanggaran)")
    picker.click()
    picker.fill("N7")
    page.get_by_role("option", name=f"N7 — {VIOLATION_CODES['N7'].description}").click()  # cases.codes' wording
    settle(page)
    note = page.get_by_label("Catatan", exact=True)
    note.fill("diputuskan di peramban")
    note.press("Enter")
    settle(page)
    # The accessible name carries the shortcut hint ("Pelanggaran Alt + 1").
    page.get_by_role("button", name=re.compile(r"^Pelanggaran")).click()
    page.get_by_text(f"Temuan #{flag_id}: Pelanggaran tersimpan.").wait_for(timeout=60_000)
    settle(page)
    assert page.get_by_role("heading", name=f"Temuan #{flag_id} — Keberpihakan").count() == 0
    with connect(db_path) as store:
        row = store.one("SELECT status, violation_code FROM flags WHERE id = ?", (flag_id,))
        assert tuple(row) == ("confirmed", "N7")
        assert store.one("SELECT note FROM reviews WHERE flag_id = ?", (flag_id,))[0] == "diputuskan di peramban"

    # The auditor logs in (a new session) and exports the confirmed flags as CSV.
    page.get_by_role("button", name="Keluar").click()
    page.get_by_role("button", name="Masuk").wait_for(timeout=60_000)
    login(page, server, *credentials("auditor"))
    open_page(page, "Ekspor bukti")
    page.get_by_role("button", name="Siapkan tabel CSV dan XLSX").click()
    page.get_by_role("button", name="Unduh CSV").wait_for(timeout=60_000)
    settle(page)
    with page.expect_download(timeout=60_000) as download_info:
        page.get_by_role("button", name="Unduh CSV").click()
    target = tmp_path / "export.csv"
    download_info.value.save_as(target)
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    exported = {int(r["ID temuan"]): r for r in rows}
    assert flag_id in exported
    assert exported[flag_id]["Kode pelanggaran"] == "N7" and exported[flag_id]["Teks"] == HOSTILE
    assert {r["Status"] for r in rows} == {"Pelanggaran"}  # the glossary's word, not the key "confirmed"
