"""Batching (count, interval, bytes), request format (gzip, sent_at, auth), per-event rejections,
and what the real server stores."""

from __future__ import annotations

import datetime
import decimal
import logging
import time
import uuid
from typing import Any, Callable, Dict, List

import pytest

import sluice
from _support import INVALID_EXAMPLES_DIR, PY_KEY, FaultProxy, SluiceServer, load_invalid_vectors

MakeClient = Callable[..., sluice.Client]


def test_batches_by_count(server: SluiceServer, proxy: FaultProxy, make_client: MakeClient, user_id: str) -> None:
    client = make_client(proxy.url, flush_at=5, flush_interval=30)
    for i in range(12):
        client.track("clicked", {"i": i}, user_id=user_id)
    batches = proxy.wait_for_requests(2)
    time.sleep(0.3)  # nothing else may go out: 2 events wait for the interval
    assert [len(b.events) for b in proxy.batches()] == [5, 5]
    assert client.queue_size == 2
    assert client.flush(timeout=5)
    assert [len(b.events) for b in proxy.batches()] == [5, 5, 2]
    rows = server.events(user_id=user_id)
    assert [r["event"]["properties"]["i"] for r in rows] == list(range(12))
    assert all(b.status == 200 for b in batches)


def test_batches_by_interval(proxy: FaultProxy, make_client: MakeClient, user_id: str) -> None:
    client = make_client(proxy.url, flush_at=1000, flush_interval=0.4)
    started = time.monotonic()
    for i in range(3):
        client.track("clicked", {"i": i}, user_id=user_id)
    [batch] = proxy.wait_for_requests(1, timeout=5)
    waited = batch.at - started
    assert 0.35 <= waited < 2.0, waited
    assert len(batch.events) == 3


def test_batches_by_bytes(server: SluiceServer, proxy: FaultProxy, make_client: MakeClient, user_id: str) -> None:
    client = make_client(proxy.url, flush_at=100, flush_interval=30, max_batch_bytes=3000)
    for i in range(10):
        client.track("pasted", {"i": i, "text": "x" * 900}, user_id=user_id)
    client.track("huge", {"text": "y" * 5000}, user_id=user_id)  # bigger than a batch: sent alone
    assert client.flush(timeout=5)
    batches = proxy.batches()
    sizes = [len(b.events) for b in batches]
    assert sum(sizes) == 11 and max(sizes) <= 3 and sizes[-1] == 1, sizes
    assert len(server.events(user_id=user_id)) == 11


def test_requests_are_gzipped_authenticated_and_carry_sent_at(server: SluiceServer, proxy: FaultProxy,
                                                                make_client: MakeClient, user_id: str) -> None:
    client = make_client(proxy.url)
    client.track("a", user_id=user_id)
    assert client.flush(timeout=5)
    [batch] = proxy.batches()
    assert batch.path == "/v1/batch"
    assert batch.headers["content-encoding"] == "gzip"
    assert batch.headers["content-type"] == "application/json"
    assert batch.headers["authorization"] == f"Bearer {PY_KEY}"
    assert batch.headers["user-agent"] == f"sluice-python/{sluice.__version__}"
    assert batch.raw[:2] == b"\x1f\x8b"
    sent_at = datetime.datetime.fromisoformat(batch.body["sent_at"].replace("Z", "+00:00"))
    assert abs((datetime.datetime.now(datetime.timezone.utc) - sent_at).total_seconds()) < 10
    [row] = server.events(user_id=user_id)
    assert row["sent_at"] is not None and row["source"] == "py-sdk" and row["tenant"] == "acme"


def test_gzip_can_be_turned_off(server: SluiceServer, proxy: FaultProxy, make_client: MakeClient, user_id: str) -> None:
    client = make_client(proxy.url, gzip=False)
    client.track("a", user_id=user_id)
    assert client.flush(timeout=5)
    [batch] = proxy.batches()
    assert "content-encoding" not in batch.headers and batch.raw.startswith(b'{"sent_at":')
    assert len(server.events(user_id=user_id)) == 1


def test_what_is_stored_is_what_was_captured(server: SluiceServer, make_client: MakeClient, user_id: str) -> None:
    client = make_client(server.url)
    gid = client.generation(
        model="llama-3.1-8b-instruct", provider="vllm",
        input=[{"role": "user", "content": "Wo ist meine Bestellung? 📦"}],
        output=[{"role": "assistant", "content": "Sie ist unterwegs."}],
        usage={"input_tokens": 9, "output_tokens": 4}, params={"temperature": 0.2}, latency_ms=83.1,
        session_id="s-1", user_id=user_id,
        properties={"day": datetime.date(2025, 6, 1), "price": decimal.Decimal("12.50"), "ref": uuid.UUID(int=1)},
    )
    client.feedback(generation_id=gid, kind="thumbs", value="down", comment="zu knapp", user_id=user_id)
    assert client.flush(timeout=5)
    generation, feedback = server.events(user_id=user_id)
    assert generation["type"] == "generation" and generation["session_id"] == "s-1"
    assert generation["event"]["generation_id"] == gid
    assert generation["event"]["input"][0]["content"] == "Wo ist meine Bestellung? 📦"
    assert generation["event"]["properties"] == {"day": "2025-06-01", "price": 12.5,
                                                 "ref": "00000000-0000-0000-0000-000000000001"}
    assert feedback["event"]["target"] == {"generation_id": gid}
    # client-generated UUIDv7 ids, in creation order
    ids = [generation["event_id"], feedback["event_id"]]
    assert all(uuid.UUID(i).version == 7 for i in ids) and ids == sorted(ids)
    assert client.stats()["accepted"] == 2


def test_per_event_rejections_go_to_on_error_and_are_not_retried(
    server: SluiceServer, proxy: FaultProxy, make_client: MakeClient, errors: List[sluice.SluiceError], user_id: str,
) -> None:
    # The invalid shared vectors that survive capture() unchanged (capture fills a missing
    # event_id/occurred_at/type, so those vectors would be repaired rather than rejected).
    vectors = {
        name: v for name, v in load_invalid_vectors().items()
        if isinstance(v["event"], dict) and {"event_id", "occurred_at", "type"} <= set(v["event"])
        and isinstance(v["event"]["type"], str) and v["event"]["type"]
    }
    assert len(vectors) >= 15
    client = make_client(proxy.url, flush_at=1000)
    client.track("valid-one", user_id=user_id)
    for vector in vectors.values():
        client.capture(vector["event"])
    client.track("valid-two", user_id=user_id)
    assert client.flush(timeout=5)

    assert len(proxy.batches()) == 1, "a 200 with rejections must not be retried"
    # Several vectors share an event_id: match rejections by their index in the batch.
    rejected = {e.index: e for e in errors if isinstance(e, sluice.EventRejected)}
    assert len(rejected) == len(errors) == len(vectors)
    for index, (name, vector) in enumerate(vectors.items(), start=1):
        error = rejected[index]
        assert (error.code, error.pointer) == (vector["code"], vector["pointer"]), name
        assert error.event_id == vector["event"]["event_id"] and error.status == 200
        assert error.event["event_id"] == vector["event"]["event_id"]
    assert [r["event"]["name"] for r in server.events(user_id=user_id)] == ["valid-one", "valid-two"]
    assert client.stats()["rejected"] == len(vectors)


def test_typed_method_with_a_missing_field_is_rejected_not_raised(
    server: SluiceServer, make_client: MakeClient, errors: List[sluice.SluiceError], user_id: str,
) -> None:
    client = make_client(server.url)
    client.feedback(generation_id="g-1", kind="thumbs", user_id=user_id)  # thumbs needs a value
    assert client.flush(timeout=5)
    [error] = errors
    assert isinstance(error, sluice.EventRejected)
    assert (error.code, error.pointer) == ("SLUICE_ERR_EVENT_INVALID", "/value")
    assert server.events(user_id=user_id) == []
    assert any(q["event_id"] == error.event_id for q in server.quarantine(source="py-sdk"))


def test_unserializable_values_are_reported_not_raised(proxy: FaultProxy, make_client: MakeClient,
                                                        errors: List[sluice.SluiceError], user_id: str) -> None:
    client = make_client(proxy.url)
    client.track("bad", {"obj": object()}, user_id=user_id)
    client.track("nan", {"x": float("nan")}, user_id=user_id)
    assert client.flush(timeout=5)
    assert [e.code for e in errors] == [sluice.EVENT_UNSERIALIZABLE] * 2
    assert proxy.batches() == []


def test_before_send_can_redact_and_drop(server: SluiceServer, make_client: MakeClient, user_id: str) -> None:
    def redact(event: Dict[str, Any]) -> Any:
        if event.get("name") == "secret":
            return None
        event.setdefault("properties", {})["redacted"] = True
        return event

    client = make_client(server.url, before_send=redact)
    client.track("public", user_id=user_id)
    client.track("secret", user_id=user_id)
    assert client.flush(timeout=5)
    [row] = server.events(user_id=user_id)
    assert row["event"]["properties"] == {"redacted": True}
    assert client.stats()["filtered"] == 1


def test_debug_logging(proxy: FaultProxy, make_client: MakeClient, user_id: str, caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("sluice")
    level, handlers = logger.level, list(logger.handlers)
    try:
        with caplog.at_level(logging.DEBUG, logger="sluice"):
            client = make_client(proxy.url, debug=True)
            client.track("a", user_id=user_id)
            assert client.flush(timeout=5)
        messages = [r.getMessage() for r in caplog.records if r.name == "sluice"]
        assert any(m.startswith("queued track") for m in messages), messages
        assert any(m.startswith(f"POST {proxy.url}/v1/batch -> 200 (1 events") for m in messages), messages
    finally:
        logger.setLevel(level)
        logger.handlers[:] = handlers


def test_endpoint_forms(make_client: MakeClient) -> None:
    assert make_client("http://h:1").url == "http://h:1/v1/batch"
    assert make_client("http://h:1/base/").url == "http://h:1/base/v1/batch"
    assert make_client("https://h/v1/batch").url == "https://h/v1/batch"
    with pytest.raises(ValueError):
        sluice.Client("h:1", "key")


assert INVALID_EXAMPLES_DIR.is_dir()
