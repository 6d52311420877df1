"""Retention SQL: which posts have outlived the retention period, and removing them whole.

A post is purged only if nothing points at it but its own derived rows (superseded versions,
classifications; the search index follows through the posts_fts triggers). Flags, reports,
media and any table a later migration adds with a foreign key to ``posts`` keep the post: the
list of referencing tables is read from the schema, so a new table can never make retention
fail on a foreign key or delete something it should have kept.

Interactions (an ASN account's like/repost/follow of a campaign account) follow the same rule:
one goes only if no flag names it (``flags.interaction_id``, whatever the review decided; that
column is not a declared foreign key, so it is named here) and no table declares a foreign key
to it. Cases and evidence reach an interaction only through its flag, so they keep it too.
"""

from __future__ import annotations

from typing import Iterator

from .db import Store
from .dialect import of_connection

# Rows that only describe the post and go with it. claim_matches (0005) is derived too: a match
# that raised a hoax flag keeps its post through the flag; a "debunks" match alone keeps nothing.
# Group memberships (0011, issue 17) describe a post too; a decided member is kept by its flag.
DERIVED = ("post_versions", "classifications", "claim_matches", "dup_members", "dup_seen")


def _derived(conn) -> list[str]:
    present = {table for table, _ in referencing_tables(conn)}
    return [t for t in DERIVED if t in present]


def referencing_tables(conn, target: str = "posts") -> list[tuple[str, str]]:
    """(table, column) of every declared foreign key to ``target``(id)."""
    found = []
    dialect = of_connection(conn)
    tables = [r[0] for r in conn.execute(dialect.tables_sql())]
    for table in tables:
        for fk in conn.execute(dialect.foreign_keys_sql(table)):
            if fk["ref"] == target:
                found.append((table, fk["col"]))
    return found


def _keepers(conn) -> Iterator[str]:
    for table, column in referencing_tables(conn):
        if table not in DERIVED:
            yield f'EXISTS (SELECT 1 FROM "{table}" k WHERE k."{column}" = p.id)'


def expired(conn, cutoff: str) -> tuple[list[int], int]:
    """Ids of posts collected before ``cutoff`` that nothing keeps, and how many old ones are kept."""
    keep = " OR ".join(_keepers(conn)) or "0"
    rows = conn.execute(f"SELECT p.id, ({keep}) AS kept FROM posts p WHERE p.collected_at < ?", (cutoff,)).fetchall()
    return [int(r["id"]) for r in rows if not r["kept"]], sum(1 for r in rows if r["kept"])


def purge(conn, post_ids: list[int]) -> dict[str, int]:
    """Delete the posts and their derived rows, inside the caller's write transaction."""
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS retention_purge (id INTEGER PRIMARY KEY)")
    conn.execute("DELETE FROM retention_purge")
    conn.executemany("INSERT INTO retention_purge (id) VALUES (?)", [(i,) for i in post_ids])
    counts = {table: 0 for table in DERIVED}
    for table in _derived(conn):
        counts[table] = conn.execute(
            f"DELETE FROM {table} WHERE post_id IN (SELECT id FROM retention_purge)").rowcount
    counts["posts"] = conn.execute("DELETE FROM posts WHERE id IN (SELECT id FROM retention_purge)").rowcount
    conn.execute("DELETE FROM retention_purge")
    # posts has no AUTOINCREMENT: when the newest rows are purged, their ids are handed out
    # again. Those new rows must not count as already indexed, or search would never see them.
    conn.execute("UPDATE search_state SET indexed_upto = "
                 "MIN(indexed_upto, COALESCE((SELECT MAX(id) FROM posts), 0))")
    return counts


def count_derived(conn, post_ids: list[int]) -> dict[str, int]:
    counts = {table: 0 for table in DERIVED}
    for table in _derived(conn):
        total = 0
        for i in range(0, len(post_ids), 500):
            chunk = post_ids[i : i + 500]
            total += conn.execute(f"SELECT COUNT(*) FROM {table} WHERE post_id IN ({','.join('?' * len(chunk))})",
                                  chunk).fetchone()[0]
        counts[table] = total
    counts["posts"] = len(post_ids)
    return counts


# --- interactions --------------------------------------------------------------------------

# Declared nowhere as a foreign key (flags predates the interactions table), so named here.
INTERACTION_REFERENCES = (("flags", "interaction_id"),)


def _interaction_keepers(conn) -> list[str]:
    pairs = dict.fromkeys([*INTERACTION_REFERENCES, *referencing_tables(conn, "interactions")])
    return [f'EXISTS (SELECT 1 FROM "{table}" k WHERE k."{column}" = i.id)' for table, column in pairs]


def expired_interactions(conn, cutoff: str) -> tuple[list[int], int]:
    """Ids of interactions first seen before ``cutoff`` that nothing keeps, and how many old ones are kept."""
    keep = " OR ".join(_interaction_keepers(conn))
    rows = conn.execute(f"SELECT i.id, ({keep}) AS kept FROM interactions i WHERE i.first_seen_at < ?",
                        (cutoff,)).fetchall()
    return [int(r["id"]) for r in rows if not r["kept"]], sum(1 for r in rows if r["kept"])


def purge_interactions(conn, interaction_ids: list[int]) -> int:
    """Delete the interactions, inside the caller's write transaction; returns how many went."""
    deleted = 0
    for i in range(0, len(interaction_ids), 500):
        chunk = interaction_ids[i : i + 500]
        deleted += conn.execute(f"DELETE FROM interactions WHERE id IN ({','.join('?' * len(chunk))})",
                                chunk).rowcount
    return deleted


def set_secure_delete(store: Store, on: bool) -> bool:
    """Turn SQLite's secure_delete on or off for this connection; returns the previous value.
    PostgreSQL has no such switch (deleted rows go at the next VACUUM): False, nothing done."""
    if store.engine != "sqlite":
        return False
    previous = bool(store.one("PRAGMA secure_delete")[0])
    store.conn.execute(f"PRAGMA secure_delete = {1 if on else 0}")
    return previous


def checkpoint(store: Store) -> None:
    """Move the WAL into the database file and truncate it, so purged pages leave the WAL too.
    On PostgreSQL, purged rows are reclaimed by autovacuum; nothing to do here."""
    if store.engine != "sqlite":
        return
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
