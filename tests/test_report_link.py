"""Linking a public report about an unregistered account to an employee (issue 14, item 11).

On a real database: the handle becomes the employee's account, the report's post (and an
earlier unlinked report naming the same account) is attached, the flags move to the employee's
unit so that unit's supervisor sees them, one audit entry holds the before and after, and roles
that may not link (checked against the database, not the session) are refused with nothing changed.
"""

from __future__ import annotations

import json

import pytest

from monitor import auth
from monitor.auth import SessionEnded
from monitor.cases import notify
from monitor.collect.reports import submit_report
from monitor.evidence import audit
from monitor.flagging import report_link, review
from monitor.flagging.review import FlagQuery
from monitor.store import people, users
from test_review import build_world

REPORT_URL = "https://www.facebook.com/ani.guru.smp/posts/pfbid0abc"
OPEN_ALL = FlagQuery(statuses=("open", "escalated"), apply_thresholds=False)


@pytest.fixture
def world(store, tmp_path):
    found = build_world(store, tmp_path)
    found["ani"] = store.one("SELECT id FROM employees WHERE name = 'Ani Guru'")[0]
    found["budi"] = store.one("SELECT id FROM employees WHERE name = 'Budi Perawat'")[0]
    found["smpn1"] = people.unit_id_by_code(store, "SMPN1")
    return found


def flag_row(store, flag_id: int) -> dict:
    return dict(store.one("SELECT f.*, p.account_id FROM flags f JOIN posts p ON p.id = f.post_id WHERE f.id = ?",
                          (flag_id,)))


def supervisor_sees(store, world, flag_id: int) -> bool:
    atasan = world["users"]["atasan"]
    return flag_id in {f["id"] for f in review.queue(store, atasan, OPEN_ALL, limit=100)}


def test_link_records_the_handle_moves_the_flag_to_the_unit_and_the_supervisor_sees_it(store, world):
    analyst = world["users"]["analis"]
    flag_id = submit_report(store, url=REPORT_URL, text="ajakan memilih paslon 2")
    before = flag_row(store, flag_id)
    assert before["unit_id"] is None and before["account_id"] is None
    assert not supervisor_sees(store, world, flag_id)
    assert review.flag_card(store, analyst, flag_id)["flag"]["employee"] is None

    linked = report_link.link_report(store, analyst, flag_id, world["ani"], note="profil memuat foto dinas")

    account = people.account_by_handle(store, "facebook", "ani.guru.smp")
    assert account and account["employee_id"] == world["ani"] and account["active"]
    after = flag_row(store, flag_id)
    assert after["account_id"] == account["id"] and after["unit_id"] == world["smpn1"]
    assert (linked["employee"], linked["unit_id"], linked["handle"]) == ("Ani Guru", world["smpn1"], "ani.guru.smp")
    # SMP Negeri 1 is under the supervisor's Dinas Pendidikan: their list and the card now have it.
    assert supervisor_sees(store, world, flag_id)
    assert review.flag_card(store, world["users"]["atasan"], flag_id)["flag"]["employee"] == "Ani Guru"
    # The next report about the same account links by itself.
    later = submit_report(store, url="https://www.facebook.com/ani.guru.smp/posts/pfbid0def")
    assert flag_row(store, later)["account_id"] == account["id"] and supervisor_sees(store, world, later)


def test_link_is_audited_with_actor_before_and_after(store, world):
    flag_id = submit_report(store, url=REPORT_URL)
    report_link.link_report(store, world["users"]["analis"], flag_id, world["ani"], note="dikonfirmasi BKPSDM")
    entry = store.one("SELECT actor, action, target, details_json FROM audit_log ORDER BY id DESC LIMIT 1")
    assert (entry["actor"], entry["action"], entry["target"]) == ("analis", "report.link", f"flag:{flag_id}")
    details = json.loads(entry["details_json"])
    account = people.account_by_handle(store, "facebook", "ani.guru.smp")
    assert details["before"] == {"account_id": None, "employee_id": None, "unit_id": None, "account_owner": None}
    assert details["after"] == {"account_id": account["id"], "employee_id": world["ani"], "unit_id": world["smpn1"]}
    assert details["handle"] == "ani.guru.smp" and details["account_created"] is True
    assert details["note"] == "dikonfirmasi BKPSDM" and details["flags"] == [{"id": flag_id, "previous_unit_id": None}]
    assert audit.verify(store).ok


def test_an_earlier_unlinked_report_naming_the_same_account_is_linked_too(store, world):
    analyst = world["users"]["analis"]
    first = submit_report(store, url=REPORT_URL)
    review.decide(store, analyst, first, "not_violation", note="belum jelas")
    second = submit_report(store, url=REPORT_URL)                  # the first was decided: a new post
    other = submit_report(store, url="https://www.facebook.com/orang.lain/posts/pfbid1")
    report_link.link_report(store, analyst, second, world["ani"])
    assert flag_row(store, first)["unit_id"] == world["smpn1"] and flag_row(store, first)["account_id"]
    assert flag_row(store, other)["account_id"] is None and flag_row(store, other)["unit_id"] is None


@pytest.mark.parametrize("who", ["atasan", "auditor"])
def test_roles_that_may_not_link_are_refused_and_nothing_changes(store, world, who):
    flag_id = submit_report(store, url=REPORT_URL)
    entries = store.one("SELECT COUNT(*) FROM audit_log")[0]
    with pytest.raises(review.ReviewPermissionError):
        report_link.link_report(store, world["users"][who], flag_id, world["ani"])
    with pytest.raises(review.ReviewPermissionError):
        report_link.employee_choices(store, world["users"][who], "Ani")
    assert people.account_by_handle(store, "facebook", "ani.guru.smp") is None
    assert flag_row(store, flag_id)["unit_id"] is None
    assert store.one("SELECT COUNT(*) FROM audit_log")[0] == entries


def test_the_role_is_checked_against_the_database_not_the_session(store, world):
    """An analyst made auditor after logging in still holds an 'analyst' User: refused."""
    flag_id = submit_report(store, url=REPORT_URL)
    stale = world["users"]["analis"]
    users.update_user(store, "analis", role="auditor", active=True, unit_ids=[])
    with pytest.raises(SessionEnded):
        report_link.link_report(store, stale, flag_id, world["ani"])
    assert flag_row(store, flag_id)["account_id"] is None


def test_a_url_without_a_handle_needs_one_typed_and_checks_it(store, world):
    analyst = world["users"]["analis"]
    flag_id = submit_report(store, url="https://www.facebook.com/permalink.php?story_fbid=1&id=2")
    with pytest.raises(review.ReviewError, match="tidak memuat nama akun"):
        report_link.link_report(store, analyst, flag_id, world["ani"])
    with pytest.raises(review.ReviewError, match="tidak dapat dipakai"):
        report_link.link_report(store, analyst, flag_id, world["ani"], handle="bukan akun!")
    report_link.link_report(store, analyst, flag_id, world["ani"], handle="https://facebook.com/Ani.Guru.Smp")
    assert people.account_by_handle(store, "facebook", "ani.guru.smp")["employee_id"] == world["ani"]


def test_refusals_leave_the_report_as_it_was(store, world):
    analyst = world["users"]["analis"]
    named = submit_report(store, url=REPORT_URL)
    with pytest.raises(review.ReviewError, match="menyebut akun ani.guru.smp"):
        report_link.link_report(store, analyst, named, world["ani"], handle="akun.lain")
    # The account is already Budi's (registered after the report came in): not silently given to Ani.
    people.register_account_for(store, world["budi"], "facebook", "ani.guru.smp")
    with pytest.raises(review.ReviewError, match="pegawai lain"):
        report_link.link_report(store, analyst, named, world["ani"])
    site = submit_report(store, url="https://berita.example/asn-kampanye")
    with pytest.raises(review.ReviewError, match="platform yang dikenal"):
        report_link.link_report(store, analyst, site, world["ani"], handle="ani")
    with pytest.raises(review.ReviewError, match="Hanya laporan masyarakat"):
        report_link.link_report(store, analyst, world["flags"]["1"], world["ani"])
    with pytest.raises(review.FlagNotFound):
        report_link.link_report(store, analyst, 999_999, world["ani"])
    with pytest.raises(review.ReviewError, match="tidak ditemukan atau tidak aktif"):
        report_link.link_report(store, analyst, site, 999_999)
    for flag_id in (named, site):
        assert flag_row(store, flag_id)["unit_id"] is None and flag_row(store, flag_id)["account_id"] is None


def test_linking_an_escalated_report_tells_the_units_superior(store, world):
    analyst, atasan = world["users"]["analis"], world["users"]["atasan"]
    flag_id = submit_report(store, url=REPORT_URL)
    review.decide(store, analyst, flag_id, "escalate", note="mohon arahan")
    assert notify.list_for_user(store, atasan.id) == []          # no unit yet: nobody to tell
    assert flag_id not in {f["id"] for f in review.escalated(store, atasan)}
    report_link.link_report(store, analyst, flag_id, world["ani"])
    told = notify.list_for_user(store, atasan.id)
    assert [(n["kind"], n["flag_id"]) for n in told] == [("flag_escalated", flag_id)]
    assert flag_id in {f["id"] for f in review.escalated(store, atasan)}


def test_employee_choices_search_name_and_nip(store, world):
    analyst = world["users"]["analis"]
    by_name = report_link.employee_choices(store, analyst, "ani")
    assert [c["id"] for c in by_name] == [world["ani"]]
    assert by_name[0]["label"] == "Ani Guru · NIP 198503122010012003 · SMP Negeri 1"
    assert [c["id"] for c in report_link.employee_choices(store, analyst, "19900101")] == [world["budi"]]
    assert {c["id"] for c in report_link.employee_choices(store, analyst, "")} == {world["ani"], world["budi"]}


def test_admin_may_link_too(store, world, tmp_path):
    auth.create_user(store, "admin1", "sandi-admin-panjang", "admin")
    admin = auth.login(store, "admin1", "sandi-admin-panjang")
    flag_id = submit_report(store, url=REPORT_URL)
    report_link.link_report(store, admin, flag_id, world["budi"])
    assert flag_row(store, flag_id)["unit_id"] == world["dinkes"]
