"""Pictures: the words read from stored images (once per SHA-256) and near-copy groups.

The OCR text lives in ``image_texts`` keyed by the file's hash, so a poster shared by many
posts is read once; ``media_texts`` joins it to the media rows. Groups (``dup_groups``,
``dup_members``) gather posts whose picture or text is a near-copy; scope (a supervisor's
units) is applied here in SQL like every other query that names employees.
"""

from __future__ import annotations

import json
from typing import Iterable, Sequence

from .db import Store, utcnow
from .evidence import _chunked, _in

PICTURE_CATEGORY = "picture"


def _limit(limit: int | None) -> str:
    """A LIMIT value; -1 (no limit) is spelled LIMIT ALL on PostgreSQL by the dialect layer."""
    return str(-1 if limit is None else int(limit))


# --- OCR text ------------------------------------------------------------------------------

def images_to_read(store: Store, *, limit: int | None = None) -> list[dict]:
    """Stored pictures (by hash) with no OCR row yet, oldest first."""
    rows = store.query(
        """SELECT m.sha256, MIN(m.content_type) AS content_type, MIN(m.id) AS first_id FROM media m
           WHERE m.sha256 IS NOT NULL AND m.content_type LIKE 'image/%'
             AND NOT EXISTS (SELECT 1 FROM image_texts t WHERE t.sha256 = m.sha256)
           GROUP BY m.sha256 ORDER BY first_id LIMIT """ + _limit(limit))
    return [dict(r) for r in rows]


def save_image_text(store: Store, sha256: str, *, engine: str, text: str | None = None, error: str | None = None,
                    width: int | None = None, height: int | None = None, phash: str | None = None) -> None:
    with store.write() as conn:
        conn.execute(
            """INSERT INTO image_texts (sha256, engine, text, error, width, height, phash, read_at)
               VALUES (?,?,?,?,?,?,?,?)
               ON CONFLICT(sha256) DO UPDATE SET engine = excluded.engine, text = excluded.text,
               error = excluded.error, width = excluded.width, height = excluded.height,
               phash = excluded.phash, read_at = excluded.read_at""",
            (sha256, engine, text, error, width, height, phash, utcnow()))


def image_text(store: Store, sha256: str) -> dict | None:
    row = store.one("SELECT * FROM image_texts WHERE sha256 = ?", (sha256,))
    return dict(row) if row else None


def posts_with_images(store: Store, sha256s: Iterable[str]) -> list[int]:
    rows = _chunked(store, "SELECT DISTINCT post_id FROM media WHERE post_id IS NOT NULL AND sha256 IN ({ids})",
                    sha256s)
    return sorted(int(r["post_id"]) for r in rows)


def ocr_texts_for_posts(store: Store, post_ids: Iterable[int]) -> dict[int, str]:
    """The words of each post's pictures (one picture per paragraph, in storage order)."""
    rows = _chunked(store, """SELECT m.post_id, m.sha256, MIN(m.id) AS first_id, t.text FROM media m
                              JOIN image_texts t ON t.sha256 = m.sha256
                              WHERE m.post_id IN ({ids}) AND t.text IS NOT NULL AND t.text != ''
                              GROUP BY m.post_id, m.sha256, t.text ORDER BY m.post_id, first_id""", post_ids)
    found: dict[int, list[str]] = {}
    for r in rows:
        found.setdefault(int(r["post_id"]), []).append(r["text"])
    return {post_id: "\n\n".join(texts) for post_id, texts in found.items()}


def media_texts_for(store: Store, post_ids: Iterable[int]) -> list[dict]:
    """Media rows of these posts with their OCR text, pHash and group (for cards and bundles)."""
    return _chunked(store, """
        SELECT mt.*, (SELECT dm.group_id FROM dup_members dm JOIN dup_groups g ON g.id = dm.group_id
                      WHERE dm.post_id = mt.post_id AND g.kind = 'image' AND dm.sha256 = mt.sha256
                      AND dm.split_at IS NULL ORDER BY dm.group_id LIMIT 1) AS group_id
        FROM media_texts mt WHERE mt.post_id IN ({ids}) ORDER BY mt.post_id, mt.id""", post_ids)


def search_image_texts(store: Store, fts: str, *, limit: int = 100) -> list[dict]:
    """Pictures whose words match an FTS5 query (already quoted by posts.fts_query)."""
    if store.engine == "postgresql":
        rows = store.query("""SELECT sha256, text FROM image_texts
                              WHERE to_tsvector('simple', COALESCE(text, '')) @@ netra_tsquery(?)
                              ORDER BY ts_rank(to_tsvector('simple', COALESCE(text, '')), netra_tsquery(?)) DESC
                              LIMIT ?""", (fts, fts, limit))
    else:
        rows = store.query("""SELECT t.sha256, t.text FROM image_texts_fts f JOIN image_texts t ON t.id = f.rowid
                              WHERE image_texts_fts MATCH ? ORDER BY rank LIMIT ?""", (fts, limit))
    return [dict(r) for r in rows]


# --- near-copy groups ------------------------------------------------------------------------

def group_signatures(store: Store, kind: str) -> list[tuple[int, str, str]]:
    """(id, signature, status) of every group of this kind."""
    return [(int(r[0]), r[1], r[2]) for r in store.query(
        "SELECT id, signature, status FROM dup_groups WHERE kind = ? ORDER BY id", (kind,))]


def unseen_images(store: Store, *, limit: int | None = None) -> list[dict]:
    """(post_id, sha256, phash) of pictures read by OCR and not yet compared with the groups."""
    rows = store.query(
        """SELECT DISTINCT m.post_id, m.sha256, t.phash FROM media m JOIN image_texts t ON t.sha256 = m.sha256
           WHERE m.post_id IS NOT NULL AND t.phash IS NOT NULL
             AND NOT EXISTS (SELECT 1 FROM dup_seen s WHERE s.kind = 'image' AND s.post_id = m.post_id
                             AND s.key = m.sha256)
           ORDER BY m.post_id LIMIT """ + _limit(limit))
    return [dict(r) for r in rows]


def unseen_texts(store: Store, *, limit: int = 5000) -> list[dict]:
    rows = store.query(
        """SELECT p.id AS post_id, p.text FROM posts p
           WHERE NOT EXISTS (SELECT 1 FROM dup_seen s WHERE s.kind = 'text' AND s.post_id = p.id AND s.key = '')
           ORDER BY p.id LIMIT ?""", (int(limit),))
    return [dict(r) for r in rows]


def mark_seen(conn, kind: str, items: Iterable[tuple[int, str, str | None]]) -> None:
    """Record (post_id, key, signature) as compared."""
    conn.executemany("INSERT OR IGNORE INTO dup_seen (kind, post_id, key, signature) VALUES (?,?,?,?)",
                     [(kind, post_id, key, signature) for post_id, key, signature in items])


def ungrouped_seen(store: Store, kind: str) -> list[tuple[int, str, str]]:
    """(post_id, key, signature) of compared items that are in no group yet (single copies)."""
    return [(int(r[0]), r[1], r[2]) for r in store.query(
        """SELECT s.post_id, s.key, s.signature FROM dup_seen s
           WHERE s.kind = ? AND s.signature IS NOT NULL AND NOT EXISTS (
               SELECT 1 FROM dup_members dm JOIN dup_groups g ON g.id = dm.group_id
               WHERE g.kind = s.kind AND dm.post_id = s.post_id AND COALESCE(dm.sha256, '') = s.key)
           ORDER BY s.post_id""", (kind,))]


def create_group(conn, *, kind: str, signature: str, post_id: int, sha256: str | None) -> int:
    now = utcnow()
    cur = conn.execute("""INSERT INTO dup_groups (kind, signature, sample_sha256, sample_post_id, created_at, updated_at)
                          VALUES (?,?,?,?,?,?)""", (kind, signature, sha256, post_id, now, now))
    return int(cur.lastrowid)


def add_member(conn, *, group_id: int, post_id: int, signature: str, distance: int, sha256: str | None) -> bool:
    now = utcnow()
    cur = conn.execute("""INSERT OR IGNORE INTO dup_members (group_id, post_id, signature, distance, sha256, joined_at)
                          VALUES (?,?,?,?,?,?)""", (group_id, post_id, signature, distance, sha256, now))
    if cur.rowcount:
        conn.execute("UPDATE dup_groups SET updated_at = ? WHERE id = ?", (now, group_id))
    return bool(cur.rowcount)


_SCOPED_MEMBERS = """
    FROM dup_members dm JOIN posts p ON p.id = dm.post_id
    LEFT JOIN accounts a ON a.id = p.account_id
    LEFT JOIN employees e ON e.id = a.employee_id
    LEFT JOIN units u ON u.id = e.unit_id
"""


def _scope_sql(scope: set[int] | None, params: list) -> str:
    if scope is None:
        return ""
    params.extend(sorted(scope))
    return f" AND e.unit_id IN ({_in(sorted(scope))})"


def list_groups(store: Store, scope: set[int] | None, *, statuses: Sequence[str] = ("open",),
                kinds: Sequence[str] = ("image", "text"), min_members: int = 2, limit: int = 50) -> list[dict]:
    """Groups with at least ``min_members`` members in scope: employees and units counted."""
    params: list = [*kinds, *statuses]
    scope_sql = _scope_sql(scope, params)
    params += [min_members, limit]
    rows = store.query(f"""
        SELECT g.*, COUNT(*) AS members, COUNT(DISTINCT e.id) AS employees, COUNT(DISTINCT e.unit_id) AS units,
               MIN(p.created_at) AS first_at, MAX(p.created_at) AS last_at
        FROM dup_groups g JOIN dup_members dm ON dm.group_id = g.id AND dm.split_at IS NULL
        JOIN posts p ON p.id = dm.post_id
        LEFT JOIN accounts a ON a.id = p.account_id
        LEFT JOIN employees e ON e.id = a.employee_id
        WHERE g.kind IN ({_in(kinds)}) AND g.status IN ({_in(statuses)}){scope_sql}
        GROUP BY g.id HAVING COUNT(*) >= ? ORDER BY COUNT(DISTINCT e.id) DESC, g.id LIMIT ?""", tuple(params))
    return [dict(r) for r in rows]


def get_group(store: Store, group_id: int) -> dict | None:
    row = store.one("SELECT * FROM dup_groups WHERE id = ?", (group_id,))
    return dict(row) if row else None


def group_members(store: Store, group_id: int, scope: set[int] | None, *, include_split: bool = True) -> list[dict]:
    params: list = [group_id]
    scope_sql = _scope_sql(scope, params)
    split_sql = "" if include_split else " AND dm.split_at IS NULL"
    rows = store.query(f"""
        SELECT dm.post_id, dm.distance, dm.sha256, dm.joined_at, dm.split_at, p.url, substr(p.text, 1, 300) AS text,
               p.created_at, p.platform, a.handle, e.id AS employee_id, e.name AS employee, e.nip,
               e.unit_id, u.name AS unit,
               (SELECT f.id FROM flags f WHERE f.post_id = dm.post_id AND f.category = ?) AS picture_flag_id
        {_SCOPED_MEMBERS}
        WHERE dm.group_id = ?{scope_sql}{split_sql} ORDER BY p.created_at, dm.post_id""",
        (PICTURE_CATEGORY, *params))
    return [dict(r) for r in rows]


def groups_of_posts(store: Store, post_ids: Iterable[int]) -> list[dict]:
    return _chunked(store, """SELECT dm.post_id, dm.distance, dm.split_at, g.id AS group_id, g.kind, g.status,
                                     g.violation_code, (SELECT COUNT(*) FROM dup_members x WHERE x.group_id = g.id
                                                        AND x.split_at IS NULL) AS members
                              FROM dup_members dm JOIN dup_groups g ON g.id = dm.group_id
                              WHERE dm.post_id IN ({ids}) ORDER BY dm.post_id, g.id""", post_ids)


def split_member(conn, group_id: int, post_id: int) -> bool:
    cur = conn.execute("UPDATE dup_members SET split_at = ? WHERE group_id = ? AND post_id = ? AND split_at IS NULL",
                       (utcnow(), group_id, post_id))
    return bool(cur.rowcount)


def set_group_decision(conn, group_id: int, *, status: str, violation_code: str | None, decided_by: int,
                       note: str | None) -> None:
    now = utcnow()
    conn.execute("""UPDATE dup_groups SET status = ?, violation_code = ?, decided_by = ?, decided_at = ?, note = ?,
                    updated_at = ? WHERE id = ?""", (status, violation_code, decided_by, now, note, now, group_id))


def ensure_picture_flag(conn, post_id: int, *, score: float, proposed_code: str, explanation: dict | None = None,
                        model_version: str = "gambar") -> tuple[int, bool]:
    """The post's ``picture`` flag (opened if missing); (id, opened now). The explanation is kept as
    the post's classification under ``model_version`` so the flag card can show why."""
    row = conn.execute("SELECT id FROM flags WHERE post_id = ? AND category = ?", (post_id, PICTURE_CATEGORY)).fetchone()
    if row is not None:
        return int(row[0]), False
    unit = conn.execute("""SELECT e.unit_id FROM posts p LEFT JOIN accounts a ON a.id = p.account_id
                           LEFT JOIN employees e ON e.id = a.employee_id WHERE p.id = ?""", (post_id,)).fetchone()
    now = utcnow()
    cur = conn.execute(
        """INSERT INTO flags (post_id, category, score, status, proposed_code, unit_id, model_version, created_at, updated_at)
           VALUES (?, ?, ?, 'open', ?, ?, ?, ?, ?)""",
        (post_id, PICTURE_CATEGORY, score, proposed_code, unit[0] if unit else None, model_version, now, now))
    if explanation is not None:
        conn.execute("""INSERT INTO classifications (post_id, model_version, scores_json, explanation_json, created_at)
                        VALUES (?, ?, ?, ?, ?) ON CONFLICT(post_id, model_version) DO UPDATE SET
                        explanation_json = excluded.explanation_json""",
                     (post_id, model_version, json.dumps({PICTURE_CATEGORY: score}),
                      json.dumps({PICTURE_CATEGORY: explanation}, ensure_ascii=False), now))
    return int(cur.lastrowid), True


# --- photo review queue ----------------------------------------------------------------------

def photo_candidates(store: Store, scope: set[int] | None, *, election_windows: Sequence[tuple[str, str]] = (),
                     limit: int = 100) -> list[dict]:
    """Posts with pictures a person should look at, each with the reasons it was picked.

    Reasons: ``history`` (account with an earlier confirmed flag, picture posted inside an
    election window), ``campaign_interaction`` (the account interacted with a campaign account),
    ``election_words`` (the picture's words or the caption raised a partisan flag),
    ``campaign_copy`` (near-copy of a confirmed campaign picture). Pictures: stored images, or
    media URLs the platform listed when nothing was downloaded yet.
    """
    params: list = []
    window_sql = " OR ".join("(COALESCE(p.created_at, p.collected_at) >= ? AND COALESCE(p.created_at, p.collected_at) < ?)"
                             for _ in election_windows) or "1 = 0"  # a truth value on both engines
    for start, end in election_windows:
        params += [start, end]
    scope_sql = _scope_sql(scope, params)
    params.append(limit)
    rows = store.query(f"""
        WITH pictured AS (
            SELECT p.id FROM posts p WHERE p.media_json IS NOT NULL AND p.media_json NOT IN ('', '[]')
            UNION SELECT post_id FROM media WHERE post_id IS NOT NULL AND sha256 IS NOT NULL AND content_type LIKE 'image/%'
        )
        SELECT p.id AS post_id, p.platform, p.url, substr(p.text, 1, 300) AS text, p.created_at, p.media_json,
               a.handle, e.id AS employee_id, e.name AS employee, e.nip, u.name AS unit,
               (({window_sql}) AND EXISTS (SELECT 1 FROM flags hf JOIN posts hp ON hp.id = hf.post_id
                   WHERE hp.account_id = p.account_id AND hf.status = 'confirmed' AND hf.post_id != p.id)) AS history,
               EXISTS (SELECT 1 FROM interactions i WHERE i.account_id = p.account_id) AS campaign_interaction,
               EXISTS (SELECT 1 FROM flags f WHERE f.post_id = p.id AND f.category = 'partisan') AS election_words,
               EXISTS (SELECT 1 FROM dup_members dm JOIN dup_groups g ON g.id = dm.group_id
                       WHERE dm.post_id = p.id AND g.kind = 'image' AND g.status = 'confirmed') AS campaign_copy,
               (SELECT f.id FROM flags f WHERE f.post_id = p.id AND f.category = '{PICTURE_CATEGORY}') AS picture_flag_id,
               (SELECT f.status FROM flags f WHERE f.post_id = p.id AND f.category = '{PICTURE_CATEGORY}') AS picture_status
        FROM pictured JOIN posts p ON p.id = pictured.id
        LEFT JOIN accounts a ON a.id = p.account_id
        LEFT JOIN employees e ON e.id = a.employee_id
        LEFT JOIN units u ON u.id = e.unit_id
        WHERE 1 = 1{scope_sql}
        ORDER BY p.created_at DESC, p.id DESC LIMIT ?""", tuple(params))
    found = []
    for r in rows:
        item = dict(r)
        reasons = [k for k in ("campaign_copy", "election_words", "history", "campaign_interaction") if item.pop(k)]
        if reasons:
            found.append({**item, "reasons": reasons})
    return found


def post_in_scope(store: Store, post_id: int, scope: set[int] | None) -> bool:
    """Whether the post exists and, for a scoped user, belongs to an employee of their units."""
    params: list = [post_id]
    scope_sql = _scope_sql(scope, params)
    return store.one(f"""SELECT 1 FROM posts p LEFT JOIN accounts a ON a.id = p.account_id
                         LEFT JOIN employees e ON e.id = a.employee_id WHERE p.id = ?{scope_sql}""",
                     tuple(params)) is not None


def election_windows(store: Store) -> list[tuple[str, str]]:
    """(start, end) of each registered election's period, campaign start to voting day inclusive
    (``end`` is a string just past that day, to compare with ISO timestamps)."""
    rows = store.query("""SELECT COALESCE(campaign_start, quiet_start, voting_day) AS s,
                                 COALESCE(voting_day, quiet_end, campaign_end) AS e FROM elections""")
    return [(r["s"][:10], r["e"][:10] + "~") for r in rows if r["s"] and r["e"]]
