"""Two processes writing the same database file at once must both succeed (WAL + BEGIN IMMEDIATE)."""

from __future__ import annotations

import multiprocessing as mp

from monitor.evidence import audit
from monitor.store import PostRecord, connect
from monitor.store.posts import count_posts, upsert_posts

PER_PROCESS = 3_000


def _writer(path: str, name: str, start: mp.Event, errors) -> None:
    try:
        start.wait(10)
        with connect(path) as store:
            for offset in range(0, PER_PROCESS, 100):
                records = [PostRecord("x", f"{name}-{i}", f"kiriman {i}", {"i": i})
                           for i in range(offset, offset + 100)]
                upsert_posts(store, records)
                audit.record(store, name, "collect.batch", None, offset=offset)
                # A read-then-write in one transaction is the pattern that fails without IMMEDIATE.
                upsert_posts(store, records[:10])
    except Exception as exc:  # reported to the parent, which fails the test
        errors.put(f"{name}: {exc!r}")


def test_two_processes_write_at_once_without_locking_errors(db_path, monkeypatch):
    # Streamlit's AppTest (earlier tests) leaves a page script as __main__; a spawned child would
    # re-run it. Children here need nothing from __main__, so give them a bare one.
    import sys
    import types

    monkeypatch.setitem(sys.modules, "__main__", types.ModuleType("__main__"))
    connect(db_path).close()  # schema in place before the race
    ctx = mp.get_context("spawn")
    start, errors = ctx.Event(), ctx.Queue()
    workers = [ctx.Process(target=_writer, args=(str(db_path), n, start, errors)) for n in ("a", "b")]
    for worker in workers:
        worker.start()
    start.set()
    for worker in workers:
        worker.join(120)
    problems = []
    while not errors.empty():
        problems.append(errors.get())
    assert problems == []
    assert [w.exitcode for w in workers] == [0, 0]
    with connect(db_path) as store:
        assert count_posts(store) == 2 * PER_PROCESS
        result = audit.verify(store)
        assert result.ok and result.entries == 2 * PER_PROCESS // 100
