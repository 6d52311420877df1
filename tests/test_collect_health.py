"""Collector health does not call an account "ok" when it returned nothing (issue 14)."""

from __future__ import annotations

from typer.testing import CliRunner

from fakeplatforms import BskyAccount, FakePlatforms, populate, register
from monitor import pipeline
from monitor.collect import health


def _collect(db_path, fake):
    from monitor.store import connect

    handles = populate(fake, bsky_accounts=3, masto_accounts=0, x_users=0, posts=5)
    quiet, broken = handles["bluesky"][1], handles["bluesky"][2]
    fake.bsky[quiet] = BskyAccount(fake.bsky[quiet].did, quiet)          # exists, posts nothing
    fake.fail(f"actor={fake.bsky[broken].did}", 500, b"server error", times=50)  # never answers
    with connect(db_path) as store:
        register(store, handles)
        pipeline.run_collection(store, fake.settings(collect_page_size=20, http_max_retries=0), classify=False)
        rows = {r["handle"]: r for r in health.account_health(store)}
    return handles["bluesky"][0], quiet, broken, rows


def test_states_of_accounts_that_returned_nothing(db_path):
    with FakePlatforms() as fake:
        busy, quiet, broken, rows = _collect(db_path, fake)
    assert rows[busy]["health"] == "ok" and rows[busy]["health_label"] == "baik"
    assert rows[quiet]["health"] == "no_items" and rows[quiet]["health_label"] == "tidak ada kiriman 7 hari"
    assert rows[broken]["health"] == "never_succeeded"
    assert rows[broken]["health_label"] == "belum pernah berhasil"
    alerts = health.account_alerts(list(rows.values()))
    assert {a["handle"] for a in alerts} == {quiet, broken}
    assert all("_" not in a["message"].split(":")[-1] for a in alerts)


def test_states_are_table_driven():
    """A new state is one more rule; the first rule that holds wins."""
    row = {"status": "ok", "last_success_at": "2026-12-01T00:00:00Z", "last_error_at": None, "items_7d": 3}
    assert health.health_state(row) == "ok"
    assert health.health_state(row | {"items_7d": 0}) == "no_items"
    assert health.health_state(row | {"last_success_at": None, "items_7d": 0}) == "never_succeeded"
    assert health.health_state(row | {"last_error_at": "2026-12-02T00:00:00Z"}) == "failing"
    assert health.health_state(row | {"status": "private"}) == "private"
    names = [state for state, _rule in health.HEALTH_RULES]
    assert names == [None, "not_captured", "never_succeeded", "failing", "no_items"]
    assert health.health_state(row | {"capture_stale": True}) == "not_captured"  # captured platforms (issue 16)


def test_cli_collect_status_lists_them_as_alerts(db_path, monkeypatch):
    from monitor.cli.main import app

    monkeypatch.setenv("NETRA_CONFIG", str(db_path.parent / "none.toml"))
    monkeypatch.setenv("COLUMNS", "250")
    with FakePlatforms() as fake:
        busy, quiet, broken, _rows = _collect(db_path, fake)
    result = CliRunner().invoke(app, ["--db", str(db_path), "collect", "status"])
    assert result.exit_code == 0, result.output
    alerts = [line for line in result.output.splitlines() if line.startswith("PERINGATAN")]
    assert any(quiet in line and "tidak ada kiriman 7 hari" in line for line in alerts), result.output
    assert any(broken in line and "belum pernah berhasil" in line for line in alerts), result.output
    assert not any(busy in line for line in alerts)
    assert "Tidak ada peringatan" not in result.output
    assert "WIB" in result.output  # times in the office's zone, not UTC ISO
