"""End-to-end collection throughput: fetch + store + classify, against local fake servers.

Starts the fake Bluesky AppView (tests/fakeplatforms.py) in its own process with generated
accounts and posts (2,000 x 100 = 200,000 by default), registers the accounts, and runs one
collection with the current classifier. Prints posts/s of the whole run (HTTP, JSON, mapping,
hashing, SQLite, classification and flags) and the collector process's peak memory (max RSS,
model included). Target (issue 4): at least 1,000 posts/s on 2 cores, under 500 MB.

    python benchmarks/collect_throughput.py            # full size
    python benchmarks/collect_throughput.py --scale 0.1  # 200 accounts x 100 posts
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=2000)
    parser.add_argument("--posts", type=int, default=100, help="posts per account")
    parser.add_argument("--scale", type=float, default=1.0, help="multiply the number of accounts")
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args()
    accounts = max(1, int(args.accounts * args.scale))

    from monitor import config, pipeline
    from monitor.store import connect, people

    server = subprocess.Popen([sys.executable, str(ROOT / "tests" / "fakeplatforms.py"), "--accounts",
                               str(accounts), "--posts", str(args.posts)], stdout=subprocess.PIPE, text=True)
    try:
        line = server.stdout.readline()  # type: ignore[union-attr]
        if not line.startswith("PORT "):
            raise SystemExit(f"fake server did not start: {line!r}")
        url = f"http://127.0.0.1:{int(line.split()[1])}"
        with tempfile.TemporaryDirectory() as tmp:
            store = connect(Path(tmp) / "bench.db")
            rows = [people.EmployeeRow(name=f"Pegawai {i}", employment_type="PNS", unit_name=f"Unit {i % 40}",
                                       nip=f"19800101200501{i:04d}", accounts=(("bluesky", f"gen{i:06d}.bsky.social"),))
                    for i in range(accounts)]
            people.apply_employee_import(store, rows, deactivate_missing=False)
            settings = config.load(environ={}, config_path=Path(tmp) / "none.toml")
            settings.update(bluesky_base_url=url, collect_page_size=100, collect_max_pages=args.posts // 100 + 2,
                            recheck_posts=0, bluesky_concurrency=args.concurrency, http_timeout=60)

            started = time.perf_counter()
            model, version = pipeline.current_model(store)
            load_s = time.perf_counter() - started
            print(f"model      {version} loaded in {load_s:.1f}s")

            started = time.perf_counter()
            fetched_at: dict[str, float] = {}

            def progress(event: str, data: dict) -> None:
                if event == "classify":
                    fetched_at["t"] = time.perf_counter()

            summary = pipeline.run_collection(store, settings, platforms=["bluesky"], model=model,
                                              model_version=version, interactions=False, progress=progress)
            total_s = time.perf_counter() - started
            fetch_s = fetched_at.get("t", started + total_s) - started
            store.close()
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        n = summary.new_posts
        print(f"accounts   {summary.accounts:,} ({summary.errors} errors)")
        print(f"fetch+store {n:,} posts in {fetch_s:.1f}s = {n / fetch_s:,.0f} posts/s")
        print(f"classify   {summary.classified:,} posts in {total_s - fetch_s:.1f}s "
              f"({summary.flags:,} flags opened)")
        print(f"end-to-end {n:,} posts in {total_s:.1f}s = {n / total_s:,.0f} posts/s; peak memory {peak_mb:.0f} MB")
        print(f"RESULT posts_per_s={n / total_s:.0f} peak_mb={peak_mb:.0f} posts={n} accounts={summary.accounts} "
              f"fetch_store_per_s={n / fetch_s:.0f}")
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
