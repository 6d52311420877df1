"""Streamlit's built-in English, looked for in a real browser (issue 14, item 6).

The uploader's "Upload", "5MB per file • CSV", "Drag and drop a file here" and its refusal
"File must be 5.0MB or smaller.", the multiselect's "Select all", "Choose options" and "No
results" have no API; the app hides them with CSS and shows Indonesian text as pseudo-element
content (monitor.web.file_upload, WIDGET_TEXT_CSS). innerText leaves ``::after`` content out,
so each page is checked twice: the English is not in the visible text, and the Indonesian is in
the computed ``::after`` content of the very element that carried the English.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from browser_harness import CHROMIUM, TIMEOUT_MS, credentials, launch_browser, login, open_page, serve, settle
from conftest import ROOT
from monitor import demo, web
from test_browser_cases import browser  # noqa: F401 (fixture)

pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed"),
    pytest.mark.skipif(not (ROOT / "data" / "demo" / "posts.jsonl").exists(), reason="demo data not present"),
]

ENGLISH = ("Drag and drop", "Browse files", "200MB", "per file", "Upload", "Select all", "Choose option",
           "No results", "No options", "File must be", "File is too large", "not allowed", "Page not found",
           "View ")  # the collapsed menu's "View 3 more" / "View less"

#: What each uploader's parts say instead, read as computed ::after content.
UPLOADER_PARTS = """uploader => {
  const zone = uploader.querySelector('[data-testid=stFileUploaderDropzone]');
  const after = el => el ? getComputedStyle(el, '::after').content : null;
  const seen = el => !!el && el.checkVisibility();
  const button = zone.querySelector('button [data-testid=stMarkdownContainer]');
  const limit = zone.querySelector('[data-testid=stFileUploaderDropzoneInstructions] > div');
  const drag = [...zone.children].find(c => c.tagName === 'DIV' && !c.dataset.testid && c.querySelector(':scope > span'));
  return {button: after(button), limit: after(limit), drag: after(drag),
          englishShown: [button && button.querySelector('p'), limit && limit.querySelector('span'),
                         drag && drag.querySelector('span')].filter(seen).map(e => e.textContent)};
}"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    path = tmp_path_factory.mktemp("browser-widgets") / "demo.db"
    demo.build(path).close()
    with serve(path) as url:
        # A server's very first session opened on a page's own address gets Streamlit's English
        # "Page not found" dialog (the legacy pages/ lookup runs before st.navigation has run
        # once); one visit to the front page first, as any started server gets, avoids it.
        with launch_browser() as chromium:
            first = chromium.new_page()
            first.goto(url)
            settle(first)
        yield url


def visible_english(page) -> list[str]:
    text = page.locator("body").inner_text()
    return [word for word in ENGLISH if word in text]


def check_uploaders(page, expected: int) -> list[dict]:
    """Every uploader on the page speaks Indonesian with the server's limit; returns their parts."""
    uploaders = page.locator("[data-testid=stFileUploader]")
    uploaders.first.wait_for(state="attached", timeout=TIMEOUT_MS)
    assert uploaders.count() == expected
    parts = [uploaders.nth(i).evaluate(UPLOADER_PARTS) for i in range(expected)]
    for part in parts:
        assert part["button"] == '"Pilih berkas"', part
        assert re.fullmatch(rf'"Maks\. {web.UPLOAD_LIMIT_MB} MB per berkas • [A-Z0-9, ]+"', part["limit"]), part
        assert part["englishShown"] == [], part
    assert visible_english(page) == []
    return parts


def drag_over(page, uploader) -> dict:
    """Hold a file over the dropzone: the overlay's words are Indonesian, the English hidden."""
    data = page.evaluate_handle("() => { const d = new DataTransfer(); "
                                "d.items.add(new File(['x'], 'a.csv', {type: 'text/csv'})); return d; }")
    zone = uploader.locator("[data-testid=stFileUploaderDropzone]")
    zone.dispatch_event("dragenter", {"dataTransfer": data})
    page.wait_for_function("z => [...z.children].some(c => c.tagName === 'DIV' && !c.dataset.testid "
                           "&& c.querySelector(':scope > span'))", arg=zone.element_handle(), timeout=TIMEOUT_MS)
    parts = uploader.evaluate(UPLOADER_PARTS)
    english = visible_english(page)
    zone.dispatch_event("dragleave", {"dataTransfer": data})
    assert parts["drag"] == '"Seret dan lepas berkas di sini"' and parts["englishShown"] == [], parts
    assert english == []
    return parts


def test_public_report_uploader_and_its_refusal_speak_indonesian(server, browser, tmp_path):
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(f"{server}/laporan-masyarakat")  # the public form: no login
        settle(page)
        page.get_by_role("heading", name="Laporan masyarakat").first.wait_for(timeout=TIMEOUT_MS)
        check_uploaders(page, 1)
        uploader = page.locator("[data-testid=stFileUploader]").first
        drag_over(page, uploader)
        # One byte over the limit shown: the browser refuses it, in Indonesian (chip and tooltip).
        big = tmp_path / "besar.png"
        big.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * (web.UPLOAD_LIMIT_MB * 1024 * 1024))
        uploader.locator("[data-testid=stFileUploaderDropzoneInput]").set_input_files(str(big))
        chip = uploader.locator("[data-testid=stFileChip][aria-invalid=true]")
        chip.wait_for(timeout=TIMEOUT_MS)
        assert visible_english(page) == []
        chip.hover()
        tooltip = page.locator("[data-testid=stTooltipErrorContent]")
        tooltip.wait_for(state="attached", timeout=TIMEOUT_MS)
        said = tooltip.evaluate("e => getComputedStyle(e, '::after').content")
        assert said == '"Berkas ditolak: lebih besar dari batas atau jenisnya tidak diizinkan."'
        assert visible_english(page) == []
    except Exception:
        page.screenshot(path=str(tmp_path / "failure-public.png"), full_page=True)
        raise
    finally:
        context.close()


def test_admin_pages_uploaders_and_multiselects_speak_indonesian(server, browser, tmp_path):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        login(page, server, *credentials("admin"))
        for title in ("Pemilu", "Tangkapan peramban"):
            open_page(page, title)
            check_uploaders(page, 1)
        open_page(page, "Registri")  # employees and units: both uploaders are in the page, one per tab
        check_uploaders(page, 2)
        drag_over(page, page.locator("[data-testid=stFileUploader]").first)
        page.get_by_role("tab", name="Unit kerja").click()
        settle(page)
        page.locator("[data-testid=stFileUploader]").nth(1).wait_for(state="visible", timeout=TIMEOUT_MS)
        check_uploaders(page, 2)
        # The units picker of a new user: no "Select all" when open, "Tidak ada hasil" for a miss.
        page.get_by_role("tab", name="Pengguna dan peran").click()
        settle(page)
        check_dropdown(page, page.locator("[data-testid=stMultiSelect]").first)
        open_page(page, "Antrian tinjauan")
        page.get_by_text("Filter temuan").first.click()
        unit_box = page.locator("[data-testid=stMultiSelect]").filter(has_text="Unit kerja").first
        check_dropdown(page, unit_box)
        # The category filter is pills now: every word on them is the glossary's.
        pills = page.locator("[data-testid=stButtonGroup]")
        assert pills.count() >= 1 and "Keberpihakan" in pills.first.inner_text()
    except Exception:
        page.screenshot(path=str(tmp_path / "failure-admin.png"), full_page=True)
        raise
    finally:
        context.close()


def check_dropdown(page, box) -> None:
    """Open a multiselect (no "Select all"), then type a miss ("Tidak ada hasil", no "No results")."""
    settle(page)
    box.evaluate("element => element.scrollIntoView({block: 'center'})")
    typing = box.locator("input").first
    listbox = page.locator("[role=listbox]").first
    box.click()
    try:
        listbox.wait_for(timeout=5_000)
    except PlaywrightTimeout:  # a click may only focus the box; the keyboard opens its list
        typing.press("ArrowDown")
        listbox.wait_for(timeout=TIMEOUT_MS)
    assert page.get_by_role("option").count() >= 1
    assert visible_english(page) == []
    empty = page.locator("[role=listbox][data-empty=true]").first
    for attempt in range(3):  # on a busy machine a keystroke can land before the list has focus
        typing.fill("qqzzxx")
        try:
            empty.wait_for(timeout=10_000 if attempt < 2 else TIMEOUT_MS)
            break
        except PlaywrightTimeout:
            typing.press("ArrowDown")
    assert empty.evaluate("e => getComputedStyle(e, '::after').content") == '"Tidak ada hasil"'
    assert visible_english(page) == []
    page.keyboard.press("Escape")
