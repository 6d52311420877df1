"""How fast the review pages' library calls are on 1,000,000 posts and 50,000 flags (issue 5).

Builds a database through the store API (units, employees, accounts, posts, classifications,
flags, decisions, a queue threshold), then times what the pages call: the first queue page
(analyst and supervisor), filtered pages (category, unit, date, score, all four), a full-text
search, the filter count and the bulk count of the whole filter result, the flag card (opening
a post), the unit summary (analyst and supervisor) and "my decisions". It also times the whole
first load of the queue page (count + top flag + its card + the first table page). Target: each
under 1 s. Prints p50/p95 per call and ends with one RESULT line.

The built database is cached in the temp folder, keyed by size, so repeated runs only time the
queries; ``--rebuild`` builds it again.

    .venv/bin/python benchmarks/dashboard_latency.py [--posts 1000000] [--flags 50000] [--rebuild]
    .venv/bin/python benchmarks/dashboard_latency.py --pages [--repeats 3] [--root OTHER_CHECKOUT]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

from monitor import auth
from monitor.flagging import review
from monitor.flagging.review import FlagQuery
from monitor.store import PostRecord, connect, people
from monitor.store import review as review_rows
from monitor.store.flags import ScoredPost, save_classifications
from monitor.store.posts import refresh_search_index, upsert_posts
from monitor.store.review import apply_decision

#: Bump when build() changes, so a cached database of the old shape is not reused.
BUILD_VERSION = 2
POST_BATCH = 50_000
FLAG_BATCH = 5_000
CATEGORIES = ("partisan", "hate", "abusive", "hoax")

# Common words first: drawn with Zipf-like weights, so a search has a realistic spread of
# selectivity (a common word matches many posts, a name few).
WORDS = ("yang dan di ini itu dengan untuk tidak ada dari akan pada juga sudah kita saya warga "
         "kegiatan hari program dinas pelayanan rapat sekolah jalan kesehatan guru murid pasar "
         "harga banjir vaksin berita desa kecamatan bupati gubernur pemilu dukung pilih nomor "
         "paslon coblos relawan kampanye partai debat survei hoaks fitnah bodoh benci bansos "
         "sembako deklarasi baliho spanduk koalisi tps saksi quick count relawan01 posko").split()
_WEIGHTS = [1.0 / (rank + 3) for rank in range(len(WORDS))]


def cache_path(n_posts: int, n_flags: int) -> Path:
    return Path(tempfile.gettempdir()) / "netra-bench" / f"dashboard-{n_posts}p-{n_flags}f-v{BUILD_VERSION}.db"


def _posts(rng: random.Random, start: int, stop: int, handles: list[str]) -> list[PostRecord]:
    records = []
    for i in range(start, stop):
        handle = handles[i % len(handles)]
        when = f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:00Z"
        text = " ".join(rng.choices(WORDS, weights=_WEIGHTS, k=rng.randint(8, 30)))
        records.append(PostRecord("x", str(10_000_000 + i), text,
                                  {"id_str": str(10_000_000 + i), "full_text": text, "user": handle, "created_at": when},
                                  url=f"https://x.com/{handle}/status/{10_000_000 + i}",
                                  account_handle=handle, created_at=when))
    return records


def build(path: Path, *, n_flags: int, n_posts: int, seed: int = 7) -> None:
    """A database shaped like a year of a regency's monitoring, through the store API only."""
    if n_flags > n_posts:
        raise ValueError("--flags cannot exceed --posts (one flag per post)")
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
    handles = sorted(h for (_p, h) in accounts)
    new_ids: list[int] = []
    started = time.perf_counter()
    for start in range(0, n_posts, POST_BATCH):
        new_ids += upsert_posts(store, _posts(rng, start, min(start + POST_BATCH, n_posts), handles),
                                account_ids=accounts).new_ids
        print(f"  posts {len(new_ids):>9,} ({time.perf_counter() - started:.0f} s)", flush=True)
    flagged = sorted(rng.sample(new_ids, n_flags))
    for start in range(0, len(flagged), FLAG_BATCH):
        results = []
        for post_id in flagged[start:start + FLAG_BATCH]:
            category = rng.choices(CATEGORIES, weights=(5, 2, 2, 1))[0]
            score = round(rng.uniform(0.3, 1.0), 4)
            scores = {c: round(rng.uniform(0.0, 0.3), 4) for c in CATEGORIES} | {category: score}
            results.append(ScoredPost(post_id, scores, [category], {category: "N1" if category == "partisan" else "A1"},
                                      {category: {"top_features": [{"feature": "kata:coblos", "contribution": 0.5}],
                                                  "rules": []}}))
        save_classifications(store, "bench-1", results)
    print(f"  flags {n_flags:,} ({time.perf_counter() - started:.0f} s)", flush=True)
    refresh_search_index(store, chunk=100_000)
    print(f"  search index ({time.perf_counter() - started:.0f} s)", flush=True)
    auth.create_user(store, "analis", "sandi-analis-1", "analyst")
    auth.create_user(store, "analis2", "sandi-analis-2", "analyst")
    auth.create_user(store, "atasan", "sandi-atasan-1", "supervisor", unit_ids=[people.unit_id_by_code(store, "U3")])
    analysts = [auth.login(store, "analis", "sandi-analis-1"), auth.login(store, "analis2", "sandi-analis-2")]
    # A year in: about a quarter of the flags decided, by two analysts, some escalated.
    ids = review_rows.flag_ids(store, FlagQuery(statuses=(), apply_thresholds=False), None, None)
    decided = rng.sample(ids, len(ids) // 4)
    plan = (("violation", decided[0::4]), ("not_violation", decided[1::4]), ("not_violation", decided[2::4]),
            ("escalate", decided[3::4]))
    for n, (decision, chunk) in enumerate(plan):
        apply_decision(store, chunk, reviewer_id=analysts[n % 2].id, decision=decision, from_statuses=("open",),
                       violation_code="N1" if decision == "violation" else None, note="bench")
    review_rows.set_threshold(store, "abusive", 0.5, actor="bench")
    store.close()
    print(f"  decisions ({time.perf_counter() - started:.0f} s)", flush=True)


def open_or_build(path: Path, *, n_posts: int, n_flags: int, rebuild: bool) -> float:
    """Build into a side file and rename it when complete, so a crash never leaves a bad cache."""
    if path.exists() and not rebuild:
        return 0.0
    started = time.perf_counter()
    building = path.with_name(path.name + ".building")
    for stale in (building, *(building.with_name(building.name + s) for s in ("-wal", "-shm"))):
        stale.unlink(missing_ok=True)
    print(f"building {building} ...", flush=True)
    build(building, n_flags=n_flags, n_posts=n_posts)
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    building.rename(path)
    return time.perf_counter() - started


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


def page_load(store, user, q: FlagQuery) -> None:
    """What pages/antrian.py calls on its first load: filter options, count, top flag and its
    card, first table page."""
    review_rows.categories(store), review_rows.platforms(store), people.list_units(store)
    review.count(store, user, q)
    top = review.next_flag(store, user, q)
    if top is not None:
        review.flag_card(store, user, top["id"])
    review.queue(store, user, q, limit=25)


def page_table(root: Path, repeats: int) -> None:
    """``--pages``: every page as every role, rendered whole by Streamlit's AppTest on the demo
    database (what a person waits for on opening a page, not only its library calls).

    ``--root`` renders another checkout's dashboard.py and pages/ (run it with that checkout on
    PYTHONPATH to measure the code before a change). Prints a page x role table of median ms and
    ends with RESULT pages_p95_ms (the slowest page's p95) and pages_median_ms (over all cells).
    """
    import os

    from streamlit.testing.v1 import AppTest

    from monitor import demo, web

    folder = Path(tempfile.mkdtemp(prefix="netra-pages-"))
    path = folder / "demo.db"
    demo.build(path).close()
    os.environ["NETRA_DB"] = str(path)
    roles = ("admin", "analyst", "supervisor", "auditor")
    logged = {}
    with connect(path) as store:
        for role in roles:
            demo_user = next(u for u in demo.DEMO_USERS if u.role == role)
            logged[role] = auth.login(store, demo_user.username, demo_user.password)
    cells: dict[tuple[str, str], list[float]] = {}
    names = [n for n in web.PAGES if (root / "pages" / n).is_file()]
    for name in names:
        for role in roles:
            if name not in web.pages_for(role):
                continue
            samples = []
            for _ in range(repeats + 1):  # the first run warms imports and caches; not counted
                at = AppTest.from_file(str(root / "dashboard.py"), default_timeout=300)
                at.session_state["user"] = logged[role]
                at.run()
                started = time.perf_counter()
                at.switch_page(f"pages/{name}").run()
                samples.append((time.perf_counter() - started) * 1000)
            cells[(name, role)] = samples[1:]
    print(f"{'page':<24}" + "".join(f"{r:>12}" for r in roles) + "   (median ms per page run)")
    for name in names:
        row = [f"{statistics.median(cells[(name, r)]):>12.0f}" if (name, r) in cells else f"{'-':>12}" for r in roles]
        print(f"{name.removesuffix('.py'):<24}" + "".join(row))
    every = [ms for samples in cells.values() for ms in samples]
    print(f"RESULT pages_p95_ms={max(p95(s) for s in cells.values()):.0f} "
          f"pages_median_ms={statistics.median(every):.0f} cells={len(cells)} repeats={repeats}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", action="store_true", help="time every page x role with AppTest instead")
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parent.parent,
                        help="checkout whose dashboard.py and pages/ --pages renders")
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--flags", type=int, default=50_000)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--db", type=Path, help="database file to use (default: cached in the temp folder by size)")
    parser.add_argument("--rebuild", action="store_true", help="build the database again even if cached")
    args = parser.parse_args()
    if args.pages:
        page_table(args.root, args.repeats)
        return
    path = args.db or cache_path(args.posts, args.flags)
    built_in = open_or_build(path, n_posts=args.posts, n_flags=args.flags, rebuild=args.rebuild)
    store = connect(path)
    analyst = auth.login(store, "analis", "sandi-analis-1")
    supervisor = auth.login(store, "atasan", "sandi-atasan-1")
    every = FlagQuery(statuses=(), apply_thresholds=False)
    all_ids = review_rows.flag_ids(store, every, None, None)
    supervisor_ids = review_rows.flag_ids(store, every, review.scope_for(store, supervisor), None)
    print(f"database {path}: {args.posts:,} posts, {len(all_ids):,} flags "
          + (f"(built in {built_in:.0f} s)" if built_in else "(cached; --rebuild to build again)"))
    unit = people.unit_id_by_code(store, "U5")
    filters = {
        "filter_category": FlagQuery(categories=("hate",)),
        "filter_unit": FlagQuery(unit_ids=(unit,)),
        "filter_date": FlagQuery(date_from="2024-10-01", date_to="2024-10-31"),
        "filter_score": FlagQuery(score_min=0.9),
        "filter_all_four": FlagQuery(categories=("partisan", "hate"), unit_ids=(unit,), score_min=0.5,
                                     date_from="2024-09-01", date_to="2024-10-31"),
        "filter_decided": FlagQuery(statuses=("confirmed", "dismissed")),
    }
    searches = {"search_words": FlagQuery(search="coblos paslon"), "search_rare": FlagQuery(search="quick count"),
                "search_name": FlagQuery(search="Pegawai 1234")}
    # The first hoax card of a process imports monitor.store.claims, which imports scikit-learn
    # (classifiers.claims): a one-off cost per dashboard process, reported apart from the timings.
    hoax = review.queue(store, analyst, FlagQuery(categories=("hoax",), statuses=()), limit=1)
    started = time.perf_counter()
    if hoax:
        review.flag_card(store, analyst, hoax[0]["id"])
    cold_card_ms = (time.perf_counter() - started) * 1000
    print(f"first hoax card of the process (lazy imports): {cold_card_ms:.0f} ms, once per process")
    rng = random.Random(1)
    cases = {
        "queue_first_page": lambda: review.queue(store, analyst, limit=25),
        "queue_supervisor": lambda: review.queue(store, supervisor, limit=25),
        "queue_page_40": lambda: review.queue(store, analyst, limit=25, offset=1000),
        **{name: (lambda q=q: review.queue(store, analyst, q, limit=25)) for name, q in filters.items()},
        "filter_supervisor": lambda: review.queue(store, supervisor, FlagQuery(categories=("partisan",), score_min=0.5),
                                                  limit=25),
        **{name: (lambda q=q: review.queue(store, analyst, q, limit=25)) for name, q in searches.items()},
        "count_all_open": lambda: review.count(store, analyst),
        "count_filtered": lambda: review.count(store, analyst, filters["filter_all_four"]),
        "count_search": lambda: review.count(store, analyst, searches["search_words"]),
        "bulk_count_all_open": lambda: review.bulk_count(store, analyst, FlagQuery(), "not_violation"),
        "bulk_count_filtered": lambda: review.bulk_count(store, analyst, filters["filter_all_four"], "violation"),
        "flag_card": lambda: review.flag_card(store, analyst, rng.choice(all_ids)),
        "flag_card_supervisor": lambda: review.flag_card(store, supervisor, rng.choice(supervisor_ids)),
        "page_load_analyst": lambda: page_load(store, analyst, FlagQuery()),
        "page_load_supervisor": lambda: page_load(store, supervisor, FlagQuery()),
        "filter_options": lambda: (review_rows.categories(store), review_rows.platforms(store), people.list_units(store)),
        "unit_summary_analyst": lambda: review.unit_summary(store, analyst),
        "unit_summary_supervisor": lambda: review.unit_summary(store, supervisor),
        "unit_summary_dated": lambda: review.unit_summary(store, analyst, date_from="2024-10-01", date_to="2024-12-31"),
        "my_decisions": lambda: review.my_decisions(store, analyst, limit=50),
        "my_decisions_deep": lambda: review.my_decisions(store, analyst, limit=50, offset=1000),
    }
    results = {}
    print(f"{'call':<26}{'p50 ms':>10}{'p95 ms':>10}")
    for name, fn in cases.items():
        samples = timed(fn, args.repeats)
        results[name] = (statistics.median(samples), p95(samples))
        flag = "  OVER 1 s" if results[name][1] >= 1000 else ""
        print(f"{name:<26}{results[name][0]:>10.1f}{results[name][1]:>10.1f}{flag}", flush=True)
    store.close()

    def worst(*names: str) -> float:
        return max(results[n][1] for n in names)

    print(f"RESULT queue_p95_ms={worst('queue_first_page', 'queue_supervisor', 'queue_page_40'):.1f} "
          f"filter_p95_ms={worst(*filters, 'filter_supervisor', 'count_filtered'):.1f} "
          f"card_p95_ms={worst('flag_card', 'flag_card_supervisor'):.1f} "
          f"search_p95_ms={worst(*searches, 'count_search'):.1f} "
          f"summary_p95_ms={worst('unit_summary_analyst', 'unit_summary_supervisor', 'unit_summary_dated'):.1f} "
          f"bulk_count_p95_ms={worst('bulk_count_all_open', 'bulk_count_filtered'):.1f} "
          f"page_load_p95_ms={worst('page_load_analyst', 'page_load_supervisor'):.1f} "
          f"decisions_p95_ms={worst('my_decisions', 'my_decisions_deep'):.1f} "
          f"cold_hoax_card_ms={cold_card_ms:.0f} posts={args.posts} flags={len(all_ids)}")


if __name__ == "__main__":
    main()
