"""Classifications and the flags they open.

A flag is a request for human review. Re-classifying updates the score and explanation of a
flag that is still open, but never touches one a reviewer has decided: their judgement stands
until they reopen it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Sequence

from .db import Store, utcnow


@dataclass(frozen=True)
class ScoredPost:
    post_id: int
    scores: dict[str, float]
    flags: list[str]
    codes: dict[str, str]
    explanation: dict[str, dict]
    levels: dict[str, str] = field(default_factory=dict)   # category -> 'kuat' | 'perlu_dilihat'


def save_classifications(store: Store, model_version: str, results: Sequence[ScoredPost]) -> dict[str, int]:
    """Store scores and open or refresh flags, in one transaction. Returns counts."""
    now = utcnow()
    counts = {"classified": 0, "flags_opened": 0, "flags_updated": 0}
    with store.write() as conn:
        units = dict(conn.execute(
            f"""SELECT p.id, e.unit_id FROM posts p LEFT JOIN accounts a ON a.id = p.account_id
                LEFT JOIN employees e ON e.id = a.employee_id
                WHERE p.id IN ({','.join('?' * len(results)) or 'NULL'})""",
            [r.post_id for r in results]).fetchall())
        for result in results:
            conn.execute(
                """INSERT INTO classifications (post_id, model_version, scores_json, explanation_json, created_at)
                   VALUES (?, ?, ?, ?, ?)
                   ON CONFLICT(post_id, model_version) DO UPDATE SET scores_json = excluded.scores_json,
                   explanation_json = excluded.explanation_json, created_at = excluded.created_at""",
                (result.post_id, model_version, json.dumps(result.scores), json.dumps(result.explanation, ensure_ascii=False), now),
            )
            counts["classified"] += 1
            for category in result.flags:
                existing = conn.execute(
                    "SELECT id, status FROM flags WHERE post_id = ? AND category = ?", (result.post_id, category)
                ).fetchone()
                if existing is None:
                    conn.execute(
                        """INSERT INTO flags (post_id, category, score, status, proposed_code, unit_id, model_version,
                           created_at, updated_at, level) VALUES (?, ?, ?, 'open', ?, ?, ?, ?, ?, ?)""",
                        (result.post_id, category, result.scores[category], result.codes.get(category),
                         units.get(result.post_id), model_version, now, now, result.levels.get(category)),
                    )
                    counts["flags_opened"] += 1
                elif existing["status"] == "open":
                    conn.execute(
                        "UPDATE flags SET score = ?, proposed_code = ?, model_version = ?, updated_at = ?, level = ? WHERE id = ?",
                        (result.scores[category], result.codes.get(category), model_version, now,
                         result.levels.get(category), existing["id"]),
                    )
                    counts["flags_updated"] += 1
    return counts


def unclassified_posts(store: Store, model_version: str, *, limit: int = 1000) -> list[tuple[int, str]]:
    """(id, text) of posts without a classification by this model version."""
    rows = store.query(
        """SELECT p.id, p.text FROM posts p
           WHERE NOT EXISTS (SELECT 1 FROM classifications c WHERE c.post_id = p.id AND c.model_version = ?)
           ORDER BY p.id LIMIT ?""",
        (model_version, limit),
    )
    return [(int(r["id"]), r["text"]) for r in rows]


def flag_counts(store: Store, *, unit_ids: set[int] | None = None) -> dict[str, int]:
    """Open flags per category, within a scope."""
    where, params = "f.status = 'open'", []
    if unit_ids is not None:
        where += f" AND f.unit_id IN ({','.join('?' * len(unit_ids)) or 'NULL'})"
        params = sorted(unit_ids)
    rows = store.query(f"SELECT f.category, COUNT(*) FROM flags f WHERE {where} GROUP BY f.category", tuple(params))
    return {r[0]: int(r[1]) for r in rows}


def registry_entities(store: Store) -> dict[str, list]:
    """What the partisan rules need from the election registry, as plain data."""
    candidates = [dict(r) | {"nicknames": json.loads(r["nicknames_json"]), "cues": json.loads(r["cues_json"])} for r in store.query(
        "SELECT name, running_mate, pair_name, nicknames_json, cues_json FROM candidates WHERE status != 'withdrawn'")]
    parties = [dict(r) | {"nicknames": json.loads(r["nicknames_json"])} for r in store.query(
        "SELECT name, abbreviation, nicknames_json FROM parties")]
    terms = [r[0] for r in store.query("SELECT text FROM campaign_terms")]
    handles = [r[0] for r in store.query("SELECT handle FROM campaign_accounts WHERE active")]
    return {"candidates": candidates, "parties": parties, "terms": terms, "handles": handles}


def post_texts(store: Store, post_ids: Sequence[int]) -> list[tuple[int, str]]:
    """(id, text) of these posts, by id."""
    rows = store.query(f"SELECT id, text FROM posts WHERE id IN ({','.join('?' * len(post_ids)) or 'NULL'}) ORDER BY id",
                       tuple(post_ids))
    return [(int(r["id"]), r["text"]) for r in rows]
