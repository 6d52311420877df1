"""Import speed and memory of a large browser capture (Zeeschuimer NDJSON).

Why: an analyst who scrolls a few hundred registered accounts for an afternoon brings back tens
of thousands of items; the import must take seconds, not the rest of the afternoon, and must
stream (memory independent of file size). The file mixes Instagram posts (some carousels),
TikTok videos and TikTok comments; 1,000 registered accounts write 80% of the items, the rest
are unregistered accounts (dropped) and ads (skipped). Media downloads are off: they measure
the CDN, not Netra.

    .venv/bin/python benchmarks/capture_import.py [--items 100000]

Targets: >= 5,000 items/s, peak memory < 300 MB.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from monitor.collect import capture_import  # noqa: E402
from monitor.store import connect, elections, people  # noqa: E402

ACCOUNTS = 1_000
UA = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def item(n: int) -> dict:
    """The n-th captured item: its platform, author and shape follow from n (reproducible)."""
    registered = n % 5 != 0
    who = f"asn{n % ACCOUNTS:04d}" if registered else f"warga{n}"
    kind = n % 10
    if kind < 5:
        data = {"id": f"{3300000000000000000 + n}_{n % ACCOUNTS}", "pk": str(3300000000000000000 + n),
                "code": f"BENCH{n:07d}", "taken_at": 1730000000 + n, "media_type": 1, "product_type": "feed",
                "caption": {"text": f"Kegiatan pelayanan masyarakat hari ke-{n} #sukamaju"},
                "user": {"pk": str(n % ACCOUNTS), "username": who},
                "image_versions2": {"candidates": [{"url": f"https://scontent.example/{n}.jpg", "width": 1080, "height": 1080}]}}
        if kind == 4:
            data["media_type"] = 8
            data["carousel_media"] = [{"image_versions2": {"candidates": [{"url": f"https://scontent.example/{n}-{c}.jpg"}]}}
                                      for c in range(3)]
        if n % 97 == 0:
            data["product_type"], data["ad_id"] = "ad", str(n)
        return {"source_platform": "instagram.com", "source_platform_url": f"https://www.instagram.com/{who}/", "data": data}
    if kind < 9:
        data = {"id": str(7400000000000000000 + n), "desc": f"Video kegiatan {n}", "createTime": 1730000000 + n,
                "author": {"uniqueId": who, "nickname": who}, "stats": {"diggCount": n % 300},
                "stickersOnItem": [{"stickerText": ["Sukamaju"]}] if n % 3 == 0 else [],
                "video": {"cover": f"https://p16.example/{n}.jpeg"}, "isAd": n % 89 == 0}
        return {"source_platform": "tiktok.com", "source_platform_url": f"https://www.tiktok.com/@{who}", "data": data}
    data = {"cid": str(7500000000000000000 + n), "text": f"Komentar {n}", "create_time": 1730000000 + n,
            "aweme_id": "7499999999999999999", "user": {"unique_id": who}}
    return {"source_platform": "tiktok-comments",
            "source_platform_url": "https://www.tiktok.com/@calon.bench/video/7499999999999999999", "data": data}


def write_capture(path: Path, items: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        for n in range(items):
            entry = item(n)
            entry.update({"nav_index": f"1:1:{n}", "item_id": str(n), "timestamp_collected": 1730000000000 + n,
                          "last_updated": 1730000000000 + n, "source_url": "https://example/api", "user_agent": UA})
            out.write(json.dumps(entry, ensure_ascii=False, separators=(",", ":")) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "zeeschuimer-export-bench.ndjson"
        write_capture(path, args.items)
        store = connect(Path(folder) / "bench.db")
        rows = [people.EmployeeRow(name=f"Pegawai {i}", employment_type="PNS", unit_name="Dinas Bench",
                                   nip=f"19800101200501{i:04d}",
                                   accounts=(("instagram", f"asn{i:04d}"), ("tiktok", f"asn{i:04d}")))
                for i in range(ACCOUNTS)]
        people.apply_employee_import(store, rows, deactivate_missing=False)
        elections.upsert_registry(store, {"campaign_accounts": [
            {"platform": "tiktok", "handle": "calon.bench", "owner_type": "candidate", "owner": "Calon"}]})
        before = peak_mb()
        start = time.perf_counter()
        report = capture_import.import_capture(store, path, captured_by="bench")
        seconds = time.perf_counter() - start
        again_start = time.perf_counter()
        again = capture_import.import_capture(store, path, captured_by="bench")
        again_seconds = time.perf_counter() - again_start
        store.close()
        size_mb = path.stat().st_size / 1e6
    rate = args.items / seconds
    c = report.counts
    print(f"capture file: {args.items} items, {size_mb:.1f} MB")
    print(f"import: {seconds:.2f} s, {rate:,.0f} items/s; new {c['new']}, dropped {c['dropped_unregistered']}, "
          f"ads {c['ads']}, interactions {c['interactions']}, errors {c['errors']}")
    print(f"re-import: {again_seconds:.2f} s, {args.items / again_seconds:,.0f} items/s, "
          f"new {again.counts['new']}, duplicates {again.counts['duplicates']}")
    print(f"peak memory: {peak_mb():.0f} MB (before import {before:.0f} MB)")
    print(f"RESULT items={args.items} items_per_s={rate:.0f} reimport_items_per_s={args.items / again_seconds:.0f} "
          f"peak_mb={peak_mb():.0f} new={c['new']} dropped={c['dropped_unregistered']}")


if __name__ == "__main__":
    main()
