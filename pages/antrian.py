"""Antrian tinjauan: the highest-priority flag as a card, one click per decision, then the next."""

from __future__ import annotations

import streamlit as st

from monitor import glossary
from monitor.flagging import report_link, review
from monitor.web import flag_filters, get_store, page_roles, queue_table, render_flag_card, require_role

PAGE_SIZE = 25

user = require_role(*page_roles("antrian.py"))
store = get_store()
st.title("Antrian tinjauan")

# The filters sit on the page, folded, not in the sidebar: on a phone an open sidebar covers the queue.
q = flag_filters(store, user, key="antrian", container=st.expander("Filter temuan"))
skipped: list[int] = st.session_state.setdefault("antrian_skipped", [])
total = review.count(store, user, q)
st.caption(f"{total} temuan cocok dengan filter. Pintasan: Alt+1 Pelanggaran · Alt+2 Bukan pelanggaran · "
           "Alt+3 Eskalasi · Alt+4 Lewati.")

message = st.session_state.pop("antrian_message", None)
if message:
    st.success(message)

# Which flag to show: one opened by id, else the top of the queue (minus skipped ones).
with st.expander("Buka temuan tertentu"):
    wanted = st.number_input("Nomor temuan", min_value=0, step=1, value=0, key="antrian_open_id")
    if st.button("Buka", key="antrian_open") and wanted:
        st.session_state["antrian_selected"] = int(wanted)



def link_to_employee(card: dict) -> None:
    """A public report about an account not in the registry: pick its owner by name or NIP.

    The library records the account on that employee and moves the flag to their unit, so the
    unit's supervisor sees it; keys carry the flag id, like the decision form.
    """
    flag = card["flag"]
    fid = flag["id"]
    with st.expander("Hubungkan laporan ke pegawai", expanded=True):
        st.caption("Akun yang dilaporkan belum ada di registri. Bila sudah dipastikan milik seorang pegawai, "
                   "hubungkan: akun dicatat untuk pegawai itu dan temuan pindah ke unit kerjanya, sehingga "
                   "atasannya melihatnya.")
        search = st.text_input("Cari pegawai (nama atau NIP)", key=f"link_search_{fid}")
        try:
            choices = report_link.employee_choices(store, user, search)
        except review.ReviewError as exc:
            st.error(str(exc))
            return
        labels = {c["id"]: c["label"] for c in choices}
        chosen = st.selectbox("Pegawai", list(labels), index=None, format_func=labels.get, key=f"link_employee_{fid}",
                              placeholder="Pilih pegawai" if labels else "Tidak ada pegawai yang cocok")
        handle = None
        if not card.get("report_handle"):
            platform = glossary.PLATFORMS.get(flag["platform"], flag["platform"])
            handle = st.text_input(f"Nama akun pegawai di {platform} (tautan laporan tidak menyebutnya)",
                                   key=f"link_handle_{fid}")
        note = st.text_input("Dasar penghubungan (catatan)", key=f"link_note_{fid}")
        if st.button("Hubungkan ke pegawai", key=f"link_apply_{fid}"):
            if chosen is None:
                st.error("Pilih pegawai terlebih dahulu.")
                return
            try:
                linked = report_link.link_report(store, user, fid, chosen, handle=handle, note=note)
            except review.ReviewError as exc:
                st.error(str(exc))
            else:
                st.session_state["antrian_selected"] = fid  # stay on this report, now with its employee
                st.session_state["antrian_message"] = (f"Laporan #{fid} dihubungkan ke {linked['employee']} "
                                                       f"({linked['unit']}).")
                st.rerun()


card = None
selected = st.session_state.get("antrian_selected")
if selected:
    try:
        card = review.flag_card(store, user, selected)
    except review.FlagNotFound as exc:
        st.error(str(exc))
        st.session_state.pop("antrian_selected", None)
if card is None:
    top = review.next_flag(store, user, review.FlagQuery(**{**q.__dict__, "exclude_ids": tuple(skipped)}))
    if top is not None:
        card = review.flag_card(store, user, top["id"])

if card is None:
    st.info("Tidak ada temuan dalam antrian untuk filter ini." + (" (Ada temuan yang dilewati.)" if skipped else ""))
    if skipped and st.button("Tampilkan lagi temuan yang dilewati", key="antrian_unskip"):
        st.session_state["antrian_skipped"] = []
        st.rerun()
else:
    flag = card["flag"]
    render_flag_card(card)
    if report_link.needs_link(card):
        link_to_employee(card)
    st.divider()
    if flag["status"] in ("open", "escalated"):
        codes = list(review.VIOLATION_CODES)
        # A public report proposes nothing: the reviewer picks the code (no preselected N1).
        default = (codes.index(flag["proposed_code"]) if flag["proposed_code"] in codes
                   and flag["category"] != "report" else None)
        # One form per flag: inside a form Streamlit hands over the note as typed, so a keyboard
        # shortcut pressed while the cursor is still in Catatan keeps it (outside a form the
        # text is only committed on blur or Enter, and Alt+1 saved an empty note). Keys carry
        # the flag id: a click meant for one flag can never decide the next one.
        fid = flag["id"]
        with st.form(f"decide_{fid}", border=False, enter_to_submit=False):  # Enter never decides
            code = st.selectbox("Jenis pelanggaran (untuk keputusan Pelanggaran)", codes, index=default,
                                format_func=lambda c: f"{c} — {review.VIOLATION_CODES[c]}", key=f"code_{fid}",
                                placeholder="Pilih jenis pelanggaran")
            note = st.text_input("Catatan", key=f"note_{fid}")
            buttons = st.columns(4)
            choice = None
            if buttons[0].form_submit_button("Pelanggaran", type="primary", shortcut="Alt+1",
                                             key=f"decide_violation_{fid}"):
                choice = "violation"
            if buttons[1].form_submit_button("Bukan pelanggaran", shortcut="Alt+2", key=f"decide_not_violation_{fid}"):
                choice = "not_violation"
            if flag["status"] == "open" and buttons[2].form_submit_button("Eskalasi ke atasan", shortcut="Alt+3",
                                                                          key=f"decide_escalate_{fid}"):
                choice = "escalate"
            skip = buttons[3].form_submit_button("Lewati", shortcut="Alt+4", key=f"decide_skip_{fid}")
        if skip:
            st.session_state["antrian_skipped"] = skipped + [fid]
            st.session_state.pop("antrian_selected", None)
            st.rerun()
        if choice == "violation" and code is None:
            st.error("Pilih jenis pelanggaran untuk keputusan Pelanggaran.")
        elif choice:
            try:
                review.decide(store, user, flag["id"], choice, violation_code=code if choice == "violation" else None,
                              note=note)
            except review.ReviewError as exc:
                st.error(str(exc))
            else:
                st.session_state.pop("antrian_selected", None)
                st.session_state["antrian_message"] = f"Temuan #{flag['id']}: {review.DECISIONS[choice]} tersimpan."
                st.rerun()
    else:
        st.info("Temuan ini sudah diputuskan. Buka kembali dari halaman *Keputusan saya* untuk mengubahnya.")

st.divider()
st.subheader("Daftar antrian")
pages = max(1, -(-total // PAGE_SIZE))
page = st.number_input(f"Halaman (dari {pages})", min_value=1, max_value=pages, value=1, step=1, key="antrian_page")
rows = review.queue(store, user, q, limit=PAGE_SIZE, offset=(int(page) - 1) * PAGE_SIZE)
st.dataframe(queue_table(rows), hide_index=True, placeholder="–", width="stretch")

with st.expander("Tindakan massal (seluruh hasil filter, bukan hanya halaman ini)"):
    decision = st.selectbox("Keputusan", list(review.DECISIONS), format_func=review.DECISIONS.get, key="bulk_decision")
    bulk_code = None
    if decision == "violation":
        bulk_code = st.selectbox("Jenis pelanggaran", list(review.VIOLATION_CODES),
                                 format_func=lambda c: f"{c} — {review.VIOLATION_CODES[c]}", key="bulk_code")
    bulk_note = st.text_input("Catatan untuk semua", key="bulk_note")
    signature = repr((q, decision, bulk_code))
    if st.button("Hitung temuan yang akan diubah", key="bulk_count"):
        st.session_state["bulk_pending"] = (signature, review.bulk_count(store, user, q, decision))
    pending = st.session_state.get("bulk_pending")
    if pending and pending[0] == signature:
        n = pending[1]
        st.warning(f"{n} temuan akan diberi keputusan: {review.DECISIONS[decision]}.")
        if n and st.button(f"Terapkan ke {n} temuan", type="primary", key="bulk_apply"):
            try:
                done = review.bulk_decide(store, user, q, decision, expected_count=n, violation_code=bulk_code,
                                          note=bulk_note)
            except review.ReviewError as exc:
                st.error(str(exc))
            else:
                st.session_state.pop("bulk_pending", None)
                st.session_state["antrian_message"] = f"Keputusan massal diterapkan ke {done} temuan."
                st.rerun()
