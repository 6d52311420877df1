"""Which units a user may read, once several instansi share one database (issue 20).

The one rule every read goes through: a user sees the units of their own instansi only (a
supervisor: their units and sub-units, inside that). On a database with one instansi the
answer stays None ("every unit"), exactly as before, so a single office is unchanged. With
several, the answer is always a set, so every query that filters on unit ids filters in SQL,
and rows without a unit (a post of an unregistered account) fall outside every scope rather
than leaking to all offices. A provincial or national instansi reads the instansi under it
only through counts (monitor.flagging.rollup), never through this scope.

Users are duck-typed (``id``, ``role``, ``unit_ids``) so this stage need not import auth.
"""

from __future__ import annotations

from typing import Any

from ..store import instansi as rows
from ..store import people

READERS = ("analyst", "admin", "supervisor", "auditor")
OVERSIGHT_KINDS = ("provinsi", "nasional")


class InstansiError(ValueError):
    """An instansi action that is not allowed or not possible; the message is Indonesian."""


def is_multi(store) -> bool:
    """More than one instansi in this database: from then on every role is scoped to its own."""
    return rows.count(store) > 1


def own_instansi_id(store, user: Any) -> int:
    """The user's instansi (the default one for users created before instansi existed)."""
    found = rows.user_instansi_id(store, int(user.id))
    return found if found is not None else rows.default_id(store)


def unit_scope(store, user: Any) -> set[int] | None:
    """None for every unit (one instansi, non-supervisor); otherwise the unit ids the user may read."""
    if user.role not in READERS:
        return set()
    own = rows.unit_ids_of(store, [own_instansi_id(store, user)]) if is_multi(store) else None
    if user.role == "supervisor":
        units = people.descendant_unit_ids(store, user.unit_ids)
        return units if own is None else units & own
    return own


def usernames_in_scope(store, user: Any) -> set[str] | None:
    """None on a one-instansi database; else the usernames of the user's instansi (audit rows, users)."""
    if not is_multi(store):
        return None
    return rows.usernames_of(store, own_instansi_id(store, user))


def visible_instansi_ids(store, user: Any) -> set[int] | None:
    """None on a one-instansi database; else the user's own instansi only (rows, names, text)."""
    return {own_instansi_id(store, user)} if is_multi(store) else None


def rollup_instansi_ids(store, user: Any) -> set[int]:
    """The instansi whose counts a user may read: their own, and for a provincial or national
    instansi every instansi under it. Counts only; rows stay within ``unit_scope``."""
    own = own_instansi_id(store, user)
    found = rows.get(store, own)
    if found and found["kind"] in OVERSIGHT_KINDS:
        return rows.descendants(store, own)
    return {own}


def is_oversight(store, user: Any) -> bool:
    """Whether the user belongs to a provincial or national instansi with instansi under it."""
    return len(rollup_instansi_ids(store, user)) > 1


def may_administer(store, actor: Any, instansi_id: int) -> bool:
    """An admin of the instansi itself, of an instansi above it, or of the database (the
    default instansi) may add instansi under it and create its users."""
    if actor.role != "admin":
        return False
    own = own_instansi_id(store, actor)
    return own == rows.default_id(store) or instansi_id in rows.descendants(store, own)


def add_instansi(store, actor: Any | None, code: str, name: str, *, kind: str = "pemda",
                 parent_code: str | None = None) -> int:
    """Create an instansi; ``actor`` None is the database operator (the CLI on the server). Audited."""
    from ..evidence import audit

    parent_id = None
    if parent_code:
        parent = rows.by_code(store, parent_code)
        if parent is None:
            raise InstansiError(f"Instansi induk {parent_code!r} tidak ada.")
        parent_id = int(parent["id"])
    if actor is not None:
        target = parent_id if parent_id is not None else rows.default_id(store)
        if not may_administer(store, actor, target):
            raise InstansiError("Hanya admin instansi induk atau admin basis data yang boleh menambah instansi.")
    with store.write():
        try:
            new_id = rows.add(store, code, name, kind=kind, parent_id=parent_id)
        except ValueError as exc:
            raise InstansiError(str(exc)) from exc
        audit.record(store, getattr(actor, "username", "cli"), "instansi.add", f"instansi:{code}",
                     kind=kind, parent=parent_code)
    return new_id


def list_instansi(store, actor: Any | None) -> list[dict]:
    """Every instansi for the operator (``actor`` None) or the database admin; else the
    actor's own instansi and those under it."""
    if actor is None or own_instansi_id(store, actor) == rows.default_id(store) and actor.role == "admin":
        return rows.list_all(store)
    return rows.list_all(store, rows.descendants(store, own_instansi_id(store, actor)))


def instansi_id_by_code(store, code: str) -> int:
    found = rows.by_code(store, code)
    if found is None:
        raise InstansiError(f"Instansi {code!r} tidak ada.")
    return int(found["id"])


def import_instansi_id(store, user: Any) -> int | None:
    """The instansi a registry import by ``user`` writes into (None on a one-instansi database)."""
    return own_instansi_id(store, user) if is_multi(store) else None
