"""The classifier as the rest of Netra uses it: ``load_default()`` and ``predict(texts)``.

The first call trains the default model from the seed corpus the project ships and caches it
in the models folder, so an office needs no download and no public dataset to start.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Callable, Sequence

from .model import LABELS, NeutralityModel, Prepared
from .normalize import Normalizer, default_slang
from .rules import Entities, RuleEngine

SEED_CORPUS = Path(__file__).resolve().parent.parent / "data" / "seed" / "seed_corpus.jsonl"


def models_dir() -> Path:
    """NETRA_MODELS_DIR, else <NETRA_DATA_DIR or .netra>/models."""
    if os.environ.get("NETRA_MODELS_DIR"):
        return Path(os.environ["NETRA_MODELS_DIR"])
    return Path(os.environ.get("NETRA_DATA_DIR", ".netra")) / "models"


def default_prepare(normalizer: Normalizer | None = None) -> Callable[[Sequence[str]], list[Prepared]]:
    """Normalise and stem: words for the word features, normalised text for character n-grams."""
    normalizer = normalizer or Normalizer(slang=default_slang(), stem_cache_path=models_dir() / "stem_cache.json")

    def prepare(texts: Sequence[str]) -> list[Prepared]:
        return [Prepared(" ".join(n.stems), n.text) for n in normalizer.normalize_many(texts)]

    prepare.normalizer = normalizer  # type: ignore[attr-defined]
    return prepare


def file_fingerprint(path: Path) -> dict:
    data = path.read_bytes()
    return {"path": path.name, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def train(texts: Sequence[str], labels: Sequence, covers: Sequence, *, sources: list[dict],
          folder: Path | None = None, entities: Entities | None = None, **params) -> tuple[NeutralityModel, dict]:
    """Fit, save with a model card, make it current; returns the model and its card."""
    from . import persist

    prepare = default_prepare()
    model = NeutralityModel(prepare=prepare, rules=RuleEngine(entities), **params).fit(texts, labels, covers)
    prepare.normalizer.save_stem_cache()  # type: ignore[attr-defined]
    card = persist.save(model, folder or models_dir(), training_data=sources)
    return model, card


def train_from_seed(*, folder: Path | None = None, entities: Entities | None = None) -> tuple[NeutralityModel, dict]:
    from .datasets import load_seed_corpus

    examples = load_seed_corpus(SEED_CORPUS)
    return train([e.text for e in examples], [e.labels for e in examples], [e.covers for e in examples],
                 sources=[{"source": "seed_corpus", "rows": len(examples), **file_fingerprint(SEED_CORPUS)}],
                 folder=folder, entities=entities)


def load_default(*, entities: Entities | None = None, folder: Path | None = None) -> NeutralityModel:
    """The current model, trained from the seed corpus on first use."""
    from . import persist

    folder = folder or models_dir()
    if persist.current_version(folder) is None:
        model, _card = train_from_seed(folder=folder, entities=entities)
        return model
    model, _card = persist.load(folder, rules=RuleEngine(entities), prepare=default_prepare())
    return model


__all__ = ["LABELS", "default_prepare", "load_default", "models_dir", "train", "train_from_seed"]
