"""Cases: the status chain with its refusals, four eyes, deadlines and the report exports."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from conftest import write_csv
from monitor.evidence import audit
from monitor import auth
from monitor.cases import export as case_export, workflow as cases, deadlines
from monitor.people import registry
from monitor.cases.workflow import CaseError
from monitor.store import PostRecord, people
from monitor.store import cases as case_rows
from monitor.store.flags import ScoredPost, save_classifications
from monitor.store.posts import upsert_posts

ANI_NIP = "198503122010012003"
BUDI_NIP = "199001012015031001"
SETTINGS = {"timezone": "Asia/Jakarta", "report_deadline_days": 7, "report_deadline_working": 0,
            "action_due_days": 7, "holidays": "", "holidays_file": "", "agency_name": "BKPSDM Kota Contoh",
            "smtp_host": ""}
# Monday 7 October 2024, 10:00 WIB.
NOW = datetime(2024, 10, 7, 3, 0, tzinfo=timezone.utc)


def build_world(store, tmp_path: Path) -> dict:
    """Units, two employees with posts, confirmed flags and one user per role."""
    registry.import_units(store, write_csv(tmp_path / "u.csv", "code,name,parent_code",
                                           "DISDIK,Dinas Pendidikan,", "SMPN1,SMP Negeri 1,DISDIK",
                                           "DINKES,Dinas Kesehatan,"))
    registry.import_employees(store, write_csv(
        tmp_path / "e.csv", "NIP,Nama,Unit Kerja,Jabatan,Pangkat/Golongan,Status Kepegawaian,X",
        f"{ANI_NIP},Ani Guru,SMP Negeri 1,Guru Ahli Muda,Penata / III c,PNS,@ani_guru",
        f"{BUDI_NIP},Budi Perawat,Dinas Kesehatan,Perawat,,PPPK,@budi_sehat"))
    result = upsert_posts(store, [
        PostRecord("x", "101", "Ayo coblos nomor 2 tanggal 27! #Menang2", {"id": "101"}, url="https://x.com/ani_guru/status/101",
                   account_handle="ani_guru", created_at="2024-10-03T13:30:00Z"),
        PostRecord("x", "102", "=HYPERLINK(\"http://evil\") salam dua jari ✌️", {"id": "102"},
                   url="https://x.com/ani_guru/status/102", account_handle="ani_guru",
                   created_at="2024-10-04T01:00:00Z"),
        PostRecord("x", "201", "pilih paslon 1 ya", {"id": "201"}, url="https://x.com/budi_sehat/status/201",
                   account_handle="budi_sehat", created_at="2024-10-04T02:00:00Z"),
    ], account_ids=people.account_ids_by_handle(store))
    p1, p2, p3 = result.new_ids
    save_classifications(store, "test-model", [
        ScoredPost(p1, {"partisan": 0.9}, ["partisan"], {"partisan": "N1"}, {}),
        ScoredPost(p2, {"partisan": 0.8}, ["partisan"], {"partisan": "N7"}, {}),
        ScoredPost(p3, {"partisan": 0.7}, ["partisan"], {"partisan": "N1"}, {}),
    ])
    flag_ids = {r["post_id"]: r["id"] for r in store.query("SELECT id, post_id FROM flags")}
    disdik = people.unit_id_by_code(store, "DISDIK")
    dinkes = people.unit_id_by_code(store, "DINKES")
    users = {}
    for name, role, units in (("analis1", "analyst", []), ("analis2", "analyst", []), ("admin", "admin", []),
                              ("atasan", "supervisor", [disdik]), ("atasan2", "supervisor", [dinkes]),
                              ("auditor", "auditor", [])):
        auth.create_user(store, name, f"sandi-{name}-123", role, unit_ids=units, full_name=name.title())
        users[name] = cases.user_from_username(store, name)
    world = {"users": users, "flags": [flag_ids[p1], flag_ids[p2], flag_ids[p3]], "posts": [p1, p2, p3]}
    # analis1 confirms every flag on Friday 4 October 2024, 09:00 WIB.
    for flag_id in world["flags"]:
        confirm(store, flag_id, users["analis1"].id, "2024-10-04T02:00:00.000000Z")
    return world


def confirm(store, flag_id: int, reviewer_id: int, when: str, code: str | None = None) -> None:
    """A confirmed flag as the review module leaves it: status + a 'violation' review."""
    with store.write() as conn:
        row = conn.execute("SELECT proposed_code FROM flags WHERE id = ?", (flag_id,)).fetchone()
        conn.execute("UPDATE flags SET status = 'confirmed', violation_code = ? WHERE id = ?",
                     (code or row[0], flag_id))
        conn.execute("INSERT INTO reviews (flag_id, reviewer_id, decision, violation_code, created_at) "
                     "VALUES (?, ?, 'violation', ?, ?)", (flag_id, reviewer_id, code or row[0], when))


@pytest.fixture
def world(store, tmp_path):
    return build_world(store, tmp_path)


def open_ani(store, world) -> int:
    return cases.open_case(store, world["users"]["analis1"], world["flags"][:2], settings=SETTINGS, now=NOW)


# --- opening --------------------------------------------------------------------------------

def test_open_case_prefills_codes_description_and_deadlines(store, world):
    case_id = open_ani(store, world)
    case = case_rows.get_case(store, case_id)
    assert case["status"] == "temuan" and case["employee"] == "Ani Guru"
    assert case["codes"] == ["N1", "N7"]
    assert case["found_at"] == "2024-10-04T02:00:00.000000Z"
    # Found Friday 4 Oct: 7 calendar days -> Friday 11 Oct; opened Monday 7 Oct + 7 working days -> 16 Oct.
    assert case["report_due_on"] == "2024-10-11"
    assert case["action_due_on"] == "2024-10-16"
    lines = case["description"].splitlines()
    assert "03-10-2024 20:30 WIB" in lines[1] and "Ayo coblos nomor 2" in lines[1]
    assert "04-10-2024 08:00 WIB" in lines[2]
    assert [e["kind"] for e in case_rows.events(store, case_id)] == ["opened"]
    assert any(e["action"] == "case.open" and e["target"] == f"case:{case_id}" for e in audit.rows.iter_entries(store))


def test_open_case_refusals(store, world):
    u = world["users"]
    with pytest.raises(CaseError, match="Peran supervisor tidak boleh membuka kasus"):
        cases.open_case(store, u["atasan"], world["flags"][:1], settings=SETTINGS)
    with pytest.raises(CaseError, match="Peran auditor"):
        cases.open_case(store, u["auditor"], world["flags"][:1], settings=SETTINGS)
    with pytest.raises(CaseError, match="satu pegawai"):
        cases.open_case(store, u["analis1"], [world["flags"][0], world["flags"][2]], settings=SETTINGS)
    with pytest.raises(CaseError, match="tidak ditemukan"):
        cases.open_case(store, u["analis1"], [99999], settings=SETTINGS)
    with pytest.raises(CaseError, match="tidak dikenal"):
        cases.open_case(store, u["analis1"], world["flags"][:1], settings=SETTINGS, codes=["Z9"])
    with store.write() as conn:
        conn.execute("UPDATE flags SET status = 'open' WHERE id = ?", (world["flags"][2],))
    with pytest.raises(CaseError, match="belum dikonfirmasi"):
        cases.open_case(store, u["analis1"], world["flags"][2:], settings=SETTINGS)
    case_id = open_ani(store, world)
    with pytest.raises(CaseError, match=f"sudah termasuk kasus #{case_id}"):
        cases.open_case(store, u["analis1"], world["flags"][:1], settings=SETTINGS)
    assert len(case_rows.list_cases(store)) == 1  # nothing half-written by the refusals


# --- the whole chain ------------------------------------------------------------------------

def test_case_walks_every_status_with_four_eyes(store, world):
    u = world["users"]
    case_id = open_ani(store, world)
    cases.update_description(store, u["analis1"], case_id, "Uraian yang disunting analis.")
    # Skipping steps is refused with the allowed next steps named.
    with pytest.raises(CaseError, match="tidak dapat langsung menjadi dilaporkan"):
        cases.change_status(store, u["analis1"], case_id, "dilaporkan", settings=SETTINGS,
                            reported_to="Bawaslu", external_ref="X")
    with pytest.raises(CaseError, match="Peran supervisor tidak boleh mengubah status"):
        cases.change_status(store, u["atasan"], case_id, "verifikasi", settings=SETTINGS)
    cases.change_status(store, u["analis1"], case_id, "verifikasi", settings=SETTINGS)
    # Cannot leave verifikasi before the second review.
    with pytest.raises(CaseError, match="menunggu tinjauan analis kedua"):
        cases.change_status(store, u["analis1"], case_id, "dilaporkan", settings=SETTINGS,
                            reported_to="Bawaslu", external_ref="001/LP/PB/KOTA/2024")
    # The confirming analyst may not be the second reviewer.
    with pytest.raises(CaseError, match="tinjauan kedua harus oleh analis lain"):
        cases.blind_view(store, u["analis1"], case_id)
    with pytest.raises(CaseError, match="tinjauan kedua harus oleh analis lain"):
        cases.submit_second_review(store, u["analis1"], case_id, "violation", ["N1", "N7"])
    with pytest.raises(CaseError, match="Peran auditor"):
        cases.submit_second_review(store, u["auditor"], case_id, "violation", ["N1", "N7"])
    # The second analyst sees the evidence, never the first decision.
    view = cases.blind_view(store, u["analis2"], case_id)
    flat = repr(view)
    assert "Ayo coblos" in flat
    for hidden in ("N1", "N7", "codes", "description", "Uraian yang disunting", "analis1", "violation_code",
                   "proposed_code", "reviewer"):
        assert hidden not in flat, hidden
    page = cases.case_file(store, u["analis2"], case_id, settings=SETTINGS, now=NOW)
    assert page["blind"] is True and "Uraian yang disunting" not in repr(page)
    [listed] = cases.list_cases(store, u["analis2"], settings=SETTINGS, now=NOW)
    assert listed["blind"] and listed["codes"] == [] and listed["description"] == ""
    assert cases.list_cases(store, u["analis1"], settings=SETTINGS, now=NOW)[0]["codes"] == ["N1", "N7"]
    assert cases.submit_second_review(store, u["analis2"], case_id, "violation", ["n7", "N1"], note="jelas") is True
    with pytest.raises(CaseError, match="sudah ditinjau"):
        cases.submit_second_review(store, u["admin"], case_id, "violation", ["N1"])
    # Reporting needs a channel and the external reference number.
    with pytest.raises(CaseError, match="Nomor laporan"):
        cases.change_status(store, u["analis1"], case_id, "dilaporkan", settings=SETTINGS, reported_to="Bawaslu")
    with pytest.raises(CaseError, match="tujuan laporan"):
        cases.change_status(store, u["analis1"], case_id, "dilaporkan", settings=SETTINGS, external_ref="1")
    with pytest.raises(CaseError, match="masa depan"):
        cases.change_status(store, u["analis1"], case_id, "dilaporkan", settings=SETTINGS, reported_to="bawaslu",
                            external_ref="001", on="2024-10-09", now=NOW)
    cases.change_status(store, u["analis1"], case_id, "dilaporkan", settings=SETTINGS, reported_to="bawaslu",
                        external_ref="001/LP/PB/KOTA/2024", on="2024-10-07", now=NOW)
    with pytest.raises(CaseError, match="Uraian tidak dapat diubah"):
        cases.update_description(store, u["analis1"], case_id, "diubah setelah dilaporkan")
    with pytest.raises(CaseError, match="Isi rekomendasi"):
        cases.change_status(store, u["analis1"], case_id, "rekomendasi", settings=SETTINGS)
    cases.change_status(store, u["analis2"], case_id, "rekomendasi", settings=SETTINGS,
                        recommendation="Bawaslu merekomendasikan sanksi kepada PPK", on="2024-10-07", now=NOW)
    with pytest.raises(CaseError, match="Tingkat sanksi"):
        cases.change_status(store, u["analis1"], case_id, "sanksi", settings=SETTINGS, level="sangat berat",
                            on="2024-10-07")
    with pytest.raises(CaseError, match="Tanggal keputusan"):
        cases.change_status(store, u["analis1"], case_id, "sanksi", settings=SETTINGS, level="sedang")
    cases.change_status(store, u["admin"], case_id, "sanksi", settings=SETTINGS, level="sedang", on="2024-10-07",
                        decree="800/123/BKPSDM/2024", now=NOW)
    case = case_rows.get_case(store, case_id)
    assert (case["status"], case["reported_to"], case["external_ref"], case["sanction_level"], case["sanction_on"]) == (
        "sanksi", "Bawaslu", "001/LP/PB/KOTA/2024", "sedang", "2024-10-07")
    with pytest.raises(CaseError, match="status akhir"):
        cases.change_status(store, u["admin"], case_id, "ditutup", settings=SETTINGS, reason="x")
    statuses = [(e["from_status"], e["to_status"]) for e in case_rows.events(store, case_id) if e["kind"] == "status"]
    assert statuses == [("temuan", "verifikasi"), ("verifikasi", "dilaporkan"), ("dilaporkan", "rekomendasi"),
                        ("rekomendasi", "sanksi")]
    actions = [e["action"] for e in audit.rows.iter_entries(store) if e["target"] == f"case:{case_id}"]
    assert actions == ["case.open", "case.description", "case.status", "case.second_review", "case.status",
                       "case.status", "case.status"]
    assert audit.verify(store).ok


def test_disagreement_is_recorded_and_resolved_by_admin(store, world):
    u = world["users"]
    case_id = open_ani(store, world)
    cases.change_status(store, u["analis1"], case_id, "verifikasi", settings=SETTINGS)
    assert cases.submit_second_review(store, u["analis2"], case_id, "not_violation", note="konteks berita") is False
    second = case_rows.second_review(store, case_id)
    assert (second["decision"], second["agrees"], second["reviewer"]) == ("not_violation", 0, "analis2")
    with pytest.raises(CaseError, match="admin harus memutuskan"):
        cases.change_status(store, u["analis1"], case_id, "ditutup", settings=SETTINGS, reason="x")
    with pytest.raises(CaseError, match="hanya admin"):
        cases.resolve_disagreement(store, u["analis1"], case_id, "lanjut", "saya yakin", settings=SETTINGS)
    with pytest.raises(CaseError, match="Alasan keputusan"):
        cases.resolve_disagreement(store, u["admin"], case_id, "lanjut", " ", settings=SETTINGS)
    cases.resolve_disagreement(store, u["admin"], case_id, "lanjut", "ajakan memilih jelas", settings=SETTINGS,
                               codes=["N1"])
    case = case_rows.get_case(store, case_id)
    assert case["four_eyes"] == "resolved_proceed" and case["codes"] == ["N1"]
    cases.change_status(store, u["analis1"], case_id, "dilaporkan", settings=SETTINGS, reported_to="BKN",
                        external_ref="BKN-2024-77")
    cases.change_status(store, u["analis1"], case_id, "ditutup", settings=SETTINGS,
                        reason="Bawaslu: bukan pelanggaran")
    assert case_rows.get_case(store, case_id)["closed_reason"] == "Bawaslu: bukan pelanggaran"


def test_admin_can_close_after_disagreement_and_temuan_can_be_closed(store, world):
    u = world["users"]
    case_id = open_ani(store, world)
    cases.change_status(store, u["analis1"], case_id, "verifikasi", settings=SETTINGS)
    cases.submit_second_review(store, u["admin"], case_id, "violation", ["N1"])  # admin, partial codes
    cases.resolve_disagreement(store, u["admin"], case_id, "tutup", "tidak cukup bukti", settings=SETTINGS)
    case = case_rows.get_case(store, case_id)
    assert case["status"] == "ditutup" and "tidak cukup bukti" in case["closed_reason"]
    other = cases.open_case(store, u["analis2"], world["flags"][2:], settings=SETTINGS, now=NOW)
    with pytest.raises(CaseError, match="Alasan penutupan"):
        cases.change_status(store, u["analis2"], other, "ditutup", settings=SETTINGS)
    cases.change_status(store, u["analis2"], other, "ditutup", settings=SETTINGS, reason="duplikat laporan")
    assert case_rows.get_case(store, other)["status"] == "ditutup"


def test_case_opener_cannot_second_review_even_without_confirming(store, world):
    u = world["users"]
    case_id = cases.open_case(store, u["admin"], world["flags"][:2], settings=SETTINGS, now=NOW)
    cases.change_status(store, u["admin"], case_id, "verifikasi", settings=SETTINGS)
    with pytest.raises(CaseError, match="membuka kasus ini"):
        cases.submit_second_review(store, u["admin"], case_id, "violation", ["N1", "N7"])
    assert cases.submit_second_review(store, u["analis2"], case_id, "violation", ["N1", "N7"])


def test_codes_editable_only_in_temuan(store, world):
    u = world["users"]
    case_id = open_ani(store, world)
    assert cases.set_codes(store, u["analis1"], case_id, ["n1", "N12", "N1"]) == ["N1", "N12"]
    cases.change_status(store, u["analis1"], case_id, "verifikasi", settings=SETTINGS)
    with pytest.raises(CaseError, match="tahap temuan"):
        cases.set_codes(store, u["analis1"], case_id, ["N1"])


# --- supervisor scope and actions -----------------------------------------------------------

def test_superior_records_action_only_in_their_units(store, world):
    u = world["users"]
    case_id = open_ani(store, world)  # Ani is in SMPN1, a sub-unit of DISDIK
    with pytest.raises(CaseError, match="di luar unit Anda"):
        cases.record_action(store, u["atasan2"], case_id, "dipanggil", settings=SETTINGS)
    with pytest.raises(CaseError, match="khusus atasan"):
        cases.record_action(store, u["analis1"], case_id, "dipanggil", settings=SETTINGS)
    with pytest.raises(CaseError, match="Jenis tindakan"):
        cases.record_action(store, u["atasan"], case_id, "dimarahi", settings=SETTINGS)
    assert [c["id"] for c in cases.action_due(store, u["atasan"], settings=SETTINGS, now=NOW)] == [case_id]
    assert cases.action_due(store, u["atasan2"], settings=SETTINGS, now=NOW) == []
    cases.record_action(store, u["atasan"], case_id, "dipanggil", settings=SETTINGS, acted_on="2024-10-07",
                        note="dipanggil untuk klarifikasi", now=NOW)
    file = cases.case_file(store, u["atasan"], case_id, settings=SETTINGS, now=NOW)
    assert [(a["kind"], a["username"]) for a in file["actions"]] == [("dipanggil", "atasan")]
    assert file["case"]["action_state"] == "selesai"
    with pytest.raises(CaseError, match="di luar unit Anda"):
        cases.case_file(store, u["atasan2"], case_id, settings=SETTINGS)
    assert cases.list_cases(store, u["atasan2"], settings=SETTINGS) == []


# --- deadlines ------------------------------------------------------------------------------

def test_working_days_skip_weekends_and_holidays(tmp_path):
    friday = date(2024, 10, 4)
    assert deadlines.add_working_days(friday, 1) == date(2024, 10, 7)
    assert deadlines.add_working_days(friday, 5) == date(2024, 10, 11)
    holidays = deadlines.load_holidays({"holidays": "2024-10-07, 2024-10-08"})
    assert deadlines.add_working_days(friday, 1, holidays) == date(2024, 10, 9)
    assert deadlines.working_days_between(friday, date(2024, 10, 11), holidays) == 3
    file = tmp_path / "libur.txt"
    file.write_text("# libur nasional\n2024-12-25 Natal\n2024-12-26  # cuti bersama\n", encoding="utf-8")
    christmas = deadlines.load_holidays({"holidays_file": str(file)})
    assert christmas == {date(2024, 12, 25), date(2024, 12, 26)}
    assert deadlines.add_working_days(date(2024, 12, 24), 1, christmas) == date(2024, 12, 27)
    bad = tmp_path / "rusak.txt"
    bad.write_text("2024-13-01\n", encoding="utf-8")
    with pytest.raises(ValueError, match="baris 1"):
        deadlines.load_holidays({"holidays_file": str(bad)})
    with pytest.raises(ValueError, match="bukan tanggal"):
        deadlines.load_holidays({"holidays": "besok"})


def test_deadline_dates_in_local_time_and_working_mode():
    # 23:30 WIB Friday is 16:30 UTC Friday; 01:00 WIB Saturday is still Friday in UTC.
    late_friday = deadlines.compute("2024-10-04T16:30:00Z", "2024-10-04T16:30:00Z", SETTINGS)
    saturday = deadlines.compute("2024-10-04T18:00:00Z", "2024-10-04T18:00:00Z", SETTINGS)
    assert late_friday.report_due_on == date(2024, 10, 11) and saturday.report_due_on == date(2024, 10, 12)
    working = deadlines.compute("2024-10-04T02:00:00Z", "2024-10-04T02:00:00Z",
                                SETTINGS | {"report_deadline_working": 1, "holidays": "2024-10-10"})
    # Working days after Friday 4 Oct: 7, 8, 9, (10 is a holiday), 11, 14, 15, 16.
    assert working.report_due_on == date(2024, 10, 16)
    assert working.action_due_on == date(2024, 10, 16)
    assert deadlines.state("2024-10-11", date(2024, 10, 12)) == "lewat"
    assert deadlines.state("2024-10-14", date(2024, 10, 11)) == "jatuh_tempo"  # next working day
    assert deadlines.state("2024-10-16", date(2024, 10, 11)) == "berjalan"


def test_overdue_list_and_holiday_configuration(store, world):
    u = world["users"]
    holidays = SETTINGS | {"holidays": "2024-10-08,2024-10-09"}
    case_id = cases.open_case(store, u["analis1"], world["flags"][:2], settings=holidays, now=NOW)
    assert case_rows.get_case(store, case_id)["action_due_on"] == "2024-10-18"
    assert cases.overdue(store, u["analis1"], settings=SETTINGS, now=NOW) == []
    later = datetime(2024, 10, 12, 3, 0, tzinfo=timezone.utc)
    late = cases.overdue(store, u["analis1"], settings=SETTINGS, now=later)
    assert [(c["id"], c["late"]) for c in late] == [(case_id, ["laporan Bawaslu"])]
    much_later = datetime(2024, 10, 21, 3, 0, tzinfo=timezone.utc)
    late = cases.overdue(store, u["atasan"], settings=SETTINGS, now=much_later)
    assert late[0]["late"] == ["laporan Bawaslu", "tindakan atasan"]
    assert cases.overdue(store, u["atasan2"], settings=SETTINGS, now=much_later) == []


# --- exports --------------------------------------------------------------------------------

def reported_case(store, world) -> int:
    u = world["users"]
    case_id = open_ani(store, world)
    cases.change_status(store, u["analis1"], case_id, "verifikasi", settings=SETTINGS)
    cases.submit_second_review(store, u["analis2"], case_id, "violation", ["N1", "N7"])
    cases.change_status(store, u["analis1"], case_id, "dilaporkan", settings=SETTINGS, reported_to="Bawaslu",
                        external_ref="001/LP/PB/KOTA/2024", on="2024-10-07", now=NOW)
    return case_id


def test_report_fields_have_what_bkn_and_bawaslu_ask_for(store, world):
    case_id = reported_case(store, world)
    fields = case_export.report_fields(store, world["users"]["auditor"], case_id, settings=SETTINGS)
    assert fields["pelapor"] == "Analis1" and fields["instansi_pelapor"] == "BKPSDM Kota Contoh"
    assert (fields["nama"], fields["nip"], fields["jabatan"], fields["pangkat_golongan"],
            fields["jenis_kepegawaian"], fields["unit_kerja"]) == (
        "Ani Guru", ANI_NIP, "Guru Ahli Muda", "Penata / III c", "PNS", "SMP Negeri 1")
    assert fields["waktu_kejadian"] == ["03-10-2024 20:30 WIB", "04-10-2024 08:00 WIB"]
    assert fields["url"] == ["https://x.com/ani_guru/status/101", "https://x.com/ani_guru/status/102"]
    assert fields["kode_pelanggaran"] == ["N1", "N7"] and "PP 94/2021" in fields["rujukan_sanksi"][0]
    assert len(fields["bukti"]) == 2 and "SHA-256" in fields["bukti"][0]
    assert fields["nomor_laporan"] == "001/LP/PB/KOTA/2024" and fields["tujuan_laporan"] == "Bawaslu"
    assert "Ayo coblos" in fields["uraian"]


def test_csv_xlsx_pdf_exports(store, world, tmp_path):
    from openpyxl import load_workbook

    case_id = reported_case(store, world)
    auditor = world["users"]["auditor"]
    path = case_export.export(store, auditor, case_id, tmp_path / "kasus.csv", settings=SETTINGS)
    data = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert len(data) == 1
    row = data[0]
    assert row["NIP"] == ANI_NIP and row["Pangkat/golongan"] == "Penata / III c" and row["Unit kerja"] == "SMP Negeri 1"
    assert row["Nomor laporan eksternal"] == "001/LP/PB/KOTA/2024"
    assert "https://x.com/ani_guru/status/102" in row["URL"]
    # The post starting with "=" cannot become a spreadsheet formula.
    assert all(not value.startswith("=") for value in row.values())
    xlsx = case_export.export(store, auditor, case_id, tmp_path / "kasus.xlsx", settings=SETTINGS)
    sheet = load_workbook(xlsx).active
    header = [c.value for c in sheet[1]]
    values = dict(zip(header, [c.value for c in sheet[2]]))
    assert values["Nama terlapor"] == "Ani Guru" and values["Jenis kepegawaian"] == "PNS"
    pdf = case_export.export(store, auditor, case_id, tmp_path / "kasus.pdf", settings=SETTINGS)
    content = pdf.read_bytes()
    assert content.startswith(b"%PDF") and len(content) > 2000
    with pytest.raises(CaseError, match="tidak didukung"):
        case_export.export(store, auditor, case_id, tmp_path / "kasus.docx", settings=SETTINGS)
    exports = [e for e in audit.rows.iter_entries(store) if e["action"] == "case.export"]
    assert len(exports) == 3 and all(e["target"] == f"case:{case_id}" for e in exports)


def pdf_text(content: bytes) -> str:
    """Text of an fpdf2 PDF: decode every shown string with each font's ToUnicode map.

    A string decoded with the wrong font's map is garbage and harmless for ``in`` checks.
    """
    import re
    import zlib

    streams = []
    for raw in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", content, re.S):
        try:
            streams.append(zlib.decompress(raw))
        except zlib.error:
            streams.append(raw)
    maps = []
    for data in streams:
        for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
            maps.append({int(a, 16): chr(int(b, 16)) for a, b in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block)})
    escapes = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}
    out = []
    for data in streams:
        for literal in re.findall(rb"\(((?:\\.|[^\\)])*)\)\s*Tj", data, re.S):
            raw = re.sub(rb"\\([0-7]{1,3}|.)", lambda m: bytes([int(m.group(1), 8)]) if m.group(1)[:1].isdigit()
                         else escapes.get(m.group(1), m.group(1)), literal)
            codes = [int.from_bytes(raw[i:i + 2], "big") for i in range(0, len(raw) - 1, 2)]
            for mapping in maps:
                out.append("".join(mapping.get(c, "?") for c in codes))
    return "\n".join(out)


def test_pdf_contains_the_fields(store, world):
    case_id = reported_case(store, world)
    content = case_export.pdf_bytes(store, world["users"]["admin"], case_id, settings=SETTINGS)
    text = pdf_text(content)
    for expected in ("Ani Guru", ANI_NIP, "Guru Ahli Muda", "Penata / III c", "PNS", "SMP Negeri 1",
                     "001/LP/PB/KOTA/2024", "BKPSDM Kota Contoh", "Ayo coblos nomor 2", "SHA-256",
                     "https://x.com/ani_guru/status/101", "N1", "Daftar bukti"):
        assert expected in text, expected


def test_export_refused_outside_scope_and_to_blind_reviewer(store, world, tmp_path):
    u = world["users"]
    case_id = open_ani(store, world)
    with pytest.raises(CaseError, match="di luar unit Anda"):
        case_export.report_fields(store, u["atasan2"], case_id, settings=SETTINGS)
    cases.change_status(store, u["analis1"], case_id, "verifikasi", settings=SETTINGS)
    with pytest.raises(CaseError, match="menunggu tinjauan kedua"):
        case_export.report_fields(store, u["analis2"], case_id, settings=SETTINGS)


def test_status_report_per_unit(store, world):
    u = world["users"]
    ani = reported_case(store, world)
    budi = cases.open_case(store, u["analis1"], world["flags"][2:], settings=SETTINGS, now=NOW)
    rows = cases.status_report(store, u["admin"], settings=SETTINGS, unit_code=None, date_from="2024-01-01",
                               date_to="2099-12-31", now=datetime(2024, 10, 30, tzinfo=timezone.utc))
    by_unit = {r["unit_code"]: r for r in rows}
    assert by_unit["SMPN1"]["dibuka"] == 1 and by_unit["SMPN1"]["dilaporkan"] == 1
    assert by_unit["DINKES"]["dibuka"] == 1 and by_unit["DINKES"]["dilaporkan"] == 0
    assert by_unit["DINKES"]["terlambat"] == 1  # Budi's case: report and action overdue by 30 Oct
    assert by_unit["DISDIK"]["dibuka"] == 0
    only = cases.status_report(store, u["atasan"], settings=SETTINGS, unit_code=None, date_from="2024-01-01",
                               date_to="2099-12-31")
    assert {r["unit_code"] for r in only} == {"DISDIK", "SMPN1"}
    with pytest.raises(CaseError, match="bukan tanggal"):
        cases.status_report(store, u["admin"], settings=SETTINGS, unit_code=None, date_from="kemarin",
                            date_to="2024-12-31")
    assert ani and budi


# --- CLI ------------------------------------------------------------------------------------

def netra(*args: str, db) -> "subprocess.CompletedProcess":
    import os
    import subprocess

    from conftest import BIN

    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    env.pop("NETRA_DB", None)
    return subprocess.run([str(BIN / "netra"), "--db", str(db), *args], capture_output=True, text=True, env=env,
                          timeout=120)


CASE_COMMANDS = ["list", "open", "show", "status", "review", "resolve", "action", "digest", "export", "report",
                 "email"]


@pytest.mark.parametrize("command", CASE_COMMANDS)
def test_case_commands_have_indonesian_help(command, tmp_path):
    result = netra("cases", command, "--help", db=tmp_path / "x.db")
    assert result.returncode == 0, result.stderr
    assert any(w in result.stdout.lower() for w in ("kasus", "atasan", "surel", "ringkasan", "laporan")), result.stdout


def test_cli_walks_a_case_to_dilaporkan(store, world, db_path, tmp_path):
    f1, f2 = (str(f) for f in world["flags"][:2])
    result = netra("cases", "open", "--flag", f1, "--flag", f2, db=store.path)
    assert result.returncode == 1 and "--as" in result.stderr
    result = netra("cases", "open", "--flag", f1, "--flag", f2, "--as", "atasan", db=store.path)
    assert result.returncode == 1 and "tidak boleh membuka kasus" in result.stderr
    result = netra("cases", "open", "--flag", f1, "--flag", f2, "--as", "analis1", db=store.path)
    assert result.returncode == 0, result.stderr
    assert "Kasus #1 dibuka untuk Ani Guru" in result.stdout
    assert netra("cases", "status", "1", "verifikasi", "--as", "analis1", db=store.path).returncode == 0
    result = netra("cases", "status", "1", "dilaporkan", "--channel", "Bawaslu", "--ref", "LP-1", "--as", "analis1",
                   db=store.path)
    assert result.returncode == 1 and "tinjauan analis kedua" in result.stderr
    result = netra("cases", "review", "1", "--decision", "violation", "--code", "N1", "--code", "N7",
                   "--as", "analis1", db=store.path)
    assert result.returncode == 1 and "analis lain" in result.stderr
    shown = netra("cases", "show", "1", "--as", "analis2", db=store.path)
    assert shown.returncode == 0 and "disembunyikan" in shown.stdout and "N7" not in shown.stdout
    result = netra("cases", "review", "1", "--decision", "violation", "--code", "N1", "--code", "N7",
                   "--as", "analis2", db=store.path)
    assert result.returncode == 0 and "sependapat" in result.stdout
    result = netra("cases", "status", "1", "dilaporkan", "--channel", "Bawaslu", "--ref", "LP-1", "--as", "analis1",
                   db=store.path)
    assert result.returncode == 0, result.stderr
    result = netra("cases", "action", "1", "--kind", "dipanggil", "--as", "atasan2", db=store.path)
    assert result.returncode == 1 and "di luar unit" in result.stderr
    assert netra("cases", "action", "1", "--kind", "dipanggil", "--note", "klarifikasi", "--as", "atasan",
                 db=store.path).returncode == 0
    assert netra("cases", "show", "1", db=store.path).returncode == 1  # no --as: no personal data
    shown = netra("cases", "show", "1", "--as", "auditor", db=store.path)
    assert "Dilaporkan ke Bawaslu" in shown.stdout and "LP-1" in shown.stdout and "Dipanggil" in shown.stdout
    listing = netra("cases", "list", "--as", "auditor", db=store.path)
    assert "Ani Guru" in listing.stdout and "Dilaporkan" in listing.stdout
    assert "Ani Guru" not in netra("cases", "list", "--as", "atasan2", db=store.path).stdout
    for suffix in ("pdf", "csv", "xlsx"):
        result = netra("cases", "export", "1", "-o", str(tmp_path / f"k.{suffix}"), "--as", "auditor", db=store.path)
        assert result.returncode == 0, result.stderr
        assert (tmp_path / f"k.{suffix}").stat().st_size > 100
        assert (tmp_path / f"k.{suffix}").stat().st_mode & 0o777 == 0o600  # personal data
    report = netra("cases", "report", "--unit", "DISDIK", "--from", "2020-01-01", "--to", "2099-12-31",
                   "--as", "auditor", db=store.path)
    assert report.returncode == 0 and "SMPN1" in report.stdout and "DINKES" not in report.stdout
    assert netra("cases", "email", "atasan", "kadis@example.go.id", db=store.path).returncode == 0
    digest = netra("cases", "digest", "--send", db=store.path)
    assert digest.returncode == 0, digest.stderr
    assert "hanya notifikasi di aplikasi" in digest.stdout


def test_cli_case_lists_and_history_read_as_bahasa_and_are_not_cut_when_piped(store, world, db_path):
    """Issue 14: a wrong --status fails naming the valid ones; history lines and times for people."""
    import os
    import subprocess

    from conftest import BIN
    from monitor import glossary

    wrong = netra("cases", "list", "--status", "nonsense", "--as", "auditor", db=store.path)
    assert wrong.returncode != 0
    assert "'nonsense' tidak dikenal" in wrong.stderr and "verifikasi" in wrong.stderr and "ditutup" in wrong.stderr
    f1 = str(world["flags"][0])
    assert netra("cases", "open", "--flag", f1, "--as", "analis1", db=store.path).returncode == 0
    assert netra("cases", "status", "1", "verifikasi", "--as", "analis1", db=store.path).returncode == 0
    shown = netra("cases", "show", "1", "--as", "auditor", db=store.path)
    assert "Status diubah (Temuan → Verifikasi)" in shown.stdout, shown.stdout
    assert "WIB" in shown.stdout and "=" not in shown.stdout.split("Riwayat")[-1]
    assert glossary.find_internal_keys(shown.stdout.split("Riwayat")[-1]) == []
    # Piped without COLUMNS (a file, another program): the table is not cut at 80 columns.
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "NETRA_DB")} | {"NO_COLOR": "1"}
    piped = subprocess.run([str(BIN / "netra"), "--db", str(store.path), "cases", "list", "--as", "auditor"],
                           capture_output=True,
                           text=True, env=env, timeout=120)
    assert piped.returncode == 0, piped.stderr
    assert max(len(line) for line in piped.stdout.splitlines()) > 100
    assert "Ani Guru" in piped.stdout and "Verifikasi" in piped.stdout


def test_flags_confirmed_through_the_review_module_open_a_case(store, tmp_path):
    """The contract with monitor.flagging.review: decide(..., 'violation') is what makes a flag eligible."""
    review = pytest.importorskip("monitor.flagging.review")
    world = build_world(store, tmp_path)
    u = world["users"]
    with store.write() as conn:  # start from open flags with no reviews
        conn.execute("DELETE FROM reviews")
        conn.execute("UPDATE flags SET status = 'open', violation_code = NULL")
    with pytest.raises(CaseError, match="belum dikonfirmasi"):
        cases.open_case(store, u["analis1"], world["flags"][:1], settings=SETTINGS)
    review.decide(store, u["analis2"], world["flags"][0], "violation", violation_code="N2")
    case_id = cases.open_case(store, u["analis1"], world["flags"][:1], settings=SETTINGS)
    case = case_rows.get_case(store, case_id)
    assert case["codes"] == ["N2"]
    cases.change_status(store, u["analis1"], case_id, "verifikasi", settings=SETTINGS)
    # analis2 confirmed the flag, so only someone else can give the second review.
    with pytest.raises(CaseError, match="analis lain"):
        cases.submit_second_review(store, u["analis2"], case_id, "violation", ["N2"])
