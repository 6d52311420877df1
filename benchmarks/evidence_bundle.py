"""Evidence bundle export and verification at the size of a busy unit, and retention's purge.

Builds a temporary database with E employees (10 units), P posts each (one in four flagged,
one in three flagged posts edited once), then times:
1. exporting one employee's bundle (the hearing-file case) and a whole unit's bundle,
2. verifying the unit bundle (every file hashed, signature checked),
3. retention purging every unflagged post (FTS index and foreign keys kept exact),
and the audit chain verification over the entries written.

    python benchmarks/evidence_bundle.py [--employees N] [--posts N]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from monitor.evidence import audit, bundle as evidence, retention
from monitor.store import PostRecord, connect, people
from monitor.store.flags import ScoredPost, save_classifications
from monitor.store.posts import refresh_search_index, upsert_posts


def build(store, employees: int, posts: int) -> list[str]:
    units = [people.UnitRow(f"U{u}", f"Unit {u}") for u in range(10)]
    people.upsert_units(store, units)
    nips = [f"19850312201001{e:04d}" for e in range(employees)]
    people.apply_employee_import(store, [
        people.EmployeeRow(f"Pegawai {e}", "PNS", f"Unit {e % 10}", nip=nip, accounts=(("x", f"akun{e}"),))
        for e, nip in enumerate(nips)], deactivate_missing=False)
    accounts = people.account_ids_by_handle(store)
    records = [PostRecord(platform="x", post_id=f"{e}-{i}", text=f"Kiriman {i} pegawai {e} tentang pilkada nomor {i % 3}",
                          raw={"id": f"{e}-{i}", "n": i}, url=f"https://x.com/akun{e}/status/{i}",
                          created_at="2024-10-01T08:00:00Z", account_handle=f"akun{e}")
               for e in range(employees) for i in range(posts)]
    upsert_posts(store, records, account_ids=accounts)
    edits = [PostRecord(platform="x", post_id=r.post_id, text=r.text + " (diedit)", raw={"id": r.post_id, "edit": 1},
                        url=r.url, created_at=r.created_at, account_handle=r.account_handle)
             for n, r in enumerate(records) if n % 12 == 0]
    upsert_posts(store, edits, account_ids=accounts)
    ids = [r[0] for r in store.query("SELECT id FROM posts ORDER BY id")]
    save_classifications(store, "bench", [
        ScoredPost(pid, {"partisan": 0.9 if n % 4 == 0 else 0.1}, ["partisan"] if n % 4 == 0 else [],
                   {"partisan": "N1"}, {}) for n, pid in enumerate(ids)])
    refresh_search_index(store)
    return nips


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--employees", type=int, default=200)
    parser.add_argument("--posts", type=int, default=40)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        store = connect(Path(folder) / "netra.db")
        t = time.perf_counter()
        nips = build(store, args.employees, args.posts)
        print(f"built {args.employees} employees x {args.posts} posts in {time.perf_counter() - t:.1f}s")
        keys = Path(folder) / "k"
        t = time.perf_counter()
        one = evidence.export_bundle(store, actor="bench", output=Path(folder) / "one.zip", employee_nip=nips[0], key_dir=keys)
        employee_s = time.perf_counter() - t
        t = time.perf_counter()
        unit = evidence.export_bundle(store, actor="bench", output=Path(folder) / "unit.zip", unit_code="U0", key_dir=keys)
        unit_s = time.perf_counter() - t
        size_mb = (Path(folder) / "unit.zip").stat().st_size / 1e6
        t = time.perf_counter()
        report = evidence.verify_bundle(Path(folder) / "unit.zip")
        verify_s = time.perf_counter() - t
        assert report.ok, report.problems
        print(f"employee bundle: {one['flags']} flags in {employee_s:.2f}s")
        print(f"unit bundle: {unit['flags']} flags, {unit['posts']} posts, {unit['files']} files, {size_mb:.1f} MB "
              f"in {unit_s:.2f}s; verified in {verify_s:.2f}s")
        t = time.perf_counter()
        purged = retention.apply(store, days=90, actor="bench", now=datetime.now(timezone.utc) + timedelta(days=91))
        purge_s = time.perf_counter() - t
        print(f"retention: {purged['posts']} posts, {purged['post_versions']} versions, "
              f"{purged['classifications']} classifications purged in {purge_s:.2f}s; {purged['kept']} kept")
        store.conn.execute("INSERT INTO posts_fts(posts_fts, rank) VALUES ('integrity-check', 1)")
        t = time.perf_counter()
        chain = audit.verify(store)
        print(f"audit chain: {chain.entries} entries verified={chain.ok} in {time.perf_counter() - t:.3f}s")
        store.close()
    print(f"RESULT employee_export_s={employee_s:.2f} unit_export_s={unit_s:.2f} unit_flags={unit['flags']} "
          f"unit_verify_s={verify_s:.2f} retention_purged={purged['posts']} retention_s={purge_s:.2f}")


if __name__ == "__main__":
    main()
