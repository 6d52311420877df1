"""Model: the current model card, precision measured from reviews, queue thresholds, retraining."""

from __future__ import annotations

import streamlit as st

from monitor.flagging import review
from monitor.web import get_store, local_time, page_roles, require_role

user = require_role(*page_roles("model.py"))
store = get_store()
st.title("Model klasifikasi")

from classifiers import persist  # noqa: E402  (after the role check: loading sklearn is slow)
from classifiers.pipeline import models_dir  # noqa: E402

folder = models_dir()
version = persist.current_version(folder)
card = next((c for c in persist.list_versions(folder) if c.get("version") == version), None)
if card is None:
    st.info("Belum ada model aktif. Model pertama dilatih dari korpus benih saat klasifikasi pertama.")
else:
    st.subheader(f"Model aktif: {card['version']}")
    st.caption(f"Dibuat {local_time(card.get('created_at'))} · SHA-256 {card.get('model_sha256', '')[:16]}… · "
               f"kosakata {card.get('features', {}).get('vocabulary', '?')}")
    st.dataframe([{"Kategori": review.CATEGORY_LABELS.get(label, label), "Ambang model": m.get("threshold"), "Presisi (validasi)": m.get("precision"),
                   "Recall (validasi)": m.get("recall"), "Contoh latih": m.get("n_train"), "Positif": m.get("n_positive")}
                  for label, m in (card.get("labels") or {}).items()], hide_index=True, placeholder="–", width="stretch")
    with st.expander("Data latih"):
        st.json(card.get("training_data") or [])

st.subheader("Presisi menurut keputusan peninjau")
precision = review.precision_by_category(store)
if precision:
    st.dataframe([{"Kategori": review.CATEGORY_LABELS.get(c, c), "Pelanggaran": p["confirmed"],
                   "Bukan pelanggaran": p["dismissed"], "Presisi": p["precision"]} for c, p in precision.items()],
                 hide_index=True, placeholder="–", width="stretch")
else:
    st.caption("Belum ada temuan yang diputuskan.")

st.subheader("Ambang antrian")
st.caption("Temuan terbuka dengan skor di bawah ambang tidak ditampilkan di antrian bawaan (tetap tersimpan).")
category = st.selectbox("Kategori", list(review.MODEL_CATEGORIES), format_func=review.CATEGORY_LABELS.get,
                        key="model_category")
current = review.thresholds(store).get(category, 0.0)
threshold = st.slider("Ambang baru", 0.0, 1.0, float(current), step=0.01, key=f"model_threshold_{category}")
effect = review.threshold_effect(store, category, threshold)
cols = st.columns(3)
cols[0].metric("Antrian sekarang", effect["queue_now"])
cols[1].metric("Antrian dengan ambang baru", effect["queue_after"], delta=effect["queue_after"] - effect["queue_now"])
cols[2].metric("Presisi di atas ambang", "—" if effect["precision_above"] is None else f"{effect['precision_above']:.0%}")
if st.button("Simpan ambang", key="model_save_threshold"):
    try:
        review.set_threshold(store, user, category, threshold)
    except review.ReviewError as exc:
        st.error(str(exc))
    else:
        st.success(f"Ambang {review.CATEGORY_LABELS.get(category, category)} disimpan: {threshold:.2f}.")

st.subheader("Latih ulang dari keputusan peninjau")
from monitor.flagging.training import retrain_from_store  # noqa: E402

if st.button("Latih ulang model", key="model_retrain"):
    with st.spinner("Melatih model… (beberapa menit)"):
        try:
            new_card = retrain_from_store(store, actor=user.username)
        except (ValueError, RuntimeError) as exc:
            st.error(f"Pelatihan gagal: {exc}")
        else:
            st.success(f"Model baru: {new_card.get('version')}")
