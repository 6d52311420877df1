"""How far can a CPU n-gram model go on ibrohim2019 hate speech? (skips without ../shared/datasets)

Why this exists: issue 3 asks for HS F1 >= 0.86 on the IndoBERTweet 5-fold protocol, and the
shipped model stays near 0.84. This script re-measures, in one run, the variants that were
tried, so the claim "a linear n-gram model tops out here" can be checked rather than believed.
Every variant uses the fold's own split as the protocol does: fit on ``train``, choose the F1
threshold on ``dev``, report F1 on ``test`` (mean of 5 folds). Variants:

- ``lr``: the shipped features (stemmed word 1-2-grams + character 2-4-grams) and classifier;
- ``raw_chars``: plus case-kept character 1-4-grams of the raw tweet (capitals, punctuation);
- ``pairs``: plus unordered pairs of the 3,000 most weighted words in a tweet (non-adjacent
  conjunctions such as a name and an insult);
- ``knn``: the LR score averaged with a 15-nearest-neighbour vote (near-duplicate tweets);
- ``clean``: refit after dropping training rows whose out-of-fold score contradicts their
  label by a wide margin (label noise);
- ``curve_25`` .. ``curve_100``: the learning curve, the share of ``train`` used, which tells
  how much more labeled data would be needed for a given gain.

Measured elsewhere and not repeated here because they need packages the product does not
depend on: an MLP on the same TF-IDF (torch; fold 0: 0.827 vs LR 0.853), fastText embeddings
trained on 59,000 Indonesian posts from ../shared (gensim; alone 0.782, with LR 0.839 vs 0.839).
Also measured on fold 0 only and rejected: netifier's training rows as extra hate examples
(``sara``, ``sara`` or defamation, or any of its labels; weight 0.3 or 1): 0.829-0.849 against 0.852.
Self-training on 54,000 unlabeled posts from ../shared (confident pseudo-labels, margin 2 or 3,
weight 0.3 or 1), folds 0-3: mean 0.838-0.840 for the four settings against 0.843 without.

    python benchmarks/hs_ceiling.py [--folds N]
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold
from sklearn.preprocessing import normalize

from classifiers.datasets import ibrohim_splits
from classifiers.model import _vectorizers, choose_f1_threshold
from classifiers.pipeline import default_prepare

SHARED = Path(__file__).resolve().parents[2] / "shared" / "datasets"


def classifier() -> LogisticRegression:
    return LogisticRegression(C=8.0, class_weight="balanced", max_iter=3000, solver="liblinear")


def test_f1(dev_scores: np.ndarray, y_dev: np.ndarray, test_scores: np.ndarray, y_test: np.ndarray) -> float:
    threshold, _ = choose_f1_threshold(dev_scores, y_dev)
    return float(f1_score(y_test, test_scores >= threshold))


def scored_f1(scores: tuple[np.ndarray, np.ndarray], y_dev: np.ndarray, y_test: np.ndarray) -> float:
    """``test_f1`` for the (dev, test) scores ``fit_scores`` returns."""
    return test_f1(scores[0], y_dev, scores[1], y_test)


def fit_scores(X: list[sparse.csr_matrix], y: np.ndarray, rows: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Fit on train (optionally a subset of its rows); decision scores on dev and test."""
    model = classifier().fit(X[0] if rows is None else X[0][rows], y if rows is None else y[rows])
    return model.decision_function(X[1]), model.decision_function(X[2])


def knn_vote(query: sparse.csr_matrix, reference: sparse.csr_matrix, y: np.ndarray, k: int = 15) -> np.ndarray:
    similarity = (normalize(query) @ normalize(reference).T).toarray()
    nearest = np.argpartition(-similarity, k, axis=1)[:, :k]
    weights = np.take_along_axis(similarity, nearest, 1) ** 2
    return (weights * (2 * y[nearest] - 1)).sum(1) / (weights.sum(1) + 1e-9)


def run_fold(split, prepare) -> dict[str, float]:
    parts = [split.train, split.dev, split.test]
    prepared = [prepare([e.text for e in part]) for part in parts]
    ys = [np.array(["hate" in e.labels for e in part], dtype=int) for part in parts]
    words, chars = _vectorizers()
    words.fit([p.words for p in prepared[0]])
    chars.fit([p.chars for p in prepared[0]])
    base = [sparse.hstack([words.transform([p.words for p in ps]), chars.transform([p.chars for p in ps])], format="csr")
            for ps in prepared]
    y, y_dev, y_test = ys
    result: dict[str, float] = {}
    dev, test = fit_scores(base, y)
    result["lr"] = test_f1(dev, y_dev, test, y_test)

    raw = TfidfVectorizer(analyzer="char", ngram_range=(1, 4), sublinear_tf=True, min_df=2, lowercase=False,
                          max_features=150_000, dtype=np.float32)
    raw.fit([e.text for e in split.train])
    with_raw = [sparse.hstack([X, 0.5 * raw.transform([e.text for e in part])], format="csr") for X, part in zip(base, parts)]
    result["raw_chars"] = scored_f1(fit_scores(with_raw, y), y_dev, y_test)

    weights = classifier().fit(words.transform([p.words for p in prepared[0]]), y).coef_.ravel()
    names = words.get_feature_names_out()
    unigram = np.array([" " not in n for n in names])
    top = set(names[unigram][np.argsort(-np.abs(weights[unigram]))[:3000]])
    pair_vectorizer = TfidfVectorizer(
        analyzer=lambda stems: [f"{a}|{b}" for a, b in itertools.combinations(sorted({s for s in stems if s in top}), 2)],
        sublinear_tf=True, min_df=2, dtype=np.float32)
    pair_vectorizer.fit([p.stems for p in prepared[0]])
    with_pairs = [sparse.hstack([X, 0.5 * pair_vectorizer.transform([p.stems for p in ps])], format="csr")
                  for X, ps in zip(base, prepared)]
    result["pairs"] = scored_f1(fit_scores(with_pairs, y), y_dev, y_test)

    scale = dev.std()
    knn_dev, knn_test = knn_vote(base[1], base[0], y), knn_vote(base[2], base[0], y)
    result["knn"] = test_f1(dev / scale + 0.5 * knn_dev, y_dev, test / scale + 0.5 * knn_test, y_test)

    out_of_fold = np.zeros(len(y))
    for a, b in StratifiedKFold(5, shuffle=True, random_state=0).split(base[0], y):
        out_of_fold[b] = classifier().fit(base[0][a], y[a]).decision_function(base[0][b])
    keep = np.flatnonzero(~(((y == 1) & (out_of_fold < -2)) | ((y == 0) & (out_of_fold > 2))))
    result["clean"] = scored_f1(fit_scores(base, y, keep), y_dev, y_test)

    order = np.random.default_rng(0).permutation(len(y))
    for share in (25, 50, 75, 100):
        result[f"curve_{share}"] = scored_f1(fit_scores(base, y, order[: len(y) * share // 100]), y_dev, y_test)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5, help="how many of the 5 folds to run")
    args = parser.parse_args()
    if not 1 <= args.folds <= 5:
        parser.error("--folds must be between 1 and 5")
    folds_file = SHARED / "ibrohim2019" / "folds_indobertweet.csv"
    if not folds_file.exists():
        print(f"SKIP: {folds_file} not found (needs ../shared/datasets)")
        print("RESULT skipped=1")
        sys.exit(0)
    prepare = default_prepare()
    start, results = time.perf_counter(), []
    for index, split in enumerate(ibrohim_splits(folds_file)[: args.folds]):
        results.append(run_fold(split, prepare))
        print(f"fold {index}: " + " ".join(f"{k} {v:.4f}" for k, v in results[-1].items())
              + f" ({time.perf_counter() - start:.0f}s)", flush=True)
    mean = {k: float(np.mean([r[k] for r in results])) for k in results[0]}
    print("mean HS F1 (train / dev threshold / test): " + ", ".join(f"{k} {v:.4f}" for k, v in mean.items()))
    print("RESULT " + " ".join(f"{k}={v:.4f}" for k, v in mean.items()) + f" folds={len(results)}")


if __name__ == "__main__":
    main()
