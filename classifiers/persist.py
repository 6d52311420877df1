"""Saving and loading models with skops (never pickle), each with a model card.

A model lives in ``<models dir>/<version>/`` as ``model.skops`` and ``card.json``; the card
records the version, date, training data (source, rows, SHA-256), per-label thresholds and the
precision/recall they gave, and the SHA-256 of the model file, which is checked before the
file is opened. Only sklearn, numpy and scipy types are trusted on load, so a tampered or
foreign file cannot run code. ``CURRENT`` names the version in use.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np
import skops.io as sio
from sklearn.feature_extraction.text import TfidfVectorizer

from .model import LabelModel, NeutralityModel

FORMAT = 1
_TRUSTED_PREFIXES = ("sklearn.", "numpy.", "scipy.", "builtins.")


class ModelFileError(RuntimeError):
    """A model file that is missing, altered, or holds types we do not trust."""


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


_VECTORIZER_PARAMS = ("analyzer", "ngram_range", "token_pattern", "sublinear_tf", "lowercase", "min_df",
                      "max_features", "norm", "use_idf", "smooth_idf")


def _vectorizer_state(vectorizer: TfidfVectorizer) -> dict[str, Any]:
    """A fitted vectorizer as plain values and arrays: skops reads arrays fast, dicts slowly."""
    params = {k: getattr(vectorizer, k) for k in _VECTORIZER_PARAMS}
    params["ngram_range"] = list(params["ngram_range"])
    return {"params": params, "names": np.asarray(vectorizer.get_feature_names_out(), dtype=str),
            "idf": np.asarray(vectorizer.idf_, dtype=np.float64)}


def _vectorizer_from_state(state: dict[str, Any]) -> TfidfVectorizer:
    params = dict(state["params"])
    params["ngram_range"] = tuple(params["ngram_range"])
    vectorizer = TfidfVectorizer(**params, dtype=np.float32)
    vectorizer.vocabulary_ = {str(name): i for i, name in enumerate(state["names"])}
    vectorizer.idf_ = np.asarray(state["idf"])
    return vectorizer


def _state(model: NeutralityModel) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "word_vectorizer": _vectorizer_state(model.word_vectorizer_),
        "char_vectorizer": _vectorizer_state(model.char_vectorizer_),
        "labels": {label: {k: v for k, v in asdict(m).items()} for label, m in model.labels_.items()},
        "params": {"recall_target": model.recall_target, "C": model.C, "folds": model.folds,
                   "random_state": model.random_state, "label_recall_targets": dict(model.label_recall_targets)},
    }


def save(model: NeutralityModel, models_dir: str | Path, *, training_data: list[dict], metrics: dict | None = None,
         make_current: bool = True) -> dict:
    """Write model and card into a new version folder; returns the card."""
    created = datetime.now(timezone.utc)
    models_dir = Path(models_dir)
    staging = models_dir / f".tmp-{os.getpid()}-{created.timestamp():.0f}"
    staging.mkdir(parents=True, exist_ok=True)
    model_path = staging / "model.skops"
    sio.dump(_state(model), model_path)
    file_hash = sha256_file(model_path)
    version = f"{created:%Y%m%d-%H%M%S}-{file_hash[:8]}"
    card = {
        "version": version,
        "created_at": created.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "model_sha256": file_hash,
        "model_bytes": model_path.stat().st_size,
        "labels": model.metrics(),
        "training_data": training_data,
        "params": _state(model)["params"],
        "features": {"word_ngrams": list(model.word_vectorizer_.ngram_range),
                     "char_ngrams": list(model.char_vectorizer_.ngram_range),
                     "vocabulary": len(model.feature_names())},
        "evaluation": metrics or {},
    }
    (staging / "card.json").write_text(json.dumps(card, indent=2, ensure_ascii=False), encoding="utf-8")
    final = models_dir / version
    staging.rename(final)
    if make_current:
        use(models_dir, version)
    return card


def use(models_dir: str | Path, version: str) -> None:
    """Make ``version`` the current model (atomically)."""
    models_dir = Path(models_dir)
    if not (models_dir / version / "card.json").is_file():
        raise ModelFileError(f"versi model {version} tidak ditemukan di {models_dir}")
    tmp = models_dir / "CURRENT.tmp"
    tmp.write_text(version, encoding="utf-8")
    tmp.replace(models_dir / "CURRENT")


def current_version(models_dir: str | Path) -> str | None:
    pointer = Path(models_dir) / "CURRENT"
    return pointer.read_text(encoding="utf-8").strip() if pointer.is_file() else None


def list_versions(models_dir: str | Path) -> list[dict]:
    cards = []
    for card_path in sorted(Path(models_dir).glob("*/card.json")):
        if card_path.parent.name.startswith("."):
            continue
        cards.append(json.loads(card_path.read_text(encoding="utf-8")))
    return cards


def load(models_dir: str | Path, version: str | None = None, *, rules=None, prepare=None) -> tuple[NeutralityModel, dict]:
    """Load a version (default: current) after checking its hash and its types."""
    models_dir = Path(models_dir)
    version = version or current_version(models_dir)
    if version is None:
        raise ModelFileError(f"belum ada model di {models_dir}")
    folder = models_dir / version
    card = json.loads((folder / "card.json").read_text(encoding="utf-8"))
    model_path = folder / "model.skops"
    if not model_path.is_file():
        raise ModelFileError(f"berkas model {model_path} tidak ada")
    if sha256_file(model_path) != card["model_sha256"]:
        raise ModelFileError(f"berkas model {model_path} telah berubah sejak dilatih (hash tidak cocok)")
    untrusted = sio.get_untrusted_types(file=model_path)
    foreign = [t for t in untrusted if not t.startswith(_TRUSTED_PREFIXES)]
    if foreign:
        raise ModelFileError(f"berkas model memuat tipe yang tidak dipercaya: {', '.join(foreign)}")
    state = sio.load(model_path, trusted=untrusted)
    if state.get("format") != FORMAT:
        raise ModelFileError(f"format model {state.get('format')} tidak didukung")
    params = state["params"]
    model = NeutralityModel(prepare=prepare, rules=rules, recall_target=params["recall_target"], C=params["C"],
                            folds=params["folds"], random_state=params["random_state"],
                            label_recall_targets=params.get("label_recall_targets", {}))
    model.word_vectorizer_ = _vectorizer_from_state(state["word_vectorizer"])
    model.char_vectorizer_ = _vectorizer_from_state(state["char_vectorizer"])
    model.labels_ = {}
    for label, values in state["labels"].items():
        values = dict(values)
        values["coef"] = np.asarray(values["coef"], dtype=np.float32)
        model.labels_[label] = LabelModel(**values)
    return model, card
