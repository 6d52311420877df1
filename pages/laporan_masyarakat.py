"""Laporan masyarakat: a public form (no login) whose reports enter the review queue."""

from __future__ import annotations

import uuid

import streamlit as st

import sqlite3

from monitor.store import StoreError
from monitor.web import REPORT_LIMITER, client_address, get_store, safe_url, show_failure

MAX_SCREENSHOT = 5 * 1024 * 1024

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
    screenshot = st.file_uploader("Tangkapan layar (PNG/JPG, maks. 5 MB)", type=["png", "jpg", "jpeg"])
    contact = st.text_input("Kontak Anda (opsional, untuk klarifikasi)")
    sent = st.form_submit_button("Kirim laporan")

if sent:
    client = client_address()
    session_key = "session:" + st.session_state.setdefault("report_session", uuid.uuid4().hex)
    if not safe_url(url.strip()):
        st.error("Tautan harus diawali http:// atau https://.")
    elif screenshot is not None and screenshot.size > MAX_SCREENSHOT:
        st.error("Tangkapan layar terlalu besar (maksimal 5 MB).")
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
