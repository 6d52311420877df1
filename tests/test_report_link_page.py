"""The queue card of a public report about an unregistered account, through AppTest (issue 14 item 11).

The card says it is a public report (no "Skor 1.00" as if a model scored it), names the account
the report's URL gave (no "@—"), preselects no code, and offers a searchable employee picker
whose "Hubungkan ke pegawai" links the report: the database changes and the supervisor of the
employee's unit then finds it on their page.
"""

from __future__ import annotations

import math

from monitor.collect.reports import submit_report
from monitor.store import people
from test_dashboard_pages import as_user, dash, visible_text  # noqa: F401 (fixture)

REPORT_URL = "https://www.facebook.com/ani.guru.smp/posts/pfbid0abc"


def open_flag(at, flag_id: int):
    at.number_input(key="antrian_open_id").set_value(flag_id)
    at.button(key="antrian_open").click().run()
    assert not at.exception, at.exception
    assert at.subheader[0].value.startswith(f"Temuan #{flag_id} ")
    return at


def report_cells(at, flag_id: int) -> list:
    """The Skor cells of the report's rows in the page's tables."""
    cells = []
    for table in at.dataframe:
        frame = table.value
        if {"ID", "Skor"} <= set(frame.columns):
            cells += list(frame.loc[frame["ID"] == flag_id, "Skor"])
    return cells


def test_report_card_is_honest_and_the_picker_links_it_to_an_employee(dash):
    store = dash["store"]
    flag_id = submit_report(store, url=REPORT_URL, text="ajakan memilih paslon 2 di grup warga")
    ani = store.one("SELECT id FROM employees WHERE name = 'Ani Guru'")[0]
    smpn1 = people.unit_id_by_code(store, "SMPN1")

    supervisor = as_user(dash, "atasan", "ringkasan_unit.py")
    assert "Laporan masyarakat" not in visible_text(supervisor)

    at = open_flag(as_user(dash, "analis", "antrian.py"), flag_id)
    text = visible_text(at)
    assert "Sumber: laporan masyarakat (tanpa skor model)" in text
    assert "Skor: 1.00" not in text and "@—" not in text
    assert "Akun: @ani.guru.smp (belum terdaftar)" in text
    assert at.selectbox(key=f"code_{flag_id}").value is None            # no preselected N1
    assert all(cell is None or (isinstance(cell, float) and math.isnan(cell)) for cell in report_cells(at, flag_id))

    # Search by name: only Ani; by NIP prefix: only Budi.
    at.text_input(key=f"link_search_{flag_id}").input("19900101").run()
    assert [o for o in at.selectbox(key=f"link_employee_{flag_id}").options] == [
        "Budi Perawat · NIP 199001012015031001 · Dinas Kesehatan"]
    at.text_input(key=f"link_search_{flag_id}").input("ani").run()
    picker = at.selectbox(key=f"link_employee_{flag_id}")
    assert picker.options == ["Ani Guru · NIP 198503122010012003 · SMP Negeri 1"] and picker.value is None
    at.button(key=f"link_apply_{flag_id}").click().run()                 # nobody chosen yet: refused
    assert any("Pilih pegawai" in e.value for e in at.error)
    assert store.one("SELECT unit_id FROM flags WHERE id = ?", (flag_id,))[0] is None

    at.selectbox(key=f"link_employee_{flag_id}").set_value(ani)
    at.text_input(key=f"link_note_{flag_id}").input("foto profil seragam SMPN 1")
    at.button(key=f"link_apply_{flag_id}").click().run()
    assert not at.exception, at.exception
    assert store.one("SELECT unit_id FROM flags WHERE id = ?", (flag_id,))[0] == smpn1
    assert people.account_by_handle(store, "facebook", "ani.guru.smp")["employee_id"] == ani
    actor = store.one("SELECT actor FROM audit_log WHERE action = 'report.link'")[0]
    assert actor == "analis"
    text = visible_text(at)
    assert f"Laporan #{flag_id} dihubungkan ke Ani Guru (SMP Negeri 1)." in text
    assert "Pegawai: Ani Guru" in text and "Akun: @ani.guru.smp ·" in text
    assert not [b for b in at.button if b.key == f"link_apply_{flag_id}"]    # linked: no picker any more

    supervisor = as_user(dash, "atasan", "ringkasan_unit.py")
    assert "Laporan masyarakat" in visible_text(supervisor)


def test_a_report_url_without_a_handle_asks_for_the_account(dash):
    store = dash["store"]
    flag_id = submit_report(store, url="https://www.facebook.com/permalink.php?story_fbid=1&id=2")
    budi = store.one("SELECT id FROM employees WHERE name = 'Budi Perawat'")[0]
    at = open_flag(as_user(dash, "analis", "antrian.py"), flag_id)
    assert "Akun: (akun tidak terdaftar)" in visible_text(at)
    at.selectbox(key=f"link_employee_{flag_id}").set_value(budi)
    at.button(key=f"link_apply_{flag_id}").click().run()
    assert any("tidak memuat nama akun" in e.value for e in at.error)
    at.text_input(key=f"link_handle_{flag_id}").input("budi.perawat")
    at.button(key=f"link_apply_{flag_id}").click().run()
    assert not at.exception, at.exception
    assert people.account_by_handle(store, "facebook", "budi.perawat")["employee_id"] == budi
    assert store.one("SELECT unit_id FROM flags WHERE id = ?", (flag_id,))[0] == dash["dinkes"]
