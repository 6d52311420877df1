"""Users, roles, unit scope, and the login counters that drive lockout."""

from __future__ import annotations

from typing import Iterable, Sequence

from .db import Store, utcnow

ROLES = ("admin", "analyst", "supervisor", "auditor")


def add_user(
    store: Store, username: str, password_hash: str, role: str, *,
    full_name: str | None = None, unit_ids: Sequence[int] = (), instansi_id: int | None = None,
) -> int:
    if role not in ROLES:
        raise ValueError(f"peran tidak dikenal: {role!r} (pilih {', '.join(ROLES)})")
    if role == "supervisor" and not unit_ids:
        raise ValueError("pengguna supervisor harus diberi minimal satu unit")
    now = utcnow()
    with store.write() as conn:
        if conn.execute("SELECT 1 FROM users WHERE username = ?", (username,)).fetchone():
            raise ValueError(f"pengguna {username!r} sudah ada")
        cur = conn.execute(
            """INSERT INTO users (username, full_name, password_hash, role, instansi_id, created_at, updated_at)
               VALUES (?, ?, ?, ?, ?, ?, ?)""",
            (username, full_name, password_hash, role, instansi_id, now, now),
        )
        user_id = int(cur.lastrowid)
        conn.executemany(
            "INSERT INTO user_units (user_id, unit_id) VALUES (?, ?)", [(user_id, u) for u in unit_ids]
        )
    return user_id


def get_user(store: Store, username: str) -> dict | None:
    return _with_units(store, store.one("SELECT * FROM users WHERE username = ?", (username,)))


def get_user_by_id(store: Store, user_id: int) -> dict | None:
    return _with_units(store, store.one("SELECT * FROM users WHERE id = ?", (user_id,)))


def _with_units(store: Store, row) -> dict | None:
    if row is None:
        return None
    user = dict(row)
    user["unit_ids"] = [r[0] for r in store.query(
        "SELECT unit_id FROM user_units WHERE user_id = ? ORDER BY unit_id", (user["id"],))]
    return user


def list_users(store: Store, instansi_ids: Iterable[int] | None = None) -> list[dict]:
    """Every user, or (several instansi, issue 20) the users of these instansi only."""
    where, params = "", ()
    if instansi_ids is not None:
        ids = tuple(sorted(instansi_ids))
        where = (f"WHERE COALESCE(u.instansi_id, (SELECT MIN(id) FROM instansi)) IN "
                 f"({', '.join('?' for _ in ids) or 'NULL'})")
        params = ids
    rows = store.query(
        f"""SELECT u.id, u.username, u.full_name, u.role, u.active, u.last_login_at, u.locked_until,
                  (SELECT GROUP_CONCAT(un.code, ', ') FROM user_units uu JOIN units un ON un.id = uu.unit_id
                    WHERE uu.user_id = u.id) AS units,
                  (SELECT i.code FROM instansi i
                    WHERE i.id = COALESCE(u.instansi_id, (SELECT MIN(id) FROM instansi))) AS instansi
           FROM users u {where} ORDER BY u.role, u.username""", params
    )
    return [dict(r) for r in rows]


def set_password_hash(store: Store, username: str, password_hash: str) -> None:
    with store.write() as conn:
        cur = conn.execute(
            """UPDATE users SET password_hash = ?, failed_logins = 0, locked_until = NULL,
               updated_at = ? WHERE username = ?""",
            (password_hash, utcnow(), username),
        )
        if cur.rowcount == 0:
            raise ValueError(f"pengguna {username!r} tidak ada")


def record_login(store: Store, user_id: int, *, success: bool, locked_until: str | None = None) -> None:
    now = utcnow()
    with store.write() as conn:
        if success:
            conn.execute(
                "UPDATE users SET failed_logins = 0, locked_until = NULL, last_login_at = ? WHERE id = ?",
                (now, user_id),
            )
        else:
            conn.execute(
                "UPDATE users SET failed_logins = failed_logins + 1, locked_until = ? WHERE id = ?",
                (locked_until, user_id),
            )


def update_user(store: Store, username: str, *, role: str, active: bool, unit_ids: Sequence[int]) -> None:
    """Change a user's role, scope and active flag (users are deactivated, never deleted)."""
    if role not in ROLES:
        raise ValueError(f"peran tidak dikenal: {role!r} (pilih {', '.join(ROLES)})")
    if role == "supervisor" and not unit_ids:
        raise ValueError("pengguna supervisor harus diberi minimal satu unit")
    with store.write() as conn:
        row = conn.execute("SELECT id FROM users WHERE username = ?", (username,)).fetchone()
        if row is None:
            raise ValueError(f"pengguna {username!r} tidak ada")
        conn.execute("UPDATE users SET role = ?, active = ?, updated_at = ? WHERE id = ?",
                     (role, int(active), utcnow(), row["id"]))
        conn.execute("DELETE FROM user_units WHERE user_id = ?", (row["id"],))
        conn.executemany("INSERT INTO user_units (user_id, unit_id) VALUES (?, ?)",
                         [(row["id"], u) for u in unit_ids])
