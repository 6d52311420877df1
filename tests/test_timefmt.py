"""Times for people in the office's zone, from the UTC the database stores (issue 14)."""

from __future__ import annotations

from datetime import datetime, timezone

import pandas as pd
import pytest

from monitor import config, timefmt


def test_stored_utc_reads_as_office_time():
    assert timefmt.format_local("2026-12-02T05:39:36.517240Z", {"office_tz": "WIB"}) == "02-12-2026 12:39 WIB"
    assert timefmt.format_local("2026-12-02T05:39:36Z", {"office_tz": "WITA"}) == "02-12-2026 13:39 WITA"
    assert timefmt.format_local("2026-12-02T20:00:00+00:00", {"office_tz": "WIT"}) == "03-12-2026 05:00 WIT"
    assert timefmt.format_local(datetime(2026, 1, 1, tzinfo=timezone.utc), {"office_tz": "Asia/Makassar"}) \
        == "01-01-2026 08:00 WITA"
    assert timefmt.format_local("2026-12-02T05:39:36Z", {"office_tz": "WIB"}, seconds=True) == "02-12-2026 12:39:36 WIB"


def test_empty_bare_dates_and_text_are_kept_readable():
    settings = {"office_tz": "WIB"}
    assert timefmt.format_local(None, settings) == "–" and timefmt.format_local("", settings) == "–"
    assert timefmt.format_local("2026-12-02", settings) == "02-12-2026"
    assert timefmt.format_local("kemarin sore", settings) == "kemarin sore"


def test_office_tz_is_a_declared_setting_with_a_clear_error():
    assert config.load({}, environ={})["office_tz"] == "WIB"
    assert config.load({}, environ={"NETRA_OFFICE_TZ": "WITA"})["office_tz"] == "WITA"
    with pytest.raises(ValueError, match="zona waktu kantor"):
        timefmt.zone_of("Mars/Olympus")


def test_localize_columns_for_dashboard_tables():
    frame = pd.DataFrame({"Waktu": ["2026-12-02T05:39:36Z", None], "Teks": ["a", "b"]})
    shown = timefmt.localize_columns(frame, ["Waktu"], {"office_tz": "WIB"})
    assert list(shown["Waktu"]) == ["02-12-2026 12:39 WIB", "–"]
    assert list(frame["Waktu"])[0] == "2026-12-02T05:39:36Z"  # the input is not changed
    rows = timefmt.localize_columns([{"Waktu": "2026-12-02T05:39:36Z", "Teks": "a"}], ["Waktu"], {"office_tz": "WIT"})
    assert rows == [{"Waktu": "02-12-2026 14:39 WIT", "Teks": "a"}]
