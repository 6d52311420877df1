"""Http against a real server on 127.0.0.1: retries, each platform's 429 signal, budgets, bad JSON."""

from __future__ import annotations

import email.utils
import socket

import httpx
import pytest

from fakeplatforms import FakePlatforms
from monitor.collect import bluesky, mastodon, x
from monitor.collect.base import BudgetExhausted, MalformedPayload, PlatformError, RateLimited
from monitor.collect.http import Budget, Http, retry_after

NOW = 1_772_400_000.0


class Clock:
    """Fixed time; sleeping advances it (nothing really waits)."""

    def __init__(self) -> None:
        self.now = NOW
        self.slept: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def fake():
    with FakePlatforms() as server:
        yield server


_clients: list[httpx.Client] = []


@pytest.fixture(autouse=True)
def _close_clients():
    yield
    while _clients:
        _clients.pop().close()


def make(fake, clock, **kw) -> Http:
    client = httpx.Client(timeout=kw.pop("timeout", 5))
    _clients.append(client)
    return Http(client, sleep=clock.sleep, clock=clock, rng=lambda: 0.5, **kw)


OK = "/xrpc/app.bsky.actor.getProfile?actor=nobody"


def test_retries_5xx_with_backoff_then_succeeds(fake):
    clock = Clock()
    fake.fail("getProfile", 500, times=2)
    fake.fail("getProfile", 503, times=1)
    http = make(fake, clock, backoff_base=1.0)
    response = http.get(fake.url + OK)
    assert response.status_code == 400  # the real answer after three failures
    assert fake.hits["/xrpc/app.bsky.actor.getProfile"] == 4
    assert clock.slept == [0.5, 1.0, 2.0]  # exponential, with (fixed) jitter


def test_gives_up_after_max_retries(fake):
    fake.fail("getProfile", 502, times=10)
    with pytest.raises(PlatformError) as info:
        make(fake, Clock(), max_retries=2).get(fake.url + OK)
    assert info.value.status == 502
    assert fake.hits["/xrpc/app.bsky.actor.getProfile"] == 3


def test_timeout_is_retried(fake):
    fake.fail("getProfile", 200, b"{}", delay=1.0, times=1)
    clock = Clock()
    response = make(fake, clock, timeout=0.2).get(fake.url + OK)
    assert response.status_code == 400 and len(clock.slept) == 1


def test_connection_refused_is_retried_then_reported():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens here now
    clock = Clock()
    with httpx.Client(timeout=1) as client, pytest.raises(PlatformError, match="jaringan gagal"):
        Http(client, max_retries=2, sleep=clock.sleep, clock=clock).get(f"http://127.0.0.1:{port}/")
    assert len(clock.slept) == 2


def test_bluesky_429_retry_after_seconds(fake):
    fake.fail("getProfile", 429, {"error": "RateLimitExceeded", "message": "Rate Limit Exceeded"},
              headers={"RateLimit-Limit": "3000", "RateLimit-Remaining": "0", "RateLimit-Reset": str(int(NOW) + 300),
                       "RateLimit-Policy": "3000;w=300", "Retry-After": "42"})
    clock = Clock()
    make(fake, clock, reset=bluesky.RESET).get(fake.url + OK)
    assert clock.slept == [42.5]


def test_bluesky_429_without_retry_after_uses_epoch_reset(fake):
    fake.fail("getProfile", 429, {"error": "RateLimitExceeded"}, headers={"RateLimit-Reset": str(int(NOW) + 30)})
    clock = Clock()
    make(fake, clock, reset=bluesky.RESET).get(fake.url + OK)
    assert clock.slept == [30.5]


def test_retry_after_http_date(fake):
    when = email.utils.formatdate(NOW + 20, usegmt=True)
    fake.fail("getProfile", 429, b"", headers={"Retry-After": when})
    clock = Clock()
    make(fake, clock, reset=retry_after).get(fake.url + OK)
    assert clock.slept == [20.5]


def test_mastodon_429_iso_reset(fake):
    fake.fail("getProfile", 429, {"error": "Too many requests"},
              headers={"X-RateLimit-Limit": "300", "X-RateLimit-Remaining": "0",
                       "X-RateLimit-Reset": "2026-03-01T21:21:00.000000Z"})  # NOW + 60 s
    clock = Clock()
    make(fake, clock, reset=mastodon.RESET).get(fake.url + OK)
    assert clock.slept == [60.5]


def test_x_429_epoch_reset_and_usage_cap(fake):
    fake.fail("getProfile", 429, {"title": "Too Many Requests", "type": "about:blank", "status": 429,
                                   "detail": "Too Many Requests"}, headers={"x-rate-limit-reset": str(int(NOW) + 90)})
    clock = Clock()
    make(fake, clock, reset=x.reset).get(fake.url + OK)
    assert clock.slept == [90.5]
    fake.fail("getProfile", 429, {"errors": [{"code": 88, "message": "Rate limit exceeded"}]},
              headers={"x-rate-limit-reset": str(int(clock.now) + 5)})
    make(fake, clock, reset=x.reset).get(fake.url + OK)  # the legacy body style works the same
    fake.fail("getProfile", 429, {"title": "UsageCapExceeded", "type": "https://api.x.com/2/problems/usage-capped",
                                   "period": "Monthly", "scope": "Product"})
    with pytest.raises(RateLimited):
        make(fake, clock, reset=x.reset).get(fake.url + OK)


def test_long_reset_raises_rate_limited_without_waiting(fake):
    fake.fail("getProfile", 429, b"{}", headers={"Retry-After": "3600"})
    clock = Clock()
    with pytest.raises(RateLimited) as info:
        make(fake, clock, max_wait=600).get(fake.url + OK)
    assert info.value.retry_at == pytest.approx(NOW + 3600)
    assert clock.slept == []


def test_budget_counts_and_stops(fake):
    budget = Budget("youtube_quota", 3)
    http = make(fake, Clock(), budget=budget)
    for _ in range(3):
        http.get(fake.url + OK)
    with pytest.raises(BudgetExhausted, match="anggaran youtube_quota habis"):
        http.get(fake.url + OK)
    assert fake.hits["/xrpc/app.bsky.actor.getProfile"] == 3 and budget.used == 3


@pytest.mark.parametrize("body", [b'{"feed": [{"post": ', b"<html>Bad Gateway</html>", b"\xff\xfe garbage"])
def test_invalid_or_truncated_json_keeps_raw_body(fake, body):
    fake.fail("getAuthorFeed", 200, body)
    http = make(fake, Clock())
    with pytest.raises(MalformedPayload) as info:
        http.get_json(fake.url + "/xrpc/app.bsky.feed.getAuthorFeed?actor=a")
    assert info.value.body == body
