"""A PostgreSQL connection that behaves like the ``sqlite3`` one the store modules use.

Store code calls ``conn.execute(sql, params)`` and reads ``fetchone``/``fetchall``,
``lastrowid``, ``rowcount`` and rows by position or by name. :class:`PgConnection` gives psycopg 3
that surface, rewriting each statement through :func:`monitor.store.dialect.to_postgres`, so a
query is written once. Errors come back as subclasses of ``sqlite3``'s exception classes (with
the PostgreSQL error as ``__cause__``), so ``except sqlite3.IntegrityError`` means the same on
both engines.

Client-side parameter binding (``psycopg.ClientCursor``): values are quoted by libpq into the
statement, so PostgreSQL infers their types from context as SQLite does (``? IS NULL``,
``COALESCE(?, col)``), which server-side binding refuses.
"""

from __future__ import annotations

import sqlite3
from typing import Any, Iterable, Iterator, Sequence

from .dialect import to_postgres


class IntegrityError(sqlite3.IntegrityError):
    """A PostgreSQL constraint or append-only rule refused the statement."""


class OperationalError(sqlite3.OperationalError):
    """PostgreSQL could not run the statement (connection, lock, missing table, syntax)."""


class DataError(sqlite3.DataError):
    """A value PostgreSQL could not store or compare."""


class DatabaseError(sqlite3.DatabaseError):
    """Any other PostgreSQL error."""


class Row(tuple):
    """A row readable as ``row[0]``, ``row["name"]``, ``dict(row)`` and ``row.keys()``, like
    ``sqlite3.Row``."""

    _names: tuple[str, ...] = ()
    _index: dict[str, int] = {}

    def __getitem__(self, key):  # type: ignore[override]
        if isinstance(key, str):
            try:
                return tuple.__getitem__(self, self._index[key])
            except KeyError:
                lowered = {k.lower(): i for k, i in self._index.items()}
                if key.lower() in lowered:
                    return tuple.__getitem__(self, lowered[key.lower()])
                raise IndexError(f"No item with that key: {key}") from None
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._names)


def _row_class(names: tuple[str, ...]) -> type[Row]:
    return type("Row", (Row,), {"_names": names, "_index": {n: i for i, n in enumerate(names)}})


def _wrap(exc: Exception) -> Exception:
    import psycopg

    message = str(exc).strip()
    if isinstance(exc, psycopg.errors.IntegrityError):
        return IntegrityError(message)
    if isinstance(exc, psycopg.errors.DataError):
        return DataError(message)
    if isinstance(exc, (psycopg.errors.OperationalError, psycopg.errors.ProgrammingError,
                        psycopg.errors.InternalError)):
        return OperationalError(message)
    return DatabaseError(message)


def _param(value: Any) -> Any:
    """SQLite stores booleans as 0/1 in INTEGER columns; PostgreSQL would refuse a boolean there."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, memoryview):
        return bytes(value)
    return value


def _params(params: Sequence | dict | None) -> Sequence | dict:
    if params is None:
        return ()
    if isinstance(params, dict):
        return {k: _param(v) for k, v in params.items()}
    return tuple(_param(v) for v in params)


def _register_loaders(conn) -> None:
    """``numeric`` (what SUM of a count returns) as int or float, as SQLite gives: a Decimal
    would reach pandas, charts and JSON exports as an object column."""
    from psycopg.adapt import Loader

    class NumberLoader(Loader):
        def load(self, data):
            text = bytes(data).decode()
            if text in ("NaN", "Infinity", "-Infinity"):
                return float(text)
            return float(text) if ("." in text or "e" in text.lower()) else int(text)

    conn.adapters.register_loader("numeric", NumberLoader)


class PgCursor:
    """The result of one statement, read like a ``sqlite3.Cursor``."""

    def __init__(self, cursor, *, lastrowid: int | None = None, rows: list | None = None) -> None:
        self._cursor = cursor
        self.lastrowid = lastrowid
        self.rowcount = cursor.rowcount if cursor is not None else -1
        self._rows = rows
        self._names = tuple(c.name for c in cursor.description) if cursor is not None and cursor.description else ()
        self._cls = _row_class(self._names)

    @property
    def description(self):
        return tuple((n, None, None, None, None, None, None) for n in self._names) or None

    def _make(self, raw) -> Row | None:
        return None if raw is None else self._cls(raw)

    def fetchone(self) -> Row | None:
        if self._rows is not None:
            return self._make(self._rows.pop(0)) if self._rows else None
        if not self._names:
            return None
        return self._make(self._cursor.fetchone())

    def fetchall(self) -> list[Row]:
        if self._rows is not None:
            rows, self._rows = self._rows, []
            return [self._cls(r) for r in rows]
        if not self._names:
            return []
        return [self._cls(r) for r in self._cursor.fetchall()]

    def fetchmany(self, size: int = 1) -> list[Row]:
        if self._rows is not None:
            rows, self._rows = self._rows[:size], self._rows[size:]
            return [self._cls(r) for r in rows]
        return [self._cls(r) for r in self._cursor.fetchmany(size)] if self._names else []

    def close(self) -> None:
        if self._cursor is not None:
            self._cursor.close()

    def __iter__(self) -> Iterator[Row]:
        while (row := self.fetchone()) is not None:
            yield row


class PgConnection:
    """psycopg 3 behind the slice of the ``sqlite3.Connection`` API that the store uses."""

    def __init__(self, url: str) -> None:
        import psycopg

        try:
            self.raw = psycopg.connect(url, autocommit=True, cursor_factory=psycopg.ClientCursor)
        except psycopg.Error as exc:
            raise OperationalError(f"Tidak dapat terhubung ke PostgreSQL: {exc}".strip()) from exc
        _register_loaders(self.raw)
        # Netra's queries are short lookups: JIT compiling them costs more than running them
        # (110 ms of a 111 ms queue page), and on SSDs an index lookup costs about a page read,
        # so the national summaries look flags' posts up instead of scanning every post.
        self.raw.execute("SET jit = off")
        self.raw.execute("SET random_page_cost = 1.1")
        self.url = url
        self._id_tables: set[str] | None = None

    # -- what sqlite3.Connection offers -------------------------------------------------------

    @property
    def in_transaction(self) -> bool:
        import psycopg

        return self.raw.info.transaction_status != psycopg.pq.TransactionStatus.IDLE

    def _tables_with_id(self) -> set[str]:
        if self._id_tables is None:
            with self.raw.cursor() as cur:
                cur.execute("SELECT table_name FROM information_schema.columns WHERE column_name = 'id'"
                            " AND table_schema = current_schema() AND is_identity = 'YES'")
                self._id_tables = {r[0] for r in cur.fetchall()}
        return self._id_tables

    def forget_schema(self) -> None:
        """After DDL: which tables have identity ids is read again on the next INSERT."""
        self._id_tables = None

    def execute(self, sql: str, params: Sequence | dict | None = ()) -> PgCursor:
        import psycopg

        translated = to_postgres(sql)
        text = translated.sql
        wants_id = (translated.insert_table is not None and not translated.has_returning
                    and translated.insert_table in self._tables_with_id())
        if wants_id:
            text = text.rstrip().rstrip(";") + " RETURNING id"
        cur = self.raw.cursor()
        try:
            cur.execute(text, _params(params))
        except psycopg.Error as exc:
            raise _wrap(exc) from exc
        if wants_id:
            rows = cur.fetchall()
            return PgCursor(cur, lastrowid=int(rows[-1][0]) if rows else None, rows=[])
        return PgCursor(cur)

    def executemany(self, sql: str, seq: Iterable[Sequence | dict]) -> PgCursor:
        import psycopg

        text = to_postgres(sql).sql
        cur = self.raw.cursor()
        try:
            cur.executemany(text, [_params(p) for p in seq])
        except psycopg.Error as exc:
            raise _wrap(exc) from exc
        return PgCursor(cur)

    def insert_returning_ids(self, sql: str, seq: Sequence[Sequence]) -> list[int | None]:
        """Run one INSERT per row and return the new ids in order (what SQLite gets from
        consecutive rowids under its write lock); None for a row an ``ON CONFLICT DO NOTHING``
        skipped."""
        import psycopg

        text = to_postgres(sql).sql.rstrip().rstrip(";") + " RETURNING id"
        cur = self.raw.cursor()
        ids: list[int | None] = []
        try:
            cur.executemany(text, [_params(p) for p in seq], returning=True)
            while True:
                row = cur.fetchone()
                ids.append(int(row[0]) if row is not None else None)
                if not cur.nextset():
                    break
        except psycopg.Error as exc:
            raise _wrap(exc) from exc
        return ids

    def commit(self) -> None:
        if self.in_transaction:
            self.execute("COMMIT")

    def rollback(self) -> None:
        if self.in_transaction:
            self.execute("ROLLBACK")

    def close(self) -> None:
        self.raw.close()

    def __del__(self) -> None:
        # sqlite3 closes a forgotten connection silently; psycopg warns. Match sqlite3.
        raw = getattr(self, "raw", None)
        if raw is not None and not raw.closed:
            raw.close()
