"""The SQL side of moving an office's SQLite database into PostgreSQL (issue 20, "moving up").

Rows are copied table by table in foreign-key order (a table after every table it references),
each table streamed from a SQLite cursor into PostgreSQL's ``COPY ... FROM STDIN`` in batches, so
memory stays bounded whatever the size. Ids are kept as they are: evidence bundles, audit
entries and case files name rows by id, and those names must still resolve after the move.

The append-only rules of ``audit_log``/``audit_head`` stay on throughout. ``audit_log`` is
copied in id order, so PostgreSQL's ``audit_head_follow`` trigger moves the head forward one
entry at a time exactly as it did on SQLite, and the head on arrival is the trigger's work, not
a value written past the rules. ``audit_head`` itself is therefore never copied.

A self-referencing column (``units.parent_id``) is copied as NULL first and filled in after the
table's rows are in, so a parent with a larger id than its child (a unit moved under a newer
one) does not break the foreign key.

Identity sequences are moved past the copied ids at the end (``setval``), so the next row
PostgreSQL inserts gets a fresh id instead of colliding with a copied one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterator

from .db import Store

#: Tables the copy never writes: the schema's own bookkeeping (both sides are migrated to the
#: same version first) and the chain head, which the trigger moves on the target.
NOT_COPIED = frozenset({"schema_migrations", "audit_head"})
#: Tables in which the migrations themselves create rows (search_state's settings row, 0019's
#: default instansi): a fresh target already holds those, so they are upserted by id, not
#: inserted, and do not make a target count as "holding other data".
SEEDED = frozenset({"search_state", "instansi"})

RowProgress = Callable[[str, int, int], None]  # (table, rows copied, rows in the table)


@dataclass(frozen=True)
class TablePlan:
    """One table to copy: its columns (as on the source) and its self-referencing columns."""

    name: str
    columns: tuple[str, ...]
    self_refs: tuple[str, ...]


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def plan(source: Store) -> list[TablePlan]:
    """Every copied table of ``source``, in an order where each comes after what it references.

    Ties are broken by name so two runs copy in the same order.
    """
    names = [t for t in source.tables() if t not in NOT_COPIED]
    refs = {t: {r["ref"] for r in source.query(source.dialect.foreign_keys_sql(t))} for t in names}
    self_refs = {t: tuple(sorted(r["col"] for r in source.query(source.dialect.foreign_keys_sql(t))
                                 if r["ref"] == t)) for t in names}
    ordered: list[str] = []
    pending = set(names)
    while pending:
        ready = sorted(t for t in pending if not (refs[t] - {t}) & pending)
        if not ready:  # a cycle between tables: the schema has none today; refuse rather than guess
            raise ValueError(f"foreign keys form a cycle among {sorted(pending)}")
        ordered += ready
        pending -= set(ready)
    return [TablePlan(t, tuple(source.columns(t)), self_refs[t]) for t in ordered]


def row_counts(store: Store, tables: list[str]) -> dict[str, int]:
    """Rows in each named table (names come from :func:`plan`, i.e. from the schema)."""
    return {t: int(store.one(f"SELECT COUNT(*) FROM {_quote(t)}")[0]) for t in tables}


def seeded_rows(store: Store, table: str) -> list[dict]:
    return [dict(r) for r in store.query(f"SELECT * FROM {_quote(table)} ORDER BY 1")]


def schema_versions(store: Store) -> list[int]:
    return [int(r[0]) for r in store.query("SELECT version FROM schema_migrations ORDER BY version")]


def begin_snapshot(source: Store) -> None:
    """Hold one read transaction on the SQLite source: every later read sees the same moment,
    while the collector and dashboard keep committing (WAL)."""
    source.conn.execute("BEGIN")
    source.conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()  # takes the snapshot now


def end_snapshot(source: Store) -> None:
    if source.conn.in_transaction:
        source.conn.execute("COMMIT")


def _source_rows(source: Store, table: TablePlan, batch: int) -> Iterator[list[tuple]]:
    order = " ORDER BY id" if "id" in table.columns else ""  # audit_log must go in id order
    cursor = source.conn.execute(
        f"SELECT {', '.join(_quote(c) for c in table.columns)} FROM {_quote(table.name)}{order}")
    try:
        while chunk := cursor.fetchmany(batch):
            yield [tuple(r) for r in chunk]
    finally:
        cursor.close()


def copy_table(source: Store, raw, table: TablePlan, *, total: int, batch: int = 5000,
               progress: RowProgress | None = None) -> int:
    """Stream ``table`` from ``source`` into the PostgreSQL connection ``raw`` (psycopg, inside
    the caller's transaction); returns the rows copied."""
    if table.name in SEEDED:
        return _update_seeded(source, raw, table)
    blank = [i for i, c in enumerate(table.columns) if c in table.self_refs]
    later: list[tuple] = []
    copied = 0
    statement = (f"COPY {_quote(table.name)} ({', '.join(_quote(c) for c in table.columns)}) FROM STDIN")
    with raw.cursor() as cur, cur.copy(statement) as copy:
        for chunk in _source_rows(source, table, batch):
            for row in chunk:
                if blank:
                    values = [row[i] for i in blank]
                    if any(v is not None for v in values):
                        later.append((*values, row[table.columns.index("id")]))
                    row = tuple(None if i in blank else v for i, v in enumerate(row))
                copy.write_row(_text_safe(row))
            copied += len(chunk)
            if progress is not None:
                progress(table.name, copied, total)
    if later:
        sets = ", ".join(f"{_quote(c)} = %s" for c in table.self_refs)
        with raw.cursor() as cur:
            for start in range(0, len(later), batch):
                cur.executemany(f"UPDATE {_quote(table.name)} SET {sets} WHERE id = %s", later[start:start + batch])
    return copied


def _text_safe(row: tuple) -> tuple:
    """SQLite hands back BLOB as bytes and may keep bytes in any column; COPY writes them as
    bytea text, which PostgreSQL reads back as the same bytes."""
    return tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)


def _update_seeded(source: Store, raw, table: TablePlan) -> int:
    rows = seeded_rows(source, table.name)
    columns = list(table.columns)
    others = [c for c in columns if c != "id"]
    names = ", ".join(_quote(c) for c in columns)
    updates = ", ".join(f"{_quote(c)} = EXCLUDED.{_quote(c)}" for c in others)
    with raw.cursor() as cur:
        for row in rows:
            cur.execute(f"INSERT INTO {_quote(table.name)} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"
                        f" ON CONFLICT (id) DO UPDATE SET {updates}", [row[c] for c in columns])
    return len(rows)


def reset_sequences(raw, tables: list[str]) -> dict[str, int]:
    """Move each identity sequence past the largest copied id; returns table -> next id."""
    with raw.cursor() as cur:
        cur.execute("SELECT table_name FROM information_schema.columns WHERE column_name = 'id'"
                    " AND table_schema = current_schema() AND is_identity = 'YES'")
        identity = {r[0] for r in cur.fetchall()} & set(tables)
        moved: dict[str, int] = {}
        for table in sorted(identity):
            cur.execute(f"SELECT MAX(id) FROM {_quote(table)}")
            top = cur.fetchone()[0]
            if top is None:
                continue
            cur.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s, true)", (table, int(top)))
            moved[table] = int(top) + 1
    return moved

