"""Pemilu: the registry of "who" (elections, candidates, parties, campaign accounts, hashtags)."""

from __future__ import annotations

import streamlit as st

from monitor.people import elections
from monitor.store import elections as election_rows
from monitor.web import (file_upload, get_store, page_roles, require_role, save_election_section, upload_refusal,
                         uploaded_file)

user = require_role(*page_roles("pemilu.py"))
store = get_store()
st.title("Registri pemilu")
st.caption("Calon Pilkada berubah setiap siklus: ubah di sini atau impor berkas TOML/CSV. "
           "Perubahan berlaku pada klasifikasi berikutnya.")

message = st.session_state.pop("pemilu_message", None)
if message:
    st.success(message)

SECTIONS = {"elections": "Pemilu", "candidates": "Calon", "parties": "Partai",
            "campaign_accounts": "Akun kampanye", "hashtags": "Tagar", "slogans": "Slogan"}
#: Column headers as people read them; the registry's own field names stay in files and storage.
COLUMNS = {"key": "Kode", "type": "Jenis", "name": "Nama", "region": "Wilayah", "year": "Tahun",
           "campaign_start": "Awal kampanye", "campaign_end": "Akhir kampanye", "quiet_start": "Awal masa tenang",
           "quiet_end": "Akhir masa tenang", "voting_day": "Hari pemungutan", "election": "Pemilu",
           "ballot_number": "Nomor urut", "running_mate": "Wakil", "role": "Peran", "pair_name": "Nama pasangan",
           "spouse": "Pasangan hidup", "status": "Status", "nicknames": "Nama panggilan (pisahkan dengan ;)",
           "number": "Nomor", "abbreviation": "Singkatan", "platform": "Platform", "handle": "Akun",
           "owner_type": "Jenis pemilik", "owner": "Pemilik", "tag": "Tagar", "text": "Teks",
           "candidates": "Calon", "campaign_accounts": "Akun kampanye", "terms": "Istilah"}
LABELS = {name: st.column_config.Column(label) for name, label in COLUMNS.items()}

st.dataframe(election_rows.registry_summary(store), hide_index=True, placeholder="–", width="stretch",
             column_config=LABELS)
records = election_rows.registry_records(store)
revision = st.session_state.setdefault("pemilu_revision", 0)  # a new editor after each save: old edits never replay


def clean_rows(edited: list[dict]) -> list[dict]:
    """Editor rows as monitor.people.elections reads them: blanks as None, nicknames as a list."""
    cleaned = []
    for row in edited:
        row = {k: (None if v in ("", None) or v != v else v) for k, v in dict(row).items()}
        if not any(row.values()):
            continue
        if "nicknames" in row:
            row["nicknames"] = [n.strip() for n in str(row["nicknames"] or "").split(";") if n.strip()]
        cleaned.append(row)
    return cleaned


for section, tab in zip(SECTIONS, st.tabs(list(SECTIONS.values()))):
    with tab:
        rows = records[section]
        if section == "campaign_accounts":  # inactive accounts stay as evidence context, outside the editor
            inactive = [r for r in rows if not r["active"]]
            rows = [r for r in rows if r["active"]]
            if inactive:
                st.caption("Akun kampanye nonaktif (disimpan karena interaksi dan temuan merujuknya; "
                           "tambahkan lagi untuk mengaktifkan): "
                           + ", ".join(f"{r['platform']}:{r['handle']}" for r in inactive))
        for row in rows:  # lists edit as "a; b" text
            if isinstance(row.get("nicknames"), list):
                row["nicknames"] = "; ".join(row["nicknames"])
            row.pop("active", None)
        edited = st.data_editor(rows, num_rows="dynamic", key=f"pemilu_edit_{section}_{revision}", width="stretch",
                                column_config=LABELS, placeholder="–")
        cleaned = clean_rows(edited)
        gone = [elections.format_key(k) for k in elections.removed_keys(section, rows, cleaned)]
        confirmed = True
        if gone:
            verb = "menonaktifkan" if section == "campaign_accounts" else "menghapus"
            st.warning(f"{len(gone)} baris dihapus dari tabel: {', '.join(gone)}. Centang konfirmasi di bawah "
                       "sebelum menyimpan.")
            confirmed = st.checkbox(f"Saya yakin {verb} {len(gone)} baris: {', '.join(gone)}",
                                    key=f"pemilu_confirm_{section}_{revision}")
        if st.button("Simpan perubahan", key=f"pemilu_save_{section}"):
            if not confirmed:
                st.error("Centang konfirmasi penghapusan terlebih dahulu; belum ada yang disimpan.")
            else:
                try:
                    result = save_election_section(store, user.username, section, cleaned, before=rows)
                except elections.ElectionFileError as exc:
                    for problem in exc.problems:
                        st.error(problem)
                except ValueError as exc:
                    st.error(str(exc))
                else:
                    message = f"{SECTIONS[section]}: {result['saved']} baris disimpan"
                    if result["removed"]:
                        message += f", {len(result['removed'])} baris dihapus ({', '.join(result['removed'])})"
                    if result["deactivated"]:
                        message += (f", {len(result['deactivated'])} akun dinonaktifkan "
                                    f"({', '.join(result['deactivated'])})")
                    st.session_state["pemilu_message"] = message + "."
                    st.session_state["pemilu_revision"] = revision + 1
                    st.rerun()

st.subheader("Impor berkas")
upload = file_upload("Berkas registri (TOML atau CSV, maks. 5 MB)", ("toml", "csv"), key="pemilu_upload")
refusal = upload_refusal(upload)
if refusal:
    st.error(refusal)
elif upload is not None and st.button("Impor", key="pemilu_import"):
    with uploaded_file(upload) as path:
        try:
            counts = elections.import_file(store, path, actor=user.username)
        except elections.ElectionFileError as exc:
            for problem in exc.problems:
                st.error(problem)
        else:
            st.session_state["pemilu_message"] = "Impor selesai: " + ", ".join(f"{k} {v}" for k, v in counts.items())
            st.rerun()
