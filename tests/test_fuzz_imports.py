"""Bounded, seeded fuzzing of every import path (issue 15): random bytes and mutated valid files
into the registry, posts, claims and screenshot-upload importers.

For every case: no crash (only each importer's own, named error), no partial import (an
all-or-nothing import that fails changes nothing; a row-by-row import accounts for every row),
and every rejected row is named by its line. The number of cases tried is printed and kept in
``FUZZ_CASES`` (the issue's closing note quotes it). Bounded by count and by time, so it never
holds the shared machine for long.
"""

from __future__ import annotations

import json
import random
import time
from pathlib import Path

import pytest

from monitor.claims import importers as claims_import
from monitor.collect.file_import import import_posts
from monitor.evidence import capture
from monitor.people import registry
from test_capture import PNG
from test_registry import ANI, BUDI, CITRA, HEADER

SEED = 15
CASES_PER_IMPORTER = 60
TIME_BUDGET_S = 25.0
FUZZ_CASES: dict[str, int] = {}

SPECIAL = [b"\x00", b"\xff", b"\xfe\xff", b"\xef\xbb\xbf", b'"', b",", b";", b"\n", b"\r\n", b"\t", b"{", b"}",
           b"\\", b"\xc3", b"\xe2\x80\xae", b"=cmd|'/c calc'!A1", b"9" * 40, b"'", b"#", b"-"]

REGISTRY = "\n".join([HEADER, ANI, BUDI, CITRA]).encode() + b"\n"
POSTS_CSV = (b"platform,account,post_id,text,created_at\n"
             b"x,ani_guru,1,Ayo coblos nomor 2,2024-10-01T01:00:00Z\n"
             b"bluesky,ani.bsky.social,2,Selamat pagi,2024-10-02T01:00:00Z\n")
POSTS_JSONL = b"\n".join(json.dumps(r).encode() for r in (
    {"platform": "x", "account": "ani_guru", "post_id": "3", "text": "Dukung paslon", "media": ["https://a.b/c.png"]},
    {"platform": "mastodon", "account": "ani@mastodon.social", "post_id": "4", "text": "Halo"})) + b"\n"
CLAIMS = b"\n".join(json.dumps(r).encode() for r in (
    {"claim_text": "Air PDAM Sukamaju tercemar limbah beracun", "title": "PDAM tercemar", "verdict": "salah",
     "url": "https://cekfakta.example/pdam", "source": "Cek Fakta (fiktif)", "published_at": "2024-10-02"},
    {"claim_text": "Bantuan tunai dibuka, isi NIK di tautan ini", "title": "BLT palsu", "verdict": "hoaks",
     "url": "https://cekfakta.example/blt", "source": "Cek Fakta (fiktif)", "published_at": "2024-10-03"})) + b"\n"


def mutate(rng: random.Random, seed: bytes) -> bytes:
    """One case: pure random bytes, or the valid file with a few flips, inserts, cuts or copies."""
    if rng.random() < 0.15:
        return rng.randbytes(rng.randint(0, 600))
    data = bytearray(seed)
    for _ in range(rng.randint(1, 4)):
        op = rng.randrange(5)
        at = rng.randint(0, len(data))
        if op == 0 and data:
            data[min(at, len(data) - 1)] = rng.randrange(256)
        elif op == 1:
            data[at:at] = rng.choice(SPECIAL)
        elif op == 2:
            del data[at:at + rng.randint(1, 40)]
        elif op == 3 and data:
            lines = bytes(data).split(b"\n")
            i = rng.randrange(len(lines))
            lines.insert(i, lines[i])
            data = bytearray(b"\n".join(lines))
        else:
            data = data[:at]
    return bytes(data)


def cases(name: str, seed: bytes):
    """The seeded cases for one importer, stopping early when the time budget is spent."""
    rng = random.Random(f"{SEED}:{name}")
    started = time.monotonic()
    tried = 0
    for _ in range(CASES_PER_IMPORTER):
        if time.monotonic() - started > TIME_BUDGET_S:
            break
        tried += 1
        yield mutate(rng, seed)
    FUZZ_CASES[name] = tried
    print(f"\nfuzz {name}: {tried} kasus dicoba (seed {SEED})")


def count(store, table: str) -> int:
    return int(store.one(f"SELECT COUNT(*) FROM {table}")[0])


def test_fuzz_registry_import_is_all_or_nothing(store, tmp_path):
    path = tmp_path / "pegawai.csv"
    for data in cases("registri", REGISTRY):
        path.write_bytes(data)
        before = (count(store, "employees"), count(store, "accounts"), count(store, "audit_log"))
        try:
            report = registry.import_employees(store, path, deactivate_missing=False)
        except registry.RegistryFileError as exc:
            assert str(exc)
            assert (count(store, "employees"), count(store, "accounts"), count(store, "audit_log")) == before
            continue
        assert all(isinstance(e.line, int) and e.line >= 1 and e.reason for e in report.errors)
        if not report.applied:
            assert (count(store, "employees"), count(store, "accounts")) == before[:2]  # nothing partial
        else:
            assert report.errors == []


@pytest.mark.parametrize("suffix, seed", [(".csv", POSTS_CSV), (".jsonl", POSTS_JSONL)])
def test_fuzz_posts_import_accounts_for_every_row(store, tmp_path, suffix, seed):
    path = tmp_path / f"kiriman{suffix}"
    for data in cases(f"kiriman{suffix}", seed):
        path.write_bytes(data)
        before = count(store, "posts")
        try:
            report = import_posts(store, path)
        except ValueError as exc:  # a header that cannot be read: nothing imported
            assert str(exc) and count(store, "posts") == before
            continue
        assert report.rows == report.new + report.edited + report.unchanged + len(report.skipped)
        assert count(store, "posts") == before + report.new
        assert all(isinstance(line, int) and line >= 1 and reason for line, reason in report.skipped)


def test_fuzz_claims_import_is_one_transaction(store, tmp_path):
    path = tmp_path / "klaim.jsonl"
    for data in cases("klaim", CLAIMS):
        path.write_bytes(data)
        before = count(store, "claims")
        try:
            report = claims_import.import_file(store, path, actor="fuzz")
        except claims_import.ClaimImportError as exc:
            assert str(exc) and count(store, "claims") == before
            continue
        assert count(store, "claims") == before + report.added
        assert report.read >= report.added
        assert all(isinstance(line, int) and line >= 1 and reason for line, reason in report.skipped)


def test_fuzz_screenshot_uploads_store_only_images(store, tmp_path):
    media = tmp_path / "media"
    for data in cases("tangkapan", PNG):
        before = count(store, "media")
        try:
            digest = capture.store_upload(store, data, post_id=None, media_dir=media)
        except ValueError as exc:
            assert str(exc) and count(store, "media") == before
            continue
        assert count(store, "media") == before + 1 and len(digest) == 64


def test_the_fuzz_run_tried_cases_on_every_importer():
    """Runs last in this file: the closing note's figure is the total printed here."""
    if len(FUZZ_CASES) < 5:
        pytest.skip("run the whole file to count the cases")
    total = sum(FUZZ_CASES.values())
    print(f"\nfuzz total: {total} kasus pada {len(FUZZ_CASES)} pengimpor")
    assert all(n > 0 for n in FUZZ_CASES.values())
