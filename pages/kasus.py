"""Kasus: cases from confirmed flags to the sanction (analyst/admin; auditor read-only).

Post text is untrusted: it appears only in dataframes and st.text, never as Markdown or HTML.
An analyst who may still give the blind second review sees the evidence without the first
decision (monitor.cases.case_file decides that, not this page).
"""

from __future__ import annotations

import streamlit as st

from monitor.cases import export as case_export, workflow as cases, notify
from monitor import config, glossary
from monitor.cases.workflow import CaseError
from monitor.web import choose_many, get_store, local_time, require_role

user = require_role("admin", "analyst", "auditor")
store = get_store()
settings = config.load()
can_write = user.role in cases.WRITE_ROLES

st.title("Kasus pelanggaran")


def _run(action, success: str) -> None:
    """Call a library action; show its Indonesian error instead of a traceback."""
    try:
        action()
    except (CaseError, ValueError) as exc:
        st.session_state["kasus_message"] = ("error", str(exc))
    else:
        st.session_state["kasus_message"] = ("success", success)
    st.rerun()


message = st.session_state.pop("kasus_message", None)
if message:
    (st.error if message[0] == "error" else st.success)(message[1])

late = cases.overdue(store, user, settings=settings)
if late:
    st.warning(f"{len(late)} kasus melewati tenggat.")
    st.dataframe([{"No.": c["id"], "Pegawai": c["employee"], "Unit": c["unit"], "Status": c["status"],
                   "Lapor s.d.": local_time(c["report_due_on"]), "Tindakan s.d.": local_time(c["action_due_on"]),
                   "Terlambat": ", ".join(c["late"])} for c in late], hide_index=True, placeholder="–", key="overdue_table")

found = cases.list_cases(store, user, settings=settings)
st.subheader(f"Daftar kasus ({len(found)})")
st.dataframe([{"No.": c["id"], "Status": cases.STATUS_LABELS[c["status"]], "Pegawai": c["employee"],
               "NIP": c["nip"] or c["nik"], "Unit": c["unit"], "Kode": ", ".join(c["codes"]),
               "Lapor s.d.": f"{c['report_due_on']} ({c['report_state']})",
               "Tindakan atasan s.d.": f"{c['action_due_on']} ({c['action_state']})",
               "Empat mata": cases.FOUR_EYES_LABELS[c["four_eyes"]],
               "Bukti": "BERUBAH: " + ", ".join(f"#{f['flag_id']}" for f in c["evidence_warning"])
               if c["evidence_warning"] else "tetap"} for c in found],
             hide_index=True, placeholder="–", key="cases_table")

if can_write:
    ready = cases.flags_ready(store, user)
    with st.expander(f"Buka kasus dari tanda terkonfirmasi ({len(ready)})", expanded=not found):
        if ready:
            st.dataframe([{"Tanda": f["flag_id"], "Pegawai": f["employee"], "Unit": f["unit"], "Kode": f["code"],
                           "Waktu": local_time(f["posted_at"]), "Teks": f["text"], "Tautan": f["url"]} for f in ready],
                         hide_index=True, placeholder="–", key="ready_table")
            labels = {f["flag_id"]: f"#{f['flag_id']} — {f['employee']} ({f['code'] or f['category']})" for f in ready}
            with st.form("open_case"):
                chosen = choose_many("Tanda (satu pegawai)", list(labels), format_func=labels.get, key="open_flags",
                                     placeholder="Pilih tanda")
                codes = choose_many("Kode pelanggaran (kosong: dari tanda)", list(cases.VIOLATION_CODES),
                                    format_func=lambda c: f"{c} — {cases.VIOLATION_CODES[c].description}",
                                    key="open_codes", placeholder="Pilih kode")
                if st.form_submit_button("Buka kasus", key="open_submit"):
                    def _open() -> None:
                        cases.open_case(store, user, chosen, settings=settings, codes=codes or None)
                        notify.send_pending(store, settings)  # no-op without SMTP; failures are retried daily

                    _run(_open, "Kasus dibuka; atasan langsung diberi tahu.")
        else:
            st.info("Belum ada tanda terkonfirmasi yang belum masuk kasus.")

if not found:
    st.stop()

labels = {c["id"]: f"#{c['id']} — {c['employee']} ({c['status']})" for c in found}
case_id = st.selectbox("Berkas kasus", list(labels), format_func=labels.get, key="case_id")
try:
    file = cases.case_file(store, user, case_id, settings=settings)
except CaseError as exc:
    st.error(str(exc))
    st.stop()

def _evidence_banner(warning: list[dict], *, details: bool) -> None:
    """The evidence-changed warning: a fixed sentence in st.warning (rendered as Markdown), the
    reviewers' reasons only through st.text (typed by people, shown as typed)."""
    if not warning:
        return
    ids = ", ".join(f"#{f['flag_id']}" for f in warning)
    st.warning(f"Bukti kasus #{case_id} berubah: tanda {ids} tidak lagi dikonfirmasi sebagai pelanggaran. "
               "Kasus tidak dapat dilaporkan, direkomendasikan atau dijatuhi sanksi sampai tanda itu "
               "dikonfirmasi ulang (atau dikeluarkan dari kasus oleh admin); kasus masih dapat disunting atau ditutup.")
    if details:
        st.text("\n".join(
            f"Tanda #{f['flag_id']}: {cases.EVIDENCE_CHANGES.get(f['change'] or '', 'berubah')}"
            + (f" oleh {f['changed_by']}" if f["changed_by"] else "")
            + (f" pada {local_time(f['changed_at'])}" if f["changed_at"] else "")
            + f"; status kini {cases.FLAG_STATUS_LABELS.get(f['status'], f['status'])}"
            + (f"; alasan: {f['reason']}" if f["reason"] else "") for f in warning))


if file["blind"]:
    st.subheader(f"Tinjauan kedua kasus #{case_id} (keputusan pertama disembunyikan)")
    _evidence_banner(file["evidence_warning"], details=False)
    st.info("Nilai bukti ini secara mandiri; kode dan uraian analis pertama tidak ditampilkan.")
    st.text(f"Pegawai: {file['employee']} — NIP {file['nip'] or '-'} — {file['position'] or '-'}, "
            f"{file['rank'] or '-'}, {file['employment_type']} — {file['unit'] or '-'}")
    st.dataframe([{"Waktu": local_time(i["posted_at"] or i["first_seen_at"]), "Platform": i["platform"], "Akun": i["handle"],
                   "Jenis": i["kind"] or i["interaction_kind"], "Teks": i["text"], "Tautan": i["url"] or i["target_url"],
                   "Dihapus": local_time(i["deleted_at"])} for i in file["items"]], hide_index=True, placeholder="–", key="blind_items")
    with st.form(f"second_review_{case_id}"):
        # Blind means unprompted too: no answer is preselected (index=None).
        decision = st.radio("Keputusan Anda", ["violation", "not_violation"], index=None, key=f"sr_decision_{case_id}",
                            format_func={"violation": "Pelanggaran", "not_violation": "Bukan pelanggaran"}.get)
        codes = choose_many("Kode pelanggaran menurut Anda", list(cases.VIOLATION_CODES), key=f"sr_codes_{case_id}",
                            format_func=lambda c: f"{c} — {cases.VIOLATION_CODES[c].description}",
                            placeholder="Pilih kode")
        note = st.text_area("Catatan", key=f"sr_note_{case_id}")
        if st.form_submit_button("Simpan tinjauan kedua", key=f"sr_submit_{case_id}"):
            if decision is None:
                st.error("Pilih keputusan Anda terlebih dahulu.")
            else:
                _run(lambda: cases.submit_second_review(store, user, case_id, decision, codes, note or None),
                     "Tinjauan kedua dicatat.")
    st.stop()

case = file["case"]
st.subheader(f"Kasus #{case_id} — {cases.STATUS_LABELS[case['status']]}")
_evidence_banner(file["evidence_warning"], details=True)
st.text(f"Pegawai: {case['employee']} — NIP {case['nip'] or '-'} / NIK {case['nik'] or '-'}\n"
        f"Jabatan: {case['position'] or '-'}; pangkat/golongan: {case['rank'] or '-'}; {case['employment_type']}\n"
        f"Unit: {case['unit'] or '-'}\n"
        f"Batas lapor Bawaslu: {case['report_due_on']} ({case['report_state']}); "
        f"batas tindakan atasan: {case['action_due_on']} ({case['action_state']})\n"
        f"Empat mata: {cases.FOUR_EYES_LABELS[case['four_eyes']]}")
st.dataframe([{"Kode": c.code, "Pelanggaran": c.description, "Rujukan sanksi": c.sanction} for c in file["codes"]],
             hide_index=True, placeholder="–", key="codes_table")
for label, value in (("Dilaporkan", case["external_ref"] and f"{case['reported_to']} {case['reported_on']}, "
                                                          f"nomor {case['external_ref']}"),
                     ("Rekomendasi", case["recommendation"] and f"{case['recommendation_on']}: {case['recommendation']}"),
                     ("Sanksi PPK", case["sanction_level"] and f"{case['sanction_level']} ({case['sanction_on']}) "
                                                              f"{case['sanction_decree'] or ''}"),
                     ("Ditutup", case["closed_reason"])):
    if value:
        st.text(f"{label}: {value}")

editable = can_write and case["status"] in ("temuan", "verifikasi")
if editable:
    # Keyed by the case: a key shared between cases would carry one case's text into another.
    with st.form(f"description_{case_id}"):
        text = st.text_area("Uraian kejadian (kronologis)", value=case["description"], height=220,
                            key=f"desc_text_{case_id}")
        if st.form_submit_button("Simpan uraian", key=f"desc_submit_{case_id}"):
            _run(lambda: cases.update_description(store, user, case_id, text), "Uraian disimpan.")
else:
    st.markdown("**Uraian kejadian**")
    st.text(case["description"])

st.markdown("**Bukti**")
st.dataframe([{"Tanda": i["flag_id"], "Waktu": local_time(i["posted_at"] or i["first_seen_at"]), "Platform": i["platform"],
               "Akun": i["handle"], "Teks": i["text"], "Tautan": i["url"] or i["target_url"],
               "SHA-256": i["raw_sha256"] or i["interaction_sha256"], "Dihapus": local_time(i["deleted_at"])}
              for i in file["items"]], hide_index=True, placeholder="–", key="items_table")

WORDS = {True: "ya", False: "tidak", "violation": "pelanggaran", "not_violation": "bukan pelanggaran"}


def _detail(value) -> str:
    """A history detail as a person reads it: lists joined, yes/no and decisions in Indonesian."""
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value)) or "–"
    if isinstance(value, (bool, str)) and value in WORDS:
        return WORDS[value]
    return "–" if value is None else str(value)


second = file["second_review"]
if second:
    st.text(f"Tinjauan kedua oleh {second['reviewer']}: {_detail(second['decision'])} {', '.join(second['codes'])} — "
            f"{'sependapat' if second['agrees'] else 'tidak sependapat'}")
if file["actions"]:
    st.markdown("**Tindakan atasan**")
    st.dataframe([{"Tanggal": local_time(a["acted_on"]), "Tindakan": cases.ACTION_KINDS[a["kind"]], "Oleh": a["username"],
                   "Catatan": a["note"]} for a in file["actions"]], hide_index=True, placeholder="–", key="actions_table")
st.markdown("**Riwayat**")
# One wording for the history everywhere (CLI, PDF, this page): monitor.glossary.
st.dataframe([{"Waktu": local_time(e["ts"]), "Pelaku": e["actor"], "Peristiwa": glossary.event_change(e),
               "Rincian": glossary.event_details(e["details"] or {}, when=local_time)}
              for e in file["events"]], hide_index=True, placeholder="–", key="events_table")

if can_write and cases.allowed_next(case):
    st.markdown("**Ubah status**")
    # The target is chosen outside the form so the form shows only the fields that status needs.
    target = st.selectbox("Status berikut", list(cases.allowed_next(case)), key=f"st_target_{case_id}")
    with st.form(f"status_{case_id}_{target}"):
        fields: dict = {}
        if target == "dilaporkan":
            fields["reported_to"] = st.selectbox("Tujuan laporan (dilaporkan)", cases.REPORT_CHANNELS,
                                                 key=f"st_channel_{case_id}")
            fields["external_ref"] = st.text_input("Nomor laporan eksternal (dilaporkan)", key=f"st_ref_{case_id}")
        if target == "rekomendasi":
            fields["recommendation"] = st.text_area("Isi rekomendasi (rekomendasi)",
                                                    key=f"st_recommendation_{case_id}")
        if target == "sanksi":
            fields["level"] = st.selectbox("Tingkat sanksi (sanksi)", cases.SANCTION_LEVELS, key=f"st_level_{case_id}")
            fields["decree"] = st.text_input("Nomor SK sanksi (sanksi)", key=f"st_decree_{case_id}")
        if target == "ditutup":
            fields["reason"] = st.text_area("Alasan penutupan (ditutup)", key=f"st_reason_{case_id}")
        if target in ("dilaporkan", "rekomendasi", "sanksi"):
            day = st.date_input("Tanggal", value="today", format="DD/MM/YYYY", key=f"st_date_{case_id}_{target}")
            fields["on"] = day.isoformat() if day else None
        if st.form_submit_button("Simpan status", key=f"st_submit_{case_id}"):
            _run(lambda: cases.change_status(store, user, case_id, target, settings=settings, **fields),
                 f"Status kasus #{case_id} kini {target}.")

if user.role == "admin" and file["evidence_warning"]:
    with st.form(f"remove_flag_{case_id}"):
        st.markdown("**Lanjutkan tanpa tanda yang berubah**")
        gone = st.selectbox("Tanda yang dikeluarkan dari kasus", [f["flag_id"] for f in file["evidence_warning"]],
                            format_func=lambda f: f"#{f}", key=f"rf_flag_{case_id}")
        why = st.text_area("Catatan (wajib)", key=f"rf_note_{case_id}")
        if st.form_submit_button("Keluarkan tanda", key=f"rf_submit_{case_id}"):
            _run(lambda: cases.remove_flag(store, user, case_id, gone, why),
                 f"Tanda #{gone} dikeluarkan dari kasus #{case_id}.")

if user.role == "admin" and case["four_eyes"] == "disagreed":
    with st.form(f"resolve_{case_id}"):
        st.markdown("**Putuskan perbedaan pendapat**")
        outcome = st.radio("Keputusan", ["lanjut", "tutup"], key=f"rs_outcome_{case_id}")
        codes = choose_many("Kode akhir (bila lanjut; kosong = tetap)", list(cases.VIOLATION_CODES),
                            key=f"rs_codes_{case_id}", placeholder="Pilih kode")
        note = st.text_area("Alasan", key=f"rs_note_{case_id}")
        if st.form_submit_button("Simpan keputusan", key=f"rs_submit_{case_id}"):
            _run(lambda: cases.resolve_disagreement(store, user, case_id, outcome, note, settings=settings,
                                                    codes=codes or None), "Keputusan admin dicatat.")

st.markdown("**Ekspor untuk Bawaslu/BKN**")
try:
    pdf = case_export.pdf_bytes(store, user, case_id, settings=settings)
    table = case_export.csv_bytes(store, user, [case_id], settings=settings)
except CaseError as exc:
    st.error(str(exc))
else:
    left, right = st.columns(2)
    left.download_button("Unduh PDF", pdf, file_name=f"kasus-{case_id}.pdf", mime="application/pdf",
                         key=f"dl_pdf_{case_id}", on_click=case_export.record_download, args=(store, user, case_id, "pdf"))
    right.download_button("Unduh CSV", table, file_name=f"kasus-{case_id}.csv", mime="text/csv",
                          key=f"dl_csv_{case_id}", on_click=case_export.record_download, args=(store, user, case_id, "csv"))
