"""Tinjauan foto: near-copy groups decided once, and photos a person should look at.

No face recognition anywhere: reviewers record gestures and attributes they see (N5–N9); the
system never identifies who is in a picture (UU 27/2022, personal data protection).
"""

from __future__ import annotations

import streamlit as st

from monitor.cases.codes import VIOLATION_CODES
from monitor.flagging import groups, review
from monitor.store import pictures as picture_rows
from monitor.web import choose_many, get_store, local_time, page_roles, render_pictures, require_role

user = require_role(*page_roles("tinjauan_foto.py"))
store = get_store()
st.title("Tinjauan foto")
st.info("Netra tidak memakai pengenalan wajah dan tidak mengenali siapa pun dari foto (UU 27/2022 tentang "
        "Pelindungan Data Pribadi). Peninjau mencatat apa yang terlihat: gestur dan atribut (kode N5–N9).")
can_decide = user.role in review.DECIDERS

message = st.session_state.pop("photo_message", None)
if message:
    st.success(message)

# --- near-copy groups -----------------------------------------------------------------------
st.header("Grup salinan")
group_list = groups.queue(store, user)
if not group_list:
    st.caption("Tidak ada grup salinan yang terbuka.")
else:
    st.dataframe([{"Grup": g["id"], "Ringkasan": g["label"], "Pertama": local_time(g["first_at"]), "Terakhir": local_time(g["last_at"])}
                  for g in group_list], hide_index=True, placeholder="–", width="stretch")
    chosen = st.selectbox("Pilih grup", [g["id"] for g in group_list],
                          format_func=lambda i: next(g["label"] for g in group_list if g["id"] == i), key="photo_group")
    group = next(g for g in group_list if g["id"] == chosen)
    members = groups.members(store, user, chosen)
    sample = picture_rows.media_texts_for(store, [group["sample_post_id"]]) if group["kind"] == "image" else []
    render_pictures([p for p in sample if p["sha256"] == group["sample_sha256"]][:1], [])
    st.dataframe([{"Kiriman": m["post_id"], "Pegawai": m["employee"], "NIP": m["nip"], "Unit": m["unit"],
                   "Waktu": local_time(m["created_at"]), "Jarak": m["distance"], "Dipisahkan": "ya" if m["split_at"] else "",
                   "Teks": m["text"]} for m in members], hide_index=True, placeholder="–", width="stretch")
    if can_decide:
        codes = ["N8", "N6", "N5", "N7", "N9", "N1", "N2"]
        with st.form(f"group_decide_{chosen}"):
            decision = st.radio("Keputusan untuk seluruh grup", ["violation", "not_violation"],
                                format_func=lambda d: review.DECISIONS[d], key=f"group_decision_{chosen}", index=None)
            code = st.selectbox("Kode pelanggaran", codes, key=f"group_code_{chosen}",
                                format_func=lambda c: f"{c} — {VIOLATION_CODES[c].description}")
            note = st.text_input("Catatan", key=f"group_note_{chosen}")
            if st.form_submit_button("Terapkan ke grup"):
                if decision is None:
                    st.error("Pilih keputusan terlebih dahulu.")
                    st.stop()
                try:
                    result = groups.decide(store, user, chosen, decision,
                                           violation_code=code if decision == "violation" else None, note=note)
                except review.ReviewError as exc:
                    st.error(str(exc))
                else:
                    st.session_state["photo_message"] = (f"Grup #{chosen}: {result['applied']} kiriman diputuskan "
                                                         f"(masing-masing dengan catatan keputusan dan jejak audit).")
                    st.rerun()
        active = [m["post_id"] for m in members if not m["split_at"]]
        if active:
            with st.expander("Pisahkan satu anggota untuk diputuskan sendiri"):
                post_id = st.selectbox("Kiriman", active, key=f"split_post_{chosen}")
                reason = st.text_input("Alasan (wajib)", key=f"split_reason_{chosen}")
                if st.button("Pisahkan", key=f"split_button_{chosen}"):
                    try:
                        flag_id = groups.split(store, user, chosen, post_id, reason=reason)
                    except review.ReviewError as exc:
                        st.error(str(exc))
                    else:
                        st.session_state["photo_message"] = f"Kiriman #{post_id} dipisahkan (temuan #{flag_id})."
                        st.rerun()

# --- photos to look at ----------------------------------------------------------------------
st.header("Foto untuk ditinjau")
candidates = groups.photo_queue(store, user)
if not candidates:
    st.caption("Tidak ada foto yang perlu ditinjau.")
else:
    st.dataframe([{"Kiriman": c["post_id"], "Pegawai": c["employee"], "Unit": c["unit"], "Waktu": local_time(c["created_at"]),
                   "Alasan": "; ".join(c["reason_labels"]), "Teks": c["text"]} for c in candidates],
                 hide_index=True, placeholder="–", width="stretch")
    post_id = st.selectbox("Pilih kiriman", [c["post_id"] for c in candidates], key="photo_post")
    picked = next(c for c in candidates if c["post_id"] == post_id)
    st.caption("Alasan: " + "; ".join(picked["reason_labels"]))
    render_pictures(picture_rows.media_texts_for(store, [post_id]), picture_rows.groups_of_posts(store, [post_id]))
    if can_decide:
        with st.form(f"photo_record_{post_id}"):
            seen = choose_many("Yang terlihat di foto", list(groups.PHOTO_CODES), key=f"photo_seen_{post_id}", placeholder="Pilih yang terlihat",
                               format_func=lambda c: f"{c} — {VIOLATION_CODES[c].description}")
            decision = st.radio("Keputusan", ["violation", "not_violation", "escalate"], key=f"photo_decision_{post_id}", index=None,
                                format_func=lambda d: review.DECISIONS[d])
            note = st.text_input("Catatan", key=f"photo_note_{post_id}")
            if st.form_submit_button("Simpan tinjauan foto"):
                if decision is None:
                    st.error("Pilih keputusan terlebih dahulu.")
                    st.stop()
                try:
                    flag = groups.record_photo(store, user, post_id, decision, seen=seen, note=note)
                except review.ReviewError as exc:
                    st.error(str(exc))
                else:
                    st.session_state["photo_message"] = f"Tinjauan foto disimpan (temuan #{flag['id']})."
                    st.rerun()
