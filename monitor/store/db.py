"""Opening the database: pragmas, forward migrations and write transactions.

A ``postgresql://`` URL opens PostgreSQL instead (issue 20): the same store functions run on
it through :mod:`monitor.store.pg`, and its schema comes from ``migrations_pg``.

Every SQLite connection turns foreign keys on (SQLite leaves them off per connection), uses WAL so
readers never block the writer, and waits on a busy database instead of failing. Writes start
with ``BEGIN IMMEDIATE``: a deferred transaction that reads and then writes fails at once with
"database is locked" under concurrency, whatever the busy timeout.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path
from typing import Iterator

from ..redact import redact
from .dialect import POSTGRES, SQLITE, Dialect

BUSY_TIMEOUT_MS = 30_000


class StoreError(RuntimeError):
    """A database that cannot be opened or migrated."""


def utcnow() -> str:
    """Current UTC time as the ISO 8601 text every table stores."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def is_postgres_url(target: str | Path) -> bool:
    """Whether ``--db``/``NETRA_DB`` names a PostgreSQL server rather than a SQLite file."""
    return str(target).startswith(("postgresql://", "postgres://"))


#: Migration numbers a branch has reserved and not merged yet: such a number may be absent
#: without breaking the no-gaps check, and :func:`migrate` applies every migration whose number
#: is not recorded, so a database migrated before the file arrived still gets it. Empty on main.
RESERVED_VERSIONS: frozenset[int] = frozenset()


def _check_numbers(versions: list[int], first: int) -> bool:
    """Numbers run ``first``, ``first + 1``, ... with gaps only at reserved numbers."""
    expected = [v for v in range(first, (versions[-1] if versions else first - 1) + 1)
                if v in versions or v not in RESERVED_VERSIONS]
    return versions == expected


def migrations(engine: str = "sqlite") -> list[Migration]:
    """The numbered migrations shipped in ``monitor/store/migrations``, in order.

    On PostgreSQL (``migrations_pg``) the first file is a baseline named for the last SQLite
    version it covers (``0018_baseline.sql``); every later number must exist for both engines.
    """
    if engine == "postgresql":
        return _pg_migrations()
    found = _read_migrations("monitor.store.migrations")
    if not _check_numbers([m.version for m in found], 1):
        raise StoreError("Migration numbers must run 1, 2, 3, ... without gaps.")
    return found


def latest_version() -> int:
    """The schema version this Netra brings (the highest migration number)."""
    return migrations()[-1].version


def _read_migrations(package: str) -> list[Migration]:
    """The ``NNNN_name.sql`` files of one migrations package, by number."""
    found = []
    for entry in resources.files(package).iterdir():
        if entry.name.endswith(".sql"):
            number, _, rest = entry.name.partition("_")
            found.append(Migration(int(number), rest.removesuffix(".sql"), entry.read_text("utf-8")))
    return sorted(found, key=lambda m: m.version)


def _pg_migrations() -> list[Migration]:
    found = _read_migrations("monitor.store.migrations_pg")
    if not found or found[0].name != "baseline":
        raise StoreError("PostgreSQL migrations must start with a baseline file.")
    if not _check_numbers([m.version for m in found], found[0].version) or found[-1].version != latest_version():
        raise StoreError("PostgreSQL migrations must follow the baseline without gaps and end at "
                         "the same version as SQLite's.")
    return found


@dataclass
class Store:
    """An open Netra database. Create with :func:`connect`."""

    path: str
    conn: sqlite3.Connection  # or monitor.store.pg.PgConnection, which answers the same calls

    @property
    def engine(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self.dialect.name

    @property
    def dialect(self) -> Dialect:
        return POSTGRES if is_postgres_url(self.path) else SQLITE

    @cached_property
    def db(self):
        """sqlite-utils view of the same connection (introspection, ad-hoc tables).

        Imported on first use: it costs more than half a second of every CLI start.
        """
        import sqlite_utils

        if self.engine != "sqlite":
            raise StoreError("sqlite-utils only reads SQLite databases.")
        return sqlite_utils.Database(self.conn)

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """A write transaction, taken with BEGIN IMMEDIATE; rolls back on any error."""
        if self.conn.in_transaction:
            # Nested use joins the outer transaction, which commits or rolls back as a whole.
            yield self.conn
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
            self.conn.execute("COMMIT")
        except BaseException:
            # SQLite rolls back by itself on some errors (SQLITE_FULL, SQLITE_IOERR): a second
            # ROLLBACK would raise "no transaction is active" and hide the real error.
            if self.conn.in_transaction:
                try:
                    self.conn.execute("ROLLBACK")
                except sqlite3.Error:
                    pass
            raise

    def query(self, sql: str, params: tuple | dict = ()) -> list[sqlite3.Row]:
        return self.conn.execute(sql, params).fetchall()

    def one(self, sql: str, params: tuple | dict = ()) -> sqlite3.Row | None:
        return self.conn.execute(sql, params).fetchone()

    def tables(self) -> list[str]:
        """The ordinary tables, sorted (no search-index internals), on either engine."""
        return [r[0] for r in self.query(self.dialect.tables_sql())]

    def columns(self, table: str) -> list[str]:
        """Column names of ``table`` in order."""
        return [r[0] for r in self.query(self.dialect.columns_sql(table))]

    def schema_version(self) -> int:
        row = self.one("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")
        return int(row[0]) if row else 0

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _configure(conn: sqlite3.Connection) -> None:
    conn.row_factory = sqlite3.Row
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if mode.lower() != "wal" and conn.execute("PRAGMA database_list").fetchone()[2]:
        raise StoreError(f"Could not switch the database to WAL mode (got {mode}).")
    conn.execute("PRAGMA synchronous = NORMAL")  # safe with WAL; a crash loses no committed data
    # Migrations and stores can mask credentials in SQL (see monitor.redact).
    conn.create_function("netra_redact", 1, redact, deterministic=True)


def _statements(script: str) -> Iterator[str]:
    """Split a migration script into statements (trigger bodies keep their semicolons).

    ``executescript`` would commit implicitly, so a failing migration could leave a
    half-applied schema; running statements one by one keeps each migration atomic.
    """
    buffer = ""
    for line in script.splitlines(keepends=True):
        if not buffer and (not line.strip() or line.lstrip().startswith("--")):
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            yield buffer.strip()
            buffer = ""
    if buffer.strip():
        raise StoreError(f"Unfinished SQL statement in migration: {buffer[:80]!r}")


def _migrate_pg(store: Store, target: int | None) -> list[int]:
    """PostgreSQL: the baseline in one transaction (DDL is transactional there), then each
    later migration in its own; an advisory lock keeps two starting processes apart."""
    raw = store.conn.raw
    applied: list[int] = []
    with raw.transaction():
        raw.execute("SELECT pg_advisory_xact_lock(20200)")
        raw.execute("CREATE TABLE IF NOT EXISTS schema_migrations ("
                    " version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)")
        current = raw.execute("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").fetchone()[0]
        done = {r[0] for r in raw.execute("SELECT version FROM schema_migrations").fetchall()}
        known = migrations("postgresql")
        if current > known[-1].version:
            raise StoreError(
                f"Database schema version {current} is newer than this Netra ({known[-1].version}). "
                "Upgrade Netra before opening this database.")
        for migration in known:
            if migration.version in done or (target is not None and migration.version > target):
                continue
            raw.execute(migration.sql)
            covered = range(1, migration.version + 1) if migration.name == "baseline" else [migration.version]
            names = {m.version: m.name for m in migrations()}
            for version in covered:
                raw.execute("INSERT INTO schema_migrations VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",
                            (version, names.get(version, migration.name), utcnow()))
            applied.extend(covered)
    store.conn.forget_schema()
    return applied


def migrate(store: Store, *, target: int | None = None) -> list[int]:
    """Apply pending migrations up to ``target`` (default: all). Returns the versions applied."""
    if store.engine == "postgresql":
        return _migrate_pg(store, target)
    store.conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    known = migrations()
    current = store.schema_version()
    if current > known[-1].version:
        raise StoreError(
            f"Database schema version {current} is newer than this Netra ({known[-1].version}). "
            "Upgrade Netra before opening this file."
        )
    applied = []
    done = _applied(store)
    for migration in known:
        if migration.version in done or (target is not None and migration.version > target):
            continue
        if _apply_sqlite(store, migration):
            applied.append(migration.version)
    return applied


#: A SQLite migration that rebuilds a table carries this line. SQLite cannot drop a column's
#: constraint, so such a migration creates the new table, copies the rows (ids unchanged), drops
#: the old one and renames the new one into its place. With foreign keys on, that DROP would
#: first delete every row and fail on the rows referencing them; and the pragma is a no-op inside
#: a transaction. So, as SQLite's own procedure says, the migration runs with foreign keys off,
#: and ``PRAGMA foreign_key_check`` must find nothing before it commits.
REBUILDS_TABLES = "-- netra: rebuilds tables"


def _apply_sqlite(store: Store, migration: Migration) -> bool:
    """Run one migration in its own write transaction; False if another process got there first."""
    rebuild = any(line.strip() == REBUILDS_TABLES for line in migration.sql.splitlines())
    if rebuild:
        store.conn.execute("PRAGMA foreign_keys = OFF")
    try:
        with store.write() as conn:
            # Another process may have migrated while we waited for the write lock.
            if migration.version in _applied(store):
                return False
            for statement in _statements(migration.sql):
                conn.execute(statement)
            if rebuild and conn.execute("PRAGMA foreign_key_check").fetchone() is not None:
                raise StoreError(f"Migration {migration.version} ({migration.name}) would break a foreign key.")
            conn.execute(
                "INSERT INTO schema_migrations VALUES (?, ?, ?)",
                (migration.version, migration.name, utcnow()),
            )
    finally:
        if rebuild:
            store.conn.execute("PRAGMA foreign_keys = ON")
    return True


def _applied(store: Store) -> set[int]:
    return {int(r[0]) for r in store.query("SELECT version FROM schema_migrations")}


def _create_private(path: Path) -> None:
    """Create a new database file 0600 (it holds personal data); SQLite gives its -wal and -shm
    files the same mode. An existing file is left as it is."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass


def connect(path: str | Path, *, migrate_to: int | None = None, create: bool = True) -> Store:
    """Open (and by default create and migrate) the database at ``path``: a SQLite file, or a
    ``postgresql://`` URL (the database must exist; its tables are created on first use)."""
    path = str(path)
    if is_postgres_url(path):
        from .pg import PgConnection

        try:
            pg = PgConnection(path)
        except sqlite3.Error as exc:
            raise StoreError(str(exc)) from exc
        store = Store(path=path, conn=pg)  # type: ignore[arg-type]
        try:
            migrate(store, target=migrate_to)
        except BaseException:
            pg.close()
            raise
        return store
    if not create and path != ":memory:" and not Path(path).exists():
        raise StoreError(f"Basis data {path} belum ada; jalankan `netra init` dahulu.")
    if path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        _create_private(Path(path))
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    try:
        _configure(conn)
        store = Store(path=path, conn=conn)
        migrate(store, target=migrate_to)
    except BaseException:
        conn.close()
        raise
    return store


@dataclass(frozen=True)
class EngineInfo:
    """Which engine ``--db`` names and, for PostgreSQL, the server's version (``netra config``)."""

    engine: str                      # "sqlite" or "postgresql"
    server_version: str | None = None
    error: str | None = None         # why the server could not be asked (redacted)


def engine_info(target: str | Path) -> EngineInfo:
    """Describe ``target`` without creating or migrating anything: showing the configuration must
    never change a database."""
    if not is_postgres_url(target):
        return EngineInfo("sqlite", sqlite3.sqlite_version)
    from .pg import PgConnection

    try:
        conn = PgConnection(str(target))
    except sqlite3.Error as exc:
        return EngineInfo("postgresql", None, redact(str(exc)))
    try:
        return EngineInfo("postgresql", str(conn.execute("SHOW server_version").fetchone()[0]))
    finally:
        conn.close()
