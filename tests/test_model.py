"""The neutrality model: training, calibrated thresholds, explanations, persistence."""

from __future__ import annotations

import json

import numpy as np
import pytest

from classifiers import persist
from classifiers.model import LABELS, NeutralityModel, Prepared, choose_f1_threshold, choose_threshold
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
        assert metrics["recall"] >= 0.9, label  # chosen for recall on out-of-fold scores
        assert 0 < metrics["threshold"] < 1 and 0 < metrics["precision"] <= 1
        assert metrics["n_positive"] >= 100


def test_model_card_records_data_hashes_and_the_file_hash(trained):
    _, card, folder = trained
    (seed,) = card["training_data"]
    assert seed["source"] == "seed_corpus" and seed["rows"] >= 800
    assert len(seed["sha256"]) == 64
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


def test_f1_threshold_maximises_f1():
    p = np.array([0.9, 0.8, 0.7, 0.6, 0.5, 0.4])
    y = np.array([1, 1, 0, 1, 0, 0])
    threshold, f1 = choose_f1_threshold(p, y)
    assert threshold == 0.6 and f1 == pytest.approx(2 * 3 / (4 + 3))
