"""The case pages through Streamlit's AppTest, per role, on a real database file."""

from __future__ import annotations

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from conftest import ROOT
from monitor.cases import workflow as cases
from monitor.store import connect
from monitor.store import cases as case_rows
from test_cases import NOW, SETTINGS, build_world


@pytest.fixture
def pages_db(tmp_path, monkeypatch):
    path = tmp_path / "pages.db"
    with connect(path) as store:
        world = build_world(store, tmp_path)
    monkeypatch.setenv("NETRA_DB", str(path))
    monkeypatch.setenv("NETRA_CONFIG", str(tmp_path / "none.toml"))
    st.cache_resource.clear()
    st.cache_data.clear()
    yield path, world
    st.cache_resource.clear()
    st.cache_data.clear()


def page(name: str, user) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / name), default_timeout=60)
    at.session_state["user"] = user
    at.run()
    assert not at.exception, at.exception
    return at


def frames(at: AppTest) -> str:
    return " ".join(str(df.value.to_dict()) for df in at.dataframe)


def shown(at: AppTest) -> str:
    return " ".join(str(e.value) for e in [*at.text, *at.markdown, *at.error, *at.success, *at.info, *at.warning])


def with_case(path, world, *, status: str = "temuan", second: bool = False) -> int:
    with connect(path) as store:
        u = world["users"]
        case_id = cases.open_case(store, u["analis1"], world["flags"][:2], settings=SETTINGS, now=NOW)
        if status != "temuan":
            cases.change_status(store, u["analis1"], case_id, "verifikasi", settings=SETTINGS)
        if second:
            cases.submit_second_review(store, u["analis2"], case_id, "violation", ["N1", "N7"])
    return case_id


def test_supervisor_and_anonymous_cannot_open_the_case_page(pages_db):
    _path, world = pages_db
    at = page("kasus.py", world["users"]["atasan"])
    assert "tidak memiliki akses" in at.error[0].value and not at.dataframe
    at = AppTest.from_file(str(ROOT / "pages" / "kasus.py"), default_timeout=60)
    at.run()
    assert "Silakan masuk" in at.error[0].value


def test_analyst_opens_a_case_from_confirmed_flags(pages_db):
    path, world = pages_db
    at = page("kasus.py", world["users"]["analis1"])
    assert "Ani Guru" in frames(at) and "Budi Perawat" in frames(at)  # flags ready to become cases
    # Mixing two employees is refused with the library's message; nothing is opened.
    at.multiselect(key="open_flags").set_value([world["flags"][0], world["flags"][2]])
    at.button(key="open_submit").click()
    at.run()
    assert "satu pegawai" in at.error[0].value
    with connect(path) as store:
        assert case_rows.list_cases(store) == []
    at.multiselect(key="open_flags").set_value(world["flags"][:2])
    at.button(key="open_submit").click()
    at.run()
    assert not at.exception
    assert "Kasus dibuka" in at.success[0].value
    with connect(path) as store:
        [case] = case_rows.list_cases(store)
        assert case["employee"] == "Ani Guru" and case["codes"] == ["N1", "N7"]
        assert case_rows.notifications_of_case(store, case["id"])[0]["username"] == "atasan"
    assert "Kronologi" in at.text_area(key=f"desc_text_{case['id']}").value


def test_analyst_moves_status_and_sees_refusal_before_second_review(pages_db):
    path, world = pages_db
    case_id = with_case(path, world, status="verifikasi")
    at = page("kasus.py", world["users"]["analis1"])
    assert at.selectbox(key="case_id").value == case_id
    assert "N7" in frames(at)  # the first analyst sees their own decision
    at.selectbox(key=f"st_target_{case_id}").set_value("dilaporkan").run()
    at.text_input(key=f"st_ref_{case_id}").input("001/LP/2024")
    at.button(key=f"st_submit_{case_id}").click()
    at.run()
    assert "menunggu tinjauan analis kedua" in at.error[0].value
    with connect(path) as store:
        assert case_rows.get_case(store, case_id)["status"] == "verifikasi"


def test_second_analyst_reviews_blind_then_case_is_reported(pages_db):
    path, world = pages_db
    case_id = with_case(path, world, status="verifikasi")
    at = page("kasus.py", world["users"]["analis2"])
    assert "keputusan pertama disembunyikan" in " ".join(h.value for h in at.subheader)
    text = frames(at) + shown(at)
    assert "Ayo coblos" in text
    # N7 is only in Ani's case (Budi's unopened N1 flag is listed separately, and may be).
    assert "N7" not in text and "Kronologi" not in text and "Rujukan sanksi" not in text
    assert not [t for t in at.text_area if (t.key or "").startswith("desc_text")]  # no first-decision editor
    assert at.radio(key=f"sr_decision_{case_id}").value is None  # blind: nothing preselected
    at.radio(key=f"sr_decision_{case_id}").set_value("violation")
    at.multiselect(key=f"sr_codes_{case_id}").set_value(["N1", "N7"])
    at.button(key=f"sr_submit_{case_id}").click()
    at.run()
    assert "Tinjauan kedua dicatat" in at.success[0].value
    assert "sependapat" in shown(at)
    at.selectbox(key=f"st_target_{case_id}").set_value("dilaporkan").run()
    at.selectbox(key=f"st_channel_{case_id}").set_value("Bawaslu")
    at.text_input(key=f"st_ref_{case_id}").input("001/LP/PB/KOTA/2024")
    at.button(key=f"st_submit_{case_id}").click()
    at.run()
    assert not at.exception
    assert "kini dilaporkan" in at.success[0].value
    with connect(path) as store:
        case = case_rows.get_case(store, case_id)
    assert (case["status"], case["external_ref"]) == ("dilaporkan", "001/LP/PB/KOTA/2024")


def test_admin_resolves_disagreement_on_the_page(pages_db):
    path, world = pages_db
    case_id = with_case(path, world, status="verifikasi")
    with connect(path) as store:
        cases.submit_second_review(store, world["users"]["analis2"], case_id, "not_violation")
    at = page("kasus.py", world["users"]["admin"])
    at.radio(key=f"rs_outcome_{case_id}").set_value("tutup")
    at.text_area(key=f"rs_note_{case_id}").input("bukti tidak cukup")
    at.button(key=f"rs_submit_{case_id}").click()
    at.run()
    assert "Keputusan admin dicatat" in at.success[0].value
    with connect(path) as store:
        assert case_rows.get_case(store, case_id)["status"] == "ditutup"


def test_auditor_reads_the_case_file_without_editing(pages_db):
    path, world = pages_db
    with_case(path, world, status="verifikasi", second=True)
    at = page("kasus.py", world["users"]["auditor"])
    text = frames(at) + shown(at)
    assert "N7" in text and "Kronologi" in text and "Ayo coblos" in text
    keys = {(w.key or "").rsplit("_", 1)[0] for w in [*at.button, *at.text_area, *at.text_input, *at.multiselect]}
    assert not keys & {"open", "st", "desc", "sr", "rs", "desc_text", "st_target"}
    assert len(at.get("download_button")) == 2


def test_post_text_is_never_markdown(pages_db):
    path, world = pages_db
    with_case(path, world)
    at = page("kasus.py", world["users"]["auditor"])
    assert all("HYPERLINK" not in m.value for m in at.markdown)


def test_supervisor_sees_only_their_units_and_records_action(pages_db):
    path, world = pages_db
    case_id = with_case(path, world)
    at = page("tindak_lanjut.py", world["users"]["atasan"])
    assert "Ani Guru" in frames(at)
    assert any(f"Kasus #{case_id} dibuka" in e.label for e in at.expander)
    # Before the four-eyes review agreed the superior is not asked to act.
    assert any("belum perlu tindakan Anda" in i.value for i in at.info)
    assert not [b for b in at.button if (b.key or "").startswith("tl_submit")]
    with connect(path) as store:
        cases.change_status(store, world["users"]["analis1"], case_id, "verifikasi", settings=SETTINGS)
        cases.submit_second_review(store, world["users"]["analis2"], case_id, "violation", ["N1", "N7"])
    at.run()
    at.selectbox(key=f"tl_kind_{case_id}_0").set_value("dipanggil")
    at.text_area(key=f"tl_note_{case_id}_0").input("dipanggil untuk klarifikasi")
    at.button(key=f"tl_submit_{case_id}_0").click()
    at.run()
    assert f"Tindakan dicatat pada kasus #{case_id}" in at.success[0].value
    assert "dipanggil untuk klarifikasi" in frames(at)
    # The note is empty again, and the old form (a second click of a double click) is gone.
    assert at.text_area(key=f"tl_note_{case_id}_1").value == ""
    assert not [b for b in at.button if b.key == f"tl_submit_{case_id}_0"]
    other = page("tindak_lanjut.py", world["users"]["atasan2"])
    assert "Ani Guru" not in frames(other) + shown(other)
    assert any("Tidak ada kasus" in i.value for i in other.info)


def test_supervisor_marks_notification_read(pages_db):
    path, world = pages_db
    with_case(path, world)
    at = page("tindak_lanjut.py", world["users"]["atasan"])
    read = [b for b in at.button if (b.key or "").startswith("read_")]
    read[0].click()
    at.run()
    assert not any(f"dibuka" in e.label for e in at.expander)


def test_analyst_cannot_use_the_supervisor_page(pages_db):
    _path, world = pages_db
    at = page("tindak_lanjut.py", world["users"]["analis1"])
    assert "tidak memiliki akses" in at.error[0].value


def test_each_case_keeps_its_own_description_when_switching(pages_db):
    """Issue 14 item 1: switching the case selector must not carry one case's text into another."""
    path, world = pages_db
    first = with_case(path, world)
    with connect(path) as store:
        u = world["users"]
        cases.update_description(store, u["analis1"], first, "Uraian kasus pertama.")
        second = cases.open_case(store, u["analis1"], [world["flags"][2]], settings=SETTINGS, now=NOW)
        cases.update_description(store, u["analis1"], second, "Uraian kasus kedua.")
    at = page("kasus.py", world["users"]["analis1"])
    assert at.selectbox(key="case_id").value == second  # newest first
    assert at.text_area(key=f"desc_text_{second}").value == "Uraian kasus kedua."
    at.selectbox(key="case_id").set_value(first).run()
    assert at.text_area(key=f"desc_text_{first}").value == "Uraian kasus pertama."
    at.button(key=f"desc_submit_{first}").click().run()
    with connect(path) as store:
        assert case_rows.get_case(store, first)["description"] == "Uraian kasus pertama."
        assert case_rows.get_case(store, second)["description"] == "Uraian kasus kedua."


def test_status_form_shows_only_the_chosen_status_fields(pages_db):
    """Issue 14 item 10: one form with every field of every status invites mistakes."""
    path, world = pages_db
    case_id = with_case(path, world, status="verifikasi", second=True)
    at = page("kasus.py", world["users"]["analis1"])
    labels = lambda: {w.label for w in [*at.text_input, *at.text_area, *at.selectbox, *at.date_input]}  # noqa: E731
    at.selectbox(key=f"st_target_{case_id}").set_value("ditutup").run()
    assert "Alasan penutupan (ditutup)" in labels()
    assert not {"Nomor laporan eksternal (dilaporkan)", "Tingkat sanksi (sanksi)", "Tanggal"} & labels()
    at.selectbox(key=f"st_target_{case_id}").set_value("dilaporkan").run()
    assert {"Nomor laporan eksternal (dilaporkan)", "Tujuan laporan (dilaporkan)", "Tanggal"} <= labels()
    assert "Alasan penutupan (ditutup)" not in labels()
    assert not [t for t in at.text_input if "YYYY" in t.label]  # dates are pickers, not free text


def test_disagreed_case_is_not_berjalan_for_the_superior(pages_db):
    path, world = pages_db
    case_id = with_case(path, world, status="verifikasi")
    with connect(path) as store:
        cases.submit_second_review(store, world["users"]["analis2"], case_id, "not_violation")
    at = page("tindak_lanjut.py", world["users"]["atasan"])
    [state] = [row["Keadaan"] for row in at.dataframe[0].value.to_dict("records") if row["No."] == case_id]
    assert state == cases.FOUR_EYES_LABELS["disagreed"]
    assert any("belum perlu tindakan Anda" in i.value for i in at.info)


def test_superiors_home_shows_what_needs_them_not_every_post(pages_db):
    """Issue 14 item 11: the supervisor's Beranda lists cases awaiting them and escalations, with a chart."""
    path, world = pages_db
    case_id = with_case(path, world, status="verifikasi", second=True)  # four eyes agreed: the superior acts
    at = page("beranda.py", world["users"]["atasan"])
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Kasus menunggu tindakan"] == "1" and metrics["Eskalasi dari analis"] == "0"
    assert [n for n in at.main if "chart" in n.type or "vega" in n.type], [n.type for n in at.main]
    assert [r["No."] for r in at.dataframe[0].value.to_dict("records")] == [case_id]
    assert not [s for s in at.subheader if s.value.startswith("Kiriman terbaru")]
    assert "Ayo coblos" not in frames(at)  # no posts of the staff on the home page
