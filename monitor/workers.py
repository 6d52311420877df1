"""Collectors on many hosts (issue 20): one ``netra collect --worker`` process.

A worker loops: find the current round (start the next one when the latest is older than the
round interval), claim a batch of due accounts (leases in the database, see
:mod:`monitor.store.leases`), collect them with the pipeline's ordinary per-account code
(:func:`monitor.pipeline._collect_accounts`: each page committed with its cursor, here only
while the lease is held), and finish each account for the round. A heartbeat thread renews the
leases of the accounts in hand, so a slow account is not taken over while its worker lives; a
killed worker stops renewing and its accounts return to the pool when their leases expire.

Request budgets (X monthly reads, YouTube daily quota) are kept in the database through a
:class:`DbLedger`, so the workers together stay within each platform's limit.

Workers collect; they do not classify (``netra collect reclassify`` scores what they stored),
because classification of the same pending posts by N processes at once would race.
"""

from __future__ import annotations

import os
import socket
import threading
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

import httpx

from . import pipeline
from .collect import SOURCES
from .collect.base import AccountRef, Source
from .store import Store, connect
from .store import collection as rows
from .store import leases


def default_worker_id() -> str:
    """host:pid, unique among live workers and readable in the lease table."""
    return f"{socket.gethostname()}:{os.getpid()}"


class DbLedger:
    """A :class:`monitor.collect.http.BudgetLedger` in the shared database, on its own
    connection (source threads spend while the main thread holds a page transaction)."""

    def __init__(self, target: str) -> None:
        self._store = connect(target)
        self._lock = threading.Lock()

    def take(self, name: str, period: str, amount: int, limit: int) -> tuple[bool, int]:
        with self._lock:
            return leases.take_budget(self._store, name, period, amount, limit)

    def add(self, name: str, period: str, amount: int) -> int:
        with self._lock:
            return leases.add_budget(self._store, name, period, amount)

    def used(self, name: str, period: str) -> int:
        with self._lock:
            return rows.budget_used(self._store, name, period)

    def close(self) -> None:
        self._store.close()


class Heartbeat:
    """Renews this worker's leases every third of the lease, on its own connection."""

    def __init__(self, target: str, worker: str, lease_seconds: float) -> None:
        self.worker, self.lease_seconds = worker, lease_seconds
        self.held: set[int] = set()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._store = connect(target)
        self._thread = threading.Thread(target=self._run, name="lease-heartbeat", daemon=True)
        self._thread.start()

    def add(self, ids: Sequence[int]) -> None:
        with self._lock:
            self.held.update(ids)

    def drop(self, account_id: int) -> None:
        with self._lock:
            self.held.discard(account_id)

    def _run(self) -> None:
        while not self._stop.wait(max(0.2, self.lease_seconds / 3)):
            with self._lock:
                ids = sorted(self.held)
            try:
                kept = leases.renew(self._store, self.worker, ids, self.lease_seconds)
            except Exception:  # a database hiccup: try again next beat; the lease is still checked on write
                continue
            with self._lock:
                self.held &= kept | (self.held - set(ids))

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self._store.close()


@dataclass
class WorkerSummary:
    worker: str
    rounds: list[int] = field(default_factory=list)
    accounts: int = 0
    lost: int = 0
    run: pipeline.RunSummary = field(default_factory=pipeline.RunSummary)


def run_worker(
    store: Store,
    settings: Mapping[str, Any],
    *,
    worker: str | None = None,
    platforms: Sequence[str] | None = None,
    lease_seconds: float = 300.0,
    round_seconds: float = 900.0,
    batch: int = 10,
    once: bool = False,
    idle_seconds: float = 5.0,
    client: httpx.Client | None = None,
    sources: Mapping[str, Source] | None = None,
    stop: threading.Event | None = None,
    notify: Callable[[str, dict], None] | None = None,
) -> WorkerSummary:
    """Claim and collect due accounts until stopped; with ``once``, until the current round is
    complete (every due account done, by this worker or others), then return."""
    worker = worker or default_worker_id()
    wanted = list(platforms) if platforms else list(sources.keys() if sources is not None else SOURCES.keys())
    unknown = [p for p in wanted if p not in (sources if sources is not None else SOURCES)]
    if unknown:
        raise ValueError(f"platform tanpa kolektor: {', '.join(unknown)}")
    own_client = None
    if sources is None:
        own_client = client or pipeline.make_client(settings)
        sources = pipeline.build_sources(settings, own_client, wanted)
    sources = {p: sources[p] for p in wanted}
    stop = stop or threading.Event()
    tell = notify or (lambda event, data: None)
    summary = WorkerSummary(worker)
    summary.run.run_id = rows.start_run(store, platforms=wanted, account=f"pekerja {worker}")
    ledger = DbLedger(store.path)
    for budget in pipeline._budgets(sources):
        budget.ledger = ledger
    beat = Heartbeat(store.path, worker, lease_seconds)

    def ended(ref: AccountRef) -> None:
        beat.drop(ref.id)
        if leases.finish(store, worker, ref.id):
            summary.accounts += 1
        else:
            summary.lost += 1

    status = "failed"
    try:
        while not stop.is_set():
            round_id = leases.current_round(store, worker, interval_seconds=round_seconds)
            if round_id not in summary.rounds:
                summary.rounds.append(round_id)
                tell("round", {"round": round_id})
            claimed = leases.claim_accounts(store, worker, limit=batch, lease_seconds=lease_seconds,
                                            round_id=round_id, platforms=wanted)
            if claimed:
                beat.add([a["id"] for a in claimed])
                tell("claimed", {"round": round_id, "accounts": len(claimed)})
                pipeline._collect_accounts(store, settings, sources, claimed, summary.run, tell,
                                           lease=(worker, lease_seconds), on_end=ended)
                for account in claimed:  # lost mid-way: drop from the heartbeat
                    beat.drop(account["id"])
                continue
            progress = leases.round_progress(store, round_id, wanted)
            if once and progress["done"] >= progress["total"]:
                break
            # Nothing free: others hold the rest. With --once, look again soon, so the worker
            # exits as the round completes, or takes over an expired lease promptly.
            stop.wait(min(idle_seconds, 0.5, lease_seconds / 4) if once else idle_seconds)
        status = "done"
    finally:
        beat.close()
        leases.release(store, worker)  # accounts still in hand go back to the pool at once
        ledger.close()
        rows.finish_run(store, summary.run.run_id, summary.run.counts(), status=status)
        if own_client is not None and client is None:
            own_client.close()
    return summary

