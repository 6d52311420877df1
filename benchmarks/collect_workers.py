"""Collectors on many hosts (issue 20): items/s with 1 and with N `netra collect --worker`
processes sharing one PostgreSQL database.

Starts a throwaway PostgreSQL cluster (tests/pgserver.py) and the fake Bluesky AppView
(tests/fakeplatforms.py, generated accounts and posts, each answer delayed a little as a real
platform is), registers the accounts in a fresh database per run, then times `netra collect
--worker --once --no-classify` processes. Prints posts stored per second of collection (from the round's start
to the last account finished; process start-up excluded) for each worker count and the
speed-up; the stored set is checked complete.

    python benchmarks/collect_workers.py                       # 200 accounts x 100 posts, 1 vs 4
    python benchmarks/collect_workers.py --accounts 50 --workers 1 2 4
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

SERVER = """
import sys, threading
sys.path.insert(0, {tests!r})
from fakeplatforms import FakePlatforms, generated_bluesky
server = FakePlatforms()
server.generated = generated_bluesky({accounts}, {posts})
server.delay = {delay}
server.start()
print("PORT", server.server.server_address[1], flush=True)
threading.Event().wait()
"""


def register(url: str, accounts: int) -> None:
    from monitor.store import connect, people

    rows = [people.EmployeeRow(name=f"Pegawai {i}", employment_type="PNS", unit_name=f"Unit {i % 40}",
                               nip=f"19800101200501{i:04d}", accounts=(("bluesky", f"gen{i:06d}.bsky.social"),))
            for i in range(accounts)]
    with connect(url) as store:
        people.apply_employee_import(store, rows, deactivate_missing=False)


def _seconds(stamp: str) -> float:
    from datetime import datetime

    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()


def run(url: str, fake_url: str, workers: int, tmp: Path, posts: int) -> float:
    """Seconds until ``workers`` processes have completed one round."""
    env = {**os.environ, "NETRA_BLUESKY_BASE_URL": fake_url, "NETRA_COLLECT_PAGE_SIZE": "100",
           "NETRA_COLLECT_MAX_PAGES": str(posts // 100 + 2), "NETRA_RECHECK_POSTS": "0",
           "NETRA_CONFIG": str(tmp / "none.toml"), "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "monitor.cli.main", "--db", url, "collect", "--worker", "--once",
               "--no-classify", "--platform", "bluesky", "--batch", "8", "--every", "1h"]
    started = time.perf_counter()
    procs = [subprocess.Popen([*command, "--worker-id", f"bench{i}"], env=env, cwd=tmp,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for i in range(workers)]
    for proc in procs:
        _, stderr = proc.communicate(timeout=3600)
        if proc.returncode:
            raise SystemExit(f"worker failed: {stderr.decode()[-2000:]}")
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=200)
    parser.add_argument("--posts", type=int, default=100, help="posts per account")
    parser.add_argument("--delay", type=float, default=0.25, help="seconds each fake answer takes")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 4])
    args = parser.parse_args()

    import tempfile

    from pgserver import Cluster

    from monitor.store import connect

    cluster = Cluster().start()
    server = subprocess.Popen([sys.executable, "-c", SERVER.format(tests=str(ROOT / "tests"), accounts=args.accounts,
                                                                   posts=args.posts, delay=args.delay)],
                              stdout=subprocess.PIPE, text=True)
    figures: dict[int, float] = {}
    try:
        line = server.stdout.readline()  # type: ignore[union-attr]
        if not line.startswith("PORT "):
            raise SystemExit(f"fake server did not start: {line!r}")
        fake_url = f"http://127.0.0.1:{int(line.split()[1])}"
        expected = args.accounts * args.posts
        print(f"{args.accounts} accounts x {args.posts} posts = {expected} items, answers delayed {args.delay}s")
        with tempfile.TemporaryDirectory() as tmp:
            for count in args.workers:
                url = cluster.new_database()
                register(url, args.accounts)
                seconds = run(url, fake_url, count, Path(tmp), args.posts)
                with connect(url) as store:
                    stored = int(store.one("SELECT COUNT(*) FROM posts")[0])
                    # Collection time: from the round's start (the first worker's first claim) to
                    # the last account finished -- process start-up is a fixed cost, not throughput.
                    span = store.one("SELECT MIN(r.started_at), MAX(l.done_at) FROM collect_rounds r, collect_leases l")
                    collecting = _seconds(span[1]) - _seconds(span[0])
                    undone = int(store.one("SELECT COUNT(*) FROM collect_leases l JOIN collect_rounds r "
                                           "ON r.id = (SELECT MAX(id) FROM collect_rounds) "
                                           "WHERE l.done_round < r.id")[0])
                if stored != expected or undone:
                    raise SystemExit(f"{count} workers stored {stored}/{expected} items, {undone} accounts undone")
                figures[count] = stored / collecting
                print(f"workers {count}: {collecting:6.1f} s collecting ({seconds:5.1f} s with start-up)  "
                      f"{figures[count]:8.0f} items/s")
                cluster.drop(url)
    finally:
        server.kill()
        server.wait()
        cluster.stop()
    base = figures[min(figures)]
    parts = [f"workers{n}_items_per_s={v:.0f}" for n, v in sorted(figures.items())]
    top = max(figures)
    print(f"RESULT {' '.join(parts)} speedup_{top}_vs_{min(figures)}={figures[top] / base:.2f}")


if __name__ == "__main__":
    main()
