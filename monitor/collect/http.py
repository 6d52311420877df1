"""HTTP for collectors: retries, each platform's rate-limit signal, budgets, strict JSON.

``Http`` wraps an injected ``httpx.Client`` (tests point it at 127.0.0.1; an office may route
it through a proxy). Timeouts, connection errors and 5xx are retried with exponential backoff
and full jitter. A 429 is honoured through a per-platform *reset function* that reads the
platform's own signal (Retry-After seconds or HTTP date, epoch ``x-rate-limit-reset``, ISO
``x-ratelimit-reset`` ...); a wait longer than ``max_wait`` raises :class:`RateLimited` so the
run moves on and the account is retried next run. ``sleep`` and ``clock`` are injectable so
tests never really wait long.
"""

from __future__ import annotations

import email.utils
import json
import random
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable, Mapping, Protocol

import httpx

from .base import BudgetExhausted, MalformedPayload, PlatformError, RateLimited

ResetFn = Callable[[httpx.Response, float], "float | None"]
"""(response, now epoch seconds) -> seconds to wait, or None when the response gives no signal."""


# --- reset signals -----------------------------------------------------------------------------

def _parse_http_date(value: str) -> float | None:
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if parsed is None:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.timestamp()


def _parse_iso(value: str) -> float | None:
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.timestamp()


def retry_after(response: httpx.Response, now: float) -> float | None:
    """``Retry-After``: delta seconds or an HTTP date (RFC 9110)."""
    value = response.headers.get("retry-after")
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    when = _parse_http_date(value)
    return None if when is None else max(0.0, when - now)


def epoch_header(name: str) -> ResetFn:
    """A reset header holding Unix epoch seconds (X ``x-rate-limit-reset``, Bluesky ``RateLimit-Reset``)."""

    def reset(response: httpx.Response, now: float) -> float | None:
        value = response.headers.get(name)
        try:
            return max(0.0, float(value) - now) if value else None
        except ValueError:
            return None

    return reset


def iso_header(name: str) -> ResetFn:
    """A reset header holding an ISO-8601 time (Mastodon ``X-RateLimit-Reset``)."""

    def reset(response: httpx.Response, now: float) -> float | None:
        value = response.headers.get(name)
        when = _parse_iso(value) if value else None
        return None if when is None else max(0.0, when - now)

    return reset


def first_of(*fns: ResetFn) -> ResetFn:
    """The first signal that is present, e.g. Retry-After, else an epoch reset header."""

    def reset(response: httpx.Response, now: float) -> float | None:
        for fn in fns:
            wait = fn(response, now)
            if wait is not None:
                return wait
        return None

    return reset


# --- budgets -----------------------------------------------------------------------------------

class BudgetLedger(Protocol):
    """Where workers on many hosts keep one budget together (``monitor.store.leases`` in the
    database): ``take`` adds atomically unless the limit would pass, ``add`` adds regardless,
    ``used`` reads; each returns/uses the total of every worker."""

    def take(self, name: str, period: str, amount: int, limit: int) -> tuple[bool, int]: ...

    def add(self, name: str, period: str, amount: int) -> int: ...

    def used(self, name: str, period: str) -> int: ...


@dataclass
class Budget:
    """A request or item budget for a period (X monthly post reads, YouTube daily quota units).

    ``used`` starts from what earlier runs spent in the same period (the pipeline loads and
    saves it); ``spend`` raises :class:`BudgetExhausted` once the limit would be passed. With a
    ``ledger`` (collectors on many hosts) every spend goes through it, so all workers together
    stay within the limit.
    """

    name: str
    limit: int
    used: int = 0
    period: str = "day"  # "day" or "month" (UTC): when ``used`` starts again from zero
    ledger: BudgetLedger | None = field(default=None, repr=False, compare=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def period_key(self, now: "datetime | None" = None) -> str:
        """The current period's key, e.g. ``2026-03-02`` (day) or ``2026-03`` (month), UTC."""
        now = now or datetime.now(timezone.utc)
        return now.strftime("%Y-%m" if self.period == "month" else "%Y-%m-%d")

    @property
    def remaining(self) -> int:
        return max(0, self.limit - self.used)

    def _exhausted(self) -> BudgetExhausted:
        return BudgetExhausted(f"anggaran {self.name} habis: {self.used}/{self.limit} terpakai periode ini")

    def check(self, amount: int = 1) -> None:
        if self.ledger is not None and self.limit:
            self.used = self.ledger.used(self.name, self.period_key())
        if self.limit and self.used + amount > self.limit:
            raise self._exhausted()

    def spend(self, amount: int = 1) -> None:
        with self._lock:
            if self.ledger is not None:
                taken, self.used = self.ledger.take(self.name, self.period_key(), amount, self.limit)
                if not taken:
                    raise self._exhausted()
                return
            self.check(amount)
            self.used += amount

    def record(self, amount: int) -> None:
        """Count what was actually consumed (may pass the limit; the next check stops)."""
        with self._lock:
            if self.ledger is not None:
                self.used = self.ledger.add(self.name, self.period_key(), amount)
                return
            self.used += amount


# --- the client --------------------------------------------------------------------------------

RETRY_STATUSES = frozenset({500, 502, 503, 504})


class Http:
    """Retrying, rate-limit-aware GET for one platform. Thread-safe; ``concurrency`` bounds
    parallel requests to this platform across all worker threads."""

    def __init__(
        self,
        client: httpx.Client,
        *,
        platform: str = "",
        reset: ResetFn = retry_after,
        max_retries: int = 4,
        backoff_base: float = 0.5,
        backoff_max: float = 30.0,
        max_wait: float = 900.0,
        max_rate_retries: int = 3,
        budget: Budget | None = None,
        concurrency: int | None = None,
        headers: Mapping[str, str] | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
        rng: Callable[[], float] = random.random,
    ) -> None:
        self.client = client
        self.platform = platform
        self.reset = reset
        self.max_retries = max_retries
        self.backoff_base = backoff_base
        self.backoff_max = backoff_max
        self.max_wait = max_wait
        self.max_rate_retries = max_rate_retries
        self.budget = budget
        self.headers = dict(headers or {})
        self.sleep = sleep
        self.clock = clock
        self.rng = rng
        self._slots = threading.BoundedSemaphore(concurrency) if concurrency else None
        self.requests = 0  # sent, including retries (for status and tests)
        self.waited = 0.0  # seconds slept in backoff and rate-limit waits

    def backoff(self, attempt: int) -> float:
        """Full jitter: uniform in [0, min(max, base * 2**attempt)]."""
        return self.rng() * min(self.backoff_max, self.backoff_base * (2 ** attempt))

    def _wait(self, seconds: float) -> None:
        self.waited += seconds
        self.sleep(seconds)

    def _send(self, url: str, params: Mapping[str, Any] | None, headers: Mapping[str, str] | None) -> httpx.Response:
        if self._slots is None:
            return self.client.get(url, params=params, headers={**self.headers, **(headers or {})})
        with self._slots:
            return self.client.get(url, params=params, headers={**self.headers, **(headers or {})})

    def get(self, url: str, *, params: Mapping[str, Any] | None = None,
            headers: Mapping[str, str] | None = None, cost: int = 1) -> httpx.Response:
        """GET with retries. Returns the response for any status that retrying cannot fix
        (2xx, 3xx, 4xx other than 429) so the source can read the platform's error body."""
        failures = 0
        limited = 0
        while True:
            if self.budget is not None and cost:
                self.budget.spend(cost)
            self.requests += 1
            try:
                response = self._send(url, params, headers)
            except (httpx.TimeoutException, httpx.TransportError) as exc:
                failures += 1
                if failures > self.max_retries:
                    raise PlatformError(f"{self.platform}: jaringan gagal setelah {failures} percobaan: {exc!r}") from exc
                self._wait(self.backoff(failures - 1))
                continue
            if response.status_code == 429:
                limited += 1
                now = self.clock()
                wait = self.reset(response, now)
                if wait is None:
                    wait = self.backoff(limited + 2)  # a bare 429: back off harder than for a 5xx
                if wait > self.max_wait or limited > self.max_rate_retries:
                    raise RateLimited(now + wait, f"{self.platform}: dibatasi (429) sampai {wait:.0f} detik lagi")
                self._wait(wait + self.rng())  # a little jitter so workers do not stampede
                continue
            if response.status_code in RETRY_STATUSES:
                failures += 1
                if failures > self.max_retries:
                    raise PlatformError(
                        f"{self.platform}: HTTP {response.status_code} setelah {failures} percobaan",
                        status=response.status_code, body=response.content)
                wait = retry_after(response, self.clock()) if response.status_code == 503 else None
                self._wait(min(wait, self.max_wait) if wait is not None else self.backoff(failures - 1))
                continue
            return response

    def get_json(self, url: str, *, params: Mapping[str, Any] | None = None,
                 headers: Mapping[str, str] | None = None, cost: int = 1) -> tuple[Any, httpx.Response]:
        """GET and decode JSON; raises :class:`MalformedPayload` (raw body kept) if it is not."""
        response = self.get(url, params=params, headers=headers, cost=cost)
        return parse_json(response), response


def parse_json(response: httpx.Response) -> Any:
    """Strict JSON of a response, or :class:`MalformedPayload` carrying the raw body."""
    body = response.content
    try:
        return json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise MalformedPayload(
            body, f"respons bukan JSON yang sah (HTTP {response.status_code}, {len(body)} bita): {exc}",
            url=str(response.request.url) if response._request is not None else None) from exc


def make_http(settings: Mapping[str, Any], client: httpx.Client, platform: str, *,
              reset: ResetFn = retry_after, budget: Budget | None = None,
              headers: Mapping[str, str] | None = None) -> Http:
    """An :class:`Http` configured from settings (retries, longest rate wait, concurrency)."""
    return Http(
        client, platform=platform, reset=reset, budget=budget, headers=headers,
        max_retries=int(settings.get("http_max_retries", 4)),
        max_wait=float(settings.get("max_rate_wait", 900)),
        concurrency=int(settings.get(f"{platform}_concurrency", 0) or 0) or None,
    )
