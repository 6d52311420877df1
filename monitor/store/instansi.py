"""SQL of instansi (issue 20): the offices sharing one database, their units, users and rollups.

Every database holds a default instansi (migration 0019, the lowest id); a NULL ``instansi_id``
on a user means that one (a unit always names its instansi since migration 0021, which also made
unit codes and names unique per instansi). While a database holds a single instansi nothing is
scoped by it, so a single office behaves as before; the scoping itself is monitor.people.instansi.
"""

from __future__ import annotations

import re
from typing import Iterable, Sequence

from .db import Store, utcnow

KINDS = ("pemda", "provinsi", "nasional")
#: A code names a key folder (``keys/<code>``): letters, digits, '-' and '_' only.
CODE_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,31}")


def _marks(values: Sequence) -> str:
    return ", ".join("?" for _ in values) or "NULL"


def count(store: Store) -> int:
    return int(store.one("SELECT COUNT(*) FROM instansi")[0])


def default_id(store: Store) -> int:
    """The default instansi: the one migration 0019 created (the lowest id)."""
    return int(store.one("SELECT MIN(id) FROM instansi")[0])


def add(store: Store, code: str, name: str, *, kind: str = "pemda", parent_id: int | None = None) -> int:
    code, name = (code or "").strip(), (name or "").strip()
    if not code or not name:
        raise ValueError("kode dan nama instansi wajib diisi")
    if not CODE_PATTERN.fullmatch(code):
        raise ValueError("kode instansi hanya huruf, angka, '-' dan '_' (maks. 32 karakter)")
    if kind not in KINDS:
        raise ValueError(f"jenis instansi tidak dikenal: {kind!r} (pilih {', '.join(KINDS)})")
    with store.write() as conn:
        if conn.execute("SELECT 1 FROM instansi WHERE code = ?", (code,)).fetchone():
            raise ValueError(f"instansi {code!r} sudah ada")
        if parent_id is not None and not conn.execute("SELECT 1 FROM instansi WHERE id = ?", (parent_id,)).fetchone():
            raise ValueError("instansi induk tidak ada")
        cur = conn.execute("INSERT INTO instansi (code, name, parent_id, kind, created_at) VALUES (?, ?, ?, ?, ?)",
                           (code, name, parent_id, kind, utcnow()))
        return int(cur.lastrowid)


def get(store: Store, instansi_id: int) -> dict | None:
    row = store.one("SELECT id, code, name, parent_id, kind, created_at FROM instansi WHERE id = ?", (instansi_id,))
    return dict(row) if row else None


def by_code(store: Store, code: str) -> dict | None:
    row = store.one("SELECT id, code, name, parent_id, kind, created_at FROM instansi WHERE code = ?", (code,))
    return dict(row) if row else None


def list_all(store: Store, instansi_ids: Iterable[int] | None = None) -> list[dict]:
    """Instansi (all, or those ids) with their parent's code, by code."""
    params: list = []
    where = ""
    if instansi_ids is not None:
        ids = sorted(instansi_ids)
        where = f"WHERE i.id IN ({_marks(ids)})"
        params = list(ids)
    return [dict(r) for r in store.query(
        f"""SELECT i.id, i.code, i.name, i.kind, i.parent_id, p.code AS parent_code, i.created_at
            FROM instansi i LEFT JOIN instansi p ON p.id = i.parent_id {where} ORDER BY i.code""", params)]


def descendants(store: Store, instansi_id: int) -> set[int]:
    """The instansi and every instansi below it."""
    rows = store.query(
        """WITH RECURSIVE tree(id) AS (
               SELECT id FROM instansi WHERE id = ?
               UNION SELECT i.id FROM instansi i JOIN tree ON i.parent_id = tree.id)
           SELECT id FROM tree""", (instansi_id,))
    return {int(r[0]) for r in rows}


def user_instansi_id(store: Store, user_id: int) -> int | None:
    """The user's instansi (the default one for NULL); None if the user does not exist."""
    row = store.one("SELECT COALESCE(instansi_id, (SELECT MIN(id) FROM instansi)) FROM users WHERE id = ?",
                    (user_id,))
    return int(row[0]) if row else None


def unit_instansi_ids(store: Store, unit_ids: Iterable[int]) -> set[int]:
    """The instansi owning these units (the default one for NULL)."""
    ids = sorted(set(unit_ids))
    if not ids:
        return set()
    rows = store.query(f"SELECT DISTINCT COALESCE(instansi_id, (SELECT MIN(id) FROM instansi)) FROM units "
                       f"WHERE id IN ({_marks(ids)})", ids)
    return {int(r[0]) for r in rows}


def unit_ids_of(store: Store, instansi_ids: Iterable[int]) -> set[int]:
    """Every unit (active or not) owned by these instansi."""
    ids = sorted(set(instansi_ids))
    if not ids:
        return set()
    rows = store.query(f"SELECT id FROM units WHERE COALESCE(instansi_id, (SELECT MIN(id) FROM instansi)) "
                       f"IN ({_marks(ids)})", ids)
    return {int(r[0]) for r in rows}


def user_ids_of(store: Store, instansi_id: int) -> set[int]:
    rows = store.query("SELECT id FROM users WHERE COALESCE(instansi_id, (SELECT MIN(id) FROM instansi)) = ?",
                       (instansi_id,))
    return {int(r[0]) for r in rows}


def usernames_of(store: Store, instansi_id: int) -> set[str]:
    rows = store.query("SELECT username FROM users WHERE COALESCE(instansi_id, (SELECT MIN(id) FROM instansi)) = ?",
                       (instansi_id,))
    return {str(r[0]) for r in rows}


def instansi_of_username(store: Store, username: str) -> int | None:
    row = store.one("SELECT COALESCE(instansi_id, (SELECT MIN(id) FROM instansi)) FROM users WHERE username = ?",
                    (username,))
    return int(row[0]) if row else None


def set_user_instansi(store: Store, user_id: int, instansi_id: int) -> None:
    with store.write() as conn:
        conn.execute("UPDATE users SET instansi_id = ?, updated_at = ? WHERE id = ?", (instansi_id, utcnow(), user_id))


def assign_units(store: Store, unit_ids: Iterable[int], instansi_id: int) -> None:
    ids = sorted(set(unit_ids))
    if not ids:
        return
    with store.write() as conn:
        conn.execute(f"UPDATE units SET instansi_id = ? WHERE id IN ({_marks(ids)})", [instansi_id, *ids])


def _flag_scope(ids: list[int], date_from: str | None, date_to: str | None) -> tuple[str, list]:
    """The WHERE clause limiting flags to the units of ``ids`` and a creation-date range."""
    params: list = list(ids)
    where = [f"f.unit_id IN (SELECT id FROM units WHERE COALESCE(instansi_id, (SELECT MIN(id) FROM instansi))"
             f" IN ({_marks(ids)}))"]
    if date_from:
        where.append("f.created_at >= ?")
        params.append(date_from)
    if date_to:
        where.append("f.created_at < ?")
        params.append(date_to)
    return " AND ".join(where), params


def rollup_cells(store: Store, instansi_ids: Iterable[int], *, date_from: str | None = None,
                 date_to: str | None = None) -> list[dict]:
    """Flag counts by instansi, unit, category, violation code and status: numbers only.

    No post text, no names: what a provincial or national oversight role may see of the
    instansi below it. Flags are counted per unit id first and only the few hundred counted
    cells are joined to units and instansi: at the national size (250,000 flags) grouping the
    joined rows took most of a second.
    """
    ids = sorted(set(instansi_ids))
    if not ids:
        return []
    where, params = _flag_scope(ids, date_from, date_to)
    rows = store.query(
        f"""SELECT i.code AS instansi, u.code AS unit, c.category, c.code, c.status, c.n
            FROM (SELECT f.unit_id, f.category, COALESCE(f.violation_code, '') AS code, f.status, COUNT(*) AS n
                  FROM flags f WHERE {where}
                  GROUP BY f.unit_id, f.category, COALESCE(f.violation_code, ''), f.status) c
            JOIN units u ON u.id = c.unit_id
            JOIN instansi i ON i.id = COALESCE(u.instansi_id, (SELECT MIN(id) FROM instansi))
            ORDER BY i.code, u.code, c.category, c.code, c.status""", params)
    return [dict(r) for r in rows]


def rollup_weeks(store: Store, instansi_ids: Iterable[int], *, date_from: str | None = None,
                 date_to: str | None = None) -> list[dict]:
    """Flag counts by instansi and week (the Monday of the flag's creation week, YYYY-MM-DD).

    Counted per unit and day first, so the week arithmetic runs once per day and unit, not
    once per flag.
    """
    ids = sorted(set(instansi_ids))
    if not ids:
        return []
    where, params = _flag_scope(ids, date_from, date_to)
    week = store.dialect.week_start("d.day")
    rows = store.query(
        f"""SELECT i.code AS instansi, {week} AS week, SUM(d.n) AS n
            FROM (SELECT f.unit_id, substr(f.created_at, 1, 10) AS day, COUNT(*) AS n
                  FROM flags f WHERE {where}
                  GROUP BY f.unit_id, substr(f.created_at, 1, 10)) d
            JOIN units u ON u.id = d.unit_id
            JOIN instansi i ON i.id = COALESCE(u.instansi_id, (SELECT MIN(id) FROM instansi))
            GROUP BY i.code, {week}
            ORDER BY i.code, {week}""", params)
    return [dict(r) for r in rows]


def case_counts(store: Store, instansi_ids: Iterable[int]) -> list[dict]:
    """Case counts by instansi and status: numbers only."""
    ids = sorted(set(instansi_ids))
    if not ids:
        return []
    rows = store.query(
        f"""SELECT i.code AS instansi, c.status, COUNT(*) AS n
            FROM cases c JOIN units u ON u.id = c.unit_id
            JOIN instansi i ON i.id = COALESCE(u.instansi_id, (SELECT MIN(id) FROM instansi))
            WHERE i.id IN ({_marks(ids)})
            GROUP BY i.code, c.status ORDER BY i.code, c.status""", ids)
    return [dict(r) for r in rows]
