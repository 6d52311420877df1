"""Ekspor bukti: flags by employee, unit and date as CSV/XLSX, and the signed evidence bundle."""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

import streamlit as st

from monitor.flagging import review
from monitor.store import people
from monitor.web import get_store, page_roles, require_role, scope_unit_ids

user = require_role(*page_roles("ekspor_bukti.py"))
store = get_store()
st.title("Ekspor bukti")

scope = scope_unit_ids(store, user)
employees = people.list_employees(store, active_only=False, unit_ids=scope)
units = [u for u in people.list_units(store) if scope is None or u["id"] in scope]
employee_names = {e["id"]: f"{e['name']} ({e['nip'] or e['nik']})" for e in employees}
employee_nips = {e["id"]: e["nip"] for e in employees}
unit_names = {u["id"]: u["name"] for u in units}
unit_codes = {u["id"]: u["code"] for u in units}

employee = st.selectbox("Pegawai", [None, *employee_names], format_func=lambda i: "(semua)" if i is None else employee_names[i],
                        key="export_employee")
unit = st.selectbox("Unit kerja", [None, *unit_names], format_func=lambda i: "(semua)" if i is None else unit_names[i],
                    key="export_unit")
dates = st.date_input("Rentang tanggal kiriman", value=(), key="export_dates")
statuses = st.pills("Status (tanpa pilihan: semua)", list(review.STATUS_LABELS), selection_mode="multi",
                    default=["confirmed"], format_func=review.STATUS_LABELS.get, key="export_status")
date_from = date_to = None
if isinstance(dates, (list, tuple)) and dates:
    date_from, date_to = dates[0].isoformat(), (dates[1] if len(dates) > 1 else dates[0]).isoformat()
q = review.FlagQuery(employee_ids=(employee,) if employee else (), unit_ids=(unit,) if unit else (),
                     statuses=tuple(statuses), date_from=date_from, date_to=date_to, apply_thresholds=False)
st.caption(f"{review.count(store, user, q)} temuan cocok.")
# A prepared file belongs to the filter it was made with: any change of filter hides it, so the
# page never offers an old 10-row file beside "2 temuan cocok".
signature = hashlib.sha256(repr((q, user.username)).encode()).hexdigest()

if st.button("Siapkan tabel CSV dan XLSX", key="export_table"):
    table = review.export_rows(store, user, q)
    st.session_state["export_files"] = (review.rows_to_csv(table), review.rows_to_xlsx(table), len(table), signature)
files = st.session_state.get("export_files")
if files and files[3] != signature:
    st.session_state.pop("export_files")
    files = None
if files:
    st.success(f"{files[2]} baris siap diunduh.")
    left, right = st.columns(2)
    left.download_button("Unduh CSV", files[0], file_name="netra-temuan.csv", mime="text/csv", key="download_csv")
    right.download_button("Unduh XLSX", files[1], file_name="netra-temuan.xlsx",
                          mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="download_xlsx")

st.subheader("Paket bukti bertanda tangan")
from monitor.evidence.bundle import export_bundle  # noqa: E402

if st.button("Buat paket bukti", key="export_bundle"):
    with tempfile.TemporaryDirectory() as folder:
        output = Path(folder) / "netra-bukti.zip"
        try:
            summary = export_bundle(store, actor=user.username, output=output,
                                    employee_nip=employee_nips.get(employee) if employee else None,
                                    unit_code=unit_codes.get(unit) if unit else None,
                                    date_from=date_from, date_to=date_to, unit_ids=scope,
                                    statuses=tuple(statuses) or None)
        except (ValueError, RuntimeError, OSError) as exc:
            st.error(f"Paket bukti gagal dibuat: {exc}")
        else:
            path = Path(summary.get("path") or output)
            st.session_state["export_bundle_file"] = (path.name, path.read_bytes(), summary, signature)
            for problem in summary.get("missing_flags") or []:
                st.warning(f"Temuan #{problem} tidak termasuk dalam paket.")
bundle = st.session_state.get("export_bundle_file")
if bundle and bundle[3] != signature:
    st.session_state.pop("export_bundle_file")
    bundle = None
if bundle:
    name, data, summary, _signature = bundle
    st.success(f"Paket berisi {summary.get('posts', '?')} kiriman, {summary.get('flags', '?')} temuan; "
               f"SHA-256 {summary.get('sha256', '')}")
    st.download_button("Unduh paket bukti", data, file_name=name, mime="application/zip", key="download_bundle")
