"""Claim matching on TurnBackHoax 2024 (skips without ../shared/datasets).

Queries are paraphrase-style perturbations, written by this script, of the claims: content words
dropped, formal words swapped for slang (the inverse of data/lexicons/slang_id.tsv), clauses
reordered, long claims truncated, emoji sprinkled in. Negatives are posts that repeat no claim:
NusaX-Senti (everyday sentences) and Pilpres 2019 tweets (election talk from 2019; the claims
are from 2024).

1. Claims are deduplicated (as the store does) and split 80/20 with a fixed seed. The threshold
   is tuned on the 80% (perturbations of those claims + half of the negatives: the lowest
   threshold whose precision is at least 0.99) and the figures are reported on the held-out 20%
   + the other half of the negatives. The index always holds every claim.
2. Both methods of issue 7 are measured: TF-IDF word + char n-grams with cosine
   (classifiers.claims.ClaimMatcher) and BM25 via SQLite FTS5 (an in-memory scratch table here,
   score normalised by the claim's BM25 against itself so one threshold fits every claim).
3. Speed: 1,000 posts matched in batches of 100 against 50,000 claims; the real claims are
   padded with synthetic claims (words drawn from the real claims' word frequencies).

recall@1: share of held-out queries whose best claim is the right one (no threshold).
precision: of the queries whose best similarity reaches the threshold, the share matched to
the right claim (a negative above the threshold counts as a false match).

    python benchmarks/claim_matching.py [--seed N] [--pad N]
"""

from __future__ import annotations

import argparse
import random
import re
import sqlite3
import sys
import time
from collections import Counter
from pathlib import Path

from classifiers import datasets
from classifiers.claims import (
    DEFAULT_THRESHOLD, MIN_TOKENS, ClaimMatcher, claim_hash, matching_normalizer, matching_views,
)
from classifiers.normalize import DEFAULT_SLANG_PATH, load_slang_tsv

SHARED = Path(__file__).resolve().parents[2] / "shared" / "datasets"
EMOJI = ["😱", "😡", "🙏", "‼️", "👇", "🔥", "😭", "🤬"]
PREFIXES = ["", "", "Viral! ", "Cek dulu: ", "Info grup sebelah: ", "Gawat, ", "Sebarkan!! "]
TARGET_PRECISION = 0.99
#: Unrelated posts outnumber repeats of debunked claims by far in an ASN's timeline, so the
#: threshold must also keep false matches on unrelated posts at or below 1 in 1,000.
TARGET_FALSE_MATCH_RATE = 0.001


# -- data ------------------------------------------------------------------------------------


def load_claims() -> list[str]:
    texts, seen = [], set()
    for name in ("politics", "others", "scam"):
        for example in datasets.load_turnbackhoax2024(SHARED / "turnbackhoax2024" / f"{name}_hoax_text.csv"):
            digest = claim_hash(example.text)
            if digest not in seen:
                seen.add(digest)
                texts.append(example.text)
    return texts


def load_negatives() -> list[str]:
    texts = []
    for split in ("train", "valid", "test"):
        texts += [e.text for e in datasets.load_nusax_senti_id(SHARED / "nusax_senti_id" / f"{split}.csv")]
    texts += [e.text for e in datasets.load_pilpres2019_sentiment(SHARED / "pilpres2019_sentiment" / "tweet.csv")]
    return texts


# -- perturbation ----------------------------------------------------------------------------


def slang_for_formal() -> dict[str, list[str]]:
    """formal word -> slang spellings, from Netra's own slang lexicon (single words only)."""
    inverse: dict[str, list[str]] = {}
    for slang, formal in load_slang_tsv(DEFAULT_SLANG_PATH).items():
        if " " not in formal:
            inverse.setdefault(formal, []).append(slang)
    return inverse


def perturb(text: str, rng: random.Random, slang: dict[str, list[str]]) -> str:
    """A paraphrase-style rewrite: drops, slang, reordering, truncation, emoji, casing."""
    words = text.split()
    if len(words) > 30 and rng.random() < 0.5:  # a post quotes only the start of a long claim
        words = words[: max(12, int(len(words) * rng.uniform(0.4, 0.9)))]
    words = [w for w in words if rng.random() > 0.15 or len(words) < 6]  # word drops
    out = []
    for word in words:
        bare = re.sub(r"\W", "", word).lower()
        if bare in slang and rng.random() < 0.6:
            word = rng.choice(slang[bare])
        out.append(word)
    if len(out) >= 6 and rng.random() < 0.7:  # reorder: swap two clauses
        cut = rng.randrange(2, len(out) - 2)
        out = out[cut:] + out[:cut]
    for _ in range(rng.randrange(0, 3)):  # adjacent swaps
        if len(out) > 3:
            i = rng.randrange(len(out) - 1)
            out[i], out[i + 1] = out[i + 1], out[i]
    rewritten = " ".join(out)
    if rng.random() < 0.3:
        rewritten = rewritten.lower()
    emoji = "".join(rng.choice(EMOJI) for _ in range(rng.randrange(0, 4)))
    return f"{rng.choice(PREFIXES)}{rewritten} {emoji}".strip()


def synthetic_claims(claims: list[str], count: int, rng: random.Random) -> list[str]:
    """Word salads with the real claims' word frequencies and lengths (for speed only)."""
    counts = Counter(word for text in claims for word in text.split())
    vocabulary, weights = list(counts), list(counts.values())
    lengths = [len(text.split()) for text in claims]
    return [" ".join(rng.choices(vocabulary, weights, k=min(rng.choice(lengths), 80))) for _ in range(count)]


# -- methods ---------------------------------------------------------------------------------


class Bm25Fts5:
    """BM25 ranking of claims by SQLite FTS5 over the same normalised stems as the TF-IDF index."""

    def __init__(self, claim_ids: list[int], texts: list[str]) -> None:
        self.db = sqlite3.connect(":memory:")
        self.db.execute("CREATE VIRTUAL TABLE c USING fts5(body, tokenize='unicode61')")
        views = matching_views(texts)
        self.stems = {}
        rows = []
        for claim_id, (stems, _tokens, count) in zip(claim_ids, views):
            if count >= MIN_TOKENS:
                self.stems[claim_id] = stems
                rows.append((claim_id, stems))
        self.db.executemany("INSERT INTO c(rowid, body) VALUES (?, ?)", rows)
        self._self_score: dict[int, float] = {}

    @staticmethod
    def _query(stems: str) -> str:
        terms = dict.fromkeys(t for t in stems.split() if t)
        return " OR ".join('"' + t.replace('"', '""') + '"' for t in terms)

    def best(self, texts: list[str]) -> list[tuple[int | None, float]]:
        results = []
        for stems, _tokens, count in matching_views(texts):
            if count < MIN_TOKENS:
                results.append((None, 0.0))
                continue
            row = self.db.execute("SELECT rowid, bm25(c) FROM c WHERE c MATCH ? ORDER BY bm25(c) LIMIT 1",
                                  (self._query(stems),)).fetchone()
            if row is None:
                results.append((None, 0.0))
                continue
            claim_id, score = row
            if claim_id not in self._self_score:
                self._self_score[claim_id] = self.db.execute(
                    "SELECT bm25(c) FROM c WHERE c MATCH ? AND rowid = ?",
                    (self._query(self.stems[claim_id]), claim_id)).fetchone()[0]
            results.append((claim_id, min(score / self._self_score[claim_id], 1.0)))
        return results


def tfidf_best(matcher: ClaimMatcher, texts: list[str]) -> list[tuple[int | None, float]]:
    best = []
    for start in range(0, len(texts), 500):
        for found in matcher.top(texts[start:start + 500], k=1):
            best.append((found[0].claim_id, found[0].similarity) if found else (None, 0.0))
    return best


# -- scoring ---------------------------------------------------------------------------------


def figures(best: list[tuple[int | None, float]], truth: list[int | None], threshold: float) -> dict[str, float]:
    positives = [i for i, t in enumerate(truth) if t is not None]
    hits = sum(best[i][0] == truth[i] for i in positives)
    above = [i for i, (claim, score) in enumerate(best) if claim is not None and score >= threshold]
    right = sum(best[i][0] == truth[i] for i in above)
    return {
        "recall_at_1": hits / len(positives),
        "recall_at_thr": right / len(positives),
        "precision": right / len(above) if above else 1.0,
        "false_negatives_above": sum(truth[i] is None for i in above),
        "false_match_rate": sum(truth[i] is None for i in above) / max(1, sum(t is None for t in truth)),
    }


def tune_threshold(best, truth) -> float:
    """The lowest threshold meeting both targets (lowest = most recall)."""
    for step in range(10, 96):
        threshold = step / 100
        found = figures(best, truth, threshold)
        if found["precision"] >= TARGET_PRECISION and found["false_match_rate"] <= TARGET_FALSE_MATCH_RATE:
            return threshold
    return 0.95


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--pad", type=int, default=50_000, help="index size for the speed test")
    args = parser.parse_args()
    if not (SHARED / "turnbackhoax2024").exists():
        print(f"SKIP: {SHARED / 'turnbackhoax2024'} not found (needs ../shared/datasets)")
        sys.exit(0)
    rng = random.Random(args.seed)
    claims = load_claims()
    negatives = load_negatives()
    ids = list(range(1, len(claims) + 1))
    counts = [view[2] for view in matching_views(claims)]
    matchable = [i for i in ids if counts[i - 1] >= MIN_TOKENS]
    order = matchable[:]
    rng.shuffle(order)
    held_out = order[: len(order) // 5]
    tuning = order[len(order) // 5:]
    slang = slang_for_formal()
    rng.shuffle(negatives)
    half = len(negatives) // 2
    tune_texts = [perturb(claims[i - 1], rng, slang) for i in tuning] + negatives[:half]
    tune_truth: list[int | None] = list(tuning) + [None] * half
    test_texts = [perturb(claims[i - 1], rng, slang) for i in held_out] + negatives[half:]
    test_truth: list[int | None] = list(held_out) + [None] * (len(negatives) - half)
    print(f"claims: {len(claims)} after dedup ({len(claims) - len(matchable)} shorter than {MIN_TOKENS} words, "
          f"not indexed); tuning queries {len(tuning)}, held-out queries {len(held_out)}; "
          f"negatives {len(negatives)} (nusax_senti_id + pilpres2019_sentiment), split in half")
    print("example perturbation:")
    print("  claim:", claims[held_out[0] - 1][:160])
    print("  query:", test_texts[0][:160])

    started = time.perf_counter()
    matcher = ClaimMatcher().fit(ids, claims)
    print(f"\nTF-IDF index built in {time.perf_counter() - started:.1f}s")
    tfidf_tune, tfidf_test = tfidf_best(matcher, tune_texts), tfidf_best(matcher, test_texts)
    started = time.perf_counter()
    bm25 = Bm25Fts5(ids, claims)
    print(f"FTS5 index built in {time.perf_counter() - started:.1f}s")
    bm25_tune = bm25.best(tune_texts)
    started = time.perf_counter()
    bm25_test = bm25.best(test_texts)
    bm25_seconds = time.perf_counter() - started

    rows = {}
    for name, tune, test in (("tfidf", tfidf_tune, tfidf_test), ("bm25_fts5", bm25_tune, bm25_test)):
        tuned = tune_threshold(tune, tune_truth)
        rows[name] = (tuned, figures(test, test_truth, tuned))
    shipped = figures(tfidf_test, test_truth, DEFAULT_THRESHOLD)
    print("\nheld-out figures at the threshold tuned on the other split (targets: precision >= "
          f"{TARGET_PRECISION}, false matches <= {TARGET_FALSE_MATCH_RATE:.1%} of unrelated posts):")
    print(f"{'method':<11} {'thr':>5} {'recall@1':>9} {'recall@thr':>11} {'precision':>10} {'neg>thr':>8}")
    for name, (tuned, f) in rows.items():
        print(f"{name:<11} {tuned:>5.2f} {f['recall_at_1']:>9.3f} {f['recall_at_thr']:>11.3f} "
              f"{f['precision']:>10.3f} {f['false_negatives_above']:>8}")
    print(f"tfidf at the shipped DEFAULT_THRESHOLD {DEFAULT_THRESHOLD:.2f}: recall@1 {shipped['recall_at_1']:.3f}, "
          f"recall@thr {shipped['recall_at_thr']:.3f}, precision {shipped['precision']:.3f}, "
          f"unrelated posts above {shipped['false_negatives_above']} of {len(negatives) - half} "
          f"({shipped['false_match_rate']:.2%})")

    # Speed: 1,000 posts in batches of 100 against --pad claims.
    pad = max(0, args.pad - len(claims))
    padded = claims + synthetic_claims(claims, pad, rng)
    print(f"\nspeed index: {len(claims)} real + {pad} synthetic claims (word salads drawn from the real "
          f"claims' word frequencies) = {len(padded)}")
    started = time.perf_counter()
    # A fresh normaliser: the posts' new words are resolved during the timed run, as in production.
    big = ClaimMatcher(normalizer=matching_normalizer()).fit(list(range(1, len(padded) + 1)), padded)
    print(f"TF-IDF index of {len(padded)} claims built in {time.perf_counter() - started:.1f}s")
    fresh = [perturb(claims[i - 1], rng, slang) for i in held_out]
    posts = (fresh[:500] + negatives[half:])[:1000]
    started = time.perf_counter()
    for start in range(0, len(posts), 100):
        big.match(posts[start:start + 100])
    seconds = time.perf_counter() - started
    posts_per_s = len(posts) / seconds
    print(f"TF-IDF: {len(posts)} posts (500 new perturbations, 500 unrelated) in {seconds:.2f}s = {posts_per_s:.0f} posts/s "
          f"({seconds / len(posts) * 100:.3f}s per hundred posts)")
    big_bm25 = Bm25Fts5(list(range(1, len(padded) + 1)), padded)
    sample = posts[:300]
    started = time.perf_counter()
    big_bm25.best(sample)
    bm25_rate = len(sample) / (time.perf_counter() - started)
    print(f"BM25/FTS5: {bm25_rate:.0f} posts/s on {len(sample)} posts (3.7k-claim index: "
          f"{len(test_texts) / bm25_seconds:.0f} posts/s)")
    tuned, _f = rows["tfidf"]
    print(f"tfidf threshold tuned on this run: {tuned:.2f}; shipped: {DEFAULT_THRESHOLD:.2f}")
    print(f"RESULT recall_at_1={shipped['recall_at_1']:.3f} precision={shipped['precision']:.3f} "
          f"threshold={DEFAULT_THRESHOLD:.2f} posts_per_s={posts_per_s:.0f}")


if __name__ == "__main__":
    main()
