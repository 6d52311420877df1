"""Laporan masyarakat: a public form (no login) whose reports enter the review queue."""

from __future__ import annotations

import uuid

import streamlit as st

import sqlite3

from monitor.store import StoreError
from monitor.web import REPORT_LIMITER, client_address, file_upload, get_store, safe_url, show_failure, upload_refusal

st.title("Laporan masyarakat")
st.write("Laporkan kiriman media sosial ASN yang diduga melanggar netralitas. Laporan ditinjau manusia; "
         "identitas pelapor tidak wajib dan tidak ditampilkan kepada pihak yang dilaporkan.")

from monitor.collect.reports import submit_report  # noqa: E402

done = st.session_state.pop("report_done", None)
if done:
    st.success(f"Terima kasih. Laporan Anda tercatat dengan nomor {done} dan akan ditinjau.")

with st.form("public_report", clear_on_submit=True):
    url = st.text_input("Tautan kiriman (wajib)")
    text = st.text_area("Keterangan atau salinan teks kiriman")
    screenshot = file_upload("Tangkapan layar (PNG/JPG, maks. 5 MB)", ("png", "jpg", "jpeg"), key="report_screenshot")
    contact = st.text_input("Kontak Anda (opsional, untuk klarifikasi)")
    sent = st.form_submit_button("Kirim laporan")

if sent:
    client = client_address()
    session_key = "session:" + st.session_state.setdefault("report_session", uuid.uuid4().hex)
    if not safe_url(url.strip()):
        st.error("Tautan harus diawali http:// atau https://.")
    elif upload_refusal(screenshot):
        st.error(upload_refusal(screenshot))
    elif not REPORT_LIMITER.allow("ip:" + client, session_key):
        st.error("Terlalu banyak laporan dari perangkat ini. Silakan coba lagi dalam satu jam.")
    else:
        try:
            flag_id = submit_report(get_store(), url=url.strip(), text=text.strip() or None,
                                    screenshot=screenshot.getvalue() if screenshot is not None else None,
                                    reporter_contact=contact.strip() or None)
        except (sqlite3.Error, StoreError) as exc:  # locked or unavailable database: no traceback
            show_failure("laporan", exc)
        except ValueError as exc:
            st.error(f"Laporan tidak dapat diterima: {exc}")
        else:
            st.session_state["report_done"] = flag_id
            st.rerun()
