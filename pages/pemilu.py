"""Pemilu: the registry of "who" (elections, candidates, parties, campaign accounts, hashtags)."""

from __future__ import annotations

import streamlit as st

from monitor import elections
from monitor.store import elections as election_rows
from monitor.web import get_store, page_roles, require_role, save_election_section, uploaded_file

user = require_role(*page_roles("pemilu.py"))
store = get_store()
st.title("Registri pemilu")
st.caption("Calon Pilkada berubah setiap siklus: ubah di sini atau impor berkas TOML/CSV. "
           "Perubahan berlaku pada klasifikasi berikutnya.")

message = st.session_state.pop("pemilu_message", None)
if message:
    st.success(message)

st.dataframe(election_rows.registry_summary(store), hide_index=True, width="stretch")

SECTIONS = {"elections": "Pemilu", "candidates": "Calon", "parties": "Partai",
            "campaign_accounts": "Akun kampanye", "hashtags": "Tagar", "slogans": "Slogan"}
records = election_rows.registry_records(store)
for section, tab in zip(SECTIONS, st.tabs(list(SECTIONS.values()))):
    with tab:
        rows = records[section]
        for row in rows:  # lists edit as "a; b" text
            if isinstance(row.get("nicknames"), list):
                row["nicknames"] = "; ".join(row["nicknames"])
            row.pop("active", None)
        edited = st.data_editor(rows, num_rows="dynamic", key=f"pemilu_edit_{section}", width="stretch")
        if st.button("Simpan perubahan", key=f"pemilu_save_{section}"):
            cleaned = []
            for row in edited:
                row = {k: (None if v in ("", None) or v != v else v) for k, v in dict(row).items()}
                if not any(row.values()):
                    continue
                if "nicknames" in row:
                    row["nicknames"] = [n.strip() for n in str(row["nicknames"] or "").split(";") if n.strip()]
                cleaned.append(row)
            try:
                counts = save_election_section(store, user.username, section, cleaned)
            except elections.ElectionFileError as exc:
                for problem in exc.problems:
                    st.error(problem)
            except ValueError as exc:
                st.error(str(exc))
            else:
                st.session_state["pemilu_message"] = f"{SECTIONS[section]}: {counts[section]} baris disimpan."
                st.rerun()

st.subheader("Impor berkas")
upload = st.file_uploader("Berkas registri (TOML atau CSV)", type=["toml", "csv"], key="pemilu_upload")
if upload is not None and st.button("Impor", key="pemilu_import"):
    with uploaded_file(upload) as path:
        try:
            counts = elections.import_file(store, path, actor=user.username)
        except elections.ElectionFileError as exc:
            for problem in exc.problems:
                st.error(problem)
        else:
            st.session_state["pemilu_message"] = "Impor selesai: " + ", ".join(f"{k} {v}" for k, v in counts.items())
            st.rerun()
