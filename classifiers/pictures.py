"""Score a post's words together with the words read from its pictures, and say which are which.

The model and rules see the post text and the OCR text as one document (a poster's "COBLOS
NOMOR 2" counts exactly as if typed), and the OCR text is also scored alone, as its own field.
Each explanation then marks every feature and rule hit that only the picture supplied
(``"source": "gambar"``) and carries ``picture``: the picture-only score and the words, so a
reviewer reads "dari gambar: coblos, nomor 2" instead of wondering where a word came from.

Kept outside ``classifiers.model`` (owned by the model work): it wraps ``predict``.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Sequence

from .model import NeutralityModel, Prediction

SEPARATOR = "\n\n"
SOURCE_TEXT, SOURCE_PICTURE = "teks", "gambar"


def combined_text(text: str | None, ocr_text: str | None) -> str:
    """What the classifier reads: the post text, then the words from its pictures."""
    text, ocr_text = (text or "").strip(), (ocr_text or "").strip()
    if not ocr_text:
        return text
    return f"{text}{SEPARATOR}{ocr_text}" if text else ocr_text


def _present_features(model: NeutralityModel, texts: Sequence[str]) -> list[set[str]]:
    """Names of the features each text has (the same preparation the model uses)."""
    # _prepare/_features are the model's own featurisation; reusing them keeps "which features
    # the typed text has" exactly consistent with what predict() scored.
    features = model._features(model._prepare(list(texts)))
    names = model.feature_names()
    return [set(names[features.indices[features.indptr[i]:features.indptr[i + 1]]].tolist())
            for i in range(len(texts))]


def predict(model: NeutralityModel, items: Sequence[tuple[str | None, str | None]]) -> list[Prediction]:
    """Predictions for (text, ocr_text) pairs, explanations marked by source (see module doc)."""
    combined = [combined_text(text, ocr) for text, ocr in items]
    predictions = model.predict(combined)
    with_picture = [i for i, (_, ocr) in enumerate(items) if ocr and ocr.strip()]
    if not with_picture:
        return predictions
    alone = model.predict([items[i][1] for i in with_picture], explain=False)
    typed = _present_features(model, [(items[i][0] or "") for i in with_picture])
    for i, picture_only, text_features in zip(with_picture, alone, typed):
        text_length = len((items[i][0] or "").strip())
        explanation = {label: _mark(entry, text_features, text_length, picture_only.scores.get(label))
                       for label, entry in predictions[i].explanation.items()}
        predictions[i] = replace(predictions[i], explanation=explanation)
    return predictions


def picture_scores(model: NeutralityModel, ocr_texts: Sequence[str]) -> list[dict[str, float]]:
    """The OCR text scored alone (its own field in ``netra classify`` output)."""
    return [p.scores for p in model.predict(list(ocr_texts), explain=False)]


def _mark(entry: dict, text_features: set[str], text_length: int, picture_score: float | None) -> dict:
    entry = dict(entry)
    words: list[str] = []
    features = []
    for feature in entry.get("top_features", []):
        source = SOURCE_TEXT if feature["feature"] in text_features else SOURCE_PICTURE
        features.append({**feature, "source": source})
        if source == SOURCE_PICTURE and feature["feature"].startswith("kata:"):
            words.append(feature["feature"].removeprefix("kata:"))
    entry["top_features"] = features
    if "rules" in entry:
        rules = []
        for hit in entry["rules"]:
            span = hit.get("span") or [0, 0]
            source = SOURCE_PICTURE if text_length == 0 or span[0] > text_length else SOURCE_TEXT
            rules.append({**hit, "source": source})
            if source == SOURCE_PICTURE and hit.get("matched"):
                words.insert(0, str(hit["matched"]))
        entry["rules"] = rules
    entry["picture"] = {"score": picture_score, "words": list(dict.fromkeys(words))}
    return entry


def picture_note(entry: dict) -> str | None:
    """"dari gambar: …" for an explanation entry whose evidence includes picture words."""
    words = (entry.get("picture") or {}).get("words") or []
    return f"dari gambar: {', '.join(words)}" if words else None
