"""The SQL side of backups: an online snapshot, integrity checks and the figures a backup records.

The snapshot uses SQLite's online backup API page by page, inside one read transaction held on
the source connection. In WAL mode that transaction pins one snapshot of the database: other
processes (the collector, the dashboard) keep committing, their writes go to the WAL and are
simply not seen, so the copy is consistent and the backup never restarts. Without the held
transaction each step would open its own read transaction, and every write by another process
would restart the copy from page one (on a busy database, forever).
"""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from .db import BUSY_TIMEOUT_MS, Store

# The tables whose row counts a backup records: enough to see at a glance that a restore is whole.
MAIN_TABLES = (
    "units", "employees", "accounts", "posts", "post_versions", "classifications", "flags", "reviews",
    "users", "elections", "candidates", "parties", "campaign_accounts", "interactions", "reports", "claims",
    "cases", "case_flags", "media", "notifications", "audit_log",
)

StepProgress = Callable[[int, int], None]  # (pages copied, pages in total)


def _uri(path: str | Path, mode: str) -> str:
    return Path(path).resolve().as_uri() + f"?mode={mode}"


def snapshot(source: str | Path, target: str | Path, *, pages_per_step: int = 1024,
             progress: StepProgress | None = None) -> int:
    """Copy the database at ``source`` to ``target`` (a new file) as of one moment; return its pages.

    ``mode=rw`` refuses a missing source instead of creating an empty database. The copy is
    switched to the rollback journal so the archived file stands alone (no -wal beside it);
    ``connect`` puts a restored file back in WAL mode.
    """
    src = sqlite3.connect(_uri(source, "rw"), uri=True, isolation_level=None, check_same_thread=False)
    try:
        src.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        dst = sqlite3.connect(str(target), isolation_level=None)
        try:
            src.execute("BEGIN")
            src.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()  # takes the read snapshot now
            total = 0

            def step(_status: int, remaining: int, pages: int) -> None:
                nonlocal total
                total = pages
                if progress is not None:
                    progress(pages - remaining, pages)

            src.backup(dst, pages=max(1, pages_per_step), progress=step)
            src.execute("COMMIT")
            dst.execute("PRAGMA journal_mode = DELETE")
        finally:
            dst.close()
    finally:
        src.close()
    return total


def open_readonly(path: str | Path) -> Store:
    """A read-only Store on a snapshot or an extracted copy: checked without being migrated or changed."""
    conn = sqlite3.connect(_uri(path, "ro"), uri=True, isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    return Store(path=str(path), conn=conn)


def integrity_problems(store: Store) -> list[str]:
    """``PRAGMA integrity_check``'s findings; empty when it says ``ok``."""
    try:
        found = [str(row[0]) for row in store.query("PRAGMA integrity_check")]
    except sqlite3.DatabaseError as exc:  # not a database at all, or damaged beyond reading
        return [str(exc)]
    return [] if found == ["ok"] else found


def schema_version(store: Store) -> int:
    try:
        return store.schema_version()
    except sqlite3.OperationalError:  # no schema_migrations table: not a Netra database
        return 0


def row_counts(store: Store) -> dict[str, int]:
    """Rows in each of ``MAIN_TABLES`` that exists in this database (older schemas lack some)."""
    present = set(store.tables())
    return {name: int(store.one(f"SELECT COUNT(*) FROM {name}")[0])  # names come from MAIN_TABLES only
            for name in MAIN_TABLES if name in present}


@contextmanager
def pg_snapshot(store: Store) -> Iterator[str]:
    """Hold a read-only REPEATABLE READ transaction on PostgreSQL and yield its exported snapshot
    id: what is read through ``store`` inside, and ``pg_dump --snapshot`` with that id, see one
    and the same moment."""
    raw = store.conn.raw
    raw.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
    try:
        yield str(raw.execute("SELECT pg_export_snapshot()").fetchone()[0])
    finally:
        raw.execute("COMMIT")


def open_unmigrated(url: str) -> Store:
    """A Store on a PostgreSQL database that is not migrated on opening (a restore's target)."""
    from .pg import PgConnection

    return Store(path=url, conn=PgConnection(url))  # type: ignore[arg-type]

