"""How fast the review pages' library calls are on a queue of ~10,000 flags.

Builds a database through the store API (units, employees, accounts, posts, classifications,
flags, some decisions), then times what the pages call: the first queue page, a filtered
page, a full-text search, the flag card, the bulk count and the unit summary (analyst and
supervisor scopes). Prints p50/p95 per call and ends with one RESULT line.

    .venv/bin/python benchmarks/dashboard_latency.py [--flags 10000] [--posts 40000] [--db PATH]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

from monitor import auth, review
from monitor.review import FlagQuery
from monitor.store import PostRecord, connect, people
from monitor.store.flags import ScoredPost, save_classifications
from monitor.store.posts import refresh_search_index, upsert_posts
from monitor.store.review import apply_decision

WORDS = ("ayo coblos nomor dukung paslon program sekolah rapat warga jalan banjir vaksin berita hoaks "
         "bodoh benci partai relawan kampanye dinas pelayanan kesehatan guru murid pasar harga").split()
CATEGORIES = ("partisan", "hate", "abusive", "hoax")


def build(path: Path, *, n_flags: int, n_posts: int, seed: int = 7) -> dict:
    rng = random.Random(seed)
    store = connect(path)
    roots = [people.UnitRow(f"U{i}", f"Dinas {i}") for i in range(10)]
    subs = [people.UnitRow(f"U{i}S{j}", f"Bidang {i}.{j}", f"U{i}") for i in range(10) for j in range(4)]
    people.upsert_units(store, roots + subs)
    employees = [people.EmployeeRow(name=f"Pegawai {k}", employment_type="PNS", unit_name=f"Bidang {k % 10}.{k % 4}",
                                    nip=f"19800101200501{k:04d}", accounts=(("x", f"asn{k}"),))
                 for k in range(2000)]
    people.apply_employee_import(store, employees, deactivate_missing=False)
    accounts = people.account_ids_by_handle(store)
    handles = [h for (_p, h) in accounts]
    new_ids: list[int] = []
    for start in range(0, n_posts, 5000):
        batch = [PostRecord("x", str(i), " ".join(rng.choices(WORDS, k=18)), {"id": i},
                            account_handle=rng.choice(handles),
                            created_at=f"2024-{rng.randint(8, 11):02d}-{rng.randint(1, 28):02d}T{rng.randint(0, 23):02d}:00:00Z")
                 for i in range(start, min(start + 5000, n_posts))]
        new_ids += upsert_posts(store, batch, account_ids=accounts).new_ids
    flagged = rng.sample(new_ids, n_flags)
    results = []
    for post_id in flagged:
        category = rng.choice(CATEGORIES)
        score = round(rng.uniform(0.3, 1.0), 4)
        results.append(ScoredPost(post_id, {category: score}, [category], {category: "N1" if category == "partisan" else "A1"},
                                  {category: {"top_features": [{"feature": "kata:coblos", "contribution": 0.5}],
                                              "rules": []}}))
    for start in range(0, len(results), 2000):
        save_classifications(store, "bench", results[start:start + 2000])
    refresh_search_index(store)
    auth.create_user(store, "analis", "sandi-analis-1", "analyst")
    auth.create_user(store, "atasan", "sandi-atasan-1", "supervisor", unit_ids=[people.unit_id_by_code(store, "U3")])
    analyst = auth.login(store, "analis", "sandi-analis-1")
    flag_ids = [r[0] for r in store.query("SELECT id FROM flags ORDER BY id")]
    decided = rng.sample(flag_ids, len(flag_ids) // 10)
    for decision, chunk in (("violation", decided[::2]), ("not_violation", decided[1::2])):
        apply_decision(store, chunk, reviewer_id=analyst.id, decision=decision, from_statuses=("open",),
                       violation_code="N1" if decision == "violation" else None, note="bench")
    return {"store": store, "analyst": analyst, "supervisor": auth.login(store, "atasan", "sandi-atasan-1"),
            "flag_ids": flag_ids, "unit": people.unit_id_by_code(store, "U5")}


def timed(fn, repeats: int) -> list[float]:
    fn()  # warm the page cache once; the dashboard serves many requests per process
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[18] if len(samples) >= 20 else max(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--flags", type=int, default=10_000)
    parser.add_argument("--posts", type=int, default=40_000)
    parser.add_argument("--repeats", type=int, default=40)
    parser.add_argument("--db", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = args.db or Path(folder) / "bench.db"
        started = time.perf_counter()
        world = build(path, n_flags=args.flags, n_posts=args.posts)
        store, analyst, supervisor = world["store"], world["analyst"], world["supervisor"]
        print(f"database: {args.posts} posts, {store.one('SELECT COUNT(*) FROM flags')[0]} flags "
              f"(built in {time.perf_counter() - started:.1f} s)")
        rng = random.Random(1)
        filtered = FlagQuery(categories=("partisan", "hate"), unit_ids=(world["unit"],), score_min=0.5,
                             date_from="2024-09-01", date_to="2024-10-31")
        cases = {
            "queue_first_page": lambda: review.queue(store, analyst, limit=25),
            "queue_page_40": lambda: review.queue(store, analyst, limit=25, offset=1000),
            "queue_filtered": lambda: review.queue(store, analyst, filtered, limit=25),
            "queue_search": lambda: review.queue(store, analyst, FlagQuery(search="coblos paslon"), limit=25),
            "queue_supervisor": lambda: review.queue(store, supervisor, limit=25),
            "count_filtered": lambda: review.count(store, analyst, filtered),
            "bulk_count_all_open": lambda: review.bulk_count(store, analyst, FlagQuery(), "not_violation"),
            "flag_card": lambda: review.flag_card(store, analyst, rng.choice(world["flag_ids"])),
            "unit_summary_analyst": lambda: review.unit_summary(store, analyst),
            "unit_summary_supervisor": lambda: review.unit_summary(store, supervisor),
        }
        results = {}
        print(f"{'call':<26}{'p50 ms':>10}{'p95 ms':>10}")
        for name, fn in cases.items():
            samples = timed(fn, args.repeats)
            results[name] = (statistics.median(samples), p95(samples))
            print(f"{name:<26}{results[name][0]:>10.1f}{results[name][1]:>10.1f}")
        store.close()
    queue_p95 = max(results[k][1] for k in ("queue_first_page", "queue_filtered", "queue_search", "queue_supervisor"))
    summary_p95 = max(results["unit_summary_analyst"][1], results["unit_summary_supervisor"][1])
    print(f"RESULT queue_p95_ms={queue_p95:.1f} card_p95_ms={results['flag_card'][1]:.1f} "
          f"summary_p95_ms={summary_p95:.1f} bulk_count_p95_ms={results['bulk_count_all_open'][1]:.1f}")


if __name__ == "__main__":
    main()
