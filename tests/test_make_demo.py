"""`make demo`, the README's first command, run as typed (issue 14).

The Makefile's demo target with DEMO_CHECK=1 builds the demo database, starts the dashboard,
waits for its health endpoint, loads the login page in headless Chromium, prints the logins and
stops. CI has `.venv` from `make test`, so make's stamp files keep this quick.
"""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from browser_harness import free_port
from conftest import ROOT
from monitor import demo

pytestmark = [
    pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed"),
    pytest.mark.skipif(not (ROOT / ".venv" / "bin" / "netra").exists(), reason="no .venv: run `make test` first"),
    pytest.mark.skipif(not (ROOT / "data" / "demo" / "posts.jsonl").exists(), reason="demo data not present"),
]


def test_make_demo_check_builds_serves_and_stops(tmp_path):
    port = free_port()
    db = tmp_path / "demo.db"
    command = ["make", "--no-print-directory", "demo", "DEMO_CHECK=1", f"DEMO_PORT={port}", f"DEMO_DB={db}"]
    if (ROOT / ".venv").is_symlink():
        # A developer's worktree borrowing a shared virtualenv: never let make reinstall it.
        command[1:1] = ["-o", ".venv/.installed", "-o", ".venv/bin/python"]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600,
                            env={**os.environ, "NO_COLOR": "1", "COLUMNS": "200"})
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "Pemeriksaan demo berhasil" in result.stdout
    assert f"port {port}" in result.stdout
    for user in demo.DEMO_USERS:
        assert user.username in result.stdout and user.password in result.stdout  # the logins are printed
    assert db.exists()
    # The server was stopped: nothing listens on the port any more.
    import socket

    with socket.socket() as sock:
        assert sock.connect_ex(("127.0.0.1", port)) != 0
