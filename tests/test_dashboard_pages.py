"""Every dashboard page through AppTest, per role, on a real database with flags.

Covers access refusals (navigation and the page's own role check), decisions changing the
database, scope (a supervisor's pages never show another unit's post), and HTML in post text
staying text.
"""

from __future__ import annotations

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from conftest import ROOT
from monitor import auth, web
from monitor.flagging import review
from monitor.store import audit as audit_rows
from monitor.store import connect
from test_review import HOSTILE, build_world

PASSWORDS = {"analis": "sandi-analis-1", "atasan": "sandi-atasan-1", "auditor": "sandi-auditor-1",
             "admin": "sandi-admin-1"}


@pytest.fixture
def dash(tmp_path, monkeypatch, db_target):
    path = db_target  # a SQLite file, or a PostgreSQL database on the postgresql run (issue 20)
    with connect(path) as store:
        world = build_world(store, tmp_path)
        auth.create_user(store, "admin", PASSWORDS["admin"], "admin")
    monkeypatch.setenv("NETRA_DB", str(path))
    st.cache_resource.clear()
    st.cache_data.clear()
    store = connect(path)
    world["store"] = store
    yield world
    store.close()
    st.cache_resource.clear()


def as_user(dash, username: str, page: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.session_state["user"] = auth.login(dash["store"], username, PASSWORDS[username])
    at.run()
    if page:
        at.switch_page(f"pages/{page}").run()
    assert not at.exception, at.exception
    return at


def visible_text(at: AppTest) -> str:
    """Everything a page shows as text: markdown, text, captions, titles, tables, metrics."""
    parts = [e.value for kind in ("markdown", "text", "caption", "title", "subheader", "error", "info", "success",
                                  "warning") for e in getattr(at, kind)]
    parts += [str(df.value.to_dict()) for df in at.dataframe]
    parts += [str(m.value) for m in at.metric]
    return "\n".join(str(p) for p in parts)


ROLE_USERS = {"analyst": "analis", "supervisor": "atasan", "auditor": "auditor", "admin": "admin"}
# The rollup (issue 20) is in the menu of oversight users only: tests/test_tenancy.py opens it.
EXISTING = [name for name in web.PAGES if (ROOT / "pages" / name).is_file() and name != "laporan_masyarakat.py"
            and name not in web.OVERSIGHT_PAGES]


@pytest.mark.parametrize("role", list(ROLE_USERS))
def test_each_role_opens_its_pages_and_no_other(dash, role):
    at = as_user(dash, ROLE_USERS[role])
    for page in EXISTING:
        if role in web.page_roles(page):
            at.switch_page(f"pages/{page}").run()
            assert not at.exception, (page, at.exception)
            assert not [e.value for e in at.error if "akses" in e.value], page
        else:
            # Not registered in this role's navigation: AppTest refuses to switch to it.
            with pytest.raises(ValueError):
                at.switch_page(f"pages/{page}")


@pytest.mark.parametrize("page", ["registri.py", "antrian.py", "model.py", "pemilu.py"])
def test_a_page_opened_directly_still_checks_the_role(dash, page):
    at = AppTest.from_file(str(ROOT / "pages" / page), default_timeout=60)
    at.session_state["user"] = auth.login(dash["store"], "atasan", PASSWORDS["atasan"])
    at.run()
    assert any("tidak memiliki akses" in e.value for e in at.error)
    assert not at.dataframe and not at.button
    at = AppTest.from_file(str(ROOT / "pages" / page), default_timeout=60).run()
    assert any("masuk" in e.value.lower() for e in at.error)


def test_supervisor_pages_contain_no_post_of_another_unit(dash):
    at = as_user(dash, "atasan")
    for page in EXISTING:
        if "supervisor" not in web.page_roles(page):
            continue
        at.switch_page(f"pages/{page}").run()
        text = visible_text(at)
        assert "rahasia" not in text and "Budi" not in text and "Dinas Kesehatan" not in text, page
    at.switch_page("pages/ringkasan_unit.py").run()
    assert "Ani Guru" in visible_text(at)
    # Picking another unit's flag by id through the library is refused like a missing one.
    user = at.session_state["user"]
    with pytest.raises(review.FlagNotFound):
        review.flag_card(dash["store"], user, dash["flags"]["3"])


def test_queue_decision_changes_the_database_and_shows_the_next_flag(dash):
    at = as_user(dash, "analis", "antrian.py")
    first = dash["flags"]["2"]
    assert at.subheader[0].value.startswith(f"Temuan #{first} ")
    at.selectbox(key=f"code_{first}").set_value("N7")
    at.text_input(key=f"note_{first}").input("salam dua jari")
    at.button(key=f"decide_violation_{first}").click().run()
    assert not at.exception
    row = dash["store"].one("SELECT status, violation_code FROM flags WHERE id = ?", (first,))
    assert tuple(row) == ("confirmed", "N7")
    note = dash["store"].one("SELECT note, decision FROM reviews WHERE flag_id = ?", (first,))
    assert tuple(note) == ("salam dua jari", "violation")
    assert at.subheader[0].value.startswith(f"Temuan #{dash['interaction_flag']} ")
    assert any("tersimpan" in s.value for s in at.success)
    # Escalate and dismiss with one click each.
    at.button(key=f"decide_escalate_{dash['interaction_flag']}").click().run()
    assert dash["store"].one("SELECT status FROM flags WHERE id = ?", (dash["interaction_flag"],))[0] == "escalated"
    at.button(key=f"decide_not_violation_{dash['flags']['1']}").click().run()
    assert dash["store"].one("SELECT status FROM flags WHERE id = ?", (dash["flags"]["1"],))[0] == "dismissed"


def test_interaction_card_shows_both_sides(dash):
    at = as_user(dash, "analis", "antrian.py")
    at.button(key=f"decide_skip_{dash['flags']['2']}").click().run()  # skip the top flag: the interaction is next
    text = visible_text(at)
    assert "@budi_sehat" in text and "@hera_sukamaju" in text and "Hendra Wijaya" in text


def test_post_html_is_escaped_in_the_queue_card(dash):
    at = as_user(dash, "analis", "antrian.py")
    assert at.subheader[0].value.startswith(f"Temuan #{dash['flags']['2']} ")
    for element in list(at.markdown) + list(at.caption):
        assert "<script" not in element.value and "<img" not in element.value
    highlighted = next(m.value for m in at.markdown if "orange-background" in m.value)
    assert "&#60;script&#62;" in highlighted and ":orange-background[coblos]" in highlighted
    assert HOSTILE in [t.value for t in at.text]  # the unformatted copy is the literal text
    assert web.highlighted_markdown("a<b>[x](javascript:y)", []) == "a&#60;b&#62;&#91;x&#93;&#40;javascript&#58;y&#41;"


def test_bulk_action_counts_then_applies_to_the_whole_result(dash):
    at = as_user(dash, "analis", "antrian.py")
    at.button_group(key="antrian_cat").set_value(["partisan"]).run()
    at.selectbox(key="bulk_decision").set_value("not_violation").run()
    at.button(key="bulk_count").click().run()
    assert any("3 temuan" in w.value for w in at.warning)
    at.button(key="bulk_apply").click().run()
    assert not at.exception
    statuses = [r[0] for r in dash["store"].query("SELECT status FROM flags WHERE category = 'partisan'")]
    assert statuses == ["dismissed"] * 3
    assert any("3 temuan" in s.value for s in at.success)


def test_my_decisions_and_reopen(dash):
    analyst = auth.login(dash["store"], "analis", PASSWORDS["analis"])
    review.decide(dash["store"], analyst, dash["flags"]["4"], "violation", violation_code="A1", note="kasar")
    at = as_user(dash, "analis", "keputusan_saya.py")
    assert "kasar" in visible_text(at)
    at.text_area(key="reopen_reason").input("perlu dilihat ulang")
    at.button(key="reopen_button").click().run()
    assert dash["store"].one("SELECT status FROM flags WHERE id = ?", (dash["flags"]["4"],))[0] == "open"
    assert dash["store"].one("SELECT note FROM reviews WHERE decision = 'reopen'")[0] == "perlu dilihat ulang"


def test_auditor_export_builds_csv_and_xlsx(dash):
    at = as_user(dash, "auditor", "ekspor_bukti.py")
    at.button_group(key="export_status").set_value(["open"]).run()
    at.button(key="export_table").click().run()
    assert not at.exception
    csv_bytes, xlsx_bytes, count, _signature = at.session_state["export_files"]
    assert count == 5
    text = csv_bytes.decode("utf-8-sig")
    assert "Ani Guru" in text and "Budi Perawat" in text and xlsx_bytes[:2] == b"PK"


def test_export_prepared_for_one_filter_is_withdrawn_when_the_filter_changes(dash):
    """Issue 14 item 3: narrowing the filter must not leave the old file's download buttons live."""
    at = as_user(dash, "auditor", "ekspor_bukti.py")
    at.button_group(key="export_status").set_value(["open"]).run()
    at.button(key="export_table").click().run()
    assert "5 baris siap diunduh." in [m.value for m in at.success]
    assert {b.key for b in at.get("download_button")} >= {"download_csv", "download_xlsx"}
    at.button_group(key="export_status").set_value(["open", "confirmed"]).run()
    assert not [m for m in at.success if "siap diunduh" in m.value]
    assert not {b.key for b in at.get("download_button")} & {"download_csv", "download_xlsx"}
    assert "export_files" not in at.session_state
    at.button_group(key="export_status").set_value(["open"]).run()  # back to the old filter: still nothing stale
    assert not at.get("download_button")


def test_model_page_saves_a_threshold(dash):
    at = as_user(dash, "analis", "model.py")
    at.slider(key="model_threshold_partisan").set_value(0.8).run()
    assert any(m.label == "Antrian dengan ambang baru" and str(m.value) == "1" for m in at.metric)
    at.button(key="model_save_threshold").click().run()
    assert dash["store"].one("SELECT threshold FROM review_thresholds WHERE category = 'partisan'")[0] == 0.8


def test_admin_registry_deactivates_an_employee(dash):
    at = as_user(dash, "admin", "registri.py")
    employee = dash["store"].one("SELECT id FROM employees WHERE name = 'Budi Perawat'")[0]
    at.selectbox(key="registri_employee").set_value(employee).run()
    form_checkbox = next(c for c in at.checkbox if c.label == "Aktif")
    form_checkbox.uncheck()
    next(b for b in at.button if b.label == "Simpan pegawai").click().run()
    assert not at.exception
    assert dash["store"].one("SELECT active FROM employees WHERE id = ?", (employee,))[0] == 0
    assert dash["store"].one("SELECT COUNT(*) FROM accounts WHERE employee_id = ? AND active", (employee,))[0] == 0


def test_public_report_form_needs_no_login(dash):
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    at.switch_page("pages/laporan_masyarakat.py").run()
    assert not at.exception
    assert at.title[0].value == "Laporan masyarakat"
    try:
        import monitor.collect.reports  # noqa: F401
    except ImportError:
        assert any("belum tersedia" in i.value for i in at.info)
        return
    at.text_input[0].input("https://x.com/ani_guru/status/99")
    at.button[0].click().run()
    assert any("tercatat" in s.value for s in at.success)
    assert dash["store"].one("SELECT COUNT(*) FROM flags WHERE category = 'report'")[0] == 1


def test_rate_limiter_counts_per_key():
    limiter = web.RateLimiter(limit=2, window=60)
    assert limiter.allow("ip:1", "s:a", now=0) and limiter.allow("ip:1", "s:b", now=1)
    assert not limiter.allow("ip:1", "s:c", now=2)   # same address, new session: still limited
    assert limiter.allow("ip:2", "s:d", now=2)
    assert limiter.allow("ip:1", "s:e", now=61)      # the window moved on


def test_escalation_reaches_the_superiors_page_and_is_answered_there(dash):
    """Issue 14 item 4: an escalated flag appears on the superior's Tindak lanjut and they can answer it."""
    store = dash["store"]
    analyst = auth.login(store, "analis", PASSWORDS["analis"])
    flag_id = dash["flags"]["2"]
    review.decide(store, analyst, flag_id, "escalate", note="mohon keputusan atasan")
    at = as_user(dash, "atasan", "tindak_lanjut.py")
    assert any(e.label.startswith("Eskalasi dari analis (1)") for e in at.expander)
    assert [list(df.value["ID"]) for df in at.dataframe if "ID" in df.value.columns][0] == [flag_id]
    assert at.radio(key=f"esc_decision_{flag_id}").value is None  # nothing preselected
    at.radio(key=f"esc_decision_{flag_id}").set_value("not_violation")
    at.text_area(key=f"esc_note_{flag_id}").input("bukan kampanye")
    at.button(key=f"esc_submit_{flag_id}").click().run()
    assert not at.exception
    assert f"Eskalasi temuan #{flag_id} dijawab." in [m.value for m in at.success]
    assert store.one("SELECT status FROM flags WHERE id = ?", (flag_id,))[0] == "dismissed"
    newest = audit_rows.entries_for(store, target=f"flag:{flag_id}")[0]
    assert (newest["actor"], newest["action"]) == ("atasan", "review.decide")
    assert any(e.label.startswith("Eskalasi dari analis (0)") for e in at.expander)


def test_superior_cannot_answer_a_flag_that_is_not_escalated(dash):
    supervisor = auth.login(dash["store"], "atasan", PASSWORDS["atasan"])
    with pytest.raises(review.ReviewError, match="tidak sedang dieskalasi"):
        review.answer_escalation(dash["store"], supervisor, dash["flags"]["2"], "not_violation")
    assert dash["store"].one("SELECT status FROM flags WHERE id = ?", (dash["flags"]["2"],))[0] == "open"
