"""The one place where SQLite and PostgreSQL differ (issue 20).

Store modules write one SQL text, in the SQLite spelling they always had: ``?`` and ``:name``
placeholders, ``INSERT OR IGNORE``, ``GROUP_CONCAT``, two-argument ``MAX``/``MIN``, ``SUM`` of a
comparison, case-insensitive ``LIKE``. :func:`to_postgres` rewrites such a statement for
PostgreSQL, once per distinct text (cached). What cannot be rewritten word for word -- full-text
search, week arithmetic, catalogue queries -- is a method of :class:`Dialect`, which every
:class:`~monitor.store.db.Store` carries as ``store.dialect``.

Why a small translator rather than SQLAlchemy Core: the ~400 queries are plain, reviewed SQL that
already runs on SQLite; rewriting each into an expression tree would touch every line and hide
the SQL a reviewer reads, while the differences that matter here are a dozen spellings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_FUNCS = re.compile(r"\b(GROUP_CONCAT|MAX|MIN|SUM)\s*\(", re.IGNORECASE)
_INSERT_OR_IGNORE = re.compile(r"^\s*INSERT\s+OR\s+IGNORE\s+INTO\b", re.IGNORECASE)
_INSERT_INTO = re.compile(r"^\s*INSERT\s+INTO\s+([A-Za-z_][A-Za-z0-9_]*)", re.IGNORECASE)
_RETURNING = re.compile(r"\bRETURNING\b", re.IGNORECASE)
# INTEGER 0/1 columns that SQLite reads as truth values ("WHERE a.active"); PostgreSQL wants
# a boolean there.
_TRUTH = re.compile(r"\b(WHERE|AND|OR|NOT|WHEN|ON)(\s+\(?\s*)((?:\w+\.)?active)\b(?!\s*(?:=|<>|!=|<|>|IS\b|IN\b))",
                    re.IGNORECASE)
_COMPARISON = re.compile(r"(<>|!=|<=|>=|=|<|>|\bIN\s*\(|\bIS\b|\bLIKE\b|\bBETWEEN\b)", re.IGNORECASE)


@dataclass(frozen=True)
class Translated:
    """A statement for PostgreSQL and the table an INSERT writes to (for ``lastrowid``)."""

    sql: str
    insert_table: str | None
    has_returning: bool


def _placeholders(sql: str) -> str:
    """``?`` -> ``%s``, ``:name`` -> ``%(name)s``, ``%`` -> ``%%``; quoted text kept as it is
    (apart from ``%``, which psycopg reads everywhere)."""
    out: list[str] = []
    i, n = 0, len(sql)
    while i < n:
        ch = sql[i]
        if ch in ("'", '"'):
            end = i + 1
            while end < n:
                if sql[end] == ch:
                    if end + 1 < n and sql[end + 1] == ch:  # doubled quote inside the literal
                        end += 2
                        continue
                    break
                end += 1
            out.append(sql[i:end + 1].replace("%", "%%"))
            i = end + 1
        elif ch == "-" and sql.startswith("--", i):
            end = sql.find("\n", i)
            end = n if end < 0 else end
            i = end  # comments dropped: a '?' or '%' in them must not count
        elif ch == "?":
            out.append("%s")
            i += 1
        elif ch == "%":
            out.append("%%")
            i += 1
        elif ch == ":" and i + 1 < n and (sql[i + 1].isalpha() or sql[i + 1] == "_") and (i == 0 or sql[i - 1] != ":"):
            end = i + 1
            while end < n and (sql[end].isalnum() or sql[end] == "_"):
                end += 1
            out.append(f"%({sql[i + 1:end]})s")
            i = end
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def _split_args(body: str) -> list[str]:
    """Top-level comma-separated arguments of a function call's body."""
    args, depth, start, quote = [], 0, 0, ""
    for i, ch in enumerate(body):
        if quote:
            if ch == quote:
                quote = ""
        elif ch in ("'", '"'):
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "," and depth == 0:
            args.append(body[start:i])
            start = i + 1
    args.append(body[start:])
    return [a.strip() for a in args]


def _close(sql: str, open_at: int) -> int:
    """Index of the parenthesis closing the one at ``open_at``."""
    depth, quote = 0, ""
    for i in range(open_at, len(sql)):
        ch = sql[i]
        if quote:
            if ch == quote:
                quote = ""
        elif ch in ("'", '"'):
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return i
    raise ValueError(f"Unbalanced parentheses in SQL: {sql[:80]!r}")


def _top_level(expr: str) -> str:
    """``expr`` with nested parentheses and quoted text blanked, to look for top-level operators."""
    out, depth, quote = [], 0, ""
    for ch in expr:
        if quote:
            out.append(" ")
            if ch == quote:
                quote = ""
            continue
        if ch in ("'", '"'):
            quote = ch
            out.append(" ")
        elif ch == "(":
            depth += 1
            out.append(" ")
        elif ch == ")":
            depth -= 1
            out.append(" ")
        else:
            out.append(ch if depth == 0 else " ")
    return "".join(out)


def _functions(sql: str) -> str:
    """GROUP_CONCAT -> string_agg; MAX(a, b) -> GREATEST; MIN(a, b) -> LEAST; SUM(a = b) -> a count."""
    pos = 0
    while True:
        match = _FUNCS.search(sql, pos)
        if not match:
            return sql
        name = match.group(1).upper()
        open_at = match.end() - 1
        close_at = _close(sql, open_at)
        body = _functions(sql[open_at + 1:close_at])
        args = _split_args(body)
        if name == "GROUP_CONCAT":
            distinct = re.match(r"DISTINCT\s+", args[0], re.IGNORECASE)
            first = args[0][distinct.end():] if distinct else args[0]
            sep = args[1] if len(args) > 1 else "','"
            new = f"string_agg({'DISTINCT ' if distinct else ''}({first})::text, {sep})"
        elif name in ("MAX", "MIN") and len(args) > 1:
            new = f"{'GREATEST' if name == 'MAX' else 'LEAST'}({', '.join(args)})"
        elif name == "SUM" and len(args) == 1 and _COMPARISON.search(_top_level(args[0])) \
                and not re.match(r"\s*CASE\b", args[0], re.IGNORECASE):
            new = f"SUM(CASE WHEN {args[0]} THEN 1 ELSE 0 END)"
        else:
            new = f"{match.group(1)}({body})"
        sql = sql[:match.start()] + new + sql[close_at + 1:]
        pos = match.start() + len(new)


def _words(text: str) -> str:
    """Rewrites of SQL words; never applied inside quoted text."""
    text = re.sub(r"^\s*BEGIN\s+IMMEDIATE\b", "BEGIN", text, flags=re.IGNORECASE)
    text = re.sub(r"\s+COLLATE\s+NOCASE\b", "", text, flags=re.IGNORECASE)
    text = re.sub(r"\bNOT\s+LIKE\b", "NOT ILIKE", text, flags=re.IGNORECASE)
    text = re.sub(r"(?<!NOT )(?<!I)\bLIKE\b", "ILIKE", text, flags=re.IGNORECASE)
    text = _TRUTH.sub(lambda m: f"{m.group(1)}{m.group(2)}({m.group(3)} <> 0)", text)
    # SQLite's "+col" keeps the planner off an index; PostgreSQL has no unary plus on text.
    text = re.sub(r"(?<=[\s(,])\+(?=[A-Za-z_])", "", text)
    text = re.sub(r"\bLIMIT\s+-1\b", "LIMIT ALL", text, flags=re.IGNORECASE)
    return re.sub(r"\bAS\s+REAL\b", "AS DOUBLE PRECISION", text, flags=re.IGNORECASE)


def _outside_literals(sql: str, rewrite) -> str:
    """Apply ``rewrite`` to the parts of ``sql`` outside '...' literals."""
    parts = re.split(r"('(?:[^']|'')*')", sql)
    return "".join(part if i % 2 else rewrite(part) for i, part in enumerate(parts))


@lru_cache(maxsize=4096)
def to_postgres(sql: str) -> Translated:
    """The PostgreSQL spelling of one SQLite-spelled statement."""
    text = sql
    ignore = bool(_INSERT_OR_IGNORE.match(text))
    if ignore:
        text = _INSERT_OR_IGNORE.sub("INSERT INTO", text, count=1)
    text = _outside_literals(text, _words)
    text = _functions(text)
    returning = _RETURNING.search(text)
    if ignore:
        clause = " ON CONFLICT DO NOTHING"
        text = (text[:returning.start()] + clause.strip() + " " + text[returning.start():]) if returning \
            else text.rstrip().rstrip(";") + clause
    insert = _INSERT_INTO.match(text)
    return Translated(_placeholders(text), insert.group(1).lower() if insert else None, bool(returning))


class Dialect:
    """SQL fragments that differ by engine; ``Store.dialect`` is one of the two below."""

    name = "sqlite"

    def week_start(self, day: str) -> str:
        """Monday of the week of ``day`` (an expression giving 'YYYY-MM-DD'), as 'YYYY-MM-DD'."""
        return f"date({day}, '-' || ((CAST(strftime('%w', {day}) AS INTEGER) + 6) % 7) || ' days')"

    def posts_matching(self) -> str:
        """A subquery of post ids whose text matches the full-text query passed as one parameter."""
        return "SELECT rowid FROM posts_fts WHERE posts_fts MATCH ?"

    def image_texts_matching(self) -> str:
        return "SELECT rowid FROM image_texts_fts WHERE image_texts_fts MATCH ?"

    def fts_needs_tail(self) -> bool:
        """Whether recent posts may be missing from the index (SQLite indexes in batches)."""
        return True

    def skip_locked(self, alias: str) -> str:
        """Suffix of a SELECT that claims rows: lock them, skipping rows another transaction holds.
        SQLite has one writer at a time (BEGIN IMMEDIATE), so nothing is needed there."""
        return ""

    def tables_sql(self) -> str:
        """Names of the ordinary tables (no search-index internals), one per row, sorted."""
        return ("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                "AND name NOT LIKE '%_fts%' AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name")

    def columns_sql(self, table: str) -> str:
        """Column names of ``table`` in order (column ``name`` of the rows)."""
        return f"SELECT name FROM pragma_table_info('{table}') ORDER BY cid"

    def foreign_keys_sql(self, table: str) -> str:
        """(referenced table, column) pairs of ``table``'s foreign keys, as columns ``ref``, ``col``."""
        return f"SELECT \"table\" AS ref, \"from\" AS col FROM pragma_foreign_key_list('{table}')"


class PostgresDialect(Dialect):
    name = "postgresql"

    def week_start(self, day: str) -> str:
        return f"to_char(date_trunc('week', CAST({day} AS date)), 'YYYY-MM-DD')"

    def posts_matching(self) -> str:
        return "SELECT id FROM posts WHERE to_tsvector('simple', text) @@ netra_tsquery(?)"

    def image_texts_matching(self) -> str:
        return ("SELECT id FROM image_texts WHERE to_tsvector('simple', COALESCE(text, ''))"
                " @@ netra_tsquery(?)")

    def fts_needs_tail(self) -> bool:
        return False

    def skip_locked(self, alias: str) -> str:
        return f" FOR UPDATE OF {alias} SKIP LOCKED"

    def tables_sql(self) -> str:
        return ("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()"
                " AND table_type = 'BASE TABLE' ORDER BY table_name")

    def columns_sql(self, table: str) -> str:
        return ("SELECT column_name AS name FROM information_schema.columns WHERE table_schema = current_schema()"
                f" AND table_name = '{table}' ORDER BY ordinal_position")

    def foreign_keys_sql(self, table: str) -> str:
        return ("SELECT ccu.table_name AS ref, kcu.column_name AS col"
                " FROM information_schema.table_constraints tc"
                " JOIN information_schema.key_column_usage kcu ON kcu.constraint_name = tc.constraint_name"
                "  AND kcu.table_schema = tc.table_schema"
                " JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_name = tc.constraint_name"
                "  AND ccu.table_schema = tc.table_schema"
                f" WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_name = '{table}'"
                " AND tc.table_schema = current_schema()")


SQLITE = Dialect()
POSTGRES = PostgresDialect()


def of_connection(conn) -> Dialect:
    """The dialect of a raw connection (store code that is handed ``conn`` inside a transaction)."""
    return POSTGRES if hasattr(conn, "raw") else SQLITE
