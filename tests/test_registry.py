from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import ROOT, write_csv
from monitor.evidence import audit
from monitor.people import registry
from monitor.store import people

HEADER = "NIP,NIK,Nama,Unit Kerja,Jabatan,Pangkat/Golongan,Status Kepegawaian,Bluesky,X"
ANI = "198503122010012003,,Ani Rahayu,Dinas Pendidikan,Guru,Penata / III.c,PNS,ani.bsky.social,@ani_guru"
BUDI = "199001012015031001,,Budi Santoso,Dinas Kesehatan,Perawat,Penata Muda / III.a,PNS,,https://x.com/budi_sehat"
CITRA = ",3273015203900001,Citra Dewi,Dinas Kesehatan,Pengemudi,,PPNPN,citra.bsky.social,"
DODI = "197712252000121002,,Dodi Pratama,Dinas Pendidikan,Kepala Sekolah,Pembina / IV.a,PNS,,@dodi_kepsek"


def counts(store) -> tuple[int, int]:
    return (int(store.one("SELECT COUNT(*) FROM employees")[0]), int(store.one("SELECT COUNT(*) FROM accounts")[0]))


def test_good_file_imports_everyone_with_accounts(store, tmp_path):
    path = write_csv(tmp_path / "pegawai.csv", HEADER, ANI, BUDI, CITRA, DODI)
    report = registry.import_employees(store, path)
    assert report.applied and report.errors == []
    assert report.counts["added"] == 4 and report.counts["accounts_added"] == 5
    employees = {e["name"]: e for e in people.list_employees(store)}
    assert employees["Budi Santoso"]["accounts"] == "x:budi_sehat"  # URL reduced to the handle
    assert employees["Citra Dewi"]["nik"] == "3273015203900001" and employees["Citra Dewi"]["nip"] is None
    assert employees["Ani Rahayu"]["unit"] == "Dinas Pendidikan"
    assert audit.verify(store).ok


def test_bad_rows_are_reported_and_nothing_is_half_imported(store, tmp_path):
    path = write_csv(
        tmp_path / "pegawai.csv", HEADER,
        ANI,
        "19900101201503100,,Salah Digit,Dinas Kesehatan,Staf,,PNS,,",          # line 3: 17 digits
        "199207172019022004,,,Dinas Kesehatan,Staf,,PNS,,",                      # line 4: no name
        "199207172019022005,,Eka Putri,Dinas Kesehatan,Staf,,PNS,,@ani_guru",   # line 5: duplicate handle
        "199207172019022006,,Fajar,Dinas Kesehatan,Staf,,Kontrak Lepas,,",      # line 6: bad status
        "199207172019022007,,Gita,Dinas Kesehatan,Staf,,PNS,bukan handle!,",    # line 7: bad handle
    )
    report = registry.import_employees(store, path)
    assert not report.applied
    assert [e.line for e in report.errors] == [3, 4, 5, 6, 7]
    reasons = {e.line: e.reason for e in report.errors}
    assert "18 digit" in reasons[3]
    assert "nama kosong" in reasons[4]
    assert "baris 2" in reasons[5]
    assert "Kontrak Lepas" in reasons[6]
    assert "format" in reasons[7]
    assert counts(store) == (0, 0)


def test_skip_invalid_imports_the_valid_rows_and_reports_the_rest(store, tmp_path):
    path = write_csv(tmp_path / "pegawai.csv", HEADER, ANI, "123,,Rusak,Dinas Kesehatan,Staf,,PNS,,", BUDI)
    report = registry.import_employees(store, path, skip_invalid=True)
    assert report.applied and [e.line for e in report.errors] == [3]
    assert counts(store) == (2, 3)


def test_reimport_updates_without_duplicating_and_deactivates_leavers(store, tmp_path):
    registry.import_employees(store, write_csv(tmp_path / "a.csv", HEADER, ANI, BUDI, CITRA))
    moved = ANI.replace("Guru,", "Wakil Kepala Sekolah,").replace("@ani_guru", "@ani_baru")
    report = registry.import_employees(store, write_csv(tmp_path / "b.csv", HEADER, moved, CITRA, DODI))
    assert report.counts == {"added": 1, "updated": 2, "deactivated": 1,
                             "accounts_added": 2, "accounts_deactivated": 2}
    everyone = {e["name"]: e for e in people.list_employees(store, active_only=False)}
    assert len(everyone) == 4
    assert everyone["Ani Rahayu"]["position"] == "Wakil Kepala Sekolah"
    assert set(everyone["Ani Rahayu"]["accounts"].split()) == {"bluesky:ani.bsky.social", "x:ani_baru"}
    assert everyone["Budi Santoso"]["active"] == 0  # left: deactivated, not deleted
    assert everyone["Budi Santoso"]["accounts"] is None  # and so are his accounts


def test_skipped_rows_never_deactivate_the_employee_they_name(store, tmp_path):
    registry.import_employees(store, write_csv(tmp_path / "a.csv", HEADER, ANI, BUDI))
    broken_budi = BUDI.replace("PNS,", "Kontrak Lepas,")
    registry.import_employees(store, write_csv(tmp_path / "b.csv", HEADER, ANI, broken_budi), skip_invalid=True)
    active = {e["name"] for e in people.list_employees(store)}
    assert active == {"Ani Rahayu", "Budi Santoso"}


def test_unreadable_nip_in_skipped_row_stops_all_deactivation(store, tmp_path):
    registry.import_employees(store, write_csv(tmp_path / "a.csv", HEADER, ANI, BUDI))
    mangled_budi = BUDI.replace("199001012015031001", "1.99E+17")
    report = registry.import_employees(store, write_csv(tmp_path / "b.csv", HEADER, ANI, mangled_budi),
                                       skip_invalid=True)
    assert report.deactivation_skipped
    assert {e["name"] for e in people.list_employees(store)} == {"Ani Rahayu", "Budi Santoso"}


def test_unknown_unit_after_first_import_is_an_error_unless_allowed(store, tmp_path):
    registry.import_employees(store, write_csv(tmp_path / "a.csv", HEADER, ANI))
    typo = BUDI.replace("Dinas Kesehatan", "Dinas Kesehtan")
    report = registry.import_employees(store, write_csv(tmp_path / "b.csv", HEADER, ANI, typo))
    assert not report.applied and "Dinas Kesehtan" in report.errors[0].reason
    report = registry.import_employees(store, tmp_path / "b.csv", create_units=True)
    assert report.applied


def test_semicolon_csv_with_english_headers_and_bom(store, tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("\ufeffnip;name;work unit;position;employment type;twitter\n"
                    "198503122010012003;Ani;Setda;Staf;pppk;@ani_x\n", encoding="utf-8")
    report = registry.import_employees(store, path)
    assert report.applied, report.errors
    (ani,) = people.list_employees(store)
    assert ani["employment_type"] == "PPPK" and ani["accounts"] == "x:ani_x"


def test_xlsx_import_and_numeric_nip_cells(store, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["NIP", "Nama", "Unit Kerja", "Status Kepegawaian", "Mastodon"])
    sheet.append(["198503122010012003", "Ani", "Setda", "PNS", "https://mastodon.social/@ani"])
    sheet.append([199001012015031001, "Budi (NIP sebagai angka)", "Setda", "PNS", None])
    book.save(tmp_path / "pegawai.xlsx")
    report = registry.import_employees(store, tmp_path / "pegawai.xlsx")
    assert [e.line for e in report.errors] == [3]
    assert "angka ilmiah" in report.errors[0].reason  # Excel lost digits: ask for a text column
    report = registry.import_employees(store, tmp_path / "pegawai.xlsx", skip_invalid=True)
    (ani,) = people.list_employees(store)
    assert ani["accounts"] == "mastodon:ani@mastodon.social"


def test_file_level_problems_raise_clear_errors(store, tmp_path):
    with pytest.raises(registry.RegistryFileError, match="Nama"):
        registry.import_employees(store, write_csv(tmp_path / "x.csv", "NIP,Unit", "1,2"))
    with pytest.raises(registry.RegistryFileError, match="tidak ditemukan"):
        registry.import_employees(store, tmp_path / "nope.csv")
    with pytest.raises(registry.RegistryFileError, match="tidak didukung"):
        registry.import_employees(store, write_csv(tmp_path / "x.pdf", "a"))


def test_unit_hierarchy_and_scope(store, tmp_path):
    path = write_csv(tmp_path / "units.csv", "code,name,parent_code",
                     "DINKES,Dinas Kesehatan,", "PKM1,Puskesmas Satu,DINKES", "SETDA,Sekretariat Daerah,")
    report = registry.import_units(store, path)
    assert report.applied
    dinkes = people.unit_id_by_code(store, "DINKES")
    assert people.descendant_unit_ids(store, [dinkes]) == {dinkes, people.unit_id_by_code(store, "PKM1")}
    cycle = write_csv(tmp_path / "cycle.csv", "code,name,parent_code",
                      "DINKES,Dinas Kesehatan,PKM1", "PKM1,Puskesmas Satu,DINKES")
    report = registry.import_units(store, cycle)
    assert not report.applied and "lingkaran" in report.errors[0].reason
    assert people.descendant_unit_ids(store, [dinkes]) == {dinkes, people.unit_id_by_code(store, "PKM1")}


DEMO = ROOT / "data" / "demo"


@pytest.mark.skipif(not (DEMO / "employees_bad.csv").exists(), reason="demo data not present")
def test_shipped_bad_registry_file_reports_the_documented_lines(store):
    registry.import_units(store, DEMO / "units.csv")
    expected = json.loads((DEMO / "employees_bad_expected.json").read_text())
    report = registry.import_employees(store, DEMO / "employees_bad.csv")
    assert not report.applied
    assert sorted(e.line for e in report.errors) == sorted(item["line"] for item in expected)
    assert int(store.one("SELECT COUNT(*) FROM employees")[0]) == 0
