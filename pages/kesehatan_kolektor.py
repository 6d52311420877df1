"""Kesehatan kolektor: per platform and account, last success, errors, items, alerts."""

from __future__ import annotations

import streamlit as st

from monitor.web import get_store, page_roles, require_role, scope_unit_ids, local_time

user = require_role(*page_roles("kesehatan_kolektor.py"))
store = get_store()
st.title("Kesehatan kolektor")

from monitor.collect import health  # noqa: E402

for alert in health.platform_alerts(store):
    st.warning(f"{alert['platform']}: {alert['message']}")
accounts = health.account_health(store, unit_ids=scope_unit_ids(store, user))
if not accounts:
    st.info("Belum ada akun yang dipantau dalam cakupan Anda.")
by_platform: dict[str, dict[str, int]] = {}
for row in accounts:
    stats = by_platform.setdefault(row["platform"], {"Akun": 0, "Bermasalah": 0, "Item 7 hari": 0})
    stats["Akun"] += 1
    stats["Bermasalah"] += int(row["status"] != "ok" or bool(row["last_error"]))
    stats["Item 7 hari"] += int(row["items_7d"] or 0)
if by_platform:
    st.subheader("Per platform")
    st.dataframe([{"Platform": p, **s, "Item per hari": round(s["Item 7 hari"] / 7, 1)} for p, s in by_platform.items()],
                 hide_index=True, placeholder="–", width="stretch")
st.subheader("Per akun")
st.dataframe([{"Platform": r["platform"], "Akun": r["handle"], "Pegawai": r["employee"], "Unit": r["unit"],
               "Status": r["status"], "Alasan": r["status_reason"], "Terakhir berhasil": local_time(r["last_success_at"]),
               "Galat terakhir": r["last_error"], "Waktu galat": local_time(r["last_error_at"]),
               "Item per hari (7 hari)": round((r["items_7d"] or 0) / 7, 1)} for r in accounts],
             hide_index=True, placeholder="–", width="stretch")
