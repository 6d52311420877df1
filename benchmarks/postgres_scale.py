"""PostgreSQL at a province's or the nation's size (issue 20), beside SQLite at one office's.

Builds, in a throwaway PostgreSQL cluster (tests/pgserver.py; or ``--url`` of an empty
database), ``--instansi`` offices of five units each with their employees and one account per
employee, then ingests ``--posts`` posts through the collectors' path (``upsert_posts`` in
pages of 100 posts of one account) from ``--workers`` processes at once, and adds ``--flags`` flags spread over
every office. Then times, 30 times each:

- the review queue's first page (``list_flags``, 25 rows) for one office's analyst;
- the unit summary (``counts_by_unit`` + ``counts_by_week``) for one office;
- the national rollup: the national page's call (``monitor.cases.rollup.rollup`` as a BKN
  analyst: counts by instansi, unit, code, week and cases by status), and the office
  summaries over every unit at once for comparison.

The same office-level queries run on SQLite holding one office's share (posts / instansi).
Targets: ingest >= 5,000 posts/s; queue p95 < 300 ms; national rollup p95 < 1 s.

Measured 2026-12-02 on a 2-core machine (7 min in all), at full size: ingest 12,735 posts/s
with 4 workers (database 4.6 GB), one office's queue p95 25 ms and unit summary p95 20 ms, the
national rollup page p95 271 ms (it was 1,298 ms at 250,000 flags before flags were counted per
unit and day ahead of the join), every unit's summary at once 741 ms; SQLite with one office's
100,000 posts: ingest 16,657 posts/s, queue p95 12 ms, unit summary p95 13 ms.

    python benchmarks/postgres_scale.py [--posts 5000000] [--flags 250000] [--instansi 50]
                                        [--workers 4] [--url postgresql://...] [--quick]
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from monitor.cases import rollup  # noqa: E402
from monitor.store import PostRecord, connect  # noqa: E402
from monitor.store.posts import upsert_posts  # noqa: E402
from monitor.store.review import FlagQuery, counts_by_unit, counts_by_week, list_flags  # noqa: E402

WORDS = ("saya ASN netral pilih coblos nomor urut dua salam jari hari ini kantor dinas pelayanan warga jalan "
         "rusak banjir sekolah guru murid puskesmas vaksin bansos kampanye relawan debat KPU TPS DPT bawaslu "
         "hoaks viral sebarkan gotong royong kerja bakti").split()
UNITS_PER_OFFICE = 5
BATCH = 1_000
PAGE = 100  # posts of one account per upsert, as a collector writes one page of one account


def build_registry(store, offices: int, accounts_per_unit: int) -> tuple[dict[int, set[int]], list[int]]:
    """Offices (top-level units with four sub-units), employees and accounts; returns each
    office's unit ids and every account id."""
    now = "2024-09-01T00:00:00Z"
    office_units: dict[int, set[int]] = {}
    accounts: list[int] = []
    from monitor.store import instansi as instansi_rows

    national = instansi_rows.add(store, "BKN", "Badan Kepegawaian Negara", kind="nasional") if offices > 1 else None
    with store.write() as conn:
        for o in range(offices):
            own = (instansi_rows.add(store, f"PEMDA{o:03d}", f"Pemda {o:03d}", parent_id=national)
                   if national is not None else instansi_rows.default_id(store))
            top = conn.execute("INSERT INTO units (code, name, instansi_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
                               (f"PEMDA{o:03d}", f"Pemda {o:03d}", own, now, now)).lastrowid
            units = {int(top)}
            for u in range(1, UNITS_PER_OFFICE):
                units.add(int(conn.execute(
                    "INSERT INTO units (code, name, parent_id, instansi_id, created_at, updated_at)"
                    " VALUES (?, ?, ?, ?, ?, ?)", (f"P{o:03d}U{u}", f"Pemda {o:03d} dinas {u}", top, own, now, now)
                ).lastrowid))
            office_units[int(top)] = units
            for unit in sorted(units):
                for e in range(accounts_per_unit):
                    nip = f"19800101{unit:06d}{e:04d}"[:18]
                    emp = conn.execute(
                        "INSERT INTO employees (nip, name, unit_id, employment_type, created_at, updated_at)"
                        " VALUES (?, ?, ?, 'PNS', ?, ?)", (nip, f"Pegawai {unit}-{e}", unit, now, now)).lastrowid
                    accounts.append(int(conn.execute(
                        "INSERT INTO accounts (platform, handle, employee_id, created_at, updated_at)"
                        " VALUES ('bluesky', ?, ?, ?, ?)", (f"asn{unit}x{e}.bsky.social", emp, now, now)).lastrowid))
    return office_units, accounts


def posts_for(start: int, stop: int, accounts: list[int]) -> list[tuple[int, PostRecord]]:
    rng = random.Random(start)
    out = []
    for i in range(start, stop):
        text = " ".join(rng.choices(WORDS, k=rng.randint(8, 40)))
        raw = {"uri": f"at://did:plc:{i % 5000:024d}/app.bsky.feed.post/{i}", "record": {"text": text},
               "indexedAt": "2024-10-01T00:00:00Z"}
        out.append((accounts[(i // PAGE) % len(accounts)], PostRecord(
            "bluesky", str(i), text, raw, url=f"https://bsky.app/p/{i}",
            created_at=f"2024-{9 + i % 3:02d}-{1 + i % 28:02d}T{i % 24:02d}:00:00Z")))
    return out


def _ingest(target: str, start: int, stop: int, accounts: list[int], done) -> None:
    with connect(target) as store:
        for first in range(start, stop, BATCH):
            batch = posts_for(first, min(stop, first + BATCH), accounts)
            by_account: dict[int, list[PostRecord]] = {}
            for account, record in batch:
                by_account.setdefault(account, []).append(record)
            for account, records in by_account.items():
                upsert_posts(store, records, account_id=account)
            with done.get_lock():
                done.value += len(batch)


def ingest(target: str, posts: int, accounts: list[int], workers: int) -> float:
    """Posts per second with ``workers`` processes writing at once (progress on stderr)."""
    ctx = multiprocessing.get_context("fork")
    done = ctx.Value("q", 0)
    share = -(-posts // workers)
    procs = [ctx.Process(target=_ingest, args=(target, w * share, min(posts, (w + 1) * share), accounts, done))
             for w in range(workers)]
    start = time.perf_counter()
    for p in procs:
        p.start()
    while any(p.is_alive() for p in procs):
        time.sleep(2)
        print(f"\r  {done.value:,}/{posts:,} pos", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    if any(p.exitcode for p in procs):
        raise SystemExit("an ingest worker failed")
    return posts / (time.perf_counter() - start)


def add_flags(store, flags: int, posts: int) -> None:
    """Flags on every (posts // flags)-th post, with the post's unit, a spread of categories."""
    step = max(1, posts // flags)
    with store.write() as conn:
        conn.execute(
            """INSERT INTO flags (post_id, category, score, status, proposed_code, unit_id, created_at, updated_at)
               SELECT p.id, CASE p.id % 3 WHEN 0 THEN 'partisan' WHEN 1 THEN 'hate' ELSE 'abusive' END,
                      0.5 + (p.id % 50) / 100.0, CASE WHEN (p.id / ?) % 10 = 0 THEN 'confirmed' ELSE 'open' END,
                      CASE p.id % 3 WHEN 0 THEN 'N1' WHEN 1 THEN 'H1' ELSE 'H2' END, e.unit_id,
                      p.created_at, p.created_at
               FROM posts p JOIN accounts a ON a.id = p.account_id JOIN employees e ON e.id = a.employee_id
               WHERE p.id % ? = 0""", (step, step))
    if store.engine == "postgresql":
        store.conn.raw.execute("ANALYZE")
    else:
        store.conn.execute("ANALYZE")


def national_user(store):
    """A BKN analyst, logged in once: the user who opens the national rollup page."""
    if not hasattr(national_user, "user"):
        from monitor import auth
        from monitor.store import instansi as instansi_rows

        bkn = instansi_rows.by_code(store, "BKN")
        auth.create_user(store, "analis_bkn", "sandi-analis-bkn-1", "analyst", instansi_id=bkn["id"])
        national_user.user = auth.login(store, "analis_bkn", "sandi-analis-bkn-1")
    return national_user.user


def p95(fn, runs: int = 30) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.quantiles(times, n=20)[-1] * 1000 if len(times) > 1 else times[0] * 1000


def office_queries(store, units: set[int]) -> tuple[float, float]:
    queue = p95(lambda: list_flags(store, FlagQuery(), units, None, limit=25))
    summary = p95(lambda: (counts_by_unit(store, units), counts_by_week(store, units)))
    return queue, summary


def build(target: str, *, offices: int, accounts_per_unit: int, posts: int, flags: int, workers: int):
    with connect(target) as store:
        office_units, accounts = build_registry(store, offices, accounts_per_unit)
    rate = ingest(target, posts, accounts, workers)
    store = connect(target)
    start = time.perf_counter()
    add_flags(store, flags, posts)
    print(f"  bendera: {time.perf_counter() - start:.1f} s", file=sys.stderr)
    return store, office_units, rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=5_000_000)
    parser.add_argument("--flags", type=int, default=250_000)
    parser.add_argument("--instansi", type=int, default=50)
    parser.add_argument("--accounts-per-unit", type=int, default=20)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--url", help="an empty PostgreSQL database (default: a throwaway cluster)")
    parser.add_argument("--quick", action="store_true", help="200,000 posts and 10,000 flags")
    args = parser.parse_args()
    if args.quick:
        args.posts, args.flags = 200_000, 10_000

    cluster = None
    if args.url is None:
        from pgserver import Cluster

        cluster = Cluster().start()
        args.url = cluster.new_database(migrated=False)
    try:
        print(f"PostgreSQL: {args.posts:,} posts, {args.flags:,} flags, {args.instansi} instansi", file=sys.stderr)
        store, office_units, pg_rate = build(args.url, offices=args.instansi, accounts_per_unit=args.accounts_per_unit,
                                             posts=args.posts, flags=args.flags, workers=args.workers)
        one = office_units[sorted(office_units)[len(office_units) // 2]]
        pg_queue, pg_summary = office_queries(store, one)
        bkn_analyst = national_user(store)
        national = p95(lambda: rollup.rollup(store, bkn_analyst), runs=10)
        every_unit = p95(lambda: (counts_by_unit(store, None), counts_by_week(store, None)), runs=10)
        size = store.one("SELECT pg_database_size(current_database())")[0] / 1e6
        store.close()
    finally:
        if cluster is not None:
            cluster.stop()

    with tempfile.TemporaryDirectory() as tmp:
        office_posts, office_flags = args.posts // args.instansi, max(1, args.flags // args.instansi)
        print(f"SQLite: {office_posts:,} posts, {office_flags:,} flags, 1 instansi", file=sys.stderr)
        lite, lite_units, lite_rate = build(str(Path(tmp) / "office.db"), offices=1,
                                            accounts_per_unit=args.accounts_per_unit, posts=office_posts,
                                            flags=office_flags, workers=1)
        lite_queue, lite_summary = office_queries(lite, next(iter(lite_units.values())))
        lite.close()

    print(f"PostgreSQL ingest ({args.workers} workers): {pg_rate:,.0f} posts/s; database {size:,.0f} MB")
    print(f"PostgreSQL one office: queue p95 {pg_queue:.0f} ms, unit summary p95 {pg_summary:.0f} ms")
    print(f"PostgreSQL national rollup p95 {national:.0f} ms (rollup page: counts by instansi, unit, code, week);"
          f" every unit's summary at once p95 {every_unit:.0f} ms")
    print(f"SQLite one office ({office_posts:,} posts): ingest {lite_rate:,.0f} posts/s, queue p95 {lite_queue:.0f} ms,"
          f" unit summary p95 {lite_summary:.0f} ms")
    print(f"RESULT posts={args.posts} flags={args.flags} instansi={args.instansi} workers={args.workers}"
          f" pg_ingest_posts_per_s={pg_rate:.0f} pg_queue_p95_ms={pg_queue:.0f} pg_unit_summary_p95_ms={pg_summary:.0f}"
          f" pg_national_rollup_p95_ms={national:.0f} pg_all_units_summary_p95_ms={every_unit:.0f} sqlite_ingest_posts_per_s={lite_rate:.0f}"
          f" sqlite_queue_p95_ms={lite_queue:.0f} sqlite_unit_summary_p95_ms={lite_summary:.0f}")


if __name__ == "__main__":
    main()
