"""Classify stored posts with the current model and open flags for review."""

from __future__ import annotations

from typing import Callable

from classifiers.model import NeutralityModel
from classifiers.rules import Entities, RuleEngine, national_entities

from ..store import Store
from ..store import flags as flag_rows


def entities_from_store(store: Store) -> Entities:
    """The national defaults (Pilpres 2024, Pemilu 2024 parties) plus the office's own registry."""
    data = flag_rows.registry_entities(store)
    own = Entities.from_registry(data["candidates"], data["parties"], data["terms"], data["handles"])
    return national_entities().merged(own)


def classify_pending(store: Store, model: NeutralityModel, model_version: str, *, batch: int = 2_000,
                     progress: Callable[[int], None] | None = None) -> dict[str, int]:
    """Classify every post this model version has not seen; returns summed counts."""
    model.rules = RuleEngine(entities_from_store(store))  # the registry the office edits today
    totals = {"classified": 0, "flags_opened": 0, "flags_updated": 0}
    while True:
        pending = flag_rows.unclassified_posts(store, model_version, limit=batch)
        if not pending:
            return totals
        predictions = model.predict([text for _, text in pending])
        results = [flag_rows.ScoredPost(post_id, p.scores, p.flags, p.codes, p.explanation, p.levels)
                   for (post_id, _), p in zip(pending, predictions)]
        for key, value in flag_rows.save_classifications(store, model_version, results).items():
            totals[key] += value
        if progress:
            progress(len(pending))
