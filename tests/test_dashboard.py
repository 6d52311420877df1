"""The dashboard through Streamlit's AppTest, on a real database file."""

from __future__ import annotations

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from conftest import ROOT, write_csv
from monitor import auth
from monitor.people import registry
from monitor.store import PostRecord, connect, people
from monitor.store.posts import upsert_posts

HOSTILE = '<script>alert("xss")</script><img src=x onerror=alert(1)> **tebal**'


@pytest.fixture
def dashboard_db(tmp_path, monkeypatch):
    path = tmp_path / "dash.db"
    with connect(path) as store:
        registry.import_units(store, write_csv(tmp_path / "u.csv", "code,name,parent_code",
                                               "DISDIK,Dinas Pendidikan,", "SMPN1,SMP Negeri 1,DISDIK",
                                               "DINKES,Dinas Kesehatan,"))
        registry.import_employees(store, write_csv(
            tmp_path / "e.csv", "NIP,Nama,Unit Kerja,X",
            "198503122010012003,Ani Guru,SMP Negeri 1,@ani_guru",
            "199001012015031001,Budi Perawat,Dinas Kesehatan,@budi_sehat"))
        upsert_posts(store, [
            PostRecord("x", "1", HOSTILE, {"id": "1"}, account_handle="ani_guru", created_at="2024-10-02T00:00:00Z"),
            PostRecord("x", "2", "rahasia dinas kesehatan", {"id": "2"}, account_handle="budi_sehat",
                       created_at="2024-10-03T00:00:00Z"),
        ], account_ids=people.account_ids_by_handle(store))
        disdik = people.unit_id_by_code(store, "DISDIK")
        auth.create_user(store, "atasan", "sandi-atasan-1", "supervisor", unit_ids=[disdik])
        auth.create_user(store, "analis", "sandi-analis-1", "analyst")
    monkeypatch.setenv("NETRA_DB", str(path))
    st.cache_resource.clear()
    st.cache_data.clear()
    yield path
    st.cache_resource.clear()


def app() -> AppTest:
    return AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=30)


def logged_in(username: str, password: str) -> AppTest:
    at = app()
    at.run()
    at.text_input[0].input(username)
    at.text_input[1].input(password)
    at.button[0].click()
    at.run()
    return at


def all_post_text(at: AppTest) -> str:
    return " ".join(str(df.value.to_dict()) for df in at.dataframe)


def test_login_form_refuses_wrong_password(dashboard_db):
    at = logged_in("analis", "salah-sandi")
    assert not at.exception
    assert "salah" in at.error[0].value
    assert "user" not in at.session_state


def test_analyst_sees_every_unit(dashboard_db):
    at = logged_in("analis", "sandi-analis-1")
    assert not at.exception
    text = all_post_text(at)
    assert "rahasia dinas kesehatan" in text and "Ani Guru" in text


def test_supervisor_never_sees_another_units_posts(dashboard_db):
    at = logged_in("atasan", "sandi-atasan-1")
    assert not at.exception
    text = all_post_text(at)
    assert "rahasia" not in text and "Budi" not in text and "Dinas Kesehatan" not in text
    # Their home shows what needs them (issue 14), not a feed of every post of their staff.
    assert not [s for s in at.subheader if s.value.startswith("Kiriman terbaru")]
    assert not [t for t in at.text_input if t.key == "search"]


def test_post_text_with_html_is_shown_as_text(dashboard_db):
    at = logged_in("analis", "sandi-analis-1")
    cells = [v for df in at.dataframe for v in df.value.get("Teks", [])]
    assert HOSTILE in cells  # the literal string, unchanged, in a data cell
    for element in list(at.markdown) + list(at.caption):
        assert "<script>" not in element.value


def test_logout(dashboard_db):
    at = logged_in("analis", "sandi-analis-1")
    at.sidebar.button[0].click()
    at.run()
    assert "user" not in at.session_state
    assert at.text_input[0].label == "Nama pengguna"


def test_uploaded_file_keeps_the_name_inside_a_temporary_folder_and_removes_it():
    """Registry and election imports read paths: the upload keeps its extension, never its folders."""
    from monitor.web import uploaded_file

    class Upload:  # the two attributes of Streamlit's UploadedFile the helper uses
        name = "../../etc/pegawai.csv"

        def getvalue(self) -> bytes:
            return b"NIP,Nama\n"

    with uploaded_file(Upload()) as path:
        assert path.name == "pegawai.csv" and path.suffix == ".csv"
        assert path.read_bytes() == b"NIP,Nama\n"
        assert ".." not in path.parts
    assert not path.exists() and not path.parent.exists()
