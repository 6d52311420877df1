"""Match stored posts against known debunked claims and raise hoax flags for repeats.

The TF-IDF index over the claims (``classifiers.claims.ClaimMatcher``) is built once per
process and database and cached; it is rebuilt when claims are added (their count or highest
id changes). Building costs about a second per few thousand claims, matching about a
millisecond per post, so ``match_posts`` can run after every collection
(``monitor.pipeline.POST_CLASSIFY_HOOKS``).
"""

from __future__ import annotations

import threading
from typing import Callable, Iterable

from classifiers.claims import ClaimMatcher, is_debunk
from classifiers.model import DEFAULT_CODES

from ..store import Store
from ..store import claims as rows

#: How many candidate claims are kept per post (those at or above the threshold).
TOP_K = 3
#: Flag score at the threshold; a perfect match scores 1.0. A repeat of a debunked claim is the
#: strongest hoax signal Netra has, so it ranks above model-only hoax flags.
SCORE_AT_THRESHOLD = 0.9

_lock = threading.Lock()
_cache: dict[str, tuple[tuple[int, int], ClaimMatcher]] = {}


def _cache_key(store: Store) -> str:
    # Two in-memory databases share the path ":memory:" but not their claims.
    return f"memory:{id(store.conn)}" if store.path == ":memory:" else store.path


def method_name(matcher: ClaimMatcher) -> str:
    return f"tfidf-word1{matcher.word_ngrams}-char35-w{matcher.word_weight:g}"


def claim_index(store: Store) -> ClaimMatcher:
    """The matcher over the store's debunked claims, cached until the claims change."""
    signature = rows.claims_signature(store)
    with _lock:
        cached = _cache.get(_cache_key(store))
        if cached is not None and cached[0] == signature:
            return cached[1]
    claims = rows.debunked_claims(store)
    matcher = ClaimMatcher().fit([claim_id for claim_id, _ in claims], [text for _, text in claims])
    with _lock:
        _cache[_cache_key(store)] = (signature, matcher)
    return matcher


def clear_cache() -> None:
    with _lock:
        _cache.clear()


def flag_score(similarity: float, threshold: float) -> float:
    """Map a similarity at or above the threshold onto [SCORE_AT_THRESHOLD, 1]."""
    share = (similarity - threshold) / (1.0 - threshold) if threshold < 1.0 else 1.0
    return round(min(1.0, SCORE_AT_THRESHOLD + (1.0 - SCORE_AT_THRESHOLD) * max(0.0, share)), 4)


def _explanation(found: list[tuple[int, float]], claims: dict[int, dict], score: float, threshold: float) -> dict:
    listed = []
    for claim_id, similarity in found:
        claim = claims.get(claim_id, {})
        listed.append({"claim_id": claim_id, "similarity": similarity, "title": claim.get("title"),
                       "url": claim.get("url"), "verdict": claim.get("verdict"), "source": claim.get("source"),
                       "claim_text": (claim.get("claim_text") or "")[:300]})
    best = listed[0]
    name = best["title"] or best["claim_text"][:80]
    link = f" ({best['url']})" if best["url"] else ""
    return {"probability": score, "threshold": threshold, "kind": "claim_match", "claims": listed,
            "summary": f"Mirip klaim yang sudah dibantah ({best['similarity']:.0%}): {name}{link}"}


def match_posts(store: Store, post_ids: Iterable[int], *, matcher: ClaimMatcher | None = None) -> dict:
    """Match the given posts; record matches, open or raise hoax flags. Idempotent.

    Returns counts: posts (checked), matched (posts with a match), matches (rows written),
    debunks (matched posts that correct the claim: recorded, no flag), flags_opened,
    flags_raised, flags_kept (open flag already scored higher), flags_decided (left alone
    because a reviewer decided them), claims (size of the index).
    """
    matcher = matcher or claim_index(store)
    totals = {"posts": 0, "matched": 0, "matches": 0, "debunks": 0, "flags_opened": 0, "flags_raised": 0,
              "flags_kept": 0, "flags_decided": 0, "claims": len(matcher)}
    texts = rows.post_texts(store, post_ids)
    totals["posts"] = len(texts)
    if not texts or not len(matcher):
        return totals
    for start in range(0, len(texts), 500):
        batch = texts[start:start + 500]
        found = matcher.match([text for _, text in batch], k=TOP_K)
        hits = [(post_id, text, [(m.claim_id, m.similarity) for m in matches])
                for (post_id, text), matches in zip(batch, found) if matches]
        if not hits:
            continue
        claims = rows.claims_by_id(store, {claim_id for _, _, found_ in hits for claim_id, _ in found_})
        records = []
        for post_id, text, found_ in hits:
            score = flag_score(found_[0][1], matcher.threshold)
            records.append(rows.PostMatch(post_id, found_, score, _explanation(found_, claims, score, matcher.threshold),
                                          debunks=is_debunk(text)))
        counts = rows.record_matches(store, records, threshold=matcher.threshold, method=method_name(matcher),
                                     proposed_code=DEFAULT_CODES["hoax"])
        totals["matched"] += len(records)
        for key, value in counts.items():
            totals[key] += value
    return totals


def match_all(store: Store, *, batch: int = 1000, progress: Callable[[int], None] | None = None) -> dict:
    """Match every stored post (after importing new claims); returns summed counts."""
    matcher = claim_index(store)
    totals: dict[str, int] = {}
    last = 0
    while True:
        ids = rows.post_ids_after(store, last, batch)
        if not ids:
            break
        for key, value in match_posts(store, ids, matcher=matcher).items():
            totals[key] = value if key == "claims" else totals.get(key, 0) + value
        last = ids[-1]
        if progress:
            progress(len(ids))
    totals.setdefault("claims", len(matcher))
    totals.setdefault("posts", 0)
    return totals
