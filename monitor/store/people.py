"""Units, employees and their accounts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

from .db import Store, utcnow
from .instansi import default_id


@dataclass(frozen=True)
class UnitRow:
    code: str
    name: str
    parent_code: str | None = None


@dataclass(frozen=True)
class EmployeeRow:
    """One employee as the registry importer hands it over (already validated)."""

    name: str
    employment_type: str
    unit_name: str | None
    nip: str | None = None
    nik: str | None = None
    position: str | None = None
    rank: str | None = None
    accounts: tuple[tuple[str, str], ...] = ()  # (platform, normalised handle)

    @property
    def key(self) -> str:
        return self.nip or f"nik:{self.nik}"


def _owner(store: Store, instansi_id: int | None) -> int:
    """The instansi a unit lookup or a new unit is about: ``instansi_id``, or the default one."""
    return int(instansi_id) if instansi_id is not None else default_id(store)


def _unit_by_code(conn, instansi_id: int, code: str):
    return conn.execute("SELECT id FROM units WHERE instansi_id = ? AND code = ?", (instansi_id, code)).fetchone()


def upsert_units(store: Store, rows: Sequence[UnitRow], *, instansi_id: int | None = None) -> dict[str, int]:
    """Insert or update the units of one instansi by code, then link parents. Returns counts.

    Codes and names are unique within an instansi (migration 0021): another instansi's unit with
    the same code is a different unit and is never touched. A parent is looked up within the
    instansi too, so a parent of another instansi is refused as unknown. ``instansi_id`` None
    means the default instansi.
    """
    owner = _owner(store, instansi_id)
    now = utcnow()
    counts = {"added": 0, "updated": 0}
    with store.write() as conn:
        unit_ids = []
        for row in rows:
            existing = _unit_by_code(conn, owner, row.code)
            if existing:
                conn.execute(
                    "UPDATE units SET name = ?, active = 1, updated_at = ? WHERE id = ?",
                    (row.name, now, existing["id"]),
                )
                unit_ids.append(int(existing["id"]))
                counts["updated"] += 1
            else:
                cur = conn.execute(
                    "INSERT INTO units (code, name, instansi_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
                    (row.code, row.name, owner, now, now),
                )
                unit_ids.append(int(cur.lastrowid))
                counts["added"] += 1
        for row, unit_id in zip(rows, unit_ids):
            parent = None
            if row.parent_code:
                found = _unit_by_code(conn, owner, row.parent_code)
                if found is None:
                    raise ValueError(f"unit induk {row.parent_code!r} untuk {row.code!r} tidak ada di instansi ini")
                parent = found["id"]
            conn.execute("UPDATE units SET parent_id = ? WHERE id = ?", (parent, unit_id))
        _check_no_cycles(conn)
    return counts


def _check_no_cycles(conn) -> None:
    row = conn.execute(
        """
        WITH RECURSIVE walk(id, parent_id, depth) AS (
            SELECT id, parent_id, 0 FROM units
            UNION ALL
            SELECT walk.id, units.parent_id, depth + 1
            FROM walk JOIN units ON units.id = walk.parent_id
            WHERE depth < 64
        )
        SELECT id FROM walk WHERE parent_id = id LIMIT 1
        """
    ).fetchone()
    if row is not None:
        raise ValueError("hierarki unit membentuk lingkaran (unit menjadi induk dirinya sendiri)")


def unit_ids_by_name(store: Store, instansi_id: int | None = None) -> dict[str, int]:
    """Unit name (lower-cased) and code to id, for matching the registry rows of one instansi
    (None: the default one)."""
    mapping: dict[str, int] = {}
    for row in store.query("SELECT id, code, name FROM units WHERE instansi_id = ?", (_owner(store, instansi_id),)):
        mapping[row["name"].lower()] = row["id"]
        mapping[row["code"].lower()] = row["id"]
    return mapping


def ensure_unit(store: Store, name: str, instansi_id: int | None = None) -> int:
    """The id of the instansi's unit called ``name`` (or coded so), created (top-level, with a
    code unique within the instansi) if it does not exist yet. None: the default instansi."""
    owner = _owner(store, instansi_id)
    found = store.one("SELECT id FROM units WHERE instansi_id = ? AND (name = ? OR code = ?)", (owner, name, name))
    if found:
        return int(found["id"])
    now = utcnow()
    code = "".join(ch for ch in name.upper() if ch.isalnum())[:24] or "UNIT"
    suffix = 1
    base = code
    while _unit_by_code(store.conn, owner, code):
        suffix += 1
        code = f"{base}{suffix}"
    with store.write() as conn:
        cur = conn.execute(
            "INSERT INTO units (code, name, instansi_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
            (code, name, owner, now, now),
        )
    return int(cur.lastrowid)


def descendant_unit_ids(store: Store, unit_ids: Iterable[int]) -> set[int]:
    """The given units and every unit below them."""
    ids = list(unit_ids)
    if not ids:
        return set()
    placeholders = ",".join("?" * len(ids))
    rows = store.query(
        f"""
        WITH RECURSIVE tree(id) AS (
            SELECT id FROM units WHERE id IN ({placeholders})
            UNION
            SELECT units.id FROM units JOIN tree ON units.parent_id = tree.id
        )
        SELECT id FROM tree
        """,
        tuple(ids),
    )
    return {int(r["id"]) for r in rows}


def list_units(store: Store) -> list[dict]:
    rows = store.query(
        """
        SELECT u.id, u.code, u.name, p.code AS parent_code, u.active,
               (SELECT COUNT(*) FROM employees e WHERE e.unit_id = u.id AND e.active) AS employees
        FROM units u LEFT JOIN units p ON p.id = u.parent_id
        ORDER BY COALESCE(p.name, u.name), u.parent_id IS NOT NULL, u.name
        """
    )
    return [dict(r) for r in rows]


def find_employee_ids(store: Store) -> dict[str, int]:
    """Registry key (NIP, or ``nik:`` + NIK) to employee id, for every employee."""
    mapping = {}
    for row in store.query("SELECT id, nip, nik FROM employees"):
        mapping[row["nip"] or f"nik:{row['nik']}"] = int(row["id"])
    return mapping


def account_owners(store: Store) -> dict[tuple[str, str], str]:
    """(platform, handle) to the owning employee's registry key, for active accounts."""
    rows = store.query(
        """
        SELECT a.platform, a.handle, e.nip, e.nik FROM accounts a
        JOIN employees e ON e.id = a.employee_id
        WHERE a.active
        """
    )
    return {(r["platform"], r["handle"]): (r["nip"] or f"nik:{r['nik']}") for r in rows}


def apply_employee_import(
    store: Store, rows: Sequence[EmployeeRow], *, deactivate_missing: bool, instansi_id: int | None = None
) -> dict[str, int]:
    """Write validated registry rows in one transaction.

    Re-importing updates by NIP (or NIK), never duplicates. With ``deactivate_missing``,
    employees absent from the file are deactivated (with their accounts), never deleted:
    their posts and any case must keep pointing at them. With ``instansi_id`` (issue 20) the
    file is that instansi's: its units only, an employee registered in another instansi is
    refused, and only its own employees are deactivated when missing.
    """
    now = utcnow()
    counts = {"added": 0, "updated": 0, "deactivated": 0, "accounts_added": 0, "accounts_deactivated": 0}
    seen: set[int] = set()
    with store.write() as conn:
        units = unit_ids_by_name(store, instansi_id)
        for row in rows:
            unit_id = None
            if row.unit_name:
                unit_id = units.get(row.unit_name.lower()) or ensure_unit(store, row.unit_name, instansi_id)
                units[row.unit_name.lower()] = unit_id
            if row.nip:
                found = conn.execute("SELECT id FROM employees WHERE nip = ?", (row.nip,)).fetchone()
            else:
                found = conn.execute("SELECT id FROM employees WHERE nik = ?", (row.nik,)).fetchone()
            values = (row.name, unit_id, row.position, row.rank, row.employment_type)
            if found and instansi_id is not None and not _employee_in(conn, int(found["id"]), instansi_id):
                raise ValueError(f"pegawai {row.key} terdaftar di instansi lain")
            if found:
                employee_id = int(found["id"])
                conn.execute(
                    """UPDATE employees SET name = ?, unit_id = ?, position = ?, rank = ?,
                       employment_type = ?, active = 1, deactivated_at = NULL, updated_at = ?
                       WHERE id = ?""",
                    (*values, now, employee_id),
                )
                counts["updated"] += 1
            else:
                cur = conn.execute(
                    """INSERT INTO employees (name, unit_id, position, rank, employment_type,
                       nip, nik, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                    (*values, row.nip, row.nik, now, now),
                )
                employee_id = int(cur.lastrowid)
                counts["added"] += 1
            seen.add(employee_id)
            counts["accounts_added"] += _sync_accounts(conn, employee_id, row.accounts, now, counts)
        if deactivate_missing:
            for found in conn.execute("SELECT id FROM employees WHERE active").fetchall():
                if instansi_id is not None and not _employee_in(conn, int(found["id"]), instansi_id):
                    continue
                if int(found["id"]) not in seen:
                    conn.execute(
                        "UPDATE employees SET active = 0, deactivated_at = ?, updated_at = ? WHERE id = ?",
                        (now, now, found["id"]),
                    )
                    cur = conn.execute(
                        "UPDATE accounts SET active = 0, updated_at = ? WHERE employee_id = ? AND active",
                        (now, found["id"]),
                    )
                    counts["deactivated"] += 1
                    counts["accounts_deactivated"] += cur.rowcount
    return counts


def _employee_in(conn, employee_id: int, instansi_id: int) -> bool:
    """Whether the employee's unit belongs to the instansi (an employee without unit: the default one)."""
    row = conn.execute(
        """SELECT COALESCE(u.instansi_id, (SELECT MIN(id) FROM instansi)) FROM employees e
           LEFT JOIN units u ON u.id = e.unit_id WHERE e.id = ?""", (employee_id,)).fetchone()
    return row is not None and int(row[0]) == int(instansi_id)


def _sync_accounts(conn, employee_id: int, accounts, now: str, counts: dict[str, int]) -> int:
    """Make the employee's active accounts exactly ``accounts``; returns how many were new."""
    added = 0
    wanted = set(accounts)
    for platform, handle in wanted:
        found = conn.execute(
            "SELECT id, employee_id FROM accounts WHERE platform = ? AND handle = ?", (platform, handle)
        ).fetchone()
        if found:
            conn.execute(
                "UPDATE accounts SET employee_id = ?, active = 1, updated_at = ? WHERE id = ?",
                (employee_id, now, found["id"]),
            )
        else:
            conn.execute(
                """INSERT INTO accounts (platform, handle, employee_id, created_at, updated_at)
                   VALUES (?, ?, ?, ?, ?)""",
                (platform, handle, employee_id, now, now),
            )
            added += 1
    for row in conn.execute(
        "SELECT id, platform, handle FROM accounts WHERE employee_id = ? AND active", (employee_id,)
    ).fetchall():
        if (row["platform"], row["handle"]) not in wanted:
            conn.execute("UPDATE accounts SET active = 0, updated_at = ? WHERE id = ?", (now, row["id"]))
            counts["accounts_deactivated"] += 1
    return added


def list_employees(store: Store, *, active_only: bool = True, unit_ids: set[int] | None = None) -> list[dict]:
    """Employees with their unit and accounts; ``unit_ids`` limits to a scope."""
    where = ["1 = 1"]
    params: list = []
    if active_only:
        where.append("e.active")
    if unit_ids is not None:
        where.append(f"e.unit_id IN ({','.join('?' * len(unit_ids)) or 'NULL'})")
        params.extend(sorted(unit_ids))
    rows = store.query(
        f"""
        SELECT e.id, e.nip, e.nik, e.name, e.position, e.rank, e.employment_type, e.active,
               e.unit_id, u.name AS unit,
               (SELECT GROUP_CONCAT(a.platform || ':' || a.handle, ' ')
                  FROM accounts a WHERE a.employee_id = e.id AND a.active) AS accounts
        FROM employees e LEFT JOIN units u ON u.id = e.unit_id
        WHERE {' AND '.join(where)}
        ORDER BY u.name, e.name
        """,
        tuple(params),
    )
    return [dict(r) for r in rows]


def account_ids_by_handle(store: Store) -> dict[tuple[str, str], int]:
    """(platform, handle) to account id, for linking imported posts."""
    return {(r["platform"], r["handle"]): int(r["id"]) for r in store.query("SELECT id, platform, handle FROM accounts")}


def unit_id_by_code(store: Store, code: str, instansi_id: int | None = None) -> int:
    """The id of the instansi's unit with this code (or name); ValueError if there is none.
    None: the default instansi."""
    row = store.one("SELECT id FROM units WHERE instansi_id = ? AND (code = ? OR name = ?)",
                    (_owner(store, instansi_id), code, code))
    if row is None:
        raise ValueError(f"unit {code!r} tidak ditemukan")
    return int(row["id"])


def update_employee(store: Store, employee_id: int, *, name: str, position: str | None, rank: str | None,
                    unit_id: int | None, active: bool, scope: set[int] | None = None) -> None:
    """Edit one employee by hand. Deactivating also deactivates their accounts (never deletes).

    ``scope`` (the editor's units, issue 20): the employee and the new unit must be inside it.
    """
    now = utcnow()
    where, params = "id = ?", [employee_id]
    if scope is not None:
        if unit_id not in scope:
            raise ValueError("unit yang dipilih di luar instansi Anda")
        where += f" AND unit_id IN ({','.join('?' * len(scope)) or 'NULL'})"
        params += sorted(scope)
    with store.write() as conn:
        cur = conn.execute(
            f"""UPDATE employees SET name = ?, position = ?, rank = ?, unit_id = ?, active = ?,
               deactivated_at = CASE WHEN ? <> 0 THEN NULL ELSE COALESCE(deactivated_at, ?) END, updated_at = ?
               WHERE {where}""",
            (name, position, rank, unit_id, int(active), int(active), now, now, *params))
        if cur.rowcount == 0:
            raise ValueError(f"pegawai {employee_id} tidak ada")
        if not active:
            conn.execute("UPDATE accounts SET active = 0, updated_at = ? WHERE employee_id = ? AND active",
                         (now, employee_id))


def add_account(store: Store, nip: str, platform: str, handle: str) -> int:
    """Register one more account for the employee with this NIP (kept if already there)."""
    now = utcnow()
    with store.write() as conn:
        employee = conn.execute("SELECT id FROM employees WHERE nip = ?", (nip,)).fetchone()
        if employee is None:
            raise ValueError(f"pegawai dengan NIP {nip} tidak ada")
        found = conn.execute("SELECT id FROM accounts WHERE platform = ? AND handle = ?", (platform, handle)).fetchone()
        if found:
            return int(found[0])
        cur = conn.execute("INSERT INTO accounts (platform, handle, employee_id, created_at, updated_at) "
                           "VALUES (?, ?, ?, ?, ?)", (platform, handle, employee[0], now, now))
        return int(cur.lastrowid)


def employee(store: Store, employee_id: int) -> dict | None:
    """One employee with their unit's name, or None."""
    row = store.one(
        """SELECT e.id, e.nip, e.nik, e.name, e.position, e.unit_id, e.active, u.name AS unit
           FROM employees e LEFT JOIN units u ON u.id = e.unit_id WHERE e.id = ?""", (int(employee_id),))
    return dict(row) if row else None


def search_employees(store: Store, text: str | None, *, unit_ids: set[int] | None = None, limit: int = 50) -> list[dict]:
    """Active employees with a unit whose name contains ``text`` or whose NIP/NIK starts with it,
    by name; ``unit_ids`` limits to a scope. What a picker offers, so it stays short."""
    where = ["e.active", "e.unit_id IS NOT NULL"]
    params: list = []
    needle = (text or "").strip()
    if needle:
        like = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        where.append("(e.name LIKE ? ESCAPE '\\' OR e.nip LIKE ? ESCAPE '\\' OR e.nik LIKE ? ESCAPE '\\')")
        params += [f"%{like}%", f"{like}%", f"{like}%"]
    if unit_ids is not None:
        where.append(f"e.unit_id IN ({','.join('?' * len(unit_ids)) or 'NULL'})")
        params.extend(sorted(unit_ids))
    rows = store.query(
        f"""SELECT e.id, e.nip, e.nik, e.name, e.position, e.unit_id, u.name AS unit
            FROM employees e JOIN units u ON u.id = e.unit_id
            WHERE {' AND '.join(where)} ORDER BY e.name, e.id LIMIT ?""", (*params, int(limit)))
    return [dict(r) for r in rows]


def account_by_handle(store: Store, platform: str, handle: str) -> dict | None:
    """The account row for (platform, handle), active or not, with its owner's id and name."""
    row = store.one(
        """SELECT a.id, a.employee_id, a.active, e.name AS employee FROM accounts a
           LEFT JOIN employees e ON e.id = a.employee_id WHERE a.platform = ? AND a.handle = ?""", (platform, handle))
    return dict(row) if row else None


def register_account_for(store: Store, employee_id: int, platform: str, handle: str) -> int:
    """Record (platform, handle) as an active account of this employee; returns the account id.

    An existing row without an owner (or this employee's, deactivated) is taken over rather than
    duplicated; the caller has refused a row owned by someone else. Changing an existing row's
    owner moves its flags by the 0011 trigger.
    """
    now = utcnow()
    with store.write() as conn:
        found = conn.execute("SELECT id FROM accounts WHERE platform = ? AND handle = ?", (platform, handle)).fetchone()
        if found:
            conn.execute("UPDATE accounts SET employee_id = ?, active = 1, updated_at = ? WHERE id = ?",
                         (int(employee_id), now, found[0]))
            return int(found[0])
        cur = conn.execute("INSERT INTO accounts (platform, handle, employee_id, created_at, updated_at) "
                           "VALUES (?, ?, ?, ?, ?)", (platform, handle, int(employee_id), now, now))
        return int(cur.lastrowid)
