"""The neutrality model: training, calibrated thresholds, explanations, persistence."""

from __future__ import annotations

import json

import numpy as np
import pytest

from classifiers import persist
from classifiers.model import (LABEL_RECALL_TARGETS, LABELS, NeutralityModel, Prepared, choose_f1_threshold,
                               choose_reasoned_threshold, choose_threshold, reason_bar)
from classifiers.pipeline import SEED_CORPUS, train_from_seed
from classifiers.rules import Entities


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    folder = tmp_path_factory.mktemp("models")
    entities = Entities.from_registry([{"name": "Hendra Wijaya", "pair_name": "HERA"}], terms=["#HERAMenang"])
    model, card = train_from_seed(folder=folder, entities=entities)
    return model, card, folder


def test_every_label_is_learned_with_high_recall_thresholds(trained):
    model, card, _ = trained
    assert set(model.labels_) == set(LABELS)
    for label, metrics in card["labels"].items():
        target = LABEL_RECALL_TARGETS.get(label, 0.9)  # hoax: the style model is weak evidence alone
        assert metrics["recall"] >= target, label  # chosen for recall on out-of-fold scores
        assert 0 < metrics["threshold"] < 1 and 0 < metrics["precision"] <= 1
        assert metrics["n_positive"] >= 100


def test_model_card_records_data_hashes_and_the_file_hash(trained):
    _, card, folder = trained
    seed, hard, hate = card["training_data"]  # seed, partisan stance (issue 18), election hate (issue 21)
    assert seed["source"] == "seed_corpus" and seed["rows"] >= 800
    assert hard["source"] == "partisan_hard" and hard["rows"] >= 1500 and len(hard["sha256"]) == 64
    assert hate["source"] == "seed_hate_election" and hate["rows"] >= 300
    assert len(seed["sha256"]) == 64 and len(hate["sha256"]) == 64
    model_file = folder / card["version"] / "model.skops"
    assert persist.sha256_file(model_file) == card["model_sha256"]
    assert json.loads((folder / card["version"] / "card.json").read_text())["version"] == card["version"]
    assert persist.current_version(folder) == card["version"]
    assert [c["version"] for c in persist.list_versions(folder)] == [card["version"]]


def test_save_load_gives_the_same_predictions(trained):
    model, card, folder = trained
    texts = [json.loads(line)["text"] for line in SEED_CORPUS.read_text(encoding="utf-8").splitlines()[::7]]
    loaded, loaded_card = persist.load(folder, rules=model.rules, prepare=model.prepare)
    assert loaded_card == card
    before, after = model.predict(texts), loaded.predict(texts)
    assert [p.scores for p in before] == [p.scores for p in after]
    assert [p.explanation for p in before] == [p.explanation for p in after]


def test_a_changed_model_file_is_refused(trained, tmp_path):
    _, card, folder = trained
    import shutil

    copy = tmp_path / "models"
    shutil.copytree(folder, copy)
    model_file = copy / card["version"] / "model.skops"
    data = bytearray(model_file.read_bytes())
    data[len(data) // 2] ^= 0xFF
    model_file.write_bytes(bytes(data))
    with pytest.raises(persist.ModelFileError, match="hash"):
        persist.load(copy)


def test_flags_explain_themselves(trained):
    model, _, _ = trained
    (partisan, civic, hoax) = model.predict([
        "Salam dua jari! Besok coblos nomor 2, #HERAMenang",
        "Ayo ke TPS tanggal 27 November, gunakan hak pilih, jangan golput",
        "VIRAL!!! SEBARKAN ke 10 grup, vaksin ternyata mengandung chip pelacak",
    ])
    assert "partisan" in partisan.flags and partisan.codes["partisan"] in {"N1", "N7"}
    why = partisan.explanation["partisan"]
    assert {h["rule"] for h in why["rules"]} >= {"salam_jari", "campaign_term"}
    assert why["top_features"] and all(f["contribution"] > 0 for f in why["top_features"])
    assert civic.flags == []
    assert "hoax" in hoax.flags and hoax.codes["hoax"] == "K1"


def test_linear_contributions_reproduce_the_score(trained):
    model, _, _ = trained
    features = model._features(model.prepare(["coblos nomor 2 ya lur, relawan siap menangkan"]))
    label = model.labels_["partisan"]
    row = features[0]
    assert float((row.data * label.coef[row.indices]).sum() + label.intercept) == pytest.approx(
        float(label.decision(features)[0]), abs=1e-4)


def test_labels_learn_only_from_sources_that_cover_them():
    texts = [f"kata biasa {i}" for i in range(40)] + [f"kasar sekali {i}" for i in range(40)]
    labels = [[] for _ in range(40)] + [["abusive"] for _ in range(40)]
    covers = [["abusive"]] * 80
    simple = lambda ts: [Prepared(t, t) for t in ts]  # noqa: E731
    model = NeutralityModel(prepare=simple).fit(texts, labels, covers)
    assert set(model.labels_) == {"abusive"}  # nothing said about the other labels
    with pytest.raises(ValueError, match="tidak cukup"):
        NeutralityModel(prepare=simple).fit(texts[:5], labels[:5], covers[:5])


def test_threshold_is_the_highest_that_reaches_the_recall_target():
    p = np.array([0.95, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1])
    y = np.array([1, 1, 0, 1, 0, 1, 0, 0, 1, 0])
    threshold, precision, recall = choose_threshold(p, y, 0.8)
    assert threshold == 0.5 and recall == 0.8 and precision == pytest.approx(4 / 6)
    assert choose_threshold(p, y, 1.0)[0] == 0.2


def test_reasoned_threshold_reaches_the_target_for_the_decision_as_made():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 400)
    p = np.clip(rng.normal(0.3 + 0.4 * y, 0.2), 0.001, 0.999)
    unreasoned = rng.random(400) < 0.3
    plain = choose_threshold(p, y, 0.9)[0]
    threshold, precision, recall = choose_reasoned_threshold(p, y, 0.9, unreasoned)
    flagged = (p >= threshold) & (~unreasoned | (p >= reason_bar(threshold)))
    assert recall >= 0.9 and recall == pytest.approx(flagged[y == 1].mean())
    assert precision == pytest.approx(y[flagged].mean())
    assert threshold < plain                           # posts without a reason cost recall, so it is lower
    higher = np.unique(p[y == 1])[np.unique(p[y == 1]) > threshold][0]   # the next cut misses the target
    assert ((p >= higher) & (~unreasoned | (p >= reason_bar(higher))))[y == 1].mean() < 0.9
    assert choose_reasoned_threshold(p, y, 0.9, np.zeros(400, dtype=bool))[0] == plain
    assert 0.5 < reason_bar(0.3) < reason_bar(0.5) < 1 and reason_bar(0.05) < 0.5   # the bar falls with the threshold


def test_f1_threshold_maximises_f1():
    p = np.array([0.9, 0.8, 0.7, 0.6, 0.5, 0.4])
    y = np.array([1, 1, 0, 1, 0, 0])
    threshold, f1 = choose_f1_threshold(p, y)
    assert threshold == 0.6 and f1 == pytest.approx(2 * 3 / (4 + 3))


# --- fast features ----------------------------------------------------------------------------


def test_cached_transform_equals_the_vectorizers(trained):
    from classifiers.features import CachedTfidf

    model, _, _ = trained
    texts = [json.loads(line)["text"] for line in SEED_CORPUS.read_text(encoding="utf-8").splitlines()[:300]]
    texts += ["", "   ", "kata yang belum pernah terlihat sama sekali zzzqqq", "aaaa aaaa aaaa"]
    prepared = model.prepare(texts)
    for vectorizer, field in ((model.word_vectorizer_, "words"), (model.char_vectorizer_, "chars")):
        expected = vectorizer.transform([getattr(p, field) for p in prepared]).toarray()
        fast = CachedTfidf(vectorizer)
        as_text = fast.transform([getattr(p, field) for p in prepared]).toarray()
        again = fast.transform([getattr(p, field).split() for p in prepared]).toarray()  # warm cache, tokens given
        assert np.abs(as_text - expected).max() < 1e-6 and np.abs(again - expected).max() < 1e-6


def test_batch_explanations_match_a_direct_computation(trained):
    model, _, _ = trained
    texts = ["Salam dua jari! coblos nomor 2", "dasar bodoh kalian semua, goblok", "hari ini cerah sekali"] * 3
    features = model._features(model.prepare(texts))
    label = model.labels_["abusive"]
    rows = list(range(len(texts)))
    tops = model._top_features(label, features, rows, 5)
    for i, top in zip(rows, tops):
        row = features[i]
        contributions = sorted(((float(v * label.coef[j]), j) for j, v in zip(row.indices, row.data)), reverse=True)
        expected = [round(c, 4) for c, _ in contributions if c > 0][:5]
        assert [f["contribution"] for f in top] == pytest.approx(expected, abs=1e-4)
        assert all(f["feature"].startswith(("kata:", "huruf:")) for f in top)


# --- evaluation report ------------------------------------------------------------------------


def test_evaluation_report_has_metrics_confusion_and_curves(trained, tmp_path):
    from classifiers import evaluate
    from classifiers.datasets import Example

    model, card, _ = trained
    examples = [Example("Salam dua jari! Besok coblos nomor 2, #HERAMenang", {"partisan"}, {"partisan", "hoax"}, "t"),
                Example("Ayo ke TPS, gunakan hak pilih, jangan golput", set(), {"partisan", "hoax"}, "t"),
                Example("VIRAL!!! SEBARKAN ke 10 grup, vaksin mengandung chip pelacak", {"hoax"}, {"hoax"}, "t"),
                Example("Hari ini posyandu buka jam 8 pagi", set(), {"partisan", "hoax"}, "t"),
                Example("Menangkan HERA, relawan siap coblos nomor 2", {"partisan"}, {"partisan"}, "t")]
    report = evaluate.write_report(evaluate.score(model, examples), tmp_path / "out", model_version=card["version"],
                                   data_description="uji")
    partisan = report["labels"]["partisan"]
    assert partisan["examples"] == 4 and partisan["positives"] == 2  # only rows covering partisan
    c = partisan["confusion"]
    assert c["tp"] + c["fn"] == 2 and c["tp"] + c["fp"] + c["fn"] + c["tn"] == 4
    assert partisan["recall"] == pytest.approx(c["tp"] / 2)
    assert set(report["labels"]) == {"partisan", "hoax"}  # no example covers hate or abusive
    for label in ("partisan", "hoax"):
        png = tmp_path / "out" / f"pr_{label}.png"
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    saved = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert saved["labels"]["hoax"]["confusion"] == report["labels"]["hoax"]["confusion"]
    markdown = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    assert "| partisan | 4 | 2 |" in markdown and "pr_hoax.png" in markdown


def test_cross_validation_scores_every_example_with_an_unseen_model():
    from classifiers import evaluate
    from classifiers.datasets import Example

    texts = [f"kata biasa nomor {i}" for i in range(30)] + [f"kasar sekali bangsat {i}" for i in range(30)]
    examples = [Example(t, {"abusive"} if i >= 30 else set(), {"abusive"}, "t") for i, t in enumerate(texts)]
    simple = lambda ts: [Prepared(t, t) for t in ts]  # noqa: E731
    scored = evaluate.cross_validated(examples, folds=3, make_model=lambda: NeutralityModel(prepare=simple, folds=3))
    result = evaluate.metrics(scored)["abusive"]
    assert result["examples"] == 60 and result["recall"] >= 0.9 and result["average_precision"] > 0.9


def test_model_evaluate_command_writes_the_report(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    data = tmp_path / "uji.jsonl"
    rows = [{"text": "Salam dua jari! coblos nomor 2", "labels": ["partisan"]},
            {"text": "Ayo ke TPS, gunakan hak pilih", "labels": []},
            {"text": "VIRAL sebarkan, vaksin mengandung chip", "labels": ["hoax"]},
            {"text": "dasar goblok kalian", "labels": ["abusive"]},
            {"text": "posyandu buka jam 8", "labels": []}]
    data.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    netra = str(Path(sys.executable).parent / "netra")
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    result = subprocess.run([netra, "--db", str(tmp_path / "n.db"), "model", "evaluate", "--data", str(data),
                             "--output", str(tmp_path / "laporan")], capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stderr
    report = json.loads((tmp_path / "laporan" / "report.json").read_text(encoding="utf-8"))
    assert set(report["labels"]) == set(LABELS) and report["examples"] == 5
    assert (tmp_path / "laporan" / "report.md").is_file() and "Laporan ditulis" in result.stdout
    missing = subprocess.run([netra, "model", "evaluate", "--data", str(tmp_path / "tidak-ada.csv")],
                             capture_output=True, text=True, env=env, timeout=120)
    assert missing.returncode == 1 and "tidak ditemukan" in missing.stderr


def test_cached_transform_survives_a_full_cache(trained, monkeypatch):
    from classifiers import features
    from classifiers.features import CachedTfidf

    model, _, _ = trained
    monkeypatch.setattr(features, "_CACHE_LIMIT", 5)  # every batch overflows it
    fast = CachedTfidf(model.char_vectorizer_)
    docs = ["satu dua tiga empat", "lima enam tujuh delapan sembilan", "satu sepuluh"]
    for _ in range(2):
        got = fast.transform(docs).toarray()
        assert np.abs(got - model.char_vectorizer_.transform(docs).toarray()).max() < 1e-6


def test_two_thresholds_are_stored_and_label_each_flag(trained):
    """Issue 18: a review threshold (recall) and a strong one (precision), both on the card and
    surviving save/load; every flag carries the level it reached."""
    from classifiers.model import LEVEL_REVIEW, LEVEL_STRONG

    model, card, folder = trained
    partisan = card["labels"]["partisan"]
    assert partisan["threshold"] <= partisan["strong_threshold"] <= 1.0
    assert partisan["strong_precision"] >= 0.95 or partisan["strong_threshold"] == 1.0
    loaded, _ = persist.load(folder)
    assert loaded.labels_["partisan"].strong_threshold == pytest.approx(partisan["strong_threshold"])
    predictions = model.predict(["Besok coblos nomor 2 ya, #HERAMenang", "Rapat dinas jam 9 di aula"])
    assert set(predictions[0].levels) == set(predictions[0].flags) and predictions[0].levels["partisan"] == LEVEL_STRONG
    assert predictions[1].levels == {}
    assert set(predictions[0].levels.values()) <= {LEVEL_STRONG, LEVEL_REVIEW}


def test_precision_threshold_is_the_lowest_cut_reaching_the_target():
    import numpy as np

    from classifiers.model import choose_precision_threshold

    p = np.array([0.95, 0.9, 0.8, 0.7, 0.6, 0.5])
    y = np.array([1, 1, 1, 0, 1, 0])
    assert choose_precision_threshold(p, y, 1.0) == (0.8, 1.0)
    threshold, precision = choose_precision_threshold(p, y, 0.8)
    assert threshold == 0.6 and precision == pytest.approx(0.8)
    assert choose_precision_threshold(np.array([0.9, 0.8]), np.array([0, 0]), 0.5) == (1.0, 0.0)
