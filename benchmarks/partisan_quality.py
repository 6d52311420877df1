"""Partisan precision, recall and neutral-talk flag rate on the held-out stance split (issue 18).

Trains two models and scores ``data/eval/partisan_heldout.jsonl`` (written from templates the
training corpus never used):

* **before**: the model as it was before issue 18 — trained on ``seed_corpus.jsonl`` only, with
  the rules and predict logic of the Layout commit (read with ``git show`` into a temporary
  package), one threshold;
* **after**: today's model — seed + ``partisan_hard.jsonl``, stance layer, two thresholds
  ("perlu dilihat" = review, "indikasi kuat" = strong).

Both get the same registry: the national 2024 defaults plus the fictional Pilkada tickets the
corpus uses (an office registers its own candidates). Prints per-kind counts and one RESULT line.

    python benchmarks/partisan_quality.py [--before-commit REV] [--no-before]
"""

from __future__ import annotations

import argparse
import importlib
import json
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HELDOUT = ROOT / "data" / "eval" / "partisan_heldout.jsonl"
BEFORE_COMMIT = "8f19314"  # Layout: the last commit before issue 18
LOCAL_TICKETS = [  # the fictional Pilkada candidates of data/seed/make_partisan.py, as an office registers them
    {"name": "Hendra Wiratama", "nicknames": ["Kang Hendra", "Pak Hendra"]},
    {"name": "Ratna Sari", "nicknames": ["Bu Ratna"]},
    {"name": "Darmaji", "nicknames": ["Abah Darma", "Pak Darmaji"]},
    {"name": "Yusran Datuak", "nicknames": ["Da Yusran"]},
    {"name": "Bayu Pratama", "nicknames": ["Mas Bayu"]},
    {"name": "Sinta Maharani", "nicknames": ["Bu Sinta"]},
    {"name": "Oman Suherman", "nicknames": ["Abah Oman", "Pak Oman"]},
    {"name": "Rusdi Hamzah", "nicknames": ["Pak Rusdi"]},
]


def _rows() -> list[dict]:
    return [json.loads(line) for line in HELDOUT.read_text(encoding="utf-8").splitlines() if line.strip()]


def _old_package(commit: str, folder: Path):
    """The classifiers' model.py and rules.py at ``commit``, importable as ``netra_before``."""
    package = folder / "netra_before"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    for name in ("model.py", "rules.py", "features.py"):
        source = subprocess.run(["git", "-C", str(ROOT), "show", f"{commit}:classifiers/{name}"],
                                capture_output=True, text=True, check=True).stdout
        (package / name).write_text(source, encoding="utf-8")
    sys.path.insert(0, str(folder))
    return importlib.import_module("netra_before.model"), importlib.import_module("netra_before.rules")


def _measure(rows: list[dict], flagged: list[bool]) -> dict:
    positive = [bool(r["labels"]) for r in rows]
    tp = sum(f and p for f, p in zip(flagged, positive))
    fp = sum(f and not p for f, p in zip(flagged, positive))
    neutral = sum(not p for p in positive)
    return {"precision": tp / max(tp + fp, 1), "recall": tp / max(sum(positive), 1), "neutral_flag_rate": fp / max(neutral, 1)}


def _print(name: str, m: dict) -> None:
    print(f"{name:<28} precision {m['precision']:.3f}  recall {m['recall']:.3f}  neutral-talk flagged {m['neutral_flag_rate']:.1%}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before-commit", default=BEFORE_COMMIT)
    parser.add_argument("--no-before", action="store_true", help="skip training the pre-issue model")
    parser.add_argument("--ablation", action="store_true",
                        help="also: today's rules and stance with the seed corpus only (what the corpus adds)")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from classifiers.datasets import load_seed_corpus
    from classifiers.model import LEVEL_STRONG, NeutralityModel
    from classifiers.pipeline import SEED_CORPUS, default_prepare, seed_examples
    from classifiers.rules import Entities, RuleEngine, national_entities

    rows = _rows()
    texts = [r["text"] for r in rows]
    local = Entities.from_registry(LOCAL_TICKETS)
    prepare = default_prepare()
    examples, _sources = seed_examples()
    after = NeutralityModel(prepare=prepare, rules=RuleEngine(national_entities().merged(local)))
    after.fit([e.text for e in examples], [e.labels for e in examples], [e.covers for e in examples])
    predictions = after.predict(texts, explain=False)
    review = ["partisan" in p.flags for p in predictions]
    strong = [p.levels.get("partisan") == LEVEL_STRONG for p in predictions]
    partisan = after.labels_["partisan"]
    print(f"held-out: {len(rows)} posts, {sum(bool(r['labels']) for r in rows)} partisan; "
          f"trained on {len(examples)} posts; thresholds review {partisan.threshold:.3f}, strong {partisan.strong_threshold:.3f}")
    results = {"after_review": _measure(rows, review), "after_strong": _measure(rows, strong)}
    if args.ablation:
        seed_only = load_seed_corpus(SEED_CORPUS)
        ablated = NeutralityModel(prepare=prepare, rules=RuleEngine(national_entities().merged(local)))
        ablated.fit([e.text for e in seed_only], [e.labels for e in seed_only], [e.covers for e in seed_only])
        ablated_predictions = ablated.predict(texts, explain=False)
        results["stance_seed_only_review"] = _measure(rows, ["partisan" in p.flags for p in ablated_predictions])
        results["stance_seed_only_strong"] = _measure(rows, [p.levels.get("partisan") == LEVEL_STRONG for p in ablated_predictions])
    before_flags: list[bool] | None = None
    if not args.no_before:
        with tempfile.TemporaryDirectory() as tmp:
            old_model, old_rules = _old_package(args.before_commit, Path(tmp))
            national = national_entities()
            # The old Entities has no colours; the same names, parties and terms go in.
            old_entities = old_rules.Entities(national.names | local.names, national.parties, national.terms)
            seed = load_seed_corpus(SEED_CORPUS)
            before = old_model.NeutralityModel(prepare=prepare, rules=old_rules.RuleEngine(old_entities))
            before.fit([e.text for e in seed], [e.labels for e in seed], [e.covers for e in seed])
            before_flags = ["partisan" in p.flags for p in before.predict(texts, explain=False)]
            results["before"] = _measure(rows, before_flags)
    print()
    for name, m in results.items():
        _print(name, m)
    print("\nper kind (flagged / posts): review, strong" + (", before" if before_flags else ""))
    kinds = Counter(r["kind"] for r in rows)
    for kind in sorted(kinds):
        idx = [i for i, r in enumerate(rows) if r["kind"] == kind]
        line = f"  {kind:<18} {kinds[kind]:>3}  review {sum(review[i] for i in idx):>3}  strong {sum(strong[i] for i in idx):>3}"
        if before_flags:
            line += f"  before {sum(before_flags[i] for i in idx):>3}"
        print(line)
    parts = [f"{name}_{key}={value:.3f}" for name, m in results.items() for key, value in m.items()]
    print("RESULT " + " ".join(parts) + f" heldout={len(rows)}")


if __name__ == "__main__":
    main()
