"""Posts: idempotent upserts, edit versions, deletion marks, scoped reads and search.

Evidence rule: the raw payload of a version is stored once, with its SHA-256, and never
changed. A re-fetch whose text and media are unchanged (only like counts differ, say) touches
``last_seen_at`` and nothing else; a changed text or media list supersedes the current version,
which moves whole into ``post_versions``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

from .db import Store, utcnow
from .dialect import SQLITE, Dialect

KINDS = ("post", "repost", "reply", "quote", "report")
_CHUNK = 500  # keys per IN (...) lookup; well under SQLite's variable limit


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def canonical_json(payload: Any) -> str:
    """The exact text stored for a raw payload: strings as received, objects canonicalised."""
    if isinstance(payload, bytes):
        return payload.decode("utf-8")
    if isinstance(payload, str):
        return payload
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


@dataclass
class PostRecord:
    """One normalised post, as every collector's ``map_item`` produces it."""

    platform: str
    post_id: str
    text: str
    raw: Any
    url: str | None = None
    created_at: str | None = None
    kind: str = "post"
    original_author: str | None = None
    lang: str | None = None
    media: list[str] = field(default_factory=list)
    account_handle: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"jenis kiriman tidak dikenal: {self.kind!r}")
        if not self.post_id:
            raise ValueError("id kiriman kosong")


@dataclass
class UpsertResult:
    new_ids: list[int] = field(default_factory=list)
    edited_ids: list[int] = field(default_factory=list)
    unchanged: int = 0

    def merge(self, other: "UpsertResult") -> None:
        self.new_ids += other.new_ids
        self.edited_ids += other.edited_ids
        self.unchanged += other.unchanged


def upsert_posts(
    store: Store,
    records: Sequence[PostRecord],
    *,
    account_id: int | None = None,
    account_ids: dict[tuple[str, str], int] | None = None,
) -> UpsertResult:
    """Insert new posts, version edited ones, touch unchanged ones; one transaction.

    The account is ``account_id`` for every record, or looked up per record in
    ``account_ids`` by (platform, account_handle).
    """
    # A post that appears twice in one batch is applied in order: split off the repeats.
    seen: set[tuple[str, str]] = set()
    first, rest = [], []
    for rec in records:
        key = (rec.platform, rec.post_id)
        (rest if key in seen else first).append(rec)
        seen.add(key)
    result = UpsertResult()
    with store.write() as conn:
        result.merge(_upsert_unique(conn, first, account_id, account_ids))
        if rest:
            result.merge(upsert_posts(store, rest, account_id=account_id, account_ids=account_ids))
    return result


def _upsert_unique(conn, records, account_id, account_ids) -> UpsertResult:
    now = utcnow()
    existing = _existing(conn, [(r.platform, r.post_id) for r in records])
    inserts, inserted, touches, result = [], [], [], UpsertResult()
    for rec in records:
        raw_json = canonical_json(rec.raw)
        media_json = json.dumps(rec.media, ensure_ascii=False) if rec.media else "[]"
        text_hash = sha256_text(rec.text)
        old = existing.get((rec.platform, rec.post_id))
        if old is None:
            acct = account_id
            if acct is None and account_ids is not None and rec.account_handle:
                acct = account_ids.get((rec.platform, rec.account_handle))
            inserts.append((
                rec.platform, rec.post_id, acct, rec.url, rec.text, rec.lang, rec.created_at,
                now, now, rec.kind, rec.original_author, media_json, raw_json,
                sha256_text(raw_json), text_hash,
            ))
            inserted.append(rec)
        elif old["text_sha256"] == text_hash and old["media_json"] == media_json:
            touches.append((now, old["id"]))
        else:
            _supersede(conn, old, rec, raw_json, media_json, text_hash, now)
            result.edited_ids.append(int(old["id"]))
    if inserts:
        insert = """INSERT INTO posts (platform, post_id, account_id, url, text, lang, created_at,
               collected_at, last_seen_at, kind, original_author, media_json, raw_json,
               raw_sha256, text_sha256) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"""
        if hasattr(conn, "insert_returning_ids"):  # PostgreSQL: ids come back from RETURNING
            # Another worker may insert the same post meanwhile (a repost collected from two
            # accounts): skip it here, then treat it as an existing post (touch or new version).
            ids = conn.insert_returning_ids(insert + " ON CONFLICT (platform, post_id) DO NOTHING", inserts)
            result.new_ids = [i for i in ids if i is not None]
            raced = [rec for rec, i in zip(inserted, ids) if i is None]
            if raced:
                result.merge(_upsert_unique(conn, raced, account_id, account_ids))
        else:
            start = conn.execute("SELECT COALESCE(MAX(id), 0) FROM posts").fetchone()[0]
            conn.executemany(insert, inserts)
            # We hold the write lock, so rowids were assigned consecutively after the old maximum.
            result.new_ids = list(range(start + 1, start + 1 + len(inserts)))
    if touches:
        conn.executemany(
            "UPDATE posts SET last_seen_at = ?, deleted_at = NULL WHERE id = ?", touches
        )
        result.unchanged = len(touches)
    return result


def _existing(conn, keys: list[tuple[str, str]]) -> dict[tuple[str, str], Any]:
    by_platform: dict[str, list[str]] = {}
    for platform, post_id in keys:
        by_platform.setdefault(platform, []).append(post_id)
    found = {}
    for platform, ids in by_platform.items():
        for i in range(0, len(ids), _CHUNK):
            chunk = ids[i : i + _CHUNK]
            rows = conn.execute(
                f"""SELECT id, post_id, text, media_json, raw_json, raw_sha256, text_sha256,
                    version, collected_at FROM posts
                    WHERE platform = ? AND post_id IN ({','.join('?' * len(chunk))})""",
                (platform, *chunk),
            ).fetchall()
            for row in rows:
                found[(platform, row["post_id"])] = row
    return found


def _supersede(conn, old, rec: PostRecord, raw_json: str, media_json: str, text_hash: str, now: str) -> None:
    conn.execute(
        """INSERT INTO post_versions (post_id, version, text, media_json, raw_json, raw_sha256,
           text_sha256, collected_at, superseded_at) VALUES (?,?,?,?,?,?,?,?,?)""",
        (old["id"], old["version"], old["text"], old["media_json"], old["raw_json"],
         old["raw_sha256"], old["text_sha256"], old["collected_at"], now),
    )
    conn.execute(
        """UPDATE posts SET text = ?, media_json = ?, raw_json = ?, raw_sha256 = ?, text_sha256 = ?,
           version = version + 1, edited_at = ?, collected_at = ?, last_seen_at = ?, deleted_at = NULL
           WHERE id = ?""",
        (rec.text, media_json, raw_json, sha256_text(raw_json), text_hash, now, now, now, old["id"]),
    )


def mark_deleted(store: Store, platform: str, post_ids: Iterable[str], *, when: str | None = None) -> int:
    """Mark posts gone from the platform. The rows and their evidence stay."""
    when = when or utcnow()
    ids = list(post_ids)
    with store.write() as conn:
        cur = conn.executemany(
            "UPDATE posts SET deleted_at = ? WHERE platform = ? AND post_id = ? AND deleted_at IS NULL",
            [(when, platform, pid) for pid in ids],
        )
    return cur.rowcount


def get_post(store: Store, post_id: int) -> dict | None:
    row = store.one("SELECT * FROM posts WHERE id = ?", (post_id,))
    return dict(row) if row else None


def post_versions(store: Store, post_id: int) -> list[dict]:
    """Every version of a post, oldest first, the current one last."""
    rows = [dict(r) for r in store.query(
        "SELECT version, text, media_json, raw_json, raw_sha256, text_sha256, collected_at, superseded_at "
        "FROM post_versions WHERE post_id = ? ORDER BY version", (post_id,))]
    current = store.one(
        "SELECT version, text, media_json, raw_json, raw_sha256, text_sha256, collected_at "
        "FROM posts WHERE id = ?", (post_id,))
    if current:
        rows.append({**dict(current), "superseded_at": None})
    return rows


def fts_query(text: str) -> str:
    """Turn what a user typed into a safe FTS5 query: every word quoted, all must match.

    Unquoted ``#`` or ``-`` are FTS5 syntax errors, and users search for hashtags.
    """
    words = [w.replace('"', '""') for w in _printable(text).split() if w.strip('"')]
    return " ".join(f'"{w}"' for w in words)


def _printable(text: str) -> str:
    """Control characters (a NUL byte makes SQLite refuse the statement) become spaces."""
    return "".join(" " if ord(ch) < 32 or ord(ch) == 127 else ch for ch in text)


def refresh_search_index(store: Store, *, chunk: int = 20_000) -> int:
    """Index posts added since the last call; returns how many. Cheap when nothing is new."""
    done = 0
    if not store.dialect.fts_needs_tail():  # PostgreSQL's GIN index follows every write
        return 0
    while True:
        with store.write() as conn:
            upto = conn.execute("SELECT indexed_upto FROM search_state").fetchone()[0]
            top = conn.execute(
                "SELECT MAX(id) FROM (SELECT id FROM posts WHERE id > ? ORDER BY id LIMIT ?)", (upto, chunk)
            ).fetchone()[0]
            if top is None:
                return done
            cur = conn.execute(
                "INSERT INTO posts_fts(rowid, text) SELECT id, text FROM posts WHERE id > ? AND id <= ?",
                (upto, top),
            )
            conn.execute("UPDATE search_state SET indexed_upto = ?", (top,))
            done += cur.rowcount


def _search_clause(search: str, dialect: Dialect = SQLITE) -> tuple[str, list]:
    """Full-text search (FTS5 on SQLite, a GIN index on PostgreSQL), plus on SQLite LIKE for the
    not-yet-indexed tail."""
    search = _printable(search)
    words = [w.strip('"') for w in search.split() if w.strip('"')]
    likes = " AND ".join("p.text LIKE ? ESCAPE '\\'" for _ in words)
    escaped = ["%" + w.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%" for w in words]
    tail = f" OR (p.id > (SELECT indexed_upto FROM search_state) AND {likes})" if dialect.fts_needs_tail() else ""
    clause = (
        f"(p.id IN ({dialect.posts_matching()}){tail}"
        # Words read from the post's pictures (issue 17, image_texts_fts).
        " OR p.id IN (SELECT m.post_id FROM media m JOIN image_texts t ON t.sha256 = m.sha256"
        f" WHERE t.id IN ({dialect.image_texts_matching()})))"
    )
    return clause, [fts_query(search), *(escaped if tail else []), fts_query(search)]


def list_posts(
    store: Store,
    *,
    unit_ids: set[int] | None = None,
    search: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[dict]:
    """Posts newest first with author and unit. ``unit_ids`` (a scope) is enforced in SQL:
    posts of accounts outside those units, or of no known employee, are never returned."""
    where, params = ["1 = 1"], []
    if unit_ids is not None:
        where.append(f"e.unit_id IN ({','.join('?' * len(unit_ids)) or 'NULL'})")
        params.extend(sorted(unit_ids))
    if search and fts_query(search):
        clause, clause_params = _search_clause(search, store.dialect)
        where.append(clause)
        params.extend(clause_params)
    rows = store.query(
        f"""
        SELECT p.id, p.platform, p.post_id, p.url, p.text, p.created_at, p.kind, p.version,
               p.deleted_at, a.handle, e.name AS employee, e.nip, u.name AS unit
        FROM posts p
        LEFT JOIN accounts a ON a.id = p.account_id
        LEFT JOIN employees e ON e.id = a.employee_id
        LEFT JOIN units u ON u.id = e.unit_id
        WHERE {' AND '.join(where)}
        ORDER BY p.created_at DESC, p.id DESC
        LIMIT ? OFFSET ?
        """,
        (*params, limit, offset),
    )
    return [dict(r) for r in rows]


def count_posts(store: Store) -> int:
    return int(store.one("SELECT COUNT(*) FROM posts")[0])
