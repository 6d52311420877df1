"""The "Tinjauan foto" page and the photo queue: groups decided once, photos recorded with the
gesture/attribute codes, no face recognition (issue 17)."""

from __future__ import annotations

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from conftest import ROOT
from monitor import auth
from monitor.evidence import media as mediastore
from monitor.flagging import groups, pictures, review
from monitor.store import connect
from monitor.store.flags import ScoredPost, save_classifications
from test_pictures import POSTER, _attach, _employees, _NoOcr, _posts, _resized_jpeg
from tests.images import png_bytes, poster


@pytest.fixture
def world(tmp_path, monkeypatch):
    path = tmp_path / "foto.db"
    with connect(path) as store:
        folder = mediastore.media_dir(store)  # where the dashboard reads pictures
        accounts = _employees(store, 4)
        ids = _posts(store, accounts, {f"f{i}": (f"asn{i}", f"Kiriman {i} <b>tebal</b>") for i in range(4)})
        original = png_bytes(poster(POSTER))
        for i in range(3):
            _attach(store, folder, ids[f"f{i}"], original if i == 0 else _resized_jpeg(original, 0.6 + i / 10))
        # f3: a caption with election context and a listed (not downloaded) picture.
        store.conn.execute("UPDATE posts SET media_json = ? WHERE id = ?", ('["https://pbs.example/f3.jpg"]', ids["f3"]))
        store.conn.commit()
        save_classifications(store, "v", [ScoredPost(ids["f3"], {"partisan": 0.9}, ["partisan"], {"partisan": "N1"}, {})])
        pictures.process(store, engine=_NoOcr(), media_dir=folder)
        auth.create_user(store, "analis", "sandi-analis-1", "analyst")
    monkeypatch.setenv("NETRA_DB", str(path))
    st.cache_resource.clear()
    store = connect(path)
    yield {"store": store, "ids": ids, "folder": folder}
    store.close()
    st.cache_resource.clear()


def _page(world) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.session_state["user"] = auth.login(world["store"], "analis", "sandi-analis-1")
    at.run()
    at.switch_page("pages/tinjauan_foto.py").run()
    assert not at.exception, at.exception
    return at


def test_page_shows_the_group_once_and_applies_one_decision_to_each_member(world):
    at = _page(world)
    assert any("pengenalan wajah" in i.value and "UU 27/2022" in i.value for i in at.info)
    table = at.dataframe[0].value
    assert len(table) == 1 and table["Ringkasan"][0].startswith("poster yang sama: 3 pegawai, 3 unit")
    gid = at.selectbox(key="photo_group").value  # the forms are keyed by the chosen group (issue 14)
    assert at.radio(key=f"group_decision_{gid}").value is None  # nothing preselected
    at.radio(key=f"group_decision_{gid}").set_value("violation")
    at.selectbox(key=f"group_code_{gid}").set_value("N8")
    at.text_input(key=f"group_note_{gid}").input("poster paslon nomor 2")
    at.button[0].click().run()
    assert not at.exception, at.exception
    assert any("3 kiriman diputuskan" in s.value for s in at.success)
    store = world["store"]
    decided = store.query("SELECT f.post_id, r.decision, r.violation_code FROM reviews r JOIN flags f ON f.id = r.flag_id")
    assert sorted(r["post_id"] for r in decided) == sorted(world["ids"][f"f{i}"] for i in range(3))
    assert {(r["decision"], r["violation_code"]) for r in decided} == {("violation", "N8")}
    assert store.one("SELECT status FROM dup_groups")[0] == "confirmed"


def test_photo_queue_lists_reasons_and_records_what_was_seen(world):
    store, ids = world["store"], world["ids"]
    analyst = auth.login(store, "analis", "sandi-analis-1")
    queue = {c["post_id"]: c for c in groups.photo_queue(store, analyst)}
    assert ids["f3"] in queue and queue[ids["f3"]]["reasons"] == ["election_words"]
    with pytest.raises(review.ReviewError, match="N5–N9"):
        groups.record_photo(store, analyst, ids["f3"], "violation")
    with pytest.raises(review.ReviewError, match="tidak dikenal"):
        groups.record_photo(store, analyst, ids["f3"], "violation", seen=["WAJAH"])
    flag = groups.record_photo(store, analyst, ids["f3"], "violation", seen=["N7", "N8"], note="salam dua jari")
    assert flag["status"] == "confirmed" and flag["violation_code"] == "N7" and flag["category"] == "picture"
    note = store.one("SELECT note FROM reviews WHERE flag_id = ?", (flag["id"],))[0]
    assert note == "Terlihat: N7, N8; salam dua jari"
    assert store.one("SELECT COUNT(*) FROM audit_log WHERE action = 'review.decide' AND target = ?",
                     (f"flag:{flag['id']}",))[0] == 1
    assert ids["f3"] not in {c["post_id"] for c in groups.photo_queue(store, analyst)}  # decided


def test_flag_card_shows_picture_hash_text_and_group(world):
    store, ids = world["store"], world["ids"]
    analyst = auth.login(store, "analis", "sandi-analis-1")
    result = groups.decide(store, analyst, store.one("SELECT id FROM dup_groups")[0], "violation", violation_code="N8")
    card = review.flag_card(store, analyst, result["flag_ids"][0])
    assert card["pictures"][0]["sha256"] and card["groups"][0]["members"] == 3
    at = AppTest.from_string(_CARD_SCRIPT, default_timeout=60)
    at.session_state["card"] = card
    at.run()
    assert not at.exception, at.exception
    shown = "\n".join(t.value for t in at.text) + "\n".join(c.value for c in at.caption)
    assert card["pictures"][0]["sha256"] in shown and "Grup #" in shown and "<b>" in shown


_CARD_SCRIPT = """
import streamlit as st
from monitor.web import render_flag_card
render_flag_card(st.session_state["card"])
"""


def test_photo_decision_outside_the_scope_is_refused(world):
    store, ids = world["store"], world["ids"]
    unit = store.one("SELECT id FROM units WHERE code = 'U1'")[0]
    auth.create_user(store, "admin1", "sandi-admin-1", "admin")
    admin = auth.login(store, "admin1", "sandi-admin-1")
    with pytest.raises(review.FlagNotFound):
        groups.record_photo(store, admin, 999_999, "not_violation")
    auth.create_user(store, "atasan", "sandi-atasan-1", "supervisor", unit_ids=[unit])
    supervisor = auth.login(store, "atasan", "sandi-atasan-1")
    with pytest.raises(review.ReviewPermissionError):  # supervisors look, they do not decide
        groups.record_photo(store, supervisor, ids["f1"], "not_violation")
    # Once the group is confirmed its copies are campaign copies; the supervisor sees only theirs.
    groups.decide(store, admin, store.one("SELECT id FROM dup_groups")[0], "violation", violation_code="N8")
    seen = groups.photo_queue(store, supervisor, include_decided=True)
    assert [(c["post_id"], c["reasons"]) for c in seen] == [(ids["f1"], ["campaign_copy"])]
