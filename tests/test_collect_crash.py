"""Crash safety: kill -9 the collector mid-run, twice, restart; the stored set must equal an
uninterrupted run's (no loss, no duplicates, no spurious edit versions)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fakeplatforms import FakePlatforms, populate, register
from monitor import pipeline
from monitor.store import connect

ROOT = Path(__file__).resolve().parent.parent
PAGE = 10
FEEDS = ("getAuthorFeed", "/statuses", "/tweets")


def snapshot(db: Path) -> tuple[list, dict]:
    with connect(db) as store:
        posts = sorted(tuple(r) for r in store.query(
            """SELECT p.platform, p.post_id, p.kind, p.text_sha256, p.raw_sha256, p.version, a.handle
               FROM posts p JOIN accounts a ON a.id = p.account_id"""))
        cursors = {r["handle"]: r["cursor"] for r in store.query("SELECT handle, cursor FROM accounts")}
        versions = store.one("SELECT COUNT(*) FROM post_versions")[0]
    return posts + [("versions", versions)], cursors


def count_posts(db: Path) -> int:
    with connect(db) as store:
        return int(store.one("SELECT COUNT(*) FROM posts")[0])


def test_kill_minus_nine_mid_run_loses_and_duplicates_nothing(tmp_path: Path):
    with FakePlatforms() as fake:
        handles = populate(fake, bsky_accounts=3, masto_accounts=3, x_users=3, posts=120)
        total = sum(len(v) for v in handles.values()) * 120
        settings = fake.settings(collect_page_size=PAGE, recheck_posts=0, campaign_recent_posts=5)

        reference = tmp_path / "reference.db"
        with connect(reference) as store:
            register(store, handles)
            pipeline.run_collection(store, settings, classify=False)
        expected, expected_cursors = snapshot(reference)
        assert count_posts(reference) == total

        crashed = tmp_path / "crashed.db"
        with connect(crashed) as store:
            register(store, handles)
        env = {**os.environ, "NETRA_BLUESKY_BASE_URL": fake.url, "NETRA_MASTODON_BASE_URL": fake.url,
               "NETRA_X_BASE_URL": fake.url, "NETRA_X_BEARER_TOKEN": fake.x_token,
               "NETRA_COLLECT_PAGE_SIZE": str(PAGE), "NETRA_RECHECK_POSTS": "0", "NETRA_CONFIG": str(tmp_path / "none.toml"),
               "PYTHONPATH": str(ROOT)}
        command = [sys.executable, "-m", "monitor.cli.main", "--db", str(crashed), "collect", "--once", "--no-classify"]
        fake.hits.clear()
        fake.delay = 0.01  # slow each answer a little so the kill lands mid-run
        kills = 0
        for stop_after in (30, 70):  # feed pages served (both runs together) before each kill -9
            proc = subprocess.Popen(command, env=env, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            deadline = time.monotonic() + 120
            while sum(fake.hits_for(f) for f in FEEDS) < stop_after and proc.poll() is None:
                assert time.monotonic() < deadline, "collector made no progress"
                time.sleep(0.005)
            if proc.poll() is None:
                proc.kill()  # SIGKILL: no cleanup, no finally blocks
                kills += 1
            proc.wait()
            proc.stderr.close()
            stored = count_posts(crashed)
            assert 0 < stored < total, f"kill did not land mid-run ({stored}/{total})"
        assert kills == 2

        fake.delay = 0.0
        done = subprocess.run(command, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        got, got_cursors = snapshot(crashed)
        assert got == expected
        assert got_cursors == expected_cursors
        assert count_posts(crashed) == total
