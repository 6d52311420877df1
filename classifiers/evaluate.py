"""Evaluate a model on labeled data and write the report (Markdown, JSON, PR-curve PNGs).

Numbers are per label and only over examples whose source annotates that label (``covers``):
a hate-speech corpus says nothing about hoaxes. "Flagged" means what the product does (model
threshold, plus the partisan rules), so the report shows what reviewers will see; the PR
curve and average precision use the model's probability, to show what other thresholds would
give.

Without data of its own, the seed corpus is evaluated by k-fold cross-validation: each post is
scored by a model that never saw it (a model scored on its own training data looks perfect).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Sequence

import numpy as np
from sklearn.metrics import average_precision_score, precision_recall_curve
from sklearn.model_selection import KFold

from .datasets import Example
from .model import LABELS, NeutralityModel


@dataclass
class Scored:
    """Per example: model probability and product flag for each label the example covers."""

    examples: list[Example]
    probabilities: dict[str, np.ndarray] = field(default_factory=dict)
    flagged: dict[str, np.ndarray] = field(default_factory=dict)
    thresholds: dict[str, float] = field(default_factory=dict)


def score(model: NeutralityModel, examples: Sequence[Example], batch: int = 2_000) -> Scored:
    """Run ``model.predict`` (without explanations) over the examples."""
    result = Scored(list(examples))
    labels = list(model.labels_)
    probabilities = {label: np.zeros(len(examples)) for label in labels}
    flagged = {label: np.zeros(len(examples), dtype=bool) for label in labels}
    texts = [e.text for e in examples]
    for start in range(0, len(texts), batch):
        chunk = texts[start:start + batch]
        raw = model.probabilities(chunk)
        for offset, prediction in enumerate(model.predict(chunk, explain=False)):
            for label in labels:
                probabilities[label][start + offset] = raw[label][offset]
                flagged[label][start + offset] = label in prediction.flags
    result.probabilities, result.flagged = probabilities, flagged
    result.thresholds = {label: m.threshold for label, m in model.labels_.items()}
    return result


def cross_validated(examples: Sequence[Example], *, folds: int = 5, random_state: int = 0,
                    make_model: Callable[[], NeutralityModel] | None = None,
                    progress: Callable[[int, int], None] | None = None) -> Scored:
    """Score every example with a model trained on the other folds."""
    examples = list(examples)
    make_model = make_model or NeutralityModel
    result = Scored(examples)
    thresholds: dict[str, list[float]] = {}
    splitter = KFold(n_splits=folds, shuffle=True, random_state=random_state)
    for index, (train, test) in enumerate(splitter.split(np.zeros(len(examples))), start=1):
        model = make_model().fit([examples[i].text for i in train], [examples[i].labels for i in train],
                                 [examples[i].covers for i in train])
        fold = score(model, [examples[i] for i in test])
        for label in fold.probabilities:
            result.probabilities.setdefault(label, np.zeros(len(examples)))[test] = fold.probabilities[label]
            result.flagged.setdefault(label, np.zeros(len(examples), dtype=bool))[test] = fold.flagged[label]
            thresholds.setdefault(label, []).append(fold.thresholds[label])
        if progress:
            progress(index, folds)
    result.thresholds = {label: float(np.mean(values)) for label, values in thresholds.items()}
    return result


def metrics(scored: Scored) -> dict[str, dict]:
    """Per label: counts, confusion, precision/recall/F1 of the flags, average precision, PR curve."""
    report: dict[str, dict] = {}
    for label in LABELS:
        if label not in scored.probabilities:
            continue
        rows = np.array([label in e.covers for e in scored.examples], dtype=bool)
        y = np.array([label in e.labels for e in scored.examples], dtype=bool)[rows]
        if len(y) == 0:
            continue
        flagged = scored.flagged[label][rows]
        probability = scored.probabilities[label][rows]
        tp, fp = int((flagged & y).sum()), int((flagged & ~y).sum())
        fn, tn = int((~flagged & y).sum()), int((~flagged & ~y).sum())
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        entry = {"examples": int(len(y)), "positives": int(y.sum()), "threshold": round(scored.thresholds[label], 4),
                 "precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
                 "confusion": {"tp": tp, "fp": fp, "fn": fn, "tn": tn}, "average_precision": None, "pr_curve": None}
        if 0 < y.sum() < len(y):
            curve_p, curve_r, _ = precision_recall_curve(y, probability)
            entry["average_precision"] = round(float(average_precision_score(y, probability)), 4)
            entry["pr_curve"] = {"precision": [round(float(v), 4) for v in curve_p],
                                 "recall": [round(float(v), 4) for v in curve_r]}
        report[label] = entry
    return report


def errors(scored: Scored, label: str, *, limit: int = 10) -> dict[str, list[dict]]:
    """The most confident mistakes for a label: missed violations and false flags."""
    rows = [i for i, e in enumerate(scored.examples) if label in e.covers]
    missed = [i for i in rows if label in scored.examples[i].labels and not scored.flagged[label][i]]
    false = [i for i in rows if label not in scored.examples[i].labels and scored.flagged[label][i]]
    probability = scored.probabilities[label]

    def pick(indices: list[int], reverse: bool) -> list[dict]:
        ordered = sorted(indices, key=lambda i: probability[i], reverse=reverse)[:limit]
        return [{"text": scored.examples[i].text, "probability": round(float(probability[i]), 4),
                 "labels": sorted(scored.examples[i].labels)} for i in ordered]

    return {"missed": pick(missed, reverse=False), "false_flags": pick(false, reverse=True)}


def plot_pr_curve(label: str, entry: dict, path: Path) -> None:
    """One PR curve as PNG, with the product threshold's point marked."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(5, 4), dpi=100)
    try:
        curve = entry["pr_curve"]
        axes.step(curve["recall"], curve["precision"], where="post", label=f"AP {entry['average_precision']:.3f}")
        axes.scatter([entry["recall"]], [entry["precision"]], color="red", zorder=3,
                     label=f"ambang produk ({entry['threshold']:.2f})")
        axes.set_xlabel("Recall")
        axes.set_ylabel("Presisi")
        axes.set_xlim(0, 1.02)
        axes.set_ylim(0, 1.02)
        axes.set_title(f"Kurva presisi-recall: {label}")
        axes.legend(loc="lower left")
        figure.tight_layout()
        figure.savefig(path)
    finally:
        plt.close(figure)


def write_report(scored: Scored, output: str | Path, *, model_version: str, data_description: str) -> dict:
    """Write report.md, report.json and pr_<label>.png into ``output``; returns the JSON report."""
    output = Path(output)
    output.mkdir(parents=True, exist_ok=True)
    per_label = metrics(scored)
    report = {"model_version": model_version, "data": data_description,
              "created_at": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
              "examples": len(scored.examples), "labels": per_label,
              "errors": {label: errors(scored, label) for label in per_label}, "figures": {}}
    for label, entry in per_label.items():
        if entry["pr_curve"] is not None:
            name = f"pr_{label}.png"
            plot_pr_curve(label, entry, output / name)
            report["figures"][label] = name
    (output / "report.json").write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    (output / "report.md").write_text(_markdown(report), encoding="utf-8")
    return report


def _markdown(report: dict) -> str:
    lines = [f"# Evaluasi model {report['model_version']}", "",
             f"Data: {report['data']} ({report['examples']} contoh). Dibuat {report['created_at']}.", "",
             "| Label | Contoh | Positif | Ambang | Presisi | Recall | F1 | AP | TP | FP | FN | TN |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for label, m in report["labels"].items():
        c = m["confusion"]
        ap = "-" if m["average_precision"] is None else f"{m['average_precision']:.3f}"
        lines.append(f"| {label} | {m['examples']} | {m['positives']} | {m['threshold']:.3f} | {m['precision']:.3f} | "
                     f"{m['recall']:.3f} | {m['f1']:.3f} | {ap} | {c['tp']} | {c['fp']} | {c['fn']} | {c['tn']} |")
    lines += ["", "Ditandai = keputusan produk (ambang model, ditambah aturan untuk partisan). "
              "AP dan kurva memakai probabilitas model saja.", ""]
    for label, name in report["figures"].items():
        lines += [f"## {label}", "", f"![Kurva presisi-recall {label}]({name})", ""]
        for title, key in (("Pelanggaran yang terlewat", "missed"), ("Tanda keliru", "false_flags")):
            items = report["errors"][label][key]
            if items:
                lines += [f"{title}:", ""]
                # Post text is untrusted: shown as inline code with backticks removed, never as markup.
                lines += [f"- {item['probability']:.3f} `{_plain(item['text'])}`" for item in items[:5]]
                lines.append("")
    return "\n".join(lines)


def _plain(text: str) -> str:
    return " ".join(text.replace("`", "'").split())[:200]
