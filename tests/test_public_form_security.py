"""The public form and the login behind a proxy, a locked database and the upload limit
(issue 15, items 8 and 9)."""

from __future__ import annotations

import sqlite3
import tomllib

import pytest
from streamlit.testing.v1 import AppTest

from conftest import ROOT
from monitor import web
from monitor.store import connect
from test_dashboard_pages import dash  # noqa: F401 (fixture)

PROXIED = {"trusted_proxy_header": "X-Forwarded-For", "trusted_proxies": "127.0.0.1/32,::1/128"}


def test_the_client_address_comes_from_the_proxy_header_only_when_configured_and_trusted():
    headers = {"X-Forwarded-For": "198.51.100.4, 203.0.113.20"}
    assert web.client_address(peer="127.0.0.1", headers=headers, settings={"trusted_proxy_header": ""}) == "127.0.0.1"
    assert web.client_address(peer="127.0.0.1", headers=headers, settings=PROXIED) == "203.0.113.20"
    # A visitor talking to the server directly cannot choose their bucket with the header.
    assert web.client_address(peer="192.0.2.7", headers=headers, settings=PROXIED) == "192.0.2.7"
    assert web.client_address(peer="127.0.0.1", headers={"X-Forwarded-For": "bukan-alamat"},
                              settings=PROXIED) == "127.0.0.1"


def test_visitors_behind_one_proxy_get_their_own_rate_limit():
    limiter = web.RateLimiter(limit=3, window=3600)
    for visitor in range(10):  # ten visitors, one proxy: each still has their three reports
        address = web.client_address(peer="127.0.0.1", headers={"X-Forwarded-For": f"198.51.100.{visitor}"},
                                     settings=PROXIED)
        assert all(limiter.allow("ip:" + address, now=0) for _ in range(3))
        assert not limiter.allow("ip:" + address, now=0)


def test_a_locked_database_shows_a_friendly_message_with_a_reference_and_no_traceback(dash, caplog):
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    impatient = connect(dash["store"].path, create=False)
    impatient.conn.execute("PRAGMA busy_timeout = 50")  # fail fast instead of waiting 30 s
    at.session_state["_netra_store"] = impatient
    at.run()
    at.switch_page("pages/laporan_masyarakat.py").run()
    locker = sqlite3.connect(dash["store"].path, isolation_level=None)
    locker.execute("BEGIN EXCLUSIVE")
    try:
        at.text_input[0].input("https://x.com/ani_guru/status/77")
        at.button[0].click().run()
    finally:
        locker.execute("ROLLBACK")
        locker.close()
        impatient.close()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert errors and "Nomor rujukan" in errors[0] and "locked" not in errors[0] and "/" not in errors[0].split(":")[0]
    assert any("ref" in r.getMessage() and r.exc_info for r in caplog.records)


def test_the_server_refuses_big_uploads_and_hides_error_details():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] == 5 and config["client"]["showErrorDetails"] == "none"
    # `netra dashboard`/`netra demo` start Streamlit with the same options as flags, whatever the folder.
    from monitor.cli.demo_check import dashboard_command

    command = dashboard_command(8599)
    pairs = dict(zip(command[::2], command[1::2])) | dict(zip(command[1::2], command[2::2]))
    assert pairs["--server.maxUploadSize"] == "5" and pairs["--client.showErrorDetails"] == "none"


def _upload(name: str, size: int):
    """A real Streamlit UploadedFile of ``size`` bytes, as st.file_uploader hands it to a page."""
    from streamlit.proto.Common_pb2 import FileURLs
    from streamlit.runtime.uploaded_file_manager import UploadedFile, UploadedFileRec

    return UploadedFile(UploadedFileRec("id-1", name, "image/png", b"\0" * size), FileURLs())


def test_the_server_refuses_what_the_uploader_says_it_refuses():
    """"Maks. 5 MB per berkas" on the dropzone, 5 MiB on the server, the same limit in the page's check."""
    limit = web.UPLOAD_LIMIT_MB * 1024 * 1024
    assert web.upload_refusal(None) is None
    assert web.upload_refusal(_upload("layar.png", limit)) is None
    refusal = web.upload_refusal(_upload("../../layar.png", limit + 1))
    assert refusal == f"Berkas layar.png terlalu besar: maks. {web.UPLOAD_LIMIT_MB} MB per berkas."
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] == web.UPLOAD_LIMIT_MB
    css = web.uploader_css("report_screenshot", ("png", "jpg"))
    assert f'"Maks. {web.UPLOAD_LIMIT_MB} MB per berkas \\2022  PNG, JPG"' in css and "Pilih berkas" in css


@pytest.mark.parametrize("key,types", [('x"}body{display:none', ("png",)), ("ok", ('png"',)), ("ok", ("png;",))])
def test_the_uploader_style_is_never_built_from_odd_input(key, types):
    with pytest.raises(ValueError):
        web.uploader_css(key, types)
