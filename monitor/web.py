"""What the dashboard pages need from the library, so pages never touch SQL.

The scope of a user is computed here once: admins, analysts and auditors see every unit;
a supervisor sees their units and every sub-unit below them, and nothing else.
"""

from __future__ import annotations

import os

from .auth import User
from .store import Store, connect
from .store import people


def open_dashboard_store() -> Store:
    """The database named by NETRA_DB (the CLI sets it), opened without creating anything."""
    return connect(os.environ.get("NETRA_DB", "netra.db"), create=False)


def scope_unit_ids(store: Store, user: User) -> set[int] | None:
    """None means every unit; a set (possibly empty) limits every query to those units."""
    if user.role == "supervisor":
        return people.descendant_unit_ids(store, user.unit_ids)
    return None
