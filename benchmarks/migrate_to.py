"""Moving up: an office's SQLite database copied into PostgreSQL with ``netra migrate-to``'s library.

Why: an office moves once, on a weekend; the copy must take minutes for a large BKPSDM (a few
hundred thousand posts and their payloads), its memory must not grow with the database (rows
are streamed in COPY batches), and the check on arrival (counts, the whole audit chain walked on
PostgreSQL) must not dominate. The rerun figure is what a cautious operator pays to hear
"sudah lengkap".

    python benchmarks/migrate_to.py [--posts 200000] [--audit 20000] [--batch 5000] [--url postgresql://...]

Without ``--url`` a throwaway cluster is started (tests/pgserver.py, Debian's PostgreSQL).
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "benchmarks")]

from monitor.evidence import audit, moveup  # noqa: E402
from monitor.store import connect  # noqa: E402
from monitor.store.posts import upsert_posts  # noqa: E402
from store_ingest import synthetic  # noqa: E402


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build(path: Path, posts: int, entries: int) -> None:
    records = synthetic(posts)
    with connect(path) as store:
        for i in range(0, len(records), 5000):
            upsert_posts(store, records[i : i + 5000])
        with store.write():
            for n in range(entries):
                audit.record(store, "bench", "flag.decide", f"flag:{n}", note=f"keputusan ke-{n}")
    del records


def run(url: str, args) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "kantor.db"
        child = multiprocessing.get_context("fork").Process(target=build, args=(path, args.posts, args.audit))
        child.start()  # built in a child, so this process's peak memory is the copy's alone
        child.join()
        before = peak_mb()
        with connect(path) as source:
            start = time.perf_counter()
            report = moveup.migrate_to(source, url, batch=args.batch)
            copy_s = time.perf_counter() - start
            start = time.perf_counter()
            again = moveup.migrate_to(source, url, batch=args.batch)
            rerun_s = time.perf_counter() - start
        rows = sum(report.source_counts.values())
        with connect(url) as target:
            start = time.perf_counter()
            chain = audit.verify(target)
            verify_s = time.perf_counter() - start
    assert report.status == "copied" and again.status == "complete" and chain.ok
    print(f"source     {args.posts:,} posts, {report.source_counts['audit_log']:,} audit entries, "
          f"{rows:,} rows in {len(report.source_counts)} tables")
    print(f"copy       {copy_s:.2f}s = {rows / copy_s:,.0f} rows/s (incl. counts and audit check on arrival)")
    print(f"audit      chain of {chain.entries:,} entries verified on PostgreSQL in {verify_s:.2f}s")
    print(f"rerun      {rerun_s:.2f}s to report 'sudah lengkap'")
    print(f"memory     peak {peak_mb():.0f} MB for the copy ({before:.0f} MB before it; source built in a child)")
    print(f"RESULT rows={rows} copy_s={copy_s:.2f} rows_per_s={rows / copy_s:.0f} audit_verify_s={verify_s:.2f} "
          f"rerun_s={rerun_s:.2f} peak_mb={peak_mb():.0f} start_mb={before:.0f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=200_000)
    parser.add_argument("--audit", type=int, default=20_000)
    parser.add_argument("--batch", type=int, default=5_000)
    parser.add_argument("--url", help="an EMPTY PostgreSQL database (default: a throwaway cluster)")
    args = parser.parse_args()
    if args.url:
        run(args.url, args)
        return
    from pgserver import Cluster

    cluster = Cluster().start()
    try:
        run(cluster.new_database(migrated=False), args)
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
