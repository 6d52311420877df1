"""Claims SQL: known debunked claims, the posts that repeat them, and the hoax flags they raise.

Claims are deduplicated on the hash of their text (``classifiers.claims.claim_hash``); feed
items also on their fact-check URL, because a site re-publishing an article with an edited
summary is still one claim. A claim match raises or opens the post's ``hoax`` flag, but never
touches a flag a reviewer has decided (same rule as ``monitor.store.flags``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the matcher pulls in scikit-learn; reading matches for a flag card must not
    from classifiers.claims import ClaimRecord

from .db import Store, utcnow

#: model_version of the flags and classification rows written by claim matching.
CLAIM_MODEL_VERSION = "claim-match"
_CHUNK = 500


def _marks(values: Sequence) -> str:
    return ",".join("?" * len(values)) or "NULL"


def _chunks(values: Iterable[int]) -> Iterable[list[int]]:
    values = list(dict.fromkeys(int(v) for v in values))
    for start in range(0, len(values), _CHUNK):
        yield values[start:start + _CHUNK]


@dataclass(frozen=True)
class InsertResult:
    added_ids: list[int]
    duplicates: int


def insert_claims(store: Store, records: Sequence[ClaimRecord], *, dedupe_url: bool = False) -> InsertResult:
    """Insert new claims; a claim whose text hash (or, with ``dedupe_url``, URL) is already
    stored, or repeated inside ``records``, counts as a duplicate. Joins an outer transaction."""
    added: list[int] = []
    duplicates = 0
    now = utcnow()
    with store.write() as conn:
        for record in records:
            if dedupe_url and record.url and conn.execute(
                    "SELECT 1 FROM claims WHERE url = ? LIMIT 1", (record.url,)).fetchone():
                duplicates += 1
                continue
            cursor = conn.execute(
                """INSERT INTO claims (claim_text, title, verdict, url, source, published_at, category,
                                       external_id, text_sha256, created_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(text_sha256) DO NOTHING""",
                (record.claim_text, record.title, record.verdict, record.url, record.source,
                 record.published_at, record.category, record.external_id, record.text_sha256, now))
            if cursor.rowcount:
                added.append(int(cursor.lastrowid))
            else:
                duplicates += 1
    return InsertResult(added, duplicates)


def count_claims(store: Store) -> int:
    return int(store.one("SELECT COUNT(*) FROM claims")[0])


def list_claims(store: Store, *, limit: int = 50, offset: int = 0, search: str | None = None) -> list[dict]:
    """Newest first; ``search`` is a case-insensitive substring of text, title or source."""
    where, params = "", []
    if search:
        where = "WHERE claim_text LIKE ? ESCAPE '\\' OR title LIKE ? ESCAPE '\\' OR source LIKE ? ESCAPE '\\'"
        pattern = "%" + search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        params = [pattern] * 3
    rows = store.query(
        f"""SELECT id, claim_text, title, verdict, url, source, published_at, category, external_id, created_at,
                   (SELECT COUNT(*) FROM claim_matches m WHERE m.claim_id = claims.id) AS matches
            FROM claims {where} ORDER BY id DESC LIMIT ? OFFSET ?""",
        (*params, int(limit), int(offset)))
    return [dict(r) for r in rows]


def claims_signature(store: Store) -> tuple[int, int]:
    """(count, highest id): changes whenever claims are added or removed, so a cached index
    built for an older signature is rebuilt."""
    row = store.one("SELECT COUNT(*), COALESCE(MAX(id), 0) FROM claims")
    return int(row[0]), int(row[1])


def debunked_claims(store: Store) -> list[tuple[int, str]]:
    """(id, text) of every claim the fact-checker did not find true: what matching indexes."""
    from classifiers.claims import TRUE_VERDICTS  # only the matcher's index build needs it

    true = sorted(TRUE_VERDICTS)
    rows = store.query(
        f"SELECT id, claim_text FROM claims WHERE lower(COALESCE(verdict, '')) NOT IN ({_marks(true)}) ORDER BY id",
        tuple(true))
    return [(int(r[0]), r[1]) for r in rows]


def claims_by_id(store: Store, claim_ids: Iterable[int]) -> dict[int, dict]:
    found: dict[int, dict] = {}
    for chunk in _chunks(claim_ids):
        for row in store.query(
                f"SELECT id, claim_text, title, verdict, url, source FROM claims WHERE id IN ({_marks(chunk)})",
                tuple(chunk)):
            found[int(row["id"])] = dict(row)
    return found


def post_texts(store: Store, post_ids: Iterable[int]) -> list[tuple[int, str]]:
    """(id, current text) of the given posts that exist, in id order."""
    texts: list[tuple[int, str]] = []
    for chunk in _chunks(post_ids):
        texts += [(int(r[0]), r[1]) for r in store.query(
            f"SELECT id, text FROM posts WHERE id IN ({_marks(chunk)}) ORDER BY id", tuple(chunk))]
    return texts


def post_ids_after(store: Store, after_id: int, limit: int) -> list[int]:
    """Post ids above ``after_id``, ascending: lets a full re-match walk the table in batches."""
    return [int(r[0]) for r in store.query("SELECT id FROM posts WHERE id > ? ORDER BY id LIMIT ?",
                                           (int(after_id), int(limit)))]


@dataclass(frozen=True)
class PostMatch:
    """Everything recorded for one post that repeats at least one claim."""

    post_id: int
    claims: list[tuple[int, float]]  # (claim_id, similarity), best first
    score: float                     # the hoax flag score this match is worth
    explanation: dict
    debunks: bool = False            # the post corrects the claim: recorded, raises no flag


def record_matches(store: Store, matches: Sequence[PostMatch], *, threshold: float, method: str,
                   proposed_code: str | None) -> dict[str, int]:
    """Write claim_matches rows, the claim-match classification (explanation) and open or
    raise hoax flags, in one transaction. Decided flags are counted, never changed."""
    counts = {"matches": 0, "debunks": 0, "flags_opened": 0, "flags_raised": 0, "flags_kept": 0, "flags_decided": 0}
    if not matches:
        return counts
    now = utcnow()
    with store.write() as conn:
        ids = [m.post_id for m in matches]
        units: dict[int, int | None] = {}
        for chunk in _chunks(ids):
            units.update(conn.execute(
                f"""SELECT p.id, e.unit_id FROM posts p LEFT JOIN accounts a ON a.id = p.account_id
                    LEFT JOIN employees e ON e.id = a.employee_id WHERE p.id IN ({_marks(chunk)})""",
                chunk).fetchall())
        for match in matches:
            for claim_id, similarity in match.claims:
                conn.execute(
                    """INSERT INTO claim_matches (post_id, claim_id, similarity, threshold, method, stance, matched_at)
                       VALUES (?, ?, ?, ?, ?, ?, ?)
                       ON CONFLICT(post_id, claim_id) DO UPDATE SET similarity = excluded.similarity,
                       threshold = excluded.threshold, method = excluded.method, stance = excluded.stance,
                       matched_at = excluded.matched_at""",
                    (match.post_id, claim_id, similarity, threshold, method,
                     "debunks" if match.debunks else "repeats", now))
                counts["matches"] += 1
            if match.debunks:
                counts["debunks"] += 1
                continue
            conn.execute(
                """INSERT INTO classifications (post_id, model_version, scores_json, explanation_json, created_at)
                   VALUES (?, ?, ?, ?, ?)
                   ON CONFLICT(post_id, model_version) DO UPDATE SET scores_json = excluded.scores_json,
                   explanation_json = excluded.explanation_json, created_at = excluded.created_at""",
                (match.post_id, CLAIM_MODEL_VERSION, json.dumps({"hoax": match.score}),
                 json.dumps({"hoax": match.explanation}, ensure_ascii=False), now))
            flag = conn.execute("SELECT id, status, score FROM flags WHERE post_id = ? AND category = 'hoax'",
                                (match.post_id,)).fetchone()
            if flag is None:
                conn.execute(
                    """INSERT INTO flags (post_id, category, score, status, proposed_code, unit_id, model_version,
                                          created_at, updated_at)
                       VALUES (?, 'hoax', ?, 'open', ?, ?, ?, ?, ?)""",
                    (match.post_id, match.score, proposed_code, units.get(match.post_id), CLAIM_MODEL_VERSION, now, now))
                counts["flags_opened"] += 1
            elif flag["status"] != "open":
                counts["flags_decided"] += 1
            elif match.score > flag["score"]:
                conn.execute("UPDATE flags SET score = ?, updated_at = ? WHERE id = ?", (match.score, now, flag["id"]))
                counts["flags_raised"] += 1
            else:
                counts["flags_kept"] += 1
    return counts


def matches_for_posts(store: Store, post_ids: Iterable[int]) -> dict[int, list[dict]]:
    """Recorded claim matches per post, best first: claim_id, title, url, verdict, similarity
    (plus stance 'repeats'/'debunks', claim_text, source, matched_at). Posts without matches
    are absent."""
    found: dict[int, list[dict]] = {}
    for chunk in _chunks(post_ids):
        rows = store.query(
            f"""SELECT m.post_id, m.claim_id, c.title, c.url, c.verdict, m.similarity, m.stance, c.claim_text,
                       c.source, m.matched_at
                FROM claim_matches m JOIN claims c ON c.id = m.claim_id
                WHERE m.post_id IN ({_marks(chunk)}) ORDER BY m.post_id, m.similarity DESC, m.claim_id""",
            tuple(chunk))
        for row in rows:
            item = dict(row)
            found.setdefault(int(item.pop("post_id")), []).append(item)
    return found


def match_counts(store: Store) -> Mapping[str, int]:
    row = store.one("SELECT COUNT(*), COUNT(DISTINCT post_id) FROM claim_matches")
    return {"matches": int(row[0]), "posts": int(row[1])}
