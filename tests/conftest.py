"""Shared fixtures: a real SQLite file per test, with every migration applied -- and, for the
modules in BOTH_ENGINES, the same tests again on a real PostgreSQL database (issue 20), one
fresh database per test in a throwaway cluster started once per run (tests/pgserver.py)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Iterator

import pytest

from monitor.store import connect

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(Path(__file__).resolve().parent))  # pgserver, the fixture modules


# Test modules whose `store` (and `db_target`) fixtures run on both engines.
BOTH_ENGINES = {
    "test_store", "test_review", "test_cases", "test_case_reopen", "test_evidence", "test_audit_chain",
    "test_audit_anchor", "test_auth_audit", "test_collect_pipeline", "test_registry", "test_escalation",
    "test_notify", "test_claims", "test_elections", "test_flag_levels", "test_transfer_scope",
    "test_reports", "test_pictures", "test_tenancy", "test_workers", "test_migrate_to", "test_retention",
    "test_retention_interactions", "test_subject", "test_audit_truncation", "test_engines", "test_dashboard_pages",
    "test_unit_codes",
}


def pytest_generate_tests(metafunc):
    module = metafunc.module.__name__.rsplit(".", 1)[-1]
    if "engine" in metafunc.fixturenames and module in BOTH_ENGINES:
        metafunc.parametrize("engine", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture
def engine(request) -> str:
    return getattr(request, "param", "sqlite")


@pytest.fixture(scope="session")
def pg_cluster():
    """One PostgreSQL cluster for the whole run, started on first use."""
    from pgserver import Cluster, bindir

    if bindir() is None:
        pytest.skip("PostgreSQL tidak terpasang (make test memasangnya dari paket Debian)")
    cluster = Cluster().start()
    yield cluster
    cluster.stop()


@pytest.fixture
def pg_url(pg_cluster) -> Iterator[str]:
    """A fresh, migrated PostgreSQL database for one test."""
    url = pg_cluster.new_database()
    yield url
    pg_cluster.drop(url)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "netra.db"


@pytest.fixture
def db_target(engine: str, request, tmp_path: Path) -> str:
    """What ``--db`` gets: a SQLite file path, or a PostgreSQL URL on the postgresql run."""
    if engine == "postgresql":
        return request.getfixturevalue("pg_url")
    return str(tmp_path / "netra.db")


@pytest.fixture
def store(engine: str, request, db_path: Path):
    target = request.getfixturevalue("pg_url") if engine == "postgresql" else db_path
    with connect(target) as opened:
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
