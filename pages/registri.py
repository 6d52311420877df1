"""Registri (admin): units, employees and accounts (import with row report, edit, deactivate); users."""

from __future__ import annotations

import streamlit as st

from monitor import auth
from monitor.people import instansi, registry
from monitor.store import people
from monitor.store import users as user_rows
from monitor.store.users import ROLES
from monitor.web import (ROLE_LABELS, choose_many, file_upload, get_store, local_time, page_roles, require_role,
                         update_employee, update_user, upload_refusal, uploaded_file)

user = require_role(*page_roles("registri.py"))
store = get_store()
st.title("Registri")

message = st.session_state.pop("registri_message", None)
if message:
    st.success(message)

# Several instansi (issue 20): an admin manages their own instansi's units, employees and users.
readable_units = instansi.unit_scope(store, user)
own_instansi = instansi.import_instansi_id(store, user)
units = [u for u in people.list_units(store) if readable_units is None or u["id"] in readable_units]
unit_names = {u["id"]: f"{u['name']} ({u['code']})" for u in units}
tab_employees, tab_units, tab_users = st.tabs(["Pegawai dan akun", "Unit kerja", "Pengguna dan peran"])

with tab_employees:
    st.subheader("Impor daftar pegawai (CSV atau XLSX)")
    upload = file_upload("Berkas pegawai (CSV/XLSX, maks. 5 MB)", ("csv", "xlsx"), key="registri_upload")
    skip_invalid = st.checkbox("Impor baris yang valid, laporkan sisanya", key="registri_skip")
    deactivate = st.checkbox("Nonaktifkan pegawai yang tidak ada di berkas", value=True, key="registri_deactivate")
    if upload_refusal(upload):
        st.error(upload_refusal(upload))
    elif upload is not None and st.button("Impor pegawai", key="registri_import"):
        with uploaded_file(upload) as path:
            try:
                report = registry.import_employees(store, path, skip_invalid=skip_invalid,
                                                   deactivate_missing=deactivate, actor=user.username,
                                                   instansi_id=own_instansi)
            except (registry.RegistryFileError, ValueError) as exc:
                st.error(str(exc))
                report = None
        if report is not None:
            st.session_state["registri_report"] = report
    report = st.session_state.get("registri_report")
    if report is not None:
        if report.applied:
            st.success(f"{report.valid} dari {report.rows} baris diimpor: "
                       + ", ".join(f"{k} {v}" for k, v in report.counts.items()))
        else:
            st.error(f"Tidak ada yang diubah: {len(report.errors)} baris bermasalah dari {report.rows}.")
        if report.errors:
            st.dataframe([{"Baris": e.line, "Masalah": e.reason} for e in report.errors], hide_index=True, placeholder="–")
        if report.ignored_columns:
            st.caption("Kolom diabaikan: " + ", ".join(report.ignored_columns))
        if report.deactivation_skipped:
            st.warning("Penonaktifan dilewati karena ada baris yang NIP/NIK-nya tidak terbaca.")

    st.subheader("Daftar pegawai")
    show_inactive = st.checkbox("Tampilkan yang nonaktif", key="registri_inactive")
    employees = people.list_employees(store, active_only=not show_inactive, unit_ids=readable_units)
    st.dataframe([{"ID": e["id"], "NIP": e["nip"], "NIK": e["nik"], "Nama": e["name"], "Jabatan": e["position"],
                   "Pangkat": e["rank"], "Jenis": e["employment_type"], "Unit": e["unit"],
                   "Aktif": bool(e["active"]), "Akun": e["accounts"]} for e in employees],
                 hide_index=True, placeholder="–", width="stretch")
    if employees:
        st.subheader("Ubah atau nonaktifkan pegawai")
        by_id = {e["id"]: e for e in employees}
        chosen = st.selectbox("Pegawai", list(by_id), format_func=lambda i: f"{by_id[i]['name']} ({by_id[i]['nip'] or by_id[i]['nik']})",
                              key="registri_employee")
        current = by_id[chosen]
        current_unit = current["unit_id"]
        with st.form(f"employee_{chosen}"):
            name = st.text_input("Nama", current["name"])
            position = st.text_input("Jabatan", current["position"] or "")
            rank = st.text_input("Pangkat/golongan", current["rank"] or "")
            unit_ids = list(unit_names)
            unit = st.selectbox("Unit", unit_ids, index=unit_ids.index(current_unit) if current_unit in unit_ids else 0,
                                format_func=unit_names.get)
            active = st.checkbox("Aktif", bool(current["active"]))
            if st.form_submit_button("Simpan pegawai"):
                try:
                    update_employee(store, user.username, chosen, name=name.strip(), position=position.strip() or None,
                                    rank=rank.strip() or None, unit_id=unit, active=active)
                except ValueError as exc:
                    st.error(str(exc))
                else:
                    st.session_state["registri_message"] = f"Pegawai {name} disimpan."
                    st.rerun()

with tab_units:
    st.dataframe([{"Kode": u["code"], "Unit": u["name"], "Induk": u["parent_code"] or "", "Aktif": bool(u["active"]),
                   "Pegawai aktif": u["employees"]} for u in units], hide_index=True, placeholder="–", width="stretch")
    unit_upload = file_upload("Impor unit (kode, nama, kode induk; CSV/XLSX, maks. 5 MB)", ("csv", "xlsx"),
                              key="registri_units")
    if upload_refusal(unit_upload):
        st.error(upload_refusal(unit_upload))
    elif unit_upload is not None and st.button("Impor unit", key="registri_units_import"):
        with uploaded_file(unit_upload) as path:
            try:
                unit_report = registry.import_units(store, path, actor=user.username, instansi_id=own_instansi)
            except registry.RegistryFileError as exc:
                st.error(str(exc))
            else:
                if unit_report.applied:
                    st.session_state["registri_message"] = f"{unit_report.valid} unit diimpor."
                    st.rerun()
                st.dataframe([{"Baris": e.line, "Masalah": e.reason} for e in unit_report.errors], hide_index=True, placeholder="–")

with tab_users:
    accounts = user_rows.list_users(store, instansi.visible_instansi_ids(store, user))
    st.dataframe([{"Pengguna": u["username"], "Nama": u["full_name"], "Peran": ROLE_LABELS[u["role"]], "Aktif": bool(u["active"]),
                   "Unit": u["units"], "Masuk terakhir": local_time(u["last_login_at"]), "Terkunci hingga": u["locked_until"]}
                  for u in accounts], hide_index=True, placeholder="–", width="stretch")
    st.subheader("Tambah pengguna")
    with st.form("new_user", clear_on_submit=True):
        username = st.text_input("Nama pengguna")
        full_name = st.text_input("Nama lengkap")
        password = st.text_input("Kata sandi awal (min. 8 karakter)", type="password")
        # Least privilege first: a new account is a read-only auditor unless the admin picks more.
        role = st.selectbox("Peran", ROLES, index=ROLES.index("auditor"), format_func=ROLE_LABELS.get,
                            key="new_user_role")
        scope = choose_many("Unit (wajib untuk atasan)", list(unit_names), format_func=unit_names.get,
                            placeholder="Pilih unit")
        if st.form_submit_button("Tambah"):
            try:
                auth.create_user(store, username.strip(), password, role, full_name=full_name.strip() or None,
                                 unit_ids=scope, actor=user.username, by=user)
            except ValueError as exc:
                st.error(str(exc))
            else:
                st.session_state["registri_message"] = f"Pengguna {username} ditambahkan."
                st.rerun()
    if accounts:
        st.subheader("Ubah peran atau nonaktifkan")
        names = [u["username"] for u in accounts]
        target = st.selectbox("Pengguna", names, key="registri_user")
        row = user_rows.get_user(store, target)
        with st.form(f"user_{target}"):
            role = st.selectbox("Peran", ROLES, index=ROLES.index(row["role"]), format_func=ROLE_LABELS.get)
            scope = choose_many("Unit", list(unit_names), default=[u for u in row["unit_ids"] if u in unit_names],
                                format_func=unit_names.get, placeholder="Pilih unit")
            active = st.checkbox("Aktif", bool(row["active"]))
            if st.form_submit_button("Simpan pengguna"):
                if target == user.username and (not active or role != "admin"):
                    st.error("Anda tidak dapat mencabut peran admin atau menonaktifkan akun Anda sendiri.")
                else:
                    try:
                        update_user(store, user.username, target, role=role, active=active, unit_ids=scope)
                    except ValueError as exc:
                        st.error(str(exc))
                    else:
                        st.session_state["registri_message"] = f"Pengguna {target} disimpan."
                        st.rerun()
