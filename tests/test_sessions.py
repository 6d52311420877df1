"""Sessions are re-checked (issue 15, item 3): a deactivated or changed user is logged out on the
next page run, library actions refuse them whatever object the caller still holds, and an idle
session ends."""

from __future__ import annotations

import time

import pytest

from monitor import auth
from monitor.flagging import review
from monitor.store import users as user_rows
from test_dashboard_pages import as_user, dash, visible_text  # noqa: F401 (fixture)


def test_deactivated_between_two_page_runs_is_logged_out(dash):
    at = as_user(dash, "analis", "antrian.py")
    assert "Silakan masuk" not in visible_text(at)
    user_rows.update_user(dash["store"], "analis", role="analyst", active=False, unit_ids=[])
    at.run()
    assert "user" not in at.session_state
    assert "tidak aktif" in visible_text(at)


def test_a_moved_supervisor_loses_the_session_and_the_old_scope(dash):
    at = as_user(dash, "atasan", "ringkasan_unit.py")
    user_rows.update_user(dash["store"], "atasan", role="supervisor", active=True, unit_ids=[dash["dinkes"]])
    at.run()
    assert "user" not in at.session_state and "unit akun Anda berubah" in visible_text(at)


def test_an_idle_session_ends(dash):
    at = as_user(dash, "analis", "antrian.py")
    at.session_state["_netra_last_seen"] = time.time() - 31 * 60
    at.run()
    assert "user" not in at.session_state and "tidak ada aktivitas" in visible_text(at)


def test_library_decide_by_a_deactivated_user_raises(dash):
    store, analyst = dash["store"], dash["users"]["analis"]
    flag_id = next(iter(dash["flags"].values()))
    user_rows.update_user(store, "analis", role="analyst", active=False, unit_ids=[])
    with pytest.raises(auth.SessionEnded):
        review.decide(store, analyst, flag_id, "not_violation")
    assert store.one("SELECT status FROM flags WHERE id = ?", (flag_id,))["status"] == "open"


def test_library_refuses_a_role_that_changed_since_login(dash):
    store, analyst = dash["store"], dash["users"]["analis"]
    user_rows.update_user(store, "analis", role="auditor", active=True, unit_ids=[])
    with pytest.raises(auth.SessionEnded):
        review.decide(store, analyst, next(iter(dash["flags"].values())), "escalate")
    assert auth.current(store, auth.login(store, "analis", "sandi-analis-1")).role == "auditor"
