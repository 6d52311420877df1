"""Beranda: the units and the latest posts within the user's scope."""

from __future__ import annotations

import streamlit as st

from monitor.flagging import review
from monitor.store import people
from monitor.store.posts import list_posts
from monitor.web import get_store, page_roles, require_role, scope_unit_ids, local_time

user = require_role(*page_roles("beranda.py"))
store = get_store()
scope = scope_unit_ids(store, user)

st.title("Netra — Ringkasan")

if user.role == "supervisor":
    # A superior's home is what needs them now, not every post of their staff.
    from monitor import config
    from monitor.cases import workflow as cases

    due = [c for c in cases.action_due(store, user, settings=config.load()) if cases.superior_may_act(c)]
    waiting = [c for c in due if not c["actions"]]
    late = [c for c in waiting if c["action_state"] in ("lewat", "jatuh_tempo")]
    escalations = review.escalated(store, user)
    st.subheader("Perlu tindakan Anda sekarang")
    left, middle, right = st.columns(3)
    left.metric("Kasus menunggu tindakan", len(waiting))
    middle.metric("Tenggat lewat atau hari ini/besok", len(late))
    right.metric("Eskalasi dari analis", len(escalations))
    if waiting or escalations:
        st.bar_chart({"Jumlah": {"Kasus menunggu": len(waiting), "Tenggat dekat/lewat": len(late),
                                 "Eskalasi": len(escalations)}}, x_label="Keperluan", y_label="Jumlah", horizontal=True)
        st.dataframe([{"No.": c["id"], "Pegawai": c["employee"], "Unit": c["unit"],
                       "Tindakan s.d.": local_time(c["action_due_on"])} for c in waiting],
                     hide_index=True, placeholder="–", width="stretch")
        st.caption("Buka *Tindak lanjut* untuk mencatat tindakan dan menjawab eskalasi.")
    else:
        st.info("Tidak ada yang menunggu Anda saat ini.")
    st.stop()
open_flags = review.count(store, user, review.FlagQuery(apply_thresholds=False))
st.metric("Temuan terbuka dalam cakupan Anda", open_flags)
units = [u for u in people.list_units(store) if scope is None or u["id"] in scope]
st.subheader(f"Unit kerja ({len(units)})")
st.dataframe(
    [{"Kode": u["code"], "Unit": u["name"], "Induk": u["parent_code"] or "", "Pegawai aktif": u["employees"]}
     for u in units],
    hide_index=True, placeholder="–", width="stretch",
)
search = st.text_input("Cari kiriman", key="search")
posts = list_posts(store, unit_ids=scope, search=search or None, limit=200)
st.subheader(f"Kiriman terbaru ({len(posts)})")
st.dataframe(
    [{"Waktu": local_time(p["created_at"]), "Platform": p["platform"], "Akun": p["handle"], "Pegawai": p["employee"],
      "Unit": p["unit"], "Teks": p["text"], "Tautan": p["url"]} for p in posts],
    hide_index=True, placeholder="–", width="stretch",
    column_config={"Tautan": st.column_config.LinkColumn("Tautan")},
)
