"""Netra dashboard (Streamlit). Pages only call library functions and render.

Post text is untrusted: it is shown with st.dataframe / st.text, never as HTML.
"""

from __future__ import annotations

import streamlit as st

from monitor import auth
from monitor.store import StoreError
from monitor.store import people
from monitor.store.posts import list_posts
from monitor.web import open_dashboard_store, scope_unit_ids

st.set_page_config(page_title="Netra", page_icon="🛡️", layout="wide")


@st.cache_resource
def _store():
    return open_dashboard_store()


def login_form(store) -> None:
    st.title("Netra — Pemantauan Netralitas ASN")
    with st.form("login"):
        username = st.text_input("Nama pengguna")
        password = st.text_input("Kata sandi", type="password")
        submitted = st.form_submit_button("Masuk")
    if submitted:
        try:
            st.session_state["user"] = auth.login(store, username, password)
        except auth.AuthError as exc:
            st.error(str(exc))
        else:
            st.rerun()


def main() -> None:
    try:
        store = _store()
    except StoreError as exc:
        st.error(f"Basis data tidak dapat dibuka: {exc}")
        st.stop()
    user = st.session_state.get("user")
    if user is None:
        login_form(store)
        return
    with st.sidebar:
        st.write(f"Masuk sebagai **{user.username}** ({user.role})")
        if st.button("Keluar"):
            st.session_state.pop("user", None)
            st.rerun()
    scope = scope_unit_ids(store, user)
    st.title("Netra — Ringkasan")
    units = [u for u in people.list_units(store) if scope is None or u["id"] in scope]
    st.subheader(f"Unit kerja ({len(units)})")
    st.dataframe(
        [{"Kode": u["code"], "Unit": u["name"], "Induk": u["parent_code"] or "", "Pegawai aktif": u["employees"]}
         for u in units],
        hide_index=True, use_container_width=True,
    )
    search = st.text_input("Cari kiriman", key="search")
    posts = list_posts(store, unit_ids=scope, search=search or None, limit=200)
    st.subheader(f"Kiriman terbaru ({len(posts)})")
    st.dataframe(
        [{"Waktu": p["created_at"], "Platform": p["platform"], "Akun": p["handle"], "Pegawai": p["employee"],
          "Unit": p["unit"], "Teks": p["text"], "Tautan": p["url"]} for p in posts],
        hide_index=True, use_container_width=True,
        column_config={"Tautan": st.column_config.LinkColumn("Tautan")},
    )


main()
