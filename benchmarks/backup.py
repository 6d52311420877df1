"""Backup, verify and restore time for a year-sized database (1,000,000 posts, 50,000 flags).

Why: ``netra backup create`` belongs in the nightly jobs, beside a collector that keeps
writing. It has to finish well inside the night and must not need memory in proportion to
the database. The database is the one ``benchmarks/dashboard_latency.py`` builds and caches
(built on first use, which takes a while). It is copied first, because a backup records
itself in the audit log and the cache must stay as built.

    .venv/bin/python benchmarks/backup.py [--posts 1000000] [--flags 50000] [--rebuild]
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from dashboard_latency import cache_path, open_or_build  # noqa: E402

from monitor.evidence import backup  # noqa: E402


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--flags", type=int, default=50_000)
    parser.add_argument("--rebuild", action="store_true", help="rebuild the cached database")
    args = parser.parse_args()
    cached = cache_path(args.posts, args.flags)
    open_or_build(cached, n_posts=args.posts, n_flags=args.flags, rebuild=args.rebuild)
    with tempfile.TemporaryDirectory(prefix="netra-backup-bench-") as work:
        db = Path(work) / "netra.db"
        shutil.copyfile(cached, db)
        size_mb = db.stat().st_size / 1e6
        print(f"database {size_mb:.0f} MB ({args.posts:,} posts, {args.flags:,} flags)", flush=True)

        started = time.perf_counter()
        made = backup.create(db, Path(work) / "cadangan.zip", data_dir=Path(work) / "data")
        create_s = time.perf_counter() - started
        archive_mb = Path(made["path"]).stat().st_size / 1e6
        print(f"create: {create_s:.1f} s ({size_mb / create_s:.0f} MB/s), archive {archive_mb:.0f} MB", flush=True)

        started = time.perf_counter()
        report = backup.verify(made["path"])
        verify_s = time.perf_counter() - started
        print(f"verify: {verify_s:.1f} s, ok={report.ok}", flush=True)

        started = time.perf_counter()
        backup.restore(made["path"], Path(work) / "pulih" / "netra.db", data_dir=Path(work) / "pulih")
        restore_s = time.perf_counter() - started
        print(f"restore: {restore_s:.1f} s; peak memory {peak_mb():.0f} MB", flush=True)
    print(f"RESULT db_mb={size_mb:.0f} create_s={create_s:.1f} verify_s={verify_s:.1f} restore_s={restore_s:.1f} "
          f"archive_mb={archive_mb:.0f} verify_ok={int(report.ok)} peak_mb={peak_mb():.0f}")


if __name__ == "__main__":
    main()
