"""Retrain the classifier from the reviewers' decisions (plus the seed corpus and public files).

Reviewers' verdicts are the only labels drawn from the office's own feed, so each retraining
makes the model better at exactly the posts it will see. Every source goes into the model card
with its size and SHA-256, so a model can always be traced to the data that made it.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Callable, Iterable

from classifiers.datasets import Example
from classifiers.pipeline import load_training_file, seed_examples, train

from ..evidence import audit
from .classify import entities_from_store
from ..store import Store
from ..store.training import reviewed_examples


def review_examples(store: Store) -> tuple[list[Example], dict]:
    """Reviewed posts as training examples, and their model-card entry (rows, bytes, hash)."""
    rows = reviewed_examples(store)
    examples = [Example(r["text"], frozenset(r["labels"]), frozenset(r["covers"]), "reviews",
                        meta={"post_id": str(r["post_id"])}) for r in rows]
    # The hash covers what the model learns from (text and verdicts), in a stable order.
    canonical = json.dumps([[r["post_id"], r["text"], r["labels"], r["covers"]] for r in rows],
                           ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    positives = {label: sum(label in r["labels"] for r in rows) for label in ("partisan", "hate", "abusive", "hoax")}
    negatives = {label: sum(label in r["covers"] and label not in r["labels"] for r in rows)
                 for label in ("partisan", "hate", "abusive", "hoax")}
    source = {"source": "reviews", "rows": len(rows), "bytes": len(canonical),
              "sha256": hashlib.sha256(canonical).hexdigest(), "positives": positives, "negatives": negatives}
    return examples, source


def retrain_from_store(store: Store, *, actor: str, include_seed: bool = True, include_reviews: bool = True,
                       data_paths: Iterable[str | Path] = (), folder: Path | None = None,
                       progress: Callable[[str], None] | None = None) -> dict:
    """Train a new model from reviewer decisions (+ seed corpus, + public files), make it current.

    Returns the new model card. Raises ValueError (Bahasa Indonesia) when no label has enough
    examples. Audited as ``model.train``.
    """
    say = progress or (lambda _message: None)
    examples: list[Example] = []
    sources: list[dict] = []
    if include_reviews:
        reviewed, review_source = review_examples(store)
        say(f"{len(reviewed)} kiriman dengan keputusan peninjau")
        examples += reviewed
        sources.append(review_source)
    if include_seed:
        seed, seed_sources = seed_examples()
        examples += seed
        sources += seed_sources
    for path in data_paths:
        loaded, source = load_training_file(path)
        say(f"{Path(path).name}: format {source['source']}, {source['rows']} contoh, {source['skipped']} baris dilewati")
        examples += loaded
        sources.append(source)
    if not examples:
        raise ValueError("tidak ada data latih: tidak ada keputusan peninjau, berkas data, maupun korpus benih")
    say(f"melatih dari {len(examples)} contoh")
    _model, card = train([e.text for e in examples], [e.labels for e in examples], [e.covers for e in examples],
                         sources=sources, folder=folder, entities=entities_from_store(store))
    audit.record(store, actor, "model.train", f"model:{card['version']}",
                 sources=[{k: v for k, v in s.items() if k in ("source", "rows", "sha256")} for s in sources],
                 labels={label: {k: m[k] for k in ("threshold", "precision", "recall")} for label, m in card["labels"].items()})
    return card
