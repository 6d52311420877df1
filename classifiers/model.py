"""The neutrality model: one calibrated linear classifier per label, plus rules for partisan.

Why linear: every score must explain itself. With TF-IDF features and logistic regression,
the decision score is exactly the sum of (feature value x coefficient) plus the intercept,
so the words that pushed a post over the threshold are the explanation, not a guess.

Why per-label training sets: public datasets annotate different things (a hate-speech
corpus says nothing about partisan content), so each label learns only from examples whose
source covers that label.

Calibration and thresholds come from out-of-fold scores (5-fold cross-validation on the
training data): Platt scaling maps scores to probabilities, and the threshold is the highest
one that still reaches the recall target, with the precision and recall it gave stored beside
it. A missed violation is a failure, so the target is recall, not accuracy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable, Sequence

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from .rules import RuleEngine, RuleResult

LABELS = ("partisan", "hate", "abusive", "hoax")
DEFAULT_CODES = {"partisan": "N1", "hate": "H2", "abusive": "A1", "hoax": "K1"}
_STATE_WORDS = ("pancasila", "pemerintah", "negara", "nkri", "rezim", "presiden", "uud", "konstitusi", "polisi", "aparat")
MIN_POSITIVES = 8  # fewer than this and a label's numbers would be noise


@dataclass(frozen=True)
class Prepared:
    """A text as the vectorisers see it: stems for words, normalised text for characters."""

    words: str
    chars: str


@dataclass
class LabelModel:
    """Learned state of one label."""

    coef: np.ndarray
    intercept: float
    platt_a: float
    platt_b: float
    threshold: float
    precision: float
    recall: float
    n_train: int
    n_positive: int
    f1_threshold: float = 0.5   # the threshold that maximised out-of-fold F1, for comparison
    f1: float = 0.0

    def decision(self, features: sparse.csr_matrix) -> np.ndarray:
        return np.asarray(features @ self.coef).ravel() + self.intercept

    def probability(self, scores: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-(self.platt_a * scores + self.platt_b)))


@dataclass(frozen=True)
class Prediction:
    scores: dict[str, float]
    flags: list[str]
    codes: dict[str, str]
    explanation: dict[str, dict]


def _vectorizers() -> tuple[TfidfVectorizer, TfidfVectorizer]:
    # token_pattern keeps single characters: the "2" in "nomor 2" is evidence.
    words = TfidfVectorizer(token_pattern=r"\S+", ngram_range=(1, 2), sublinear_tf=True, min_df=1,
                            lowercase=False, max_features=200_000, dtype=np.float32)
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2,
                            lowercase=False, max_features=300_000, dtype=np.float32)
    return words, chars


def _platt(scores: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    calibrator = LogisticRegression(C=1e4)
    calibrator.fit(scores.reshape(-1, 1), y)
    return float(calibrator.coef_[0, 0]), float(calibrator.intercept_[0])


def choose_threshold(probabilities: np.ndarray, y: np.ndarray, recall_target: float) -> tuple[float, float, float]:
    """Highest threshold whose recall reaches the target; returns (threshold, precision, recall)."""
    order = np.argsort(-probabilities)
    sorted_p, sorted_y = probabilities[order], y[order]
    true_pos = np.cumsum(sorted_y)
    positives = max(int(y.sum()), 1)
    recall = true_pos / positives
    index = int(np.searchsorted(recall, recall_target))  # first cut reaching the target
    index = min(index, len(sorted_p) - 1)
    threshold = float(sorted_p[index])
    predicted = probabilities >= threshold
    tp = int((predicted & (y == 1)).sum())
    return threshold, tp / max(int(predicted.sum()), 1), tp / positives


def choose_f1_threshold(probabilities: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """The threshold with the best F1 on these scores; returns (threshold, f1)."""
    order = np.argsort(-probabilities)
    sorted_p, sorted_y = probabilities[order], y[order]
    true_pos = np.cumsum(sorted_y)
    predicted = np.arange(1, len(y) + 1)
    f1 = 2 * true_pos / (predicted + max(int(y.sum()), 1))
    best = int(np.argmax(f1))
    return float(sorted_p[best]), float(f1[best])


class NeutralityModel:
    """Multi-label classifier for partisan, hate, abusive and hoax content.

    ``prepare`` turns raw texts into :class:`Prepared` (normalisation and stemming); it is a
    parameter so tests and benchmarks can pass a cheaper one.
    """

    def __init__(self, *, prepare: Callable[[Sequence[str]], list[Prepared]] | None = None,
                 recall_target: float = 0.9, C: float = 8.0, folds: int = 5, random_state: int = 0,
                 rules: RuleEngine | None = None) -> None:
        self.prepare = prepare
        self.recall_target = recall_target
        self.C = C
        self.folds = folds
        self.random_state = random_state
        self.rules = rules or RuleEngine()

    # --- training ----------------------------------------------------------------------

    def _prepare(self, texts: Sequence[str]) -> list[Prepared]:
        if self.prepare is None:
            from .pipeline import default_prepare

            self.prepare = default_prepare()
        return self.prepare(texts)

    def _features(self, prepared: Sequence[Prepared]) -> sparse.csr_matrix:
        words = self.word_vectorizer_.transform([p.words for p in prepared])
        chars = self.char_vectorizer_.transform([p.chars for p in prepared])
        return sparse.hstack([words, chars], format="csr")

    def fit(self, texts: Sequence[str], labels: Sequence[Iterable[str]], covers: Sequence[Iterable[str]]) -> "NeutralityModel":
        """Learn every label that has enough positive examples among the texts covering it."""
        prepared = self._prepare(texts)
        self.word_vectorizer_, self.char_vectorizer_ = _vectorizers()
        self.word_vectorizer_.fit([p.words for p in prepared])
        self.char_vectorizer_.fit([p.chars for p in prepared])
        features = self._features(prepared)
        label_sets = [frozenset(l) for l in labels]
        cover_sets = [frozenset(c) for c in covers]
        self.labels_: dict[str, LabelModel] = {}
        for label in LABELS:
            rows = np.array([i for i, c in enumerate(cover_sets) if label in c], dtype=int)
            if len(rows) == 0:
                continue
            y = np.array([label in label_sets[i] for i in rows], dtype=int)
            if y.sum() < MIN_POSITIVES or (len(y) - y.sum()) < MIN_POSITIVES:
                continue
            self.labels_[label] = self._fit_label(features[rows], y)
        if not self.labels_:
            raise ValueError("data latih tidak cukup: setiap label butuh minimal "
                             f"{MIN_POSITIVES} contoh positif dan {MIN_POSITIVES} negatif")
        return self

    def _classifier(self) -> LogisticRegression:
        return LogisticRegression(C=self.C, class_weight="balanced", max_iter=2000, solver="liblinear")

    def _fit_label(self, X: sparse.csr_matrix, y: np.ndarray) -> LabelModel:
        folds = min(self.folds, int(y.sum()), int(len(y) - y.sum()))
        splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=self.random_state)
        out_of_fold = np.zeros(len(y))
        for train, test in splitter.split(X, y):
            out_of_fold[test] = self._classifier().fit(X[train], y[train]).decision_function(X[test])
        a, b = _platt(out_of_fold, y)
        probabilities = 1.0 / (1.0 + np.exp(-(a * out_of_fold + b)))
        threshold, precision, recall = choose_threshold(probabilities, y, self.recall_target)
        f1_threshold, f1 = choose_f1_threshold(probabilities, y)
        final = self._classifier().fit(X, y)
        return LabelModel(coef=final.coef_.ravel().astype(np.float32), intercept=float(final.intercept_[0]),
                          platt_a=a, platt_b=b, threshold=threshold, precision=precision, recall=recall,
                          n_train=int(len(y)), n_positive=int(y.sum()), f1_threshold=f1_threshold, f1=f1)

    # --- prediction --------------------------------------------------------------------

    def feature_names(self) -> np.ndarray:
        if not hasattr(self, "_names"):
            words = [f"kata:{w}" for w in self.word_vectorizer_.get_feature_names_out()]
            chars = [f"huruf:{c}" for c in self.char_vectorizer_.get_feature_names_out()]
            self._names = np.array(words + chars, dtype=object)
        return self._names

    def predict(self, texts: Sequence[str], *, explain: bool = True, top_k: int = 8) -> list[Prediction]:
        prepared = self._prepare(texts)
        features = self._features(prepared)
        per_label = {}
        for label, model in self.labels_.items():
            scores = model.decision(features)
            per_label[label] = (scores, model.probability(scores))
        results = []
        for i, text in enumerate(texts):
            rule = self.rules.apply(text)
            scores, flags, codes, explanation = {}, [], {}, {}
            for label, model in self.labels_.items():
                probability = float(per_label[label][1][i])
                flagged = probability >= model.threshold
                score = probability
                if label == "partisan":
                    if rule.civic and not rule.hits:
                        # Voter education and neutrality reminders share words with campaigning
                        # ("pilih", "27 November"): without any partisan cue, ask for stronger evidence.
                        flagged = probability >= (1.0 + model.threshold) / 2
                    score = max(probability, rule.score)
                    flagged = flagged or rule.score >= 0.5
                scores[label] = round(score, 4)
                if flagged:
                    flags.append(label)
                    codes[label] = self._code(label, text, rule)
                    if explain:
                        explanation[label] = self._explain(label, model, features, i, float(per_label[label][0][i]),
                                                           probability, rule if label == "partisan" else None, top_k)
            results.append(Prediction(scores, flags, codes, explanation))
        return results

    def _code(self, label: str, text: str, rule: RuleResult) -> str:
        if label == "partisan" and rule.code:
            return rule.code
        if label == "hate" and any(w in text.lower() for w in _STATE_WORDS):
            return "H1"
        return DEFAULT_CODES[label]

    def _explain(self, label: str, model: LabelModel, features: sparse.csr_matrix, i: int, decision: float,
                 probability: float, rule: RuleResult | None, top_k: int) -> dict:
        """Rule hits and the features whose contribution (value x coefficient) pushed the score up."""
        start, end = features.indptr[i], features.indptr[i + 1]
        indices, values = features.indices[start:end], features.data[start:end]
        contributions = values * model.coef[indices]
        order = np.argsort(-contributions)[:top_k]
        names = self.feature_names()
        words = [{"feature": str(names[indices[j]]), "contribution": round(float(contributions[j]), 4)}
                 for j in order if contributions[j] > 0]
        result = {"probability": round(probability, 4), "threshold": round(model.threshold, 4),
                  "decision": round(decision, 4), "intercept": round(model.intercept, 4), "top_features": words}
        if rule is not None:
            result["rules"] = [{"rule": h.rule, "code": h.code, "matched": h.matched, "span": list(h.span),
                                "description": h.description, "weight": h.weight} for h in rule.hits]
            result["civic"] = [{"rule": h.rule, "matched": h.matched, "description": h.description} for h in rule.civic]
        return result

    def metrics(self) -> dict[str, dict]:
        return {label: {"threshold": m.threshold, "precision": m.precision, "recall": m.recall,
                        "f1_threshold": m.f1_threshold, "f1": m.f1,
                        "n_train": m.n_train, "n_positive": m.n_positive} for label, m in self.labels_.items()}

    def probabilities(self, texts: Sequence[str]) -> dict[str, np.ndarray]:
        """Calibrated model probabilities per label, without rules or explanations (for evaluation)."""
        features = self._features(self._prepare(texts))
        return {label: m.probability(m.decision(features)) for label, m in self.labels_.items()}
