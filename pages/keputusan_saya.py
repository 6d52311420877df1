"""Keputusan saya: the reviewer's own decisions, and reopening one with a reason."""

from __future__ import annotations

import streamlit as st

from monitor.flagging import review
from monitor.web import get_store, page_roles, require_role, local_time

user = require_role(*page_roles("keputusan_saya.py"))
store = get_store()
st.title("Keputusan saya")

message = st.session_state.pop("mine_message", None)
if message:
    st.success(message)

page = st.number_input("Halaman", min_value=1, value=1, step=1, key="mine_page")
mine = review.my_decisions(store, user, limit=50, offset=(int(page) - 1) * 50)
labels = {**review.DECISIONS, "reopen": "Dibuka kembali"}
if not mine:
    st.info("Belum ada keputusan.")
st.dataframe([{"Waktu": local_time(m["created_at"]), "Temuan": m["flag_id"], "Keputusan": labels.get(m["decision"], m["decision"]),
               "Kode": m["violation_code"], "Catatan": m["note"], "Massal": "ya" if m["batch"] else "",
               "Status kini": review.STATUS_LABELS.get(m["current_status"], m["current_status"]),
               "Pegawai": m["employee"], "Unit": m["unit"], "Teks": m["text"]} for m in mine],
             hide_index=True, placeholder="–", width="stretch")

st.subheader("Buka kembali keputusan")
reopenable = sorted({m["flag_id"] for m in mine if m["current_status"] != "open"})
if reopenable:
    flag_id = st.selectbox("Temuan", reopenable, key="reopen_flag")
    reason = st.text_area("Alasan (wajib, dicatat di jejak audit)", key="reopen_reason")
    if st.button("Buka kembali", key="reopen_button"):
        try:
            review.reopen(store, user, flag_id, reason)
        except review.ReviewError as exc:
            st.error(str(exc))
        else:
            st.session_state["mine_message"] = f"Temuan #{flag_id} kembali ke antrian."
            st.rerun()
else:
    st.caption("Tidak ada keputusan yang dapat dibuka kembali di halaman ini.")
