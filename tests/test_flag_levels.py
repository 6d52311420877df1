"""Two thresholds in the queue (issue 18): a flag at "indikasi kuat" goes before "perlu dilihat"
ones, keeps its level when re-scored, and the flag card shows the level in Bahasa Indonesia."""

from __future__ import annotations

from monitor.flagging import review
from monitor.store.flags import ScoredPost, save_classifications
from test_review import build_world


def test_strong_level_orders_the_queue_and_is_stored(store, tmp_path):
    world = build_world(store, tmp_path)
    analyst = world["users"]["analis"]
    posts, flags = world["posts"], world["flags"]
    # Post 3 (score 0.6, last in the queue) is re-scored by a model that calls it strong.
    save_classifications(store, "m2", [ScoredPost(posts["3"], {"partisan": 0.6}, ["partisan"], {"partisan": "N1"},
                                                  {}, {"partisan": "kuat"}),
                                       ScoredPost(posts["1"], {"partisan": 0.7}, ["partisan"], {"partisan": "N1"},
                                                  {}, {"partisan": "perlu_dilihat"})])
    order = [f["id"] for f in review.queue(store, analyst)]
    assert order[0] == flags["3"]
    levels = {f["id"]: f["level"] for f in review.queue(store, analyst)}
    assert levels[flags["3"]] == "kuat" and levels[flags["1"]] == "perlu_dilihat" and levels[flags["4"]] is None
    assert review.LEVEL_LABELS[levels[flags["3"]]] == "Indikasi kuat"


def test_classification_pipeline_stores_the_models_level(store, tmp_path):
    from classifiers.model import LEVEL_REVIEW, LEVEL_STRONG

    world = build_world(store, tmp_path)
    assert {LEVEL_STRONG, LEVEL_REVIEW} == set(review.LEVEL_LABELS)
    stored = store.query("SELECT level FROM flags WHERE post_id = ?", (world["posts"]["1"],))
    assert [r["level"] for r in stored] == [None]  # written without a level: none invented


def test_queue_card_shows_the_level_label(tmp_path, monkeypatch):
    """The analyst's queue card names the level in Bahasa Indonesia (AppTest on a real database)."""
    import streamlit as st

    from monitor.store import connect
    from test_dashboard_pages import as_user

    path = tmp_path / "levels.db"
    with connect(path) as store:
        world = build_world(store, tmp_path)
        with store.write() as conn:
            conn.execute("UPDATE flags SET level = 'kuat' WHERE id = ?", (world["flags"]["2"],))
    monkeypatch.setenv("NETRA_DB", str(path))
    st.cache_resource.clear()
    st.cache_data.clear()
    store = connect(path)
    try:
        at = as_user({**world, "store": store}, "analis", "antrian.py")
        assert at.subheader[0].value.startswith(f"Temuan #{world['flags']['2']} ")
        assert any(c.value == "Tingkat: Indikasi kuat" for c in at.caption)
    finally:
        store.close()
        st.cache_resource.clear()
