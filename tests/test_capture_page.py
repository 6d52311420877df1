"""The "Tangkapan peramban" page through AppTest: roles, the steps, and each import's counts
and line errors with who captured."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from monitor import auth
from monitor.collect import capture_import
from test_dashboard_pages import PASSWORDS, ROOT, as_user, dash, visible_text  # noqa: F401  (fixture)

PAYLOADS = Path(__file__).parent / "payloads" / "captures"


def test_page_shows_steps_and_each_import_with_counts(dash, tmp_path):  # noqa: F811
    body = (PAYLOADS / "tiktok.ndjson").read_bytes() + b"{rusak\n"
    capture_import.import_capture(dash["store"], body, captured_by="analis", source_name="zeeschuimer-tiktok.ndjson")
    at = as_user(dash, "analis", "tangkapan_peramban.py")
    text = visible_text(at)
    assert "Zeeschuimer" in text and "to 4CAT" in text
    table = at.dataframe[0].value
    assert list(table["Ditangkap oleh"]) == ["analis"] and list(table["Baris rusak"]) == [1]
    # 6 well-formed items: 1 ad and 1 deleted skipped, the other 4 stored or dropped as unregistered
    assert int(table["Baru"][0]) + int(table["Dibuang (tidak terdaftar)"][0]) == 4
    assert (int(table["Iklan"][0]), int(table["Terhapus"][0])) == (1, 1)
    assert "bukan JSON" in str(at.dataframe[1].value.to_dict())


def test_page_opened_directly_refuses_auditor(dash):  # noqa: F811
    at = AppTest.from_file(str(ROOT / "pages" / "tangkapan_peramban.py"), default_timeout=60)
    at.session_state["user"] = auth.login(dash["store"], "auditor", PASSWORDS["auditor"])
    at.run()
    assert any("tidak memiliki akses" in e.value for e in at.error)
    assert not at.dataframe and not at.button
