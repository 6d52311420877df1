"""SQL of retraining: the reviewers' decisions as labeled examples.

A reviewer's decision on a flag is the best label Netra will ever get for that post and that
category: ``violation`` makes the post a positive for the flag's category, ``not_violation`` a
negative. Only the latest decision of a flag counts (a reviewer may change their mind); a flag
whose latest decision is ``reopen`` or ``escalate`` has no verdict and is left out.
"""

from __future__ import annotations

from .db import Store

#: Flag categories that are model labels; "report" and "interaction" flags teach the model nothing.
MODEL_CATEGORIES = ("partisan", "hate", "abusive", "hoax")

_LATEST = """
SELECT f.id AS flag_id, f.category, f.post_id, p.text, r.decision, r.created_at AS decided_at
FROM flags f
JOIN posts p ON p.id = f.post_id
JOIN reviews r ON r.id = (SELECT r2.id FROM reviews r2 WHERE r2.flag_id = f.id
                          ORDER BY r2.created_at DESC, r2.id DESC LIMIT 1)
WHERE f.category IN ({categories})
ORDER BY f.post_id, f.id
"""


def reviewed_examples(store: Store) -> list[dict]:
    """One example per post with a verdict: ``{post_id, text, labels, covers, flag_ids}``.

    ``labels`` holds the categories confirmed as violations, ``covers`` every category a
    reviewer decided on (so a dismissed hoax flag is a hoax negative and says nothing about
    partisan). Lists are sorted, so the result (and its hash in the model card) is stable.
    """
    sql = _LATEST.format(categories=",".join("?" * len(MODEL_CATEGORIES)))
    by_post: dict[int, dict] = {}
    for row in store.query(sql, MODEL_CATEGORIES):
        if row["decision"] not in ("violation", "not_violation"):
            continue  # reopened or escalated: no verdict yet
        example = by_post.setdefault(row["post_id"], {"post_id": row["post_id"], "text": row["text"] or "",
                                                      "labels": set(), "covers": set(), "flag_ids": []})
        example["covers"].add(row["category"])
        if row["decision"] == "violation":
            example["labels"].add(row["category"])
        example["flag_ids"].append(row["flag_id"])
    return [{**e, "labels": sorted(e["labels"]), "covers": sorted(e["covers"])}
            for e in by_post.values() if e["text"].strip()]
