"""Ringkasan unit: counts by unit, category and week, trends, employees with flags, drill-down."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from monitor.flagging import review
from monitor.web import get_store, page_roles, queue_table, render_flag_card, require_role, weekly_frame

user = require_role(*page_roles("ringkasan_unit.py"))
store = get_store()
st.title("Ringkasan unit")
if user.role == "supervisor":
    st.caption("Hanya unit Anda dan sub-unitnya yang ditampilkan.")

dates = st.date_input("Rentang tanggal kiriman", value=(), key="summary_dates")
date_from = date_to = None
if isinstance(dates, (list, tuple)) and dates:
    date_from, date_to = dates[0].isoformat(), (dates[1] if len(dates) > 1 else dates[0]).isoformat()
summary = review.unit_summary(store, user, date_from=date_from, date_to=date_to)

by_unit = pd.DataFrame(summary["by_unit"], columns=["unit_id", "unit", "category", "status", "n"])
if by_unit.empty:
    st.info("Belum ada temuan dalam cakupan ini.")
else:
    cols = st.columns(4)
    for col, status in zip(cols, ("open", "escalated", "confirmed", "dismissed")):
        col.metric(review.STATUS_LABELS[status], int(by_unit.loc[by_unit.status == status, "n"].sum()))
    st.subheader("Temuan per unit dan kategori")
    pivot = by_unit.assign(category=by_unit.category.map(lambda c: review.CATEGORY_LABELS.get(c, c))).pivot_table(
        index="unit", columns="category", values="n", aggfunc="sum", fill_value=0).rename_axis(index="Unit", columns="Kategori")
    st.dataframe(pivot, width="stretch")
    st.subheader("Tren mingguan")
    weekly = weekly_frame(summary["by_week"], review.CATEGORY_LABELS)
    if not weekly.empty:
        st.bar_chart(weekly, x_label="Minggu", y_label="Temuan")

st.subheader("Pegawai dengan temuan terbuka atau terkonfirmasi")
employees = summary["employees"]
st.dataframe([{"Pegawai": e["employee"], "NIP": e["nip"], "Jabatan": e["position"], "Unit": e["unit"],
               "Terbuka": e["open"], "Dieskalasi": e["escalated"], "Pelanggaran": e["confirmed"]} for e in employees],
             hide_index=True, placeholder="–", width="stretch")

if employees:
    st.subheader("Rincian pegawai")
    names = {e["employee_id"]: f"{e['employee']} ({e['unit']})" for e in employees}
    chosen = st.selectbox("Pegawai", list(names), format_func=names.get, key="summary_employee")
    flags = review.queue(store, user, review.FlagQuery(employee_ids=(chosen,), statuses=(), apply_thresholds=False),
                         limit=200)
    st.dataframe(queue_table(flags), hide_index=True, placeholder="–", width="stretch")
    if flags:
        flag_id = st.selectbox("Lihat temuan", [f["id"] for f in flags], key="summary_flag")
        try:
            render_flag_card(review.flag_card(store, user, flag_id))
        except review.FlagNotFound as exc:
            st.error(str(exc))
