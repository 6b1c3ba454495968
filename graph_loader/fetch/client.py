"""HTTP for `imr-graph fetch`: one request at a time with a pause between them, retries with exponential
backoff on timeouts, dropped connections and 5xx, `Retry-After` honoured, and a User-Agent that says who
is asking and where to read about it.

DWC's search is a public service run for claimants and their doctors, not an API: the defaults (two
seconds between requests, five tries) keep a crawl of the whole archive at the load of one person
clicking through it.
"""

from __future__ import annotations

import email.utils
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata

import httpx

from graph_loader.fetch.errors import NetworkError

PROJECT_URL = "https://github.com/imr-graph/imr-graph"
# 429 and 5xx say "not now"; any other 4xx says the request itself is wrong and will stay wrong.
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


def user_agent() -> str:
    try:
        version = metadata.version("imr-graph")
    except metadata.PackageNotFoundError:
        # Run from a source tree that was never installed: still say who we are.
        version = "unknown"
    return f"imr-graph/{version} (+{PROJECT_URL})"


@dataclass(frozen=True)
class RetryPolicy:
    """`attempts` tries per request; the k-th wait is first_wait * factor**(k-1). A server asking for a
    longer pause than `max_wait` seconds is taken at its word: the request fails rather than hammering it
    sooner."""

    attempts: int = 5
    first_wait: float = 1.0
    factor: float = 2.0
    max_wait: float = 600.0

    def backoff(self, attempt: int) -> float:
        return float(min(self.first_wait * self.factor ** (attempt - 1), self.max_wait))


def retry_after_seconds(value: str | None, now: datetime) -> float | None:
    """Seconds a `Retry-After` header asks for (delta-seconds or an HTTP date); None when absent or
    unreadable, so the caller falls back to its own backoff."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


class Client:
    """A polite synchronous HTTP client. `sleep`, `clock` and `now` are the test's handles on time."""

    def __init__(
        self,
        *,
        delay: float = 2.0,
        timeout: float = 60.0,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.delay = delay
        self.retry = retry or RetryPolicy()
        self._sleep = sleep
        self._clock = clock
        self._now = now
        self._last_end: float | None = None
        self._http = httpx.Client(
            headers={"User-Agent": user_agent()},
            timeout=timeout,
            follow_redirects=True,
            transport=transport,
        )

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def get(self, url: str, *, expect: str) -> httpx.Response:
        return self._send("GET", url, None, expect)

    def post(self, url: str, form: Mapping[str, str], *, expect: str) -> httpx.Response:
        return self._send("POST", url, form, expect)

    def wait(self, attempt: int) -> None:
        """The backoff after try `attempt` of something the caller retries itself (a PDF cut short)."""
        self._sleep(self.retry.backoff(attempt))

    def _pause(self) -> None:
        # Measured from the end of the previous request, so a slow answer does not shorten the pause.
        if self._last_end is not None and self.delay > 0:
            remaining = self.delay - (self._clock() - self._last_end)
            if remaining > 0:
                self._sleep(remaining)

    def _send(self, method: str, url: str, form: Mapping[str, str] | None, expect: str) -> httpx.Response:
        problem = "no answer"
        attempts = max(1, self.retry.attempts)
        for attempt in range(1, attempts + 1):
            self._pause()
            wait = self.retry.backoff(attempt)
            try:
                response = self._http.request(method, url, data=form)
            except httpx.UnsupportedProtocol as exc:
                raise NetworkError(f"{method} {url}: {exc}; expected {expect}") from exc
            except httpx.TimeoutException as exc:
                problem = f"timed out ({type(exc).__name__})"
            except httpx.TransportError as exc:
                problem = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
            else:
                if response.is_success:
                    return response
                status = response.status_code
                if status not in RETRY_STATUSES:
                    raise NetworkError(f"{method} {url}: HTTP {status}; expected {expect}")
                problem = f"HTTP {status}"
                asked = retry_after_seconds(response.headers.get("Retry-After"), self._now())
                if asked is not None:
                    if asked > self.retry.max_wait:
                        raise NetworkError(
                            f"{method} {url}: HTTP {status} asking to retry after {asked:.0f} s, longer "
                            f"than the {self.retry.max_wait:.0f} s this tool waits; try again later"
                        )
                    wait = asked
            finally:
                self._last_end = self._clock()
            if attempt < attempts:
                self._sleep(wait)
        raise NetworkError(f"{method} {url}: {problem} on each of {attempts} tries; expected {expect}")
