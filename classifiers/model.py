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

import re
from dataclasses import dataclass, field
from typing import Callable, Iterable, Sequence

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from .counterspeech import counter_speech
from .features import CachedTfidf
from .hostility import hostile
from .insults import InsultRules
from .longtext import SegmentScores
from .rules import RuleEngine, RuleHit, RuleResult
from .sara import SaraResult, SaraRules
from .sentences import LONG_TEXT_CHARS
from .spelling import fold

LABELS = ("partisan", "hate", "abusive", "hoax")
#: Labels whose model flag must show a reason (a hostile word, no counter-speech) or a surer score.
REASONED_LABELS = frozenset({"hate", "abusive"})
REASON_ODDS = 4.0   # how much surer (in odds) the model must be when the post shows no reason
DEFAULT_CODES = {"partisan": "N1", "hate": "H2", "abusive": "A1", "hoax": "K1"}
_STATE_WORDS = ("pancasila", "pemerintah", "negara", "nkri", "rezim", "presiden", "uud", "konstitusi", "polisi", "aparat")
_STATE_PATTERN = re.compile("|".join(_STATE_WORDS), re.IGNORECASE)  # substring match, as before
#: Recall each label's threshold must reach on held-out scores, where it differs from the model's
#: ``recall_target``. Hoax is lower because the style model is weak evidence on its own (a post
#: that looks like a chain message is usually not a hoax; matching against debunked claims is
#: the other hoax detector) and the seed corpus holds hoaxes at many times their real rate: at
#: recall 0.9 the seed model flagged 9.5% of the non-hoax demo posts, at 0.8 far fewer.
LABEL_RECALL_TARGETS: dict[str, float] = {"hoax": 0.8}
MIN_POSITIVES = 8  # fewer than this and a label's numbers would be noise


@dataclass(frozen=True)
class Prepared:
    """A text as the vectorisers see it: stems for words, normalised text for characters.

    ``stems``/``tokens`` optionally carry the same two texts already split, so classification
    need not split them again.
    """

    words: str
    chars: str
    stems: Sequence[str] | None = field(default=None, compare=False, repr=False)
    tokens: Sequence[str] | None = field(default=None, compare=False, repr=False)


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
    # Two thresholds, like a fact-checker's similarity tool: ``threshold`` (recall target) sends a
    # post to review as "perlu dilihat"; ``strong_threshold`` (precision target, out-of-fold) marks
    # "indikasi kuat". 1.0 on models saved before it existed: nothing is strong by score alone.
    strong_threshold: float = 1.0
    strong_precision: float = 0.0
    # True when ``threshold`` was chosen for the reasoned decision (choose_reasoned_threshold):
    # then a flag with no hostile word, or in counter-speech, needs reason_bar(threshold).
    # False on models saved before it existed, which keep their old decision.
    reasoned: bool = False

    def decision(self, features: sparse.csr_matrix) -> np.ndarray:
        return np.asarray(features @ self.coef).ravel() + self.intercept

    def sentence_floor(self) -> float:
        """Decision score a single sentence of a long post must reach to speak for the post.

        Stricter than the post's own thresholds: the best of six sentences is the maximum of six
        noisy scores, so at the F1 threshold most long neutral posts had one sentence above it.
        The floor sits ``SENTENCE_FLOOR_SHARE`` of the way (in log-odds) from the F1 threshold to
        the strong threshold (out-of-fold precision 0.95); models saved without a strong threshold
        use the F1 one. A sentence with no hostile word needs more (``reasoned_decision``).
        """
        low = min(max(self.threshold, self.f1_threshold), 1 - 1e-6)
        high = min(self.strong_threshold, 1 - 1e-6)
        logit = np.log(low / (1 - low))
        if high > low:
            logit += SENTENCE_FLOOR_SHARE * (np.log(high / (1 - high)) - logit)
        return float((logit - self.platt_b) / self.platt_a) if self.platt_a > 0 else float("inf")

    def reasoned_decision(self, decision: float) -> float:
        """The decision score a flag with no reason needs where ``decision`` would do with one
        (:func:`reason_bar` in decision units: REASON_ODDS more in odds)."""
        return decision + float(np.log(REASON_ODDS)) / self.platt_a if self.platt_a > 0 else float("inf")

    def probability(self, scores: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-(self.platt_a * scores + self.platt_b)))


@dataclass(frozen=True)
class Prediction:
    scores: dict[str, float]
    flags: list[str]
    codes: dict[str, str]
    explanation: dict[str, dict]
    levels: dict[str, str] = field(default_factory=dict)   # flagged label -> LEVEL_STRONG or LEVEL_REVIEW


LEVEL_STRONG = "kuat"            # shown as "indikasi kuat"
LEVEL_REVIEW = "perlu_dilihat"   # shown as "perlu dilihat"
STRONG_PRECISION_TARGET = 0.95
#: Where between the F1 and the strong threshold (in log-odds) a lone sentence must score. On the
#: synthesised long posts of benchmarks/hate_cross_domain.py (models trained without the sentence's
#: corpus), 0.25 with the hostile-word condition kept any-flag recall at 0.83-0.92 and flagged
#: fewer long negatives than 0.5 without it (netifier 0.61 vs 0.65, putri2021 0.36 vs 0.38).
SENTENCE_FLOOR_SHARE = 0.25


def choose_precision_threshold(probabilities: np.ndarray, y: np.ndarray, precision_target: float) -> tuple[float, float]:
    """Lowest threshold whose precision (on these held-out scores) reaches the target, so the
    strong level keeps as much recall as it can; returns (threshold, precision). 1.0 if none does."""
    order = np.argsort(-probabilities)
    sorted_p, sorted_y = probabilities[order], y[order]
    precision = np.cumsum(sorted_y) / np.arange(1, len(y) + 1)
    # A cut must fall between distinct scores; take the last index of each run of ties.
    last_of_run = np.append(sorted_p[1:] != sorted_p[:-1], True)
    ok = np.flatnonzero((precision >= precision_target) & last_of_run)
    if len(ok) == 0:
        return 1.0, 0.0
    best = int(ok[-1])
    return float(sorted_p[best]), float(precision[best])


def _vectorizers() -> tuple[TfidfVectorizer, TfidfVectorizer]:
    # token_pattern keeps single characters: the "2" in "nomor 2" is evidence.
    words = TfidfVectorizer(token_pattern=r"\S+", ngram_range=(1, 2), sublinear_tf=True, min_df=1,
                            lowercase=False, max_features=200_000, dtype=np.float32)
    # Character 2-4-grams, 100k: on the ibrohim2019 protocol (folds 0-1) HS F1 equals that of
    # 2-5-grams with 300k features (0.848 vs 0.847), with a third fewer n-grams per post to count.
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True, min_df=2,
                            lowercase=False, max_features=100_000, dtype=np.float32)
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


def reason_bar(threshold: float) -> float:
    """The probability a flag with no reason must reach: ``REASON_ODDS`` times the threshold's odds.

    In odds rather than halfway to 1, so the bar falls with the threshold and every recall
    target stays reachable (a bar of at least 0.5 left unreasoned positives below it out of
    reach, and the threshold then fell to the lowest score)."""
    threshold = min(max(threshold, 1e-6), 1 - 1e-6)
    odds = REASON_ODDS * threshold / (1 - threshold)
    return float(odds / (1 + odds))


def choose_reasoned_threshold(probabilities: np.ndarray, y: np.ndarray, recall_target: float,
                              unreasoned: np.ndarray) -> tuple[float, float, float]:
    """Like :func:`choose_threshold`, for the decision as it is made: a post with no reason
    (``unreasoned``: no hostile word, or counter-speech) flags only at :func:`reason_bar`.

    Recall falls as the threshold rises, so the highest threshold reaching the target is found
    by bisection over the positives' scores; returns (threshold, precision, recall).
    """
    positives = max(int(y.sum()), 1)

    def flagged(threshold: float) -> np.ndarray:
        return (probabilities >= threshold) & (~unreasoned | (probabilities >= reason_bar(threshold)))

    candidates = np.unique(probabilities[y == 1])
    low, high = 0, len(candidates) - 1          # candidates[low] always reaches the target
    while low < high:
        middle = (low + high + 1) // 2
        if int((flagged(candidates[middle]) & (y == 1)).sum()) / positives >= recall_target:
            low = middle
        else:
            high = middle - 1
    threshold = float(candidates[low]) if len(candidates) else 0.5
    predicted = flagged(threshold)
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


def _hit_dict(hit: RuleHit) -> dict:
    """A partisan or SARA rule hit as it is stored in a flag's explanation."""
    return {"rule": hit.rule, "code": hit.code, "matched": hit.matched, "span": list(hit.span),
            "description": hit.description, "weight": hit.weight}


class NeutralityModel:
    """Multi-label classifier for partisan, hate, abusive and hoax content.

    ``prepare`` turns raw texts into :class:`Prepared` (normalisation and stemming); it is a
    parameter so tests and benchmarks can pass a cheaper one.
    """

    def __init__(self, *, prepare: Callable[[Sequence[str]], list[Prepared]] | None = None,
                 recall_target: float = 0.9, C: float = 8.0, folds: int = 5, random_state: int = 0,
                 rules: RuleEngine | None = None, label_recall_targets: dict[str, float] | None = None) -> None:
        self.prepare = prepare
        self.recall_target = recall_target
        self.label_recall_targets = dict(LABEL_RECALL_TARGETS if label_recall_targets is None else label_recall_targets)
        self.C = C
        self.folds = folds
        self.random_state = random_state
        self.rules = rules or RuleEngine()
        self.sara = SaraRules(self.rules.entities.names)
        self.insults = InsultRules(aim=self.sara)
        # A hate or abusive score with no hostile word in the post, or in counter-speech, flags
        # only at reason_bar(threshold) (classifiers.hostility, classifiers.counterspeech);
        # the thresholds are chosen for that decision. False trains the plain decision.
        self.ask_for_reason = True
        self.long_text_chars = LONG_TEXT_CHARS  # texts longer than this are also scored per sentence

    # --- training ----------------------------------------------------------------------

    def _prepare(self, texts: Sequence[str]) -> list[Prepared]:
        if self.prepare is None:
            from .pipeline import default_prepare

            self.prepare = default_prepare()
        return self.prepare(texts)

    def _features(self, prepared: Sequence[Prepared]) -> sparse.csr_matrix:
        # Cached transforms (classifiers.features): same matrix as the vectorizers give, faster.
        fast = self.__dict__.get("_fast")
        if fast is None or fast[0] is not self.word_vectorizer_ or fast[1] is not self.char_vectorizer_:
            fast = (self.word_vectorizer_, self.char_vectorizer_,
                    CachedTfidf(self.word_vectorizer_), CachedTfidf(self.char_vectorizer_))
            self._fast = fast
        words = fast[2].transform([p.words if p.stems is None else p.stems for p in prepared])
        chars = fast[3].transform([p.chars if p.tokens is None else p.tokens for p in prepared])
        return sparse.hstack([words, chars], format="csr")

    def fit(self, texts: Sequence[str], labels: Sequence[Iterable[str]], covers: Sequence[Iterable[str]]) -> "NeutralityModel":
        """Learn every label that has enough positive examples among the texts covering it."""
        prepared = self._prepare(texts)
        self.word_vectorizer_, self.char_vectorizer_ = _vectorizers()
        self.word_vectorizer_.fit([p.words for p in prepared])
        self.char_vectorizer_.fit([p.chars for p in prepared])
        features = self._features(prepared)
        # Posts with no hostile word, or counter-speech, ask the hate and abusive models for a surer
        # score (see predict), so their thresholds are chosen for that decision.
        unreasoned = (np.array([not hostile(f) or counter_speech(f) for f in map(fold, texts)], dtype=bool)
                      if self.ask_for_reason else None)
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
            reasons = unreasoned[rows] if unreasoned is not None and label in REASONED_LABELS else None
            self.labels_[label] = self._fit_label(features[rows], y, self.label_recall_targets.get(label, self.recall_target), reasons)
        if not self.labels_:
            raise ValueError("data latih tidak cukup: setiap label butuh minimal "
                             f"{MIN_POSITIVES} contoh positif dan {MIN_POSITIVES} negatif")
        return self

    def _classifier(self) -> LogisticRegression:
        return LogisticRegression(C=self.C, class_weight="balanced", max_iter=2000, solver="liblinear")

    def _fit_label(self, X: sparse.csr_matrix, y: np.ndarray, recall_target: float,
                   unreasoned: np.ndarray | None = None) -> LabelModel:
        folds = min(self.folds, int(y.sum()), int(len(y) - y.sum()))
        splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=self.random_state)
        out_of_fold = np.zeros(len(y))
        for train, test in splitter.split(X, y):
            out_of_fold[test] = self._classifier().fit(X[train], y[train]).decision_function(X[test])
        a, b = _platt(out_of_fold, y)
        probabilities = 1.0 / (1.0 + np.exp(-(a * out_of_fold + b)))
        if unreasoned is None:
            threshold, precision, recall = choose_threshold(probabilities, y, recall_target)
        else:
            threshold, precision, recall = choose_reasoned_threshold(probabilities, y, recall_target, unreasoned)
        f1_threshold, f1 = choose_f1_threshold(probabilities, y)
        strong, strong_precision = choose_precision_threshold(probabilities, y, STRONG_PRECISION_TARGET)
        final = self._classifier().fit(X, y)
        return LabelModel(coef=final.coef_.ravel().astype(np.float32), intercept=float(final.intercept_[0]),
                          platt_a=a, platt_b=b, threshold=threshold, precision=precision, recall=recall,
                          n_train=int(len(y)), n_positive=int(y.sum()), f1_threshold=f1_threshold, f1=f1,
                          strong_threshold=max(strong, threshold), strong_precision=strong_precision,
                          reasoned=unreasoned is not None)

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
        segments = SegmentScores.of(texts, lambda pieces: self._features(self._prepare(pieces)), min_length=self.long_text_chars)
        decisions: dict[str, list[float]] = {}
        probabilities: dict[str, list[float]] = {}
        rounded: dict[str, list[float]] = {}  # rounding a whole column at once, not 4 calls a post
        for label, model in self.labels_.items():
            floor = model.sentence_floor()
            scores = segments.strongest(label, model.decision, model.decision(features), floor=floor,
                                        unreasoned_floor=model.reasoned_decision(floor) if model.reasoned else None)
            decisions[label] = scores.tolist()
            probability = model.probability(scores)
            probabilities[label] = probability.tolist()
            rounded[label] = np.round(probability, 4).tolist()
        rules = [self.rules.apply(text) for text in texts]
        folded = [fold(text) for text in texts]
        sara = [self.sara.apply(text, f) for text, f in zip(texts, folded)]
        insults = [self.insults.apply(text, f) for text, f in zip(texts, folded)]
        rows = []
        flagged_rows: dict[str, list[int]] = {label: [] for label in self.labels_}
        for i, text in enumerate(texts):
            rule = rules[i]
            scores, flags, codes, levels = {}, [], {}, {}
            unreasoned: bool | None = None   # no hostile word, or counter-speech (computed when asked)
            for label, model in self.labels_.items():
                probability = probabilities[label][i]
                flagged = probability >= model.threshold
                strong = probability >= model.strong_threshold
                lexical = sara[i] if label == "hate" else insults[i] if label == "abusive" else None
                if label == "partisan":
                    if not rule.hits and rule.civic:
                        # Talking about the election (a reminder, a refusal, news listing every pair)
                        # shares words with campaigning: with no side cue, only a strong score flags.
                        flagged = probability >= max(model.strong_threshold, (1.0 + model.threshold) / 2)
                    elif not rule.hits and not rule.context:
                        # A post naming no election, contestant or party is rarely partisan.
                        flagged = probability >= (1.0 + model.threshold) / 2
                    strong = strong or rule.score >= 0.8 or (rule.score >= 0.5 and probability >= model.threshold)
                    flagged = flagged or rule.score >= 0.5
                    scores[label] = max(rounded[label][i], rule.score)  # rule scores are rounded already
                elif lexical is not None and (lexical.fired or lexical.damped):
                    # An aimed slur or insult is a request for review on its own; one quoted to be
                    # condemned or reported ("jangan sebut orang kafir") asks the model for more.
                    flagged = lexical.fired or probability >= (1.0 + model.threshold) / 2
                    # The rule asks for review but claims no more confidence than the threshold:
                    # on ibrohim2019 a SARA hit alone is right 72% of the time, below the model's
                    # precision at its F1 threshold, so it must not outrank the model's scores.
                    floor = round(model.threshold, 4) if lexical.fired else 0.0
                    scores[label] = max(rounded[label][i], floor)
                else:
                    if model.reasoned and flagged and probability < reason_bar(model.threshold):
                        # No hostile word at all, or counter-speech: the model alone must be surer.
                        if unreasoned is None:
                            unreasoned = not hostile(folded[i]) or counter_speech(folded[i])
                        flagged = not unreasoned
                    scores[label] = rounded[label][i]
                if flagged:
                    flags.append(label)
                    codes[label] = lexical.code if lexical is not None and lexical.fired and lexical.code else self._code(label, text, rule)
                    levels[label] = LEVEL_STRONG if strong else LEVEL_REVIEW
                    flagged_rows[label].append(i)
            rows.append((scores, flags, codes, levels))
        explanations: list[dict[str, dict]] = [{} for _ in texts]
        if explain:
            for label, model in self.labels_.items():
                matrix, source_rows = segments.feature_rows(label, features, flagged_rows[label])
                tops = self._top_features(model, matrix, source_rows, top_k)
                for i, words in zip(flagged_rows[label], tops):
                    explanations[i][label] = self._explanation(model, words, decisions[label][i], probabilities[label][i],
                                                               rules[i] if label == "partisan" else None)
                    if label == "hate":
                        self._explain_sara(explanations[i][label], sara[i])
                    elif label == "abusive":
                        self._explain_sara(explanations[i][label], insults[i])
                    sentence = segments.describe(label, i)
                    if sentence is not None:
                        sentence["document_probability"] = round(float(model.probability(np.array([sentence["document_decision"]]))[0]), 4)
                        explanations[i][label]["sentence"] = sentence
        return [Prediction(scores, flags, codes, {label: explanations[i][label] for label in flags} if explain else {}, levels)
                for i, (scores, flags, codes, levels) in enumerate(rows)]

    def _code(self, label: str, text: str, rule: RuleResult) -> str:
        if label == "partisan" and rule.code:
            return rule.code
        if label == "hate" and _STATE_PATTERN.search(text):
            return "H1"
        return DEFAULT_CODES[label]

    def _top_features(self, model: LabelModel, features: sparse.csr_matrix, rows: list[int],
                      top_k: int) -> list[list[dict]]:
        """For each row, the features whose contribution (value x coefficient) pushed the score up most.

        Done for all rows of a batch at once (one sort in numpy), because per-row numpy calls
        cost more than the arithmetic: explanations were a third of classification time.
        """
        if not rows:
            return []
        sub = features[np.asarray(rows)]
        contributions = sub.data * model.coef[sub.indices]
        lengths = np.diff(sub.indptr)
        owner = np.repeat(np.arange(len(rows)), lengths)
        # Row maxima in one call; a trailing 0 keeps every segment start a valid index (empty
        # rows are masked; 0 never exceeds a positive maximum, the only kind used below).
        padded = np.append(contributions, np.zeros(1, dtype=contributions.dtype))
        strongest = np.where(lengths > 0, np.maximum.reduceat(padded, sub.indptr[:-1]), 0)
        positive = contributions > 0
        contributions, owner, columns = contributions[positive], owner[positive], sub.indices[positive]
        # Only entries within a tenth of their row's strongest can be among its top k (unless the
        # row has fewer than k of those: then all its entries stay), so the sort sees ~a third.
        relative = contributions / strongest[owner]
        near = relative >= 0.1
        short = np.bincount(owner[near], minlength=len(rows)) < top_k
        keep = near | short[owner]
        contributions, owner, columns, relative = contributions[keep], owner[keep], columns[keep], relative[keep]
        # One float key orders by row, then by contribution (largest first).
        order = np.argsort(owner + (1.0 - relative) * 0.5, kind="stable")
        owner, contributions, columns = owner[order], contributions[order], columns[order]
        starts = np.searchsorted(owner, np.arange(len(rows)))
        rank = np.arange(len(owner)) - starts[owner]
        keep = rank < top_k
        owner, contributions, columns = owner[keep], contributions[keep], columns[keep]
        names = self.feature_names()[columns].tolist()
        values = np.round(contributions.astype(np.float64), 4).tolist()
        result: list[list[dict]] = [[] for _ in rows]
        for row, name, value in zip(owner.tolist(), names, values):
            result[row].append({"feature": name, "contribution": value})
        return result

    def _explanation(self, model: LabelModel, words: list[dict], decision: float, probability: float,
                     rule: RuleResult | None) -> dict:
        """Rule hits and the top contributing features of one flag."""
        result = {"probability": round(probability, 4), "threshold": round(model.threshold, 4),
                  "strong_threshold": round(model.strong_threshold, 4),
                  "decision": round(decision, 4), "intercept": round(model.intercept, 4), "top_features": words}
        if rule is not None:
            result["rules"] = [_hit_dict(h) for h in rule.hits]
            result["civic"] = [{"rule": h.rule, "matched": h.matched, "description": h.description} for h in rule.civic]
        return result

    @staticmethod
    def _explain_sara(explanation: dict, result: SaraResult) -> None:
        """SARA or insult hits as ``rules`` (spans the dashboard highlights); damped ones as ``civic``."""
        explanation["rules"] = [_hit_dict(h) for h in result.hits]
        explanation["civic"] = [{"rule": h.rule, "matched": h.matched, "span": list(h.span),
                                 "description": "kontra-narasi atau pemberitaan: " + h.description} for h in result.damped]

    def metrics(self) -> dict[str, dict]:
        return {label: {"threshold": m.threshold, "precision": m.precision, "recall": m.recall,
                        "f1_threshold": m.f1_threshold, "f1": m.f1,
                        "strong_threshold": m.strong_threshold, "strong_precision": m.strong_precision,
                        "n_train": m.n_train, "n_positive": m.n_positive} for label, m in self.labels_.items()}

    def probabilities(self, texts: Sequence[str]) -> dict[str, np.ndarray]:
        """Calibrated model probabilities per label, without rules or explanations (for evaluation)."""
        features = self._features(self._prepare(texts))
        return {label: m.probability(m.decision(features)) for label, m in self.labels_.items()}
