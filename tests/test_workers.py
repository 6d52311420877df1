"""Collectors on many hosts (issue 20): rounds, leases, shared budgets, concurrent duplicate
posts -- on both engines -- and three worker processes against one PostgreSQL database, killed
with SIGKILL at random moments, ending with every account collected once per round and every
item of the fake platforms stored exactly once."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from fakeplatforms import FakePlatforms, bsky_post, iso, masto_status, populate, register, x_tweet
from monitor.collect.base import BudgetExhausted
from monitor.collect.http import Budget
from monitor.store import PostRecord, connect, leases
from monitor.store import collection as rows
from monitor.store.posts import upsert_posts
from monitor.workers import DbLedger

ROOT = Path(__file__).resolve().parent.parent
HANDLES = {"bluesky": ["asn00.bsky.social", "asn01.bsky.social"], "mastodon": ["asn00@mastodon.example"],
           "x": ["asn_00", "asn_01"]}


@pytest.fixture
def accounts(store) -> list[int]:
    return sorted(register(store, HANDLES).values())


def _expire(store, worker: str) -> None:
    """Let time pass for one worker's leases (its host died long ago)."""
    with store.write() as conn:
        conn.execute("UPDATE collect_leases SET expires_at = '2000-01-01T00:00:00.000000Z' WHERE worker = ?", (worker,))


# --- rounds and leases -------------------------------------------------------------------------

def test_each_due_account_goes_to_one_worker(store, accounts):
    round_id = leases.current_round(store, "a", interval_seconds=3600)
    assert leases.current_round(store, "b", interval_seconds=3600) == round_id  # same round for all
    first = leases.claim_accounts(store, "a", limit=3, lease_seconds=60, round_id=round_id)
    second = leases.claim_accounts(store, "b", limit=10, lease_seconds=60, round_id=round_id)
    assert len(first) == 3 and len(second) == len(accounts) - 3
    assert sorted(a["id"] for a in first + second) == accounts
    assert leases.claim_accounts(store, "c", limit=10, lease_seconds=60, round_id=round_id) == []
    assert {"handle", "platform", "cursor", "platform_user_id", "status"} <= set(first[0])
    assert leases.round_progress(store, round_id) == {"total": len(accounts), "done": 0, "leased": len(accounts)}


def test_finished_accounts_wait_for_the_next_round(store, accounts):
    round_id = leases.current_round(store, "a", interval_seconds=3600)
    claimed = leases.claim_accounts(store, "a", limit=100, lease_seconds=60, round_id=round_id)
    for account in claimed:
        assert leases.finish(store, "a", account["id"])
    assert leases.claim_accounts(store, "a", limit=100, lease_seconds=60, round_id=round_id) == []
    assert leases.round_progress(store, round_id)["done"] == len(accounts)
    # Once the interval has passed, the next worker to look starts round 2: all due again.
    with store.write() as conn:
        conn.execute("UPDATE collect_rounds SET started_at = '2000-01-01T00:00:00.000000Z'")
    following = leases.current_round(store, "b", interval_seconds=3600)
    assert following == round_id + 1
    again = leases.claim_accounts(store, "b", limit=100, lease_seconds=60, round_id=following)
    assert sorted(a["id"] for a in again) == accounts
    assert {r["claims"] for r in leases.leases(store)} == {2}


def test_an_expired_lease_returns_to_the_pool_and_fences_the_old_holder(store, accounts):
    round_id = leases.new_round(store, "a")
    target = accounts[0]
    held = leases.claim_accounts(store, "a", limit=1, lease_seconds=60, round_id=round_id)
    assert [a["id"] for a in held] == [target]
    assert leases.renew(store, "a", [target], 60) == {target}
    _expire(store, "a")  # host a died
    assert leases.renew(store, "a", [target], 60) == set()  # too late to renew
    taken = leases.claim_accounts(store, "b", limit=1, lease_seconds=60, round_id=round_id)
    assert [a["id"] for a in taken] == [target]
    # The old holder can neither store a page nor finish the account any more.
    record = PostRecord(platform="bluesky", post_id="at://late/1", text="telat", raw={"n": 1})
    with pytest.raises(leases.LeaseLost):
        rows.save_page(store, target, "bluesky", [record], '{"hw":"9"}', lease=("a", 60))
    assert store.one("SELECT COUNT(*) FROM posts")[0] == 0
    assert store.one("SELECT cursor FROM accounts WHERE id = ?", (target,))[0] is None
    assert not leases.finish(store, "a", target)
    rows.save_page(store, target, "bluesky", [record], '{"hw":"9"}', lease=("b", 60))
    assert leases.finish(store, "b", target)
    lease = next(r for r in leases.leases(store) if r["account_id"] == target)
    assert lease["worker"] is None and lease["done_round"] == round_id and lease["claims"] == 2


def test_release_gives_undone_accounts_back_at_once(store, accounts):
    round_id = leases.new_round(store, "a")
    leases.claim_accounts(store, "a", limit=100, lease_seconds=600, round_id=round_id)
    assert leases.release(store, "a") == len(accounts)
    again = leases.claim_accounts(store, "b", limit=100, lease_seconds=600, round_id=round_id)
    assert len(again) == len(accounts)


def test_concurrent_claims_never_share_an_account(store, accounts):
    """Four workers, each on its own connection, claim one account at a time until none is left."""
    round_id = leases.new_round(store, "setup")
    got: dict[str, list[int]] = {}
    errors: list[BaseException] = []

    def work(name: str) -> None:
        try:
            with connect(store.path) as own:
                mine = got.setdefault(name, [])
                while claimed := leases.claim_accounts(own, name, limit=1, lease_seconds=60, round_id=round_id):
                    mine += [a["id"] for a in claimed]
                    time.sleep(0.01)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(f"w{i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    every = [i for ids in got.values() for i in ids]
    assert sorted(every) == accounts  # each exactly once


def test_claim_skips_a_row_another_worker_has_locked(store, accounts, engine):
    """PostgreSQL: FOR UPDATE SKIP LOCKED passes over a lease row another transaction holds
    (a worker storing a page), without waiting. SQLite: the claim waits for the one writer."""
    round_id = leases.new_round(store, "setup")
    leases.claim_accounts(store, "a", limit=1, lease_seconds=60, round_id=round_id)
    _expire(store, "a")  # a's lease is free to take -- but a is mid-write on it right now
    locked = accounts[0]
    other = connect(store.path)
    try:
        if engine == "postgresql":
            other.conn.raw.execute("BEGIN")
            other.conn.raw.execute("SELECT 1 FROM collect_leases WHERE account_id = %s FOR UPDATE", (locked,))
            started = time.monotonic()
            claimed = leases.claim_accounts(store, "b", limit=100, lease_seconds=60, round_id=round_id)
            assert time.monotonic() - started < 5
            assert sorted(a["id"] for a in claimed) == [a for a in accounts if a != locked]
            other.conn.raw.execute("ROLLBACK")
            assert [a["id"] for a in leases.claim_accounts(store, "b", limit=100, lease_seconds=60,
                                                           round_id=round_id)] == [locked]
        else:
            other.conn.execute("BEGIN IMMEDIATE")
            result: list = []
            thread = threading.Thread(target=lambda: result.append(
                leases.claim_accounts(store, "b", limit=100, lease_seconds=60, round_id=round_id)))
            thread.start()
            thread.join(0.5)
            assert thread.is_alive() and not result  # waits for the writer, never reads half a claim
            other.conn.execute("ROLLBACK")
            thread.join(30)
            assert sorted(a["id"] for a in result[0]) == accounts
    finally:
        other.close()


# --- shared budgets ----------------------------------------------------------------------------

def test_workers_together_stay_within_a_budget(store):
    limit, taken, errors = 40, [], []

    def work() -> None:
        ledger = DbLedger(store.path)
        budget = Budget("x_post_reads", limit, period="month", ledger=ledger)
        try:
            while True:
                budget.spend(1)
                taken.append(1)
        except BudgetExhausted:
            pass
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            ledger.close()

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    period = Budget("x_post_reads", limit, period="month").period_key()
    assert len(taken) == limit and rows.budget_used(store, "x_post_reads", period) == limit
    # What was consumed beyond a check is still counted (X reads are known after the answer).
    assert leases.add_budget(store, "x_post_reads", period, 3) == limit + 3
    assert leases.take_budget(store, "x_post_reads", period, 1, limit) == (False, limit + 3)
    assert leases.take_budget(store, "x_post_reads", period, 5, 0) == (True, limit + 8)  # 0: no limit


# --- the same post from two workers ------------------------------------------------------------

def test_a_post_inserted_by_two_workers_at_once_is_stored_once(store, engine):
    record = PostRecord(platform="bluesky", post_id="at://did:plc:x/app.bsky.feed.post/1", text="dibagikan ulang",
                        raw={"uri": "1"})
    first = connect(store.path)
    second = connect(store.path)
    outcome: list = []
    try:
        if engine == "postgresql":
            with first.write():
                upsert_posts(first, [record])
                # The second worker's insert runs now and waits on the first's uncommitted row.
                thread = threading.Thread(target=lambda: outcome.append(upsert_posts(second, [record])))
                thread.start()
                thread.join(0.5)
                assert thread.is_alive()
            thread.join(30)
        else:
            upsert_posts(first, [record])
            outcome.append(upsert_posts(second, [record]))
        assert outcome and outcome[0].new_ids == [] and outcome[0].unchanged == 1
        assert store.one("SELECT COUNT(*) FROM posts")[0] == 1
        # A different text arriving that way becomes a new version, as it would one after the other.
        changed = PostRecord(platform=record.platform, post_id=record.post_id, text="diedit", raw={"uri": "1", "e": 1})
        assert upsert_posts(second, [changed]).edited_ids
    finally:
        first.close()
        second.close()


# --- three worker processes, killed at random --------------------------------------------------

PAGE = 10
FEEDS = ("getAuthorFeed", "/statuses", "/tweets")


def fake_items(fake: FakePlatforms) -> set[tuple[str, str]]:
    """Every item the fake platforms serve: what a complete collection must hold."""
    items = {("bluesky", entry["post"]["uri"]) for acc in fake.bsky.values() for entry in acc.feed}
    items |= {("mastodon", s["id"]) for acc in fake.masto.values() for s in acc.statuses}
    items |= {("x", t["id"]) for user in fake.x.values() for t in user.tweets}
    return items


def add_new_posts(fake: FakePlatforms, count: int, base_time: float) -> None:
    """``count`` newer posts on top of every timeline (what round 2 must pick up)."""
    for a, acc in enumerate(fake.bsky.values()):
        for j in range(count):
            acc.feed.insert(0, bsky_post(acc.did, acc.handle, f"3n{a:02d}{j:05d}", f"baru {a}/{j}",
                                         iso(base_time + (j + 1) * 60 - a)))
    for a, acc in enumerate(fake.masto.values()):
        for j in range(count):
            sid = str(114000000000000000 + a * 100000 + j)
            acc.statuses.insert(0, masto_status(sid, acc.entity(), f"baru {a}/{j}", iso(base_time + (j + 1) * 60)))
    for a, user in enumerate(fake.x.values()):
        for j in range(count):
            tid = str(1897000000000000000 + a * 100000 + j)
            user.tweets.insert(0, x_tweet(tid, user.id, f"baru {a}/{j}", iso(base_time + (j + 1) * 60)))


class Workers:
    """Three `netra collect --worker --once` processes; kill -9 and restart at random."""

    def __init__(self, url: str, fake: FakePlatforms, cwd: Path, lease: float) -> None:
        self.env = {**os.environ, "NETRA_BLUESKY_BASE_URL": fake.url, "NETRA_MASTODON_BASE_URL": fake.url,
                    "NETRA_X_BASE_URL": fake.url, "NETRA_X_BEARER_TOKEN": fake.x_token,
                    "NETRA_COLLECT_PAGE_SIZE": str(PAGE), "NETRA_RECHECK_POSTS": "0",
                    "NETRA_CONFIG": str(cwd / "none.toml"), "PYTHONPATH": str(ROOT)}
        self.command = [sys.executable, "-m", "monitor.cli.main", "--db", url, "collect", "--worker", "--once",
                        "--lease-seconds", str(lease), "--batch", "1", "--every", "1h", "--no-classify"]
        self.cwd = cwd
        self.procs: dict[str, subprocess.Popen] = {}
        self.kills = 0

    def start(self, name: str) -> None:
        self.procs[name] = subprocess.Popen([*self.command, "--worker-id", name], env=self.env, cwd=self.cwd,
                                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def kill(self, name: str) -> None:
        proc = self.procs[name]
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)  # no cleanup, no finally blocks, leases left behind
            self.kills += 1
        proc.wait()
        proc.stderr.close()

    def wait(self, timeout: float, seed: int) -> None:
        deadline = time.monotonic() + timeout
        for name, proc in self.procs.items():
            try:
                _, stderr = proc.communicate(timeout=max(1.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self.stop()
                pytest.fail(f"worker {name} did not finish (seed {seed})")
            assert proc.returncode == 0, f"worker {name} failed (seed {seed}): {stderr.decode()[-2000:]}"

    def stop(self) -> None:
        for proc in self.procs.values():
            if proc.poll() is None:
                proc.kill()
                proc.wait()


def _feed_hits(fake: FakePlatforms) -> int:
    return sum(fake.hits_for(f) for f in FEEDS)


def _round(url: str, fake: FakePlatforms, tmp_path: Path, rng: random.Random, seed: int, *, kills: int,
           count: int = 3) -> int:
    """Run ``count`` workers through one round, SIGKILLing a random one ``kills`` times at random
    moments (each restarted at once); returns how many kills landed on a running worker."""
    workers = Workers(url, fake, tmp_path, lease=3)
    try:
        for name in [f"w{i + 1}" for i in range(count)]:
            workers.start(name)
        start_hits = _feed_hits(fake)
        for _ in range(kills):
            # Let the workers get going (the first pages served), then strike at a random moment.
            deadline = time.monotonic() + 30
            while _feed_hits(fake) < start_hits + 3 and time.monotonic() < deadline:
                time.sleep(0.01)
            time.sleep(rng.uniform(0.05, 0.6))
            victim = rng.choice(sorted(workers.procs))
            workers.kill(victim)
            workers.start(victim)
        workers.wait(60, seed)
    finally:
        workers.stop()
    return workers.kills


def _stored(url: str) -> dict:
    with connect(url) as store:
        posts = [tuple(r) for r in store.query("SELECT platform, post_id FROM posts")]
        return {
            "posts": posts,
            "versions": store.one("SELECT COUNT(*) FROM post_versions")[0],
            "daily": int(store.one("SELECT COALESCE(SUM(items), 0) FROM collect_daily")[0]),
            "leases": leases.leases(store),
            "cursors": [r[0] for r in store.query("SELECT cursor FROM accounts")],
            "round": leases.latest_round(store),
        }


def test_three_workers_killed_at_random_collect_everything_once(pg_url, tmp_path):
    seed = int(os.environ.get("NETRA_TEST_SEED", "20"))
    rng = random.Random(seed)
    with FakePlatforms() as fake:
        handles = populate(fake, bsky_accounts=3, masto_accounts=3, x_users=3, posts=80)
        with connect(pg_url) as store:
            register(store, handles)
        fake.delay = 0.03  # each answer a little slow, so kills land mid-page and mid-account
        accounts = sum(len(v) for v in handles.values())

        landed = _round(pg_url, fake, tmp_path, rng, seed, kills=4)
        got = _stored(pg_url)
        why = f"seed {seed}, {landed} kills"
        assert landed >= 2, f"kills did not land on running workers ({why})"
        assert len(got["posts"]) == len(set(got["posts"])), f"a post stored twice ({why})"
        assert set(got["posts"]) == fake_items(fake), f"items lost or invented ({why})"
        assert got["versions"] == 0, f"a re-fetched page made spurious edit versions ({why})"
        assert got["daily"] == len(got["posts"]), f"a page was counted as new twice ({why})"
        first = got["round"]["id"]
        assert [(r["done_round"], r["worker"]) for r in got["leases"]] == [(first, None)] * accounts, why
        # Each account was claimed once, plus at most one take-over per kill (a worker holds one
        # account at a time with --batch 1): live workers never collected the same account.
        assert accounts <= sum(r["claims"] for r in got["leases"]) <= accounts + landed, why
        assert all('"page"' not in c for c in got["cursors"]), f"an account left mid-walk ({why})"

        # The round is complete: another worker finds nothing due and fetches nothing.
        hits = _feed_hits(fake)
        _round(pg_url, fake, tmp_path, rng, seed, kills=0, count=1)
        assert _feed_hits(fake) == hits, f"an account was collected twice in round {first} ({why})"

        # Round 2: new posts on every timeline; workers killed again; each new item stored once.
        add_new_posts(fake, 25, 1_772_400_000.0)
        with connect(pg_url) as store:
            second = leases.new_round(store, "test")
        landed += _round(pg_url, fake, tmp_path, rng, seed, kills=2)
        got = _stored(pg_url)
        why = f"seed {seed}, {landed} kills"
        assert len(got["posts"]) == len(set(got["posts"])) and set(got["posts"]) == fake_items(fake), why
        assert got["versions"] == 0 and got["daily"] == len(got["posts"]), why
        assert [(r["done_round"], r["worker"]) for r in got["leases"]] == [(second, None)] * accounts, why
        assert sum(r["claims"] for r in got["leases"]) <= 2 * accounts + landed, why


# --- the command -------------------------------------------------------------------------------

def test_netra_collect_worker_on_either_engine(db_target, engine, tmp_path, monkeypatch):
    """`netra collect --worker --once` collects the round on SQLite (one host) and PostgreSQL;
    X post reads are counted in the shared budget table as the worker reads them."""
    from typer.testing import CliRunner

    from monitor.cli.main import app

    with FakePlatforms() as fake:
        handles = populate(fake, bsky_accounts=1, masto_accounts=1, x_users=1, posts=25)
        with connect(db_target) as store:
            register(store, handles)
        for key, value in {"BLUESKY_BASE_URL": fake.url, "MASTODON_BASE_URL": fake.url, "X_BASE_URL": fake.url,
                           "X_BEARER_TOKEN": fake.x_token, "COLLECT_PAGE_SIZE": "10", "RECHECK_POSTS": "0",
                           "CONFIG": str(tmp_path / "none.toml")}.items():
            monkeypatch.setenv(f"NETRA_{key}", value)
        runner = CliRunner()
        command = ["--db", db_target, "collect", "--worker", "--once", "--no-classify", "--worker-id", "satu"]
        result = runner.invoke(app, command)
        assert result.exit_code == 0, result.output
        assert "Pekerja satu selesai: 3 akun, 75 kiriman baru" in result.output
        with connect(db_target) as store:
            assert set(tuple(r) for r in store.query("SELECT platform, post_id FROM posts")) == fake_items(fake)
            period = Budget("x_post_reads", 1, period="month").period_key()
            assert rows.budget_used(store, "x_post_reads", period) == 25
        again = runner.invoke(app, command)
        assert again.exit_code == 0 and "Pekerja satu selesai: 0 akun, 0 kiriman baru" in again.output
        wrong = runner.invoke(app, ["--db", db_target, "collect", "--worker-id", "dua"])
        assert wrong.exit_code != 0 and "hanya berlaku bersama --worker" in wrong.output
