"""Tangkapan peramban: how an analyst captures with Zeeschuimer, the upload, and every import's counts."""

from __future__ import annotations

import streamlit as st

from monitor.web import file_upload, get_store, local_time, page_roles, require_role, upload_refusal

user = require_role(*page_roles("tangkapan_peramban.py"))
store = get_store()
st.title("Tangkapan peramban")

from monitor.collect import capture_import  # noqa: E402
from monitor.evidence import audit  # noqa: E402
from monitor.store import captures as capture_rows  # noqa: E402
from monitor.people import instansi  # noqa: E402

st.write("Instagram, TikTok, Facebook dan Threads tidak menyediakan API bagi instansi daerah. Analis menelusuri "
         "akun publik yang terdaftar dengan peramban; ekstensi Zeeschuimer merekam apa yang dikirim platform ke "
         "halaman, lalu hasilnya diimpor ke Netra. Hanya kiriman akun terdaftar yang disimpan; kiriman akun lain "
         "dibuang dan hanya dihitung (UU 27/2022), kecuali komentar ASN terdaftar pada kiriman akun kampanye.")
st.subheader("Langkah-langkah")
st.markdown(
    "1. Pasang Firefox dan ekstensi **Zeeschuimer** (berkas .xpi dari halaman rilis Zeeschuimer).\n"
    "2. Buka ikon Zeeschuimer, aktifkan platform yang akan ditangkap (misalnya Instagram, TikTok, "
    "TikTok comments).\n"
    "3. Buka profil publik setiap akun ASN yang terdaftar dan gulir sampai kiriman periode yang diperiksa tampil.\n"
    "4. Buka juga kiriman akun calon/partai/tim kampanye dan bagian komentarnya, agar komentar ASN tertangkap.\n"
    "5. Ekspor: tekan **.ndjson** di Zeeschuimer lalu unggah berkasnya di bawah ini, **atau** unggah langsung: "
    "isi alamat penerima Netra (`netra capture serve`) di kolom 4CAT, buka `/masuk?token=...` sekali di "
    "Firefox tersebut, lalu tekan **to 4CAT**.\n"
    "6. Periksa hitungan impor di bawah. Kiriman baru dinilai model pada putaran pengumpulan berikutnya.")

st.subheader("Unggah berkas tangkapan")
with st.form("capture_upload", clear_on_submit=True):
    upload = file_upload("Berkas NDJSON dari Zeeschuimer (maks. 5 MB)", ("ndjson", "jsonl"), key="capture_file")
    download_media = st.checkbox("Unduh media (foto/video) ke penyimpanan bukti", value=True)
    sent = st.form_submit_button("Impor tangkapan")
if sent:
    if upload is None:
        st.error("Pilih berkas NDJSON terlebih dahulu.")
    elif upload_refusal(upload):
        st.error(upload_refusal(upload))
    else:
        report = capture_import.import_capture(
            store, upload.getvalue(), captured_by=user.username, source_name=upload.name,
            fetch_media=capture_import.fetch_media_bytes if download_media else None)
        audit.record(store, user.username, "capture_import", target=f"capture:{report.import_id}",
                     file=upload.name, **report.counts)
        c = report.counts
        st.success(f"Impor #{report.import_id}: {c['items']} baris, {c['new']} baru, {c['edited']} berubah, "
                   f"{c['duplicates']} duplikat, {c['dropped_unregistered']} dibuang (tidak terdaftar), "
                   f"{c['interactions']} interaksi, {c['errors']} baris rusak.")
        if report.errors:
            st.dataframe([{"Baris": line, "Masalah": reason} for line, reason in report.errors], hide_index=True)

with st.expander("Token unggah langsung dari Zeeschuimer"):
    st.write("Token ini menandai unggahan sebagai tangkapan Anda. Netra hanya menyimpan hash-nya; token lama "
             "tidak berlaku lagi setelah token baru dibuat.")
    if st.button("Buat token baru"):
        import secrets

        token = secrets.token_urlsafe(32)
        capture_rows.set_token(store, user.id, token)
        audit.record(store, user.username, "capture_token", target=f"user:{user.username}")
        st.code(token, language=None)

st.subheader("Riwayat impor")
LABELS = (("items", "Baris"), ("new", "Baru"), ("edited", "Berubah"), ("duplicates", "Duplikat"),
          ("dropped_unregistered", "Dibuang (tidak terdaftar)"), ("ads", "Iklan"), ("deleted", "Terhapus"),
          ("interactions", "Interaksi"), ("errors", "Baris rusak"))
imports = capture_rows.list_imports(store, limit=100, captured_by=instansi.usernames_in_scope(store, user))
if not imports:
    st.info("Belum ada tangkapan yang diimpor.")
else:
    st.dataframe([{"No.": r["id"], "Waktu": local_time(r["started_at"]), "Ditangkap oleh": r["captured_by"] or "-",
                   "Sumber": r["source"], "Platform": r["platforms"] or "-",
                   **{label: r["counts"].get(key, 0) for key, label in LABELS}} for r in imports],
                 hide_index=True, width="stretch")
    with_errors = [r for r in imports if r["errors"]]
    if with_errors:
        chosen = st.selectbox("Baris rusak pada impor", [r["id"] for r in with_errors])
        rows = next(r for r in with_errors if r["id"] == chosen)["errors"]
        st.dataframe([{"Baris": line, "Masalah": reason} for line, reason in rows], hide_index=True)
