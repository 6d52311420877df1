"""Netra dashboard (Streamlit): login, then the pages of the user's role (st.navigation).

The page list and each page's roles live in monitor.web.PAGES; every page script checks its
role again with monitor.web.require_role, and its data comes scoped from the library. Post text
is untrusted: it is shown as data cells, st.text, or Markdown with every character escaped.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from monitor import auth
from monitor.store import StoreError
from monitor.web import WIDGET_TEXT_CSS, PAGES, ROLE_LABELS, client_address, get_store, session_user, visible_pages

st.set_page_config(page_title="Netra", page_icon="🛡️", layout="wide")

PAGES_DIR = Path(__file__).resolve().parent / "pages"


def login_form() -> None:
    st.title("Netra — Pemantauan Netralitas ASN")
    reason = st.session_state.pop("_netra_logout_reason", None)
    if reason:
        st.warning(reason)
    try:
        store = get_store()
    except StoreError as exc:
        st.error(f"Basis data tidak dapat dibuka: {exc}")
        st.stop()
    with st.form("login"):
        username = st.text_input("Nama pengguna")
        password = st.text_input("Kata sandi", type="password")
        submitted = st.form_submit_button("Masuk")
    if submitted:
        try:
            st.session_state["user"] = auth.login(store, username, password, address=client_address())
        except auth.AuthError as exc:
            st.error(str(exc))
        else:
            st.rerun()
    st.caption("Anggota masyarakat dapat mengirim laporan tanpa masuk melalui menu *Laporan masyarakat*.")


def _page(name: str, *, default: bool = False):
    title, url_path, _roles = PAGES[name]
    return st.Page(str(PAGES_DIR / name), title=title, default=default, url_path=url_path)


def main() -> None:
    st.html(WIDGET_TEXT_CSS)  # Streamlit's unsettable English, in Bahasa, on every page
    try:
        user = session_user()
    except StoreError as exc:
        st.error(f"Basis data tidak dapat dibuka: {exc}")
        st.stop()
    names = [n for n in visible_pages(get_store() if user else None, user) if (PAGES_DIR / n).is_file()]
    if user is None:
        pages = [st.Page(login_form, title="Masuk", default=True, url_path="masuk")]
        pages += [_page(n) for n in names]
    else:
        pages = [_page(n, default=(i == 0)) for i, n in enumerate(names)]
    # Every page listed: collapsed, Streamlit's menu says "View 3 more" (English no API can set).
    page = st.navigation(pages, expanded=True)
    if user is not None:
        with st.sidebar:
            st.write(f"Masuk sebagai **{user.username}** ({ROLE_LABELS.get(user.role, user.role)})")
            if st.button("Keluar", key="logout"):
                for key in list(st.session_state.keys()):
                    del st.session_state[key]
                st.rerun()
    page.run()


main()
