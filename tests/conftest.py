"""Shared fixtures: a real SQLite file per test, with every migration applied."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from monitor.store import connect

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "netra.db"


@pytest.fixture
def store(db_path: Path):
    with connect(db_path) as opened:
        yield opened


def write_csv(path: Path, header: str, *rows: str) -> Path:
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path
