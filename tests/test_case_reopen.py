"""A case reacts when one of its flags is reopened or re-decided in review.

The review module calls into cases inside its own transaction: the case records the change,
audits it, notifies once, refuses to move forward while a flag is not confirmed, and lifts the
block by itself when the flag is confirmed again. Finished cases and flags in no case are left
alone. Real SQLite files throughout.
"""

from __future__ import annotations

import csv
import io

import pytest

from monitor.evidence import audit
from monitor.cases import export as case_export, workflow as cases
from monitor.flagging import review
from monitor.cases.workflow import CaseError
from monitor.flagging.review import ReviewError
from monitor.store import connect
from monitor.store import cases as case_rows
from test_cases import NOW, SETTINGS, open_ani, pdf_text, reported_case, world  # noqa: F401 (fixture)
from test_cases_pages import page, pages_db, with_case  # noqa: F401 (fixture)

REASON = "Akun ternyata milik saudara kembar pegawai"


def evidence_notes(store, case_id: int) -> list[dict]:
    return [n for n in case_rows.notifications_of_case(store, case_id) if n["kind"] == "evidence_changed"]


def case_audit(store, case_id: int) -> list[dict]:
    return [e for e in audit.rows.iter_entries(store) if e["target"] == f"case:{case_id}"]


def verified_case(store, world) -> int:
    """Ani's case through the blind second review, ready to be reported."""
    u = world["users"]
    case_id = open_ani(store, world)
    cases.change_status(store, u["analis1"], case_id, "verifikasi", settings=SETTINGS)
    assert cases.submit_second_review(store, u["analis2"], case_id, "violation", ["N1", "N7"])
    return case_id


def report(store, user, case_id: int) -> None:
    cases.change_status(store, user, case_id, "dilaporkan", settings=SETTINGS, reported_to="Bawaslu",
                        external_ref="001/LP/PB/KOTA/2024", on="2024-10-07", now=NOW)


def test_reopen_blocks_advancing_until_the_flag_is_confirmed_again(store, world):
    u = world["users"]
    case_id = verified_case(store, world)
    flag = world["flags"][0]
    review.reopen(store, u["admin"], flag, REASON)

    with pytest.raises(CaseError) as refused:
        report(store, u["analis1"], case_id)
    message = str(refused.value)
    assert f"tanda #{flag}" in message and "dibuka kembali" in message and REASON in message
    assert f"#{world['flags'][1]}" not in message  # only the changed flag is named
    assert case_rows.get_case(store, case_id)["status"] == "verifikasi"

    [change] = case_rows.evidence_changes(store, case_id)
    assert (change["flag_id"], change["kind"], change["reason"], change["changed_by"], change["previous_status"]) == (
        flag, "reopen", REASON, "admin", "confirmed")
    assert change["resolved_at"] is None
    entries = [e for e in case_audit(store, case_id) if e["action"] == "case.evidence_changed"]
    assert len(entries) == 1 and entries[0]["actor"] == "admin"
    assert REASON in entries[0]["details_json"] and f'"flag_id": {flag}' in entries[0]["details_json"]
    assert [e["kind"] for e in case_rows.events(store, case_id)][-1] == "evidence_changed"

    # Confirmed again in review: the block lifts with no action on the case.
    review.decide(store, u["analis2"], flag, "violation", violation_code="N1")
    assert cases.case_file(store, u["analis1"], case_id, settings=SETTINGS, now=NOW)["evidence_warning"] == []
    report(store, u["analis1"], case_id)
    assert case_rows.get_case(store, case_id)["status"] == "dilaporkan"
    [change] = case_rows.evidence_changes(store, case_id)
    assert change["resolution"] == "confirmed" and change["resolved_by_username"] == "analis2"
    assert "case.evidence_confirmed" in [e["action"] for e in case_audit(store, case_id)]
    assert audit.verify(store).ok


def test_block_is_computed_from_the_flag_not_a_stored_bit(store, world):
    """A flag un-confirmed without the review module (no change row) still blocks."""
    u = world["users"]
    case_id = verified_case(store, world)
    with store.write() as conn:
        conn.execute("UPDATE flags SET status = 'escalated' WHERE id = ?", (world["flags"][1],))
    with pytest.raises(CaseError, match=f"tanda #{world['flags'][1]}"):
        report(store, u["analis1"], case_id)
    assert case_rows.evidence_changes(store, case_id) == []
    with store.write() as conn:
        conn.execute("UPDATE flags SET status = 'confirmed' WHERE id = ?", (world["flags"][1],))
    report(store, u["analis1"], case_id)


def test_not_violation_blocks_later_steps_but_closing_and_editing_stay_allowed(store, world):
    u = world["users"]
    case_id = reported_case(store, world)
    flag = world["flags"][1]
    review.reopen(store, u["analis2"], flag, REASON)
    review.decide(store, u["analis2"], flag, "not_violation", note="gestur bukan dukungan")
    with pytest.raises(CaseError, match=f"tanda #{flag} diputuskan bukan pelanggaran"):
        cases.change_status(store, u["analis1"], case_id, "rekomendasi", settings=SETTINGS,
                            recommendation="Bawaslu merekomendasikan sanksi", on="2024-10-07", now=NOW)
    assert [c["kind"] for c in case_rows.evidence_changes(store, case_id)] == ["reopen", "not_violation"]
    cases.change_status(store, u["analis1"], case_id, "ditutup", settings=SETTINGS,
                        reason="Bukti utama ternyata bukan pelanggaran")
    assert case_rows.get_case(store, case_id)["status"] == "ditutup"
    assert audit.verify(store).ok

    # Earlier in the chain: the description and codes stay editable, and verification internal.
    other = cases.open_case(store, u["analis1"], world["flags"][2:], settings=SETTINGS, now=NOW)
    review.reopen(store, u["admin"], world["flags"][2], REASON)
    cases.update_description(store, u["analis1"], other, "Uraian diperbaiki setelah tanda dibuka kembali.")
    assert cases.set_codes(store, u["analis1"], other, ["N2"]) == ["N2"]
    cases.change_status(store, u["analis1"], other, "verifikasi", settings=SETTINGS)
    assert case_rows.get_case(store, other)["status"] == "verifikasi"


def test_notification_is_created_once_per_episode(store, world):
    u = world["users"]
    case_id = open_ani(store, world)
    flag = world["flags"][0]
    review.reopen(store, u["analis2"], flag, REASON)
    with pytest.raises(ReviewError, match="masih terbuka"):
        review.reopen(store, u["analis2"], flag, REASON)
    review.decide(store, u["admin"], flag, "not_violation", note="bukan pelanggaran")
    cases.flags_reviewed(store, u["admin"], [flag], "reopen", reason=REASON)  # the hook run again
    notes = evidence_notes(store, case_id)
    # The superior of Ani's unit (SMPN1 under DISDIK) and the analyst who opened the case; not atasan2.
    assert sorted(n["username"] for n in notes) == ["analis1", "atasan"]
    assert all(f"tanda #{flag}" in n["subject"] for n in notes)
    inbox = [n for n in case_rows.notifications_for(store, u["atasan"].id) if n["kind"] == "evidence_changed"]
    # The reviewer appears by role only: the body is part of the employee's subject-access report.
    assert len(inbox) == 1 and REASON in inbox[0]["body"] and "analis2" not in inbox[0]["body"]
    assert case_rows.notifications_for(store, u["atasan2"].id) == []
    # Confirmed, then doubted again: a new episode, a new notification for each recipient.
    review.reopen(store, u["analis2"], flag, "ditinjau ulang")
    assert len(evidence_notes(store, case_id)) == 2  # still the same episode
    review.decide(store, u["analis2"], flag, "violation", violation_code="N1")
    review.reopen(store, u["analis2"], flag, "alasan kedua")
    assert len(evidence_notes(store, case_id)) == 4


def test_case_file_and_list_show_the_warning(store, world):
    u = world["users"]
    case_id = open_ani(store, world)
    flag = world["flags"][0]
    assert cases.case_file(store, u["analis1"], case_id, settings=SETTINGS, now=NOW)["evidence_warning"] == []
    review.reopen(store, u["admin"], flag, REASON)
    file = cases.case_file(store, u["auditor"], case_id, settings=SETTINGS, now=NOW)
    [warning] = file["evidence_warning"]
    assert (warning["flag_id"], warning["status"], warning["change"], warning["reason"], warning["changed_by"]) == (
        flag, "open", "reopen", REASON, "admin")
    assert f"tanda #{flag} dibuka kembali" in file["evidence_warning_text"]
    assert any(e["kind"] == "evidence_changed" for e in file["events"])
    [listed] = cases.list_cases(store, u["atasan"], settings=SETTINGS, now=NOW)
    assert [w["flag_id"] for w in listed["evidence_warning"]] == [flag]


def test_blind_second_reviewer_sees_which_flag_changed_but_not_why(store, world):
    u = world["users"]
    case_id = open_ani(store, world)
    cases.change_status(store, u["analis1"], case_id, "verifikasi", settings=SETTINGS)
    review.reopen(store, u["admin"], world["flags"][0], REASON)
    file = cases.case_file(store, u["analis2"], case_id, settings=SETTINGS, now=NOW)
    assert file["blind"] and file["evidence_warning"] == [{"flag_id": world["flags"][0], "status": "open"}]
    assert REASON not in repr(file) and "admin" not in repr(file)
    [listed] = cases.list_cases(store, u["analis2"], settings=SETTINGS, now=NOW)
    assert listed["blind"] and REASON not in repr(listed)


def test_flag_in_no_case_is_unaffected(store, world):
    u = world["users"]
    case_id = open_ani(store, world)
    before = len(list(audit.rows.iter_entries(store)))
    review.reopen(store, u["admin"], world["flags"][2], REASON)  # Budi's flag, in no case
    review.decide(store, u["admin"], world["flags"][2], "not_violation")
    assert store.one("SELECT COUNT(*) FROM case_evidence_changes")[0] == 0
    assert evidence_notes(store, case_id) == []
    actions = [e["action"] for e in audit.rows.iter_entries(store)][before:]
    assert actions == ["review.reopen", "review.decide"]
    assert cases.case_file(store, u["analis1"], case_id, settings=SETTINGS, now=NOW)["evidence_warning"] == []


@pytest.mark.parametrize("final", ["ditutup", "sanksi"])
def test_finished_cases_are_left_alone(store, world, final):
    u = world["users"]
    case_id = reported_case(store, world)
    if final == "sanksi":
        cases.change_status(store, u["analis1"], case_id, "rekomendasi", settings=SETTINGS,
                            recommendation="Sanksi kepada PPK", on="2024-10-07", now=NOW)
        cases.change_status(store, u["admin"], case_id, "sanksi", settings=SETTINGS, level="sedang",
                            on="2024-10-07", now=NOW)
    else:
        cases.change_status(store, u["analis1"], case_id, "ditutup", settings=SETTINGS, reason="selesai")
    events = case_rows.events(store, case_id)
    before = case_rows.get_case(store, case_id)
    review.reopen(store, u["admin"], world["flags"][0], REASON)
    review.decide(store, u["admin"], world["flags"][0], "not_violation")
    after = case_rows.get_case(store, case_id)
    assert after["status"] == final and after["updated_at"] == before["updated_at"]
    assert case_rows.events(store, case_id) == events
    assert case_rows.evidence_changes(store, case_id) == [] and evidence_notes(store, case_id) == []
    assert not [e for e in case_audit(store, case_id) if e["action"].startswith("case.evidence")]
    file = cases.case_file(store, u["auditor"], case_id, settings=SETTINGS, now=NOW)
    assert file["evidence_warning"] == [] and file["evidence_warning_text"] == ""
    assert audit.verify(store).ok


def test_case_record_commits_with_the_review_or_not_at_all(store, world, monkeypatch):
    u = world["users"]
    case_id = open_ani(store, world)
    real = cases.flags_reviewed

    def fails_after_recording(*args, **kwargs):
        real(*args, **kwargs)
        raise RuntimeError("disk penuh")

    monkeypatch.setattr(cases, "flags_reviewed", fails_after_recording)
    with pytest.raises(RuntimeError):
        review.reopen(store, u["admin"], world["flags"][0], REASON)
    assert store.one("SELECT status FROM flags WHERE id = ?", (world["flags"][0],))[0] == "confirmed"
    assert case_rows.evidence_changes(store, case_id) == [] and evidence_notes(store, case_id) == []
    assert audit.verify(store).ok


def test_admin_may_continue_without_the_changed_flag(store, world):
    u = world["users"]
    case_id = verified_case(store, world)
    kept, gone = world["flags"][:2]
    with pytest.raises(CaseError, match="bukan tanda kasus"):
        cases.remove_flag(store, u["admin"], case_id, kept, "tidak relevan")  # still confirmed
    review.reopen(store, u["analis2"], gone, REASON)
    with pytest.raises(CaseError, match="hanya admin"):
        cases.remove_flag(store, u["analis1"], case_id, gone, "lanjut saja")
    with pytest.raises(CaseError, match="Catatan"):
        cases.remove_flag(store, u["admin"], case_id, gone, " ")
    cases.remove_flag(store, u["admin"], case_id, gone, "Bukti lain sudah cukup")
    assert [i["flag_id"] for i in case_rows.case_items(store, case_id)] == [kept]
    [change] = case_rows.evidence_changes(store, case_id)
    assert change["resolution"] == "removed"
    [entry] = [e for e in case_audit(store, case_id) if e["action"] == "case.flag_removed"]
    assert "Bukti lain sudah cukup" in entry["details_json"]
    report(store, u["analis1"], case_id)
    # The last flag cannot be taken out: the case is closed instead.
    review.reopen(store, u["analis2"], kept, REASON)
    with pytest.raises(CaseError, match="satu-satunya bukti"):
        cases.remove_flag(store, u["admin"], case_id, kept, "x")
    assert audit.verify(store).ok


def test_exports_say_the_evidence_changed(store, world):
    u = world["users"]
    case_id = reported_case(store, world)
    fields = case_export.report_fields(store, u["auditor"], case_id, settings=SETTINGS)
    assert fields["perubahan_bukti"] == [] and fields["peringatan_bukti"] == ""
    review.reopen(store, u["admin"], world["flags"][0], REASON)
    rows = case_export.export_rows(store, u["auditor"], [case_id], settings=SETTINGS)
    line = rows[0]["Perubahan bukti"]
    assert f"Tanda #{world['flags'][0]} dibuka kembali" in line and REASON in line and "BELUM" in line
    data = list(csv.DictReader(io.StringIO(
        case_export.csv_bytes(store, u["auditor"], [case_id], settings=SETTINGS).decode("utf-8-sig"))))
    assert "dibuka kembali" in data[0]["Perubahan bukti"]
    text = pdf_text(case_export.pdf_bytes(store, u["auditor"], case_id, settings=SETTINGS))
    assert "PERHATIAN" in text and "Perubahan bukti" in text
    review.decide(store, u["admin"], world["flags"][0], "violation", violation_code="N1")
    line = case_export.export_rows(store, u["auditor"], [case_id], settings=SETTINGS)[0]["Perubahan bukti"]
    assert "dikonfirmasi ulang" in line and "BELUM" not in line


def test_migration_keeps_notifications_and_accepts_the_new_kind(tmp_path):
    path = tmp_path / "old.db"
    with connect(path, migrate_to=8) as old:
        with old.write() as conn:
            conn.execute("INSERT INTO users (username, password_hash, role, created_at, updated_at) "
                         "VALUES ('atasan', 'x', 'supervisor', 't', 't')")
            conn.execute("INSERT INTO notifications (user_id, kind, dedup_key, subject, body, created_at) "
                         "VALUES (1, 'digest', 'digest:2024-10-07:1', 'Ringkasan', 'isi', 't')")
    with connect(path) as new:
        [row] = new.query("SELECT kind, dedup_key FROM notifications")
        assert tuple(row) == ("digest", "digest:2024-10-07:1")
        with new.write() as conn:
            case_rows.insert_notification(conn, user_id=1, case_id=None, kind="evidence_changed", dedup_key="e:1",
                                          subject="s", body="b", email_to=None)
        assert new.one("SELECT COUNT(*) FROM notifications")[0] == 2


def test_kasus_page_shows_the_warning(pages_db):
    path, world = pages_db
    case_id = with_case(path, world, status="verifikasi", second=True)
    with connect(path) as store:
        review.reopen(store, world["users"]["admin"], world["flags"][0], REASON)
    at = page("kasus.py", world["users"]["analis1"])
    warnings = " ".join(w.value for w in at.warning)
    assert f"Bukti kasus #{case_id} berubah: tanda #{world['flags'][0]}" in warnings
    assert REASON in " ".join(t.value for t in at.text)  # the reason as plain text, never Markdown
    assert any("BERUBAH" in str(df.value.to_dict()) for df in at.dataframe)
    # Reporting from the page is refused with the library's message.
    at.selectbox(key=f"st_target_{case_id}").set_value("dilaporkan").run()  # the form follows the target
    at.text_input(key=f"st_ref_{case_id}").input("001/LP/2024")
    at.button(key=f"st_submit_{case_id}").click()
    at.run()
    assert "tidak dapat dilanjutkan" in at.error[0].value
    admin = page("kasus.py", world["users"]["admin"])
    admin.text_area(key=f"rf_note_{case_id}").input("Bukti lain sudah cukup")
    admin.button(key=f"rf_submit_{case_id}").click()
    admin.run()
    assert f"Tanda #{world['flags'][0]} dikeluarkan" in admin.success[0].value
    assert not [w for w in admin.warning if "berubah" in w.value]


def test_cli_case_show_warns_and_status_refuses(store, world, db_path):
    from test_cases import netra

    u = world["users"]
    case_id = verified_case(store, world)
    shown = netra("cases", "show", str(case_id), "--as", "auditor", db=store.path)
    assert shown.returncode == 0 and "PERHATIAN" not in shown.stderr
    review.reopen(store, u["admin"], world["flags"][0], REASON)
    shown = netra("cases", "show", str(case_id), "--as", "auditor", db=store.path)
    assert shown.returncode == 0, shown.stderr
    assert "PERHATIAN" in shown.stderr and f"tanda #{world['flags'][0]} dibuka kembali" in shown.stderr
    assert REASON in shown.stderr
    refused = netra("cases", "status", str(case_id), "dilaporkan", "--channel", "Bawaslu", "--ref", "LP-9",
                    "--as", "analis1", db=store.path)
    assert refused.returncode == 1 and "tidak dapat dilanjutkan" in refused.stderr
