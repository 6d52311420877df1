"""Browser captures: import runs with their counts, per-item provenance, receiver upload tokens.

Provenance is kept beside the post rather than inside it because the raw item's hash must stay
the hash of what the platform sent; who captured it (a Netra user) is Netra's knowledge.
"""

from __future__ import annotations

import hashlib
import json
from typing import Iterable, Sequence

from .db import Store, utcnow


def start_import(store: Store, *, source: str, captured_by: str | None) -> int:
    with store.write() as conn:
        cur = conn.execute("INSERT INTO capture_imports (started_at, source, captured_by) VALUES (?, ?, ?)",
                           (utcnow(), source, captured_by))
        return int(cur.lastrowid)


def finish_import(store: Store, import_id: int, *, platforms: Iterable[str], counts: dict[str, int],
                  errors: Sequence[tuple[int, str]]) -> None:
    with store.write() as conn:
        conn.execute(
            "UPDATE capture_imports SET finished_at = ?, platforms = ?, counts_json = ?, errors_json = ? WHERE id = ?",
            (utcnow(), ",".join(sorted(set(platforms))), json.dumps(counts, sort_keys=True),
             json.dumps([list(e) for e in errors], ensure_ascii=False), import_id))


def save_provenance(store: Store, import_id: int, rows: Sequence[tuple]) -> int:
    """``rows``: (platform, post_id, captured_by, page_url, source_url, user_agent, collected_at,
    nav_index). A row already stored for the same item and capture time is left alone."""
    with store.write() as conn:
        before = conn.total_changes
        conn.executemany(
            """INSERT OR IGNORE INTO capture_provenance (platform, post_id, import_id, captured_by, page_url,
               source_url, user_agent, collected_at, nav_index) VALUES (?,?,?,?,?,?,?,?,?)""",
            [(r[0], r[1], import_id, *r[2:]) for r in rows])
        return conn.total_changes - before


def _import_row(row) -> dict:
    item = dict(row)
    item["counts"] = json.loads(item.pop("counts_json") or "{}")
    item["errors"] = json.loads(item.pop("errors_json") or "[]")
    return item


def list_imports(store: Store, limit: int = 50, *, captured_by: Iterable[str] | None = None) -> list[dict]:
    """Newest imports first, with counts and line errors decoded; ``captured_by`` (the usernames
    of one instansi, issue 20) limits them to imports by those users."""
    where, params = "", []
    if captured_by is not None:
        names = sorted(captured_by)
        where = f"WHERE captured_by IN ({', '.join('?' for _ in names) or 'NULL'})"
        params = names
    return [_import_row(r) for r in store.query(f"SELECT * FROM capture_imports {where} ORDER BY id DESC LIMIT ?",
                                                (*params, limit))]


def get_import(store: Store, import_id: int) -> dict | None:
    row = store.one("SELECT * FROM capture_imports WHERE id = ?", (import_id,))
    return _import_row(row) if row else None


def provenance(store: Store, platform: str, post_id: str) -> list[dict]:
    """Every capture of one item, oldest first."""
    rows = store.query(
        """SELECT captured_by, page_url, source_url, user_agent, collected_at, nav_index, import_id
           FROM capture_provenance WHERE platform = ? AND post_id = ? ORDER BY collected_at, import_id""",
        (platform, post_id))
    return [dict(r) for r in rows]


def last_capture_by_platform(store: Store) -> dict[str, str]:
    """Platform -> newest capture time (UTC text) of any item."""
    rows = store.query("SELECT platform, MAX(collected_at) FROM capture_provenance GROUP BY platform")
    return {r[0]: r[1] for r in rows if r[1]}


def last_capture_by_account(store: Store) -> dict[tuple[str, str], str]:
    """(account platform, handle) -> newest capture time of any of the account's stored items."""
    rows = store.query(
        """SELECT a.platform, a.handle, MAX(c.collected_at) FROM capture_provenance c
           JOIN posts p ON p.platform = c.platform AND p.post_id = c.post_id
           JOIN accounts a ON a.id = p.account_id GROUP BY a.id""")
    return {(r[0], r[1]): r[2] for r in rows if r[2]}


# --- receiver tokens ---------------------------------------------------------------------------

def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def set_token(store: Store, user_id: int, token: str) -> None:
    """Replace the user's upload token (only its SHA-256 is stored)."""
    with store.write() as conn:
        conn.execute(
            """INSERT INTO capture_tokens (user_id, token_sha256, created_at) VALUES (?, ?, ?)
               ON CONFLICT(user_id) DO UPDATE SET token_sha256 = excluded.token_sha256,
               created_at = excluded.created_at""", (user_id, token_hash(token), utcnow()))


def user_for_token(store: Store, token: str) -> dict | None:
    """The active analyst or admin owning this token, or None."""
    row = store.one(
        """SELECT u.id, u.username, u.role FROM capture_tokens t JOIN users u ON u.id = t.user_id
           WHERE t.token_sha256 = ? AND u.active AND u.role IN ('admin', 'analyst')""", (token_hash(token),))
    return dict(row) if row else None



def media_of_posts(store: Store, post_row_ids: Sequence[int]) -> list[tuple[int, list[str]]]:
    """(post row id, media URLs) of these posts that have media and no stored media file yet."""
    result = []
    for start in range(0, len(post_row_ids), 500):
        chunk = post_row_ids[start:start + 500]
        rows = store.query(
            f"""SELECT p.id, p.media_json FROM posts p WHERE p.id IN ({','.join('?' * len(chunk))})
                AND p.media_json != '[]'""", tuple(chunk))
        result += [(int(r[0]), json.loads(r[1])) for r in rows]
    return result
