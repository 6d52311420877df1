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
#: Stance corpus (issue 18): subtle partisan posts and neutral election talk, trained with the seed.
PARTISAN_CORPUS = SEED_CORPUS.with_name("partisan_hard.jsonl")


def models_dir() -> Path:
    """NETRA_MODELS_DIR, else <NETRA_DATA_DIR or .netra>/models."""
    if os.environ.get("NETRA_MODELS_DIR"):
        return Path(os.environ["NETRA_MODELS_DIR"])
    return Path(os.environ.get("NETRA_DATA_DIR", ".netra")) / "models"


def default_prepare(normalizer: Normalizer | None = None) -> Callable[[Sequence[str]], list[Prepared]]:
    """Normalise and stem: words for the word features, normalised text for character n-grams."""
    normalizer = normalizer or Normalizer(slang=default_slang(), stem_cache_path=models_dir() / "stem_cache.json")

    def prepare(texts: Sequence[str]) -> list[Prepared]:
        return [Prepared(" ".join(n.stems), n.text, n.stems, n.tokens) for n in normalizer.normalize_many(texts)]

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


def seed_examples() -> tuple[list, list[dict]]:
    """The corpora Netra ships and their model-card source entries: the seed corpus, the partisan
    stance corpus (issue 18) and the election-register hate posts (issue 21)."""
    from .datasets import HATE_ELECTION, load_hate_election, load_seed_corpus

    examples, sources = [], []
    for name, path, load in (("seed_corpus", SEED_CORPUS, load_seed_corpus),
                             ("partisan_hard", PARTISAN_CORPUS, load_seed_corpus),
                             ("seed_hate_election", HATE_ELECTION, load_hate_election)):
        if path.is_file():
            rows = load(path)
            examples += rows
            sources.append({"source": name, "rows": len(rows), **file_fingerprint(path)})
    return examples, sources


def train_from_seed(*, folder: Path | None = None, entities: Entities | None = None) -> tuple[NeutralityModel, dict]:
    examples, sources = seed_examples()
    return train([e.text for e in examples], [e.labels for e in examples], [e.covers for e in examples],
                 sources=sources, folder=folder, entities=entities)


#: Public formats whose unlabeled rows are ordinary posts, used as hoax negatives. Why: the hoax
#: positives of turnbackhoax2024 have no negatives of their own, and the seed corpus's ~1,100
#: would let thousands of positives set a hoax prior far above a real feed's. Everyday tweets
#: (ibrohim2019 rows without hate/abuse) and sentences (NusaX) are realistic non-hoax text.
ASSUMED_HOAX_NEGATIVE_FORMATS = frozenset({"ibrohim2019", "nusax_senti_id"})


def load_training_file(path: str | Path, format: str | None = None):
    """Examples of one public or generic dataset file (format detected) plus its source entry.

    Returns ``(examples, source)``; ``source`` has the file name, detected format, rows used,
    rows skipped, bytes and SHA-256, for the model card.
    """
    from dataclasses import replace

    from .datasets import detect_format, load_with_report

    path = Path(path)
    if not path.is_file():
        raise ValueError(f"berkas data {path} tidak ditemukan")
    format = format or detect_format(path)
    examples, skipped = load_with_report(path, format)
    if format in ASSUMED_HOAX_NEGATIVE_FORMATS:
        examples = [replace(e, covers=e.covers | {"hoax"}) if not e.labels else e for e in examples]
    examples = [e for e in examples if e.covers]  # unlabeled pools teach nothing
    source = {"source": format, "rows": len(examples), "skipped": len(skipped), **file_fingerprint(path)}
    return examples, source


def load_default(*, entities: Entities | None = None, folder: Path | None = None) -> NeutralityModel:
    """The current model, trained from the seed corpus on first use."""
    from . import persist

    folder = folder or models_dir()
    if persist.current_version(folder) is None:
        model, _card = train_from_seed(folder=folder, entities=entities)
        return model
    model, _card = persist.load(folder, rules=RuleEngine(entities), prepare=default_prepare())
    return model


__all__ = ["LABELS", "default_prepare", "load_default", "load_training_file", "models_dir", "train", "train_from_seed"]
