"""Classifier quality on public data (skips without ../shared/datasets).

1. The IndoBERTweet 5-fold protocol of ibrohim2019 (folds_indobertweet.csv): positive-class
   F1 for HS and Abusive, mean over the 5 test folds, for Netra's model and for a plain
   TF-IDF + logistic-regression baseline in the same run. Netra's F1 uses the F1 threshold
   chosen on out-of-fold scores of the training fold only; its recall at the product's
   high-recall threshold is printed too. Published: IndoBERT 86.8, IndoBERTweet 88.8 (HS).
2. Cross-dataset: trained on ibrohim2019, tested on netifier `sara` (hate) and putri2021
   Javanese (hate, abusive).
3. Seed corpus: 5-fold cross-validated partisan precision/recall/F1 at the product threshold.

    python benchmarks/classifier_quality.py [--folds N]
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, precision_score, recall_score
from sklearn.model_selection import StratifiedKFold

from classifiers.datasets import ibrohim_folds, load, load_seed_corpus
from classifiers.model import NeutralityModel
from classifiers.pipeline import SEED_CORPUS, default_prepare
from shared_data import SHARED

LABEL_OF = {"hs": "hate", "abusive": "abusive"}


def baseline_f1(train, test, label: str) -> float:
    vectorizer = TfidfVectorizer()
    X = vectorizer.fit_transform([e.text for e in train])
    y = np.array([label in e.labels for e in train])
    classifier = LogisticRegression(max_iter=1000).fit(X, y)
    predicted = classifier.predict(vectorizer.transform([e.text for e in test]))
    return f1_score([label in e.labels for e in test], predicted)


def netra_scores(model: NeutralityModel, test, label: str) -> tuple[float, float, float]:
    """(F1 at the F1 threshold, recall at the product threshold, precision at the product threshold)."""
    p = model.probabilities([e.text for e in test])[label]
    y = np.array([label in e.labels for e in test])
    m = model.labels_[label]
    return (f1_score(y, p >= m.f1_threshold), recall_score(y, p >= m.threshold),
            precision_score(y, p >= m.threshold, zero_division=0))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5, help="how many of the 5 folds to run")
    args = parser.parse_args()
    folds_file = SHARED / "ibrohim2019" / "folds_indobertweet.csv"
    if not folds_file.exists():
        print(f"SKIP: {folds_file} not found (needs ../shared/datasets)")
        print("RESULT skipped=1")
        sys.exit(0)
    prepare = default_prepare()
    results = {k: [] for k in ("hs_f1", "abusive_f1", "baseline_hs_f1", "baseline_abusive_f1",
                               "hs_recall", "hs_precision", "abusive_recall", "abusive_precision")}
    start = time.perf_counter()
    for index, (train, test) in enumerate(ibrohim_folds(folds_file)[: args.folds], start=1):
        model = NeutralityModel(prepare=prepare).fit([e.text for e in train], [e.labels for e in train],
                                                    [e.covers for e in train])
        for short, label in LABEL_OF.items():
            f1, recall, precision = netra_scores(model, test, label)
            results[f"{short}_f1"].append(f1)
            results[f"{short}_recall"].append(recall)
            results[f"{short}_precision"].append(precision)
            results[f"baseline_{short}_f1"].append(baseline_f1(train, test, label))
        print(f"fold {index}: HS F1 {results['hs_f1'][-1]:.3f} (baseline {results['baseline_hs_f1'][-1]:.3f}), "
              f"Abusive F1 {results['abusive_f1'][-1]:.3f} (baseline {results['baseline_abusive_f1'][-1]:.3f}), "
              f"{time.perf_counter() - start:.0f}s", flush=True)
    mean = {k: float(np.mean(v)) for k, v in results.items()}
    print(f"ibrohim2019 5-fold mean: HS F1 {mean['hs_f1']:.3f} vs baseline {mean['baseline_hs_f1']:.3f} "
          f"(IndoBERT 0.868, IndoBERTweet 0.888); Abusive F1 {mean['abusive_f1']:.3f} vs baseline "
          f"{mean['baseline_abusive_f1']:.3f}")
    print(f"at the high-recall product threshold: HS recall {mean['hs_recall']:.3f} precision {mean['hs_precision']:.3f}; "
          f"Abusive recall {mean['abusive_recall']:.3f} precision {mean['abusive_precision']:.3f}")

    # Cross-dataset: train on all of ibrohim2019.
    ibrohim = load(SHARED / "ibrohim2019" / "re_dataset.csv")
    model = NeutralityModel(prepare=prepare).fit([e.text for e in ibrohim], [e.labels for e in ibrohim],
                                                [e.covers for e in ibrohim])
    cross = {}
    netifier = load(SHARED / "netifier" / "test.csv")
    cross["netifier_sara_f1"] = netra_scores(model, netifier, "hate")[0]
    javanese = load(SHARED / "putri2021_jv_su" / "Javanese.csv")
    cross["jv_hate_f1"] = netra_scores(model, javanese, "hate")[0]
    cross["jv_abusive_f1"] = netra_scores(model, javanese, "abusive")[0]
    print("cross-dataset (train ibrohim2019): " + ", ".join(f"{k} {v:.3f}" for k, v in cross.items()))

    # Seed corpus partisan, cross-validated at the product threshold.
    seed = load_seed_corpus(SEED_CORPUS)
    y = np.array(["partisan" in e.labels for e in seed])
    predicted = np.zeros(len(seed), dtype=bool)
    for train_idx, test_idx in StratifiedKFold(5, shuffle=True, random_state=0).split(np.zeros(len(y)), y):
        fold_model = NeutralityModel(prepare=prepare).fit([seed[i].text for i in train_idx],
                                                         [seed[i].labels for i in train_idx],
                                                         [seed[i].covers for i in train_idx])
        predictions = fold_model.predict([seed[i].text for i in test_idx], explain=False)
        predicted[test_idx] = ["partisan" in p.flags for p in predictions]
    partisan = (precision_score(y, predicted), recall_score(y, predicted), f1_score(y, predicted))
    print(f"seed corpus partisan (5-fold CV, rules + model, product threshold): precision {partisan[0]:.3f} "
          f"recall {partisan[1]:.3f} F1 {partisan[2]:.3f}")
    print(f"RESULT hs_f1={mean['hs_f1']:.4f} abusive_f1={mean['abusive_f1']:.4f} "
          f"baseline_hs_f1={mean['baseline_hs_f1']:.4f} baseline_abusive_f1={mean['baseline_abusive_f1']:.4f} "
          f"hs_recall_at_threshold={mean['hs_recall']:.4f} "
          + " ".join(f"{k}={v:.4f}" for k, v in cross.items())
          + f" partisan_precision={partisan[0]:.4f} partisan_recall={partisan[1]:.4f} partisan_f1={partisan[2]:.4f}"
          f" folds={args.folds}")


if __name__ == "__main__":
    main()
