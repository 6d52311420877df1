"""Rekap nasional/provinsi: counts of the instansi under a provincial or national body (issue 20).

Numbers only (flags by instansi, unit, violation code and week; cases by status), never post
text or names; shown only to users of an instansi that has instansi under it. An auditor of
the parent may open one case read-only (monitor.cases.rollup.oversight_case).
"""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import streamlit as st

from monitor.cases import rollup
from monitor.flagging import review
from monitor.glossary import CASE_EVENTS, CASE_STATUSES
from monitor.people import instansi
from monitor.web import get_store, local_time, page_roles, require_role

user = require_role(*page_roles("rekap_instansi.py"))
store = get_store()
st.title("Rekap nasional/provinsi")
if not instansi.is_oversight(store, user):
    st.info("Rekap ini hanya untuk pengguna instansi provinsi atau nasional yang membawahi instansi lain.")
    st.stop()
st.caption("Hanya angka: tanpa teks kiriman dan tanpa nama pegawai. Rincian tetap di instansi masing-masing.")

dates = st.date_input("Rentang tanggal temuan", value=(), key="rollup_dates")
date_from = date_to = None
if isinstance(dates, (list, tuple)) and dates:
    date_from = dates[0].isoformat()
    date_to = ((dates[1] if len(dates) > 1 else dates[0]) + timedelta(days=1)).isoformat()
data = rollup.rollup(store, user, date_from=date_from, date_to=date_to)
names = {i["code"]: i["name"] for i in data["instansi"]}

st.subheader("Instansi yang dicakup")
st.dataframe([{"Kode": i["code"], "Nama": i["name"], "Jenis": i["kind"], "Induk": i["parent_code"] or "–"}
              for i in data["instansi"]], hide_index=True, width="stretch")

by_instansi = pd.DataFrame(data["by_instansi"], columns=["instansi", "status", "n"])
if by_instansi.empty:
    st.info("Belum ada temuan di instansi yang dicakup.")
else:
    cols = st.columns(4)
    for col, status in zip(cols, ("open", "escalated", "confirmed", "dismissed")):
        col.metric(review.STATUS_LABELS[status], int(by_instansi.loc[by_instansi.status == status, "n"].sum()))
    st.subheader("Temuan per instansi dan status")
    pivot = by_instansi.assign(status=by_instansi.status.map(lambda s: review.STATUS_LABELS.get(s, s))).pivot_table(
        index="instansi", columns="status", values="n", aggfunc="sum", fill_value=0
    ).rename_axis(index="Instansi", columns="Status")
    st.dataframe(pivot, width="stretch")
    st.subheader("Tren mingguan per instansi")
    weekly = pd.DataFrame(data["by_week"], columns=["instansi", "week", "n"]).pivot_table(
        index="week", columns="instansi", values="n", aggfunc="sum", fill_value=0)
    st.bar_chart(weekly, x_label="Minggu", y_label="Temuan")
    st.subheader("Pelanggaran per kode")
    st.dataframe([{"Instansi": r["instansi"], "Kode": r["code"], "Jumlah": r["n"]} for r in data["by_code"]],
                 hide_index=True, width="stretch")
    st.subheader("Temuan per unit dan kategori")
    st.dataframe([{"Instansi": r["instansi"], "Unit": r["unit"],
                   "Kategori": review.CATEGORY_LABELS.get(r["category"], r["category"]), "Jumlah": r["n"]}
                  for r in data["by_unit"]], hide_index=True, width="stretch")

st.subheader("Kasus per instansi dan status")
st.dataframe([{"Instansi": r["instansi"], "Status": CASE_STATUSES.get(r["status"], r["status"]), "Jumlah": r["n"]}
              for r in data["cases"]], hide_index=True, placeholder="–", width="stretch")

if user.role in rollup.DRILL_DOWN_ROLES:
    st.subheader("Buka satu kasus (hanya baca, tercatat di log audit)")
    case_id = st.number_input("Nomor kasus", min_value=1, step=1, value=None, key="rollup_case")
    if case_id and st.button("Buka kasus", key="rollup_open"):
        try:
            found = rollup.oversight_case(store, user, int(case_id))
        except rollup.RollupError as exc:
            st.error(str(exc))
        else:
            case = found["case"]
            st.write(f"Kasus #{case['id']}: {found['status_label']}, unit {case.get('unit') or '–'}, "
                     f"dibuka {local_time(case.get('created_at'))}")
            st.dataframe([{"Waktu": local_time(e["ts"]), "Peristiwa": CASE_EVENTS.get(e["kind"], e["kind"]),
                           "Dari": CASE_STATUSES.get(e.get("from_status") or "", "–"),
                           "Ke": CASE_STATUSES.get(e.get("to_status") or "", "–")} for e in found["events"]],
                         hide_index=True, placeholder="–", width="stretch")
