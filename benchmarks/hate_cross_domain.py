"""Hate speech across corpora, long posts and the election register, before and after issue 21.

Skips without ../shared/datasets (or /work/shared/datasets). For each corpus in it that labels
hate (ibrohim2019 HS, netifier ``sara``, putri2021 Javanese+Sundanese ``hs``), leave-one-
corpus-out: the model is trained without that corpus and tested on all of it.

- ``before``: the model as on main: trained on the seed corpus plus ibrohim2019 (the seed
  corpus alone when ibrohim2019 is the test corpus), whole-document scores, no SARA rules.
- ``after``: trained on the seed corpus, the election-register hate posts
  (data/seed/hate_election.jsonl) and every other public corpus (ibrohim2019, netifier
  ``sara``, putri2021, desrul2019 abusive comments) except the test one; long posts scored
  per sentence; SARA rules.

Also: ``long`` -- hateful sentences of the test corpora (netifier, putri2021) and of the
held-out election posts, each embedded in three to six neutral NusaX sentences (negatives: a
non-hateful sentence embedded the same way), each scored by a model that never saw its
sentence's corpus (the leave-one-out model of that corpus; the held-out election posts by the
putri2021 one, which is trained on every other corpus); ``heldout`` -- data/seed/hate_election_heldout.jsonl (other phrasings than the training part)
by the model trained without putri2021; ``ibrohim_protocol`` -- HS F1 at the out-of-fold F1
threshold on the IndoBERTweet folds (as benchmarks/classifier_quality.py), before = fold
train only, after = fold train + seed + election hate posts with sentences and SARA.

Per set: hate precision, recall, F1 at the product threshold, and any-flag recall (share of
hateful posts that get a hate, abusive or partisan flag). Internal cross-validation uses 3
folds (not 5) to fit in the time box; ``--quick`` subsamples every corpus for iteration.

    python benchmarks/hate_cross_domain.py [--quick] [--limit N] [--protocol-folds N]

Measured at full size (2026-12-03, 115 s on a shared 2-core machine), before -> after: any-flag
recall ibrohim2019 0.564 -> 0.849, netifier 0.716 -> 0.862, putri2021 0.923 -> 0.883, long posts
0.321 -> 0.862, held-out election posts 0.766 -> 1.000; hate F1 0.313 -> 0.639, 0.353 -> 0.407,
0.300 -> 0.281, 0.248 -> 0.654, 0.717 -> 0.964; ibrohim2019 protocol (fold 1) HS F1 0.851 ->
0.840. Harmless posts with a flag of any kind (a false flag): ibrohim2019 0.288 -> 0.395,
netifier 0.441 -> 0.414, putri2021 0.610 -> 0.500, long posts 0.114 -> 0.369.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from dataclasses import replace

import numpy as np

from classifiers.datasets import (HATE_ELECTION, HATE_ELECTION_HELDOUT, Example, ibrohim_folds, load,
                                  load_hate_election, load_jsonl, load_seed_corpus)
from classifiers.model import NeutralityModel
from classifiers.pipeline import SEED_CORPUS, default_prepare
from shared_data import SHARED

FLAG_LABELS = ("hate", "abusive", "partisan")


def cached_prepare():
    """default_prepare with a text -> Prepared memo: the same texts are prepared for many fits."""
    prepare = default_prepare()
    memo: dict[str, object] = {}

    def run(texts):
        missing = [t for t in dict.fromkeys(texts) if t not in memo]
        if missing:
            memo.update(zip(missing, prepare(missing)))
        return [memo[t] for t in texts]

    return run


def fit(examples: list[Example], prepare, *, new: bool) -> NeutralityModel:
    model = NeutralityModel(prepare=prepare, folds=3)
    model.ask_for_reason = new
    model.fit([e.text for e in examples], [e.labels for e in examples], [e.covers for e in examples])
    if not new:  # the main-branch behaviour: whole documents only, no SARA or insult rules
        model.long_text_chars = 10**9
        model.sara = model.insults = _NoRules()
    return model


class _NoRules:
    def apply(self, text: str, folded=None):
        from classifiers.sara import _NOTHING

        return _NOTHING


#: netifier columns other than ``sara``: a non-hateful post carrying one is not a harmless post.
OTHER_TOXIC = ("pornografi", "radikalisme", "pencemaran_nama_baik")


def toxic(example: Example) -> bool:
    """Labelled abusive, or offensive by another column of its corpus (netifier), or built from such a post."""
    return "abusive" in example.labels or any(example.meta.get(k) == "1" for k in OTHER_TOXIC + ("toxic",))


def measure(model: NeutralityModel, examples: list[Example]) -> dict[str, float]:
    """Hate P/R/F1, any-flag recall of hateful posts, and the any-flag rate of non-hateful posts
    (``neg``) and of harmless ones (``clean``: no abusive or other offensive label either, where
    a flag of some kind can only be false)."""
    predictions = model.predict([e.text for e in examples], explain=True)
    y = np.array(["hate" in e.labels for e in examples])
    harmless = np.array([not toxic(e) for e in examples]) & ~y
    flagged = np.array(["hate" in p.flags for p in predictions])
    any_flag = np.array([any(label in p.flags and p.explanation.get(label) for label in FLAG_LABELS) for p in predictions])
    tp = int((flagged & y).sum())
    precision = tp / max(int(flagged.sum()), 1)
    recall = tp / max(int(y.sum()), 1)
    f1 = 2 * precision * recall / max(precision + recall, 1e-9)
    return {"n": len(examples), "pos": int(y.sum()), "p": precision, "r": recall, "f1": f1,
            "any": float(any_flag[y].mean()) if y.any() else 0.0,
            "neg_flag": float(any_flag[~y].mean()) if (~y).any() else 0.0,
            "neg_n": int((~y).sum()),
            "clean_flag": float(any_flag[harmless].mean()) if harmless.any() else 0.0,
            "clean_n": int(harmless.sum()),
            "neg_by_label": {label: round(float(np.mean([label in p.flags for p, h in zip(predictions, y) if not h])), 3)
                             for label in FLAG_LABELS} if (~y).any() else {}}


def synthesise_long(hateful: list[Example], harmless: list[Example], filler: list[str], rng: random.Random) -> list[Example]:
    """Each post's text embedded at a random place among 3-6 neutral sentences (a long post)."""
    result = []
    for example, label in [(e, True) for e in hateful] + [(e, False) for e in harmless]:
        paragraph = rng.sample(filler, rng.randint(3, 6))
        paragraph.insert(rng.randint(1, len(paragraph) - 1), example.text.strip().rstrip(".") + ".")
        result.append(Example(" ".join(paragraph), frozenset({"hate"}) if label else frozenset(), frozenset({"hate"}), "long",
                              meta={"toxic": "1" if toxic(example) else "0"}))
    return result


def show(name: str, before: dict, after: dict) -> None:
    print(f"{name:18s} n={after['n']:5d} hate={after['pos']:4d} | before P {before['p']:.3f} R {before['r']:.3f} "
          f"F1 {before['f1']:.3f} any {before['any']:.3f} | after P {after['p']:.3f} R {after['r']:.3f} F1 {after['f1']:.3f} "
          f"any {after['any']:.3f} | non-hate flagged {before['neg_flag']:.3f} -> {after['neg_flag']:.3f}, "
          f"harmless (n={after['clean_n']}) flagged {before['clean_flag']:.3f} -> {after['clean_flag']:.3f} "
          f"(after by label {after.get('neg_by_label', {})})", flush=True)


def protocol_f1(prepare, folds: int, extra: list[Example], limit: int | None) -> tuple[float, float]:
    """ibrohim2019 IndoBERTweet folds: HS F1 at the out-of-fold F1 threshold, before and after."""
    before, after = [], []
    for train, test in ibrohim_folds(SHARED / "ibrohim2019" / "folds_indobertweet.csv")[:folds]:
        train, test = train[:limit], test[:limit]
        y = np.array(["hate" in e.labels for e in test])
        for examples, new, out in ((train, False, before), (train + extra, True, after)):
            model = fit(examples, prepare, new=new)
            scores = np.array([p.scores["hate"] for p in model.predict([e.text for e in test], explain=False)])
            predicted = scores >= model.labels_["hate"].f1_threshold
            tp = int((predicted & y).sum())
            out.append(2 * tp / max(int(predicted.sum()) + int(y.sum()), 1))
    return float(np.mean(before)), float(np.mean(after))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="subsample every corpus to 1,500 posts (for iterating)")
    parser.add_argument("--limit", type=int, default=0, help="subsample every corpus to this many posts (0: all)")
    parser.add_argument("--protocol-folds", type=int, default=1, help="ibrohim2019 folds to run (0 skips)")
    args = parser.parse_args()
    if not (SHARED / "ibrohim2019" / "re_dataset.csv").exists():
        print(f"SKIP: {SHARED} not found (needs ../shared/datasets)")
        print("RESULT skipped=1")
        sys.exit(0)
    start = time.perf_counter()
    rng = random.Random(21)
    limit = 1500 if args.quick else (args.limit or None)

    def sample(examples: list[Example]) -> list[Example]:
        return rng.sample(examples, min(limit, len(examples))) if limit else examples

    corpora = {
        "ibrohim2019": sample(load(SHARED / "ibrohim2019" / "re_dataset.csv")),
        "netifier": sample(load(SHARED / "netifier" / "train.csv") + load(SHARED / "netifier" / "test.csv")),
        "putri2021": sample(load(SHARED / "putri2021_jv_su" / "Javanese.csv") + load(SHARED / "putri2021_jv_su" / "Sundanese.csv")),
    }
    desrul = sample(load(SHARED / "desrul2019_comments" / "news_comments_abusive.csv"))
    seed = load_seed_corpus(SEED_CORPUS)
    election = load_hate_election(HATE_ELECTION)
    heldout = [replace(e, covers=frozenset({"hate"})) for e in load_jsonl(HATE_ELECTION_HELDOUT)]
    filler = [e.text for e in load(SHARED / "nusax_senti_id" / "train.csv") if 30 <= len(e.text) <= 160]
    prepare = cached_prepare()
    models_before: dict[str, NeutralityModel] = {}
    models_after: dict[str, NeutralityModel] = {}
    results: dict[str, tuple[dict, dict]] = {}
    for name, test in corpora.items():
        key = "seed" if name == "ibrohim2019" else "seed+ibrohim"
        if key not in models_before:
            models_before[key] = fit(seed + ([] if name == "ibrohim2019" else corpora["ibrohim2019"]), prepare, new=False)
        others = [e for other, examples in corpora.items() if other != name for e in examples]
        models_after[name] = fit(seed + election + others + desrul, prepare, new=True)
        results[name] = (measure(models_before[key], test), measure(models_after[name], test))
        show(name, *results[name])
        print(f"  ({time.perf_counter() - start:.0f}s)", flush=True)
    # Long posts: the sentence comes from a corpus the scoring model never saw.
    long_before, long_after = [], []
    for name in ("netifier", "putri2021"):
        test = corpora[name]
        hateful = [e for e in test if "hate" in e.labels][:300]
        harmless = [e for e in test if not e.labels][:300]
        long = synthesise_long(hateful, harmless, filler, rng)
        long_before.append(measure(models_before["seed+ibrohim"], long))
        long_after.append(measure(models_after[name], long))
    held_long = synthesise_long([e for e in heldout if e.labels], [e for e in heldout if not e.labels], filler, rng)
    long_before.append(measure(models_before["seed+ibrohim"], held_long))
    long_after.append(measure(models_after["putri2021"], held_long))
    merged = {}
    for label, parts in (("before", long_before), ("after", long_after)):
        pos = sum(p["pos"] for p in parts)
        merged[label] = {k: sum(p[k] * p["pos"] for p in parts) / pos for k in ("p", "r", "f1", "any")}
        merged[label].update(n=sum(p["n"] for p in parts), pos=pos,
                             neg_n=sum(p["neg_n"] for p in parts), clean_n=sum(p["clean_n"] for p in parts))
        for rate, count in (("neg_flag", "neg_n"), ("clean_flag", "clean_n")):
            merged[label][rate] = sum(p[rate] * p[count] for p in parts) / max(merged[label][count], 1)
    results["long"] = (merged["before"], merged["after"])
    show("long (weighted)", *results["long"])
    results["heldout"] = (measure(models_before["seed+ibrohim"], heldout), measure(models_after["putri2021"], heldout))
    show("heldout", *results["heldout"])
    protocol = (float("nan"), float("nan"))
    if args.protocol_folds:
        protocol = protocol_f1(prepare, args.protocol_folds, seed + election, 3000 if args.quick else None)
        print(f"ibrohim2019 protocol HS F1 (folds {args.protocol_folds}): before {protocol[0]:.3f} after {protocol[1]:.3f}")
    elapsed = time.perf_counter() - start
    fields = []
    for name, (before, after) in results.items():
        short = name.split(" ")[0]
        fields += [f"{short}_f1={after['f1']:.4f}", f"{short}_p={after['p']:.4f}", f"{short}_r={after['r']:.4f}",
                   f"{short}_any={after['any']:.4f}", f"{short}_neg={after['neg_flag']:.4f}",
                   f"{short}_clean={after['clean_flag']:.4f}", f"{short}_f1_before={before['f1']:.4f}",
                   f"{short}_any_before={before['any']:.4f}", f"{short}_neg_before={before['neg_flag']:.4f}",
                   f"{short}_clean_before={before['clean_flag']:.4f}"]
    print("RESULT " + " ".join(fields) + f" protocol_hs_f1={protocol[1]:.4f} protocol_hs_f1_before={protocol[0]:.4f}"
          f" min_any={min(a['any'] for _, a in results.values()):.4f} limit={limit or 0} seconds={elapsed:.0f}")


if __name__ == "__main__":
    main()
