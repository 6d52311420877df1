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


@pytest.fixture(scope="session", autouse=True)
def _models_dir(tmp_path_factory):
    """Models trained during tests go to a temporary folder, shared by the whole session."""
    import os

    folder = tmp_path_factory.mktemp("models")
    previous = os.environ.get("NETRA_MODELS_DIR")
    os.environ["NETRA_MODELS_DIR"] = str(folder)
    yield folder
    if previous is None:
        os.environ.pop("NETRA_MODELS_DIR", None)
    else:
        os.environ["NETRA_MODELS_DIR"] = previous


@pytest.fixture(autouse=True)
def _no_leaked_data_dir(monkeypatch):
    """The CLI points NETRA_DATA_DIR at its database's data folder for the rest of its process
    (monitor.evidence.keys.follow_data_dir); a command run in-process by one test must not move
    the key and media folders of the tests after it."""
    monkeypatch.delenv("NETRA_DATA_DIR", raising=False)
    yield
