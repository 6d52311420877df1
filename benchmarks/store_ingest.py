"""Upsert throughput of the store: 100,000 synthetic posts into a fresh SQLite file.

Measures the path collectors use (``upsert_posts`` in batches of 1,000, FTS triggers on),
then the bulk search indexing, a second pass over the same posts (all unchanged) and a pass with 5% edited, and prints
the database size. Target (issue 2): at least 20,000 posts/s on one core.

    python benchmarks/store_ingest.py [--posts N] [--batch N]
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
from pathlib import Path

from monitor.store import PostRecord, connect
from monitor.store.posts import refresh_search_index, upsert_posts

WORDS = ("saya ASN netral pilih coblos nomor urut dua salam jari hari ini kantor dinas pelayanan "
         "warga jalan rusak banjir sekolah guru murid puskesmas vaksin bansos kampanye relawan "
         "debat KPU TPS DPT bawaslu hoaks viral sebarkan gotong royong kerja bakti").split()


def synthetic(n: int, seed: int = 7) -> list[PostRecord]:
    rng = random.Random(seed)
    posts = []
    for i in range(n):
        text = " ".join(rng.choices(WORDS, k=rng.randint(8, 40)))
        raw = {"uri": f"at://did:plc:{i % 2000:024d}/app.bsky.feed.post/{i}", "record": {"text": text},
               "likeCount": rng.randint(0, 50), "indexedAt": "2024-10-01T00:00:00Z"}
        posts.append(PostRecord("bluesky", str(i), text, raw, url=f"https://bsky.app/p/{i}",
                                created_at=f"2024-10-{1 + i % 28:02d}T{i % 24:02d}:00:00Z"))
    return posts


def timed_upsert(store, posts, batch: int) -> float:
    start = time.perf_counter()
    for i in range(0, len(posts), batch):
        upsert_posts(store, posts[i : i + batch])
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=1_000)
    args = parser.parse_args()
    posts = synthetic(args.posts)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        with connect(path) as store:
            insert_s = timed_upsert(store, posts, args.batch)
            start = time.perf_counter()
            indexed = refresh_search_index(store)
            index_s = time.perf_counter() - start
            unchanged_s = timed_upsert(store, posts, args.batch)
            edited = [PostRecord(p.platform, p.post_id, p.text + " (diedit)", p.raw) if i % 20 == 0 else p
                      for i, p in enumerate(posts)]
            edit_s = timed_upsert(store, edited, args.batch)
            store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        size_mb = sum(os.path.getsize(f) for f in Path(tmp).iterdir()) / 1e6
    n = args.posts
    print(f"insert     {n:,} posts in {insert_s:.2f}s = {n / insert_s:,.0f} posts/s")
    print(f"search     {indexed:,} posts indexed (FTS5, bulk) in {index_s:.2f}s = {indexed / index_s:,.0f} posts/s")
    print(f"both       {n / (insert_s + index_s):,.0f} posts/s stored and searchable")
    print(f"re-upsert  {n:,} unchanged in {unchanged_s:.2f}s = {n / unchanged_s:,.0f} posts/s")
    print(f"re-upsert  {n:,} with 5% edited in {edit_s:.2f}s = {n / edit_s:,.0f} posts/s")
    print(f"database   {size_mb:.1f} MB ({size_mb * 1e6 / n:.0f} bytes/post incl. raw payload and FTS)")
    print(f"RESULT posts_per_s={n / insert_s:.0f} with_search_index_per_s={n / (insert_s + index_s):.0f} "
          f"unchanged_per_s={n / unchanged_s:.0f} "
          f"edited_pass_per_s={n / edit_s:.0f} db_mb={size_mb:.1f} posts={n}")


if __name__ == "__main__":
    main()
