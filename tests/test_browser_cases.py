"""End to end in headless Chromium: one case walks from a flag to ``dilaporkan`` (issue 8).

The analyst confirms an open flag in the review queue, opens a case from it and sends it to
``verifikasi``; the admin, who neither confirmed the flag nor opened the case, gives the blind
second review; the analyst then reports the case to Bawaslu with an external reference number.
Every login is a new browser context (a new Streamlit session) on the real served app; the
outcome is checked through the library afterwards.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from browser_harness import CHROMIUM, TIMEOUT_MS, credentials, launch_browser, login, logout, open_page, serve, settle
from conftest import ROOT
from monitor.evidence import audit
from monitor.cases import workflow as cases, notify
from monitor import config, demo
from monitor.flagging import review
from monitor.store import connect
from monitor.store import audit as audit_rows
from monitor.store import cases as case_rows

pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed"),
    pytest.mark.skipif(not (ROOT / "data" / "demo" / "posts.jsonl").exists(), reason="demo data not present"),
]

CODE = "N10"  # not the classifier's proposal (N1): the case must carry what the analyst picked
REFERENCE = "017/LP/PB/Kota-Sukamaju/XI/2024"


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> dict:
    """The demo database and an open post flag of an employee in the demo supervisor's units.

    The employee is not the subject of the demo's own case, so the new case is the only one about them.
    """
    path = tmp_path_factory.mktemp("browser-cases") / "demo.db"
    with demo.build(path) as store:
        users = {role: cases.user_from_username(store, credentials(role)[0])
                 for role in ("admin", "analyst", "supervisor")}
        supervisor = users["supervisor"]
        taken = {c["employee_id"] for c in case_rows.list_cases(store)}
        # Read through the supervisor's scope: every flag returned is in their units (or below).
        candidates = review.queue(store, supervisor, review.FlagQuery(statuses=("open",), categories=("partisan",)),
                                  limit=50)
        flag = next(f for f in candidates if f["post_id"] and f["employee_id"] and f["employee_id"] not in taken)
    return {"path": path, "flag_id": flag["id"], "employee": flag["employee"], "employee_id": flag["employee_id"],
            "users": users, "cases_before": {c["id"] for c in _all_cases(path)}}


def _all_cases(path: Path) -> list[dict]:
    with connect(path) as store:
        return case_rows.list_cases(store)


@pytest.fixture(scope="module")
def server(world):
    with serve(world["path"]) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with launch_browser() as chromium:
        yield chromium


def pick(page, label: str, option: str | re.Pattern, *, typed: str) -> None:
    """Choose ``option`` in a selectbox or multiselect labelled ``label`` by typing ``typed``.

    The list opens on typing, not on a click; clearing first makes typing the current value count.
    """
    box = page.get_by_label(label, exact=True)
    wanted = page.get_by_role("option", name=option).first
    for attempt in range(3):
        settle(page)  # typing into a box that a running script is about to replace is lost
        # Centred, not merely "in view": a box at the bottom edge opens its list off-screen.
        box.evaluate("element => element.scrollIntoView({block: 'center'})")
        box.click()
        box.fill("")
        box.fill(typed)
        try:
            # A box re-rendered under the cursor can swallow the typing; the keyboard reopens it.
            wanted.wait_for(timeout=5_000 if attempt < 2 else TIMEOUT_MS)
            break
        except PlaywrightTimeout:
            box.press("ArrowDown")
            try:
                wanted.wait_for(timeout=2_000)
                break
            except PlaywrightTimeout:
                continue
    wanted.click()


def expect_success(page, text: str) -> None:
    page.locator("[data-testid=stAlertContentSuccess]", has_text=text).wait_for(timeout=TIMEOUT_MS)
    settle(page)


def as_user(browser, server: str, role: str, tmp_path: Path, step):
    """Run ``step(page)`` in a fresh browser context logged in as the demo user of ``role``."""
    context = browser.new_context()
    page = context.new_page()
    try:
        login(page, server, *credentials(role))
        step(page)
        logout(page)
    except Exception:
        shot = tmp_path / f"failure-{role}.png"
        page.screenshot(path=str(shot), full_page=True)
        print(f"screenshot: {shot}")
        raise
    finally:
        context.close()


def choose_case(page, case_id: int) -> None:
    pick(page, "Berkas kasus", re.compile(rf"^#{case_id} — "), typed=f"#{case_id} ")
    settle(page)


def test_case_walks_from_flag_to_dilaporkan(server, browser, world, tmp_path):
    flag_id = world["flag_id"]
    found: dict[str, int] = {}

    def confirm_and_open(page) -> None:
        open_page(page, "Antrian tinjauan")
        page.get_by_text("Buka temuan tertentu").click()
        number = page.get_by_label("Nomor temuan")
        number.fill(str(flag_id))
        number.press("Enter")
        settle(page)
        page.get_by_role("button", name="Buka", exact=True).click()
        page.get_by_role("heading", name=re.compile(rf"^Temuan #{flag_id} — ")).wait_for(timeout=TIMEOUT_MS)
        settle(page)
        pick(page, "Jenis pelanggaran (untuk keputusan Pelanggaran)",
             f"{CODE} — {review.VIOLATION_CODES[CODE]}", typed=CODE)
        settle(page)
        page.get_by_role("button", name=re.compile(r"^Pelanggaran")).click()
        expect_success(page, f"Temuan #{flag_id}: Pelanggaran tersimpan.")

        open_page(page, "Kasus")
        page.get_by_text(re.compile(r"^Buka kasus dari tanda terkonfirmasi")).click()
        pick(page, "Tanda (satu pegawai)", re.compile(rf"^#{flag_id} — "), typed=f"#{flag_id} ")
        page.keyboard.press("Escape")  # close the multiselect's list before submitting
        page.get_by_role("button", name="Buka kasus", exact=True).click()
        expect_success(page, "Kasus dibuka")
        [new] = [c for c in _all_cases(world["path"]) if c["id"] not in world["cases_before"]]
        found["case_id"] = case_id = new["id"]
        choose_case(page, case_id)
        page.get_by_role("heading", name=f"Kasus #{case_id} — Temuan").wait_for(timeout=TIMEOUT_MS)
        pick(page, "Status berikut", "verifikasi", typed="verifikasi")
        page.get_by_role("button", name="Simpan status").click()
        expect_success(page, f"Status kasus #{case_id} kini verifikasi.")

    def second_review(page) -> None:
        case_id = found["case_id"]
        open_page(page, "Kasus")
        choose_case(page, case_id)
        page.get_by_role("heading", name=f"Tinjauan kedua kasus #{case_id} (keputusan pertama disembunyikan)").wait_for(
            timeout=TIMEOUT_MS)
        # Blind: neither the analyst's code nor the prefilled description is on the page.
        main = page.locator("[data-testid=stMain]")
        assert "Kronologi" not in main.inner_text() and CODE not in main.inner_text()
        assert page.get_by_label("Uraian kejadian (kronologis)").count() == 0
        page.locator("[data-testid=stRadio]").get_by_text("Pelanggaran", exact=True).click()
        pick(page, "Kode pelanggaran menurut Anda", f"{CODE} — {cases.VIOLATION_CODES[CODE].description}", typed=CODE)
        page.keyboard.press("Escape")
        page.get_by_label("Catatan", exact=True).fill("Ajakan dan pembagian barang jelas terlihat.")
        page.get_by_role("button", name="Simpan tinjauan kedua").click()
        expect_success(page, "Tinjauan kedua dicatat.")
        page.get_by_text(f"Tinjauan kedua oleh admin: pelanggaran {CODE} — sependapat").wait_for(
            timeout=TIMEOUT_MS)

    def report(page) -> None:
        case_id = found["case_id"]
        open_page(page, "Kasus")
        choose_case(page, case_id)
        page.get_by_role("heading", name=f"Kasus #{case_id} — Verifikasi").wait_for(timeout=TIMEOUT_MS)
        pick(page, "Status berikut", "dilaporkan", typed="dilaporkan")
        pick(page, "Tujuan laporan (dilaporkan)", "Bawaslu", typed="Bawaslu")
        page.get_by_label("Nomor laporan eksternal (dilaporkan)").fill(REFERENCE)
        page.get_by_role("button", name="Simpan status").click()
        expect_success(page, f"Status kasus #{case_id} kini dilaporkan.")
        page.get_by_text(re.compile(rf"Dilaporkan: Bawaslu \d{{4}}-\d\d-\d\d, nomor {re.escape(REFERENCE)}")).wait_for(
            timeout=TIMEOUT_MS)

    as_user(browser, server, "analyst", tmp_path, confirm_and_open)
    # The analyst alone cannot report it yet (the refusal is tested in test_cases_pages); the admin
    # is the only demo user outside the first decision.
    with connect(world["path"]) as store:
        case = case_rows.get_case(store, found["case_id"])
        assert (case["status"], case["four_eyes"]) == ("verifikasi", "pending")
        assert cases.first_deciders(store, case) == {world["users"]["analyst"].id}
    as_user(browser, server, "admin", tmp_path, second_review)
    as_user(browser, server, "analyst", tmp_path, report)

    case_id = found["case_id"]
    users = world["users"]
    with connect(world["path"]) as store:
        file = cases.case_file(store, users["analyst"], case_id, settings=config.load({}))
        case = file["case"]
        assert case["status"] == "dilaporkan"
        assert (case["reported_to"], case["external_ref"]) == ("Bawaslu", REFERENCE)
        assert case["employee_id"] == world["employee_id"] and case["codes"] == [CODE]
        assert [i["flag_id"] for i in file["items"]] == [flag_id]
        assert case["four_eyes"] == "agreed"
        assert (file["second_review"]["reviewer"], file["second_review"]["decision"]) == ("admin", "violation")
        assert [(e["kind"], e["to_status"]) for e in file["events"]] == [
            ("opened", "temuan"), ("status", "verifikasi"), ("second_review", None), ("status", "dilaporkan")]

        # Audited: the flag decision, the case opening, both status changes and the second review.
        flag_entries = audit_rows.entries_for(store, target=f"flag:{flag_id}")
        assert [(e["actor"], e["action"]) for e in flag_entries] == [("analis", "review.decide")]
        assert json.loads(flag_entries[0]["details_json"])["violation_code"] == CODE
        case_entries = list(reversed(audit_rows.entries_for(store, target=f"case:{case_id}")))
        assert [(e["actor"], e["action"]) for e in case_entries] == [
            ("analis", "case.open"), ("analis", "case.status"), ("admin", "case.second_review"),
            ("analis", "case.status")]
        assert json.loads(case_entries[-1]["details_json"])["external_ref"] == REFERENCE
        assert audit.verify(store).ok

        # The employee's direct superior (the demo supervisor's units include theirs) was told.
        supervisors = case_rows.supervisors_of_unit(store, case["unit_id"])
        assert [s["username"] for s in supervisors] == [users["supervisor"].username]
        inbox = [n for n in notify.list_for_user(store, users["supervisor"].id) if n["case_id"] == case_id]
        assert [n["kind"] for n in inbox] == ["case_opened"]
        assert world["employee"] in inbox[0]["subject"]
        assert [n["username"] for n in case_rows.notifications_of_case(store, case_id)] == ["atasan"]
