"""Moving an office's SQLite database into PostgreSQL, with proof that nothing changed on the way.

``migrate_to`` is all or nothing: every row is copied inside one PostgreSQL transaction, and
before it commits the target must hold the same number of rows in every table as the source's
snapshot, and its audit chain must verify on PostgreSQL and end at the same head (last id and
hash) as on SQLite. The chain hashes a canonical JSON serialisation of each entry, so entries
written by SQLite verify unchanged on PostgreSQL; a mismatch rolls the whole copy back and the
target stays empty.

A rerun is safe: a target already holding exactly the source (same counts, same head) is
reported complete and left alone; a target holding anything else is refused, never merged.
The move itself is recorded in the source's audit log before the snapshot is taken, so the
entry travels with the copy and both chains end at the same entry.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from typing import Callable

from . import audit
from ..redact import redact
from ..store import Store, StoreError, connect, is_postgres_url
from ..store import transfer

Progress = Callable[[str, int, int], None]  # (table, rows copied, rows in that table)


class MigrateError(RuntimeError):
    """The copy cannot start, or did not arrive whole (message in Indonesian)."""


@dataclass
class MigrateReport:
    """What ``migrate_to`` found or did; ``status`` is ``copied`` or ``complete`` (already there)."""

    status: str
    source_counts: dict[str, int]
    target_counts: dict[str, int]
    head: dict | None
    audit_entries: int
    next_ids: dict[str, int] = field(default_factory=dict)


def _empty(counts: dict[str, int], head: dict | None) -> bool:
    data = {t: n for t, n in counts.items() if t not in transfer.SEEDED}
    return not any(data.values()) and (head is None or not head.get("last_id"))


def _open_target(url: str) -> Store:
    try:
        return connect(url)
    except (StoreError, sqlite3.Error) as exc:
        raise MigrateError(f"basis data tujuan {redact(url)} tidak dapat dibuka: {redact(str(exc))}") from None


def _compare(source: Store, target: Store, names: list[str]) -> tuple[dict, dict, dict | None, dict | None]:
    return (transfer.row_counts(source, names), transfer.row_counts(target, names),
            audit.head(source), audit.head(target))


def migrate_to(source: Store, url: str, *, actor: str = "cli", batch: int = 5000,
               progress: Progress | None = None) -> MigrateReport:
    """Copy ``source`` (SQLite) into the empty PostgreSQL database at ``url``, then prove it arrived.

    Raises MigrateError when the source is not SQLite or its audit chain is already broken (a
    copy would carry the damage to a new home and hide where it happened), when the target
    cannot be opened, has another schema version, or holds different data, and when the
    arrived copy does not match (then nothing is kept on the target).
    """
    if source.engine != "sqlite":
        raise MigrateError("sumber pemindahan harus basis data SQLite (--db berkas .db)")
    if not is_postgres_url(url):
        raise MigrateError("tujuan harus URL PostgreSQL (postgresql://pengguna@host/nama_basis_data)")
    chain = audit.verify(source)
    if not chain.ok:
        raise MigrateError(f"jejak audit sumber rusak ({chain.reason}); periksa dengan `netra audit verify` "
                           "sebelum memindahkan")
    with _open_target(url) as target:
        if transfer.schema_versions(source) != transfer.schema_versions(target):
            raise MigrateError(f"versi skema berbeda: sumber {source.schema_version()}, tujuan "
                               f"{target.schema_version()}; perbarui Netra di kedua sisi")
        tables = transfer.plan(source)
        names = [t.name for t in tables]
        missing = sorted(set(names) - set(target.tables()))
        if missing:
            raise MigrateError(f"tabel tidak ada di tujuan: {', '.join(missing)}")
        src_counts, tgt_counts, src_head, tgt_head = _compare(source, target, names)
        if not _empty(tgt_counts, tgt_head):
            if src_counts == tgt_counts and src_head == tgt_head and audit.verify(target).ok:
                return MigrateReport("complete", src_counts, tgt_counts, tgt_head, chain.entries)
            raise MigrateError(f"basis data tujuan {redact(url)} sudah berisi data lain (jumlah baris atau kepala "
                               "jejak audit berbeda dari sumber); tidak ditimpa. Gunakan basis data PostgreSQL "
                               "yang kosong")
        audit.record(source, actor, "store.migrate_to", f"postgresql:{redact(url)}", tables=len(names))
        return _copy(source, target, tables, batch=batch, progress=progress)


def _copy(source: Store, target: Store, tables: list[transfer.TablePlan], *, batch: int,
          progress: Progress | None) -> MigrateReport:
    names = [t.name for t in tables]
    raw = target.conn.raw
    transfer.begin_snapshot(source)
    try:
        src_counts = transfer.row_counts(source, names)
        src_head = audit.head(source)
        try:
            with raw.transaction():
                for table in tables:
                    transfer.copy_table(source, raw, table, total=src_counts[table.name], batch=batch,
                                        progress=progress)
                next_ids = transfer.reset_sequences(raw, names)
                tgt_counts = transfer.row_counts(target, names)
                arrived = audit.verify(target)
                tgt_head = audit.head(target)
                _check_arrival(src_counts, tgt_counts, src_head, tgt_head, arrived)
        except MigrateError:
            raise
        except Exception as exc:  # psycopg's own errors: a value PostgreSQL refused, a lost connection
            raise MigrateError(f"penyalinan gagal dan dibatalkan, tujuan tetap kosong: {redact(str(exc))}") from exc
    finally:
        transfer.end_snapshot(source)
    return MigrateReport("copied", src_counts, tgt_counts, tgt_head, arrived.entries, next_ids)


def _check_arrival(src_counts: dict, tgt_counts: dict, src_head: dict | None, tgt_head: dict | None,
                   arrived: audit.VerifyResult) -> None:
    """Raise (rolling the copy back) unless every count, the chain and its head arrived unchanged."""
    differ = [f"{t} ({src_counts[t]} -> {tgt_counts.get(t)})" for t in src_counts if src_counts[t] != tgt_counts.get(t)]
    if differ:
        raise MigrateError("jumlah baris tidak sama setelah penyalinan: " + ", ".join(differ))
    if not arrived.ok:
        raise MigrateError(f"jejak audit tidak lolos verifikasi di PostgreSQL: {arrived.reason}")
    if src_head != tgt_head:
        raise MigrateError(f"kepala jejak audit berbeda: SQLite {src_head}, PostgreSQL {tgt_head}")
