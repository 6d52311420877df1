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


def get_store() -> Store:
    """The dashboard's shared store, opened once per server process (Streamlit resource cache)."""
    import streamlit as st

    @st.cache_resource
    def _open() -> Store:
        return open_dashboard_store()

    return _open()


def require_role(*roles: str) -> User:
    """The logged-in user if their role is one of ``roles``; otherwise explain and stop the page.

    Pages call this first, so a URL typed by hand never shows a page the role may not use. The
    data itself is still filtered by scope in the library's queries.
    """
    import streamlit as st

    user = st.session_state.get("user")
    if user is None:
        st.error("Silakan masuk terlebih dahulu.")
        st.stop()
    if roles and user.role not in roles:
        st.error("Peran Anda tidak memiliki akses ke halaman ini.")
        st.stop()
    return user
