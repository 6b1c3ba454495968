"""The fetcher's HTTP against the replica over a real loopback socket: retries, Retry-After, timeouts,
the pause between requests and the User-Agent. Sleeps are recorded, not slept."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from graph_loader.fetch.client import Client, RetryPolicy, user_agent
from graph_loader.fetch.errors import NetworkError
from tests.unit.fetch_replica import Replica, serving

LETTER = "/dwc/imr/letters/CM16-0000001.pdf"
NOW = datetime(2024, 3, 4, 12, 0, 0, tzinfo=UTC)


@pytest.fixture
def site() -> Iterator[tuple[Replica, str]]:
    replica = Replica()
    with serving(replica) as base:
        yield replica, base


def _client(sleeps: list[float], **kwargs: object) -> Client:
    options: dict[str, object] = {
        "delay": 0.0,
        "timeout": 5.0,
        "retry": RetryPolicy(attempts=4, first_wait=0.5, factor=2.0),
        "sleep": sleeps.append,
        "now": lambda: NOW,
    }
    options.update(kwargs)
    return Client(**options)  # type: ignore[arg-type]


def test_a_503_with_retry_after_in_seconds_waits_that_long_then_succeeds(site: tuple[Replica, str]) -> None:
    replica, base = site
    replica.faults.unavailable["letter:CM16-0000001"] = 2
    replica.faults.retry_after = "7"
    sleeps: list[float] = []
    with _client(sleeps) as client:
        response = client.get(base + LETTER, expect="a PDF")
    assert response.content.startswith(b"%PDF-")
    assert sleeps == [7.0, 7.0]
    assert replica.letter_downloads() == ["CM16-0000001"] * 3


def test_a_503_with_retry_after_as_an_http_date(site: tuple[Replica, str]) -> None:
    replica, base = site
    replica.faults.unavailable["letter:CM16-0000001"] = 1
    replica.faults.retry_after = "Mon, 04 Mar 2024 12:00:45 GMT"
    sleeps: list[float] = []
    with _client(sleeps) as client:
        client.get(base + LETTER, expect="a PDF")
    assert sleeps == [45.0]


def test_a_retry_after_longer_than_the_tool_waits_fails_at_once(site: tuple[Replica, str]) -> None:
    replica, base = site
    replica.faults.unavailable["letter:CM16-0000001"] = 1
    replica.faults.retry_after = "86400"
    sleeps: list[float] = []
    with _client(sleeps) as client, pytest.raises(NetworkError) as caught:
        client.get(base + LETTER, expect="the PDF letter")
    assert str(caught.value) == (
        f"GET {base}{LETTER}: HTTP 503 asking to retry after 86400 s, longer than the 600 s this tool "
        "waits; try again later"
    )
    assert sleeps == []


def test_a_503_without_retry_after_backs_off_exponentially_and_gives_up(site: tuple[Replica, str]) -> None:
    replica, base = site
    replica.faults.unavailable["search:1"] = 10
    replica.faults.retry_after = ""
    sleeps: list[float] = []
    with _client(sleeps) as client, pytest.raises(NetworkError) as caught:
        client.post(base + "/dwc/imr/IMRDecisionSearch.asp", {"Fname": "Tx"}, expect="a results page")
    assert sleeps == [0.5, 1.0, 2.0]
    assert str(caught.value) == (
        f"POST {base}/dwc/imr/IMRDecisionSearch.asp: HTTP 503 on each of 4 tries; expected a results page"
    )


def test_a_timeout_then_success(site: tuple[Replica, str]) -> None:
    replica, base = site
    replica.faults.slow["letter:CM16-0000001"] = 1
    replica.faults.slow_seconds = 0.8
    sleeps: list[float] = []
    with _client(sleeps, timeout=0.2) as client:
        response = client.get(base + LETTER, expect="a PDF")
    assert response.status_code == 200
    assert sleeps == [0.5]
    assert replica.letter_downloads() == ["CM16-0000001", "CM16-0000001"]


def test_a_connection_refused_is_retried_then_named() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # Nothing listens on `port` now: every connection is refused.
    sleeps: list[float] = []
    with (
        _client(sleeps, retry=RetryPolicy(attempts=3, first_wait=0.25)) as client,
        pytest.raises(NetworkError) as caught,
    ):
        client.get(f"http://127.0.0.1:{port}/x.pdf", expect="the PDF letter")
    assert sleeps == [0.25, 0.5]
    message = str(caught.value)
    assert message.startswith(f"GET http://127.0.0.1:{port}/x.pdf: ConnectError") and "\n" not in message
    assert message.endswith("on each of 3 tries; expected the PDF letter")


def test_a_404_is_not_retried(site: tuple[Replica, str]) -> None:
    replica, base = site
    sleeps: list[float] = []
    with _client(sleeps) as client, pytest.raises(NetworkError) as caught:
        client.get(base + "/dwc/imr/letters/CM99-0000000.pdf", expect="the PDF letter")
    assert (
        str(caught.value) == f"GET {base}/dwc/imr/letters/CM99-0000000.pdf: HTTP 404; expected the PDF letter"
    )
    assert sleeps == [] and len(replica.hits) == 1


def test_requests_are_spaced_by_the_delay_and_name_the_tool(site: tuple[Replica, str]) -> None:
    replica, base = site
    sleeps: list[float] = []
    with _client(sleeps, delay=2.0) as client:
        for _ in range(3):
            client.get(base + LETTER, expect="a PDF")
    assert len(sleeps) == 2 and all(1.5 < s <= 2.0 for s in sleeps)
    assert {hit.user_agent for hit in replica.hits} == {user_agent()}
