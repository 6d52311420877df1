"""Tindak lanjut: the direct superior's escalated flags and cases awaiting their action (their units only).

PP 94/2021 puts the duty to act on the direct superior; this page shows what is due, and
records what they did (summoned, examined, reported), which becomes part of the case.
"""

from __future__ import annotations

import streamlit as st

from monitor.cases import workflow as cases, notify
from monitor import config
from monitor.cases.workflow import CaseError
from monitor.flagging import review
from monitor.web import get_store, queue_table, render_flag_card, require_role, local_time

user = require_role("supervisor")
store = get_store()
settings = config.load()

st.title("Tindak lanjut atasan")

message = st.session_state.pop("tl_message", None)
if message:
    (st.error if message[0] == "error" else st.success)(message[1])

inbox = notify.list_for_user(store, user.id, unread_only=True)
if inbox:
    st.subheader(f"Notifikasi baru ({len(inbox)})")
    for note in inbox[:20]:
        with st.expander(note["subject"]):
            st.text(note["body"])
            if st.button("Tandai sudah dibaca", key=f"read_{note['id']}"):
                notify.mark_read(store, user.id, note["id"])
                st.rerun()

escalations = review.escalated(store, user)
with st.expander(f"Eskalasi dari analis ({len(escalations)})", expanded=bool(escalations)):
    if not escalations:
        st.info("Tidak ada temuan yang dieskalasi kepada Anda.")
    else:
        st.dataframe(queue_table(escalations), hide_index=True, placeholder="–", key="esc_table")
        esc_labels = {f["id"]: f"#{f['id']} — {f['employee'] or '(tidak dikenal)'}" for f in escalations}
        esc_id = st.selectbox("Temuan yang dijawab", list(esc_labels), format_func=esc_labels.get, key="esc_flag")
        render_flag_card(review.flag_card(store, user, esc_id))
        # Keyed by the flag: an answer typed for one escalation never lands on another.
        with st.form(f"esc_answer_{esc_id}"):
            answer = st.radio("Jawaban Anda", ["violation", "not_violation"], index=None, key=f"esc_decision_{esc_id}",
                              format_func={"violation": "Pelanggaran", "not_violation": "Bukan pelanggaran"}.get)
            esc_code = st.selectbox("Jenis pelanggaran (bila Pelanggaran)", list(review.VIOLATION_CODES), index=None,
                                    format_func=lambda c: f"{c} — {review.VIOLATION_CODES[c]}",
                                    placeholder="Pilih jenis pelanggaran", key=f"esc_code_{esc_id}")
            esc_note = st.text_area("Catatan", key=f"esc_note_{esc_id}")
            if st.form_submit_button("Simpan jawaban", key=f"esc_submit_{esc_id}"):
                if answer is None:
                    st.error("Pilih jawaban Anda terlebih dahulu.")
                else:
                    try:
                        review.answer_escalation(store, user, esc_id, answer, violation_code=esc_code, note=esc_note)
                    except (review.ReviewError, review.FlagNotFound) as exc:
                        st.session_state["tl_message"] = ("error", str(exc))
                    else:
                        st.session_state["tl_message"] = ("success", f"Eskalasi temuan #{esc_id} dijawab.")
                    st.rerun()

due = cases.action_due(store, user, settings=settings)
STATE = {"lewat": "TERLAMBAT", "jatuh_tempo": "jatuh tempo", "berjalan": "berjalan", "selesai": "sudah ditindak"}


def _state(case: dict) -> str:
    """The superior's clock only runs once the four-eyes review let the case proceed; before
    that (or when the reviewers disagree) the case is shown as what it waits for."""
    if cases.superior_may_act(case):
        return STATE[case["action_state"]]
    return cases.FOUR_EYES_LABELS[case["four_eyes"]]

st.subheader(f"Kasus di unit Anda ({len(due)})")
if not due:
    st.info("Tidak ada kasus di unit Anda yang menunggu tindakan.")
    st.stop()
st.dataframe([{"No.": c["id"], "Pegawai": c["employee"], "NIP": c["nip"] or c["nik"], "Unit": c["unit"],
               "Status": cases.STATUS_LABELS[c["status"]], "Kode": ", ".join(c["codes"]),
               "Tindakan s.d.": local_time(c["action_due_on"]), "Keadaan": _state(c),
               "Tindakan tercatat": c["actions"]} for c in due], hide_index=True, placeholder="–", key="due_table")

labels = {c["id"]: f"#{c['id']} — {c['employee']} ({_state(c)})" for c in due}
case_id = st.selectbox("Kasus", list(labels), format_func=labels.get, key="tl_case")
try:
    file = cases.case_file(store, user, case_id, settings=settings)
except CaseError as exc:
    st.error(str(exc))
    st.stop()
case = file["case"]
st.text(f"Pegawai: {case['employee']} — NIP {case['nip'] or '-'} — {case['position'] or '-'}, {case['unit'] or '-'}\n"
        f"Batas tindakan Anda: {case['action_due_on']}")
st.dataframe([{"Kode": c.code, "Dugaan pelanggaran": c.description, "Rujukan sanksi": c.sanction}
              for c in file["codes"]], hide_index=True, placeholder="–", key="tl_codes")
st.markdown("**Uraian kejadian**")
st.text(case["description"])
if file["actions"]:
    st.dataframe([{"Tanggal": local_time(a["acted_on"]), "Tindakan": cases.ACTION_KINDS[a["kind"]], "Oleh": a["username"],
                   "Catatan": a["note"]} for a in file["actions"]], hide_index=True, placeholder="–", key="tl_actions")

if not cases.superior_may_act(case):
    st.info("Kasus ini belum perlu tindakan Anda: tinjauan empat mata belum sependapat "
            f"({cases.FOUR_EYES_LABELS[case['four_eyes']]}). Anda akan diberi tahu bila kasus dilanjutkan.")
    st.stop()

# The form's key changes after every recorded action: a second click on the old form (a double
# click) then submits a widget that no longer exists and records nothing, and the note starts empty.
round_key = f"tl_round_{case_id}"
done = st.session_state.setdefault(round_key, 0)
with st.form(f"action_{case_id}_{done}"):
    kind = st.selectbox("Tindakan yang Anda lakukan", list(cases.ACTION_KINDS), format_func=cases.ACTION_KINDS.get,
                        key=f"tl_kind_{case_id}_{done}")
    day = st.date_input("Tanggal tindakan", value="today", format="DD/MM/YYYY", key=f"tl_date_{case_id}_{done}")
    note = st.text_area("Catatan", key=f"tl_note_{case_id}_{done}")
    if st.form_submit_button("Catat tindakan", key=f"tl_submit_{case_id}_{done}"):
        st.session_state[round_key] = done + 1  # before the write: a repeated submit is stale at once
        try:
            cases.record_action(store, user, case_id, kind, settings=settings,
                                acted_on=day.isoformat() if day else None, note=note)
        except (CaseError, ValueError) as exc:
            st.session_state["tl_message"] = ("error", str(exc))
        else:
            st.session_state["tl_message"] = ("success", f"Tindakan dicatat pada kasus #{case_id}.")
        st.rerun()
