"""Retries against the real server behind a fault-injecting proxy: 503 / 429 / dropped connections
are retried with backoff (honouring Retry-After), other 4xx are not, and retries never store an
event twice."""

from __future__ import annotations

import time
from typing import Callable, List

import sluice
from _support import Fault, FaultProxy, SluiceServer
from sluice._transport import retry_after_seconds

MakeClient = Callable[..., sluice.Client]


def send(client: sluice.Client, user_id: str, count: int = 3) -> None:
    for i in range(count):
        client.track("retried", {"i": i}, user_id=user_id)
    assert client.flush(timeout=15)


def test_503_is_retried_and_then_stored(server: SluiceServer, proxy: FaultProxy, make_client: MakeClient,
                                        errors: List[sluice.SluiceError], user_id: str) -> None:
    proxy.fail(Fault("status", 503), Fault("status", 503))
    client = make_client(proxy.url, flush_at=100)
    send(client, user_id)
    batches = proxy.batches()
    assert [b.status for b in batches] == [503, 503, 200]
    assert len({tuple(e["event_id"] for e in b.events) for b in batches}) == 1, "every attempt resends the same events"
    assert len(server.events(user_id=user_id)) == 3
    assert errors == [] and client.stats()["retries"] == 2


def test_429_retry_after_is_honoured(server: SluiceServer, proxy: FaultProxy, make_client: MakeClient,
                                     user_id: str) -> None:
    proxy.fail(Fault("status", 429, {"Retry-After": "1"}))
    client = make_client(proxy.url, flush_at=100)  # backoff alone would wait <= 10 ms
    send(client, user_id)
    first, second = proxy.batches()
    assert (first.status, second.status) == (429, 200)
    assert second.at - first.at >= 0.95, second.at - first.at
    assert len(server.events(user_id=user_id)) == 3


def test_503_retry_after_as_http_date(server: SluiceServer, proxy: FaultProxy, make_client: MakeClient,
                                      user_id: str) -> None:
    from email.utils import formatdate

    proxy.fail(Fault("status", 503, {"Retry-After": formatdate(time.time() + 2, usegmt=True)}))
    client = make_client(proxy.url, flush_at=100)
    send(client, user_id)
    first, second = proxy.batches()
    assert second.at - first.at >= 0.9, second.at - first.at  # HTTP-dates have 1 s resolution
    assert len(server.events(user_id=user_id)) == 3


def test_backoff_is_exponential_with_full_jitter(proxy: FaultProxy, make_client: MakeClient, user_id: str) -> None:
    proxy.fail(*[Fault("status", 503)] * 4)
    client = make_client(proxy.url, flush_at=100, retry_base_delay=0.1, retry_max_delay=0.3)
    send(client, user_id, 1)
    times = [b.at for b in proxy.batches()]
    gaps = [b - a for a, b in zip(times, times[1:])]
    assert len(gaps) == 4
    caps = [0.1, 0.2, 0.3, 0.3]  # min(max, base * 2**n)
    for gap, cap in zip(gaps, caps):
        assert gap <= cap + 0.15, (gaps, caps)


def test_dropped_connections_are_retried(server: SluiceServer, proxy: FaultProxy, make_client: MakeClient,
                                         errors: List[sluice.SluiceError], user_id: str) -> None:
    proxy.fail(Fault("drop"), Fault("drop"))
    client = make_client(proxy.url, flush_at=100)
    send(client, user_id)
    assert [b.status for b in proxy.batches()] == [0, 0, 200]
    assert len(server.events(user_id=user_id)) == 3 and errors == []


def test_connection_refused_is_retried_then_reported(make_client: MakeClient, errors: List[sluice.SluiceError],
                                                     user_id: str) -> None:
    from _support import free_port

    client = make_client(f"http://127.0.0.1:{free_port()}", max_retries=2)
    client.track("lost", user_id=user_id)
    assert client.flush(timeout=5)
    [error] = errors
    assert isinstance(error, sluice.DeliveryFailed) and error.code == sluice.RETRIES_EXHAUSTED
    assert "network error" in error.message and error.status is None and len(error.events) == 1
    assert client.stats()["requests"] == 3


def test_no_duplicates_when_the_answer_is_lost(server: SluiceServer, proxy: FaultProxy, make_client: MakeClient,
                                               errors: List[sluice.SluiceError], user_id: str) -> None:
    # The server stores the batch, but the client sees a 503 (twice), so it sends it three times.
    proxy.fail(Fault("forward_then_status", 503), Fault("forward_then_status", 502))
    client = make_client(proxy.url, flush_at=100)
    send(client, user_id, 5)
    assert [b.status for b in proxy.batches()] == [503, 502, 200]
    rows = server.events(user_id=user_id)
    assert len(rows) == 5 and len({r["event_id"] for r in rows}) == 5
    assert client.stats()["accepted"] == 0 and client.stats()["duplicates"] == 5
    assert errors == []


def test_other_4xx_are_not_retried(server: SluiceServer, proxy: FaultProxy, make_client: MakeClient,
                                   errors: List[sluice.SluiceError], user_id: str) -> None:
    client = make_client(proxy.url, write_key="sk_not_a_real_key", flush_at=100)
    send(client, user_id, 2)
    assert [b.status for b in proxy.batches()] == [401]
    [error] = errors
    assert isinstance(error, sluice.DeliveryFailed)
    assert (error.code, error.status, len(error.events)) == ("SLUICE_ERR_UNAUTHORIZED", 401, 2)

    errors.clear()
    proxy.fail(Fault("status", 400), Fault("status", 413))
    client = make_client(proxy.url, flush_at=1)
    client.track("a", user_id=user_id)
    assert client.flush(timeout=5)
    client.track("b", user_id=user_id)
    assert client.flush(timeout=5)
    assert [b.status for b in proxy.batches()[1:]] == [400, 413]
    assert [(e.code, e.status) for e in errors] == [("INJECTED", 400), ("INJECTED", 413)]
    assert server.events(user_id=user_id) == []


def test_gives_up_after_max_retries(proxy: FaultProxy, make_client: MakeClient, errors: List[sluice.SluiceError],
                                    user_id: str) -> None:
    proxy.fail(*[Fault("status", 503)] * 10)
    client = make_client(proxy.url, flush_at=100, max_retries=2)
    send(client, user_id, 2)
    assert len(proxy.batches()) == 3
    [error] = errors
    assert (error.code, error.status, len(error.events)) == (sluice.RETRIES_EXHAUSTED, 503, 2)
    assert client.stats()["failed"] == 2


def test_retry_after_parsing() -> None:
    assert retry_after_seconds("3") == 3.0
    assert retry_after_seconds(" 0 ") == 0.0
    assert retry_after_seconds(None) is None and retry_after_seconds("soon") is None
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0) == 10.0
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412490.0) == 0.0
