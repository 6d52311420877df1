"""Classify stored posts with the current model and open flags for review.

A post is scored on its text together with the words read from its pictures (issue 17,
``classifiers.pictures``): the explanation marks which evidence came from a picture.
"""

from __future__ import annotations

from typing import Callable, Iterable

from classifiers import pictures as picture_scoring
from classifiers.model import NeutralityModel
from classifiers.rules import Entities, RuleEngine, national_entities

from ..store import Store
from ..store import flags as flag_rows
from ..store import pictures as picture_rows


def entities_from_store(store: Store) -> Entities:
    """The national defaults (Pilpres 2024, Pemilu 2024 parties) plus the office's own registry."""
    data = flag_rows.registry_entities(store)
    own = Entities.from_registry(data["candidates"], data["parties"], data["terms"], data["handles"])
    return national_entities().merged(own)


def _score(store: Store, model: NeutralityModel, model_version: str, pending: list[tuple[int, str]]) -> dict[str, int]:
    ocr = picture_rows.ocr_texts_for_posts(store, [post_id for post_id, _ in pending])
    predictions = picture_scoring.predict(model, [(text, ocr.get(post_id)) for post_id, text in pending])
    results = [flag_rows.ScoredPost(post_id, p.scores, p.flags, p.codes, p.explanation, p.levels)
               for (post_id, _), p in zip(pending, predictions)]
    return flag_rows.save_classifications(store, model_version, results)


def classify_pending(store: Store, model: NeutralityModel, model_version: str, *, batch: int = 2_000,
                     progress: Callable[[int], None] | None = None) -> dict[str, int]:
    """Classify every post this model version has not seen; returns summed counts."""
    model.rules = RuleEngine(entities_from_store(store))  # the registry the office edits today
    totals = {"classified": 0, "flags_opened": 0, "flags_updated": 0}
    while True:
        pending = flag_rows.unclassified_posts(store, model_version, limit=batch)
        if not pending:
            return totals
        for key, value in _score(store, model, model_version, pending).items():
            totals[key] += value
        if progress:
            progress(len(pending))


def classify_posts(store: Store, model: NeutralityModel, model_version: str, post_ids: Iterable[int], *,
                   batch: int = 500) -> dict[str, int]:
    """Score these posts again (their pictures' words arrived after they were first scored)."""
    model.rules = RuleEngine(entities_from_store(store))
    ids = sorted(set(post_ids))
    totals = {"classified": 0, "flags_opened": 0, "flags_updated": 0}
    for i in range(0, len(ids), batch):
        pending = flag_rows.post_texts(store, ids[i:i + batch])
        for key, value in _score(store, model, model_version, pending).items():
            totals[key] += value
    return totals
