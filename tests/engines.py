"""What tests do differently per engine: tampering with the append-only rules."""

from __future__ import annotations

# Each rule's table (PostgreSQL's DROP TRIGGER names it; SQLite's must not).
TRIGGER_TABLES = {
    "audit_log_no_update": "audit_log", "audit_log_no_delete": "audit_log", "audit_head_follow": "audit_log",
    "audit_log_no_truncate": "audit_log", "audit_head_forward_only": "audit_head",
    "audit_head_no_delete": "audit_head",
}


def drop_trigger(conn, name: str, *, postgres: bool | None = None) -> None:
    """Drop an append-only rule, as an attacker with write access to the database would."""
    if postgres is None:
        postgres = hasattr(conn, "raw")  # monitor.store.pg.PgConnection
    if postgres:
        conn.execute(f"DROP TRIGGER IF EXISTS {name} ON {TRIGGER_TABLES[name]}")
    else:
        conn.execute(f"DROP TRIGGER IF EXISTS {name}")


def tamper_connection(target, drop: tuple[str, ...] = ()):
    """A second connection to the test's database (SQLite file or PostgreSQL URL), as someone
    editing it behind the application's back would use, with ``drop``'s rules removed."""
    import sqlite3

    from monitor.store import is_postgres_url

    if is_postgres_url(target):
        from monitor.store.pg import PgConnection

        conn = PgConnection(str(target))
    else:
        conn = sqlite3.connect(target, isolation_level=None)
    for name in drop:
        drop_trigger(conn, name)
    return conn
