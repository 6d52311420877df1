"""Login answer time for a real name and for an unknown one (issue 15, item 8: user enumeration).

Why: before the fix an unknown name answered in 0.1 ms and a real one in ~113 ms (argon2), so
timing alone told which names exist. Every path now costs one argon2 verification. Prints the
median and spread per case and the ratio unknown/known; the ratio should be close to 1.

    .venv/bin/python benchmarks/login_timing.py [--attempts 30]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from monitor import auth
from monitor.store import connect


def timed(store, username: str, password: str, attempts: int) -> list[float]:
    """Milliseconds per attempt, each from a fresh address so the throttle never steps in."""
    spent = []
    for i in range(attempts):
        started = time.perf_counter()
        try:
            auth.login(store, username, password, address=f"bench-{username}-{i}", throttle=auth.LoginThrottle())
        except auth.AuthError:
            pass
        spent.append((time.perf_counter() - started) * 1000)
    return spent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attempts", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        with connect(Path(folder) / "bench.db") as store:
            auth.create_user(store, "admin", "rahasia-panjang", "admin")
            auth.create_user(store, "mantan", "rahasia-panjang", "analyst")
            store.conn.execute("UPDATE users SET active = 0 WHERE username = 'mantan'")
            timed(store, "pemanasan", "x", 2)  # the dummy hash is made on first use
            results = {
                "known_wrong": timed(store, "admin", "salah-sandi", args.attempts),
                "unknown": timed(store, "tidak-ada-" + "x" * 20, "salah-sandi", args.attempts),
                "inactive": timed(store, "mantan", "rahasia-panjang", args.attempts),
            }
    medians = {k: statistics.median(v) for k, v in results.items()}
    for name, values in results.items():
        print(f"{name:12s} median {medians[name]:7.1f} ms  min {min(values):7.1f}  max {max(values):7.1f}")
    ratio = medians["unknown"] / medians["known_wrong"]
    print(f"RESULT known_ms={medians['known_wrong']:.1f} unknown_ms={medians['unknown']:.1f} "
          f"inactive_ms={medians['inactive']:.1f} unknown_over_known={ratio:.2f} attempts={args.attempts}")


if __name__ == "__main__":
    main()
